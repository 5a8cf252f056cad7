//! The validation rules of a spec whose faults are more than a wrong YAML shape, and their
//! messages: the same error, kind, message and help whether the spec came from a file (which
//! then adds the file, line and column of the YAML `path`) or from the constructors.

use num_rational::BigRational;
use num_traits::{Signed, Zero};

use super::validated::{MarketCase, MarketGrid};
use super::{MAX_GRID_VALUES, MAX_POINTS, join, show};
use crate::distribution::{Distribution, DistributionError, Family, UpperEnd};
use crate::error::{ErrorKind, SpecError};
use crate::expr::Expr;
use crate::market::{Market, MarketError};

/// A fault of `kind` at the YAML `path` of the spec format, not yet placed in a file.
pub(crate) fn error(kind: ErrorKind, path: &str, message: impl Into<String>) -> SpecError {
    let mut e = SpecError::new(kind, message);
    e.path = Some(path.to_string());
    e
}

/// The spec error for a distribution that fails validation (`upper_path` is where its upper end
/// is written).
pub(crate) fn distribution_error(e: DistributionError, upper_path: &str) -> SpecError {
    const P: &str = "distribution";
    let cdf = join(P, "cdf");
    let support = join(P, "support");
    let message = e.to_string();
    match e {
        DistributionError::NonFiniteEnd { .. } => error(ErrorKind::BadSupport, &support, message),
        DistributionError::EmptySupport { .. } => error(ErrorKind::EmptySupport, &support, message),
        DistributionError::InvertedSupport { .. } => {
            error(ErrorKind::InvertedSupport, &support, message)
                .with_help("write the support as [lower end, upper end]")
        }
        DistributionError::LowerNotZero { .. } => error(ErrorKind::LowerNotZero, &cdf, message)
            .with_help("a CDF starts at 0: check the lower end of the support, or subtract F(a)"),
        DistributionError::UpperNotOne { solved, .. } => {
            let solved = solved.map_or(String::new(), |b| format!(" (here b = {b})"));
            error(ErrorKind::UpperNotOne, upper_path, message).with_help(format!(
                "write `support: [a, solve]` to use the b with F(b) = 1{solved}, or add \
                 `renormalize: true` under `distribution` to divide F by F(b)"
            ))
        }
        DistributionError::RenormalizeNonPositive { .. } => {
            error(ErrorKind::UpperNotOne, upper_path, message)
        }
        DistributionError::NoUpperEnd { .. } => error(ErrorKind::NoUpperEnd, upper_path, message)
            .with_help("check the CDF, or give the upper end as a number"),
        DistributionError::Undefined { .. } => error(ErrorKind::Undefined, &cdf, message)
            .with_help("the CDF must be defined on the whole support"),
        DistributionError::Decreasing { .. } => error(ErrorKind::Decreasing, &cdf, message)
            .with_help(
                "a CDF never decreases: its density must be non-negative on the whole support",
            ),
        DistributionError::Uncertified { .. } | DistributionError::Undecided { .. } => {
            error(ErrorKind::Uncertified, &cdf, message)
        }
        DistributionError::BadParameter(_) => error(ErrorKind::BadParameter, P, message),
    }
}

/// The spec error for shares that do not make a market (`r` is the share parameter, when the
/// shares are formulas in it).
pub(crate) fn market_error(
    e: &MarketError,
    n_path: &str,
    shares_path: &str,
    r: Option<&BigRational>,
) -> SpecError {
    let at_r = r.map_or(String::new(), |r| format!("at r = {}: ", show(r)));
    let message = format!("{at_r}{e}");
    match e {
        MarketError::TooFewAgents { .. } => error(ErrorKind::TooFewAgents, n_path, message)
            .with_help("the paper's markets have n >= 2 agents"),
        MarketError::NegativeShare { index, .. } => error(
            ErrorKind::NegativeShare,
            &format!("{shares_path}[{}]", index.saturating_sub(1)),
            message,
        )
        .with_help("each share r_i is a fraction of the good, at least 0"),
        MarketError::SharesDoNotSumToOne { .. } => error(
            ErrorKind::SharesSum,
            shares_path,
            message,
        )
        .with_help(
            "the shares split the whole good: they must add up to exactly 1 (write thirds as 1/3)",
        ),
        MarketError::ZeroReplication => error(ErrorKind::ZeroReplication, n_path, message),
        MarketError::TooManyAgents => error(ErrorKind::TooManyAgents, n_path, message),
    }
}

/// A family parameter that must be positive; `what` names it as the message shows it (`k = 2`,
/// `shape parameter 0`).
fn positive(q: &BigRational, path: &str, what: String) -> Result<(), SpecError> {
    if q.is_positive() {
        Ok(())
    } else {
        Err(error(
            ErrorKind::BadParameter,
            path,
            format!("{what} must be positive"),
        ))
    }
}

/// The power family's exponent: `k > 0`.
pub(crate) fn power_exponent(k: &BigRational, path: &str) -> Result<(), SpecError> {
    positive(k, path, format!("k = {}", show(k)))
}

/// A Beta shape parameter: an integer from 1 to 1000 (the CDF is then a polynomial).
/// A shape parameter that must be positive (Beta's, Kumaraswamy's).
pub(crate) fn positive_shape(q: &BigRational, path: &str) -> Result<(), SpecError> {
    positive(q, path, format!("shape parameter {}", show(q)))
}

/// A standard deviation named `name` (`sd`, `sigma`): positive.
pub(crate) fn standard_deviation(
    sd: &BigRational,
    path: &str,
    name: &str,
) -> Result<(), SpecError> {
    positive(sd, path, format!("{name} = {}", show(sd)))
}

/// The truncated exponential's rate: `lambda != 0` (zero is the uniform distribution).
pub(crate) fn truncation_rate(lambda: &BigRational, path: &str) -> Result<(), SpecError> {
    if lambda.is_zero() {
        Err(error(
            ErrorKind::BadParameter,
            path,
            "lambda = 0 is the uniform distribution",
        )
        .with_help("use `family: uniform`"))
    } else {
        Ok(())
    }
}

/// A grid dimension given as a list: not empty, and at most [`MAX_GRID_VALUES`] values.
pub(crate) fn list_length(path: &str, len: usize, what: &str) -> Result<(), SpecError> {
    if len == 0 {
        return Err(error(
            ErrorKind::Grid,
            path,
            format!("the list of {what} is empty"),
        ));
    }
    if len as u128 > MAX_GRID_VALUES {
        return Err(too_many(path, len as u128));
    }
    Ok(())
}

/// A grid dimension with `count` values, more than [`MAX_GRID_VALUES`].
pub(crate) fn too_many(path: &str, count: u128) -> SpecError {
    error(
        ErrorKind::Grid,
        path,
        format!("the grid has {count} values; at most {MAX_GRID_VALUES} are allowed"),
    )
    .with_help("use a larger step, or split the grid over several specs")
}

/// The description: one non-empty line (surrounding blanks removed).
pub(crate) fn description(text: &str) -> Result<String, SpecError> {
    let description = text.trim().to_string();
    if description.is_empty() || description.contains('\n') {
        return Err(error(
            ErrorKind::WrongType,
            "description",
            "the description must be one non-empty line",
        )
        .with_help("say in one line what in the paper this spec reproduces"));
    }
    Ok(description)
}

/// An interdependence coefficient: `beta >= 0`.
pub(crate) fn beta(b: &BigRational, path: &str) -> Result<(), SpecError> {
    if b.is_negative() {
        return Err(error(
            ErrorKind::NegativeBeta,
            path,
            format!("beta = {} is negative", show(b)),
        )
        .with_help("the interdependence coefficient beta is at least 0"));
    }
    Ok(())
}

/// A spec's grid: at most [`MAX_POINTS`] points (markets x replications x betas).
pub(crate) fn point_count(grid: &MarketGrid, betas: usize) -> Result<(), SpecError> {
    let points = (grid.cases.len() as u128)
        .saturating_mul(grid.replications.as_ref().map_or(1, |m| m.len() as u128))
        .saturating_mul(betas.max(1) as u128);
    if points > MAX_POINTS {
        return Err(error(
            ErrorKind::Grid,
            "",
            format!("the spec's grid has {points} points; at most {MAX_POINTS} are allowed"),
        )
        .with_help("split the grid over several specs (or use `efftrade sweep --shard`)"));
    }
    Ok(())
}

/// The symmetric markets with `ns[i]` agents; `n_path(i)` is where `ns[i]` is written.
pub(crate) fn symmetric_cases(
    ns: &[u128],
    n_path: impl Fn(usize) -> String,
    shares_path: &str,
) -> Result<Vec<MarketCase>, SpecError> {
    let mut cases = Vec::with_capacity(ns.len());
    for (i, &k) in ns.iter().enumerate() {
        let market =
            Market::symmetric(k).map_err(|e| market_error(&e, &n_path(i), shares_path, None))?;
        cases.push(MarketCase { market, r: None });
    }
    Ok(cases)
}

/// The markets whose shares are `formulas` (in the share parameter `r`), one per value of `r`
/// in `rs`, or the one market of constant shares when `rs` is `None`.
pub(crate) fn listed_cases(
    formulas: &[Expr],
    rs: Option<Vec<BigRational>>,
    shares_path: &str,
    r_path: &str,
) -> Result<Vec<MarketCase>, SpecError> {
    let uses_r = formulas.iter().any(Expr::has_var);
    match (&rs, uses_r) {
        (None, true) => {
            return Err(error(
                ErrorKind::MissingKey,
                shares_path,
                "the shares are formulas in `r`, but no values of `r` are given",
            )
            .with_help("add `r:` with a value, a list or a range {from, to, step}"));
        }
        (Some(_), false) => {
            return Err(error(
                ErrorKind::Conflict,
                r_path,
                "`r` is given but no share uses it",
            ));
        }
        _ => {}
    }
    let values: Vec<Option<BigRational>> = match rs {
        Some(rs) => rs.into_iter().map(Some).collect(),
        None => vec![None],
    };
    let mut cases = Vec::with_capacity(values.len());
    for r in values {
        let mut shares = Vec::with_capacity(formulas.len());
        for (i, f) in formulas.iter().enumerate() {
            let value = f.eval_rational(r.as_ref()).ok_or_else(|| {
                let at = r
                    .as_ref()
                    .map_or(String::new(), |r| format!(" at r = {}", show(r)));
                error(
                    ErrorKind::WrongType,
                    &format!("{shares_path}[{i}]"),
                    format!(
                        "share {} = {}{at} is not an exact rational number",
                        i + 1,
                        f.display_with("r")
                    ),
                )
                .with_help(
                    "shares are exact: write decimals or fractions of integers, such as 0.25 or 1/3",
                )
            })?;
            shares.push(value);
        }
        let market = Market::from_shares(&shares)
            .map_err(|e| market_error(&e, shares_path, shares_path, r.as_ref()))?;
        cases.push(MarketCase { market, r });
    }
    Ok(cases)
}

/// Checks that every base market replicates m-fold for every `ms[i]` (Definition 2);
/// `m_path(i)` is where `ms[i]` is written.
pub(crate) fn replications(
    cases: &[MarketCase],
    ms: &[u128],
    m_path: impl Fn(usize) -> String,
) -> Result<(), SpecError> {
    for (i, &m) in ms.iter().enumerate() {
        for case in cases {
            case.market.replicate(m).map_err(|e| {
                let at = m_path(i);
                market_error(&e, &at, &at, None)
            })?;
        }
    }
    Ok(())
}

/// The parameters of a named family are in range (each error at the spec key that holds it).
pub(crate) fn family(f: &Family) -> Result<(), SpecError> {
    const P: &str = "distribution";
    match f {
        Family::Uniform => Ok(()),
        Family::Power { k } => power_exponent(k, &join(P, "k")),
        Family::Beta { p, q } => {
            positive_shape(p, &format!("{P}.shape[0]"))?;
            positive_shape(q, &format!("{P}.shape[1]"))
        }
        Family::TruncatedExponential { lambda } => truncation_rate(lambda, &join(P, "lambda")),
        Family::TruncatedNormal { sd, .. } => standard_deviation(sd, &join(P, "sd"), "sd"),
        Family::TruncatedLognormal { sigma, .. } => {
            standard_deviation(sigma, &join(P, "sigma"), "sigma")
        }
        Family::Kumaraswamy { alpha, beta } => {
            positive_shape(alpha, &format!("{P}.shape[0]"))?;
            positive_shape(beta, &format!("{P}.shape[1]"))
        }
    }
}

/// Where a spec writes the upper end of the support.
const UPPER_PATH: &str = "distribution.support[1]";

/// The distribution of a named family on `[lower, upper]`, validated.
pub(crate) fn family_distribution(
    family: Family,
    lower: Expr,
    upper: Expr,
) -> Result<Distribution, SpecError> {
    self::family(&family)?;
    let cdf = family.cdf(&lower, &upper);
    Distribution::new(Some(family), cdf, lower, UpperEnd::Given(upper), false)
        .map_err(|e| distribution_error(e, UPPER_PATH))
}

/// The distribution with CDF `cdf` on `[lower, upper]`, validated; `renormalize` divides `F` by
/// `F(b)`, which a solved upper end makes meaningless.
pub(crate) fn cdf_distribution(
    cdf: Expr,
    lower: Expr,
    upper: UpperEnd,
    renormalize: bool,
) -> Result<Distribution, SpecError> {
    if renormalize && upper == UpperEnd::Solve {
        return Err(error(
            ErrorKind::Conflict,
            "distribution.renormalize",
            "`renormalize` and `solve` answer the same question two ways: choose one",
        ));
    }
    Distribution::new(None, cdf, lower, upper, renormalize)
        .map_err(|e| distribution_error(e, UPPER_PATH))
}

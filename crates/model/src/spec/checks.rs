//! The validation rules of a spec whose faults are more than a wrong YAML shape, and their
//! messages: the same error, kind, message and help whether the spec came from a file (which
//! then adds the file, line and column of the YAML `path`) or from the constructors.

use num_rational::BigRational;
use num_traits::{Signed, Zero};

use super::{join, show};
use crate::distribution::DistributionError;
use crate::error::{ErrorKind, SpecError};
use crate::market::MarketError;

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
        DistributionError::Uncertified { .. } => error(ErrorKind::Uncertified, &cdf, message),
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

/// The power family's exponent: `k > 0`.
pub(crate) fn power_exponent(k: &BigRational, path: &str) -> Result<(), SpecError> {
    if k.is_positive() {
        Ok(())
    } else {
        Err(error(
            ErrorKind::BadParameter,
            path,
            format!("k = {} must be positive", show(k)),
        ))
    }
}

/// A Beta shape parameter: an integer from 1 to 1000 (the CDF is then a polynomial).
pub(crate) fn beta_shape(q: &BigRational, path: &str) -> Result<u32, SpecError> {
    crate::distribution::beta_shape(q).ok_or_else(|| {
        error(
            ErrorKind::BadParameter,
            path,
            format!(
                "shape parameter {} must be an integer from 1 to 1000 (the CDF is then a polynomial)",
                show(q)
            ),
        )
    })
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

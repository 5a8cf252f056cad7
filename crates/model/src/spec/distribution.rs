//! Reading the `distribution` key: a CDF expression on a support, or a named family, into a
//! validated [`Distribution`].

use super::checks;
use super::join;
use super::load::Ctx;
use super::schema::RawDistribution;
use super::value::{Value, describe};
use crate::distribution::{Distribution, Family, UpperEnd};
use crate::error::{ErrorKind, SpecError};
use crate::expr::Expr;
use crate::parse::{parse, parse_in};
use num_rational::BigRational;

impl Ctx {
    pub(super) fn distribution(&self, raw: &RawDistribution) -> Result<Distribution, SpecError> {
        const P: &str = "distribution";
        let support = match &raw.support {
            None => None,
            Some(Value::Sequence(items)) if items.len() == 2 => Some((&items[0], &items[1])),
            Some(other) => {
                return Err(self.err(
                    ErrorKind::WrongType,
                    &join(P, "support"),
                    format!(
                        "the support must be a list [a, b] of two ends, found {}",
                        describe(other)
                    ),
                ));
            }
        };
        let end = |path: &str, v: &Value, which: &str| -> Result<Option<Expr>, SpecError> {
            let text = self.scalar(path, v, &format!("the {which} end of the support"))?;
            if text.trim() == "solve" {
                return Ok(None);
            }
            let e = parse_in(&text, "").map_err(|e| {
                self.expression_error(path, e, &format!("the {which} end of the support"))
            })?;
            Ok(Some(e))
        };
        let (lower_path, upper_path) = (format!("{P}.support[0]"), format!("{P}.support[1]"));
        let (lower, upper) = match support {
            Some((a, b)) => {
                let lower = end(&lower_path, a, "lower")?.ok_or_else(|| {
                    self.err(
                        ErrorKind::BadSupport,
                        &lower_path,
                        "only the upper end can be `solve`",
                    )
                })?;
                let upper = end(&upper_path, b, "upper")?;
                (
                    Some(lower),
                    Some(upper.map_or(UpperEnd::Solve, UpperEnd::Given)),
                )
            }
            None => (None, None),
        };

        if raw.weight.is_some() {
            return Err(self.err(
                ErrorKind::Conflict,
                &join(P, "weight"),
                "`weight` belongs to a component of a `mixture`",
            ));
        }
        if let Some(spec) = &raw.empirical {
            let support = match (lower, upper) {
                (Some(a), Some(UpperEnd::Given(b))) => Some((a, b)),
                (None, None) => None,
                _ => {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &upper_path,
                        "an empirical CDF is 1 at its upper end by construction: give b, not \
                         `solve`",
                    ));
                }
            };
            return self.empirical(raw, spec, support);
        }
        if let Some(pieces) = &raw.piecewise {
            let upper = self.given_upper(upper, &upper_path, "a piecewise CDF")?;
            let Some(lower) = lower else {
                return Err(self.err(
                    ErrorKind::MissingKey,
                    P,
                    "a piecewise CDF needs a `support: [a, b]`",
                ));
            };
            return self.piecewise(raw, pieces, lower, upper);
        }
        if let Some(components) = &raw.mixture {
            let upper = self.given_upper(upper, &upper_path, "a mixture's CDF")?;
            return self.mixture(
                raw,
                components,
                lower.unwrap_or_else(|| Expr::int(0)),
                upper,
            );
        }
        match (&raw.cdf, &raw.family) {
            (Some(_), Some(_)) => Err(self.err(
                ErrorKind::Conflict,
                &join(P, "family"),
                "give either `cdf` or `family`, not both",
            )),
            (None, None) => Err(self
                .err(
                    ErrorKind::MissingKey,
                    P,
                    "the distribution needs `cdf` or `family`",
                )
                .with_help(
                    "for example `cdf: \"x^2\"` with `support: [0, 1]`, or `family: uniform`",
                )),
            (Some(cdf_text), None) => {
                self.no_family_parameters(raw, P)?;
                let cdf = parse(cdf_text)
                    .map_err(|e| self.expression_error(&join(P, "cdf"), e, "the CDF"))?;
                let (Some(lower), Some(upper)) = (lower, upper) else {
                    return Err(self
                        .err(
                            ErrorKind::MissingKey,
                            P,
                            "a `cdf` needs a `support: [a, b]`",
                        )
                        .with_help("give b as a number, or as `solve` to find b with F(b) = 1"));
                };
                let renormalize = raw.renormalize.unwrap_or(false);
                checks::cdf_distribution(cdf, lower, upper, renormalize)
            }
            (None, Some(name)) => {
                let family = self.family(raw, name, P)?;
                if matches!(family, Family::TruncatedLognormal { .. })
                    && lower.as_ref().is_none_or(|a| a.eval_f64(0.0) <= 0.0)
                {
                    return Err(self
                        .err(
                            ErrorKind::BadSupport,
                            &lower_path,
                            "the lognormal lives on x > 0: its support must start above 0",
                        )
                        .with_help("give `support: [a, b]` with 0 < a < b"));
                }
                let lower = lower.unwrap_or_else(|| Expr::int(0));
                let upper = self.given_upper(upper, &upper_path, "a family's CDF")?;
                if raw.renormalize.is_some() {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &join(P, "renormalize"),
                        "a family's CDF is already 1 at its upper end: remove `renormalize`",
                    ));
                }
                checks::family_distribution(family, lower, upper)
            }
        }
    }

    /// The upper end of a support whose CDF (`what`) is 1 there by construction: `[0, 1]`'s when
    /// none is given; `solve` is refused at `path`.
    pub(super) fn given_upper(
        &self,
        upper: Option<UpperEnd>,
        path: &str,
        what: &str,
    ) -> Result<Expr, SpecError> {
        match upper {
            None => Ok(Expr::int(1)),
            Some(UpperEnd::Given(b)) => Ok(b),
            Some(UpperEnd::Solve) => Err(self.err(
                ErrorKind::Conflict,
                path,
                format!("{what} is 1 at its upper end by construction: give b, not `solve`"),
            )),
        }
    }

    /// Refuses family parameters in an entry (at `at`) that gives a `cdf`.
    pub(super) fn no_family_parameters(
        &self,
        raw: &RawDistribution,
        at: &str,
    ) -> Result<(), SpecError> {
        match raw.parameters().into_iter().find(|(_, v)| v.is_some()) {
            Some((key, _)) => Err(self.err(
                ErrorKind::Conflict,
                &join(at, key),
                format!("`{key}` is a family parameter; with `cdf` it has no meaning"),
            )),
            None => Ok(()),
        }
    }

    /// The named family of the entry `raw` written at `at` (`distribution`, or a mixture's
    /// component), its parameters read and checked at their keys.
    pub(super) fn family(
        &self,
        raw: &RawDistribution,
        name: &str,
        at: &str,
    ) -> Result<Family, SpecError> {
        let expect_only = |wanted: &[&str]| -> Result<(), SpecError> {
            for (key, v) in raw.parameters() {
                if v.is_some() && !wanted.contains(&key) {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &join(at, key),
                        format!("`{key}` is not a parameter of the {name} family"),
                    ));
                }
            }
            Ok(())
        };
        let required = |key: &str, v: &Option<Value>| -> Result<Value, SpecError> {
            v.clone().ok_or_else(|| {
                self.err(
                    ErrorKind::MissingKey,
                    at,
                    format!("the {name} family needs `{key}`"),
                )
            })
        };
        // A required exact number at `distribution.KEY`.
        let read =
            |key: &str, v: &Option<Value>| self.rational(&join(at, key), &required(key, v)?, key);
        match name {
            "uniform" => {
                expect_only(&[])?;
                Ok(Family::Uniform)
            }
            "power" => {
                expect_only(&["k"])?;
                let path = join(at, "k");
                let k = self.rational(&path, &required("k", &raw.k)?, "k")?;
                checks::power_exponent(&k, &path)?;
                Ok(Family::Power { k })
            }
            "beta" => {
                expect_only(&["shape"])?;
                let [(p, p_path), (q, q_path)] = self.shape_pair(&required("shape", &raw.shape)?, at)?;
                checks::positive_shape(&p, &p_path)?;
                checks::positive_shape(&q, &q_path)?;
                Ok(Family::Beta { p, q })
            }
            "kumaraswamy" => {
                expect_only(&["shape"])?;
                let [(alpha, a_path), (beta, b_path)] =
                    self.shape_pair(&required("shape", &raw.shape)?, at)?;
                checks::positive_shape(&alpha, &a_path)?;
                checks::positive_shape(&beta, &b_path)?;
                Ok(Family::Kumaraswamy { alpha, beta })
            }
            "truncated_normal" => {
                expect_only(&["mean", "sd"])?;
                let (mean, sd) = (read("mean", &raw.mean)?, read("sd", &raw.sd)?);
                checks::standard_deviation(&sd, &join(at, "sd"), "sd")?;
                Ok(Family::TruncatedNormal { mean, sd })
            }
            "truncated_lognormal" => {
                expect_only(&["mu", "sigma"])?;
                let (mu, sigma) = (read("mu", &raw.mu)?, read("sigma", &raw.sigma)?);
                checks::standard_deviation(&sigma, &join(at, "sigma"), "sigma")?;
                Ok(Family::TruncatedLognormal { mu, sigma })
            }
            "truncated_exponential" => {
                expect_only(&["lambda"])?;
                let path = join(at, "lambda");
                let lambda = self.rational(&path, &required("lambda", &raw.lambda)?, "lambda")?;
                checks::truncation_rate(&lambda, &path)?;
                Ok(Family::TruncatedExponential { lambda })
            }
            other => Err(self.err(
                ErrorKind::WrongType,
                &join(at, "family"),
                format!("unknown family `{other}`: the families are uniform, power, beta, truncated_exponential, truncated_normal, truncated_lognormal, kumaraswamy"),
            )),
        }
    }

    /// A family's `shape: [p, q]`: two exact numbers, each with its path.
    fn shape_pair(&self, shape: &Value, at: &str) -> Result<[(BigRational, String); 2], SpecError> {
        let path = join(at, "shape");
        let two = |found: String| {
            self.err(
                ErrorKind::WrongType,
                &path,
                format!("shape must be a list [p, q] of two numbers, found {found}"),
            )
        };
        let Value::Sequence(items) = shape else {
            return Err(two(describe(shape)));
        };
        let [p, q] = &items[..] else {
            return Err(two(format!("{} items", items.len())));
        };
        let read = |i: usize, v: &Value| -> Result<(BigRational, String), SpecError> {
            let ipath = format!("{path}[{i}]");
            Ok((self.rational(&ipath, v, "a shape parameter")?, ipath))
        };
        Ok([read(0, p)?, read(1, q)?])
    }
}

//! Reading a `mixture`: components written like distributions (a `family` with its parameters,
//! or a `cdf`), each with a positive exact `weight`, the weights summing to exactly 1, all on the
//! mixture's support. The mixture's CDF is `F = Σ_i w_i F_i`.

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::checks;
use super::join;
use super::load::Ctx;
use super::schema::RawDistribution;
use crate::distribution::{Distribution, UpperEnd};
use crate::error::{ErrorKind, SpecError};
use crate::expr::Expr;
use crate::parse::parse;

const P: &str = "distribution.mixture";

impl Ctx {
    /// The mixture `components` of the entry `raw` on `[lower, upper]`, validated.
    pub(super) fn mixture(
        &self,
        raw: &RawDistribution,
        components: &[RawDistribution],
        lower: Expr,
        upper: Expr,
    ) -> Result<Distribution, SpecError> {
        let conflict = |key: &str, message: String| {
            Err(self.err(ErrorKind::Conflict, &join("distribution", key), message))
        };
        if raw.cdf.is_some() || raw.family.is_some() {
            return conflict(
                "mixture",
                "give one of `mixture`, `cdf` and `family`".into(),
            );
        }
        if raw.renormalize.is_some() {
            return conflict(
                "renormalize",
                "a mixture of CDFs that are 1 at b is 1 at b: remove `renormalize`".into(),
            );
        }
        if let Some((key, _)) = raw.parameters().into_iter().find(|(_, v)| v.is_some()) {
            return conflict(
                key,
                format!("`{key}` is a parameter of a component: put it in the component"),
            );
        }
        if components.len() < 2 {
            return Err(self.err(
                ErrorKind::WrongType,
                P,
                format!(
                    "a mixture needs at least two components, found {}",
                    components.len()
                ),
            ));
        }
        let mut total = BigRational::zero();
        let mut cdf: Option<Expr> = None;
        for (i, c) in components.iter().enumerate() {
            let at = format!("{P}[{i}]");
            let (w, f) = self.component(c, &at, &lower, &upper)?;
            total += &w;
            let term = Expr::Num(w) * f;
            cdf = Some(match cdf {
                None => term,
                Some(sum) => sum + term,
            });
        }
        if !total.is_one() {
            return Err(self
                .err(
                    ErrorKind::BadParameter,
                    P,
                    format!("the weights sum to {}, not 1", Expr::Num(total.clone())),
                )
                .with_help("the weights are exact numbers: make them add up to 1"));
        }
        let cdf = cdf.unwrap_or_else(|| Expr::int(0));
        checks::cdf_distribution(cdf, lower, UpperEnd::Given(upper), false)
    }

    /// One component at `at`: its weight and its CDF on `[lower, upper]`.
    fn component(
        &self,
        c: &RawDistribution,
        at: &str,
        lower: &Expr,
        upper: &Expr,
    ) -> Result<(BigRational, Expr), SpecError> {
        for (key, present) in [
            ("support", c.support.is_some()),
            ("renormalize", c.renormalize.is_some()),
            ("mixture", c.mixture.is_some()),
        ] {
            if present {
                return Err(self.err(
                    ErrorKind::Conflict,
                    &join(at, key),
                    format!(
                        "a component takes the mixture's support: `{key}` belongs to the mixture"
                    ),
                ));
            }
        }
        for (key, present) in [
            ("piecewise", c.piecewise.is_some()),
            ("empirical", c.empirical.is_some()),
        ] {
            if present {
                return Err(self.err(
                    ErrorKind::Conflict,
                    &join(at, key),
                    format!("a mixture's component is a `family` or a `cdf`, not `{key}`"),
                ));
            }
        }
        let weight_path = join(at, "weight");
        let Some(w) = &c.weight else {
            return Err(self.err(
                ErrorKind::MissingKey,
                at,
                "a mixture component needs a `weight`",
            ));
        };
        let w = self.rational(&weight_path, w, "a weight")?;
        if !w.is_positive() {
            return Err(self.err(
                ErrorKind::BadParameter,
                &weight_path,
                format!("weight {} must be positive", Expr::Num(w)),
            ));
        }
        let f = match (&c.cdf, &c.family) {
            (Some(text), None) => {
                self.no_family_parameters(c, at)?;
                parse(text).map_err(|e| self.expression_error(&join(at, "cdf"), e, "the CDF"))?
            }
            (None, Some(name)) => self.family(c, name, at)?.cdf(lower, upper),
            (Some(_), Some(_)) => {
                return Err(self.err(
                    ErrorKind::Conflict,
                    &join(at, "family"),
                    "give either `cdf` or `family`, not both",
                ));
            }
            (None, None) => {
                return Err(self.err(
                    ErrorKind::MissingKey,
                    at,
                    "a mixture component needs `cdf` or `family`",
                ));
            }
        };
        Ok((w, f))
    }
}

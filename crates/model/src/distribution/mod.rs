//! Type distributions: a CDF `F` on a support `[a, b]` (the paper's lower and upper bar-v).
//!
//! A [`Distribution`] is built from a CDF expression (or a named [`Family`]) and a support whose
//! upper end is either given or found by solving `F(b) = 1`. Building one validates it:
//!
//! * the support is a non-empty interval `a < b` of finite numbers;
//! * `|F(a)| <= ENDPOINT_TOLERANCE` and `|F(b) - 1| <= ENDPOINT_TOLERANCE`, unless the user asked
//!   for `renormalize` (then `F` is divided by `F(b) > 0`) or for `solve`;
//! * `F` is non-decreasing on `[a, b]`, with no tolerance: exactly, by Sturm sequences over the
//!   rationals, when the density is a polynomial with rational coefficients and both ends are
//!   rational (zeros of any order accepted, every decrease refused with its stretch); otherwise
//!   by bisecting the support until the density `f = F'` is proved non-negative or negative on
//!   each piece, by enclosures in double precision and, where those cannot decide, with exact
//!   rational ends (`monotone`): a density touching zero (the sine market's at `3 pi / 2`) is
//!   accepted, a dip below zero is refused with its stretch however narrow (down to
//!   `2^-40 (b - a)`) or shallow (`exp`, `sin`, `cos` and `sqrt` are summed as series to about
//!   160 bits where doubles cannot decide: `-1e-17` is refused), and integrable singularities at
//!   an end are accepted when `F` is bounded there. What cannot be decided is reported with what was proved
//!   ([`DistributionError::Undecided`]), never accepted.
//!
//! The other checks are done in double precision with outward rounding (see
//! [`crate::interval`]), `F` at a rational end with rational ends where doubles fail there; the
//! numeric engine re-solves `F(b) = 1` at its own working precision.
//!
//! Its parts: `family` (named families and their CDFs), `support` (the ends of the support and
//! solving `F(b) = 1`), `monotone` (certifying `F` non-decreasing by intervals),
//! `rational_interval`, `fraction` and `series` (enclosures with exact rational ends), `polynomial` (the
//! exact certificate for polynomials) and `error` (what can be wrong, with its digits).

use std::ops::Div;

use crate::digits::certified_decimal;
use crate::expr::Expr;
use crate::interval::{Interval, IntervalExpr};

mod ends;
mod error;
mod family;
mod fraction;
mod monotone;
mod monotone_form;
#[cfg(test)]
mod monotone_tests;
mod pieces;
pub mod polynomial;
mod rational_interval;
mod series;
mod support;
#[cfg(test)]
mod tests;

pub use error::DistributionError;
pub use family::{Family, POLYNOMIAL_SHAPES};
pub use support::UpperEnd;

use monotone::check_non_decreasing;
use rational_interval::{RationalInterval, RationalIntervalExpr};
use support::{enclose_end, show, solve_upper_end};

/// Largest accepted `|F(a)|`, and `|F(b) - 1|` for a printed upper end.
pub const ENDPOINT_TOLERANCE: f64 = 1e-12;
/// Bisection of the support stops at subintervals of width `2^-MAX_BISECTION_DEPTH (b - a)`.
pub const MAX_BISECTION_DEPTH: u32 = 40;
/// Interval evaluations allowed when certifying monotonicity.
pub const MONOTONICITY_BUDGET: usize = 2_000_000;

/// A validated type distribution.
#[derive(Clone, Debug)]
pub struct Distribution {
    family: Option<Family>,
    cdf_as_written: Expr,
    lower: Expr,
    upper: UpperEnd,
    renormalize: bool,
    a: Interval,
    b: Interval,
    mass_at_b: Interval,
}

impl Distribution {
    /// Builds and validates a distribution (`family`, when given, is where `cdf` came from).
    pub(crate) fn new(
        family: Option<Family>,
        cdf: Expr,
        lower: Expr,
        upper: UpperEnd,
        renormalize: bool,
    ) -> Result<Distribution, DistributionError> {
        let a = enclose_end(&lower, "lower")?;
        let f = IntervalExpr::compile(&cdf);
        let sharp = RationalIntervalExpr::compile(&cdf);
        // F on an enclosure of an end; with rational ends when doubles fail there and the end is
        // a rational (`(x - 2)^0.5` at 2, where `x - 2` rounded outward dips below zero).
        let value_at = |x: Interval, end: Option<&Expr>| {
            f.eval(x).ok().or_else(|| {
                let q = end?.eval_rational(None)?;
                let v = sharp.eval(&RationalInterval::point((&q).into())).ok()?;
                v.is_bounded().then(|| v.outward())
            })
        };

        let given_b = match &upper {
            UpperEnd::Given(e) => Some(enclose_end(e, "upper")?),
            UpperEnd::Solve => None,
        };
        if let (Some(b), UpperEnd::Given(b_expr)) = (given_b, &upper) {
            let (sa, sb) = (lower.to_string(), b_expr.to_string());
            if b.hi < a.lo {
                return Err(DistributionError::InvertedSupport { a: sa, b: sb });
            }
            // Ends that are equal, or too close to be told apart in double precision.
            if b.lo <= a.hi {
                return Err(DistributionError::EmptySupport { a: sa, b: sb });
            }
        }
        let b_text = |b: Interval| match &upper {
            UpperEnd::Given(e) => e.to_string(),
            UpperEnd::Solve => show(b),
        };

        let f_a = value_at(a, Some(&lower)).ok_or_else(|| DistributionError::Undefined {
            density: cdf.to_string(),
            at: show(a),
            from: show(a),
            to: show(a),
        })?;
        if f_a.lo > ENDPOINT_TOLERANCE || f_a.hi < -ENDPOINT_TOLERANCE {
            return Err(DistributionError::LowerNotZero {
                value: certified_decimal(f_a.lo, f_a.hi, 10),
                a: lower.to_string(),
                tol: ENDPOINT_TOLERANCE,
            });
        }
        let b = match given_b {
            Some(b) => b,
            None => solve_upper_end(&f, a)?,
        };

        let upper_expr = match &upper {
            UpperEnd::Given(e) => Some(e),
            UpperEnd::Solve => None,
        };
        let mass_at_b = value_at(b, upper_expr).ok_or_else(|| DistributionError::Undefined {
            density: cdf.to_string(),
            at: b_text(b),
            from: b_text(b),
            to: b_text(b),
        })?;
        if renormalize {
            if mass_at_b.lo <= 0.0 {
                return Err(DistributionError::RenormalizeNonPositive {
                    value: certified_decimal(mass_at_b.lo, mass_at_b.hi, 10),
                    b: b_text(b),
                });
            }
        } else if matches!(upper, UpperEnd::Given(_))
            && (mass_at_b.lo > 1.0 + ENDPOINT_TOLERANCE || mass_at_b.hi < 1.0 - ENDPOINT_TOLERANCE)
        {
            let gap_lo = (mass_at_b.lo - 1.0).abs().min((mass_at_b.hi - 1.0).abs());
            let gap_hi = (mass_at_b.lo - 1.0).abs().max((mass_at_b.hi - 1.0).abs());
            return Err(DistributionError::UpperNotOne {
                value: certified_decimal(mass_at_b.lo, mass_at_b.hi, 12),
                b: b_text(b),
                gap: certified_decimal(gap_lo, gap_hi, 3),
                tol: ENDPOINT_TOLERANCE,
                solved: solve_upper_end(&f, a).ok().map(show),
            });
        }

        let density = cdf.derivative();
        let exact = exactly_non_decreasing(&density, &lower, &upper)
            .or_else(|| pieces::exactly_non_decreasing(&density, &lower, &upper));
        match exact {
            Some(result) => result?,
            None => check_non_decreasing(&cdf, &density, a.lo.min(a.hi), b.hi.max(b.lo))?,
        }

        Ok(Distribution {
            family,
            cdf_as_written: cdf,
            lower,
            upper,
            renormalize,
            a,
            b,
            mass_at_b,
        })
    }

    /// The CDF used by every computation: `F` as written, or `F(x) / F(b)` when renormalising
    /// (with `F(b)` kept as an exact expression so the numeric engine evaluates it at its own
    /// precision).
    pub fn cdf(&self) -> Expr {
        match (&self.upper, self.renormalize) {
            (UpperEnd::Given(b), true) => {
                let at_b = self.cdf_as_written.substitute(b);
                self.cdf_as_written.clone().div(at_b)
            }
            _ => self.cdf_as_written.clone(),
        }
    }

    /// The density `f = F'` of [`Distribution::cdf`], derived on the expression tree.
    pub fn density(&self) -> Expr {
        self.cdf().derivative()
    }

    /// The named family this CDF came from, if any.
    pub fn family(&self) -> Option<&Family> {
        self.family.as_ref()
    }

    /// `F` as written (a family's CDF expanded), before any renormalisation.
    pub fn cdf_as_written(&self) -> &Expr {
        &self.cdf_as_written
    }

    /// The lower end `a` of the support.
    pub fn lower(&self) -> &Expr {
        &self.lower
    }

    /// The upper end as given: a printed end, or `solve`.
    pub fn upper(&self) -> &UpperEnd {
        &self.upper
    }

    /// Whether `F` is divided by `F(b)`.
    pub fn renormalize(&self) -> bool {
        self.renormalize
    }

    /// A double-precision enclosure of `a`.
    pub fn a(&self) -> Interval {
        self.a
    }

    /// A double-precision enclosure of `b` (for `solve`, of the root of `F(b) = 1`).
    pub fn b(&self) -> Interval {
        self.b
    }

    /// A double-precision enclosure of `F(b)` for `F` as written.
    pub fn mass_at_b(&self) -> Interval {
        self.mass_at_b
    }

    /// Whether the upper end is the root of `F(b) = 1` rather than a printed number.
    pub fn upper_is_solved(&self) -> bool {
        matches!(self.upper, UpperEnd::Solve)
    }
}

/// The exact certificate of monotonicity ([`polynomial`]) when the density is a polynomial with
/// rational coefficients and both ends of the support are rational; `None` otherwise (the
/// interval certificate decides).
fn exactly_non_decreasing(
    density: &Expr,
    lower: &Expr,
    upper: &UpperEnd,
) -> Option<Result<(), DistributionError>> {
    let f = polynomial::rational_polynomial(density)?;
    let a = lower.eval_rational(None)?;
    let UpperEnd::Given(upper) = upper else {
        return None;
    };
    let b = upper.eval_rational(None)?;
    Some(match polynomial::non_negative(&f, &a, &b) {
        polynomial::Verdict::NonNegative => Ok(()),
        polynomial::Verdict::Negative {
            from,
            to,
            at,
            value,
        } => Err(DistributionError::Decreasing {
            from: from.to_string(),
            to: to.to_string(),
            density: density.to_string(),
            min: format!("{value:e}"),
            at: at.to_string(),
            more: String::new(),
        }),
    })
}

//! Why a CDF on a support is not a valid type distribution, with the digits that show it.

use super::MONOTONICITY_BUDGET;

/// Why a distribution is not a valid type distribution.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DistributionError {
    /// A support end is not a finite real number.
    #[error("the {which} end of the support, {value}, is not a finite number")]
    NonFiniteEnd {
        /// `lower` or `upper`.
        which: &'static str,
        /// The end as written.
        value: String,
    },
    /// `a == b`.
    #[error("the support [{a}, {b}] is empty: its ends are equal")]
    EmptySupport {
        /// Lower end.
        a: String,
        /// Upper end.
        b: String,
    },
    /// `a > b`.
    #[error("the support [{a}, {b}] is inverted: the lower end exceeds the upper end")]
    InvertedSupport {
        /// Lower end.
        a: String,
        /// Upper end.
        b: String,
    },
    /// `F(a)` is not 0.
    #[error("F(a) = {value} at a = {a}, but a CDF is 0 at the lower end (tolerance {tol:e})")]
    LowerNotZero {
        /// `F(a)`, certified digits.
        value: String,
        /// The lower end.
        a: String,
        /// The tolerance used.
        tol: f64,
    },
    /// `F(b)` is not 1 and neither `solve` nor `renormalize` was asked for.
    #[error(
        "F(b) = {value} at the printed upper end b = {b}, not 1 (|F(b) - 1| = {gap} exceeds the \
         tolerance {tol:e})"
    )]
    UpperNotOne {
        /// `F(b)`, certified digits.
        value: String,
        /// The upper end.
        b: String,
        /// `|F(b) - 1|`.
        gap: String,
        /// The tolerance used.
        tol: f64,
        /// `b` solved from `F(b) = 1`, when one exists, to suggest.
        solved: Option<String>,
    },
    /// `renormalize` asked to divide by `F(b) <= 0`.
    #[error("cannot renormalize: F(b) = {value} at b = {b} is not positive")]
    RenormalizeNonPositive {
        /// `F(b)`.
        value: String,
        /// The upper end.
        b: String,
    },
    /// `solve` found no `b` with `F(b) = 1`.
    #[error("solve: F(x) stays below 1 for every x in [a, {searched}] and no upper end was found")]
    NoUpperEnd {
        /// How far the search went.
        searched: String,
    },
    /// `F` or its density is undefined somewhere on the support.
    #[error("F or its density f = {density} is undefined near x = {at} (in [{from}, {to}])")]
    Undefined {
        /// The density expression.
        density: String,
        /// A point where evaluation failed.
        at: String,
        /// The stretch bisection narrowed it to.
        from: String,
        /// See `from`.
        to: String,
    },
    /// `F` decreases on a stretch.
    #[error(
        "F decreases on [{from}, {to}]: its density f(x) = {density} reaches {min} at x = {at}{more}"
    )]
    Decreasing {
        /// Start of the first stretch found.
        from: String,
        /// End of the first stretch found.
        to: String,
        /// The density expression.
        density: String,
        /// Least density value found there.
        min: String,
        /// Where.
        at: String,
        /// Note on further stretches.
        more: String,
    },
    /// The sign of the density could not be decided on a stretch (it is closer to zero than the
    /// certificate resolves, or its values overflow); `F` is certified non-decreasing elsewhere.
    #[error(
        "could not decide whether F decreases on [{from}, {to}]{more}: there the density \
         f(x) = {density} is only known to lie in [{lo}, {hi}]{why}; F is certified \
         non-decreasing on the rest of the support"
    )]
    Undecided {
        /// Start of the first undecided stretch.
        from: String,
        /// Its end.
        to: String,
        /// The density expression.
        density: String,
        /// A certified lower bound of the density on the stretch.
        lo: String,
        /// A certified upper bound.
        hi: String,
        /// Why it could not be decided, and what that leaves.
        why: String,
        /// Note on further stretches.
        more: String,
    },
    /// The monotonicity check ran out of budget.
    #[error(
        "could not certify that F is non-decreasing within {MONOTONICITY_BUDGET} interval \
         evaluations; the density f(x) = {density} may be negative near x = {near}"
    )]
    Uncertified {
        /// The density expression.
        density: String,
        /// Where the work concentrated.
        near: String,
    },
    /// A family parameter is out of range.
    #[error("{0}")]
    BadParameter(String),
}

//! Quadrature over MPFR floats.
//!
//! One module per method; each states its method, its error and its sources.
//!
//! * `gauss_legendre` ([`gauss_legendre()`]): `n`-point Gauss-Legendre rules at the working
//!   precision, cached per (degree, precision).
//! * `adaptive` ([`Quadrature::integrate_shared`]): bisection until the rule on a piece agrees
//!   with the rule on its halves; error: the sum of the differences (an estimate).
//! * `analytic` ([`Quadrature::integrate_analytic`]): one rule per piece for powers of an entire
//!   `F`; error: the Bernstein-ellipse bound with a sampled maximum (an estimate, margin 4).
//! * `tanh_sinh`: the double-exponential rule, where bisection stalls at an endpoint
//!   singularity; error: the difference of two levels (an estimate).
//! * `plan` ([`Piece`], [`Method`], [`Quadrature::replay_shared`]): the pieces a run accepted and
//!   how, replayed at another precision; error: the recorded run's.
//! * `shared` ([`Segment`], [`Components`], [`SharedEstimate`]): one vector integrand over
//!   several segments, one evaluation per node; the bound of a sum is the sum of the bounds.
//!
//! All integrators take a vector integrand over segments, each component to its own tolerance,
//! so that `∫F`, `∫F^N` and `∫F^(N-1)` cost one evaluation of `F` per node. The error they
//! report estimates the *truncation* error of the rules; rounding is not bounded but measured,
//! by running the same plan at a second working precision ([`crate::certified`]).

mod adaptive;
mod analytic;
mod gauss_legendre;
mod plan;
mod shared;
mod tanh_sinh;

use rug::Float;

use crate::NumericError;

pub use gauss_legendre::{Rule, gauss_legendre};
pub use plan::{Method, Piece};
pub(crate) use shared::single;
pub use shared::{Components, Segment, SharedEstimate, Table};

/// Bits of the working precision given up to rounding noise in a quadrature sum.
const NOISE_BITS: i32 = 12;

/// A result with a bound on its absolute error.
#[derive(Clone, Debug)]
pub struct Estimate {
    /// The value.
    pub value: Float,
    /// A bound on `|value - exact|` (an estimate: see the integrator that produced it).
    pub error: Float,
}

/// Settings of the adaptive integrator.
#[derive(Clone, Copy, Debug)]
pub struct Quadrature {
    /// Working precision in bits.
    pub prec: u32,
    /// The relative tolerance is `2^-tolerance_bits` (at most `prec`).
    pub tolerance_bits: u32,
    /// Gauss-Legendre degree per piece.
    pub degree: usize,
    /// Deepest bisection before a piece is handed to tanh-sinh.
    pub max_depth: u32,
    /// Most integrand evaluations allowed per integral.
    pub max_evaluations: usize,
    /// Bits of the working precision lost to rounding in one integrand value (12 for a plain
    /// evaluation; more for `F^m`, whose relative error is about `m 2^-prec`).
    pub noise_bits: i32,
}

impl Quadrature {
    /// Settings for `prec` bits, integrating to (nearly) the full working precision.
    pub fn new(prec: u32) -> Quadrature {
        Quadrature::with_tolerance(prec, prec)
    }

    /// Settings for `prec` bits of working precision and relative tolerance `2^-tolerance_bits`:
    /// the Gauss-Legendre degree grows with the tolerance.
    pub fn with_tolerance(prec: u32, tolerance_bits: u32) -> Quadrature {
        let tolerance_bits = tolerance_bits.min(prec);
        let degree = ((tolerance_bits as usize) / 4).clamp(16, 160);
        Quadrature {
            prec,
            tolerance_bits,
            degree,
            max_depth: 48,
            max_evaluations: 2_000_000,
            noise_bits: NOISE_BITS,
        }
    }

    /// `∫_lo^hi f`, with relative tolerance `2^-tolerance_bits` (and absolute
    /// `2^-tolerance_bits * scale`), adaptively (module `adaptive`): the error is an estimate from the
    /// agreement of the rule on each accepted piece with the rule on its halves.
    pub fn integrate<F>(
        &self,
        mut f: F,
        lo: &Float,
        hi: &Float,
        scale: &Float,
    ) -> Result<Estimate, NumericError>
    where
        F: FnMut(&Float) -> Float,
    {
        let (segments, components) = single(lo, hi, &[], scale);
        let mut est = self.integrate_shared(
            |x, _, out| out[0] = f(x),
            &segments,
            &components,
            &mut Vec::new(),
        )?;
        Ok(Estimate {
            value: est.value.swap_remove(0).swap_remove(0),
            error: est.error.swap_remove(0).swap_remove(0),
        })
    }
}

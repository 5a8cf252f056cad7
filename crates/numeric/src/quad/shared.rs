//! The vector integrand shared by several integrals: segments, components and the rule applied
//! to all active components at once.
//!
//! A shared integration integrates a vector integrand `g = (g_0, ..., g_{w-1})` over a list of
//! segments, each component only over the segments where it is *active*, on one subdivision, so
//! that each node costs one evaluation of `g`: for the engine's `(F, F^N, F^(N-1))`, one
//! evaluation of `F` and one chain of squarings per node instead of three evaluations.
//!
//! **Method.** On `[l, r]` the `n`-point Gauss-Legendre rule is
//! `Q[l, r](g_c) = h Σ_i w_i g_c(m + h x_i)` with `h = (r - l)/2`, `m = (r + l)/2`, every sum
//! at the working precision. Its error is bounded where it is used (the adaptive and the bounded
//! integrators); the arithmetic costs each component about `n` roundings of `2^-prec` relative to
//! `Σ |w_i g_c|`, which the second working precision of [`crate::certified`] measures.
//!
//! **Error of a sum.** [`SharedEstimate::sum`] adds the values of chosen segments and the error
//! bounds of those segments: the bound of a sum is the sum of the bounds.

use rug::{Assign, Float};

use super::gauss_legendre::Rule;
use super::{Estimate, Quadrature};

/// One range of a shared integration and which components of the integrand are integrated over
/// it. Components share every evaluation of the integrand at a node: `∫F`, `∫F^N` and
/// `∫F^(N-1)` cost one evaluation of `F` per node, not three.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Start.
    pub lo: Float,
    /// End.
    pub hi: Float,
    /// Which components are integrated over this range.
    pub active: Vec<bool>,
}

/// What a shared integration integrates: per component, the scale under which its value counts as
/// zero and the bits of working precision its values lose to rounding.
#[derive(Clone, Debug)]
pub struct Components {
    /// Absolute scale per component: the tolerance is relative to the larger of the value and
    /// this.
    pub scales: Vec<Float>,
    /// Extra bits of rounding noise per component, beyond the quadrature's own `noise_bits`
    /// (`log2 m` for `F^m`).
    pub noise: Vec<i32>,
    /// Bits of cancellation each component meets where it is used (`T1` is a difference of
    /// terms `N` times larger than itself): an a-priori bound is asked for this many bits beyond
    /// the tolerance. The adaptive test, whose accepted halves are far more accurate than its
    /// estimate, needs no such margin.
    pub cancellation: Vec<u32>,
}

/// One scalar integrand over `[lo, hi]` as a shared integration: one component, on one segment,
/// or on one per stretch between the `kinks` inside `(lo, hi)` (breakpoints of a piecewise
/// integrand, where no rule should straddle).
pub(crate) fn single(
    lo: &Float,
    hi: &Float,
    kinks: &[Float],
    scale: &Float,
) -> (Vec<Segment>, Components) {
    let points: Vec<&Float> = std::iter::once(lo)
        .chain(kinks.iter().filter(|k| *k > lo && *k < hi))
        .chain(std::iter::once(hi))
        .collect();
    let segments = points
        .windows(2)
        .map(|w| Segment {
            lo: w[0].clone(),
            hi: w[1].clone(),
            active: vec![true],
        })
        .collect();
    let components = Components {
        scales: vec![scale.clone()],
        noise: vec![0],
        cancellation: vec![0],
    };
    (segments, components)
}

/// Values per segment and component: `value[s][c]`, zero where inactive.
pub type Table = Vec<Vec<Float>>;

/// The result of a shared integration: per segment and component, the value and its error bound.
#[derive(Clone, Debug)]
pub struct SharedEstimate {
    /// `value[s][c]`.
    pub value: Table,
    /// `error[s][c]`.
    pub error: Table,
}

impl SharedEstimate {
    /// The estimate of component `c` summed over the segments `which` selects.
    pub fn sum(&self, c: usize, mut which: impl FnMut(usize) -> bool) -> Estimate {
        let prec = self
            .value
            .first()
            .and_then(|v| v.first())
            .map_or(64, Float::prec);
        let mut value = Float::new(prec);
        let mut error = Float::new(prec);
        for (s, (v, e)) in self.value.iter().zip(&self.error).enumerate() {
            if which(s) {
                value += &v[c];
                error += &e[c];
            }
        }
        Estimate { value, error }
    }
}

impl Quadrature {
    /// The rule on `[l, r]`, for every active component.
    pub(super) fn apply<F: FnMut(&Float, &[bool], &mut [Float])>(
        &self,
        rule: &Rule,
        f: &mut F,
        active: &[bool],
        l: &Float,
        r: &Float,
        scratch: &mut Scratch,
    ) -> Vec<Float> {
        let prec = self.prec;
        let half = Float::with_val(prec, r - l) / 2u32;
        let center = Float::with_val(prec, r + l) / 2u32;
        let width = scratch.values.len();
        let mut sums = vec![Float::new(prec); width];
        for (node, weight) in rule.nodes.iter().zip(&rule.weights) {
            scratch.x.assign(half.mul_add_ref(node, &center));
            f(&scratch.x, active, &mut scratch.values);
            for c in (0..width).filter(|&c| active[c]) {
                scratch.term.assign(&scratch.values[c] * weight);
                sums[c] += &scratch.term;
            }
        }
        for s in &mut sums {
            *s *= &half;
        }
        sums
    }
}

/// Reused storage for one integration: the node, the integrand's values there, a product.
pub(super) struct Scratch {
    x: Float,
    values: Vec<Float>,
    term: Float,
}

impl Scratch {
    pub(super) fn new(prec: u32, width: usize) -> Scratch {
        Scratch {
            x: Float::new(prec),
            values: vec![Float::new(prec); width],
            term: Float::new(prec),
        }
    }

    /// Component `c` of the integrand at `x`.
    pub(super) fn point<F: FnMut(&Float, &[bool], &mut [Float])>(
        &mut self,
        f: &mut F,
        active: &[bool],
        x: &Float,
        c: usize,
    ) -> Float {
        f(x, active, &mut self.values);
        self.values[c].clone()
    }
}

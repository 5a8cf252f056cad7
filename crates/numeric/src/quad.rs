//! Quadrature over MPFR floats.
//!
//! * **Gauss-Legendre** rules whose nodes and weights are computed at the working precision
//!   (Newton's method on the Legendre recurrence) and cached per (degree, precision).
//! * **Adaptive subdivision**: an interval is accepted when the rule on it agrees with the rule on
//!   its two halves to the tolerance; otherwise both halves are refined. The difference is a
//!   conservative estimate of the error of the accepted (halves) value, and the estimates are
//!   summed into the reported error bound.
//! * **Shared integrands**: a vector of integrands over several segments
//!   ([`Quadrature::integrate_shared`]), each component to its own tolerance, on one subdivision,
//!   so that `∫F`, `∫F^N` and `∫F^(N-1)` cost one evaluation of `F` per node.
//! * **tanh-sinh** (double-exponential) quadrature for pieces where subdivision stalls, which is
//!   where the integrand has an endpoint singularity (the density of `F(x) = sqrt(x)` at 0, say):
//!   its nodes cluster doubly exponentially at the ends, so such integrands converge quickly.
//!
//! References: Golub and Welsch (1969) for Gauss rules; Takahashi and Mori (1974) and Bailey,
//! Jeyabalan and Li (2005) for tanh-sinh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rug::float::Constant;
use rug::{Assign, Float};

use crate::NumericError;
use crate::envelope::Envelope;
use nalgebra::Complex;

/// Bisections toward an end of the interval after which the end piece goes to tanh-sinh (an
/// endpoint singularity makes bisection converge only geometrically there).
const ENDPOINT_DEPTH: u32 = 8;

/// Bits of the working precision given up to rounding noise in a quadrature sum.
const NOISE_BITS: i32 = 12;

/// A quadrature rule on `[-1, 1]`: nodes and weights.
#[derive(Debug)]
pub struct Rule {
    /// Nodes.
    pub nodes: Vec<Float>,
    /// Weights.
    pub weights: Vec<Float>,
}

type Cache = Mutex<HashMap<(usize, u32), Arc<Rule>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The `degree`-point Gauss-Legendre rule at `prec` bits (cached). A rule cached at a higher
/// precision is rounded rather than recomputed.
pub fn gauss_legendre(degree: usize, prec: u32) -> Arc<Rule> {
    let key = (degree, prec);
    let higher = {
        let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rule) = cache.get(&key) {
            return Arc::clone(rule);
        }
        cache
            .iter()
            .filter(|((d, p), _)| *d == degree && *p > prec)
            .min_by_key(|((_, p), _)| *p)
            .map(|(_, rule)| Arc::clone(rule))
    };
    let rule = Arc::new(match higher {
        Some(rule) => Rule {
            nodes: rule
                .nodes
                .iter()
                .map(|x| Float::with_val(prec, x))
                .collect(),
            weights: rule
                .weights
                .iter()
                .map(|w| Float::with_val(prec, w))
                .collect(),
        },
        None => compute_gauss_legendre(degree, prec),
    });
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::clone(&rule));
    rule
}

/// `n! P_n(x)` and `n! P_n'(x)` by the three-term recurrence, in place, on `Q_k = k! P_k`:
/// `Q_k = (2k - 1) x Q_{k-1} - (k - 1)^2 Q_{k-2}` needs no division per step. Newton's step
/// `P_n / P_n'` does not see the common factor `n!`; the weights divide it out once per rule.
fn legendre(n: usize, x: &Float, prec: u32) -> (Float, Float) {
    let mut q0 = Float::with_val(prec, 1);
    let mut q1 = Float::with_val(prec, x);
    let mut t = Float::new(prec);
    for k in 2..=n {
        t.assign(x * &q1);
        t *= (2 * k - 1) as u32;
        q0 *= ((k - 1) * (k - 1)) as u64;
        t -= &q0;
        std::mem::swap(&mut q0, &mut q1);
        std::mem::swap(&mut q1, &mut t);
    }
    // n! P_{n-1} = n Q_{n-1}; P_n'(x) = n (x P_n - P_{n-1}) / (x^2 - 1).
    q0 *= n as u32;
    let mut d = Float::with_val(prec, x * &q1);
    d -= &q0;
    d *= n as u32;
    let denom = Float::with_val(prec, x.clone().square() - 1u32);
    d /= denom;
    (q1, d)
}

/// `P_n(x)` and `P_n'(x)` in double precision.
fn legendre_f64(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let k = k as f64;
        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    (p1, n as f64 * (x * p1 - p0) / (x * x - 1.0))
}

fn compute_gauss_legendre(n: usize, prec: u32) -> Rule {
    let work = prec + 32;
    let half = n.div_ceil(2);
    let mut nodes = vec![Float::new(prec); n];
    let mut weights = vec![Float::new(prec); n];
    let eps = Float::with_val(work, Float::i_exp(1, -(work as i32) + 8));
    let factorial = Float::with_val(work, Float::factorial(n as u32));
    for i in 0..half {
        // Tricomi's guess cos(pi (i + 3/4) / (n + 1/2)), polished in double precision; then each
        // Newton step at the working precision doubles the correct bits.
        let mut guess = (std::f64::consts::PI * (4 * i + 3) as f64 / (4 * n + 2) as f64).cos();
        for _ in 0..8 {
            let (p, d) = legendre_f64(n, guess);
            guess -= p / d;
        }
        // Newton's method doubles the correct bits at each step, so each step works at twice the
        // previous one's precision (plus guard bits) until the full working precision.
        let mut correct = 40u32;
        let mut x = Float::with_val(work, guess);
        // P_n'(x) at the final node, carried over from the last step at the full precision.
        let mut derivative = None;
        for _ in 0..64 {
            let step_prec = (2 * correct + 32).min(work);
            let at = Float::with_val(step_prec, &x);
            let (p, d) = legendre(n, &at, step_prec);
            let dx = Float::with_val(step_prec, &p / &d);
            x -= &dx;
            correct = correct.saturating_mul(2);
            if step_prec == work && (dx.clone().abs() <= eps || correct >= work) {
                // P_n'(x - dx) = P_n'(x) - P_n''(x) dx + O(dx^2), with P_n'' from Legendre's
                // equation (1 - x^2) P'' = 2x P' - n(n+1) P: the step is at most 2^-(work/2)
                // relative, so its square is below the working precision and the recurrence
                // need not run again for the weight.
                let one_minus = Float::with_val(work, 1u32 - at.clone().square());
                let second = Float::with_val(
                    work,
                    Float::with_val(work, &at * &d) * 2u32
                        - Float::with_val(work, &p * (n * (n + 1)) as u32),
                ) / one_minus;
                derivative = Some(Float::with_val(
                    work,
                    &d - Float::with_val(work, second * &dx),
                ));
                break;
            }
        }
        let d = derivative.unwrap_or_else(|| legendre(n, &x, work).1) / &factorial;
        // w = 2 / ((1 - x^2) P_n'(x)^2)
        let one_minus = Float::with_val(work, 1u32 - x.clone().square());
        let w = Float::with_val(work, 2u32 / Float::with_val(work, one_minus * d.square()));
        nodes[i] = Float::with_val(prec, &x);
        weights[i] = Float::with_val(prec, &w);
        nodes[n - 1 - i] = Float::with_val(prec, -x);
        weights[n - 1 - i] = Float::with_val(prec, w);
    }
    Rule { nodes, weights }
}

/// A result with a bound on its absolute error.
#[derive(Clone, Debug)]
pub struct Estimate {
    /// The value.
    pub value: Float,
    /// A bound on `|value - exact|` (an estimate, from the agreement of two rules).
    pub error: Float,
}

/// A piece of an integration range accepted by the adaptive integrator, as fractions of its
/// segment: Gauss-Legendre on its two halves, or tanh-sinh to a tolerance per component.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The segment the piece belongs to (see [`Segment`]).
    pub segment: usize,
    /// Start, as a fraction of the segment.
    pub lo: Float,
    /// End, as a fraction of the segment.
    pub hi: Float,
    /// tanh-sinh to these absolute tolerances, one per component (`None`: Gauss-Legendre).
    pub tanh_sinh: Option<Vec<Float>>,
    /// Gauss-Legendre of this degree on the whole piece, its error bounded a priori
    /// ([`Quadrature::integrate_analytic`]); `None`: the rule on the piece's two halves.
    pub degree: Option<usize>,
}

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

/// One scalar integrand over `[lo, hi]` as a shared integration: one segment, one component.
pub(crate) fn single(lo: &Float, hi: &Float, scale: &Float) -> (Vec<Segment>, Components) {
    let segments = vec![Segment {
        lo: lo.clone(),
        hi: hi.clone(),
        active: vec![true],
    }];
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

/// A piece waiting to be refined: its segment, ends, the rule's values on it and its depth.
struct Pending {
    segment: usize,
    lo: Float,
    hi: Float,
    values: Vec<Float>,
    depth: u32,
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
    /// `2^-tolerance_bits * scale`).
    pub fn integrate<F>(
        &self,
        f: F,
        lo: &Float,
        hi: &Float,
        scale: &Float,
    ) -> Result<Estimate, NumericError>
    where
        F: FnMut(&Float) -> Float,
    {
        self.integrate_recording(f, lo, hi, scale, &mut Vec::new())
    }

    /// [`Quadrature::integrate`], recording the accepted pieces (as fractions of `[lo, hi]`) so
    /// that the same integral can be replayed at another working precision with
    /// [`Quadrature::replay`].
    pub fn integrate_recording<F>(
        &self,
        mut f: F,
        lo: &Float,
        hi: &Float,
        scale: &Float,
        pieces: &mut Vec<Piece>,
    ) -> Result<Estimate, NumericError>
    where
        F: FnMut(&Float) -> Float,
    {
        let (segments, components) = single(lo, hi, scale);
        let mut est =
            self.integrate_shared(|x, _, out| out[0] = f(x), &segments, &components, pieces)?;
        Ok(Estimate {
            value: est.value.swap_remove(0).swap_remove(0),
            error: est.error.swap_remove(0).swap_remove(0),
        })
    }

    /// The integrals of every component of a vector integrand over every segment, adaptively,
    /// recording the accepted pieces (for [`Quadrature::replay_shared`]).
    ///
    /// `f(x, active, out)` writes the active components of the integrand at `x` into `out`. Each
    /// component is integrated to relative tolerance `2^-tolerance_bits` of its total over the
    /// segments where it is active (or of its scale, when larger); a piece is accepted when the
    /// rule on it agrees with the rule on its halves for every active component, and the
    /// differences are the error bounds.
    pub fn integrate_shared<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        components: &Components,
        pieces: &mut Vec<Piece>,
    ) -> Result<SharedEstimate, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        let prec = self.prec;
        let width = components.scales.len();
        let zeros = || vec![Float::new(prec); width];
        let mut value: Table = segments.iter().map(|_| zeros()).collect();
        let mut error: Table = segments.iter().map(|_| zeros()).collect();
        let rule = gauss_legendre(self.degree, prec);
        let mut scratch = Scratch::new(prec, width);
        let mut evaluations = 0usize;
        // The rule on each whole segment: the stack of pieces to refine, and each component's
        // magnitude and total length, from which its tolerance per unit length follows.
        let mut stack = Vec::with_capacity(2 * segments.len());
        let mut magnitude = zeros();
        let mut length = zeros();
        for (s, seg) in segments.iter().enumerate() {
            if seg.lo == seg.hi {
                continue;
            }
            let whole = self.apply(&rule, &mut f, &seg.active, &seg.lo, &seg.hi, &mut scratch);
            evaluations += rule.nodes.len();
            let span = Float::with_val(prec, &seg.hi - &seg.lo);
            for c in (0..width).filter(|&c| seg.active[c]) {
                magnitude[c] += &whole[c];
                length[c] += &span;
            }
            stack.push(Pending {
                segment: s,
                lo: seg.lo.clone(),
                hi: seg.hi.clone(),
                values: whole,
                depth: 0,
            });
        }
        stack.reverse();
        let epsilon = Float::with_val(prec, Float::i_exp(1, -(self.tolerance_bits as i32)));
        // Tolerance per unit length of each component.
        let density: Vec<Float> = (0..width)
            .map(|c| {
                if length[c].is_zero() {
                    return Float::new(prec);
                }
                let m = Float::with_val(prec, magnitude[c].abs_ref()).max(&components.scales[c]);
                Float::with_val(prec, &m * &epsilon) / &length[c]
            })
            .collect();
        let floors: Vec<Float> = components
            .noise
            .iter()
            .map(|n| Float::with_val(prec, Float::i_exp(1, -(prec as i32) + self.noise_bits + n)))
            .collect();
        while let Some(Pending {
            segment: s,
            lo: l,
            hi: r,
            values,
            depth,
        }) = stack.pop()
        {
            let seg = &segments[s];
            let active = &seg.active;
            let mid = Float::with_val(prec, &l + &r) / 2u32;
            let left = self.apply(&rule, &mut f, active, &l, &mid, &mut scratch);
            let right = self.apply(&rule, &mut f, active, &mid, &r, &mut scratch);
            evaluations += 2 * rule.nodes.len();
            let span = Float::with_val(prec, &r - &l);
            let mut accepted = true;
            let mut diffs = zeros();
            let mut shares = zeros();
            for c in (0..width).filter(|&c| active[c]) {
                let halves = Float::with_val(prec, &left[c] + &right[c]);
                let diff = Float::with_val(prec, &halves - &values[c]).abs();
                if !diff.is_finite() || !halves.is_finite() {
                    return Err(NumericError::NotConverged {
                        what: format!(
                            "an integral (the integrand is not finite near {})",
                            mid.to_f64()
                        ),
                    });
                }
                // Rounding noise of the rule sets a floor under the tolerance: a few bits above
                // 2^-prec relative to the piece itself.
                let floor = Float::with_val(prec, &halves * &floors[c]).abs();
                let share = Float::with_val(prec, &density[c] * &span).max(&floor);
                accepted &= diff <= share;
                diffs[c] = diff;
                shares[c] = share;
            }
            let length = Float::with_val(prec, &seg.hi - &seg.lo);
            let fraction =
                |x: &Float| Float::with_val(prec, Float::with_val(prec, x - &seg.lo) / &length);
            if accepted {
                for c in (0..width).filter(|&c| active[c]) {
                    value[s][c] += &left[c];
                    value[s][c] += &right[c];
                    error[s][c] += &diffs[c];
                }
                pieces.push(Piece {
                    segment: s,
                    lo: fraction(&l),
                    hi: fraction(&r),
                    tanh_sinh: None,
                    degree: None,
                });
            } else if depth >= self.max_depth
                || (depth >= ENDPOINT_DEPTH && (l == seg.lo || r == seg.hi))
            {
                // Each component on its own, to its own tolerance.
                for c in (0..width).filter(|&c| active[c]) {
                    let piece = tanh_sinh(
                        &mut |x: &Float| scratch.point(&mut f, active, x, c),
                        &l,
                        &r,
                        &shares[c],
                        prec,
                        self.noise_bits + components.noise[c],
                        &mut evaluations,
                        self.max_evaluations,
                    )?;
                    value[s][c] += &piece.value;
                    error[s][c] += &piece.error;
                }
                pieces.push(Piece {
                    segment: s,
                    lo: fraction(&l),
                    hi: fraction(&r),
                    tanh_sinh: Some(shares),
                    degree: None,
                });
            } else {
                stack.push(Pending {
                    segment: s,
                    lo: mid.clone(),
                    hi: r,
                    values: right,
                    depth: depth + 1,
                });
                stack.push(Pending {
                    segment: s,
                    lo: l,
                    hi: mid,
                    values: left,
                    depth: depth + 1,
                });
            }
            if evaluations > self.max_evaluations {
                return Err(NumericError::NotConverged {
                    what: format!(
                        "an integral over [{}, {}] within {} evaluations",
                        seg.lo.to_f64(),
                        seg.hi.to_f64(),
                        self.max_evaluations
                    ),
                });
            }
        }
        Ok(SharedEstimate { value, error })
    }

    /// A shared integration ([`Quadrature::integrate_shared`]) of the powers `F^(m_c)` of an
    /// entire `F`, one Gauss-Legendre rule per piece with the a-priori bound of
    /// [`crate::envelope`] as its error: a piece is accepted when, for some ellipse parameter
    /// `rho`, every component's bound is within its share of the tolerance, and halved otherwise.
    /// `f` must return `F^(powers[c])` as component `c`. `Ok(None)` (nothing recorded) where the
    /// bound does not serve: a segment too narrow for double precision to place the ellipse, a
    /// maximum the samples do not resolve, `F` not finite, or too many halvings; the caller then
    /// integrates adaptively.
    pub fn integrate_analytic<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        components: &Components,
        powers: &[f64],
        envelope: &Envelope,
        pieces: &mut Vec<Piece>,
    ) -> Result<Option<SharedEstimate>, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        // Ellipse parameters tried, in increasing order.
        const RHOS: [f64; 9] = [1.1, 1.25, 1.5, 2.0, 3.0, 4.5, 7.0, 11.0, 16.0];
        const MAX_DEPTH: u32 = 30;
        const SAMPLES: usize = 64;
        let prec = self.prec;
        let width = powers.len();
        let d = self.degree;
        // Each component's magnitude (a midpoint sum in double precision) and total length.
        let mut magnitude = vec![0f64; width];
        let mut length = vec![0f64; width];
        for seg in segments {
            let (l, r) = (seg.lo.to_f64(), seg.hi.to_f64());
            if seg.lo == seg.hi {
                continue;
            }
            // The width from the working-precision ends: a layer near b can be narrower than
            // the spacing of doubles there.
            let span = Float::with_val(64, &seg.hi - &seg.lo).to_f64();
            let Some(view) = envelope.view(&seg.lo, &seg.hi) else {
                return Ok(None);
            };
            for k in 0..SAMPLES {
                let d = -1.0 + (2 * k + 1) as f64 / SAMPLES as f64;
                let v = envelope.log_abs(&view, l, r, Complex::new(d, 0.0));
                if v.is_nan() || v == f64::INFINITY {
                    return Ok(None);
                }
                for c in (0..width).filter(|&c| seg.active[c]) {
                    magnitude[c] += span / SAMPLES as f64 * (powers[c] * v).exp();
                }
            }
            for c in (0..width).filter(|&c| seg.active[c]) {
                length[c] += span;
            }
        }
        // ln of each component's tolerance per unit length. The bound is on the rule's truncation
        // error alone (rounding is what the second working precision certifies), so the full
        // tolerance is asked of it.
        let log_density: Vec<f64> = (0..width)
            .map(|c| {
                let m = magnitude[c].max(components.scales[c].to_f64());
                let bits = self.tolerance_bits + components.cancellation[c];
                m.ln() - f64::from(bits) * std::f64::consts::LN_2 - length[c].ln()
            })
            .collect();
        if log_density.iter().any(|x| x.is_nan()) {
            return Ok(None);
        }
        let rule = gauss_legendre(d, prec);
        let mut scratch = Scratch::new(prec, width);
        let zeros = || vec![Float::new(prec); width];
        let mut value: Table = segments.iter().map(|_| zeros()).collect();
        let mut error: Table = segments.iter().map(|_| zeros()).collect();
        let mut accepted = Vec::new();
        // Where the walk over rho starts: where the last accepted piece ended it (neighbouring
        // pieces want much the same ellipse).
        let mut start = RHOS.len() / 2;
        for (s, seg) in segments.iter().enumerate() {
            if seg.lo == seg.hi {
                continue;
            }
            let seg_length = Float::with_val(prec, &seg.hi - &seg.lo);
            let mut stack = vec![(seg.lo.clone(), seg.hi.clone(), 0u32)];
            while let Some((l, r, depth)) = stack.pop() {
                let (l64, r64) = (l.to_f64(), r.to_f64());
                let width_f = Float::with_val(64, &r - &l).to_f64();
                let half = width_f / 2.0;
                // The first parameter rho whose bounds fit (else the closest), and those bounds.
                // The bounds at one rho, and by how much (in ln) the worst exceeds its share;
                // None where the samples do not resolve the maximum or F is not finite.
                let Some(view) = envelope.view(&l, &r) else {
                    return Ok(None);
                };
                let at = |rho: f64| -> Option<(f64, Vec<f64>)> {
                    let (most, coarser) = envelope.log_max(&view, l64, r64, rho)?;
                    let active = (0..width).filter(|&c| seg.active[c]);
                    if active.clone().any(|c| powers[c] * (most - coarser) > 0.25) {
                        return None;
                    }
                    let common = (64.0f64 / 15.0 * 4.0).ln() + half.ln()
                        - 2.0 * d as f64 * rho.ln()
                        - (rho * rho - 1.0).ln();
                    let mut bounds = vec![f64::NEG_INFINITY; width];
                    let mut excess = f64::NEG_INFINITY;
                    for c in active {
                        bounds[c] = common + powers[c] * most;
                        excess = excess.max(bounds[c] - log_density[c] - width_f.ln());
                    }
                    Some((excess, bounds))
                };
                // The excess is unimodal in rho (a larger ellipse buys rho^(-2d) and costs M):
                // from where the last piece's walk ended, walk downhill until the bounds fit or it
                // rises.
                let mut i = start;
                let mut best = at(RHOS[i]);
                if best.as_ref().is_some_and(|(e, _)| *e > 0.0) {
                    let worse =
                        |x: &Option<(f64, Vec<f64>)>, y: &Option<(f64, Vec<f64>)>| match (x, y) {
                            (Some((a, _)), Some((b, _))) => a >= b,
                            (None, _) => true,
                            (_, None) => false,
                        };
                    let down = if i > 0 { at(RHOS[i - 1]) } else { None };
                    let step: isize = if worse(&down, &best) { 1 } else { -1 };
                    if step < 0 {
                        best = down;
                        i -= 1;
                    }
                    while best.as_ref().is_some_and(|(e, _)| *e > 0.0) {
                        let j = i as isize + step;
                        if j < 0 || j >= RHOS.len() as isize {
                            break;
                        }
                        let next = at(RHOS[j as usize]);
                        if worse(&next, &best) {
                            break;
                        }
                        best = next;
                        i = j as usize;
                    }
                }
                match best {
                    Some((excess, bounds)) if excess <= 0.0 => {
                        start = i;
                        let values = self.apply(&rule, &mut f, &seg.active, &l, &r, &mut scratch);
                        for c in (0..width).filter(|&c| seg.active[c]) {
                            value[s][c] += &values[c];
                            error[s][c] += Float::with_val(prec, bounds[c].exp());
                        }
                        let fraction = |x: &Float| {
                            Float::with_val(prec, Float::with_val(prec, x - &seg.lo) / &seg_length)
                        };
                        accepted.push(Piece {
                            segment: s,
                            lo: fraction(&l),
                            hi: fraction(&r),
                            tanh_sinh: None,
                            degree: Some(d),
                        });
                    }
                    _ if depth < MAX_DEPTH => {
                        let mid = Float::with_val(prec, &l + &r) / 2u32;
                        stack.push((mid.clone(), r, depth + 1));
                        stack.push((l, mid, depth + 1));
                    }
                    _ => return Ok(None),
                }
            }
        }
        pieces.extend(accepted);
        Ok(Some(SharedEstimate { value, error }))
    }

    /// Integrates `f` over `[lo, hi]` on the pieces a recorded run accepted (mapped onto this
    /// range): the same rule on the same subdivision, without the work of finding it. The error
    /// bound is the recorded run's; this run at another precision certifies the rounding.
    pub fn replay<F: FnMut(&Float) -> Float>(
        &self,
        mut f: F,
        lo: &Float,
        hi: &Float,
        pieces: &[Piece],
    ) -> Result<Float, NumericError> {
        let (segments, _) = single(lo, hi, &Float::new(self.prec));
        let mut table = self.replay_shared(|x, _, out| out[0] = f(x), &segments, &[0], pieces)?;
        Ok(table.swap_remove(0).swap_remove(0))
    }

    /// A shared integration ([`Quadrature::integrate_shared`]) on the pieces a recorded run
    /// accepted, mapped onto these segments: `value[s][c]`. `noise` is the recorded run's
    /// [`Components::noise`].
    pub fn replay_shared<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        noise: &[i32],
        pieces: &[Piece],
    ) -> Result<Table, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        let prec = self.prec;
        let width = noise.len();
        let rule = gauss_legendre(self.degree, prec);
        let mut table: Table = segments
            .iter()
            .map(|_| vec![Float::new(prec); width])
            .collect();
        let mut scratch = Scratch::new(prec, width);
        let mut count = 0usize;
        for piece in pieces {
            let seg = segments
                .get(piece.segment)
                .ok_or_else(|| NumericError::NotConverged {
                    what: "a replayed integral (its plan names a segment it does not have)".into(),
                })?;
            let active = &seg.active;
            let length = Float::with_val(prec, &seg.hi - &seg.lo);
            let at =
                |t: &Float| Float::with_val(prec, &seg.lo + Float::with_val(prec, &length * t));
            let (l, r) = (at(&piece.lo), at(&piece.hi));
            match &piece.tanh_sinh {
                Some(tolerances) => {
                    for c in (0..width).filter(|&c| active[c]) {
                        let est = tanh_sinh(
                            &mut |x: &Float| scratch.point(&mut f, active, x, c),
                            &l,
                            &r,
                            &tolerances[c],
                            prec,
                            self.noise_bits + noise[c],
                            &mut count,
                            self.max_evaluations,
                        )?;
                        table[piece.segment][c] += est.value;
                    }
                }
                None if piece.degree.is_some() => {
                    let rule = gauss_legendre(piece.degree.unwrap_or(self.degree), prec);
                    let whole = self.apply(&rule, &mut f, active, &l, &r, &mut scratch);
                    for c in (0..width).filter(|&c| active[c]) {
                        table[piece.segment][c] += &whole[c];
                    }
                }
                None => {
                    let mid = Float::with_val(prec, &l + &r) / 2u32;
                    for half in [
                        self.apply(&rule, &mut f, active, &l, &mid, &mut scratch),
                        self.apply(&rule, &mut f, active, &mid, &r, &mut scratch),
                    ] {
                        for c in (0..width).filter(|&c| active[c]) {
                            table[piece.segment][c] += &half[c];
                        }
                    }
                }
            }
        }
        Ok(table)
    }

    /// The rule on `[l, r]`, for every active component.
    fn apply<F: FnMut(&Float, &[bool], &mut [Float])>(
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
struct Scratch {
    x: Float,
    values: Vec<Float>,
    term: Float,
}

impl Scratch {
    fn new(prec: u32, width: usize) -> Scratch {
        Scratch {
            x: Float::new(prec),
            values: vec![Float::new(prec); width],
            term: Float::new(prec),
        }
    }

    /// Component `c` of the integrand at `x`.
    fn point<F: FnMut(&Float, &[bool], &mut [Float])>(
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

/// tanh-sinh quadrature of `f` on `[l, r]`: levels `h = 2^-k` until two successive levels agree
/// to `tol` (absolute).
#[allow(clippy::too_many_arguments)]
fn tanh_sinh<F: FnMut(&Float) -> Float>(
    f: &mut F,
    l: &Float,
    r: &Float,
    tol: &Float,
    prec: u32,
    noise_bits: i32,
    count: &mut usize,
    budget: usize,
) -> Result<Estimate, NumericError> {
    let work = prec + 16;
    let half = Float::with_val(work, r - l) / 2u32;
    let pi_2 = Float::with_val(work, Constant::Pi) / 2u32;
    // Terms are dropped once past the bulk (nodes within 2^-prec of an end) and negligible
    // against the tolerance; for integrands that do not decay (not integrable) nodes stop at
    // 2^-(64 prec) from the ends and the levels then fail to agree.
    let past_bulk = Float::with_val(work, Float::i_exp(1, -(prec as i32)));
    let last = Float::with_val(work, Float::i_exp(1, -64 * (prec as i32)));
    let negligible = Float::with_val(work, tol * Float::with_val(work, Float::i_exp(1, -16)));
    // Sum of w(t) f(x(t)) over t = j h for the nodes new at each level.
    let term = |t: &Float, f: &mut F, count: &mut usize| -> Option<Float> {
        // x = tanh(pi/2 sinh t); 1 - |x| = 2 / (exp(pi sinh |t|) + 1) computed without cancellation.
        let s = Float::with_val(work, t.clone().sinh() * &pi_2);
        let e = Float::with_val(work, Float::with_val(work, &s * 2u32).abs().exp());
        let complement = Float::with_val(work, 2u32 / Float::with_val(work, &e + 1u32));
        if complement < last {
            return None;
        }
        // w = pi/2 cosh t / cosh^2(s)
        let cosh_s = Float::with_val(work, s.clone().cosh());
        let w = Float::with_val(work, t.clone().cosh() * &pi_2) / cosh_s.square();
        // Measure from the nearer end, so that nodes next to it stay distinct from it.
        let offset = Float::with_val(work, &half * &complement);
        let x = if s.is_sign_negative() {
            Float::with_val(prec, l + &offset)
        } else {
            Float::with_val(prec, r - &offset)
        };
        *count += 1;
        let v = Float::with_val(work, f(&x) * &w);
        let contribution = Float::with_val(work, &v * &half).abs();
        if complement < past_bulk && contribution < negligible {
            return None;
        }
        Some(v)
    };
    let mut h = Float::with_val(work, 1u32);
    let mut sum = term(&Float::new(work), f, count).unwrap_or_else(|| Float::new(work));
    // Level 0: t = +-1, +-2, ...
    let mut k = 1u32;
    loop {
        let t = Float::with_val(work, k);
        let (a, b) = (
            term(&t, f, count),
            term(&Float::with_val(work, -&t), f, count),
        );
        match (a, b) {
            (None, None) => break,
            (a, b) => {
                for v in [a, b].into_iter().flatten() {
                    sum += v;
                }
            }
        }
        k += 1;
    }
    let mut previous = Float::with_val(work, &sum * &h) * &half;
    for _level in 1..20 {
        h /= 2u32;
        // New nodes: odd multiples of h.
        let mut j = 1u32;
        loop {
            let t = Float::with_val(work, &h * j);
            let (a, b) = (
                term(&t, f, count),
                term(&Float::with_val(work, -&t), f, count),
            );
            if a.is_none() && b.is_none() {
                break;
            }
            for v in [a, b].into_iter().flatten() {
                sum += v;
            }
            j += 2;
            if *count > budget {
                return Err(NumericError::NotConverged {
                    what: "a tanh-sinh quadrature within its budget".into(),
                });
            }
        }
        let current = Float::with_val(work, &sum * &h) * &half;
        let diff = Float::with_val(work, &current - &previous).abs();
        let floor = Float::with_val(
            work,
            &current * Float::with_val(work, Float::i_exp(1, -(prec as i32) + noise_bits)),
        )
        .abs();
        if diff <= *tol || diff <= floor {
            return Ok(Estimate {
                value: Float::with_val(prec, current),
                error: Float::with_val(prec, diff),
            });
        }
        previous = current;
    }
    Err(NumericError::NotConverged {
        what: format!("tanh-sinh quadrature on [{}, {}]", l.to_f64(), r.to_f64()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(prec: u32, v: f64) -> Float {
        Float::with_val(prec, v)
    }

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        let rule = gauss_legendre(10, 300);
        // ∫_{-1}^{1} x^18 dx = 2/19: degree 18 <= 2*10 - 1.
        let mut s = Float::new(300);
        for (x, w) in rule.nodes.iter().zip(&rule.weights) {
            s += Float::with_val(300, rug::ops::Pow::pow(x.clone(), 18u32) * w);
        }
        let exact = Float::with_val(300, 2u32) / 19u32;
        assert!(
            Float::with_val(300, &s - &exact).abs() < Float::with_val(64, Float::i_exp(1, -290))
        );
    }

    #[test]
    fn high_degree_rules_are_exact_to_the_working_precision() {
        // The weights use P_n' carried over from the last Newton step (Legendre's equation):
        // check them where it matters, a degree-89 rule at 402 bits.
        let (n, prec) = (89usize, 402u32);
        let rule = gauss_legendre(n, prec);
        for k in [0u32, 2, 40, 176] {
            let mut s = Float::new(prec);
            for (x, w) in rule.nodes.iter().zip(&rule.weights) {
                s += Float::with_val(prec, rug::ops::Pow::pow(x.clone(), k) * w);
            }
            // ∫_{-1}^{1} x^k = 2/(k+1), exact for k <= 2n - 1.
            let exact = Float::with_val(prec, 2u32) / (k + 1);
            let err = Float::with_val(prec, &s - &exact).abs();
            assert!(
                err < Float::with_val(64, Float::i_exp(1, -392)),
                "x^{k}: {err}"
            );
        }
    }

    #[test]
    fn smooth_integrals_to_100_digits() {
        let prec = 360;
        let q = Quadrature::new(prec);
        // ∫_0^{pi} sin = 2
        let pi = Float::with_val(prec, Constant::Pi);
        let r = q
            .integrate(|x| x.clone().sin(), &f(prec, 0.0), &pi, &f(prec, 1.0))
            .unwrap();
        let err = Float::with_val(prec, &r.value - 2u32).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -340)), "{err}");
        // ∫_0^1 exp(-1000 x) = (1 - e^-1000)/1000: a boundary layer.
        let r = q
            .integrate(
                |x| Float::with_val(prec, x * -1000i32).exp(),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1e-3),
            )
            .unwrap();
        let exact = Float::with_val(prec, 1u32 - Float::with_val(prec, -1000i32).exp()) / 1000u32;
        let rel = Float::with_val(prec, Float::with_val(prec, &r.value - &exact) / &exact).abs();
        assert!(rel < Float::with_val(64, Float::i_exp(1, -340)), "{rel}");
    }

    #[test]
    fn endpoint_singularities_go_to_tanh_sinh() {
        let prec = 200;
        let q = Quadrature::new(prec);
        // ∫_0^1 x^(-1/2) dx = 2 and ∫_0^1 sqrt(x) log(x) dx = -4/9.
        let r = q
            .integrate(
                |x| x.clone().sqrt().recip(),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1.0),
            )
            .unwrap();
        let err = Float::with_val(prec, &r.value - 2u32).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -180)), "{err}");
        let r = q
            .integrate(
                |x| Float::with_val(prec, x.clone().sqrt() * x.clone().ln()),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1.0),
            )
            .unwrap();
        let exact = Float::with_val(prec, -4i32) / 9u32;
        let err = Float::with_val(prec, &r.value - &exact).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -180)), "{err}");
    }

    #[test]
    fn a_divergent_integral_is_an_error() {
        let prec = 100;
        let q = Quadrature {
            max_evaluations: 200_000,
            ..Quadrature::new(prec)
        };
        let r = q.integrate(
            |x| x.clone().recip(),
            &f(prec, 0.0),
            &f(prec, 1.0),
            &f(prec, 1.0),
        );
        assert!(matches!(r, Err(NumericError::NotConverged { .. })), "{r:?}");
    }
}

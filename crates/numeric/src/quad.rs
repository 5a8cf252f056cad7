//! Quadrature over MPFR floats.
//!
//! * **Gauss-Legendre** rules whose nodes and weights are computed at the working precision
//!   (Newton's method on the Legendre recurrence) and cached per (degree, precision).
//! * **Adaptive subdivision**: an interval is accepted when the rule on it agrees with the rule on
//!   its two halves to the tolerance; otherwise both halves are refined. The difference is a
//!   conservative estimate of the error of the accepted (halves) value, and the estimates are
//!   summed into the reported error bound.
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

/// `P_n(x)` and `P_n'(x)` by the three-term recurrence, in place.
fn legendre(n: usize, x: &Float, prec: u32) -> (Float, Float) {
    let mut p0 = Float::with_val(prec, 1);
    let mut p1 = Float::with_val(prec, x);
    let mut t = Float::new(prec);
    for k in 2..=n {
        // k P_k = (2k - 1) x P_{k-1} - (k - 1) P_{k-2}
        t.assign(x * &p1);
        t *= (2 * k - 1) as u32;
        p0 *= (k - 1) as u32;
        t -= &p0;
        t /= k as u32;
        std::mem::swap(&mut p0, &mut p1);
        std::mem::swap(&mut p1, &mut t);
    }
    // P_n'(x) = n (x P_n - P_{n-1}) / (x^2 - 1)
    let mut d = Float::with_val(prec, x * &p1);
    d -= &p0;
    d *= n as u32;
    let denom = Float::with_val(prec, x.clone().square() - 1u32);
    d /= denom;
    (p1, d)
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
        for _ in 0..64 {
            let step_prec = (2 * correct + 32).min(work);
            let at = Float::with_val(step_prec, &x);
            let (p, d) = legendre(n, &at, step_prec);
            let dx = Float::with_val(step_prec, &p / &d);
            x -= &dx;
            correct = correct.saturating_mul(2);
            if step_prec == work && (dx.abs() <= eps || correct >= work) {
                break;
            }
        }
        let (_, d) = legendre(n, &x, work);
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

/// A piece of an integration range accepted by the adaptive integrator, as fractions of the
/// range: Gauss-Legendre on its two halves, or tanh-sinh to a tolerance.
#[derive(Clone, Debug)]
pub struct Piece {
    /// Start, as a fraction of the range.
    pub lo: Float,
    /// End, as a fraction of the range.
    pub hi: Float,
    /// tanh-sinh to this absolute tolerance.
    pub tanh_sinh: Option<Float>,
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
        let prec = self.prec;
        if lo == hi {
            return Ok(Estimate {
                value: Float::new(prec),
                error: Float::new(prec),
            });
        }
        let rule = gauss_legendre(self.degree, prec);
        let mut evaluations = 0usize;
        let whole = self.apply(&rule, &mut f, lo, hi, &mut evaluations);
        let magnitude = Float::with_val(prec, whole.clone().abs().max(&scale.clone().abs()));
        let tol = Float::with_val(
            prec,
            &magnitude * Float::with_val(prec, Float::i_exp(1, -(self.tolerance_bits as i32))),
        );
        let length = Float::with_val(prec, hi - lo);
        let mut total = Float::new(prec);
        let mut error = Float::new(prec);
        // Pieces to refine: (lo, hi, value of the rule on the piece, depth).
        let mut stack = vec![(lo.clone(), hi.clone(), whole, 0u32)];
        while let Some((l, r, value, depth)) = stack.pop() {
            let mid = Float::with_val(prec, &l + &r) / 2u32;
            let left = self.apply(&rule, &mut f, &l, &mid, &mut evaluations);
            let right = self.apply(&rule, &mut f, &mid, &r, &mut evaluations);
            let halves = Float::with_val(prec, &left + &right);
            let diff = Float::with_val(prec, &halves - &value).abs();
            let width = Float::with_val(prec, &r - &l);
            let share = Float::with_val(prec, &tol * &width) / &length;
            if !diff.is_finite() || !halves.is_finite() {
                return Err(NumericError::NotConverged {
                    what: format!(
                        "an integral (the integrand is not finite near {})",
                        mid.to_f64()
                    ),
                });
            }
            // Rounding noise of the rule sets a floor under the tolerance: a few bits above 2^-prec
            // relative to the piece itself.
            let floor = Float::with_val(
                prec,
                &halves * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + self.noise_bits)),
            )
            .abs();
            let share = share.max(&floor);
            let fraction =
                |x: &Float| Float::with_val(prec, Float::with_val(prec, x - lo) / &length);
            if diff <= share {
                total += &halves;
                error += &diff;
                pieces.push(Piece {
                    lo: fraction(&l),
                    hi: fraction(&r),
                    tanh_sinh: None,
                });
            } else if depth >= self.max_depth || (depth >= ENDPOINT_DEPTH && (l == *lo || r == *hi))
            {
                let piece = tanh_sinh(
                    &mut f,
                    &l,
                    &r,
                    &share,
                    prec,
                    self.noise_bits,
                    &mut evaluations,
                    self.max_evaluations,
                )?;
                pieces.push(Piece {
                    lo: fraction(&l),
                    hi: fraction(&r),
                    tanh_sinh: Some(share.clone()),
                });
                total += &piece.value;
                error += &piece.error;
            } else {
                stack.push((mid.clone(), r, right, depth + 1));
                stack.push((l, mid, left, depth + 1));
            }
            if evaluations > self.max_evaluations {
                return Err(NumericError::NotConverged {
                    what: format!(
                        "an integral over [{}, {}] within {} evaluations",
                        lo.to_f64(),
                        hi.to_f64(),
                        self.max_evaluations
                    ),
                });
            }
        }
        Ok(Estimate {
            value: total,
            error,
        })
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
        let prec = self.prec;
        let rule = gauss_legendre(self.degree, prec);
        let length = Float::with_val(prec, hi - lo);
        let at = |t: &Float| Float::with_val(prec, lo + Float::with_val(prec, &length * t));
        let mut total = Float::new(prec);
        let mut count = 0usize;
        for piece in pieces {
            let (l, r) = (at(&piece.lo), at(&piece.hi));
            match &piece.tanh_sinh {
                Some(tol) => {
                    let est = tanh_sinh(
                        &mut f,
                        &l,
                        &r,
                        tol,
                        prec,
                        self.noise_bits,
                        &mut count,
                        self.max_evaluations,
                    )?;
                    total += est.value;
                }
                None => {
                    let mid = Float::with_val(prec, &l + &r) / 2u32;
                    total += self.apply(&rule, &mut f, &l, &mid, &mut count);
                    total += self.apply(&rule, &mut f, &mid, &r, &mut count);
                }
            }
        }
        Ok(total)
    }

    fn apply<F: FnMut(&Float) -> Float>(
        &self,
        rule: &Rule,
        f: &mut F,
        l: &Float,
        r: &Float,
        count: &mut usize,
    ) -> Float {
        let prec = self.prec;
        let half = Float::with_val(prec, r - l) / 2u32;
        let center = Float::with_val(prec, r + l) / 2u32;
        let mut sum = Float::new(prec);
        let mut x = Float::new(prec);
        for (node, weight) in rule.nodes.iter().zip(&rule.weights) {
            x.assign(half.mul_add_ref(node, &center));
            let v = f(&x);
            sum += Float::with_val(prec, &v * weight);
        }
        *count += rule.nodes.len();
        sum * half
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

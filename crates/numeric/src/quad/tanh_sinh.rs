//! tanh-sinh (double-exponential) quadrature on one interval.
//!
//! **Method.** The substitution `x = tanh((pi/2) sinh t)` maps `(-1, 1)` onto the real line with
//! weight `w(t) = (pi/2) cosh t / cosh^2((pi/2) sinh t)`, which decays doubly exponentially; the
//! trapezoidal rule with step `h` on the transformed integrand converges exponentially in `1/h`
//! even when the integrand has integrable singularities at the ends (the density of
//! `F(x) = sqrt(x)` at 0), because the nodes cluster doubly exponentially there. Levels
//! `h = 1, 1/2, 1/4, ...` (at most 20) reuse every earlier node; `1 - |x|` is computed as
//! `2 / (exp(pi |sinh t|) + 1)` without cancellation, and each node is measured from its nearer
//! end so that it stays distinct from that end. The sum is truncated where nodes come within
//! `2^-prec` of an end and a term falls below `2^-16` of the tolerance; nodes never come closer
//! than `2^-(64 prec)`, so an integrand that is not integrable fails to converge rather than
//! overflow.
//!
//! **Error.** Two successive levels that agree to the absolute tolerance `tol` (or to the
//! rounding floor `2^(noise_bits - prec)` relative to the value) stop the iteration; their
//! difference is reported as the error. It is an estimate, not a rigorous bound: once the
//! iteration is in its region of exponential convergence each level roughly doubles the correct
//! digits, so the difference of two levels bounds the error of the finer one with a wide margin.
//! More than `budget` evaluations or 20 levels is [`NumericError::NotConverged`].
//!
//! Sources: H. Takahashi and M. Mori, "Double exponential formulas for numerical integration",
//! Publ. RIMS 9 (1974); D. H. Bailey, K. Jeyabalan and X. S. Li, "A comparison of three
//! high-precision quadrature schemes", Experimental Mathematics 14 (2005).

use rug::Float;
use rug::float::Constant;

use super::Estimate;
use crate::NumericError;

/// tanh-sinh quadrature of `f` on `[l, r]`: levels `h = 2^-k` until two successive levels agree
/// to `tol` (absolute).
#[allow(clippy::too_many_arguments)]
pub(super) fn tanh_sinh<F: FnMut(&Float) -> Float>(
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

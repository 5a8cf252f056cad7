//! `F^-1` at the working precision.
//!
//! **Method.** Bracketed Newton's method on `g(x) = F(x) - u` in `[a, b]`, from a start found by
//! bisection in double precision; near the top `g` is evaluated as `(F(x) - 1) + tail` so that a
//! target `u = 1 - tail` within `2^-prec` of 1 keeps its digits. Where the density vanishes or a
//! Newton step leaves the bracket, the bracket is split: at its midpoint, or, when its distances
//! to the nearer end of the support differ by more than a factor 16, at the geometric mean of
//! those distances from that end, so that targets within `1e-30` of `b` take few steps.
//!
//! **Accuracy.** The iteration stops when the bracket or the Newton step is below
//! `2^(2 - prec) (b - a)`, or when `|F(x) - u|` has stayed below `2^(8 - prec)` for three
//! evaluations (the rounding floor of `F`). The root is then as accurate as `F` rounded to `prec`
//! bits allows: about `2^-prec / f(x)` absolute where `f(x) > 0` (where `f` vanishes to order
//! `k`, about the `(k+1)`-th root of `2^-prec`, as the tests of flat tops show). The second
//! working precision of [`crate::certified`] measures what is lost.
//!
//! Source: safeguarded Newton iteration, as `rtsafe` in W. H. Press et al., *Numerical Recipes*,
//! 3rd ed. (2007), Section 9.4.

use rug::Float;

use super::Engine;
use crate::NumericError;
use crate::support::bracketed_newton;

impl Engine {
    /// `F^{-1}(u)` for `u = 1 - tail` (the tail is passed separately so that `u` within `2^-prec`
    /// of 1 keeps its digits). Bracketed Newton's method; where the density vanishes or Newton
    /// leaves the bracket, bisection (geometric in the distance to the nearer end when the bracket
    /// spans orders of magnitude, so targets within `1e-30` of `b` take few steps).
    pub fn inverse(&mut self, tail: &Float) -> Result<Float, NumericError> {
        let prec = self.prec;
        if *tail < 0u32 || *tail > 1u32 {
            return Err(NumericError::NoBracket {
                what: format!("F^-1(u) for u = 1 - {}", tail.to_f64()),
                lo: self.a.to_f64(),
                hi: self.b.to_f64(),
            });
        }
        if tail.is_zero() {
            return Ok(self.b.clone());
        }
        if *tail == 1u32 {
            return Ok(self.a.clone());
        }
        let near_top = *tail < 0.5f64;
        // g(x) = F(x) - u, as (F(x) - 1) + tail near the top.
        let u = Float::with_val(prec, 1u32 - tail);
        let g = |e: &mut Engine, x: &Float| -> Float {
            let fx = e.cdf(x);
            if near_top {
                Float::with_val(prec, Float::with_val(prec, fx - 1u32) + tail)
            } else {
                Float::with_val(prec, fx - &u)
            }
        };
        let (lo, hi) = (self.a.clone(), self.b.clone());
        let width = Float::with_val(prec, &hi - &lo);
        let tol = Float::with_val(
            prec,
            &width * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 2)),
        );
        let start = self
            .start_f64(tail)
            .unwrap_or_else(|| if near_top { hi.clone() } else { lo.clone() });
        let (a, b) = (self.a.clone(), self.b.clone());
        bracketed_newton(
            |x| (g(self, x), self.density(x)),
            (lo, hi),
            start,
            &tol,
            |lo, hi| split(&a, &b, lo, hi, near_top),
            "the inverse CDF",
        )
    }

    /// `F^-1(u)` for a small target `0 < u < 1/2` given as itself, where its tail `1 - u` would
    /// round it away (`u = 2^-141` is 0 as `1 - tail` at 120 bits): bracketed Newton's method on
    /// the relative residual `F(x)/u - 1`, so that the iteration's rounding floor is relative to
    /// `u`, from a start by bisection in double precision when doubles hold `u`.
    pub fn inverse_lower(&mut self, u: &Float) -> Result<Float, NumericError> {
        let prec = self.prec;
        if !u.is_sign_positive() || u.is_zero() || *u >= 0.5f64 {
            return Err(NumericError::NoBracket {
                what: format!("F^-1(u) for a small u = {}", u.to_f64()),
                lo: self.a.to_f64(),
                hi: self.b.to_f64(),
            });
        }
        let (lo, hi) = (self.a.clone(), self.b.clone());
        let width = Float::with_val(prec, &hi - &lo);
        let tol = Float::with_val(
            prec,
            &width * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 2)),
        );
        let small = u.to_f64();
        let start = (small.is_normal())
            .then(|| self.bisect_f64(small))
            .flatten()
            .unwrap_or_else(|| lo.clone());
        let (a, b) = (self.a.clone(), self.b.clone());
        bracketed_newton(
            |x| {
                let ratio = Float::with_val(prec, self.cdf(x) / u);
                let slope = Float::with_val(prec, self.density(x) / u);
                (Float::with_val(prec, ratio - 1u32), slope)
            },
            (lo, hi),
            start,
            &tol,
            |lo, hi| split(&a, &b, lo, hi, false),
            "the inverse CDF",
        )
    }

    /// `F^-1(1 - tail)` in double precision by bisection, as Newton's starting point: `None` when
    /// doubles cannot resolve `1 - tail` or `F` is not finite there.
    fn start_f64(&self, tail: &Float) -> Option<Float> {
        let t = tail.to_f64();
        if !(1e-12..=1.0 - 1e-12).contains(&t) {
            return None;
        }
        self.bisect_f64(1.0 - t)
    }

    /// `F^-1(u)` in double precision by bisection: `None` where `F` is not finite.
    fn bisect_f64(&self, u: f64) -> Option<Float> {
        let (mut lo, mut hi) = (self.a.to_f64(), self.b.to_f64());
        for _ in 0..64 {
            let mid = 0.5 * (lo + hi);
            let v = self.cdf_double.real(mid);
            if !v.is_finite() {
                return None;
            }
            if v < u {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(Float::with_val(self.prec, 0.5 * (lo + hi)))
    }
}

/// A point inside `(lo, hi)`, within the support `[a, b]`: the midpoint, or, when the target is
/// near one end and the bracket's distances to that end differ by orders of magnitude, the end
/// moved by the geometric mean of those distances.
fn split(a: &Float, b: &Float, lo: &Float, hi: &Float, near_top: bool) -> Float {
    let prec = lo.prec();
    let (end, far, near) = if near_top {
        (
            b,
            Float::with_val(prec, b - lo),
            Float::with_val(prec, b - hi),
        )
    } else {
        (
            a,
            Float::with_val(prec, hi - a),
            Float::with_val(prec, lo - a),
        )
    };
    if near.is_sign_positive() && !near.is_zero() && far > Float::with_val(prec, &near * 16u32) {
        let d = Float::with_val(prec, &far * &near).sqrt();
        if near_top {
            Float::with_val(prec, end - d)
        } else {
            Float::with_val(prec, end + d)
        }
    } else {
        Float::with_val(prec, lo + hi) / 2u32
    }
}

#[cfg(test)]
mod tests {
    use efftrade_model::BigRational;
    use rug::ops::Pow;

    use crate::program::to_rug;
    use crate::testing::engine;

    use super::*;

    #[test]
    fn small_targets_keep_their_digits_when_taken_as_themselves() {
        // F = x^1000000 and u = 2^-141, which 1 - tail rounds to 0 at 120 bits: F^-1(u) =
        // exp(ln(u) / 10^6), and the relative residual keeps the root to the working precision
        // (less the condition number 10^6 of F, about 20 bits).
        let prec = 120;
        let mut e = engine("x^1000000", "[0, 1]", prec);
        let u = Float::with_val(prec, Float::i_exp(1, -141));
        assert_eq!(
            Float::with_val(prec, 1u32 - Float::with_val(prec, 1u32 - &u)),
            0u32
        );
        let x = e.inverse_lower(&u).unwrap();
        let exact = Float::with_val(400, Float::with_val(400, &u).ln() / 1_000_000u32).exp();
        let err = Float::with_val(400, &x - &exact).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -110)), "{err}");
        // Targets at 1/2 and above are refused: they belong to `inverse`.
        assert!(e.inverse_lower(&Float::with_val(prec, 0.5)).is_err());
    }

    #[test]
    fn inverse_of_the_uniform_and_of_a_flat_top() {
        let prec = 300;
        let mut e = engine("x", "[0, 1]", prec);
        let tail = Float::with_val(prec, Float::parse("1e-40").unwrap());
        let x = e.inverse(&tail).unwrap();
        let expected = Float::with_val(prec, 1u32 - &tail);
        assert!(
            Float::with_val(prec, &x - &expected).abs()
                < Float::with_val(64, Float::i_exp(1, -290))
        );
        // 1 - F = (1 - x)^3: the density vanishes at b, and F^-1(1 - 1e-45) = 1 - 1e-15.
        let mut e = engine("1 - (1 - x)^3", "[0, 1]", prec);
        let tail = Float::with_val(prec, Float::parse("1e-45").unwrap());
        let x = e.inverse(&tail).unwrap();
        let d = Float::with_val(prec, 1u32 - &x);
        let target = Float::with_val(prec, Float::parse("1e-15").unwrap());
        let rel = Float::with_val(prec, Float::with_val(prec, d - &target) / &target).abs();
        // F rounded to 300 bits near 1 - 1e-45 knows (1 - x)^3 to 2^-300 / 1e-45, about 2^-150
        // relative: the cancellation the engine's precision policy pays for with extra bits.
        assert!(rel < Float::with_val(64, Float::i_exp(1, -145)), "{rel}");
    }

    #[test]
    fn the_sine_density_vanishing_at_three_pi_over_two_is_no_obstacle() {
        let prec = 200;
        let mut e = engine("0.1*x + 0.1*(1 - cos(x))", "[0, solve]", prec);
        // u = F(3 pi / 2), where f = 0.
        let x0 = Float::with_val(prec, rug::float::Constant::Pi) * 3u32 / 2u32;
        let u = e.cdf(&x0);
        let x = e.inverse(&Float::with_val(prec, 1u32 - u)).unwrap();
        // f vanishes there to second order, so F - u is cubic in x - x0 and F^-1 is good to about
        // a third of the bits.
        assert!(
            Float::with_val(prec, &x - &x0).abs() < Float::with_val(64, Float::i_exp(1, -60)),
            "{x}"
        );
    }

    #[test]
    fn the_inverse_of_a_flat_top_converges_where_rounding_hides_the_root() {
        // F = 1 - (1 - x)^3 and u = 1 - tail with tail about 2e-24: the root 1 - 1.26e-8 is known
        // only to 2^-prec / f ~ 1e-73, far coarser than the bracket's 2^-prec tolerance, so the
        // iteration stops on the noise in F (this share once exhausted it at 292 bits).
        let prec = 292;
        let mut e = engine("1 - (1 - x)^3", "[0, 1]", prec);
        let n: u128 = 30_000_000_000_000_000_000_000_000;
        let share: BigRational = "1/20000000000000000000000000".parse().unwrap();
        let v = crate::quantities::critical_type(&mut e, &share, n).unwrap();
        let exponent = Float::with_val(prec, Float::with_val(prec, to_rug(&share)).ln())
            / Float::with_val(prec, n - 1);
        let tail = Float::with_val(prec, -exponent.exp_m1());
        let cube = Float::with_val(prec, Float::with_val(prec, 1u32 - &v).pow(3u32));
        let rel = Float::with_val(prec, Float::with_val(prec, cube - &tail) / &tail).abs();
        assert!(rel < Float::with_val(64, Float::i_exp(1, -200)), "{rel}");
    }
}

//! The support `[a, b]` at working precision, including `b` solved from `F(b) = 1`.
//!
//! **Method.** A printed end is rounded once to the working precision. A solved end
//! (`support: [a, solve]`) is the root of `F(b) - 1` by Newton's method safeguarded by bisection
//! (`bracketed_newton`, as `rtsafe` in W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007),
//! Section 9.4), inside the double-precision bracket that validation certified, widened by a few
//! units in the last place.
//!
//! **Accuracy.** The iteration stops when a step or the bracket is within `2^(2 - prec) |b|`, or
//! when `|F(x) - 1|` has stayed below `2^(8 - prec)` for three evaluations (the rounding floor of
//! `F`); then `x` is within about `2^-prec / f(b)` of the root. [`certified_upper_end`] does not
//! rely on that estimate: it solves at two precisions and reports only the digits on which they
//! agree ([`crate::certified`]).

use efftrade_model::summary::summary;
use efftrade_model::{Distribution, Spec, UpperEnd};
use rug::Float;
use rug::float::Round;

use crate::NumericError;
use crate::certified::{Certified, MAX_DIGITS, bits_for_digits};
use crate::program::Program;

/// The upper end `b` at `prec` bits: the printed end rounded to `prec` bits, or the root of
/// `F(b) = 1` found by Newton's method safeguarded by bisection inside the bracket that
/// validation certified, to within `2^(2 - prec) |b|` or the rounding floor of `F` (see the
/// module documentation). [`NumericError::NoBracket`] when `F - 1` does not change sign on the
/// bracket at this precision, [`NumericError::NotConverged`] when `F` is not finite in it.
pub fn upper_end(dist: &Distribution, prec: u32) -> Result<Float, NumericError> {
    match dist.upper() {
        UpperEnd::Given(b) => Ok(Program::constant(b, prec)),
        UpperEnd::Solve => {
            let cdf = dist.cdf();
            let mut f = Program::new(&cdf, prec);
            let mut density = Program::new(&cdf.derivative(), prec);
            // Widen the double-precision bracket by a few ulps so it holds the root for sure.
            let width = (dist.b().hi - dist.b().lo).max(dist.b().hi.abs() * 4.0 * f64::EPSILON);
            // Below a double's precision the bracket is widened to a few units of the working
            // precision, where F - 1 has a sign F rounded to `prec` bits can show, and rounded
            // outward (the sine market failed to bracket b below 8 digits).
            let width = width.max(dist.b().hi.abs() * 2f64.powi(8 - prec.min(60) as i32));
            let lo = Float::with_val_round(prec, dist.b().lo - width, Round::Down).0;
            let hi = Float::with_val_round(prec, dist.b().hi + width, Round::Up).0;
            let below = |f: &mut Program, x: &Float| Float::with_val(prec, f.eval(x) - 1u32);
            if below(&mut f, &lo).is_sign_positive() || below(&mut f, &hi).is_sign_negative() {
                return Err(NumericError::NoBracket {
                    what: "the upper end b with F(b) = 1".into(),
                    lo: lo.to_f64(),
                    hi: hi.to_f64(),
                });
            }
            let tolerance = Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 2)) * &hi;
            let start = Float::with_val(prec, &lo + &hi) / 2u32;
            bracketed_newton(
                |x| (below(&mut f, x), density.eval(x).clone()),
                (lo, hi),
                start,
                &tolerance,
                |lo, hi| Float::with_val(prec, lo + hi) / 2u32,
                "the root of F(b) = 1",
            )
        }
    }
}

/// A root of an increasing function `g` in the bracket `(lo, hi)`, where `g(lo) < 0 < g(hi)`:
/// Newton's method from `start`, safeguarded by the bracket, which every evaluation narrows;
/// whenever a Newton step would leave it (or the slope is not positive), the next point is
/// `split(lo, hi)`. `g` returns the value and the slope. Stops when a step or the bracket is
/// within `tol`, or when three evaluations in a row give `|g| <= 2^-(prec - 8)`: `g`'s values are
/// differences of CDF values (at most 1 in size) known to a few units of `2^-prec`, so there `x`
/// is as close to the root as the working precision can tell, and the Newton steps only follow
/// rounding (a flat `F` near its top, as `1 - (1 - x)^3` at `1 - 10^-8`, meets this before its
/// steps shrink below `tol`).
pub(crate) fn bracketed_newton(
    mut g: impl FnMut(&Float) -> (Float, Float),
    (mut lo, mut hi): (Float, Float),
    start: Float,
    tol: &Float,
    split: impl Fn(&Float, &Float) -> Float,
    what: &str,
) -> Result<Float, NumericError> {
    let prec = start.prec();
    let noise = Float::with_val(prec, Float::i_exp(1, 8 - prec as i32));
    let mut quiet = 0;
    let mut x = start;
    for _ in 0..(4 * prec as usize + 400) {
        let (gx, slope) = g(&x);
        if !gx.is_finite() {
            return Err(NumericError::NotConverged {
                what: format!("{what}: the function is not finite at {}", x.to_f64()),
            });
        }
        if gx.is_zero() {
            return Ok(x);
        }
        if gx.is_sign_negative() {
            lo.clone_from(&x);
        } else {
            hi.clone_from(&x);
        }
        let usable = slope.is_finite() && slope.is_sign_positive() && !slope.is_zero();
        let delta = Float::with_val(prec, &gx / &slope);
        // A Newton step within the tolerance: converged. (Without this test, a step that rounds
        // onto the bracket's end would be refused and bisection would restart from the far end.)
        if usable && Float::with_val(prec, delta.abs_ref()) <= *tol {
            let newton = Float::with_val(prec, &x - &delta);
            return Ok(if newton >= lo && newton <= hi {
                newton
            } else {
                x
            });
        }
        let newton = Float::with_val(prec, &x - &delta);
        quiet = if Float::with_val(prec, gx.abs_ref()) <= noise {
            quiet + 1
        } else {
            0
        };
        if quiet >= 3 {
            return Ok(if usable && newton >= lo && newton <= hi {
                newton
            } else {
                x
            });
        }
        let next = if usable && newton > lo && newton < hi {
            newton
        } else {
            split(&lo, &hi)
        };
        let step = Float::with_val(prec, &next - &x).abs();
        x = next;
        if step <= *tol || Float::with_val(prec, &hi - &lo) <= *tol {
            return Ok(x);
        }
    }
    Err(NumericError::NotConverged { what: what.into() })
}

/// Digits of a solved upper end in [`validated_summary`].
pub const SUMMARY_DIGITS: u32 = 40;

/// The normalised market of a valid spec as `efftrade validate` prints it
/// ([`efftrade_model::summary::summary`]), with an upper end solved from `F(b) = 1` shown to
/// [`SUMMARY_DIGITS`] certified digits by the MPFR engine (to the digits its double-precision
/// enclosure certifies when those cannot be had).
pub fn validated_summary(spec: &Spec) -> String {
    let b = spec
        .distribution()
        .upper_is_solved()
        .then(|| certified_upper_end(spec.distribution(), SUMMARY_DIGITS).ok())
        .flatten()
        .map(|b| b.to_decimal());
    summary(spec, b.as_deref())
}

/// `b` with at least `digits` certified significant digits: [`upper_end`] at
/// `p = bits_for_digits(digits, 32)` and at `p + 64` bits, and the digits on which the two agree
/// ([`Certified::from_pair`]). [`NumericError::Uncertified`] when fewer than `digits` agree,
/// [`NumericError::Precision`] when `digits` is 0 or above [`MAX_DIGITS`].
pub fn certified_upper_end(dist: &Distribution, digits: u32) -> Result<Certified, NumericError> {
    if digits == 0 || digits > MAX_DIGITS {
        return Err(NumericError::Precision {
            requested: digits,
            max: MAX_DIGITS,
        });
    }
    let prec = bits_for_digits(digits, 32);
    let coarse = upper_end(dist, prec)?;
    let fine = upper_end(dist, prec + 64)?;
    let c = Certified::from_pair(&coarse, &fine, digits);
    if c.digits() < digits {
        return Err(NumericError::Uncertified {
            what: "b".into(),
            wanted: digits,
            got: c.digits(),
        });
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::dist;

    fn sine(support: &str) -> Distribution {
        dist(&format!(
            "{{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: {support}}}"
        ))
    }

    #[test]
    fn the_solved_sine_end_satisfies_f_of_b_equals_one_to_100_digits() {
        let d = sine("[0, solve]");
        let b = certified_upper_end(&d, 100).unwrap();
        assert_eq!(b.digits(), 100);
        // Independent check at 400 bits: 0.1 b + 0.1 (1 - cos b) - 1 vanishes.
        let x = Float::with_val(400, b.value());
        let residual = Float::with_val(400, &x / 10u32)
            + Float::with_val(400, 1u32 - x.clone().cos()) / 10u32
            - 1u32;
        assert!(residual.abs() < Float::with_val(64, Float::i_exp(1, -320)));
        assert!(b.to_decimal().starts_with("8.4437944912944"), "{b}");
    }

    #[test]
    fn printed_ends_are_taken_as_written() {
        let d = sine("[0, 8.4438], renormalize: true");
        let b = upper_end(&d, 300).unwrap();
        assert_eq!(Float::with_val(300, &b * 10_000u32), 84_438u32);
        assert!(matches!(
            certified_upper_end(&d, 0),
            Err(NumericError::Precision { .. })
        ));
        assert!(matches!(
            certified_upper_end(&d, 1_000_000),
            Err(NumericError::Precision { .. })
        ));
    }
}

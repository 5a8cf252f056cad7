//! The error function of a complex argument in double precision, for the envelope of an entire
//! CDF on a Bernstein ellipse ([`crate::envelope`]), which needs `|F|` there to a few digits.
//!
//! Two classical expansions (Abramowitz and Stegun 7.1.5 and 7.1.14; DLMF 7.6.1 and 7.9.2):
//! the Maclaurin series `erf z = (2/sqrt(pi)) Σ_n (-1)^n z^(2n+1) / (n! (2n+1))` where `|z| <= 3`
//! or `|Re z| < 3/2` (its terms cancel by at most `e^(Re(z)^2)` against the value: at most about
//! three digits lost), and Laplace's continued fraction
//! `erfc z = (e^(-z^2)/sqrt(pi)) · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))` for `Re z >= 3/2`
//! and `|z| > 3`, evaluated by the modified Lentz method (Numerical Recipes, 3rd ed., 5.2).
//! `erf(-z) = -erf(z)` and `erfc(-z) = 2 - erfc(z)` cover the left half-plane. Where neither
//! converges within its iteration limit (arguments so large that `e^(z^2)` overflows) the value is
//! NaN, which the envelope reads as "no bound".

use nalgebra::Complex;

/// `2 / sqrt(pi)`.
const TWO_OVER_ROOT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// Iterations of either expansion before it is declared not converged.
const MAX_TERMS: usize = 4000;

/// `erf z`.
pub fn erf(z: Complex<f64>) -> Complex<f64> {
    if z.re < 0.0 {
        return -erf(-z);
    }
    if use_series(z) {
        series(z)
    } else {
        Complex::new(1.0, 0.0) - continued_fraction(z)
    }
}

/// `erfc z = 1 - erf z`.
pub fn erfc(z: Complex<f64>) -> Complex<f64> {
    if z.re < 0.0 {
        return Complex::new(2.0, 0.0) - erfc(-z);
    }
    if use_series(z) {
        Complex::new(1.0, 0.0) - series(z)
    } else {
        continued_fraction(z)
    }
}

fn use_series(z: Complex<f64>) -> bool {
    z.norm_sqr() <= 9.0 || z.re.abs() < 1.5
}

/// The Maclaurin series of `erf`.
fn series(z: Complex<f64>) -> Complex<f64> {
    let minus_square = -z * z;
    let mut power = z; // (-1)^n z^(2n+1) / n!
    let mut sum = z;
    for n in 1..MAX_TERMS {
        power = power * minus_square / n as f64;
        let term = power / (2 * n + 1) as f64;
        sum += term;
        if !sum.re.is_finite() || !sum.im.is_finite() {
            break;
        }
        // |term| <= 1e-17 |sum|, squared (no square roots in the loop).
        if n as f64 > z.norm_sqr() && term.norm_sqr() <= 1e-34 * sum.norm_sqr() {
            return sum * TWO_OVER_ROOT_PI;
        }
    }
    Complex::new(f64::NAN, f64::NAN)
}

/// Laplace's continued fraction for `erfc`, `Re z >= 3/2`: the fraction `z + a_1/(z + a_2/(z +
/// ...))` with `a_k = k/2`, by the modified Lentz method.
fn continued_fraction(z: Complex<f64>) -> Complex<f64> {
    let tiny = Complex::new(1e-300, 0.0);
    let mut f = z;
    let mut c = z;
    let mut d = Complex::new(0.0, 0.0);
    for k in 1..MAX_TERMS {
        let a = k as f64 / 2.0;
        d = z + d * a;
        if d.norm() == 0.0 {
            d = tiny;
        }
        c = z + c.inv() * a;
        if c.norm() == 0.0 {
            c = tiny;
        }
        d = d.inv();
        let delta = c * d;
        f *= delta;
        if (delta - Complex::new(1.0, 0.0)).norm() <= 1e-16 {
            return (-z * z).exp() / f / std::f64::consts::PI.sqrt();
        }
    }
    Complex::new(f64::NAN, f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from mpmath 1.3 (`mp.dps = 30; erf(mpc(x, y))`), rounded to doubles.
    const REFERENCE: [((f64, f64), (f64, f64)); 6] = [
        ((0.5, 0.0), (0.5204998778130465, 0.0)),
        ((1.0, 1.0), (1.3161512816979477, 0.19045346923783468)),
        ((2.5, -0.5), (1.0004602414355217, -0.0002318197199098071)),
        ((0.2, 3.5), (32899.79677134174, 7840.753023786342)),
        ((4.0, 2.0), (1.0000005652170028, -5.131005296081877e-07)),
        ((-3.0, 0.7), (-1.0000105155899484, -3.372354055464089e-05)),
    ];

    #[test]
    fn erf_agrees_with_mpmath_in_both_regimes() {
        for ((x, y), (re, im)) in REFERENCE {
            let got = erf(Complex::new(x, y));
            let want = Complex::new(re, im);
            assert!(
                (got - want).norm() <= 1e-12 * want.norm(),
                "erf({x} + {y}i) = {got}, mpmath {want}"
            );
            let c = erfc(Complex::new(x, y));
            assert!((c - (Complex::new(1.0, 0.0) - want)).norm() <= 1e-12 * want.norm().max(1.0));
        }
    }

    #[test]
    fn real_arguments_match_libm() {
        for x in [-5.0, -1.2, 0.0, 0.3, 2.9, 3.1, 6.0] {
            let got = erf(Complex::new(x, 0.0));
            assert!((got.re - libm::erf(x)).abs() <= 1e-14, "{x}");
            assert!(got.im.abs() <= 1e-300);
        }
    }
}

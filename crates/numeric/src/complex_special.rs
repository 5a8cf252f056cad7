//! The special functions with parameters in complex double precision, for the complex scalar of
//! [`crate::envelope`]: the incomplete beta function by its hypergeometric series (DLMF 8.17.8)
//! where `|z| <= 0.9` or `|1 - z| <= 0.9` (by DLMF 8.17.4 on the second), the incomplete gamma
//! function by its series (DLMF 8.7.1) for `|z| <= 40`, their densities by their formulas;
//! principal branches throughout, NaN where the series are not used.
//!
//! None of them is entire for general parameters, so the envelope (which bounds entire CDFs
//! only) never samples them; they make complex evaluation total over the grammar, and are held
//! against the real kernels on the real axis in this module's tests.

use efftrade_model::expr::Shapes;
use efftrade_model::expr::special::{ln_beta, ln_gamma};
use nalgebra::Complex;

type C = Complex<f64>;

/// Terms of a series before it is abandoned (NaN); with `|z| <= 0.9` 400 terms reach 1e-18.
const MAX_TERMS: usize = 2000;

fn nan() -> C {
    C::new(f64::NAN, f64::NAN)
}

/// `Σ_k t_k` with `t_0 = 1`, `t_{k+1} = t_k ratio(k)`, to double precision.
fn series(ratio: impl Fn(f64) -> C) -> C {
    let (mut term, mut sum) = (C::new(1.0, 0.0), C::new(1.0, 0.0));
    for k in 0..MAX_TERMS {
        term *= ratio(k as f64);
        sum += term;
        if term.norm() <= f64::EPSILON / 8.0 * sum.norm() {
            return sum;
        }
    }
    nan()
}

/// `I_z(p, q)`.
pub fn betainc(shapes: &Shapes, z: C) -> C {
    let (p, q) = (shapes.approx()[0], shapes.approx()[1]);
    let complement = (C::new(1.0, 0.0) - z).norm() < z.norm();
    let (a, b, x) = if complement {
        (q, p, C::new(1.0, 0.0) - z)
    } else {
        (p, q, z)
    };
    if x.norm() > 0.9 {
        return nan();
    }
    if x.norm() == 0.0 {
        return C::new(if complement { 1.0 } else { 0.0 }, 0.0);
    }
    let sum = series(|k| x * ((a + b + k) / (a + 1.0 + k)));
    let log = x.ln() * a + (C::new(1.0, 0.0) - x).ln() * b - (a.ln() + ln_beta(a, b));
    let value = log.exp() * sum;
    if complement {
        C::new(1.0, 0.0) - value
    } else {
        value
    }
}

/// `P(s, z)`.
pub fn gammainc(shapes: &Shapes, z: C) -> C {
    let s = shapes.approx()[0];
    if z.norm() > 40.0 {
        return nan();
    }
    if z.norm() == 0.0 {
        return C::new(0.0, 0.0);
    }
    let sum = series(|k| z / (s + 1.0 + k));
    (z.ln() * s - z - ln_gamma(s + 1.0)).exp() * sum
}

/// `z^(p-1) (1-z)^(q-1) / B(p, q)`.
pub fn betapdf(shapes: &Shapes, z: C) -> C {
    let (p, q) = (shapes.approx()[0], shapes.approx()[1]);
    z.powf(p - 1.0) * (C::new(1.0, 0.0) - z).powf(q - 1.0) * (-ln_beta(p, q)).exp()
}

/// `z^(s-1) e^(-z) / Γ(s)`.
pub fn gammapdf(shapes: &Shapes, z: C) -> C {
    let s = shapes.approx()[0];
    z.powf(s - 1.0) * (-z - ln_gamma(s)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::shapes;
    use efftrade_model::expr::special::{betainc_f64, gammainc_f64};

    #[test]
    fn on_the_real_axis_the_series_agree_with_the_real_kernels() {
        let b = shapes("betainc(2.5, 3.5, x)");
        for x in [0.05, 0.3, 0.6, 0.95] {
            let got = betainc(&b, C::new(x, 0.0));
            let (want, _) = betainc_f64(2.5, 3.5, x);
            assert!(
                (got.re - want).abs() < 1e-14 && got.im.abs() < 1e-14,
                "{x}: {got}"
            );
        }
        let g = shapes("gammainc(2.5, x)");
        for x in [0.05, 1.7, 9.0] {
            let got = gammainc(&g, C::new(x, 0.0));
            let (want, _) = gammainc_f64(2.5, x);
            assert!((got.re - want).abs() < 1e-14 * want.max(1.0), "{x}: {got}");
        }
    }

    #[test]
    fn the_arcsine_law_continues_to_its_closed_form() {
        // I_z(1/2, 1/2) = (2/pi) asin(sqrt(z)) off the real axis too.
        let b = shapes("betainc(0.5, 0.5, x)");
        for z in [C::new(0.2, 0.3), C::new(0.7, -0.2), C::new(0.4, 0.05)] {
            let got = betainc(&b, z);
            let want = z.sqrt().asin() * (2.0 / std::f64::consts::PI);
            assert!((got - want).norm() < 1e-13, "{z}: {got} vs {want}");
        }
        // Derivatives: the density is the derivative of the incomplete function.
        let pdf = shapes("betapdf(0.5, 0.5, x)");
        let (z, h) = (C::new(0.3, 0.2), 1e-6);
        let numeric = (betainc(&b, z + h) - betainc(&b, z - h)) / (2.0 * h);
        assert!((numeric - betapdf(&pdf, z)).norm() < 1e-8);
        let g = shapes("gammainc(2.5, x)");
        let gp = shapes("gammapdf(2.5, x)");
        let numeric = (gammainc(&g, z + h) - gammainc(&g, z - h)) / (2.0 * h);
        assert!((numeric - gammapdf(&gp, z)).norm() < 1e-8);
    }
}

//! Straight-line least squares with certified digits.
//!
//! The fit is computed twice: by nalgebra's singular value decomposition in double precision,
//! and from the normal equations in MPFR at the inputs' own precision. Only the digits on which
//! the two agree are certified, so a printed fitted value never shows digits that the
//! double-precision arithmetic made up.

use nalgebra::{DMatrix, DVector};
use rug::Float;

use crate::certified::Certified;

/// The least-squares line `y = intercept + slope x`.
#[derive(Clone, Debug)]
pub struct Line {
    /// The slope.
    pub slope: Certified,
    /// The intercept.
    pub intercept: Certified,
    /// How many points were fitted.
    pub points: usize,
    /// The double-precision fit `(slope, intercept)`, against which the MPFR fit is certified (for
    /// certifying functions of the fitted values).
    pub double: (f64, f64),
}

/// Fits `y = intercept + slope x` to at least two points with distinct `x`; `None` otherwise.
pub fn fit_line(xs: &[Float], ys: &[Float], max_digits: u32) -> Option<Line> {
    let n = xs.len();
    if n < 2 || ys.len() != n {
        return None;
    }
    // Double precision, through the SVD.
    let design = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { xs[i].to_f64() });
    let rhs = DVector::from_iterator(n, ys.iter().map(Float::to_f64));
    let solution = design.svd(true, true).solve(&rhs, 1e-14).ok()?;
    let (intercept_f64, slope_f64) = (solution[0], solution[1]);
    // MPFR, through the normal equations centred on the mean of x.
    let prec = xs.iter().chain(ys).map(Float::prec).min()?.max(64);
    let count = Float::with_val(prec, n as u32);
    let mean = |v: &[Float]| Float::with_val(prec, Float::sum(v.iter())) / &count;
    let (mx, my) = (mean(xs), mean(ys));
    let mut sxx = Float::new(prec);
    let mut sxy = Float::new(prec);
    for (x, y) in xs.iter().zip(ys) {
        let dx = Float::with_val(prec, x - &mx);
        let dy = Float::with_val(prec, y - &my);
        sxy += Float::with_val(prec, &dx * &dy);
        sxx += dx.square();
    }
    if sxx.is_zero() {
        return None;
    }
    let slope = Float::with_val(prec, &sxy / &sxx);
    let intercept = Float::with_val(prec, &my - Float::with_val(prec, &slope * &mx));
    Some(Line {
        slope: Certified::from_pair(&Float::with_val(prec, slope_f64), &slope, max_digits),
        intercept: Certified::from_pair(
            &Float::with_val(prec, intercept_f64),
            &intercept,
            max_digits,
        ),
        points: n,
        double: (slope_f64, intercept_f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_line_and_certifies_only_double_precision_digits() {
        let prec = 200;
        let xs: Vec<Float> = (0..10).map(|i| Float::with_val(prec, i) / 3u32).collect();
        // y = 1/7 - (2/3) x exactly (to 200 bits).
        let ys: Vec<Float> = xs
            .iter()
            .map(|x| Float::with_val(prec, 1) / 7u32 - Float::with_val(prec, x * 2u32) / 3u32)
            .collect();
        let line = fit_line(&xs, &ys, 40).unwrap();
        let slope = line.slope.value().to_f64();
        assert!((slope + 2.0 / 3.0).abs() < 1e-14, "{slope}");
        assert!((line.intercept.value().to_f64() - 1.0 / 7.0).abs() < 1e-14);
        assert!(
            (12..=17).contains(&line.slope.digits()),
            "{}",
            line.slope.digits()
        );
        assert_eq!(line.points, 10);
    }

    #[test]
    fn degenerate_inputs_have_no_fit() {
        let one = [Float::with_val(64, 1)];
        assert!(fit_line(&one, &one, 10).is_none());
        let same = [Float::with_val(64, 1), Float::with_val(64, 1)];
        let ys = [Float::with_val(64, 1), Float::with_val(64, 2)];
        assert!(fit_line(&same, &ys, 10).is_none());
    }
}

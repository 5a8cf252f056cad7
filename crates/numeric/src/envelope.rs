//! How large an entire CDF gets near a segment of the real line: the input of Gauss-Legendre's
//! a-priori error bound.
//!
//! For `g` analytic inside the Bernstein ellipse `E_rho` of `[l, r]` (foci `l`, `r`, semi-axes
//! summing to `rho (r - l)/2`) with `|g| <= M` there, the `n`-point Gauss-Legendre rule errs by at
//! most `(64/15) M rho^(-2n) / (rho^2 - 1) (r - l)/2` (Trefethen, "Is Gauss quadrature better than
//! Clenshaw-Curtis?", SIAM Review 50 (2008), Theorem 4.5). When `F` is entire (built from
//! polynomials, `exp`, `sin`, `cos` and constants, as Example 1's CDFs are), so is every `F^m`,
//! and by the maximum modulus principle `M` is the largest `|F|^m` on the ellipse's boundary,
//! sampled here in complex double precision. One rule per piece then carries its own error bound,
//! where the adaptive test of [`crate::quad`] pays for the rule on the halves as well.

use efftrade_model::expr::{Code, DomainError, Scalar, rational_to_f64};
use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use nalgebra::Complex;
use rug::Float;

use crate::complex_special;

/// Points sampled on an ellipse's boundary.
const SAMPLES: usize = 32;

/// The context of complex double evaluation: nothing (constants are real doubles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ComplexDouble;

/// Complex doubles with IEEE semantics (`num-complex`'s principal branches for `log`, `sqrt`
/// and non-integer powers): faults give NaN or an infinity, never an error.
impl Scalar<ComplexDouble> for Complex<f64> {
    fn rational(q: &BigRational, _: &ComplexDouble) -> Complex<f64> {
        Complex::new(rational_to_f64(q), 0.0)
    }

    fn constant(c: Constant, _: &ComplexDouble) -> Result<Complex<f64>, DomainError> {
        Ok(Complex::new(c.to_f64(), 0.0))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        *self = -*self;
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &Complex<f64>) -> Result<(), DomainError> {
        let (u, v) = (*self, *rhs);
        *self = match op {
            BinOp::Add => u + v,
            BinOp::Sub => u - v,
            BinOp::Mul => u * v,
            BinOp::Div => u / v,
            BinOp::Pow => u.powc(v),
        };
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        *self = Complex::powi(self, k);
        Ok(())
    }

    fn call(&mut self, f: &Func, _: &mut ComplexDouble) -> Result<(), DomainError> {
        let v = *self;
        *self = match f {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan(),
            Func::Exp => v.exp(),
            Func::Log => v.ln(),
            Func::Sqrt => v.sqrt(),
            Func::Erf => crate::complex_erf::erf(v),
            Func::Erfc => crate::complex_erf::erfc(v),
            Func::BetaInc(s) => complex_special::betainc(s, v),
            Func::BetaPdf(s) => complex_special::betapdf(s, v),
            Func::GammaInc(s) => complex_special::gammainc(s, v),
            Func::GammaPdf(s) => complex_special::gammapdf(s, v),
            // The piece holding the real part (complex values only sample ellipses around a
            // stretch within one piece).
            Func::Piecewise(p) => {
                let piece = &p.pieces()[p.index_f64(v.re)];
                piece
                    .eval(&v, &mut ComplexDouble)
                    .unwrap_or(Complex::new(f64::NAN, f64::NAN))
            }
        };
        Ok(())
    }
}

/// An expression compiled for double precision, real or complex: constant subexpressions
/// folded once in real doubles.
#[derive(Clone, Debug)]
pub struct Double {
    real: Code<f64>,
    complex: Code<Complex<f64>>,
}

impl Double {
    /// Compiles `e`.
    pub fn new(e: &Expr) -> Double {
        Double {
            real: Code::new(e, &mut ()),
            complex: Code::with_constants(e, true, &mut |c| Ok(Complex::new(c.eval_f64(0.0), 0.0))),
        }
    }

    /// The value at real `x`.
    pub fn real(&self, x: f64) -> f64 {
        let mut stack = vec![0.0; self.real.depth()];
        match self.real.run(&mut stack, &x, &mut ()) {
            Ok(v) => *v,
            Err(_) => f64::NAN,
        }
    }

    /// The value at complex `z`.
    pub fn complex(&self, z: Complex<f64>) -> Complex<f64> {
        let mut stack = vec![Complex::new(0.0, 0.0); self.complex.depth()];
        match self.complex.run(&mut stack, &z, &mut ComplexDouble) {
            Ok(v) => *v,
            Err(_) => Complex::new(f64::NAN, f64::NAN),
        }
    }
}

/// `F` in complex double precision, when it is entire.
#[derive(Clone, Debug)]
pub struct Envelope {
    cdf: Double,
    expr: Expr,
}

/// How `F` is evaluated near one piece: directly in complex doubles, or, for a piece too narrow
/// for doubles to place points in it (the boundary layer of `F^N` for large `N`), from its Taylor
/// series at the piece's center, computed in MPFR: `F(c + h d) = s_0 (1 + Σ_k (s_k/s_0) d^k)`.
#[derive(Clone, Debug)]
pub enum View {
    /// Complex doubles at `c + h d`.
    Direct,
    /// `ln s_0` and the ratios `s_k / s_0`, `k >= 1`.
    Local(f64, Vec<f64>),
}

/// Pieces narrower than this fraction of their position are seen through their Taylor series.
const NARROW: f64 = 1e-4;
/// Taylor coefficients of a local view.
const TERMS: usize = 10;

impl Envelope {
    /// The envelope of `cdf`, or `None` when `F` may have a singularity in the complex plane
    /// (division by an expression in `x`, `log`, `sqrt`, `tan`, a non-integer or negative power of
    /// an expression in `x`).
    pub fn new(cdf: &Expr) -> Option<Envelope> {
        entire(cdf).then(|| Envelope {
            cdf: Double::new(cdf),
            expr: cdf.clone(),
        })
    }

    /// How to evaluate `F` near `[lo, hi]`; `None` when a local series does not converge fast
    /// enough on the largest ellipse or `F(c) <= 0`.
    pub fn view(&self, lo: &Float, hi: &Float) -> Option<View> {
        let (l, r) = (lo.to_f64(), hi.to_f64());
        if r - l > NARROW * l.abs().max(r.abs()) {
            return Some(View::Direct);
        }
        let prec = lo.prec().max(hi.prec()).max(192);
        let c = Float::with_val(prec, lo + hi) / 2u32;
        let h = Float::with_val(prec, hi - lo) / 2u32;
        let s = crate::taylor::series(&self.expr, &c, &h, TERMS).ok()?;
        if !s[0].is_sign_positive() || s[0].is_zero() {
            return None;
        }
        let ratios: Vec<f64> = s
            .iter()
            .skip(1)
            .map(|sk| Float::with_val(64, sk / &s[0]).to_f64())
            .collect();
        // On the largest ellipse (|d| <= 16) the last term must be negligible.
        let last = ratios.last().copied().unwrap_or(0.0).abs() * 16f64.powi(TERMS as i32 - 1);
        (last < 1e-30 && ratios.iter().all(|x| x.is_finite()))
            .then(|| View::Local(Float::with_val(64, s[0].ln_ref()).to_f64(), ratios))
    }

    /// `ln |F(c + h d)|` for the piece `[lo, hi]` (`c`, `h` its center and half-width).
    pub fn log_abs(&self, view: &View, lo: f64, hi: f64, d: Complex<f64>) -> f64 {
        match view {
            View::Direct => {
                let z = Complex::new((lo + hi) / 2.0, 0.0) + d * ((hi - lo) / 2.0);
                self.cdf.complex(z).norm_sqr().ln() / 2.0
            }
            View::Local(log_s0, ratios) => {
                // u = Σ_k ratios[k-1] d^k; ln|1 + u| = ln1p(2 Re u + |u|^2) / 2.
                let mut u = Complex::new(0.0, 0.0);
                for r in ratios.iter().rev() {
                    u = (u + r) * d;
                }
                log_s0 + (2.0 * u.re + u.norm_sqr()).ln_1p() / 2.0
            }
        }
    }

    /// `ln max |F|` over the boundary of the Bernstein ellipse of `[lo, hi]` with parameter
    /// `rho > 1`, from `SAMPLES` points, and from every other one of them (their difference
    /// says whether the sampling resolved the maximum); `None` if `F` is not finite there.
    pub fn log_max(&self, view: &View, lo: f64, hi: f64, rho: f64) -> Option<(f64, f64)> {
        let (a, b) = ((rho + 1.0 / rho) / 2.0, (rho - 1.0 / rho) / 2.0);
        let mut most = f64::NEG_INFINITY;
        let mut half_most = f64::NEG_INFINITY;
        for k in 0..SAMPLES {
            let theta = std::f64::consts::TAU * (k as f64 + 0.5) / SAMPLES as f64;
            let v = self.log_abs(view, lo, hi, Complex::new(a * theta.cos(), b * theta.sin()));
            if v.is_nan() || v == f64::INFINITY {
                return None;
            }
            most = most.max(v);
            if k % 2 == 0 {
                half_most = half_most.max(v);
            }
        }
        Some((most, half_most))
    }
}

/// Whether `e` is an entire function of `x`.
fn entire(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Var => true,
        Expr::Neg(a) => entire(a),
        Expr::Call(f, a) => f.is_entire() && entire(a),
        Expr::Bin(op, a, b) => match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => entire(a) && entire(b),
            BinOp::Div => entire(a) && !b.has_var(),
            // A non-negative integer power of an entire function, or a positive constant to an
            // entire power.
            BinOp::Pow => {
                let exponent = b
                    .eval_rational(None)
                    .filter(|q| q.is_integer() && *q >= BigRational::from_integer(0.into()));
                (exponent.is_some() && entire(a))
                    || (!a.has_var() && a.eval_f64(0.0) > 0.0 && entire(b))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::parse;

    #[test]
    fn entire_functions_are_recognised_and_others_refused() {
        for src in [
            "0.1*x + 0.1*(1 - cos(x))",
            "3*x^2 - 2*x^3",
            "(1 - exp(-2*x))/(1 - exp(-2))",
            "2^x - sin(x/3)",
        ] {
            assert!(Envelope::new(&parse(src).unwrap()).is_some(), "{src}");
        }
        for src in [
            "sqrt(x)",
            "x^0.5",
            "1/(1 + x^2)",
            "log(1 + x)",
            "tan(x)",
            "x^(-2)",
        ] {
            assert!(Envelope::new(&parse(src).unwrap()).is_none(), "{src}");
        }
    }

    #[test]
    fn the_maximum_on_an_ellipse_is_that_of_the_closed_form() {
        // |exp(z)| is largest at the right end of the major axis: e^(c + a).
        let env = Envelope::new(&parse("exp(x)").unwrap()).unwrap();
        let (lo, hi, rho) = (1.0, 3.0, 2.0);
        let a = (hi - lo) / 2.0 * (rho + 1.0 / rho) / 2.0;
        let (got, coarser) = env.log_max(&View::Direct, lo, hi, rho).unwrap();
        assert!(coarser <= got);
        // The sample nearest theta = 0 is half a step away: cos(pi/32) of the semi-axis.
        let want = 2.0 + a;
        assert!(
            got <= want && got > want - a * (1.0 - (std::f64::consts::PI / 32.0).cos()) - 1e-12
        );
    }

    #[test]
    fn a_narrow_piece_is_seen_through_its_series_and_agrees_with_the_direct_view() {
        let cdf = parse("0.1*x + 0.1*(1 - cos(x))").unwrap();
        let env = Envelope::new(&cdf).unwrap();
        let (lo, hi) = (Float::with_val(200, 8.4), Float::with_val(200, 8.4 + 1e-5));
        let view = env.view(&lo, &hi).unwrap();
        assert!(matches!(view, View::Local(..)));
        let (l, r) = (lo.to_f64(), hi.to_f64());
        for d in [
            Complex::new(0.3, 0.0),
            Complex::new(-1.0, 0.5),
            Complex::new(2.0, -3.0),
        ] {
            let local = env.log_abs(&view, l, r, d);
            let direct = env.log_abs(&View::Direct, l, r, d);
            assert!((local - direct).abs() < 1e-12, "{d}: {local} vs {direct}");
        }
        // A layer of width 1e-25, where doubles cannot place a point, still has a view.
        let hi = Float::with_val(200, &lo + Float::with_val(200, Float::i_exp(1, -83)));
        assert!(matches!(env.view(&lo, &hi), Some(View::Local(..))));
    }
}

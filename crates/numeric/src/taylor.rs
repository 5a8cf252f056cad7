//! Truncated Taylor series over MPFR: an expression of the model evaluated on a power series.
//!
//! Lemma 3 needs the order `alpha` of the first non-vanishing derivative of `F` at `b` and the
//! coefficient `c` of `1 - F(b - d) ~ c d^alpha`. Both come from the Taylor coefficients of
//! `d -> F(b - d)`, computed here by automatic differentiation: every operation of the grammar
//! acts on truncated series with the classical recurrences (Cauchy products, and
//! `e' = a' e`, `l' = a'/a`, `s' = a' c`, `c' = -a' s`, `(s^2)' = a'` for exp, log, sin, cos and
//! sqrt). No symbolic differentiation and no finite differences: each coefficient is exact up to
//! the rounding of the working precision.
//!
//! A series is a scalar of the expression core ([`Scalar`] for `Vec<Float>`, context
//! [`Taylor`]), so [`series`] is the core's one evaluator run on series.

use efftrade_model::expr::{DomainError, Scalar};
use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use rug::ops::NegAssign;
use rug::{Assign, Float};

use crate::program::to_rug;
use crate::special;

/// Why an expression has no Taylor series at the point (a pole, a branch point of `log` or
/// `sqrt`, or a power of a series that vanishes there).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not analytic at the expansion point")]
pub struct NotAnalytic(pub String);

/// The first `len` Taylor coefficients of a function at a point: `s[k]` multiplies `d^k`.
pub type Series = Vec<Float>;

fn zeros(prec: u32, len: usize) -> Series {
    (0..len).map(|_| Float::new(prec)).collect()
}

fn constant(v: Float, len: usize) -> Series {
    let prec = v.prec();
    let mut s = zeros(prec, len);
    s[0] = v;
    s
}

fn mul(a: &Series, b: &Series) -> Series {
    let prec = a[0].prec();
    let len = a.len();
    let mut out = zeros(prec, len);
    let mut product = Float::new(prec);
    // Series of constants and of the variable are mostly zeros: skipping them makes a product
    // with a constant cost `len` products, not `len^2 / 2`.
    let (da, db) = (degree(a), degree(b));
    for (k, o) in out.iter_mut().enumerate() {
        for j in k.saturating_sub(db)..=k.min(da) {
            product.assign(&a[j] * &b[k - j]);
            *o += &product;
        }
    }
    out
}

/// `j a_j` for every `j`: the derivative's coefficients, shifted.
fn weighted(a: &Series) -> Series {
    a.iter()
        .enumerate()
        .map(|(j, c)| Float::with_val(c.prec(), c * j as u32))
        .collect()
}

/// The index of the last nonzero coefficient (0 for the zero series).
fn degree(a: &Series) -> usize {
    a.iter().rposition(|c| !c.is_zero()).unwrap_or(0)
}

fn div(a: &Series, b: &Series) -> Result<Series, DomainError> {
    if b[0].is_zero() {
        return Err(DomainError::Quotient);
    }
    let prec = a[0].prec();
    let mut q = zeros(prec, a.len());
    for k in 0..a.len() {
        let mut t = a[k].clone();
        for j in 1..=k {
            t -= Float::with_val(prec, &b[j] * &q[k - j]);
        }
        q[k] = t / &b[0];
    }
    Ok(q)
}

/// `exp` of a series: `e_0 = exp(a_0)`, `k e_k = Σ_{j=1..k} j a_j e_{k-j}`.
pub(crate) fn exp(a: &Series) -> Series {
    let prec = a[0].prec();
    let da = degree(a);
    let ja = weighted(a);
    let mut e = zeros(prec, a.len());
    let mut product = Float::new(prec);
    e[0] = Float::with_val(prec, a[0].exp_ref());
    for k in 1..a.len() {
        let mut t = Float::new(prec);
        for j in (1..=k.min(da)).filter(|&j| !a[j].is_zero()) {
            product.assign(&ja[j] * &e[k - j]);
            t += &product;
        }
        e[k] = t / (k as u32);
    }
    e
}

/// `log` of a series with `a_0 > 0`, the logarithm in `what`.
pub(crate) fn log(a: &Series, what: &Expr) -> Result<Series, NotAnalytic> {
    ln(a).map_err(|fault| NotAnalytic(format!("the {fault} {what}")))
}

/// `log` of a series with `a_0 > 0`: `l_k = (a_k - (1/k) Σ_{j=1..k-1} j l_j a_{k-j}) / a_0`.
fn ln(a: &Series) -> Result<Series, DomainError> {
    if a[0].is_zero() || a[0].is_sign_negative() {
        return Err(DomainError::Logarithm);
    }
    let prec = a[0].prec();
    let mut l = zeros(prec, a.len());
    // j l_j, filled in as l_j is found.
    let mut jl = zeros(prec, a.len());
    let mut product = Float::new(prec);
    l[0] = Float::with_val(prec, a[0].ln_ref());
    for k in 1..a.len() {
        let mut t = Float::new(prec);
        for j in 1..k {
            product.assign(&jl[j] * &a[k - j]);
            t += &product;
        }
        let t = Float::with_val(prec, &a[k] - t / (k as u32));
        l[k] = t / &a[0];
        jl[k] = Float::with_val(prec, &l[k] * k as u32);
    }
    Ok(l)
}

/// `erf` (or, `complement`, `erfc`) of a series: `w_0 = erf(a_0)` (`erfc(a_0)`), and from
/// `w' = g a'` with `g = (2/sqrt(pi)) exp(-a^2)`, `k w_k = ± Σ_{j=1..k} j a_j g_{k-j}` (minus for
/// `erfc`). The constant term comes from MPFR, so `erfc` keeps its relative accuracy far in the
/// tail.
fn erf(a: &Series, complement: bool) -> Series {
    let prec = a[0].prec();
    let minus_square: Series = mul(a, a).into_iter().map(|c| -c).collect();
    let two_over_root_pi = Float::with_val(
        prec,
        2u32 / Float::with_val(prec, rug::float::Constant::Pi).sqrt(),
    );
    let g: Series = exp(&minus_square)
        .into_iter()
        .map(|c| c * &two_over_root_pi)
        .collect();
    let value = if complement {
        Float::with_val(prec, a[0].erfc_ref())
    } else {
        Float::with_val(prec, a[0].erf_ref())
    };
    integral(a, &g, value, complement)
}

/// The series of `w(a)` for a function `w` with `w' = g` along the series `a`, given `g`'s
/// series along `a` and the value `w(a_0)`: `k w_k = Σ_{j=1..k} j a_j g_{k-j}` (negated when
/// `negate`, for a function whose derivative is `-g`).
fn integral(a: &Series, g: &Series, value: Float, negate: bool) -> Series {
    let prec = a[0].prec();
    let ja = weighted(a);
    let da = degree(a);
    let mut w = zeros(prec, a.len());
    let mut product = Float::new(prec);
    w[0] = value;
    for k in 1..a.len() {
        let mut t = Float::new(prec);
        for j in (1..=k.min(da)).filter(|&j| !a[j].is_zero()) {
            product.assign(&ja[j] * &g[k - j]);
            t += &product;
        }
        t /= k as u32;
        w[k] = if negate { -t } else { t };
    }
    w
}

/// `a^k` for an exact exponent `k`: an integer power where `k` is an integer, else
/// `exp(k log a)` (a non-integer power of a series needs `a_0 > 0`).
fn pow_exact(a: &Series, k: &BigRational) -> Result<Series, DomainError> {
    match efftrade_model::expr::special::small_int(k) {
        Some(k) => pow_int(a, k),
        None => {
            let exponent = constant(Float::with_val(a[0].prec(), to_rug(k)), a.len());
            Ok(exp(&mul(&exponent, &ln(a)?)))
        }
    }
}

/// The series of a special function's density along `a`: `betapdf(p, q, a) =
/// a^(p-1) (1-a)^(q-1) / B(p, q)` and `gammapdf(s, a) = a^(s-1) e^(-a) / Γ(s)`, with the MPFR
/// kernels' constant `1/B` or `1/Γ`; not analytic where a non-integer power's base vanishes.
fn density(f: &Func, a: &Series) -> Result<Series, DomainError> {
    let Some(shapes) = f.shapes() else {
        return Err(DomainError::Unrepresentable);
    };
    let prec = a[0].prec();
    let len = a.len();
    let one = constant(Float::with_val(prec, 1), len);
    let mut factor = pow_exact(a, &shapes.minus_one(0))?;
    match f {
        Func::BetaInc(_) | Func::BetaPdf(_) => {
            let mut rest = one;
            rest.iter_mut().zip(a).for_each(|(r, x)| *r -= x);
            factor = mul(&factor, &pow_exact(&rest, &shapes.minus_one(1))?);
        }
        _ => {
            let minus: Series = a.iter().map(|c| Float::with_val(prec, -c)).collect();
            factor = mul(&factor, &exp(&minus));
        }
    }
    let w = prec + special::GUARD_BITS;
    let scale = Float::with_val(prec, special::inverse_normalizer(shapes, w));
    Ok(factor.into_iter().map(|c| c * &scale).collect())
}

/// `sin` and `cos` of a series together: `k s_k = Σ j a_j c_{k-j}`, `k c_k = -Σ j a_j s_{k-j}`.
fn sin_cos(a: &Series) -> (Series, Series) {
    let prec = a[0].prec();
    let mut s = zeros(prec, a.len());
    let mut c = zeros(prec, a.len());
    let (s0, c0) = a[0].clone().sin_cos(Float::new(prec));
    s[0] = s0;
    c[0] = c0;
    let da = degree(a);
    let ja = weighted(a);
    let mut product = Float::new(prec);
    for k in 1..a.len() {
        let mut ts = Float::new(prec);
        let mut tc = Float::new(prec);
        for j in (1..=k.min(da)).filter(|&j| !a[j].is_zero()) {
            product.assign(&ja[j] * &c[k - j]);
            ts += &product;
            product.assign(&ja[j] * &s[k - j]);
            tc -= &product;
        }
        s[k] = ts / (k as u32);
        c[k] = tc / (k as u32);
    }
    (s, c)
}

/// `sqrt` of a series with `a_0 > 0`: `2 s_0 s_k = a_k - Σ_{j=1..k-1} s_j s_{k-j}`.
fn sqrt(a: &Series) -> Result<Series, DomainError> {
    if a[0].is_zero() || a[0].is_sign_negative() {
        return Err(DomainError::SquareRoot);
    }
    let prec = a[0].prec();
    let mut s = zeros(prec, a.len());
    s[0] = Float::with_val(prec, a[0].sqrt_ref());
    for k in 1..a.len() {
        let mut t = a[k].clone();
        for j in 1..k {
            t -= Float::with_val(prec, &s[j] * &s[k - j]);
        }
        s[k] = t / Float::with_val(prec, &s[0] * 2u32);
    }
    Ok(s)
}

/// `a^k` for an integer `k` by binary powering (a reciprocal first when `k < 0`).
fn pow_int(a: &Series, k: i32) -> Result<Series, DomainError> {
    let prec = a[0].prec();
    let len = a.len();
    let mut base = if k < 0 {
        div(&constant(Float::with_val(prec, 1), len), a)?
    } else {
        a.clone()
    };
    let mut e = k.unsigned_abs();
    let mut out = constant(Float::with_val(prec, 1), len);
    while e > 0 {
        if e & 1 == 1 {
            out = mul(&out, &base);
        }
        e >>= 1;
        if e > 0 {
            base = mul(&base, &base);
        }
    }
    Ok(out)
}

/// The context of series evaluation: the precision and length of the series of constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taylor {
    /// Bits of every coefficient.
    pub prec: u32,
    /// Coefficients kept (at least one).
    pub len: usize,
}

/// Truncated Taylor series: the operations of the grammar on power series in the variable `d`,
/// truncated to the length of the operands.
impl Scalar<Taylor> for Series {
    fn rational(q: &BigRational, cx: &Taylor) -> Series {
        constant(Float::with_val(cx.prec, to_rug(q)), cx.len)
    }

    fn constant(c: Constant, cx: &Taylor) -> Result<Series, DomainError> {
        let v = match c {
            Constant::Pi => Float::with_val(cx.prec, rug::float::Constant::Pi),
            Constant::E => Float::with_val(cx.prec, 1).exp(),
        };
        Ok(constant(v, cx.len))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        self.iter_mut().for_each(NegAssign::neg_assign);
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &Series) -> Result<(), DomainError> {
        match op {
            BinOp::Add => self.iter_mut().zip(rhs).for_each(|(x, y)| *x += y),
            BinOp::Sub => self.iter_mut().zip(rhs).for_each(|(x, y)| *x -= y),
            BinOp::Mul => *self = mul(self, rhs),
            BinOp::Div => *self = div(self, rhs)?,
            // a^b = exp(b log a) for a > 0 at the point.
            BinOp::Pow => *self = exp(&mul(rhs, &ln(self)?)),
        }
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        *self = pow_int(self, k)?;
        Ok(())
    }

    fn call(&mut self, f: &Func, cx: &mut Taylor) -> Result<(), DomainError> {
        *self = match f {
            Func::Sin => sin_cos(self).0,
            Func::Cos => sin_cos(self).1,
            Func::Tan => {
                let (s, c) = sin_cos(self);
                div(&s, &c)?
            }
            Func::Exp => exp(self),
            Func::Log => ln(self)?,
            Func::Sqrt => sqrt(self)?,
            Func::Erf => erf(self, false),
            Func::Erfc => erf(self, true),
            Func::BetaInc(s) => {
                let value = special::betainc(s, &self[0]);
                integral(self, &density(f, self)?, value, false)
            }
            Func::GammaInc(s) => {
                let value = special::gammainc(s, &self[0]);
                integral(self, &density(f, self)?, value, false)
            }
            Func::BetaPdf(_) | Func::GammaPdf(_) => density(f, self)?,
            Func::Piecewise(p) => {
                // No series at a breakpoint (a kink); elsewhere the piece's.
                if p.breaks().iter().any(|t| self[0] == to_rug(t)) {
                    return Err(DomainError::Unrepresentable);
                }
                let mut s = self.clone();
                p.eval_at(&mut s, cx, |u, t| crate::program::at_or_above(&u[0], t))?;
                s
            }
        };
        Ok(())
    }
}

/// The first `len` Taylor coefficients of `expr` at `x = x0 + h d` in the variable `d`.
pub fn series(expr: &Expr, x0: &Float, h: &Float, len: usize) -> Result<Series, NotAnalytic> {
    let prec = x0.prec();
    let len = len.max(1);
    let mut x = constant(x0.clone(), len);
    if len > 1 {
        x[1] = Float::with_val(prec, h);
    }
    expr.eval(&x, &mut Taylor { prec, len })
        .map_err(|err| NotAnalytic(format!("the {} {}", err.fault, err.at)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::parse;

    fn coefficients(src: &str, x0: f64, len: usize) -> Vec<f64> {
        let prec = 200;
        series(
            &parse(src).unwrap(),
            &Float::with_val(prec, x0),
            &Float::with_val(prec, 1),
            len,
        )
        .unwrap()
        .iter()
        .map(Float::to_f64)
        .collect()
    }

    fn close(got: &[f64], want: &[f64]) {
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-14 * w.abs().max(1.0),
                "coefficient {k}: {g} vs {w}"
            );
        }
    }

    #[test]
    fn elementary_series_match_their_closed_forms() {
        // exp(x) at 0: 1/k!.
        let fact = |k: u32| (1..=k).map(f64::from).product::<f64>();
        close(
            &coefficients("exp(x)", 0.0, 8),
            &(0..8).map(|k| 1.0 / fact(k)).collect::<Vec<_>>(),
        );
        // log(1 + x) at 0: (-1)^(k+1)/k.
        let want: Vec<f64> = (0..8)
            .map(|k| {
                if k == 0 {
                    0.0
                } else {
                    -(-1f64).powi(k) / f64::from(k)
                }
            })
            .collect();
        close(&coefficients("log(1 + x)", 0.0, 8), &want);
        // sin(x) at pi/2 = cos(d): 1, 0, -1/2, 0, 1/24.
        close(
            &coefficients("sin(x)", std::f64::consts::FRAC_PI_2, 5),
            &[1.0, 0.0, -0.5, 0.0, 1.0 / 24.0],
        );
        // sqrt(x) at 4: 2 + d/4 - d^2/64 + d^3/512.
        close(
            &coefficients("sqrt(x)", 4.0, 4),
            &[2.0, 0.25, -1.0 / 64.0, 1.0 / 512.0],
        );
        // tan(x) at 0: 0, 1, 0, 1/3, 0, 2/15.
        close(
            &coefficients("tan(x)", 0.0, 6),
            &[0.0, 1.0, 0.0, 1.0 / 3.0, 0.0, 2.0 / 15.0],
        );
        // 1/(1 - x) at 0, and x^(1/2) at 4 through exp(b log a).
        close(&coefficients("1/(1 - x)", 0.0, 5), &[1.0; 5]);
        close(&coefficients("x^(1/2)", 4.0, 3), &[2.0, 0.25, -1.0 / 64.0]);
        // (1 + x)^-2 at 0: (-1)^k (k + 1).
        close(
            &coefficients("(1 + x)^(-2)", 0.0, 5),
            &[1.0, -2.0, 3.0, -4.0, 5.0],
        );
    }

    #[test]
    fn the_flat_top_cdf_at_its_upper_end_is_one_minus_d_cubed() {
        // F(x) = 1 - (1 - x)^3 at x = 1 - d.
        let prec = 200;
        let s = series(
            &parse("1 - (1 - x)^3").unwrap(),
            &Float::with_val(prec, 1),
            &Float::with_val(prec, -1),
            6,
        )
        .unwrap();
        let got: Vec<f64> = s.iter().map(Float::to_f64).collect();
        assert_eq!(got, vec![1.0, 0.0, 0.0, -1.0, 0.0, 0.0]);
    }

    #[test]
    fn branch_points_are_refused() {
        let prec = 100;
        let zero = Float::with_val(prec, 0);
        let one = Float::with_val(prec, 1);
        for src in ["sqrt(x)", "log(x)", "1/x", "x^(1/3)"] {
            assert!(
                series(&parse(src).unwrap(), &zero, &one, 4).is_err(),
                "{src} has no series at 0"
            );
        }
    }
}

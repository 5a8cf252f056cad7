//! What Lemma 3 reads off a generalized series: the leading term of `1 - F(b - d)`, and
//! `-log F(b - D s^q)` for the boundary layer of `F^N`.

use efftrade_model::expr::Scalar;
use efftrade_model::{BigRational, Expr, Func};
use rug::{Float, Integer, Rational};

use super::{Generalized, Puiseux};

/// `1 - F(b - d) = c d^alpha (1 + o(1))`: the exact exponent `alpha` and `c`, from the
/// generalized series of `expr` at `b` known to `O(d^horizon)` at `b`'s precision, with
/// cancellations below `2^-zero_bits` counted as zero; or why the series does not determine them.
pub fn upper_tail(
    expr: &Expr,
    b: &Float,
    horizon: u32,
    zero_bits: u32,
) -> Result<(Rational, Float), String> {
    let cx = Generalized {
        prec: b.prec(),
        horizon,
        zero_bits,
    };
    let x = Puiseux::upper_end(b, &Float::with_val(cx.prec, 1), &cx);
    let f = expr.eval(&x, &mut cx.clone()).map_err(|e| {
        format!(
            "the {} {} has no series in rational powers of b - x",
            e.fault, e.at
        )
    })?;
    let one = Puiseux::rational(&BigRational::from_integer(1.into()), &cx);
    let tail = one
        .add(&f, true)
        .map_err(|_| "the exponents' denominators grow too large".to_string())?;
    let v = tail.valuation();
    let order = Rational::from((Integer::from(tail.top), Integer::from(tail.den)));
    if v >= tail.top {
        return Err(format!(
            "1 - F(b - d) vanishes to the order O(d^{order}) of its generalized series"
        ));
    }
    let c = tail
        .at(v)
        .map_or_else(|| Float::new(b.prec()), Clone::clone);
    if v <= 0 {
        return Err(format!(
            "1 - F(b - d) has a term d^{} with coefficient {:.6e}: F does not tend to 1 at b",
            Rational::from((Integer::from(v), Integer::from(tail.den))),
            c.to_f64()
        ));
    }
    let alpha = Rational::from((Integer::from(v), Integer::from(tail.den)));
    if !c.is_sign_positive() {
        return Err(format!(
            "the leading term of 1 - F(b - d), {:.6e} d^{alpha}, has the sign of a decreasing F",
            c.to_f64()
        ));
    }
    Ok((alpha, c))
}

/// `phi(s) = -log F(b - width s^q)` as a power series in `s`: `q` and the coefficients of
/// `s^0 .. s^(len - 1)`, from the generalized series of `F` at `b` (whose exponents are multiples
/// of `1/q`); or why it is not one.
pub fn layer_log(
    expr: &Expr,
    b: &Float,
    width: &Float,
    len: usize,
    zero_bits: u32,
) -> Result<(u32, Vec<Float>), String> {
    let prec = b.prec();
    let run = |horizon: u32| -> Result<Puiseux, String> {
        let cx = Generalized {
            prec,
            horizon,
            zero_bits,
        };
        let x = Puiseux::upper_end(b, width, &cx);
        let f = expr
            .eval(&x, &mut cx.clone())
            .map_err(|e| format!("the {} {}", e.fault, e.at))?;
        let mut phi = f
            .analytic(&Func::Log)
            .map_err(|e| format!("the {e} of F"))?;
        phi.negate().map_err(|e| e.to_string())?;
        Ok(phi)
    };
    // A short run finds the denominator; the second is as long as asked.
    let den = run(2)?.den;
    let horizon = u32::try_from(len.div_ceil(den as usize) + 1).map_err(|e| e.to_string())?;
    let phi = run(horizon)?;
    if phi.start < 0 || phi.valuation() < 0 {
        return Err("-log F has negative powers of b - x".to_string());
    }
    let q = phi.den;
    let coeffs = (0..len as i64)
        .map(|k| {
            if k < phi.top {
                Ok(phi.at(k).map_or_else(|| Float::new(prec), Clone::clone))
            } else {
                Err(format!(
                    "the series of -log F is known to {} terms only",
                    phi.top
                ))
            }
        })
        .collect::<Result<Vec<Float>, String>>()?;
    Ok((q, coeffs))
}

//! Expressions compiled for evaluation over MPFR floats at a fixed working precision, and MPFR's
//! `Float` as a scalar of the expression core.
//!
//! [`Program`] is the core's [`Code`] over `rug::Float` with a preallocated stack, so that
//! evaluating a CDF millions of times (inside quadrature) allocates nothing: every intermediate
//! lives in a stack slot created once at the working precision, and each operation rounds in
//! place with MPFR's correct rounding. Subexpressions without the variable are folded into
//! constants once (by the same operations, so no result changes), an operation with a constant
//! operand takes it in place rather than from the stack, sine and cosine run in fixed point
//! ([`crate::trig`]) and `erf`, `erfc` by expansions about a table of centers ([`crate::erf`]).

use efftrade_model::expr::{Code, DomainError, Op, Scalar};
use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use rug::ops::{DivFrom, NegAssign, PowAssign, PowFrom, SubFrom};
use rug::{Assign, Float, Integer, Rational};

use crate::erf::{self, Erf};
use crate::special;
use crate::trig::{Trig, Which};

/// The context of MPFR evaluation: the working precision of constants, and the fixed-point
/// sine and cosine and the tabled `erf` and `erfc` when they replace MPFR's.
#[derive(Clone, Debug)]
pub struct Mpfr {
    /// Bits of the constants (each operation rounds to its destination's precision).
    pub prec: u32,
    /// Fixed-point sine and cosine at `prec`; MPFR's when `None`.
    pub trig: Option<Trig>,
    /// Tabled `erf` and `erfc` at `prec`; MPFR's when `None`.
    pub erf: Option<Erf>,
}

impl Mpfr {
    /// Constants at `prec` bits, MPFR's sine and cosine.
    pub fn new(prec: u32) -> Mpfr {
        Mpfr {
            prec,
            trig: None,
            erf: None,
        }
    }
}

/// MPFR floats: every operation correctly rounded to the destination's precision; a domain
/// fault gives NaN, as MPFR does, never an error.
impl Scalar<Mpfr> for Float {
    fn rational(q: &BigRational, cx: &Mpfr) -> Float {
        Float::with_val(cx.prec, to_rug(q))
    }

    fn constant(c: Constant, cx: &Mpfr) -> Result<Float, DomainError> {
        Ok(match c {
            Constant::Pi => Float::with_val(cx.prec, rug::float::Constant::Pi),
            Constant::E => Float::with_val(cx.prec, 1).exp(),
        })
    }

    #[inline]
    fn set(&mut self, value: &Float) {
        self.assign(value);
    }

    #[inline]
    fn negate(&mut self) -> Result<(), DomainError> {
        self.neg_assign();
        Ok(())
    }

    #[inline]
    fn binary(&mut self, op: BinOp, rhs: &Float) -> Result<(), DomainError> {
        match op {
            BinOp::Add => *self += rhs,
            BinOp::Sub => *self -= rhs,
            BinOp::Mul => *self *= rhs,
            BinOp::Div => *self /= rhs,
            BinOp::Pow => self.pow_assign(rhs),
        }
        Ok(())
    }

    #[inline]
    fn binary_from(&mut self, op: BinOp, lhs: &Float) -> Result<(), DomainError> {
        match op {
            BinOp::Add => *self += lhs,
            BinOp::Sub => self.sub_from(lhs),
            BinOp::Mul => *self *= lhs,
            BinOp::Div => self.div_from(lhs),
            BinOp::Pow => self.pow_from(lhs),
        }
        Ok(())
    }

    #[inline]
    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        self.pow_assign(k);
        Ok(())
    }

    #[inline]
    fn call(&mut self, f: &Func, cx: &mut Mpfr) -> Result<(), DomainError> {
        match (f, &mut cx.trig, &mut cx.erf) {
            (Func::Sin, Some(trig), _) => trig.apply(Which::Sin, self),
            (Func::Cos, Some(trig), _) => trig.apply(Which::Cos, self),
            (Func::Sin, None, _) => self.sin_mut(),
            (Func::Cos, None, _) => self.cos_mut(),
            (Func::Tan, ..) => self.tan_mut(),
            (Func::Exp, ..) => self.exp_mut(),
            (Func::Log, ..) => self.ln_mut(),
            (Func::Sqrt, ..) => self.sqrt_mut(),
            (Func::Erf, _, Some(e)) => e.apply(erf::Which::Erf, self),
            (Func::Erfc, _, Some(e)) => e.apply(erf::Which::Erfc, self),
            (Func::Erf, _, None) => self.erf_mut(),
            (Func::Erfc, _, None) => self.erfc_mut(),
            (Func::BetaInc(s), ..) => *self = special::betainc(s, self),
            (Func::BetaPdf(s), ..) => *self = special::betapdf(s, self),
            (Func::GammaInc(s), ..) => *self = special::gammainc(s, self),
            (Func::GammaPdf(s), ..) => *self = special::gammapdf(s, self),
            (Func::Piecewise(p), ..) => p.eval_at(self, cx, at_or_above)?,
        }
        Ok(())
    }
}

/// A compiled expression with its evaluation stack, at one working precision.
#[derive(Clone, Debug)]
pub struct Program {
    code: Code<Float>,
    stack: Vec<Float>,
    cx: Mpfr,
}

/// Whether `u >= t`, exactly: by the nearest double of `t` where `u` is clearly apart from it,
/// by MPFR's comparison with the exact rational otherwise (a piecewise function's breakpoint).
pub fn at_or_above(u: &Float, t: &BigRational) -> bool {
    let approx = efftrade_model::expr::rational_to_f64(t);
    let margin = approx.abs() * 1e-12 + 1e-300;
    match u.to_f64() {
        v if v > approx + margin => true,
        v if v < approx - margin => false,
        _ => *u >= to_rug(t),
    }
}

/// `q` as an MPFR rational.
pub fn to_rug(q: &BigRational) -> Rational {
    let parse = |s: String| s.parse::<Integer>().expect("a BigInt prints as an integer");
    Rational::from((parse(q.numer().to_string()), parse(q.denom().to_string())))
}

impl Program {
    /// Compiles `expr` for evaluation at `prec` bits. Constant subexpressions are folded with
    /// MPFR's own sine and cosine; the program's run uses the fixed-point ones.
    pub fn new(expr: &Expr, prec: u32) -> Program {
        Program::from_code(Code::new(expr, &mut Mpfr::new(prec)), prec)
    }

    fn from_code(code: Code<Float>, prec: u32) -> Program {
        let calls = |wanted: &dyn Fn(&Func) -> bool| {
            code.ops()
                .iter()
                .any(|op| matches!(op, Op::Call(f) if wanted(f)))
        };
        let trig = if calls(&|f| matches!(f, Func::Sin | Func::Cos)) {
            Trig::new(prec)
        } else {
            None
        };
        let erf = if calls(&|f| matches!(f, Func::Erf | Func::Erfc)) {
            Erf::new(prec)
        } else {
            None
        };
        let stack = (0..code.depth()).map(|_| Float::new(prec)).collect();
        Program {
            code,
            stack,
            cx: Mpfr { prec, trig, erf },
        }
    }

    /// The working precision in bits.
    pub fn prec(&self) -> u32 {
        self.cx.prec
    }

    /// Evaluates at `x`. A domain error (the logarithm of a negative number, say) gives NaN, as
    /// MPFR does; callers check [`Float::is_finite`].
    #[inline]
    pub fn eval(&mut self, x: &Float) -> &Float {
        if self.code.run(&mut self.stack, x, &mut self.cx).is_err() {
            // MPFR's kernels do not fault; NaN is what they would give.
            self.stack[0].assign(rug::float::Special::Nan);
        }
        &self.stack[0]
    }

    /// Evaluates an expression without variable (a support end, say) at `prec` bits.
    pub fn constant(expr: &Expr, prec: u32) -> Float {
        let mut p = Program::new(expr, prec);
        p.eval(&Float::new(prec)).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::parse;

    #[test]
    fn agrees_with_double_precision_where_doubles_are_exact_enough() {
        for src in [
            "0.1*x + 0.1*(1 - cos(x))",
            "3*x^2 - 2*x^3",
            "(1 - exp(-2*x))/(1 - exp(-2))",
            "sqrt(x)*log(1 + x) + tan(x/4)",
            "x^(1/3) - (-x)^3 + 2^x",
            "-x^2 + pi*e",
        ] {
            let e = parse(src).unwrap();
            let mut p = Program::new(&e, 200);
            for &x in &[0.25, 0.5, 1.75] {
                let got = p.eval(&Float::with_val(200, x)).to_f64();
                let want = e.eval_f64(x);
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want.abs().max(1.0),
                    "{src} at {x}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn decimals_are_exact_at_high_precision() {
        // 0.1 * 10 is exactly 1 when 0.1 is the rational 1/10 rounded once at 400 bits.
        let mut p = Program::new(&parse("0.1*x").unwrap(), 400);
        let v = p.eval(&Float::with_val(400, 10)).clone();
        let err = Float::with_val(400, &v - 1u32).abs();
        assert!(err < Float::with_val(400, Float::i_exp(1, -395)), "{v}");
        // sin(pi) vanishes to the working precision.
        let s = Program::constant(&parse("sin(pi)").unwrap(), 1000);
        assert!(s.abs() < Float::with_val(64, Float::i_exp(1, -990)));
    }

    #[test]
    fn folding_constants_changes_no_bit() {
        for src in [
            "0.1*x + 0.1*(1 - cos(x))",
            "(1 - exp(-2*x))/(1 - exp(-2))",
            "2/x - x/3 + (pi - x)^(1/3) + 2^x - sqrt(2)*x",
        ] {
            let e = parse(src).unwrap();
            let mut folded = Program::new(&e, 150);
            let zero = Float::new(150);
            let plain = Code::with_constants(&e, false, &mut |c| {
                c.eval(&zero, &mut Mpfr::new(150)).map_err(|err| err.fault)
            });
            let mut plain = Program::from_code(plain, 150);
            assert!(
                folded.code.ops().len() < plain.code.ops().len(),
                "{src}: nothing folded"
            );
            for x in [0.25, 0.5, 1.75, 3.0] {
                let x = Float::with_val(150, x);
                assert_eq!(*folded.eval(&x), *plain.eval(&x), "{src} at {x}");
            }
        }
    }

    #[test]
    fn domain_errors_are_nan() {
        let mut p = Program::new(&parse("log(x)").unwrap(), 100);
        assert!(p.eval(&Float::with_val(100, -1)).is_nan());
    }
}

//! Expressions compiled for evaluation over MPFR floats at a fixed working precision.
//!
//! [`Program`] turns an [`Expr`] into postfix code over a preallocated stack of `rug::Float`s,
//! so that evaluating a CDF millions of times (inside quadrature) allocates nothing: every
//! intermediate lives in a stack slot created once at the working precision, and each operation
//! rounds in place with MPFR's correct rounding. Subexpressions without the variable are folded
//! into constants once (by the same operations, so no result changes), an operation with a
//! constant operand takes it in place rather than from the stack, and sine and cosine run in
//! fixed point ([`crate::trig`]).

use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use rug::ops::{DivFrom, NegAssign, PowAssign, PowFrom, SubFrom};
use rug::{Assign, Float, Integer, Rational};

use crate::trig::{Trig, Which};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// Push constant `k`.
    Const(usize),
    /// Push the variable.
    Var,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// Raise to a constant integer power (exact in sign for negative bases).
    PowInt(i32),
    Pow,
    Call(Func),
    /// `top = top op k` for constant `k`.
    WithConst(BinOp, usize),
    /// `top = k op top` for constant `k`.
    ConstWith(BinOp, usize),
}

/// A compiled expression with its evaluation stack, at one working precision.
#[derive(Clone, Debug)]
pub struct Program {
    ops: Vec<Op>,
    constants: Vec<Float>,
    stack: Vec<Float>,
    prec: u32,
    /// Fixed-point sine and cosine at this precision, when the expression calls them.
    trig: Option<Trig>,
    /// Whether subexpressions without the variable are folded into constants.
    fold: bool,
}

/// `q` as an MPFR rational.
pub fn to_rug(q: &BigRational) -> Rational {
    let parse = |s: String| s.parse::<Integer>().expect("a BigInt prints as an integer");
    Rational::from((parse(q.numer().to_string()), parse(q.denom().to_string())))
}

impl Program {
    /// Compiles `expr` for evaluation at `prec` bits.
    pub fn new(expr: &Expr, prec: u32) -> Program {
        let mut p = Program {
            ops: Vec::new(),
            constants: Vec::new(),
            stack: Vec::new(),
            prec,
            trig: None,
            fold: true,
        };
        let depth = p.emit(expr);
        if p.ops
            .iter()
            .any(|op| matches!(op, Op::Call(Func::Sin | Func::Cos)))
        {
            p.trig = Trig::new(prec);
        }
        p.stack = (0..depth.max(1)).map(|_| Float::new(prec)).collect();
        p
    }

    /// The working precision in bits.
    pub fn prec(&self) -> u32 {
        self.prec
    }

    /// The index of a new constant: `e` (without the variable) evaluated once at the working
    /// precision, by the same operations a run of the program would perform, so that folding
    /// changes no result.
    fn fold_constant(&mut self, e: &Expr) -> usize {
        let mut p = Program {
            ops: Vec::new(),
            constants: Vec::new(),
            stack: Vec::new(),
            prec: self.prec,
            trig: None,
            fold: false,
        };
        let depth = p.emit(e);
        p.stack = (0..depth.max(1)).map(|_| Float::new(self.prec)).collect();
        let value = p.eval(&Float::new(self.prec)).clone();
        self.constants.push(value);
        self.constants.len() - 1
    }

    /// Emits code for `e`; returns the stack depth it needs.
    fn emit(&mut self, e: &Expr) -> usize {
        let constant = |e: &Expr| !e.has_var();
        if self.fold && constant(e) && !matches!(e, Expr::Num(_) | Expr::Const(_)) {
            let k = self.fold_constant(e);
            self.ops.push(Op::Const(k));
            return 1;
        }
        match e {
            Expr::Num(q) => {
                self.constants.push(Float::with_val(self.prec, to_rug(q)));
                self.ops.push(Op::Const(self.constants.len() - 1));
                1
            }
            Expr::Const(c) => {
                let v = match c {
                    Constant::Pi => Float::with_val(self.prec, rug::float::Constant::Pi),
                    Constant::E => Float::with_val(self.prec, 1).exp(),
                };
                self.constants.push(v);
                self.ops.push(Op::Const(self.constants.len() - 1));
                1
            }
            Expr::Var => {
                self.ops.push(Op::Var);
                1
            }
            Expr::Neg(a) => {
                let d = self.emit(a);
                self.ops.push(Op::Neg);
                d
            }
            Expr::Call(f, a) => {
                let d = self.emit(a);
                self.ops.push(Op::Call(*f));
                d
            }
            Expr::Bin(BinOp::Pow, a, b) => {
                let k = b
                    .eval_rational(None)
                    .filter(|q| q.is_integer())
                    .and_then(|q| i32::try_from(q.to_integer()).ok());
                match k {
                    Some(k) => {
                        let d = self.emit(a);
                        self.ops.push(Op::PowInt(k));
                        d
                    }
                    None => {
                        let da = self.emit(a);
                        let db = self.emit(b);
                        self.ops.push(Op::Pow);
                        da.max(db + 1)
                    }
                }
            }
            Expr::Bin(op, a, b) if self.fold && constant(b) => {
                let d = self.emit(a);
                let k = self.constant_index(b);
                self.ops.push(Op::WithConst(*op, k));
                d
            }
            Expr::Bin(op, a, b) if self.fold && constant(a) && *op != BinOp::Pow => {
                let d = self.emit(b);
                let k = self.constant_index(a);
                self.ops.push(Op::ConstWith(*op, k));
                d
            }
            Expr::Bin(op, a, b) => {
                let da = self.emit(a);
                let db = self.emit(b);
                self.ops.push(match op {
                    BinOp::Add => Op::Add,
                    BinOp::Sub => Op::Sub,
                    BinOp::Mul => Op::Mul,
                    BinOp::Div => Op::Div,
                    BinOp::Pow => Op::Pow,
                });
                da.max(db + 1)
            }
        }
    }

    /// The index of constant `e` (without the variable).
    fn constant_index(&mut self, e: &Expr) -> usize {
        match e {
            Expr::Num(q) => {
                self.constants.push(Float::with_val(self.prec, to_rug(q)));
                self.constants.len() - 1
            }
            Expr::Const(_) => {
                self.emit(e);
                self.ops.pop();
                self.constants.len() - 1
            }
            _ => self.fold_constant(e),
        }
    }

    /// Evaluates at `x`. A domain error (the logarithm of a negative number, say) gives NaN, as
    /// MPFR does; callers check [`Float::is_finite`].
    pub fn eval(&mut self, x: &Float) -> &Float {
        let mut sp = 0usize;
        for op in &self.ops {
            match *op {
                Op::Const(k) => {
                    self.stack[sp].assign(&self.constants[k]);
                    sp += 1;
                }
                Op::Var => {
                    self.stack[sp].assign(x);
                    sp += 1;
                }
                Op::Neg => self.stack[sp - 1].neg_assign(),
                Op::PowInt(k) => self.stack[sp - 1].pow_assign(k),
                Op::Call(f) => {
                    let v = &mut self.stack[sp - 1];
                    match (f, &mut self.trig) {
                        (Func::Sin, Some(trig)) => trig.apply(Which::Sin, v),
                        (Func::Cos, Some(trig)) => trig.apply(Which::Cos, v),
                        (Func::Sin, None) => v.sin_mut(),
                        (Func::Cos, None) => v.cos_mut(),
                        (Func::Tan, _) => v.tan_mut(),
                        (Func::Exp, _) => v.exp_mut(),
                        (Func::Log, _) => v.ln_mut(),
                        (Func::Sqrt, _) => v.sqrt_mut(),
                    }
                }
                Op::WithConst(op, k) => {
                    let (v, k) = (&mut self.stack[sp - 1], &self.constants[k]);
                    match op {
                        BinOp::Add => *v += k,
                        BinOp::Sub => *v -= k,
                        BinOp::Mul => *v *= k,
                        BinOp::Div => *v /= k,
                        BinOp::Pow => v.pow_assign(k),
                    }
                }
                Op::ConstWith(op, k) => {
                    let (v, k) = (&mut self.stack[sp - 1], &self.constants[k]);
                    match op {
                        BinOp::Add => *v += k,
                        BinOp::Sub => v.sub_from(k),
                        BinOp::Mul => *v *= k,
                        BinOp::Div => v.div_from(k),
                        BinOp::Pow => v.pow_from(k),
                    }
                }
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow => {
                    let (lower, upper) = self.stack.split_at_mut(sp - 1);
                    let (a, b) = (&mut lower[sp - 2], &upper[0]);
                    match *op {
                        Op::Add => *a += b,
                        Op::Sub => *a -= b,
                        Op::Mul => *a *= b,
                        Op::Div => *a /= b,
                        _ => a.pow_assign(b),
                    }
                    sp -= 1;
                }
            }
        }
        debug_assert_eq!(sp, 1);
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
            let mut plain = Program {
                ops: Vec::new(),
                constants: Vec::new(),
                stack: Vec::new(),
                prec: 150,
                trig: Trig::new(150),
                fold: false,
            };
            let depth = plain.emit(&e);
            plain.stack = (0..depth).map(|_| Float::new(150)).collect();
            assert!(folded.ops.len() < plain.ops.len(), "{src}: nothing folded");
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

//! The one evaluator of the grammar, generic over the [`Scalar`] type: a walk of the tree
//! ([`Expr::eval`], for one-off evaluations) and the same operations compiled into postfix code
//! ([`Code`], for an expression evaluated many times: quadrature, interval bisection).
//!
//! Both read the tree the same way: a power whose exponent is a constant integer is
//! [`Scalar::pow_int`] (sharper for intervals, exact in sign for negative bases), every other
//! power [`BinOp::Pow`]. [`Code`] also folds each subexpression without the variable into a
//! constant once, by the same kernels a run would apply, so folding changes no result, and an
//! operation with a constant operand takes it in place rather than from the stack.

use num_traits::ToPrimitive;

use super::Expr;
use super::grammar::{BinOp, Func};
use super::scalar::{DomainError, Scalar};

/// Where an evaluation failed: the fault, and the subexpression whose operation faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalError<'e> {
    /// What went wrong.
    pub fault: DomainError,
    /// The subexpression (an operation or a call) that has no value.
    pub at: &'e Expr,
}

/// The exponent `k` when `b` is a constant integer that fits an `i32`: `u^b` is then evaluated
/// as [`Scalar::pow_int`].
pub fn integer_exponent(b: &Expr) -> Option<i32> {
    b.eval_rational(None)
        .filter(|q| q.is_integer())
        .and_then(|q| q.to_integer().to_i32())
}

impl Expr {
    /// The value of the expression at `x` in the scalar type `S` (with its context `cx`), by a
    /// walk of the tree.
    pub fn eval<S: Scalar<C>, C>(&self, x: &S, cx: &mut C) -> Result<S, EvalError<'_>> {
        let at = |fault| EvalError { fault, at: self };
        match self {
            Expr::Num(q) => Ok(S::rational(q, cx)),
            Expr::Const(c) => S::constant(*c, cx).map_err(at),
            Expr::Var => Ok(x.clone()),
            Expr::Neg(a) => {
                let mut v = a.eval(x, cx)?;
                v.negate().map_err(at)?;
                Ok(v)
            }
            Expr::Call(f, a) => {
                let mut v = a.eval(x, cx)?;
                v.call(f, cx).map_err(at)?;
                Ok(v)
            }
            Expr::Bin(op, a, b) => {
                if *op == BinOp::Pow
                    && let Some(k) = integer_exponent(b)
                {
                    let mut v = a.eval(x, cx)?;
                    v.pow_int(k).map_err(at)?;
                    return Ok(v);
                }
                let mut v = a.eval(x, cx)?;
                let w = b.eval(x, cx)?;
                v.binary(*op, &w).map_err(at)?;
                Ok(v)
            }
        }
    }
}

/// One instruction of [`Code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Push constant `k`.
    Const(usize),
    /// Push the variable.
    Var,
    /// Negate the top.
    Neg,
    /// Replace the two top values `a, b` by `a op b`.
    Bin(BinOp),
    /// Raise the top to a constant integer power.
    PowInt(i32),
    /// Apply a function to the top.
    Call(Func),
    /// `top = top op k` for constant `k`.
    WithConst(BinOp, usize),
    /// `top = k op top` for constant `k`.
    ConstWith(BinOp, usize),
    /// A constant the scalar type cannot represent: the run fails.
    Fail(DomainError),
}

/// An expression compiled to postfix code over a stack of `S`, its constants converted (and
/// its constant subexpressions folded) once.
#[derive(Clone, Debug)]
pub struct Code<S> {
    ops: Vec<Op>,
    constants: Vec<S>,
    depth: usize,
}

/// Compiles an expression: the state of [`Code::with_constants`].
struct Emitter<'v, S> {
    code: Code<S>,
    fold: bool,
    value: &'v mut dyn FnMut(&Expr) -> Result<S, DomainError>,
}

impl<S: Clone> Code<S> {
    /// Compiles `expr`, with every constant and constant subexpression evaluated by the walk of
    /// [`Expr::eval`] in `S` with context `cx`.
    pub fn new<C>(expr: &Expr, cx: &mut C) -> Code<S>
    where
        S: Scalar<C>,
    {
        let zero = S::rational(&num_rational::BigRational::default(), cx);
        Code::with_constants(expr, true, &mut |e| {
            e.eval(&zero, cx).map_err(|err| err.fault)
        })
    }

    /// Compiles `expr`, with `value` giving the value of each number, named constant and, when
    /// `fold`, each largest subexpression without the variable (a subexpression whose value is
    /// an error is compiled to operations instead, and fails when run).
    pub fn with_constants(
        expr: &Expr,
        fold: bool,
        value: &mut dyn FnMut(&Expr) -> Result<S, DomainError>,
    ) -> Code<S> {
        let mut emitter = Emitter {
            code: Code {
                ops: Vec::new(),
                constants: Vec::new(),
                depth: 0,
            },
            fold,
            value,
        };
        let depth = emitter.emit(expr);
        let mut code = emitter.code;
        code.depth = depth.max(1);
        code
    }

    /// The instructions.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The stack depth a run needs.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Runs the code at `x` on `stack` (at least [`Code::depth`] values, overwritten) and
    /// returns the value, left in `stack[0]`.
    ///
    /// # Panics
    /// If `stack` is shorter than [`Code::depth`].
    pub fn run<'s, C>(&self, stack: &'s mut [S], x: &S, cx: &mut C) -> Result<&'s S, DomainError>
    where
        S: Scalar<C>,
    {
        let mut sp = 0usize;
        for op in &self.ops {
            match op {
                Op::Const(k) => {
                    stack[sp].set(&self.constants[*k]);
                    sp += 1;
                }
                Op::Var => {
                    stack[sp].set(x);
                    sp += 1;
                }
                Op::Neg => stack[sp - 1].negate()?,
                Op::PowInt(k) => stack[sp - 1].pow_int(*k)?,
                Op::Call(f) => stack[sp - 1].call(f, cx)?,
                Op::WithConst(op, k) => stack[sp - 1].binary(*op, &self.constants[*k])?,
                Op::ConstWith(op, k) => stack[sp - 1].binary_from(*op, &self.constants[*k])?,
                Op::Bin(op) => {
                    let (lower, upper) = stack.split_at_mut(sp - 1);
                    lower[sp - 2].binary(*op, &upper[0])?;
                    sp -= 1;
                }
                Op::Fail(fault) => return Err(*fault),
            }
        }
        debug_assert_eq!(sp, 1);
        Ok(&stack[0])
    }
}

impl<S: Clone> Emitter<'_, S> {
    fn push_constant(&mut self, v: S) -> usize {
        self.code.constants.push(v);
        self.code.constants.len() - 1
    }

    /// Emits code for `e`; returns the stack depth it needs.
    fn emit(&mut self, e: &Expr) -> usize {
        let leaf = matches!(e, Expr::Num(_) | Expr::Const(_));
        if leaf || (self.fold && !e.has_var()) {
            match (self.value)(e) {
                Ok(v) => {
                    let k = self.push_constant(v);
                    self.code.ops.push(Op::Const(k));
                    return 1;
                }
                Err(fault) if leaf => {
                    self.code.ops.push(Op::Fail(fault));
                    return 1;
                }
                Err(_) => {}
            }
        }
        match e {
            Expr::Num(_) | Expr::Const(_) => unreachable!("emitted above"),
            Expr::Var => {
                self.code.ops.push(Op::Var);
                1
            }
            Expr::Neg(a) => {
                let d = self.emit(a);
                self.code.ops.push(Op::Neg);
                d
            }
            Expr::Call(f, a) => {
                let d = self.emit(a);
                self.code.ops.push(Op::Call(f.clone()));
                d
            }
            Expr::Bin(BinOp::Pow, a, b) => match integer_exponent(b) {
                Some(k) => {
                    let d = self.emit(a);
                    self.code.ops.push(Op::PowInt(k));
                    d
                }
                None => self.both(BinOp::Pow, a, b),
            },
            Expr::Bin(op, a, b) => {
                if self.fold && !b.has_var() {
                    let d = self.emit(a);
                    if let Ok(v) = (self.value)(b) {
                        let k = self.push_constant(v);
                        self.code.ops.push(Op::WithConst(*op, k));
                        return d;
                    }
                    let db = self.emit(b);
                    self.code.ops.push(Op::Bin(*op));
                    return d.max(db + 1);
                }
                if self.fold
                    && !a.has_var()
                    && let Ok(v) = (self.value)(a)
                {
                    let d = self.emit(b);
                    let k = self.push_constant(v);
                    self.code.ops.push(Op::ConstWith(*op, k));
                    return d;
                }
                self.both(*op, a, b)
            }
        }
    }

    /// Code for `a op b` with both operands on the stack.
    fn both(&mut self, op: BinOp, a: &Expr, b: &Expr) -> usize {
        let da = self.emit(a);
        let db = self.emit(b);
        self.code.ops.push(Op::Bin(op));
        da.max(db + 1)
    }
}

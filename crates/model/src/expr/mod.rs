//! Expressions in one variable: the language of CDFs and share formulas, and the one core that
//! defines and evaluates it.
//!
//! An [`Expr`] is the abstract syntax tree of a formula such as `0.1*x + 0.1*(1 - cos(x))`. It is
//! what the rest of the toolkit consumes: `efftrade-numeric` compiles it for MPFR evaluation,
//! `efftrade-symbolic` converts it into exact algebra, and this crate uses it to validate a
//! distribution (by interval arithmetic, see [`crate::interval`]).
//!
//! Numbers are exact rationals: the decimal `0.1` is stored as `1/10`, never as the nearest double,
//! so that a computation at 100 digits sees the number the user wrote.
//!
//! # The core
//!
//! - [`grammar`]: the operations ([`BinOp`]), named constants ([`Constant`]) and functions
//!   ([`Func`]), each function with its [`Definition`]: name, whether it is entire, its domain,
//!   its derivative rule.
//! - [`scalar`]: the trait [`Scalar<C>`] a number type implements to evaluate the grammar
//!   (constants from exact rationals and named constants, in-place arithmetic, integer and real
//!   powers, each function, domain faults as [`DomainError`]), and its `f64` implementation.
//! - [`eval`]: the one evaluator, generic over the scalar: [`Expr::eval`] walks the tree,
//!   [`Code`] is the same evaluation compiled to postfix code with constants folded, the form
//!   used wherever an expression is evaluated many times.
//! - [`exact`]: the scalar of exact rationals ([`Expr::eval_rational`]).
//! - `derivative` and `print`: [`Expr::derivative`] and [`Expr::display_with`].
//!
//! Scalar types: `f64` and `BigRational` here, `Interval` in [`crate::interval`]; MPFR floats,
//! complex doubles and Taylor series over MPFR in `efftrade-numeric`; Symbolica input text in
//! `efftrade-symbolic`. A new scalar type (an Arb ball, a complex ball) is one more
//! implementation of [`Scalar`].
//!
//! # Adding a function
//!
//! 1. Add the variant to [`Func`], to [`Func::ALL`], and its [`Definition`] (name, entire or
//!    not, domain, derivative rule) in [`grammar`]. The parser, the printer, differentiation,
//!    the envelope's analyticity test and the symbolic conversion's name follow from it.
//! 2. Add its kernel to [`Scalar::call`] of every scalar type: the compiler lists each one (the
//!    `match` over [`Func`] is exhaustive): `f64` ([`scalar`]), `BigRational` ([`exact`]: no
//!    value unless exact), `Interval` ([`crate::interval`]: an enclosure, or a fault where the
//!    function may be undefined), and in `efftrade-numeric` MPFR (`program.rs`), complex doubles
//!    (`envelope.rs`) and Taylor series (`taylor.rs`: the recurrence of its coefficients).
//! 3. If Symbolica does not know the function by the grammar's name, say so in the symbolic
//!    crate's conversion; if the function is outside the exponential polynomials, nothing else.
//!
//! A function with constant parameters is the same, its parameters held in the variant: the
//! special functions `betainc(p, q, x)`, `gammainc(s, x)` and their densities ([`special`],
//! parameters in [`Shapes`], listed in [`Func::SPECIAL`] for the parser), and the functions
//! defined in pieces between exact breakpoints ([`piecewise`], [`Pieces`]), which the spec's
//! `piecewise` and `empirical` keys build (they have no formula syntax).

pub mod derivative;
pub mod eval;
pub mod exact;
pub mod grammar;
pub mod piecewise;
mod print;
pub mod scalar;
pub mod special;

pub use eval::{Code, EvalError, Op, integer_exponent};
pub use grammar::{BinOp, Constant, Definition, Func};
pub use piecewise::Pieces;
pub use scalar::{DomainError, Scalar};
pub use special::Shapes;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use std::ops::Neg;

/// An expression in one variable (written `x` in a CDF, `r` in a share formula).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// An exact rational number.
    Num(BigRational),
    /// The variable.
    Var,
    /// A named constant.
    Const(Constant),
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// A function applied to an argument.
    Call(Func, Box<Expr>),
}

impl Expr {
    /// The number `n`.
    pub fn int(n: i64) -> Expr {
        Expr::Num(BigRational::from_integer(BigInt::from(n)))
    }

    /// The exact rational `num/den`.
    ///
    /// # Panics
    /// If `den` is zero.
    pub fn ratio(num: i64, den: i64) -> Expr {
        Expr::Num(BigRational::new(BigInt::from(num), BigInt::from(den)))
    }

    /// `self ^ rhs`, folding exponents zero and one.
    pub fn pow(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (_, Expr::Num(z)) if z.is_zero() => Expr::int(1),
            (e, Expr::Num(o)) if o.is_one() => e,
            (a, b) => Expr::Bin(BinOp::Pow, Box::new(a), Box::new(b)),
        }
    }

    /// `f(self)`.
    pub fn call(self, f: Func) -> Expr {
        Expr::Call(f, Box::new(self))
    }

    /// Whether the variable occurs in the expression.
    pub fn has_var(&self) -> bool {
        match self {
            Expr::Var => true,
            Expr::Num(_) | Expr::Const(_) => false,
            Expr::Neg(e) | Expr::Call(_, e) => e.has_var(),
            Expr::Bin(_, a, b) => a.has_var() || b.has_var(),
        }
    }

    /// The expression with the variable replaced by `value`.
    pub fn substitute(&self, value: &Expr) -> Expr {
        match self {
            Expr::Var => value.clone(),
            Expr::Num(_) | Expr::Const(_) => self.clone(),
            Expr::Neg(e) => Expr::Neg(Box::new(e.substitute(value))),
            Expr::Call(f, e) => Expr::Call(f.clone(), Box::new(e.substitute(value))),
            Expr::Bin(op, a, b) => Expr::Bin(
                *op,
                Box::new(a.substitute(value)),
                Box::new(b.substitute(value)),
            ),
        }
    }

    /// Evaluates in double precision at `x`. Domain errors give NaN or an infinity, as IEEE does.
    pub fn eval_f64(&self, x: f64) -> f64 {
        self.eval(&x, &mut ()).unwrap_or(f64::NAN)
    }
}

impl std::ops::Add for Expr {
    type Output = Expr;

    /// `self + rhs`, folding zeros and numbers.
    fn add(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a + b),
            (e, Expr::Num(b)) | (Expr::Num(b), e) if b.is_zero() => e,
            (a, Expr::Neg(b)) => Expr::Bin(BinOp::Sub, Box::new(a), b),
            (a, b) => Expr::Bin(BinOp::Add, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;

    /// `self - rhs`, folding zeros and numbers.
    fn sub(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a - b),
            (e, Expr::Num(b)) if b.is_zero() => e,
            (Expr::Num(a), e) if a.is_zero() => e.neg(),
            (a, b) => Expr::Bin(BinOp::Sub, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;

    /// `self * rhs`, folding zeros, ones and numbers.
    fn mul(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a * b),
            (Expr::Num(z), _) | (_, Expr::Num(z)) if z.is_zero() => Expr::Num(z),
            (e, Expr::Num(o)) | (Expr::Num(o), e) if o.is_one() => e,
            (e, Expr::Num(m)) | (Expr::Num(m), e) if (-m.clone()).is_one() => e.neg(),
            (Expr::Neg(a), b) => a.mul(b).neg(),
            (a, b) => Expr::Bin(BinOp::Mul, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Div for Expr {
    type Output = Expr;

    /// `self / rhs`, folding numbers and division by one.
    fn div(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) if !b.is_zero() => Expr::Num(a / b),
            (e, Expr::Num(o)) if o.is_one() => e,
            (Expr::Num(z), _) if z.is_zero() => Expr::Num(z),
            (a, b) => Expr::Bin(BinOp::Div, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;

    /// `-self`, folding numbers and double negation.
    fn neg(self) -> Expr {
        match self {
            Expr::Num(a) => Expr::Num(-a),
            Expr::Neg(e) => *e,
            e => Expr::Neg(Box::new(e)),
        }
    }
}

/// A rational rounded to the nearest double.
pub fn rational_to_f64(q: &BigRational) -> f64 {
    q.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn derivative_of_the_sine_market_is_its_density() {
        let cdf = parse("0.1*x + 0.1*(1 - cos(x))").unwrap();
        let f = cdf.derivative();
        for &x in &[0.0, 1.0, 2.5, 4.712_388_98, 8.4] {
            let expected = 0.1 + 0.1 * f64::sin(x);
            assert!((f.eval_f64(x) - expected).abs() < 1e-15, "{f} at {x}");
        }
    }

    #[test]
    fn derivatives_agree_with_central_differences() {
        let cases = [
            "x^3 - 2*x + 1",
            "exp(-2*x)*sin(3*x)",
            "sqrt(1 + x^2)/(2 + cos(x))",
            "log(1 + x)*tan(x/3)",
            "2^x + x^x",
            "(1 - exp(-1.5*x))/(1 - exp(-1.5))",
        ];
        for src in cases {
            let e = parse(src).unwrap();
            let d = e.derivative();
            for &x in &[0.3, 0.7, 1.1] {
                let h = 1e-5;
                let numeric = (e.eval_f64(x + h) - e.eval_f64(x - h)) / (2.0 * h);
                let exact = d.eval_f64(x);
                assert!(
                    (numeric - exact).abs() < 1e-8 * (1.0 + exact.abs()),
                    "{src}: d/dx = {d} gives {exact}, differences give {numeric} at {x}"
                );
            }
        }
    }

    #[test]
    fn printing_uses_decimals_when_they_terminate() {
        assert_eq!(Expr::ratio(1, 10).to_string(), "0.1");
        assert_eq!(Expr::ratio(-3, 8).to_string(), "-0.375");
        assert_eq!(Expr::ratio(1, 3).to_string(), "1/3");
        assert_eq!(Expr::int(42).to_string(), "42");
        assert_eq!(parse("1e-322").unwrap().to_string(), "1e-322");
        assert_eq!(parse("2.5e-50").unwrap().to_string(), "25e-51");
    }

    #[test]
    fn printing_reads_back_to_the_same_tree() {
        for src in [
            "-x^2",
            "(-x)^2",
            "2^3^x",
            "(2^3)^x",
            "x - (1 - x)",
            "x/(2*x)",
            "(1/3)^x",
            "-(-x)",
            "1 - -x",
            "sin(x)^2 + cos(x)^2",
        ] {
            let e = parse(src).unwrap();
            let printed = e.to_string();
            assert_eq!(parse(&printed).unwrap(), e, "{src} printed as {printed}");
        }
    }

    #[test]
    fn exact_evaluation_keeps_decimals_exact() {
        let e = parse("0.1 + 0.2").unwrap();
        assert_eq!(
            e.eval_rational(None),
            Some(BigRational::new(3.into(), 10.into()))
        );
        let share = parse("1 - r").map(|_| ()).is_err();
        assert!(share, "`r` is not the CDF variable");
        assert_eq!(parse("sin(0)").unwrap().eval_rational(None), None);
        assert_eq!(
            parse("1/(x - 1)")
                .unwrap()
                .eval_rational(Some(&BigRational::one())),
            None
        );
    }

    #[test]
    fn polynomials_are_recognised() {
        assert!(parse("3*x^2 - 2*x^3").unwrap().is_polynomial());
        assert!(parse("(x - 1)/2").unwrap().is_polynomial());
        assert!(!parse("x^0.5").unwrap().is_polynomial());
        assert!(!parse("1/x").unwrap().is_polynomial());
        assert!(!parse("x*pi").unwrap().is_polynomial());
    }
}

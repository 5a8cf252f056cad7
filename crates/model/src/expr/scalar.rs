//! The scalar abstraction: what a number type provides so that the one evaluator of
//! [`super::eval`] can compute an [`super::Expr`] with it.
//!
//! A scalar type implements [`Scalar<C>`] for a context type `C`: what building a constant or
//! applying a function needs besides the operands (a working precision, the length of a series,
//! a table of fixed-point sines; `()` when nothing). The context being a type parameter also lets
//! a crate implement the trait for a number type of another crate (MPFR's `Float`, a complex
//! double) with a context type of its own.
//!
//! Operations work in place (`self = self op rhs`), so that an MPFR value is rounded once into
//! storage that already exists, and report a domain fault as a [`DomainError`] (a scalar that
//! follows IEEE or MPFR conventions returns NaN instead and never faults).
//!
//! Implementations: `f64` (here), [`BigRational`] (exact, in
//! [`super::exact`]), [`Interval`](crate::interval::Interval) (outward-rounded enclosures, in
//! [`crate::interval`]); in `efftrade-numeric`, MPFR's `Float` (`program`), complex doubles
//! (`envelope`) and truncated Taylor series over MPFR (`taylor`).

use num_rational::BigRational;

use super::grammar::{BinOp, Constant, Func};
use super::special;

/// Why an operation has no value (or no enclosure, or no series) on its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A division by zero (or by an enclosure or series that may vanish).
    #[error("quotient")]
    Quotient,
    /// The logarithm of a number that is not positive (or of a power's base).
    #[error("logarithm")]
    Logarithm,
    /// The square root of a negative number (or of a series vanishing at its point).
    #[error("square root")]
    SquareRoot,
    /// A power outside the domain of the scalar type (a negative base, an exponent too large).
    #[error("power")]
    Power,
    /// The tangent at or near a pole.
    #[error("tangent")]
    Tangent,
    /// A value the scalar type cannot represent: a named constant or a function value for exact
    /// rationals, an unbounded or empty enclosure for intervals.
    #[error("value")]
    Unrepresentable,
}

/// A number type the grammar can be evaluated in, with context `C` (see the module docs).
///
/// Each method is one kernel: adding a function to the grammar adds an arm to [`Scalar::call`]
/// of every implementation (the compiler lists them: the `match` over [`Func`] is exhaustive).
pub trait Scalar<C>: Clone {
    /// The exact rational `q` as a value of this type (rounded or enclosed as the type does).
    fn rational(q: &BigRational, cx: &C) -> Self;

    /// The named constant `c` as a value of this type.
    fn constant(c: Constant, cx: &C) -> Result<Self, DomainError>;

    /// Stores `value` in `self`, as a value of `self`'s kind (MPFR rounds it to `self`'s
    /// precision).
    fn set(&mut self, value: &Self) {
        self.clone_from(value);
    }

    /// `self = -self`.
    fn negate(&mut self) -> Result<(), DomainError>;

    /// `self = self op rhs`; for [`BinOp::Pow`] a real power (the exponent need not be an
    /// integer).
    fn binary(&mut self, op: BinOp, rhs: &Self) -> Result<(), DomainError>;

    /// `self = lhs op self`.
    fn binary_from(&mut self, op: BinOp, lhs: &Self) -> Result<(), DomainError> {
        let mut value = lhs.clone();
        value.binary(op, self)?;
        *self = value;
        Ok(())
    }

    /// `self = self^k` for an integer `k` (defined for negative bases, exact in sign).
    fn pow_int(&mut self, k: i32) -> Result<(), DomainError>;

    /// `self = f(self)`.
    fn call(&mut self, f: &Func, cx: &mut C) -> Result<(), DomainError>;
}

/// Double precision with IEEE semantics: domain faults give NaN or an infinity, never an error.
impl Scalar<()> for f64 {
    fn rational(q: &BigRational, _: &()) -> f64 {
        super::rational_to_f64(q)
    }

    fn constant(c: Constant, _: &()) -> Result<f64, DomainError> {
        Ok(c.to_f64())
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        *self = -*self;
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &f64) -> Result<(), DomainError> {
        let (a, b) = (*self, *rhs);
        *self = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
            BinOp::Pow => pow_f64(a, b),
        };
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        *self = f64::powi(*self, k);
        Ok(())
    }

    fn call(&mut self, f: &Func, _: &mut ()) -> Result<(), DomainError> {
        let v = *self;
        *self = match f {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan(),
            Func::Exp => v.exp(),
            Func::Log => v.ln(),
            Func::Sqrt => v.sqrt(),
            // musl's erf and erfc (the `libm` crate): errors below one ulp.
            Func::Erf => libm::erf(v),
            Func::Erfc => libm::erfc(v),
            Func::BetaInc(s) => special::betainc_f64(s.approx()[0], s.approx()[1], v).0,
            Func::BetaPdf(s) => special::betapdf_f64(s.approx()[0], s.approx()[1], v),
            Func::GammaInc(s) => special::gammainc_f64(s.approx()[0], v).0,
            Func::GammaPdf(s) => special::gammapdf_f64(s.approx()[0], v),
            Func::Piecewise(p) => p.pieces()[p.index_f64(v)].eval_f64(v),
        };
        Ok(())
    }
}

/// `a^b` in double precision with integer exponents handled exactly in sign.
fn pow_f64(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= i32::MAX as f64 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

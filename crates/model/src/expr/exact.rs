//! Exact evaluation over the rationals: the grammar's arithmetic on [`BigRational`], for
//! numbers the user wrote (support ends, betas, shares) and for deciding whether an exponent is
//! a constant integer.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::Expr;
use super::grammar::{BinOp, Constant, Func};
use super::scalar::{DomainError, Scalar};

/// Largest integer exponent computed exactly (beyond it the numbers grow without bound).
const MAX_EXACT_EXPONENT: i32 = 100_000;

/// Exact rationals: named constants, function values, division by zero and non-integer powers
/// have no value.
impl Scalar<()> for BigRational {
    fn rational(q: &BigRational, _: &()) -> BigRational {
        q.clone()
    }

    fn constant(_: Constant, _: &()) -> Result<BigRational, DomainError> {
        Err(DomainError::Unrepresentable)
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        *self = -&*self;
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &BigRational) -> Result<(), DomainError> {
        match op {
            BinOp::Add => *self += rhs,
            BinOp::Sub => *self -= rhs,
            BinOp::Mul => *self *= rhs,
            BinOp::Div if rhs.is_zero() => return Err(DomainError::Quotient),
            BinOp::Div => *self /= rhs,
            BinOp::Pow => {
                if !rhs.is_integer() {
                    return Err(DomainError::Power);
                }
                let k = rhs.to_integer().to_i32().ok_or(DomainError::Power)?;
                return self.pow_int(k);
            }
        }
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        if k.abs() > MAX_EXACT_EXPONENT {
            return Err(DomainError::Power);
        }
        if k < 0 && self.is_zero() {
            return Err(DomainError::Quotient);
        }
        *self = num_traits::pow::Pow::pow(&*self, k);
        Ok(())
    }

    /// A function's value only where it is rational: the incomplete beta and gamma functions
    /// at 0 (both 0) and the incomplete beta at 1 (1), the values that decide whether a CDF
    /// starts at 0 and ends at 1, and a piecewise function where its piece is rational.
    fn call(&mut self, f: &Func, _: &mut ()) -> Result<(), DomainError> {
        let (zero, one) = (BigRational::zero(), BigRational::one());
        match f {
            Func::Piecewise(p) => p.eval_at(self, &mut (), |u, t| u >= t),
            Func::BetaInc(_) | Func::GammaInc(_) if *self == zero => Ok(()),
            Func::BetaInc(_) if *self == one => Ok(()),
            _ => Err(DomainError::Unrepresentable),
        }
    }
}

impl Expr {
    /// Evaluates exactly over the rationals at `x` (or with no variable when `x` is `None`).
    ///
    /// Returns `None` when the value is not a rational the grammar can reach exactly: a named
    /// constant, an elementary function, a division by zero, a non-integer power, or an integer
    /// power with exponent beyond ±100000.
    pub fn eval_rational(&self, x: Option<&BigRational>) -> Option<BigRational> {
        if x.is_none() && self.has_var() {
            return None;
        }
        let zero = BigRational::from_integer(BigInt::zero());
        self.eval(x.unwrap_or(&zero), &mut ()).ok()
    }

    /// Whether the expression is a polynomial in the variable with rational coefficients
    /// (only `+ - *`, numbers, and non-negative integer powers).
    pub fn is_polynomial(&self) -> bool {
        match self {
            Expr::Num(_) | Expr::Var => true,
            Expr::Const(_) | Expr::Call(..) => false,
            Expr::Neg(e) => e.is_polynomial(),
            Expr::Bin(BinOp::Div, a, b) => {
                a.is_polynomial() && matches!(b.eval_rational(None), Some(q) if !q.is_zero())
            }
            Expr::Bin(BinOp::Pow, a, b) => {
                a.is_polynomial()
                    && matches!(b.eval_rational(None), Some(q) if q.is_integer() && !q.is_negative())
            }
            Expr::Bin(_, a, b) => a.is_polynomial() && b.is_polynomial(),
        }
    }
}

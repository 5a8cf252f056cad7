//! Interval arithmetic on exact rational ends, for the cases the double-precision enclosures of
//! [`crate::interval`] cannot decide: a density that touches zero, or dips below it by less than
//! the rounding of doubles.
//!
//! A [`RationalInterval`] `[lo, hi]` has ends that are exact rationals or infinities. Addition,
//! subtraction, multiplication, division and integer powers are exact (so `1/10 + (1/10)(-1)` is
//! exactly `0`, where doubles leave a rounding error of either sign), except that an end with a
//! numerator or denominator longer than [`MAX_BITS`] bits is rounded outward to a dyadic number
//! of [`KEPT_BITS`] significant bits, so that sizes stay bounded, and an end beyond `2^±EXP_LIMIT`
//! is rounded outward to `0` or an infinity. Every function (`sin`, `exp`, `erf`, ...) and every
//! real power is enclosed by the double-precision kernel of [`Interval`] on the smallest double
//! interval holding the argument (its ends are exact rationals), with its ends made exact where
//! the value is: `sin` and `cos` reach `±1` exactly on an interval that may hold an extremum (the
//! kernel's own test, with `pi` enclosed), `exp(0) = 1`, `sin(0) = tan(0) = erf(0) = 0`,
//! `log(1) = 0`, `erfc(0) = 1`, the square root of the square of a rational, `0^v = 0` and
//! `1^v = 1`. With [`Working::series`], `exp`, `sin`, `cos` and `sqrt` are instead enclosed to
//! about [`KEPT_BITS`] bits by [`super::series`].
//!
//! Ends may be infinite: `1/[0, h] = [1/h, +inf]` and `[0, h]^v = [h^v, +inf]` for `v < 0` are the
//! ranges over the points where the operation is defined, which is how an integrable singularity
//! of a density at an end of the support (`x^(-0.7)` at 0, `1/(2 sqrt(1 - x))` at 1) gets a finite
//! lower bound. A division by an interval holding zero inside is still a fault.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;

use super::ends::tidy;
pub use super::ends::{End, KEPT_BITS};
use super::fraction::Q;

use crate::expr::{BinOp, Code, Constant, DomainError, Expr, Func, Scalar};
use crate::interval::Interval;

/// A closed interval with exact rational (or infinite) ends, `lo <= hi`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RationalInterval {
    /// Lower end (never `+inf`).
    pub lo: End,
    /// Upper end (never `-inf`).
    pub hi: End,
}

impl RationalInterval {
    /// `[lo, hi]`, both ends tidied outward.
    fn new(lo: End, hi: End) -> Result<RationalInterval, DomainError> {
        let (lo, hi) = (tidy(lo, false), tidy(hi, true));
        if lo > hi || lo == End::PosInf || hi == End::NegInf {
            return Err(DomainError::Unrepresentable);
        }
        Ok(RationalInterval { lo, hi })
    }

    /// The interval between two doubles (exact).
    pub fn of_f64(lo: f64, hi: f64) -> RationalInterval {
        RationalInterval {
            lo: End::of_f64(lo),
            hi: End::of_f64(hi),
        }
    }

    /// The point `q`.
    pub fn point(q: Q) -> RationalInterval {
        RationalInterval {
            lo: End::Finite(q.clone()),
            hi: End::Finite(q),
        }
    }

    /// The smallest double interval holding this one.
    pub fn outward(&self) -> Interval {
        Interval::new(self.lo.to_f64(false), self.hi.to_f64(true))
    }

    /// Whether both ends are finite.
    pub fn is_bounded(&self) -> bool {
        matches!((&self.lo, &self.hi), (End::Finite(_), End::Finite(_)))
    }

    /// Whether the lower end is at least 0.
    pub fn is_non_negative(&self) -> bool {
        self.lo.sign() != Ordering::Less
    }

    /// Whether the upper end is at most 0.
    pub fn is_non_positive(&self) -> bool {
        self.hi.sign() != Ordering::Greater
    }

    /// Whether the upper end is below 0.
    pub fn is_negative(&self) -> bool {
        self.hi.sign() == Ordering::Less
    }

    fn holds_zero_inside(&self) -> bool {
        self.lo.sign() == Ordering::Less && self.hi.sign() == Ordering::Greater
    }

    fn mul(&self, o: &RationalInterval) -> Result<RationalInterval, DomainError> {
        let corners = [
            self.lo.mul(&o.lo),
            self.lo.mul(&o.hi),
            self.hi.mul(&o.lo),
            self.hi.mul(&o.hi),
        ];
        let lo = corners.iter().min().cloned().unwrap_or(End::NegInf);
        let hi = corners.iter().max().cloned().unwrap_or(End::PosInf);
        RationalInterval::new(lo, hi)
    }

    /// `1/self` over the points where it is defined: `1/[0, h] = [1/h, +inf]`; a fault when zero
    /// lies inside or the interval is `[0, 0]`.
    fn recip(&self) -> Result<RationalInterval, DomainError> {
        if self.holds_zero_inside() || (self.lo.is_zero() && self.hi.is_zero()) {
            return Err(DomainError::Quotient);
        }
        let inv = |e: &End, at_zero: End| match e {
            End::Finite(q) if q.is_zero() => at_zero,
            End::Finite(q) => End::Finite(q.recip()),
            End::NegInf | End::PosInf => End::Finite(Q::zero()),
        };
        // 1/x is decreasing on each side of 0.
        RationalInterval::new(inv(&self.hi, End::NegInf), inv(&self.lo, End::PosInf))
    }

    fn powi(&self, k: i32) -> Result<RationalInterval, DomainError> {
        if k < 0 {
            return self
                .powi(k.checked_neg().ok_or(DomainError::Power)?)?
                .recip();
        }
        if k == 0 {
            return Ok(RationalInterval::point(Q::one()));
        }
        let p = |e: &End, up: bool| power(e, k as u32, up);
        if k % 2 == 1 || self.lo.sign() != Ordering::Less {
            RationalInterval::new(p(&self.lo, false), p(&self.hi, true))
        } else if self.hi.sign() != Ordering::Greater {
            RationalInterval::new(p(&self.hi, false), p(&self.lo, true))
        } else {
            let top = std::cmp::max(p(&self.lo, true), p(&self.hi, true));
            RationalInterval::new(End::Finite(Q::zero()), top)
        }
    }

    /// `u^v` for a real exponent: defined for `u > 0`, and at `u = 0` when `v > 0`; at `u = 0`
    /// with `v < 0` the range over `u > 0` is unbounded above.
    fn pow(&self, v: &RationalInterval) -> Result<RationalInterval, DomainError> {
        if self.lo.sign() == Ordering::Less {
            return Err(DomainError::Power);
        }
        let positive = v.lo.sign() == Ordering::Greater;
        let negative = v.hi.sign() == Ordering::Less;
        if self.lo.is_zero() && !positive && !negative {
            return Err(DomainError::Power);
        }
        let vd = v.outward();
        // The double kernel on the part of u away from 0.
        let from_lo = if self.lo.is_zero() {
            None
        } else {
            Some(self.lo.to_f64(false))
        };
        let base = Interval::new(
            from_lo.unwrap_or(self.hi.to_f64(false)),
            self.hi.to_f64(true),
        );
        let mut out = of_interval(base.pow(vd).map_err(|_| DomainError::Power)?);
        if from_lo.is_none() {
            if positive {
                out.lo = End::Finite(Q::zero());
            } else {
                out.hi = End::PosInf;
            }
        }
        let one = End::Finite(Q::one());
        if self.lo == one {
            if positive {
                out.lo = one.clone();
            } else if negative {
                out.hi = one.clone();
            }
        }
        if self.hi == one {
            if positive {
                out.hi = one;
            } else if negative {
                out.lo = one;
            }
        }
        RationalInterval::new(out.lo, out.hi)
    }

    /// `f(self)`: the double kernel on the outward double interval, with ends made exact where
    /// the value is exact (see the module docs).
    fn apply(&self, f: &Func, series: bool) -> Result<RationalInterval, DomainError> {
        let d = self.outward();
        let fine = if series {
            super::series::apply(f, self)?
        } else {
            None
        };
        let mut out = match (fine, f) {
            (Some(v), _) => v,
            (None, Func::Sin) => of_interval(d.sin()),
            (None, Func::Cos) => of_interval(d.cos()),
            (None, Func::Tan) => of_interval(d.tan().map_err(|_| DomainError::Tangent)?),
            (None, Func::Exp) => of_interval(d.exp()),
            (None, Func::Erf) => of_interval(d.erf()),
            (None, Func::Erfc) => of_interval(d.erfc()),
            (None, Func::Log) => {
                if self.lo.sign() == Ordering::Less {
                    return Err(DomainError::Logarithm);
                }
                if self.lo.is_zero() {
                    if self.hi.is_zero() {
                        return Err(DomainError::Logarithm);
                    }
                    let top = Interval::point(d.hi)
                        .ln()
                        .map_err(|_| DomainError::Logarithm)?;
                    RationalInterval {
                        lo: End::NegInf,
                        hi: End::of_f64(top.hi),
                    }
                } else {
                    of_interval(d.ln().map_err(|_| DomainError::Logarithm)?)
                }
            }
            (None, Func::Sqrt) => of_interval(d.sqrt().map_err(|_| DomainError::SquareRoot)?),
            // The special and piecewise functions: their double-precision enclosures.
            (
                None,
                Func::BetaInc(_)
                | Func::BetaPdf(_)
                | Func::GammaInc(_)
                | Func::GammaPdf(_)
                | Func::Piecewise(_),
            ) => {
                let mut v = d;
                v.call(f, &mut ())?;
                of_interval(v)
            }
        };
        // Increasing functions (sin only between -pi/2 and pi/2) take exact values at exact ends;
        // erfc is decreasing.
        let monotone = match f {
            // Their double enclosures already hold every exact value.
            Func::BetaInc(_)
            | Func::BetaPdf(_)
            | Func::GammaInc(_)
            | Func::GammaPdf(_)
            | Func::Piecewise(_) => false,
            Func::Sin => {
                let near =
                    |e: &End| matches!(e, End::Finite(q) if q.abs() < Q::new(3.into(), 2.into()));
                near(&self.lo) && near(&self.hi)
            }
            Func::Cos => false,
            _ => true,
        };
        if monotone {
            let (at_lo, at_hi) = (exact_value(f, &self.lo), exact_value(f, &self.hi));
            if *f == Func::Erfc {
                if let Some(v) = at_lo {
                    out.hi = End::Finite(v);
                }
                if let Some(v) = at_hi {
                    out.lo = End::Finite(v);
                }
            } else {
                if let Some(v) = at_lo {
                    out.lo = End::Finite(v);
                }
                if let Some(v) = at_hi {
                    out.hi = End::Finite(v);
                }
            }
        }
        if *f == Func::Sqrt && self.lo.sign() != Ordering::Greater {
            out.lo = End::Finite(Q::zero());
        }
        RationalInterval::new(out.lo, out.hi)
    }
}

/// `e^k` rounded outward in the direction `up` (exact while the result is short).
fn power(e: &End, k: u32, up: bool) -> End {
    let End::Finite(q) = e else {
        return if k.is_multiple_of(2) {
            End::PosInf
        } else {
            e.clone()
        };
    };
    if q.is_zero() || q.abs().is_one() || k == 1 {
        return End::Finite(q.pow(k));
    }
    // Square and multiply on |q|, rounding every step outward in the direction the sign of the
    // result asks for.
    let negative = q.is_negative() && k % 2 == 1;
    let dir = up != negative; // round |q|^k up when the end's value must go up and is positive
    let mut result = End::Finite(Q::one());
    let mut base = End::Finite(q.abs());
    let mut n = k;
    while n > 0 {
        if n & 1 == 1 {
            result = tidy(result.mul(&base), dir);
        }
        n >>= 1;
        if n > 0 {
            base = tidy(base.mul(&base), dir);
        }
    }
    if negative { result.neg() } else { result }
}

/// The value of `f` at `e` when it is an exact rational.
fn exact_value(f: &Func, e: &End) -> Option<Q> {
    let End::Finite(q) = e else { return None };
    match f {
        Func::Sin | Func::Tan | Func::Erf if q.is_zero() => Some(Q::zero()),
        Func::Exp | Func::Erfc | Func::Cos if q.is_zero() => Some(Q::one()),
        Func::Log if q.is_one() => Some(Q::zero()),
        Func::Sqrt if !q.is_negative() => {
            let q = q.reduced();
            let (n, d) = (q.numer().sqrt(), q.denom().sqrt());
            (&n * &n == *q.numer() && &d * &d == *q.denom()).then(|| Q::new(n, d))
        }
        _ => None,
    }
}

/// A double interval as a rational one (exact: doubles are rationals).
fn of_interval(i: Interval) -> RationalInterval {
    RationalInterval::of_f64(i.lo, i.hi)
}

/// An enclosure of pi.
pub(super) fn pi_enclosure() -> RationalInterval {
    constant_enclosure(Constant::Pi)
}

/// Enclosures of pi and e: forty correct decimals, rounded down and up.
fn constant_enclosure(c: Constant) -> RationalInterval {
    let digits = match c {
        Constant::Pi => "3141592653589793238462643383279502884197",
        Constant::E => "2718281828459045235360287471352662497757",
    };
    let n: BigInt = digits.parse().unwrap_or_default();
    let scale = BigInt::from(10).pow(39);
    RationalInterval {
        lo: End::Finite(Q::new(n.clone(), scale.clone())),
        hi: End::Finite(Q::new(n + 1, scale)),
    }
}

/// How functions are enclosed: by their double-precision kernels, or (`series`) to about
/// [`KEPT_BITS`] bits where [`super::series`] can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Working {
    /// Whether `exp`, `sin`, `cos` and `sqrt` are summed as series.
    pub series: bool,
}

impl Scalar<Working> for RationalInterval {
    fn rational(q: &BigRational, _: &Working) -> RationalInterval {
        RationalInterval::point(Q::from(q))
    }

    fn constant(c: Constant, _: &Working) -> Result<RationalInterval, DomainError> {
        Ok(constant_enclosure(c))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        *self = RationalInterval {
            lo: self.hi.neg(),
            hi: self.lo.neg(),
        };
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &RationalInterval) -> Result<(), DomainError> {
        *self = match op {
            BinOp::Add => RationalInterval::new(self.lo.add(&rhs.lo), self.hi.add(&rhs.hi))?,
            BinOp::Sub => {
                RationalInterval::new(self.lo.add(&rhs.hi.neg()), self.hi.add(&rhs.lo.neg()))?
            }
            BinOp::Mul => self.mul(rhs)?,
            BinOp::Div => self.mul(&rhs.recip()?)?,
            BinOp::Pow => self.pow(rhs)?,
        };
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        *self = self.powi(k)?;
        Ok(())
    }

    fn call(&mut self, f: &Func, cx: &mut Working) -> Result<(), DomainError> {
        *self = self.apply(f, cx.series)?;
        Ok(())
    }
}

/// An expression compiled for repeated evaluation on rational intervals.
#[derive(Clone, Debug)]
pub struct RationalIntervalExpr {
    code: Code<RationalInterval>,
}

impl RationalIntervalExpr {
    /// Compiles `e` (its constant subexpressions enclosed with series where they can be).
    pub fn compile(e: &Expr) -> RationalIntervalExpr {
        RationalIntervalExpr {
            code: Code::new(e, &mut Working { series: true }),
        }
    }

    /// An enclosure of the expression's values for the variable ranging over `x`, or the fault,
    /// with functions enclosed by their double-precision kernels.
    pub fn eval(&self, x: &RationalInterval) -> Result<RationalInterval, DomainError> {
        self.eval_with(x, Working { series: false })
    }

    /// The same, with the functions enclosed as `working` says.
    pub fn eval_with(
        &self,
        x: &RationalInterval,
        mut working: Working,
    ) -> Result<RationalInterval, DomainError> {
        let zero = RationalInterval::point(Q::zero());
        let mut stack = vec![zero; self.code.depth()];
        self.code.run(&mut stack, x, &mut working).cloned()
    }
}

/// `q` as a double when it is one, for tests.
#[cfg(test)]
pub(super) fn as_f64(e: &End) -> Option<f64> {
    match e {
        End::Finite(q) => q.to_f64(),
        _ => None,
    }
}

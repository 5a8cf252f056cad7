//! Interval arithmetic in double precision, for validating distributions.
//!
//! An [`Interval`] `[lo, hi]` encloses a set of reals. Every operation returns an interval that
//! contains every value the operation can take on its inputs: bounds are rounded outward by two
//! units in the last place after each step, which covers the rounding of IEEE arithmetic and the
//! (sub-ulp) error of the platform's `sin`, `cos`, `exp` and `log` and of musl's `erf` and `erfc`
//! (the `libm` crate). This is what lets validation
//! *prove* that a density is non-negative on a stretch, instead of sampling it on a grid.
//!
//! [`Interval`] is a [`Scalar`] of the expression core: expressions are compiled once into an
//! [`IntervalExpr`] (the core's [`Code`], numbers converted to enclosing intervals) and then
//! evaluated on many subintervals. A fault (a logarithm of an interval reaching zero, say) is
//! [`Undefined`].

use num_rational::BigRational;
use num_traits::{FromPrimitive, ToPrimitive};

use crate::expr::{BinOp, Code, Constant, DomainError, Expr, Func, Scalar};

/// A closed interval of reals `[lo, hi]` with `lo <= hi`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// The expression may be undefined somewhere on the interval (a logarithm of an interval reaching
/// zero, a square root of a wholly negative one, a division by an interval holding zero, a pole
/// of `tan`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Undefined;

fn down(x: f64) -> f64 {
    if x.is_nan() {
        f64::NEG_INFINITY
    } else {
        x.next_down().next_down()
    }
}

fn up(x: f64) -> f64 {
    if x.is_nan() {
        f64::INFINITY
    } else {
        x.next_up().next_up()
    }
}

impl Interval {
    /// The degenerate interval `[x, x]` (exact: no widening).
    pub fn point(x: f64) -> Interval {
        Interval { lo: x, hi: x }
    }

    /// `[lo, hi]`.
    pub fn new(lo: f64, hi: f64) -> Interval {
        debug_assert!(lo <= hi, "[{lo}, {hi}]");
        Interval { lo, hi }
    }

    /// The interval rounded outward.
    fn widened(lo: f64, hi: f64) -> Interval {
        Interval {
            lo: down(lo),
            hi: up(hi),
        }
    }

    /// An interval enclosing the rational `q`.
    pub fn of_rational(q: &BigRational) -> Interval {
        let f = q.to_f64().unwrap_or(f64::NAN);
        if f.is_finite() && BigRational::from_f64(f).as_ref() == Some(q) {
            Interval::point(f)
        } else {
            Interval::widened(f, f)
        }
    }

    /// Width `hi - lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// Midpoint.
    pub fn mid(&self) -> f64 {
        0.5 * self.lo + 0.5 * self.hi
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    fn add(self, o: Interval) -> Interval {
        Interval::widened(self.lo + o.lo, self.hi + o.hi)
    }

    fn sub(self, o: Interval) -> Interval {
        Interval::widened(self.lo - o.hi, self.hi - o.lo)
    }

    fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    fn mul(self, o: Interval) -> Interval {
        let p = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        // 0 * inf is NaN: such a product is unbounded.
        if p.iter().any(|v| v.is_nan()) {
            return Interval {
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            };
        }
        let lo = p.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Interval::widened(lo, hi)
    }

    fn recip(self) -> Result<Interval, Undefined> {
        if self.lo <= 0.0 && self.hi >= 0.0 {
            return Err(Undefined);
        }
        Ok(Interval::widened(1.0 / self.hi, 1.0 / self.lo))
    }

    fn powi(self, k: i32) -> Result<Interval, Undefined> {
        if k < 0 {
            return self.powi(k.checked_neg().ok_or(Undefined)?)?.recip();
        }
        if k == 0 {
            return Ok(Interval::point(1.0));
        }
        // `powi` multiplies by repeated squaring, at most 2 log2(k) correctly rounded products:
        // its relative error stays below that many units in the last place, so each end is
        // widened by as many more (two per end below, by `down` and `up`).
        let ulps = 2 * (32 - k.unsigned_abs().leading_zeros());
        let widen = |x: f64, toward: fn(f64) -> f64| (0..ulps).fold(x, |y, _| toward(y));
        let (lo_pow, hi_pow) = (self.lo.powi(k), self.hi.powi(k));
        let (a, b) = if self.lo >= 0.0 || k % 2 == 1 {
            (widen(lo_pow, f64::next_down), widen(hi_pow, f64::next_up))
        } else if self.hi <= 0.0 {
            (widen(lo_pow, f64::next_up), widen(hi_pow, f64::next_down))
        } else {
            (widen(lo_pow, f64::next_up), widen(hi_pow, f64::next_up))
        };
        Ok(if self.lo >= 0.0 {
            // A power of a non-negative number is non-negative, even where it underflows.
            Interval {
                lo: down(a).max(0.0),
                hi: up(b),
            }
        } else if k % 2 == 1 {
            Interval::widened(a, b)
        } else if self.hi <= 0.0 {
            Interval::widened(b, a)
        } else {
            Interval {
                lo: 0.0,
                hi: up(a.max(b)),
            }
        })
    }

    /// `u^v` for a non-integer exponent: defined for `u > 0`, and for `u >= 0` when `v > 0`.
    /// `u^v` is monotone in each argument there, so its extremes lie at the corners.
    pub(crate) fn pow(self, v: Interval) -> Result<Interval, Undefined> {
        if self.lo < 0.0 || (self.lo == 0.0 && v.lo <= 0.0) {
            return Err(Undefined);
        }
        let corners = [
            self.lo.powf(v.lo),
            self.lo.powf(v.hi),
            self.hi.powf(v.lo),
            self.hi.powf(v.hi),
        ];
        let lo = corners.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = corners.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Ok(Interval {
            lo: down(lo).max(0.0),
            hi: up(hi),
        })
    }

    pub(crate) fn exp(self) -> Interval {
        Interval {
            lo: down(self.lo.exp()).max(0.0),
            hi: up(self.hi.exp()),
        }
    }

    pub(crate) fn ln(self) -> Result<Interval, Undefined> {
        if self.lo <= 0.0 {
            return Err(Undefined);
        }
        Ok(Interval::widened(self.lo.ln(), self.hi.ln()))
    }

    /// `erf` is increasing, with values in `[-1, 1]`; `libm`'s is within one ulp.
    pub(crate) fn erf(self) -> Interval {
        Interval {
            lo: down(libm::erf(self.lo)).max(-1.0),
            hi: up(libm::erf(self.hi)).min(1.0),
        }
    }

    /// `erfc` is decreasing, with values in `[0, 2]`; `libm`'s is within one ulp.
    pub(crate) fn erfc(self) -> Interval {
        Interval {
            lo: down(libm::erfc(self.hi)).max(0.0),
            hi: up(libm::erfc(self.lo)).min(2.0),
        }
    }

    /// The square root of the interval's non-negative part: an enclosure of `sqrt` over the
    /// points where it is defined. Rounding widens an exact zero (`1 - x` at `x = 1`) to a
    /// few ulps either side of it, which must not make `sqrt(1 - x)` undefined at `x = 1`; an
    /// argument wholly below zero is still undefined, so a square root of a negative stretch is
    /// found where the stretch is.
    pub(crate) fn sqrt(self) -> Result<Interval, Undefined> {
        if self.hi < 0.0 {
            return Err(Undefined);
        }
        Ok(Interval {
            lo: down(self.lo.max(0.0).sqrt()).max(0.0),
            hi: up(self.hi.sqrt()),
        })
    }

    /// Whether `[lo, hi]` may contain a point `phase + k * period` for an integer k. Errs on the
    /// side of "yes" near the ends (the test is run on a slightly widened interval).
    fn may_contain_lattice(self, phase: f64, period: f64) -> bool {
        let slack = 1e-12 * (1.0 + self.lo.abs().max(self.hi.abs()));
        let k = ((self.lo - slack - phase) / period).ceil();
        phase + k * period <= self.hi + slack
    }

    pub(crate) fn sin(self) -> Interval {
        use std::f64::consts::{FRAC_PI_2, PI};
        if self.width().is_nan() || self.width() >= 2.0 * PI {
            return Interval { lo: -1.0, hi: 1.0 };
        }
        let (a, b) = (self.lo.sin(), self.hi.sin());
        let mut lo = down(a.min(b));
        let mut hi = up(a.max(b));
        if self.may_contain_lattice(FRAC_PI_2, 2.0 * PI) {
            hi = 1.0;
        }
        if self.may_contain_lattice(-FRAC_PI_2, 2.0 * PI) {
            lo = -1.0;
        }
        Interval {
            lo: lo.max(-1.0),
            hi: hi.min(1.0),
        }
    }

    pub(crate) fn cos(self) -> Interval {
        use std::f64::consts::PI;
        if self.width().is_nan() || self.width() >= 2.0 * PI {
            return Interval { lo: -1.0, hi: 1.0 };
        }
        let (a, b) = (self.lo.cos(), self.hi.cos());
        let mut lo = down(a.min(b));
        let mut hi = up(a.max(b));
        if self.may_contain_lattice(0.0, 2.0 * PI) {
            hi = 1.0;
        }
        if self.may_contain_lattice(PI, 2.0 * PI) {
            lo = -1.0;
        }
        Interval {
            lo: lo.max(-1.0),
            hi: hi.min(1.0),
        }
    }

    pub(crate) fn tan(self) -> Result<Interval, Undefined> {
        use std::f64::consts::{FRAC_PI_2, PI};
        if self.width().is_nan() || self.width() >= PI || self.may_contain_lattice(FRAC_PI_2, PI) {
            return Err(Undefined);
        }
        Ok(Interval::widened(self.lo.tan(), self.hi.tan()))
    }
}

/// The result of an interval kernel: `r` unless an end is NaN or the ends are inverted.
fn checked(r: Interval) -> Result<Interval, DomainError> {
    if r.lo.is_nan() || r.hi.is_nan() || r.lo > r.hi {
        return Err(DomainError::Unrepresentable);
    }
    Ok(r)
}

/// Enclosures: every kernel returns an interval holding every value of the operation on its
/// operands, or a fault where the operation may be undefined somewhere on them.
impl Scalar<()> for Interval {
    fn rational(q: &BigRational, _: &()) -> Interval {
        Interval::of_rational(q)
    }

    fn constant(c: Constant, _: &()) -> Result<Interval, DomainError> {
        // pi and e rounded to nearest are within half an ulp of the truth.
        let v = c.to_f64();
        Ok(Interval::widened(v, v))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        *self = checked(Interval::neg(*self))?;
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &Interval) -> Result<(), DomainError> {
        let (a, b) = (*self, *rhs);
        let undefined = |_| DomainError::Unrepresentable;
        *self = checked(match op {
            BinOp::Add => a.add(b),
            BinOp::Sub => a.sub(b),
            BinOp::Mul => a.mul(b),
            BinOp::Div => a.mul(b.recip().map_err(|_| DomainError::Quotient)?),
            BinOp::Pow => a.pow(b).map_err(undefined)?,
        })?;
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        *self = checked(self.powi(k).map_err(|_| DomainError::Power)?)?;
        Ok(())
    }

    fn call(&mut self, f: &Func, _: &mut ()) -> Result<(), DomainError> {
        let v = *self;
        *self = checked(match f {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan().map_err(|_| DomainError::Tangent)?,
            Func::Exp => v.exp(),
            Func::Log => v.ln().map_err(|_| DomainError::Logarithm)?,
            Func::Sqrt => v.sqrt().map_err(|_| DomainError::SquareRoot)?,
            Func::Erf => v.erf(),
            Func::Erfc => v.erfc(),
            Func::BetaInc(_) | Func::BetaPdf(_) | Func::GammaInc(_) | Func::GammaPdf(_) => {
                crate::expr::special::enclose(f, v)?
            }
            Func::Piecewise(p) => p.enclose(v)?,
        })?;
        Ok(())
    }
}

/// An expression compiled for repeated interval evaluation.
#[derive(Clone, Debug)]
pub struct IntervalExpr {
    code: Code<Interval>,
}

impl IntervalExpr {
    /// Compiles `e`.
    pub fn compile(e: &Expr) -> IntervalExpr {
        IntervalExpr {
            code: Code::new(e, &mut ()),
        }
    }

    /// An enclosure of the expression's values for the variable ranging over `x`.
    pub fn eval(&self, x: Interval) -> Result<Interval, Undefined> {
        let mut stack = vec![Interval::point(0.0); self.code.depth()];
        self.code
            .run(&mut stack, &x, &mut ())
            .copied()
            .map_err(|_| Undefined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn encloses(src: &str, x: Interval, samples: usize) {
        let e = parse(src).unwrap();
        let enc = IntervalExpr::compile(&e).eval(x).unwrap();
        for i in 0..=samples {
            let t = x.lo + (x.hi - x.lo) * i as f64 / samples as f64;
            let v = e.eval_f64(t);
            assert!(
                enc.contains(v),
                "{src} at {t} = {v} outside [{}, {}]",
                enc.lo,
                enc.hi
            );
        }
    }

    #[test]
    fn enclosures_contain_every_sampled_value() {
        let x = Interval::new(-0.7, 2.3);
        for src in [
            "x^3 - 2*x",
            "sin(3*x) + cos(x)",
            "exp(-x^2)",
            "sqrt(x^2 + 1)",
            "x^2 - x^4",
            "1/(3 + x)",
            "2^x",
            "tan(x/2)",
            "(x+1)^(-2)",
        ] {
            encloses(src, x, 997);
        }
        encloses("log(x) + x^0.5", Interval::new(0.01, 7.0), 997);
        encloses("x^(1/3) + x^1.5", Interval::new(0.0, 3.0), 997);
    }

    #[test]
    fn sine_extrema_are_captured() {
        let e = IntervalExpr::compile(&parse("0.1 + 0.1*sin(x)").unwrap());
        let around = Interval::new(4.7, 4.72); // holds 3 pi / 2
        let v = e.eval(around).unwrap();
        assert!(v.lo <= 0.0 && v.lo > -1e-15, "{v:?}");
        let away = e.eval(Interval::new(1.0, 2.0)).unwrap();
        assert!(away.lo > 0.18);
    }

    #[test]
    fn domain_faults_are_reported() {
        let x = Interval::new(-1.0, 1.0);
        assert_eq!(
            IntervalExpr::compile(&parse("log(x)").unwrap()).eval(x),
            Err(Undefined)
        );
        // The square root of the defined part: [-1, 1] gives [0, 1]; wholly negative is undefined.
        let root = IntervalExpr::compile(&parse("sqrt(x)").unwrap());
        let v = root.eval(x).unwrap();
        assert!(v.lo == 0.0 && v.hi >= 1.0 && v.hi < 1.0 + 1e-15, "{v:?}");
        assert_eq!(root.eval(Interval::new(-2.0, -1.0)), Err(Undefined));
        assert_eq!(
            IntervalExpr::compile(&parse("1/x").unwrap()).eval(x),
            Err(Undefined)
        );
        assert_eq!(
            IntervalExpr::compile(&parse("tan(x)").unwrap()).eval(Interval::new(1.0, 2.0)),
            Err(Undefined)
        );
        assert!(
            IntervalExpr::compile(&parse("x^2").unwrap())
                .eval(x)
                .is_ok()
        );
    }
}

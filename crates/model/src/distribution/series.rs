//! `exp`, `sin`, `cos` and `sqrt` enclosed to about [`KEPT_BITS`] bits, for
//! [`RationalInterval`]s whose double-precision function values cannot decide a sign (a density
//! dipping below zero by less than `1e-16` of its size, or an exponential beyond double range).
//!
//! Each is enclosed at the ends of its argument (the functions are monotone between the extrema
//! of `sin` and `cos`, which are `±1` exactly) by its Taylor series evaluated in rational
//! interval arithmetic with a bound on the remainder: `exp(q) = exp(q / 2^s)^(2^s)` with
//! `|q / 2^s| <= 1/4` and 40 terms (remainder below `2^-240`); `sin` and `cos` after reducing by a
//! multiple of `pi / 2` (`pi` enclosed to 39 decimals), with 30 terms on `|r| <= 1` (remainder
//! below `2^-280`); `sqrt(n / d) = isqrt(n d 4^P) / (d 2^P)` and one more, `P = KEPT_BITS`.
//! Arguments of magnitude above `2^20` are left to the double kernels.

use num_bigint::BigInt;
use num_traits::{One, ToPrimitive};

use super::fraction::Q;
use super::rational_interval::{End, KEPT_BITS, RationalInterval, pi_enclosure};
use crate::expr::{BinOp, DomainError, Func, Scalar};

/// Arguments beyond `2^MAX_EXPONENT` in magnitude are not taken.
const MAX_EXPONENT: u64 = 20;

/// `f` on `x` to about [`KEPT_BITS`] bits, or `None` when the double kernel is to be used.
pub(super) fn apply(
    f: &Func,
    x: &RationalInterval,
) -> Result<Option<RationalInterval>, DomainError> {
    let (End::Finite(lo), End::Finite(hi)) = (&x.lo, &x.hi) else {
        return Ok(None);
    };
    let small = |q: &Q| q.numer().bits() <= q.denom().bits() + MAX_EXPONENT;
    if !small(lo) || !small(hi) {
        return Ok(None);
    }
    Ok(Some(match f {
        Func::Exp => span(exp_at(lo)?, exp_at(hi)?)?,
        Func::Sqrt if !lo.is_negative() => span(sqrt_at(lo), sqrt_at(hi))?,
        Func::Sin | Func::Cos => {
            let width = x.outward().width();
            if width.is_nan() || width >= 6.0 {
                return Ok(None);
            }
            let (at_lo, at_hi) = (sin_cos_at(f, lo)?, sin_cos_at(f, hi)?);
            let mut v = checked(
                std::cmp::min(at_lo.lo, at_hi.lo),
                std::cmp::max(at_lo.hi, at_hi.hi),
            )?;
            // The extrema inside: sin's maxima at (1/2 + 2k) pi, minima at (3/2 + 2k) pi; cos's
            // at 2k pi and (1 + 2k) pi.
            let (max_at, min_at) = if *f == Func::Sin { (1, 3) } else { (0, 2) };
            let one = Q::one();
            if may_hold(lo, hi, max_at)? {
                v.hi = End::Finite(one.clone());
            }
            if may_hold(lo, hi, min_at)? {
                v.lo = End::Finite(one.neg());
            }
            clamp_unit(v)
        }
        _ => return Ok(None),
    }))
}

/// Whether `[lo, hi]` (narrower than `2 pi`) may hold `(m/2 + 2k) pi` for an integer `k`, with
/// `pi` enclosed.
fn may_hold(lo: &Q, hi: &Q, m: i64) -> Result<bool, DomainError> {
    use std::f64::consts::{FRAC_PI_2, TAU};
    let (l, h) = (lo.to_f64().unwrap_or(0.0), hi.to_f64().unwrap_or(0.0));
    let phase = m as f64 * FRAC_PI_2;
    let first = ((l - phase) / TAU).floor() - 1.0;
    let last = ((h - phase) / TAU).ceil() + 1.0;
    let (Some(first), Some(last)) = (first.to_i64(), last.to_i64()) else {
        return Ok(true);
    };
    let (lo, hi) = (End::Finite(lo.clone()), End::Finite(hi.clone()));
    for k in first..=last {
        let point = op(
            pi_enclosure(),
            BinOp::Mul,
            &constant(Q::new(BigInt::from(m + 4 * k), BigInt::from(2))),
        )?;
        if point.hi >= lo && point.lo <= hi {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `[a.lo, b.hi]`: the range of an increasing function from its enclosures at the two ends.
fn span(a: RationalInterval, b: RationalInterval) -> Result<RationalInterval, DomainError> {
    checked(a.lo, b.hi)
}

fn checked(lo: End, hi: End) -> Result<RationalInterval, DomainError> {
    let mut v = RationalInterval::point(Q::zero());
    v.lo = lo;
    v.hi = hi;
    if v.lo > v.hi {
        return Err(DomainError::Unrepresentable);
    }
    Ok(v)
}

fn clamp_unit(mut v: RationalInterval) -> RationalInterval {
    let (one, minus_one) = (End::Finite(Q::one()), End::Finite(Q::one().neg()));
    if v.hi > one {
        v.hi = one;
    }
    if v.lo < minus_one {
        v.lo = minus_one;
    }
    v
}

fn op(
    mut a: RationalInterval,
    o: BinOp,
    b: &RationalInterval,
) -> Result<RationalInterval, DomainError> {
    a.binary(o, b)?;
    Ok(a)
}

fn constant(q: Q) -> RationalInterval {
    RationalInterval::point(q)
}

/// `[-2^-bits, 2^-bits]`.
fn error_bar(bits: u64) -> RationalInterval {
    let e = Q::new(BigInt::one(), BigInt::one() << bits);
    let mut v = RationalInterval::point(e.clone());
    v.lo = End::Finite(e.neg());
    v
}

/// `sum_{k <= n} r^k / k!` with `step(k)` the factor from term `k - 1` to term `k` besides `r`.
fn taylor(
    r: &RationalInterval,
    first: RationalInterval,
    terms: u32,
    step: impl Fn(u32) -> Q,
) -> Result<RationalInterval, DomainError> {
    let mut term = first.clone();
    let mut sum = first;
    for k in 1..=terms {
        term = op(op(term, BinOp::Mul, r)?, BinOp::Mul, &constant(step(k)))?;
        sum = op(sum, BinOp::Add, &term)?;
    }
    Ok(sum)
}

/// `exp(q)`.
fn exp_at(q: &Q) -> Result<RationalInterval, DomainError> {
    // Beyond e^2772 = 2^3999.1... the interval's ends are rounded to 0 or infinity anyway.
    let limit = Q::from_integer(BigInt::from(2772));
    let edge = Q::new(BigInt::one(), BigInt::one() << 3999u32);
    if q.abs() > limit {
        return if q.is_positive() {
            checked(End::Finite(edge.recip()), End::PosInf)
        } else {
            checked(End::Finite(Q::zero()), End::Finite(edge))
        };
    }
    // s with |q / 2^s| <= 1/4.
    let s = (q.numer().bits() + 2).saturating_sub(q.denom().bits()) + 1;
    let r = constant(Q::new(q.numer().clone(), q.denom() << s));
    let series = taylor(&r, constant(Q::one()), 40, |k| {
        Q::new(BigInt::one(), BigInt::from(k))
    })?;
    let mut v = op(series, BinOp::Add, &error_bar(240))?;
    for _ in 0..s {
        v = op(v.clone(), BinOp::Mul, &v)?;
    }
    Ok(v)
}

/// `sin(q)` or `cos(q)`.
fn sin_cos_at(f: &Func, q: &Q) -> Result<RationalInterval, DomainError> {
    let half_pi = op(
        pi_enclosure(),
        BinOp::Mul,
        &constant(Q::new(1.into(), 2.into())),
    )?;
    let k = (q.to_f64().unwrap_or(0.0) / std::f64::consts::FRAC_PI_2).round();
    let k = k.to_i64().ok_or(DomainError::Unrepresentable)?;
    let r = op(
        constant(q.clone()),
        BinOp::Sub,
        &op(half_pi, BinOp::Mul, &constant(Q::from_integer(k.into())))?,
    )?;
    let bounded = |e: &End| matches!(e, End::Finite(v) if v.abs() <= Q::one());
    if !bounded(&r.lo) || !bounded(&r.hi) {
        return Err(DomainError::Unrepresentable);
    }
    let r2 = op(r.clone(), BinOp::Mul, &r)?;
    let minus = |n: u32| Q::new(BigInt::from(-1), BigInt::from(n));
    // sin r = r (1 - r^2/(2 3) + ...), cos r = 1 - r^2/(1 2) + ...
    let sin_r = op(
        r.clone(),
        BinOp::Mul,
        &taylor(&r2, constant(Q::one()), 30, |j| {
            minus((2 * j) * (2 * j + 1))
        })?,
    )?;
    let cos_r = taylor(&r2, constant(Q::one()), 30, |j| {
        minus((2 * j - 1) * (2 * j))
    })?;
    let (sin_r, cos_r) = (
        op(sin_r, BinOp::Add, &error_bar(280))?,
        op(cos_r, BinOp::Add, &error_bar(280))?,
    );
    let quarter = k.rem_euclid(4) + if *f == Func::Cos { 1 } else { 0 };
    let mut v = match quarter % 4 {
        0 => sin_r,
        1 => cos_r,
        2 => op(constant(Q::zero()), BinOp::Sub, &sin_r)?,
        _ => op(constant(Q::zero()), BinOp::Sub, &cos_r)?,
    };
    v = clamp_unit(v);
    Ok(v)
}

/// `sqrt(q)` for `q >= 0`.
fn sqrt_at(q: &Q) -> RationalInterval {
    let (n, d) = (q.numer(), q.denom());
    let root = ((n * d) << (2 * KEPT_BITS)).sqrt();
    let scale = d << KEPT_BITS;
    let mut v = RationalInterval::point(Q::new(root.clone(), scale.clone()));
    v.hi = End::Finite(Q::new(root + 1, scale));
    v
}

//! The support `[a, b]`: enclosing its ends, and solving `F(b) = 1` for the upper end.

use super::DistributionError;
use crate::digits::certified_decimal;
use crate::expr::Expr;
use crate::interval::{Interval, IntervalExpr, Undefined};

/// The upper end of the support as the spec gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum UpperEnd {
    /// A printed number or constant expression.
    Given(Expr),
    /// `solve`: the smallest `b > a` with `F(b) = 1`.
    Solve,
}

pub(super) fn show(x: Interval) -> String {
    certified_decimal(x.lo, x.hi, 12)
}

pub(super) fn enclose_end(e: &Expr, which: &'static str) -> Result<Interval, DistributionError> {
    let not_finite = || DistributionError::NonFiniteEnd {
        which,
        value: e.to_string(),
    };
    let v = IntervalExpr::compile(e)
        .eval(Interval::point(0.0))
        .map_err(|Undefined| not_finite())?;
    if !v.lo.is_finite() || !v.hi.is_finite() {
        return Err(not_finite());
    }
    Ok(v)
}

/// Encloses the root of `F(b) = 1` above `a`: doubles a step until `F` certainly exceeds 1, then
/// bisects while the sign of `F(mid) - 1` is certain.
pub(super) fn solve_upper_end(
    f: &IntervalExpr,
    a: Interval,
) -> Result<Interval, DistributionError> {
    let certainly = |x: f64| -> Option<std::cmp::Ordering> {
        let v = f.eval(Interval::point(x)).ok()?;
        if v.hi < 1.0 {
            Some(std::cmp::Ordering::Less)
        } else if v.lo > 1.0 {
            Some(std::cmp::Ordering::Greater)
        } else {
            Some(std::cmp::Ordering::Equal)
        }
    };
    use std::cmp::Ordering::*;
    let mut lo = a.hi;
    let mut step = 1.0f64.max(a.hi.abs() * 1e-3);
    let mut hi = lo + step;
    let mut doublings = 0;
    loop {
        match certainly(hi) {
            Some(Greater) => break,
            Some(Equal) => return Ok(Interval::point(hi)),
            Some(Less) => {
                lo = hi;
                step *= 2.0;
                hi = lo + step;
                doublings += 1;
                if doublings > 60 || !hi.is_finite() {
                    return Err(DistributionError::NoUpperEnd {
                        searched: format!("{hi:e}"),
                    });
                }
            }
            None => {
                return Err(DistributionError::NoUpperEnd {
                    searched: format!("{hi:e}"),
                });
            }
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * lo + 0.5 * hi;
        if mid <= lo || mid >= hi {
            break;
        }
        match certainly(mid) {
            Some(Less) => lo = mid,
            Some(Greater) => hi = mid,
            _ => break,
        }
    }
    Ok(Interval::new(lo, hi))
}

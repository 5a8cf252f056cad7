//! The ends of [`super::rational_interval::RationalInterval`]s: fractions ([`Q`]) or
//! infinities, and their outward rounding when they grow long or extreme.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::One;

use super::fraction::Q;

/// Ends longer than this (numerator or denominator, in bits) are rounded outward.
pub const MAX_BITS: u64 = 320;
/// Significant bits kept when an end is rounded.
pub const KEPT_BITS: u64 = 160;
/// Ends of magnitude below `2^-EXP_LIMIT` or above `2^EXP_LIMIT` are rounded outward to `0` or
/// an infinity.
pub const EXP_LIMIT: u64 = 4000;

/// An end of an interval: a rational, or an infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// Minus infinity (only as a lower end).
    NegInf,
    /// A rational.
    Finite(Q),
    /// Plus infinity (only as an upper end).
    PosInf,
}

impl End {
    fn rank(&self) -> u8 {
        match self {
            End::NegInf => 0,
            End::Finite(_) => 1,
            End::PosInf => 2,
        }
    }

    /// The end as a double, rounded down (`up = false`) or up.
    pub fn to_f64(&self, up: bool) -> f64 {
        match self {
            End::NegInf => f64::NEG_INFINITY,
            End::PosInf => f64::INFINITY,
            End::Finite(q) => {
                let (lo, hi) = bracket(q);
                if up { hi } else { lo }
            }
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        matches!(self, End::Finite(q) if q.is_zero())
    }

    pub(super) fn sign(&self) -> Ordering {
        match self {
            End::NegInf => Ordering::Less,
            End::PosInf => Ordering::Greater,
            End::Finite(q) => q.numer().sign().cmp(&num_bigint::Sign::NoSign),
        }
    }

    pub(super) fn of_f64(x: f64) -> End {
        if x == f64::INFINITY {
            End::PosInf
        } else if x == f64::NEG_INFINITY {
            End::NegInf
        } else {
            // Finite doubles are exact dyadic rationals.
            Q::from_f64(x).map_or(End::PosInf, End::Finite)
        }
    }

    pub(super) fn neg(&self) -> End {
        match self {
            End::NegInf => End::PosInf,
            End::PosInf => End::NegInf,
            End::Finite(q) => End::Finite(q.neg()),
        }
    }

    /// `self + o`; an infinity wins (the two infinities never meet: lower ends are added to
    /// lower ends).
    pub(super) fn add(&self, o: &End) -> End {
        match (self, o) {
            (End::Finite(a), End::Finite(b)) => End::Finite(a.add(b)),
            (End::Finite(_), inf) | (inf, _) => inf.clone(),
        }
    }

    /// `self * o` with `0 * inf = 0` (the ends of a range, not arithmetic on infinities).
    pub(super) fn mul(&self, o: &End) -> End {
        match (self, o) {
            (End::Finite(a), End::Finite(b)) => End::Finite(a.mul(b)),
            _ if self.is_zero() || o.is_zero() => End::Finite(Q::zero()),
            _ => {
                if self.sign() == o.sign() {
                    End::PosInf
                } else {
                    End::NegInf
                }
            }
        }
    }
}

impl PartialOrd for End {
    fn partial_cmp(&self, o: &End) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for End {
    fn cmp(&self, o: &End) -> Ordering {
        match (self, o) {
            (End::Finite(a), End::Finite(b)) => a.cmp(b),
            _ => self.rank().cmp(&o.rank()),
        }
    }
}

/// The doubles `lo <= q <= hi` next to the rational `q` (equal when `q` is a double).
pub fn bracket(q: &Q) -> (f64, f64) {
    let d = q.to_f64().unwrap_or(f64::NAN);
    if !d.is_finite() {
        return if q.is_positive() {
            (f64::MAX, f64::INFINITY)
        } else {
            (f64::NEG_INFINITY, f64::MIN)
        };
    }
    // The order of a double and q (an infinity is beyond every rational).
    let order = |x: f64| match Q::from_f64(x) {
        Some(v) => v.cmp(q),
        None if x > 0.0 => Ordering::Greater,
        None => Ordering::Less,
    };
    match order(d) {
        Ordering::Equal => (d, d),
        Ordering::Less => {
            let (mut lo, mut hi) = (d, d.next_up());
            while order(hi) == Ordering::Less {
                (lo, hi) = (hi, hi.next_up());
            }
            if order(hi) == Ordering::Equal {
                (hi, hi)
            } else {
                (lo, hi)
            }
        }
        Ordering::Greater => {
            let (mut lo, mut hi) = (d.next_down(), d);
            while order(lo) == Ordering::Greater {
                (lo, hi) = (lo.next_down(), lo);
            }
            if order(lo) == Ordering::Equal {
                (lo, lo)
            } else {
                (lo, hi)
            }
        }
    }
}

/// `floor(q * 2^shift)` or its ceiling, as an integer.
fn scaled(q: &Q, shift: i64, up: bool) -> BigInt {
    let (mut n, mut d) = (q.numer().clone(), q.denom().clone());
    if shift >= 0 {
        n <<= shift as u64;
    } else {
        d <<= shift.unsigned_abs();
    }
    if up { n.div_ceil(&d) } else { n.div_floor(&d) }
}

/// `q` rounded outward (down for a lower end, up for an upper end) when it is long or extreme.
pub(super) fn tidy(end: End, up: bool) -> End {
    let End::Finite(q) = &end else { return end };
    if q.numer().bits() <= MAX_BITS && q.denom().bits() <= MAX_BITS {
        return end;
    }
    let q = &q.reduced();
    let (nb, db) = (q.numer().bits(), q.denom().bits());
    if nb <= MAX_BITS && db <= MAX_BITS {
        return End::Finite(q.clone());
    }
    if q.is_zero() {
        return end;
    }
    let magnitude = nb as i64 - db as i64; // log2 |q| within one
    let limit = EXP_LIMIT as i64;
    if magnitude < -limit {
        // Below 2^-EXP_LIMIT in magnitude: bounded by 0 on one side, by +-2^-EXP_LIMIT on the other.
        let tiny = Q::new(BigInt::one(), BigInt::one() << EXP_LIMIT);
        return End::Finite(match (q.is_positive(), up) {
            (true, false) | (false, true) => Q::zero(),
            (true, true) => tiny,
            (false, false) => tiny.neg(),
        });
    }
    if magnitude > limit {
        let huge = Q::from_integer(BigInt::one() << EXP_LIMIT);
        return match (q.is_positive(), up) {
            (true, true) => End::PosInf,
            (false, false) => End::NegInf,
            (true, false) => End::Finite(huge),
            (false, true) => End::Finite(huge.neg()),
        };
    }
    let shift = KEPT_BITS as i64 - magnitude;
    let m = scaled(q, shift, up);
    let scale = BigInt::one() << shift.unsigned_abs();
    End::Finite(if shift >= 0 {
        Q::new(m, scale)
    } else {
        Q::from_integer(m * scale)
    })
}

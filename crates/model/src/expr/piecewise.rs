//! Functions defined in pieces: `g(u) = g_i(u)` for `t_(i-1) <= u < t_i`, with exact rational
//! breakpoints `t_1 < ... < t_k` (below `t_1` the first piece, from `t_k` on the last).
//!
//! A piecewise CDF (the spec's `distribution.piecewise`, and the monotone interpolant of an
//! empirical CDF) is the call of such a function ([`super::Func::Piecewise`]) on the variable.
//! Every scalar evaluates it by locating its argument among the breakpoints: exactly for
//! rationals, by comparison for doubles and MPFR, by the real part for complex values, by the
//! point of expansion for Taylor series (which do not exist at a breakpoint, where the function
//! has a kink), and for an interval by the hull of every piece it meets, each on its part of the
//! interval. The numeric engine splits its integrals at the breakpoints, so that each quadrature
//! rule sees one smooth piece.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use num_rational::BigRational;

use super::Expr;
use super::scalar::{DomainError, Scalar};
use crate::interval::Interval;

/// The pieces and breakpoints of a piecewise function (at least two pieces; `pieces.len() ==
/// breaks.len() + 1`, breakpoints increasing), shared by every copy of the function.
#[derive(Clone, Debug)]
pub struct Pieces(Arc<PieceData>);

#[derive(Debug)]
struct PieceData {
    breaks: Vec<BigRational>,
    pieces: Vec<Expr>,
    approx: Vec<f64>,
}

impl Pieces {
    /// The function equal to `pieces[i]` between `breaks[i-1]` and `breaks[i]`, or `None` unless
    /// there is one more piece than breakpoints and the breakpoints increase strictly.
    pub fn new(breaks: Vec<BigRational>, pieces: Vec<Expr>) -> Option<Pieces> {
        let increasing = breaks.windows(2).all(|w| w[0] < w[1]);
        if pieces.len() != breaks.len() + 1 || breaks.is_empty() || !increasing {
            return None;
        }
        let approx = breaks.iter().map(super::rational_to_f64).collect();
        Some(Pieces(Arc::new(PieceData {
            breaks,
            pieces,
            approx,
        })))
    }

    /// The breakpoints, increasing.
    pub fn breaks(&self) -> &[BigRational] {
        &self.0.breaks
    }

    /// The pieces, in the order of the stretches they cover.
    pub fn pieces(&self) -> &[Expr] {
        &self.0.pieces
    }

    /// The same breakpoints with every piece transformed (its derivative, say).
    pub fn map(&self, f: impl Fn(&Expr) -> Expr) -> Pieces {
        Pieces(Arc::new(PieceData {
            breaks: self.0.breaks.clone(),
            pieces: self.0.pieces.iter().map(f).collect(),
            approx: self.0.approx.clone(),
        }))
    }

    /// The index of the piece that holds a point, given whether the point lies at or above
    /// breakpoint `i` (monotone in `i`): the number of breakpoints at or below it.
    pub fn index(&self, at_or_above: impl Fn(usize) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.0.breaks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if at_or_above(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The piece that holds the double `u`.
    pub fn index_f64(&self, u: f64) -> usize {
        self.index(|i| u >= self.0.approx[i])
    }

    /// Evaluates the piece holding `u` at `u`, for a scalar located by `at_or_above`.
    pub fn eval_at<S: Scalar<C>, C>(
        &self,
        u: &mut S,
        cx: &mut C,
        at_or_above: impl Fn(&S, &BigRational) -> bool,
    ) -> Result<(), DomainError> {
        let i = self.index(|k| at_or_above(u, &self.0.breaks[k]));
        *u = self.0.pieces[i].eval(u, cx).map_err(|e| e.fault)?;
        Ok(())
    }

    /// An enclosure of the function on an interval: the hull of every piece the interval meets,
    /// each evaluated on the part of the interval in its stretch.
    pub fn enclose(&self, u: Interval) -> Result<Interval, DomainError> {
        let ends: Vec<Interval> = self.0.breaks.iter().map(Interval::of_rational).collect();
        let first = self.index(|k| u.lo >= ends[k].lo);
        let last = self.index(|k| u.hi >= ends[k].lo);
        let mut hull: Option<Interval> = None;
        for i in first..=last {
            let lo = if i == first { u.lo } else { ends[i - 1].lo };
            let hi = if i == last { u.hi } else { ends[i].hi };
            let part = Interval::new(lo.min(hi), hi.max(lo));
            let v = self.0.pieces[i].eval(&part, &mut ()).map_err(|e| e.fault)?;
            hull = Some(match hull {
                None => v,
                Some(h) => Interval::new(h.lo.min(v.lo), h.hi.max(v.hi)),
            });
        }
        hull.ok_or(DomainError::Unrepresentable)
    }
}

impl PartialEq for Pieces {
    fn eq(&self, other: &Pieces) -> bool {
        self.0.breaks == other.0.breaks && self.0.pieces == other.0.pieces
    }
}

impl Eq for Pieces {}

impl Hash for Pieces {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.breaks.hash(state);
        self.0.pieces.hash(state);
    }
}

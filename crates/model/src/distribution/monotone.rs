//! Certifying that a CDF is non-decreasing when its density is not a polynomial on a rational
//! support (those are decided exactly by [`super::polynomial`]).
//!
//! The support `[a, b]` is cut into 64 pieces and each piece is bisected until the sign of the
//! density `f = F'` on it is decided, with no tolerance:
//!
//! 1. an enclosure of `f` on the piece in double precision with outward rounding
//!    ([`crate::interval`]) that is non-negative proves `f >= 0` there, one that is negative
//!    proves that `F` decreases there;
//! 2. when that cannot decide (the enclosure holds 0, or `f` has no enclosure on the piece), an
//!    enclosure with exact rational ends ([`super::rational_interval`]) is tried: arithmetic on
//!    the user's numbers is exact and `sin` and `cos` reach `±1` exactly, so a density that
//!    *touches* zero, such as the sine market's `0.1 + 0.1 sin x` at `3 pi / 2` or
//!    `3 (1 - e^-x)^2 e^-x` at 0, gets a lower bound of exactly 0, and a dip far below the
//!    rounding of doubles (`-1e-15`) a negative upper bound. Its ends may be infinite, which
//!    accepts an integrable singularity at an end of the support (`x^0.3` at 0, `1 - sqrt(1 - x)`
//!    at 1) when `F` itself is bounded on the piece;
//! 3. on a narrow piece (below `2^-24 (b - a)`) still undecided, or where the enclosure is
//!    unbounded, the same with `exp`, `sin`, `cos` and `sqrt` summed as series to about 160 bits
//!    ([`super::series`]): a dip of `-1e-17` is refused, and `exp(710) exp(-710)` is enclosed;
//! 4. still undecided, the monotone form ([`super::monotone_form`]): `f >= f(l)` on `[l, h]` where
//!    `f' >= 0` is proved (and the like, through the first derivatives), which decides a piece
//!    with a zero of the density at one of its ends (`e^x - 1 - x` at 0, `1 - cos 2 pi x` at 1/2);
//! 5. otherwise the piece is halved, down to `2^-MAX_BISECTION_DEPTH (b - a)`, unless the density
//!    is undefined or out of range at its midpoint (halving would not help).
//!
//! Before all this, the chain rule's quotients `(u c) / c` by a constant `c` are cancelled in the
//! density, so that `x + sin(6 pi x) / (6 pi)` has the density `1 + cos(6 pi x)`, whose enclosures
//! reach 0 exactly where it touches zero.
//!
//! The verdict, in this order: a stretch where `F` is proved to decrease is refused
//! ([`DistributionError::Decreasing`], the stretch, the least density found and where, with
//! certified digits); a point inside the support where the density is undefined is refused
//! ([`DistributionError::Undefined`]); a stretch left undecided (an enclosure too wide at the
//! smallest pieces, or numbers overflowing the certificate's range) is reported as such
//! ([`DistributionError::Undecided`], with what was proved: the bounds of the density there and
//! the most `F` could fall). Nothing is accepted by a tolerance: acceptance means `f >= 0` was
//! proved on every piece.

use super::monotone_form::{MonotoneForm, cancel_constant_divisors};
use super::rational_interval::{RationalInterval, RationalIntervalExpr, Working};
use super::{DistributionError, MAX_BISECTION_DEPTH, MONOTONICITY_BUDGET};
use crate::digits::certified_decimal;
use crate::expr::{DomainError, Expr};
use crate::interval::{Interval, IntervalExpr};

/// Pieces narrower than `2^-EXACT_DEPTH (b - a)` are always tried with rational ends.
const EXACT_DEPTH: i32 = 24;
/// Once a decrease is proved, undecided pieces narrower than `2^-EDGE_DEPTH (b - a)` (the edges of
/// a stretch, where the density crosses zero) are not bisected further: the verdict is made.
const EDGE_DEPTH: i32 = 32;

/// Functions enclosed as series, to about 160 bits.
const SERIES: Working = Working { series: true };

/// What is known of the density on a piece.
enum Sign {
    /// `f >= 0` proved.
    NonNegative,
    /// `f < 0` proved; the upper bound.
    Negative(f64),
    /// Neither; the best enclosure found, when there is one.
    Unknown(Option<RationalInterval>),
}

/// The density and the CDF, compiled for both kinds of enclosure.
struct Certifier<'e> {
    density: &'e Expr,
    form: MonotoneForm,
    fast: IntervalExpr,
    sharp: RationalIntervalExpr,
    sharp_cdf: RationalIntervalExpr,
    a: f64,
    b: f64,
}

impl Certifier<'_> {
    fn sign(&self, piece: Interval) -> Sign {
        match self.enclosures(piece) {
            // The monotone form, for a zero of the density at an end of the piece.
            Sign::Unknown(_) if self.form.non_negative(piece.lo, piece.hi) => Sign::NonNegative,
            sign => sign,
        }
    }

    /// The sign the enclosures of the density on `piece` prove (steps 1 to 3 of the module's
    /// list).
    fn enclosures(&self, piece: Interval) -> Sign {
        let fast = self.fast.eval(piece);
        if let Ok(v) = fast {
            if v.lo >= 0.0 {
                return Sign::NonNegative;
            }
            if v.hi < 0.0 {
                return Sign::Negative(v.hi);
            }
        }
        let narrow = piece.width() <= (self.b - self.a) * f64::from(-EXACT_DEPTH).exp2();
        let try_sharp = match fast {
            Err(_) => true,
            // A lower bound below zero by no more than rounding (relative to the enclosure's width
            // or to the density of a uniform distribution on the support).
            Ok(v) => {
                narrow
                    || -v.lo <= 1e-6 * (v.hi - v.lo)
                    || -v.lo <= 1e-12 / (self.b - self.a)
                    || !v.lo.is_finite()
            }
        };
        if !try_sharp {
            return Sign::Unknown(fast.ok().map(|v| RationalInterval::of_f64(v.lo, v.hi)));
        }
        let x = RationalInterval::of_f64(piece.lo, piece.hi);
        let first = self.sharp.eval(&x);
        let sign = self.decide(&x, &first);
        // Still undecided on a narrow piece, or out of double range: functions as series.
        match (&sign, &first) {
            (Sign::Unknown(_), Ok(v)) if narrow || !v.is_bounded() => {
                let fine = self.sharp.eval_with(&x, SERIES);
                match self.decide(&x, &fine) {
                    Sign::Unknown(None) => sign,
                    better => better,
                }
            }
            _ => sign,
        }
    }

    /// The sign an enclosure on `x` proves.
    fn decide(&self, x: &RationalInterval, v: &Result<RationalInterval, DomainError>) -> Sign {
        match v {
            Ok(v) if v.is_non_negative() => {
                // An unbounded density (an integrable singularity) is accepted where F is bounded.
                if v.is_bounded() || self.sharp_cdf.eval(x).is_ok_and(|c| c.is_bounded()) {
                    Sign::NonNegative
                } else {
                    Sign::Unknown(Some(v.clone()))
                }
            }
            Ok(v) if v.is_negative() => Sign::Negative(v.hi.to_f64(true)),
            Ok(v) => Sign::Unknown(Some(v.clone())),
            Err(_) => Sign::Unknown(None),
        }
    }

    /// The density at the point `x` with rational ends, or `None` where it is undefined.
    fn at_point(&self, x: f64) -> Option<RationalInterval> {
        self.sharp
            .eval_with(&RationalInterval::of_f64(x, x), SERIES)
            .ok()
    }
}

/// A piece left undecided, with the enclosure of the density there and whether it overflowed.
struct Undecided {
    piece: Interval,
    lo: f64,
    hi: f64,
}

/// Certifies `f >= 0` on `[a, b]` for the density `f` of `cdf`, or says where `F` decreases,
/// where `f` is undefined, or what could not be decided.
pub(super) fn check_non_decreasing(
    cdf: &Expr,
    density: &Expr,
    a: f64,
    b: f64,
) -> Result<(), DistributionError> {
    // The chain rule's `(u c) / c` as `u`, so that enclosures see a touching zero.
    let density = &cancel_constant_divisors(density);
    let certifier = Certifier {
        density,
        form: MonotoneForm::new(density),
        fast: IntervalExpr::compile(density),
        sharp: RationalIntervalExpr::compile(density),
        sharp_cdf: RationalIntervalExpr::compile(cdf),
        a,
        b,
    };
    let min_width = (b - a) * (-f64::from(MAX_BISECTION_DEPTH)).exp2();
    let edge_width = (b - a) * f64::from(-EDGE_DEPTH).exp2();
    let pieces = 64;
    let mut stack: Vec<Interval> = (0..pieces)
        .rev()
        .map(|i| {
            let at = |k: i32| {
                if k == pieces {
                    b
                } else {
                    a + (b - a) * f64::from(k) / f64::from(pieces)
                }
            };
            Interval::new(at(i), at(i + 1))
        })
        .collect();
    let mut negative: Vec<(Interval, f64)> = Vec::new();
    let mut undefined: Option<Interval> = None;
    let mut undecided: Vec<Undecided> = Vec::new();
    let mut evaluations = 0usize;
    while let Some(piece) = stack.pop() {
        evaluations += 1;
        if evaluations > MONOTONICITY_BUDGET {
            return Err(DistributionError::Uncertified {
                density: density.to_string(),
                near: format_point(piece.mid()),
            });
        }
        let enclosure = match certifier.sign(piece) {
            Sign::NonNegative => continue,
            Sign::Negative(hi) => {
                negative.push((piece, hi));
                continue;
            }
            Sign::Unknown(enclosure) => enclosure,
        };
        let last =
            piece.width() <= min_width || (!negative.is_empty() && piece.width() <= edge_width);
        // No enclosure, or an unbounded one: is the density undefined, or out of range, in the
        // middle of the piece? Then halving will not help.
        let suspicious = enclosure.as_ref().is_none_or(|v| !v.is_bounded());
        if suspicious || last {
            let mid = certifier.at_point(piece.mid());
            match &mid {
                None => {
                    undefined.get_or_insert(piece);
                    continue;
                }
                Some(v) if !v.is_bounded() => {
                    undecided.push(Undecided {
                        piece,
                        lo: v.lo.to_f64(false),
                        hi: v.hi.to_f64(true),
                    });
                    continue;
                }
                // Negative at the middle: by continuity, F decreases around it (the rest of the
                // piece stays undecided, joining the point to its neighbours).
                Some(v) if last && v.is_negative() => {
                    negative.push((Interval::point(piece.mid()), v.hi.to_f64(true)));
                    undecided.push(Undecided {
                        piece,
                        lo: v.lo.to_f64(false),
                        hi: f64::INFINITY,
                    });
                    continue;
                }
                Some(_) if last => {
                    let (lo, hi) = enclosure
                        .as_ref()
                        .map_or((f64::NEG_INFINITY, f64::INFINITY), |v| {
                            (v.lo.to_f64(false), v.hi.to_f64(true))
                        });
                    undecided.push(Undecided { piece, lo, hi });
                    continue;
                }
                Some(_) => {}
            }
        }
        let mid = piece.mid();
        stack.push(Interval::new(mid, piece.hi));
        stack.push(Interval::new(piece.lo, mid));
    }
    if !negative.is_empty() {
        return Err(decreasing(&certifier, negative, &undecided));
    }
    if let Some(piece) = undefined {
        return Err(DistributionError::Undefined {
            density: density.to_string(),
            at: format_point(piece.mid()),
            from: format_point(piece.lo),
            to: format_point(piece.hi),
        });
    }
    if undecided.is_empty() {
        return Ok(());
    }
    Err(undecided_error(density, undecided))
}

/// Adjacent pieces merged into stretches, in order.
fn stretches<T: Clone>(mut pieces: Vec<(Interval, T)>) -> Vec<(Interval, Vec<T>)> {
    pieces.sort_by(|p, q| p.0.lo.total_cmp(&q.0.lo));
    let mut out: Vec<(Interval, Vec<T>)> = Vec::new();
    for (piece, t) in pieces {
        match out.last_mut() {
            Some((s, ts)) if piece.lo <= s.hi => {
                s.hi = s.hi.max(piece.hi);
                ts.push(t);
            }
            _ => out.push((piece, vec![t])),
        }
    }
    out
}

/// The error for the stretches where `F` was proved to decrease: the first stretch, the least
/// density sampled there with its certified digits, and how many more stretches there are.
///
/// Pieces proved negative that are joined by undecided pieces (the narrow edges left where the
/// density crosses zero, once a decrease is known) make one stretch, from the first negative piece
/// to the last.
fn decreasing(
    c: &Certifier<'_>,
    negative: Vec<(Interval, f64)>,
    undecided: &[Undecided],
) -> DistributionError {
    let pieces: Vec<(Interval, Option<Interval>)> = negative
        .iter()
        .map(|&(p, _)| (p, Some(p)))
        .chain(undecided.iter().map(|u| (u.piece, None)))
        .collect();
    let all: Vec<(Interval, Vec<Interval>)> = stretches(pieces)
        .into_iter()
        .filter_map(|(_, members)| {
            let members: Vec<Interval> = members.into_iter().flatten().collect();
            let lo = members.iter().map(|p| p.lo).fold(f64::INFINITY, f64::min);
            let hi = members
                .iter()
                .map(|p| p.hi)
                .fold(f64::NEG_INFINITY, f64::max);
            (!members.is_empty()).then(|| (Interval::new(lo, hi), members))
        })
        .collect();
    let (stretch, members) = &all[0];
    // The least of a few samples on each piece of the stretch (every point of it has f < 0).
    let mut least: Option<(f64, f64)> = None;
    for piece in members {
        for i in 0..=8 {
            let x = piece.lo + piece.width() * f64::from(i) / 8.0;
            let v = c.density.eval_f64(x);
            if v.is_finite() && least.is_none_or(|(_, w)| v < w) {
                least = Some((x, v));
            }
        }
    }
    let bound = negative
        .iter()
        .filter(|(p, _)| p.lo >= stretch.lo && p.hi <= stretch.hi)
        .map(|&(_, hi)| hi)
        .fold(f64::INFINITY, f64::min);
    // Candidates: the least sample, and the middles of the pieces with the least upper bounds
    // (where doubles cannot tell the least value apart); the one with the least certified value.
    let mut candidates: Vec<f64> = least.map(|(x, _)| x).into_iter().collect();
    let mut inside: Vec<(Interval, f64)> = negative
        .iter()
        .filter(|(p, _)| p.lo >= stretch.lo && p.hi <= stretch.hi)
        .copied()
        .collect();
    inside.sort_by(|p, q| p.1.total_cmp(&q.1));
    candidates.extend(inside.iter().take(8).map(|(p, _)| p.mid()));
    let best = candidates
        .into_iter()
        .filter_map(|x| {
            let v = c.at_point(x)?;
            (v.is_bounded() && v.is_negative()).then_some((x, v))
        })
        .min_by(|p, q| p.1.hi.cmp(&q.1.hi));
    let (at, min) = match best {
        Some((x, v)) => {
            let digits = certified_decimal(v.lo.to_f64(false), v.hi.to_f64(true), 4);
            if digits.starts_with('[') {
                (x, format!("a value in {digits}"))
            } else {
                (x, digits)
            }
        }
        None => (
            least.map_or(stretch.mid(), |(x, _)| x),
            format!("at most {}", significant(bound)),
        ),
    };
    let more = match all.len() {
        1 => String::new(),
        k => format!(
            " (and on {} further stretch{})",
            k - 1,
            if k == 2 { "" } else { "es" }
        ),
    };
    let (from, to, decimals) = format_stretch(*stretch);
    DistributionError::Decreasing {
        from,
        to,
        density: c.density.to_string(),
        min,
        at: trimmed(at, decimals),
        more,
    }
}

/// The error for stretches whose sign could not be decided, with what was proved there.
fn undecided_error(density: &Expr, undecided: Vec<Undecided>) -> DistributionError {
    let all = stretches(
        undecided
            .into_iter()
            .map(|u| (u.piece, (u.lo, u.hi)))
            .collect(),
    );
    let (stretch, bounds) = &all[0];
    let lo = bounds.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
    let hi = bounds.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max);
    let why = if lo.is_finite() && hi.is_finite() {
        let drop = (-lo).max(0.0) * stretch.width();
        format!(
            "; the density's sign there is closer to zero than the certificate resolves (exp, \
             sin, cos and sqrt to about 160 bits, other functions in double precision), so F is \
             non-decreasing there except possibly by less than {}",
            significant(drop * (1.0 + 1e-9))
        )
    } else {
        "; a value of the density overflows the certificate's numbers there (beyond 2^4000, or \
         beyond double precision's range for functions other than exp, sin, cos and sqrt)"
            .to_string()
    };
    let more = match all.len() {
        1 => String::new(),
        k => format!(" ({} further such stretches)", k - 1),
    };
    let (from, to, _) = format_stretch(*stretch);
    DistributionError::Undecided {
        from,
        to,
        density: density.to_string(),
        lo: significant(lo),
        hi: significant(hi),
        why,
        more,
    }
}

/// A number with four significant digits (`-inf` and `inf` as such).
fn significant(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 || (1e-3..1e6).contains(&x.abs()) {
        let s = format!("{x:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return if s.is_empty() || s == "-" || s == "-0" {
            "0".into()
        } else {
            s.to_string()
        };
    }
    format!("{x:.3e}")
}

/// The ends of a stretch, rounded outward to decimals (at least 6) fine enough to move them by
/// at most a hundredth of its width, and that number of decimals.
fn format_stretch(s: Interval) -> (String, String, i32) {
    let fine = (-(s.width() / 100.0).log10()).ceil();
    let decimals = if fine.is_finite() {
        (fine as i32).clamp(6, 17)
    } else {
        17
    };
    let scale = 10f64.powi(decimals);
    let (lo, hi) = (
        (s.lo * scale).floor() / scale,
        (s.hi * scale).ceil() / scale,
    );
    (trimmed(lo, decimals), trimmed(hi, decimals), decimals)
}

fn trimmed(x: f64, decimals: i32) -> String {
    let s = format!("{x:.*}", decimals as usize);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn format_point(x: f64) -> String {
    trimmed(x, 6)
}

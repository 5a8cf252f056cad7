//! Certifying that a CDF is non-decreasing: its density is bounded below on subintervals by
//! interval arithmetic, bisecting where the bound is negative, so that a dip below zero is found
//! however narrow it is, and its stretch reported.

use super::support::show;
use super::{DENSITY_TOLERANCE, DistributionError, MAX_BISECTION_DEPTH, MONOTONICITY_BUDGET};
use crate::expr::Expr;
use crate::interval::{Interval, IntervalExpr};

/// Certifies `f >= -tol` on `[a, b]` (with `tol = DENSITY_TOLERANCE * scale / (b - a)`) by interval
/// bisection, or reports the first stretch where `f < -tol`.
pub(super) fn check_non_decreasing(
    density: &Expr,
    a: f64,
    b: f64,
    scale: f64,
) -> Result<(), DistributionError> {
    let tol = DENSITY_TOLERANCE * scale / (b - a);
    let f = IntervalExpr::compile(density);
    let min_width = (b - a) * (-(MAX_BISECTION_DEPTH as f64)).exp2();
    let mut stack: Vec<Interval> = Vec::new();
    let pieces = 64;
    for i in (0..pieces).rev() {
        let lo = a + (b - a) * i as f64 / pieces as f64;
        let hi = if i + 1 == pieces {
            b
        } else {
            a + (b - a) * (i + 1) as f64 / pieces as f64
        };
        stack.push(Interval::new(lo, hi));
    }
    let mut negative: Vec<(Interval, f64, f64)> = Vec::new(); // stretch, least value, where
    let mut undefined: Option<Interval> = None;
    let mut evaluations = 0usize;
    while let Some(piece) = stack.pop() {
        evaluations += 1;
        if evaluations > MONOTONICITY_BUDGET {
            return Err(DistributionError::Uncertified {
                density: density.to_string(),
                near: show(piece),
            });
        }
        let enclosure = f.eval(piece);
        match enclosure {
            Ok(v) if v.lo >= -tol => continue,
            Ok(v) if v.hi < -tol => {
                let (x, fx) = least_sample(density, piece);
                negative.push((piece, fx.min(v.hi), x));
                continue;
            }
            _ => {}
        }
        if piece.width() <= min_width {
            let x = piece.mid();
            let fx = density.eval_f64(x);
            if !fx.is_finite() {
                // An isolated singularity of an integrable density (such as x^(-1/2) at 0) is
                // harmless at an end of the support; anywhere else F is not a valid CDF.
                if x - a > min_width * 2.0 && b - x > min_width * 2.0 && fx.is_nan() {
                    undefined.get_or_insert(piece);
                }
            } else if fx < -tol {
                negative.push((piece, fx, x));
            }
            continue;
        }
        let mid = piece.mid();
        stack.push(Interval::new(mid, piece.hi));
        stack.push(Interval::new(piece.lo, mid));
    }
    if let Some(piece) = undefined {
        return Err(DistributionError::Undefined {
            density: density.to_string(),
            at: format_point(piece.mid()),
            from: format_point(piece.lo),
            to: format_point(piece.hi),
        });
    }
    if negative.is_empty() {
        return Ok(());
    }
    negative.sort_by(|p, q| p.0.lo.total_cmp(&q.0.lo));
    // Merge adjacent pieces into stretches.
    let mut stretches: Vec<(Interval, f64, f64)> = Vec::new();
    for (piece, value, at) in negative {
        match stretches.last_mut() {
            Some((s, least, where_)) if piece.lo <= s.hi => {
                s.hi = s.hi.max(piece.hi);
                if value < *least {
                    *least = value;
                    *where_ = at;
                }
            }
            _ => stretches.push((piece, value, at)),
        }
    }
    let Some(&(stretch, least, at)) = stretches.first() else {
        return Ok(());
    };
    let more = match stretches.len() {
        1 => String::new(),
        k => format!(
            " (and on {} further stretch{})",
            k - 1,
            if k == 2 { "" } else { "es" }
        ),
    };
    Err(DistributionError::Decreasing {
        from: format_point(stretch.lo),
        to: format_point(stretch.hi),
        density: density.to_string(),
        min: format!("{least:.4}"),
        at: format_point(at),
        more,
    })
}

/// The least of a few samples of `f` on `piece`, and where.
fn least_sample(f: &Expr, piece: Interval) -> (f64, f64) {
    (0..=8)
        .map(|i| {
            let x = piece.lo + piece.width() * f64::from(i) / 8.0;
            (x, f.eval_f64(x))
        })
        .filter(|(_, v)| v.is_finite())
        .min_by(|p, q| p.1.total_cmp(&q.1))
        .unwrap_or((piece.mid(), f64::NAN))
}

fn format_point(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

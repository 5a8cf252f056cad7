//! A spec's grid points solved by the rigorous engine, as the records `solve`, `sweep` and
//! `replicate` print: the fast engine's [`PointRecord`] with its [`Rigor`] (each printed
//! quantity's ball, and why a verdict is undecided when one is).

use efftrade_arb::Arb;
use efftrade_model::digits::layout_decimal;
use efftrade_model::{BigRational, Spec};
use efftrade_numeric::NumericError;
use efftrade_numeric::record::{PointRecord, Rigor};
use efftrade_numeric::study::{Replication, families};
use efftrade_numeric::sweep::Solved;
use rug::float::Round;
use rug::{Float, Rational};
use std::collections::HashMap;

use crate::quantities::solve;

/// Solves the grid points of `spec` with the given indices, in the order given, to `digits`
/// digits proved by balls (`beta` overrides the spec's betas), each with its [`Rigor`]. `tick`
/// is called once per point.
pub fn solve_points_with_rigor(
    spec: &Spec,
    indices: &[usize],
    digits: u32,
    beta: Option<&BigRational>,
    tick: &(dyn Fn() + Sync),
) -> Vec<(Solved, Rigor)> {
    efftrade_numeric::sweep::solve_points_by(spec, indices, beta, tick, |dist, market, beta| {
        solve(dist, market, beta, digits)
    })
    .into_iter()
    .map(|(point, beta, solved)| {
        let (result, rigor) = match solved {
            Ok(s) => {
                let balls = s
                    .balls
                    .iter()
                    .map(|b| {
                        let (mid, rad) = ball_text(&b.ball, digits + 5);
                        (b.name.clone(), mid, rad)
                    })
                    .collect();
                let rigor = Rigor {
                    balls,
                    undecided: s.undecided,
                };
                (Ok(s.solution), rigor)
            }
            Err(e) => {
                let reason = e.to_string();
                (Err(NumericError::Unproved { reason }), Rigor::default())
            }
        };
        let solved = Solved {
            point,
            beta,
            result,
        };
        (solved, rigor)
    })
    .collect()
}

/// [`solve_points_with_rigor`] as the records `solve` and `sweep` print.
pub fn solve_points(
    spec: &Spec,
    indices: &[usize],
    digits: u32,
    beta: Option<&BigRational>,
    tick: &(dyn Fn() + Sync),
) -> Vec<PointRecord> {
    solve_points_with_rigor(spec, indices, digits, beta, tick)
        .into_iter()
        .map(|(solved, rigor)| {
            let mut record = PointRecord::new(spec.description(), solved, digits);
            record.rigor = Some(rigor);
            record
        })
        .collect()
}

/// Theorem 3's replications of a spec solved by balls, grouped and fitted as
/// [`efftrade_numeric::study::replication`] does (the growth fit is an estimate, as there).
pub fn replication(spec: &Spec, digits: u32, tick: &(dyn Fn() + Sync)) -> Replication {
    let expansion = efftrade_numeric::lemma3::expansion(spec.distribution(), digits);
    let all: Vec<usize> = (0..spec.len()).collect();
    let (solved, rigor): (Vec<Solved>, Vec<Rigor>) =
        solve_points_with_rigor(spec, &all, digits, None, tick)
            .into_iter()
            .unzip();
    let by_index: HashMap<usize, Rigor> =
        solved.iter().map(|s| s.point.index()).zip(rigor).collect();
    let mut families = families(spec.description(), solved, expansion.as_ref().ok(), digits);
    for record in families.iter_mut().flat_map(|f| f.points.iter_mut()) {
        record.rigor = by_index.get(&record.index).cloned();
    }
    Replication {
        expansion,
        families,
    }
}

/// A ball as decimal strings `(mid, rad)`, laid out by the one rule of
/// [`efftrade_model::digits::layout_decimal`]: the midpoint rounded to `digits` significant
/// digits and a radius, rounded up to three digits, that also covers that rounding, so that
/// `[mid ± rad]` read as decimals contains the ball.
pub fn ball_text(x: &Arb, digits: u32) -> (String, String) {
    let (Some(mid), Some(rad)) = (x.mid_float(), x.rad_float()) else {
        return ("nan".into(), "inf".into());
    };
    let layout = |(negative, digits, exp): (bool, String, Option<i32>)| {
        layout_decimal(negative, &digits, exp.unwrap_or(0))
    };
    let mid_text = if mid.is_zero() {
        "0".to_string()
    } else {
        layout(mid.to_sign_string_exp(10, Some(digits as usize)))
    };
    // |mid - decimal| exactly, as a rational, plus the radius, rounded up.
    let decimal = Rational::from_str_radix(&decimal_as_fraction(&mid_text), 10)
        .unwrap_or_else(|_| Rational::new());
    let exact_mid = mid.to_rational().unwrap_or_default();
    let gap = Rational::from(&exact_mid - &decimal).abs();
    let total = Rational::from(&gap + &rad.to_rational().unwrap_or_default());
    let up = Float::with_val_round(64, &total, Round::Up).0;
    let rad_text = if up.is_zero() {
        "0".to_string()
    } else {
        layout(up.to_sign_string_exp_round(10, Some(3), Round::Up))
    };
    (mid_text, rad_text)
}

/// A decimal in Rust's or MPFR's notation (`-1.25e-3`) as a fraction `num/den` for parsing.
fn decimal_as_fraction(text: &str) -> String {
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let scale = exp - frac.len() as i64;
    if scale >= 0 {
        format!("{digits}{}", "0".repeat(scale as usize))
    } else {
        format!("{digits}/1{}", "0".repeat((-scale) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ball_printed_as_decimals_still_holds_its_value() {
        let third = Arb::from_ratio(&1.into(), &3.into(), 200);
        let (mid, rad) = ball_text(&third, 10);
        assert_eq!(mid, "0.3333333333");
        // The printed radius covers the rounding of the midpoint: about 3.3e-11.
        let rad: f64 = rad.parse().unwrap();
        assert!((3.3e-11..3.5e-11).contains(&rad), "{rad}");
        assert_eq!(decimal_as_fraction("-1.25e-3"), "-125/100000");
        assert_eq!(decimal_as_fraction("4.5e2"), "450");
    }
}

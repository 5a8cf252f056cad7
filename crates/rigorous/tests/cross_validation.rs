//! The fast engine's printed digits held against the rigorous engine's balls: for every grid
//! point of every spec in `specs/`, and for random uniform and power markets, each decimal the
//! fast engine prints (mu, E[max], T1, T2, beta*, the critical types, Theorem 1's left-hand side)
//! must be the rounding of a point of the ball that contains the exact value, that is, the
//! interval `[D - u/2, D + u/2]` of the decimal `D` with last unit `u` must meet the ball.

use std::path::Path;

use efftrade_arb::Arb;
use efftrade_model::{BigRational, Market, Spec};
use efftrade_numeric::Certified;
use efftrade_numeric::quantities::Solution;
use efftrade_rigorous::{BallSolution, solve};
use proptest::prelude::*;
use rug::Float;
use rug::ops::Pow;

const DIGITS: u32 = 20;

/// The exact interval a printed decimal of `digits` significant digits stands for.
fn decimal_interval(text: &str, digits: u32) -> Arb {
    let value = Float::with_val(400, Float::parse(text).expect("a decimal"));
    if value.is_zero() {
        return Arb::zero();
    }
    let exp10 = value.clone().abs().log10().floor().to_f64() as i32;
    let half_unit = Float::with_val(400, 10).pow(exp10 + 1 - digits as i32) / 2u32;
    let lo = Float::with_val(400, &value - &half_unit);
    let hi = Float::with_val(400, &value + &half_unit);
    Arb::from_interval(&lo, &hi, 400)
}

/// Every printed quantity of the fast solution with the rigorous ball of the same name.
fn pairs<'a>(
    fast: &'a Solution,
    rigorous: &'a BallSolution,
) -> Vec<(String, &'a Certified, &'a Arb)> {
    let ball = |name: &str| {
        rigorous
            .balls
            .iter()
            .find(|b| b.name == name)
            .map(|b| &b.ball)
    };
    let mut out = Vec::new();
    let mut push = |name: String, c: Option<&'a Certified>| {
        if let (Some(c), Some(b)) = (c, ball(&name)) {
            out.push((name, c, b));
        }
    };
    push("mu".into(), Some(&fast.mu));
    push("e_max".into(), Some(&fast.e_max));
    push("t1".into(), Some(&fast.t1));
    push("t2".into(), Some(&fast.t2));
    push("beta_star".into(), fast.beta_star.as_ref());
    push("lhs".into(), fast.lhs.as_ref());
    for (i, c) in fast.critical.iter().enumerate() {
        push(format!("critical[{i}]"), Some(c));
    }
    out
}

/// Checks one market; returns a description of each disagreement.
fn check(
    label: &str,
    dist: &efftrade_model::Distribution,
    market: &Market,
    beta: Option<&BigRational>,
) -> Vec<String> {
    let Ok(fast) = efftrade_numeric::quantities::solve(dist, market, beta, DIGITS) else {
        return Vec::new();
    };
    let rigorous = match solve(dist, market, beta, DIGITS) {
        Ok(r) => r,
        Err(e) => return vec![format!("{label}: the rigorous engine failed: {e}")],
    };
    let mut bad = Vec::new();
    for (name, printed, ball) in pairs(&fast, &rigorous) {
        if printed.digits() == 0 {
            continue;
        }
        let text = printed.to_decimal();
        if !decimal_interval(&text, printed.digits()).overlaps(ball) {
            bad.push(format!("{label}: {name} printed {text}, ball {ball}"));
        }
    }
    if fast.verdict != rigorous.solution.verdict && rigorous.undecided.is_none() {
        bad.push(format!("{label}: verdicts differ"));
    }
    bad
}

#[test]
fn every_spec_point_prints_digits_inside_the_balls() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let spec = Spec::from_yaml(&text, file.to_str()).unwrap();
        for i in 0..spec.len() {
            let point = spec.point(i).unwrap();
            let label = format!("{} point {i}", file.file_name().unwrap().to_string_lossy());
            bad.extend(check(
                &label,
                spec.distribution(),
                point.market(),
                point.beta(),
            ));
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} points");
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn share_market(weights: &[u32]) -> Market {
    let total: u32 = weights.iter().sum();
    let shares: Vec<BigRational> = weights
        .iter()
        .map(|&w| BigRational::new(w.into(), total.into()))
        .collect();
    Market::from_shares(&shares).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn random_markets_print_digits_inside_the_balls(
        weights in prop::collection::vec(0u32..20, 2..5).prop_filter("a share", |w| w.iter().any(|&x| x > 0)),
        k in 1u32..6,
        replications in 0u32..25,
    ) {
        let dist = Spec::from_yaml(
            &format!("description: t\ndistribution: {{cdf: \"x^{k}\", support: [0, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"),
            None,
        ).unwrap().distribution().clone();
        let market = share_market(&weights).replicate(10u128.pow(replications)).unwrap();
        let beta = BigRational::new(1.into(), 2.into());
        let bad = check(&format!("x^{k}, weights {weights:?}, m = 10^{replications}"), &dist, &market, Some(&beta));
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn decimal_intervals_are_half_a_unit_wide() {
    let i = decimal_interval("1.25", 3);
    let (lo, hi) = i.bounds().unwrap();
    // An enclosure: the ball's radius is rounded up to 30 bits.
    assert!((lo.to_f64() - 1.245).abs() < 1e-9 && (hi.to_f64() - 1.255).abs() < 1e-9);
    assert!(lo.to_f64() <= 1.245 && hi.to_f64() >= 1.255);
    let third = Arb::from_ratio(&1.into(), &3.into(), 200);
    assert!(decimal_interval("0.333", 3).overlaps(&third));
    assert!(!decimal_interval("0.334", 3).overlaps(&third));
}

//! The LP cutoff on k points against beta* of the numeric engine: it approaches beta* as k grows,
//! for two and three agents, on the uniform market and on Example 1's sine market.

mod common;

use efftrade_mechanism::{convergence, cutoff};
use efftrade_model::Market;
use efftrade_numeric::quantities::solve;

use common::{q, spec_dist};

#[test]
fn lp_cutoffs_approach_beta_star_at_first_order() {
    let cases = [
        ("example1-uniform.yaml", Market::symmetric(2).unwrap()),
        (
            "example1-uniform.yaml",
            Market::from_shares(&[q(3, 10), q(7, 10)]).unwrap(),
        ),
        ("example1-uniform.yaml", Market::symmetric(3).unwrap()),
        (
            "three-agents-uniform.yaml",
            Market::from_shares(&[q(1, 2), q(3, 10), q(1, 5)]).unwrap(),
        ),
        ("example1-sine-solved.yaml", Market::symmetric(2).unwrap()),
        ("example1-sine-solved.yaml", Market::symmetric(3).unwrap()),
    ];
    for (name, market) in cases {
        let dist = spec_dist(name);
        let star = solve(&dist, &market, None, 20)
            .unwrap()
            .beta_star
            .unwrap()
            .value()
            .to_f64();
        let c = convergence(&dist, &market, &[10, 20, 40, 80, 160, 320]).unwrap();
        let mut previous_gap = f64::INFINITY;
        for cut in &c.cutoffs {
            let beta = cut.beta.as_ref().unwrap().value().to_f64();
            // The discrete market is a finer-grained, easier one: its cutoff lies above beta*.
            assert!(
                beta > star,
                "{name} {market} k = {}: {beta} <= {star}",
                cut.k
            );
            assert!(
                cut.max_violation < 1e-6,
                "{name} k = {}: {}",
                cut.k,
                cut.max_violation
            );
            let gap = beta - star;
            assert!(
                gap < previous_gap,
                "{name} {market}: not monotone at k = {}",
                cut.k
            );
            previous_gap = gap;
        }
        // The gap falls like 1/k: the least-squares slope of log gap against log k.
        let points: Vec<(f64, f64)> = c
            .cutoffs
            .iter()
            .map(|cut| {
                let gap = cut.beta.as_ref().unwrap().value().to_f64() - star;
                ((cut.k as f64).ln(), gap.ln())
            })
            .collect();
        let n = points.len() as f64;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
        let slope = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>()
            / points.iter().map(|(x, _)| (x - mx).powi(2)).sum::<f64>();
        assert!(
            (-1.2..-0.8).contains(&slope),
            "{name} {market}: slope {slope}"
        );
        // Where the sequence is regular (the uniform markets), Richardson's estimate from the
        // cutoffs alone lands within 1% of beta*.
        if name != "example1-sine-solved.yaml" {
            let order = c.order.unwrap();
            assert!(
                (0.8..1.25).contains(&order),
                "{name} {market}: order {order}"
            );
            let limit = c.extrapolated.unwrap().value().to_f64();
            assert!(
                (limit - star).abs() < 0.01 * star,
                "{name} {market}: Richardson {limit} vs beta* {star}"
            );
        }
        assert!(
            previous_gap < 0.07 * star,
            "{name} {market}: k = 320 gap {previous_gap}"
        );
    }
}

#[test]
fn myerson_satterthwaite_is_infeasible_at_every_beta_once_k_is_three() {
    // T1 = -1/6 < 0: Theorem 2 says no beta >= 0 works. With two types the discrete market can
    // just trade at beta = 0; from three types on the LP finds no feasible beta at all.
    let dist = spec_dist("myerson-satterthwaite.yaml");
    let market = Market::from_shares(&[q(1, 1), q(0, 1)]).unwrap();
    for k in [3, 5, 10, 40, 160] {
        let c = cutoff(&dist, &market, k).unwrap();
        assert!(c.beta.is_none(), "k = {k}: {:?}", c.beta);
    }
}

#[test]
fn bad_requests_are_refused() {
    let dist = spec_dist("example1-uniform.yaml");
    let big = Market::symmetric(65).unwrap();
    assert!(
        cutoff(&dist, &big, 10)
            .unwrap_err()
            .to_string()
            .contains("at most 64 agents")
    );
    let two = Market::symmetric(2).unwrap();
    assert!(cutoff(&dist, &two, 1).is_err());
    assert!(cutoff(&dist, &two, 5000).is_err());
}

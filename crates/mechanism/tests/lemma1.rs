//! Lemma 1's mechanism, verified from its payoffs against references that do not share its
//! formulas: Theorem 1's `T1`, `T2` and `beta*` from the numeric engine's one-dimensional forms,
//! Lemma 4's integral of the allocation, and closed forms derived by hand for the uniform market.

mod common;

use efftrade_mechanism::verify::{Method, Report, Rule, Settings, verify};
use efftrade_mechanism::{Lemma1, MechanismError, efficient_allocation};
use efftrade_model::{BigInt, BigRational, Distribution, Market};
use efftrade_numeric::quantities::solve;
use rug::Float;
use rug::ops::Pow;

use common::{q, spec_dist};

const PREC: u32 = 128;

fn market(shares: &[(i64, i64)]) -> Market {
    Market::from_shares(&shares.iter().map(|&(n, d)| q(n, d)).collect::<Vec<_>>()).unwrap()
}

/// An MPFR float as an exact rational.
fn rational(x: &Float) -> BigRational {
    let r = x.to_rational().expect("finite");
    let parse = |s: String| s.parse::<BigInt>().unwrap();
    BigRational::new(parse(r.numer().to_string()), parse(r.denom().to_string()))
}

fn f(x: &BigRational) -> Float {
    Float::with_val(PREC, efftrade_numeric::program::to_rug(x))
}

/// Settings that keep each check to a fraction of a second: a 7-point grid for three agents.
fn settings(n: u128) -> Settings {
    Settings {
        grid: if n >= 3 { 7 } else { 9 },
        profiles: 128,
        order: 12,
        panels: 3,
        ..Settings::default()
    }
}

fn check(dist: &Distribution, m: &Market, beta: &BigRational) -> (Lemma1, Report) {
    check_on(dist, m, beta, &settings(m.n()))
}

fn check_on(
    dist: &Distribution,
    m: &Market,
    beta: &BigRational,
    settings: &Settings,
) -> (Lemma1, Report) {
    let mut mech = Lemma1::new(dist, m, beta, PREC).unwrap();
    let report = verify(&mut mech, dist, m, beta, PREC, settings).unwrap();
    (mech, report)
}

/// A coarse grid (the ends, the middle and the critical types) where only IR at `v*` matters.
fn coarse() -> Settings {
    Settings {
        grid: 3,
        ..settings(3)
    }
}

/// `(1 + beta/n) T1 + (beta/n) T2` from the numeric engine (Theorem 1's left-hand side).
fn theorem1_lhs(dist: &Distribution, m: &Market, beta: &BigRational) -> Float {
    solve(dist, m, Some(beta), 30)
        .unwrap()
        .lhs
        .unwrap()
        .value()
        .clone()
}

fn tiny(bits: i32) -> Float {
    Float::with_val(PREC, Float::i_exp(1, -bits))
}

/// The markets of the "must show" list: uniform and sine, two and three agents, several shares.
fn markets() -> Vec<(&'static str, Market, BigRational)> {
    vec![
        ("example1-uniform.yaml", market(&[(1, 2), (1, 2)]), q(1, 1)),
        (
            "example1-uniform.yaml",
            market(&[(3, 10), (7, 10)]),
            q(1, 2),
        ),
        (
            "example1-uniform.yaml",
            market(&[(1, 3), (1, 3), (1, 3)]),
            q(2, 1),
        ),
        (
            "example1-uniform.yaml",
            market(&[(1, 2), (3, 10), (1, 5)]),
            q(1, 2),
        ),
        (
            "example1-sine-solved.yaml",
            market(&[(1, 2), (1, 2)]),
            q(3, 2),
        ),
        (
            "example1-sine-solved.yaml",
            market(&[(2, 5), (3, 5)]),
            q(1, 4),
        ),
        (
            "example1-sine-solved.yaml",
            market(&[(1, 3), (1, 3), (1, 3)]),
            q(3, 1),
        ),
        (
            "example1-sine-solved.yaml",
            market(&[(1, 2), (1, 4), (1, 4)]),
            q(1, 1),
        ),
    ]
}

#[test]
fn budget_balances_ic_holds_and_ir_slack_is_smallest_at_the_critical_type() {
    for (name, m, beta) in markets() {
        let dist = spec_dist(name);
        let (mech, r) = check(&dist, &m, &beta);
        let label = format!("{name} {m} beta {beta}");
        // BB: the residual is rounding noise, a few ulps of the largest transfer.
        let noise = Float::with_val(PREC, &r.bb_scale * tiny(PREC as i32 - 8));
        assert!(
            r.bb_max_residual <= noise,
            "{label}: BB residual {} (scale {})",
            r.bb_max_residual.to_f64(),
            r.bb_scale.to_f64()
        );
        let error = r.error();
        assert!(
            error < 1e-12,
            "{label}: quadrature error bar {}",
            error.to_f64()
        );
        let predicted = Float::with_val(PREC, theorem1_lhs(&dist, &m, &beta) / m.n() as u32);
        assert!(predicted > 0, "{label}: the cases are below beta*");
        for a in &r.agents {
            // IC: every misreport on the grid loses.
            assert!(
                a.ic_max_gain.0 < 0,
                "{label} agent {}: gain {} from reporting {} at type {}",
                a.agent,
                a.ic_max_gain.0.to_f64(),
                a.ic_max_gain.2.to_f64(),
                a.ic_max_gain.1.to_f64()
            );
            // IR: slack >= 0 everywhere on the grid, smallest at v_i*.
            assert_eq!(a.ir_min.1, a.critical, "{label}: IR minimum away from v*");
            assert!(a.ir_min.0 > 0, "{label}");
            // The minimum equals Theorem 1's left-hand side divided equally among agents.
            let gap = Float::with_val(PREC, &a.slack_at_critical - &predicted).abs();
            assert!(
                gap <= Float::with_val(PREC, &a.error + tiny(100)),
                "{label} agent {}: slack {} vs predicted {} (error bar {})",
                a.agent,
                a.slack_at_critical.to_f64(),
                predicted.to_f64(),
                a.error.to_f64()
            );
        }
        // The construction's own D is Theorem 1's left-hand side.
        let d = Float::with_val(PREC, mech.surplus() / m.n() as u32);
        assert!(
            Float::with_val(PREC, &d - &predicted).abs() < tiny(100),
            "{label}: D/n = {} vs {}",
            d.to_f64(),
            predicted.to_f64()
        );
    }
}

/// The uniform market on [0, 1] with `n` agents, derived by hand: `G(p) = p^(n-1)`,
/// `v_i* = r_i^(1/(n-1))`, `T1 = (n-1)/(n+1) - ((n-1)/n) Σ r^(n/(n-1))`, `T2 = 1/(n+1) - 1/2`,
/// so `D = (1 + beta/n) T1 + (beta/n) T2`. Lemma 5's derivative `(1 + beta/n)(G(v) - r)`
/// integrated from `v*` gives the IR slack
/// `D/n + (1 + beta/n) [(v^n - v*^n)/n - r (v - v*)]`,
/// and Lemma 4 the gain of type `v` reporting `w`,
/// `-(1 + beta/n) ∫_w^v (v - p) dG(p) = -(1 + beta/n) [v (v^(n-1) - w^(n-1)) - (n-1)/n (v^n - w^n)]`.
#[test]
fn uniform_slack_and_misreport_gains_match_hand_derived_closed_forms() {
    let dist = spec_dist("example1-uniform.yaml");
    for (m, beta) in [
        (market(&[(1, 2), (1, 2)]), q(1, 1)),
        (market(&[(1, 10), (9, 10)]), q(0, 1)),
        (market(&[(3, 10), (7, 10)]), q(3, 2)),
        (market(&[(1, 2), (3, 10), (1, 5)]), q(1, 2)),
    ] {
        let n = m.n() as u32;
        let (_, r) = check(&dist, &m, &beta);
        let b = f(&beta);
        let one_plus = Float::with_val(PREC, &b / n) + 1u32;
        let shares: Vec<Float> = m
            .classes()
            .iter()
            .flat_map(|c| std::iter::repeat_n(f(c.share()), c.count() as usize))
            .collect();
        let exponent = Float::with_val(PREC, n) / (n - 1);
        let sum: Float = Float::with_val(
            PREC,
            Float::sum(
                shares
                    .iter()
                    .map(|r| r.clone().pow(&exponent))
                    .collect::<Vec<_>>()
                    .iter(),
            ),
        );
        let t1 = Float::with_val(PREC, Float::with_val(PREC, n - 1) / (n + 1))
            - Float::with_val(PREC, Float::with_val(PREC, n - 1) / n) * sum;
        let t2 = Float::with_val(PREC, Float::with_val(PREC, 1u32) / (n + 1)) - 0.5f64;
        let d = Float::with_val(PREC, &one_plus * &t1) + Float::with_val(PREC, &b / n) * &t2;
        for a in &r.agents {
            let share = &a.share;
            let star = Float::with_val(
                PREC,
                share.clone().pow(Float::with_val(PREC, 1u32) / (n - 1)),
            );
            for (v, s) in a.types.iter().zip(&a.slack) {
                let poly = Float::with_val(
                    PREC,
                    Float::with_val(PREC, v.clone().pow(n) - star.clone().pow(n)) / n,
                ) - Float::with_val(PREC, share * Float::with_val(PREC, v - &star));
                let expected = Float::with_val(PREC, &d / n) + one_plus.clone() * poly;
                assert!(
                    Float::with_val(PREC, s - &expected).abs() < tiny(110),
                    "{m} beta {beta}: slack at {} is {} against {}",
                    v.to_f64(),
                    s.to_f64(),
                    expected.to_f64()
                );
            }
            // The largest gain on the grid is Lemma 4's, at the same pair.
            let gain = |v: &Float, w: &Float| -> Float {
                let vn1 = Float::with_val(PREC, v.clone().pow(n - 1) - w.clone().pow(n - 1));
                let vn = Float::with_val(PREC, v.clone().pow(n) - w.clone().pow(n));
                let inner = Float::with_val(PREC, v * vn1)
                    - Float::with_val(PREC, Float::with_val(PREC, n - 1) / n) * vn;
                Float::with_val(PREC, -(one_plus.clone() * inner))
            };
            let mut best = Float::with_val(PREC, f64::NEG_INFINITY);
            for v in &a.types {
                for w in a.types.iter().filter(|w| *w != v) {
                    best = best.max(&gain(v, w));
                }
            }
            let (got, v, w) = &a.ic_max_gain;
            assert!(
                Float::with_val(PREC, got - &best).abs() < tiny(110)
                    && Float::with_val(PREC, gain(v, w) - got).abs() < tiny(110),
                "{m}: largest gain {} at ({}, {}), Lemma 4 says {}",
                got.to_f64(),
                v.to_f64(),
                w.to_f64(),
                best.to_f64()
            );
        }
    }
}

#[test]
fn ir_fails_just_above_beta_star_by_the_predicted_margin_and_nowhere_at_or_below() {
    for (name, m) in [
        ("example1-uniform.yaml", market(&[(1, 2), (1, 2)])),
        ("example1-uniform.yaml", market(&[(1, 3), (1, 3), (1, 3)])),
        ("example1-sine-solved.yaml", market(&[(2, 5), (3, 5)])),
        (
            "example1-sine-solved.yaml",
            market(&[(1, 3), (1, 3), (1, 3)]),
        ),
    ] {
        let dist = spec_dist(name);
        let star = solve(&dist, &m, None, 36)
            .unwrap()
            .beta_star
            .unwrap()
            .value()
            .clone();
        let star = rational(&star);
        for (label, factor) in [
            ("above", q(1001, 1000)),
            ("at", q(1, 1)),
            ("below", q(999, 1000)),
        ] {
            let beta = &star * &factor;
            let (_, r) = check_on(&dist, &m, &beta, &coarse());
            let predicted = Float::with_val(PREC, theorem1_lhs(&dist, &m, &beta) / m.n() as u32);
            let (slack, _, at) = r.ir_min_slack();
            let error = Float::with_val(PREC, r.error() + tiny(100));
            assert!(
                Float::with_val(PREC, &slack - &predicted).abs() <= error,
                "{name} {m} {label} beta*: slack {} at {}, predicted {}",
                slack.to_f64(),
                at.to_f64(),
                predicted.to_f64()
            );
            match label {
                "above" => assert!(
                    slack < -error.clone(),
                    "{name} {m}: no IR failure above beta*"
                ),
                "below" => assert!(slack > error, "{name} {m}: IR fails below beta*"),
                _ => assert!(
                    // beta* to 36 digits: the slack vanishes to the quadrature's accuracy.
                    slack.clone().abs() <= Float::with_val(PREC, &error + 1e-30),
                    "{name} {m}: slack {} at beta*",
                    slack.to_f64()
                ),
            }
            // Above beta* every agent's IR fails at its critical type, by D/n each.
            if label == "above" {
                for a in &r.agents {
                    assert!(a.slack_at_critical < 0, "{name} {m}");
                }
            }
        }
    }
}

#[test]
fn the_paper_constants_recombine_into_the_transfer() {
    let dist = spec_dist("example1-sine-solved.yaml");
    let m = market(&[(1, 2), (3, 10), (1, 5)]);
    let mech = Lemma1::new(&dist, &m, &q(1, 2), PREC).unwrap();
    let c = mech.c();
    let d = mech.d();
    let sum_c = Float::with_val(PREC, Float::sum(c.iter()));
    let sum_d = Float::with_val(PREC, Float::sum(d.iter()));
    assert!(
        sum_c.clone().abs() < tiny(118),
        "Σ c_i = {}",
        sum_c.to_f64()
    );
    assert!(Float::with_val(PREC, &sum_d - mech.surplus()).abs() < tiny(118));
    let sum_k = Float::with_val(PREC, Float::sum(mech.kappa().iter()));
    assert!(sum_k.abs() < tiny(118));
    for i in 0..3 {
        let k = Float::with_val(PREC, &c[i] - &d[i]) + Float::with_val(PREC, mech.surplus() / 3u32);
        assert!(Float::with_val(PREC, &k - &mech.kappa()[i]).abs() < tiny(118));
    }
}

/// A transfer rule with one of the construction's terms removed.
struct Broken {
    inner: Lemma1,
    change: Change,
}

#[derive(Clone, Copy, Debug)]
enum Change {
    /// Drop `g_i`.
    DropG,
    /// Drop `e_i - x_i` and `g_i` (their sums cancel, so BB still holds).
    DropExternality,
    /// The paper's `t_i` with `c_i` but without the IR shift `-d_i + D/n`.
    NoShift,
}

impl Rule for Broken {
    fn n(&self) -> usize {
        self.inner.n()
    }

    fn transfer(&mut self, i: usize, reports: &[Float]) -> Result<Float, MechanismError> {
        let p = self.inner.parts(i, reports)?;
        let mut t = p.total();
        match self.change {
            Change::DropG => t -= &p.g,
            Change::DropExternality => {
                t -= &p.g;
                t -= &p.externality;
            }
            Change::NoShift => {
                t -= &p.constant;
                t += &self.inner.c()[i];
            }
        }
        Ok(t)
    }
}

#[test]
fn broken_transfers_are_caught() {
    let dist = spec_dist("example1-uniform.yaml");
    let run = |m: &Market, beta: &BigRational, change: Change, grid: usize| {
        let inner = Lemma1::new(&dist, m, beta, PREC).unwrap();
        let mut rule = Broken { inner, change };
        let s = Settings {
            grid,
            ..settings(m.n())
        };
        verify(&mut rule, &dist, m, beta, PREC, &s).unwrap()
    };
    let two = market(&[(3, 10), (7, 10)]);
    // Without g_i the transfers no longer sum to zero.
    let r = run(&two, &q(1, 1), Change::DropG, 5);
    assert!(
        r.bb_max_residual > 1e-3,
        "BB residual {}",
        r.bb_max_residual.to_f64()
    );
    // Without the externality terms BB still holds, but over-reporting pays.
    let r = run(&two, &q(1, 1), Change::DropExternality, 5);
    assert!(r.bb_max_residual < 1e-30);
    let (gain, _, v, w) = r.ic_max_gain();
    assert!(gain > 1e-3, "gain {}", gain.to_f64());
    assert!(w > v, "the profitable misreport over-reports");
    // Without the IR shift the budget balances and IC holds, but with unequal A_i some agent's IR
    // fails (for two agents on the uniform the A_i happen to be equal: three are needed).
    let three = market(&[(3, 5), (3, 10), (1, 10)]);
    let star = solve(&dist, &three, None, 30)
        .unwrap()
        .beta_star
        .unwrap()
        .value()
        .clone();
    let beta = rational(&star) * q(9, 10);
    let r = run(&three, &beta, Change::NoShift, 3);
    assert!(r.bb_max_residual < 1e-30);
    assert!(r.ic_max_gain().0 < 0);
    let (slack, class, at) = r.ir_min_slack();
    assert!(
        slack < -1e-6,
        "slack {} (agent class {class}, type {})",
        slack.to_f64(),
        at.to_f64()
    );
    // The paper's shifted transfer passes all three at the same beta.
    let (_, r) = check_on(&dist, &three, &beta, &coarse());
    assert!(r.ir_min_slack().0 > 0 && r.ic_max_gain().0 < 0);
}

/// Repair 8 of the construction's docs: the mechanism is Bayesian IC, not dominant-strategy IC.
#[test]
fn the_construction_is_not_dominant_strategy_ic() {
    let dist = spec_dist("example1-uniform.yaml");
    let m = market(&[(1, 2), (1, 2)]);
    let beta = q(1, 1);
    let mut mech = Lemma1::new(&dist, &m, &beta, PREC).unwrap();
    let b = f(&beta);
    let one_plus = Float::with_val(PREC, &b / 2u32) + 1u32;
    let utility = |mech: &mut Lemma1, v: &Float, w: &Float, other: &Float| -> Float {
        let reports = [w.clone(), other.clone()];
        let t = mech.transfers(&reports).unwrap().remove(0);
        let s = efficient_allocation(&reports).remove(0);
        let value = Float::with_val(PREC, &one_plus * v) + Float::with_val(PREC, &b / 2u32) * other;
        t + s * value
    };
    let grid: Vec<Float> = (0..=10).map(|k| Float::with_val(PREC, k) / 10u32).collect();
    let mut best = Float::with_val(PREC, f64::NEG_INFINITY);
    for v in &grid {
        for other in &grid {
            let truthful = utility(&mut mech, v, v, other);
            for w in &grid {
                best = best.max(&Float::with_val(
                    PREC,
                    utility(&mut mech, v, w, other) - &truthful,
                ));
            }
        }
    }
    assert!(best > 0.01, "largest ex-post gain {}", best.to_f64());
}

#[test]
fn four_agents_by_quasi_monte_carlo_within_error_bars() {
    let dist = spec_dist("example1-uniform.yaml");
    let m = market(&[(1, 4), (1, 4), (1, 4), (1, 4)]);
    let beta = q(1, 1);
    let mut mech = Lemma1::new(&dist, &m, &beta, PREC).unwrap();
    let s = Settings {
        grid: 5,
        ..Settings::default()
    };
    let r = verify(&mut mech, &dist, &m, &beta, PREC, &s).unwrap();
    assert_eq!(r.method, Method::QuasiMonteCarlo);
    assert!(r.bb_max_residual < 1e-35);
    let error = r.error();
    assert!(error < 0.05, "QMC error bar {}", error.to_f64());
    let predicted = Float::with_val(PREC, theorem1_lhs(&dist, &m, &beta) / 4u32);
    let a = &r.agents[0];
    assert!(
        a.ic_max_gain.0 <= error,
        "gain {} beyond the error bar",
        a.ic_max_gain.0.to_f64()
    );
    assert!(Float::with_val(PREC, &a.slack_at_critical - &predicted).abs() <= error);
    assert!(a.ir_min.0 >= -error.clone());
}

#[test]
fn bad_inputs_are_errors() {
    let dist = spec_dist("example1-uniform.yaml");
    let m = market(&[(1, 2), (1, 2)]);
    assert!(matches!(
        Lemma1::new(&dist, &m, &q(-1, 2), PREC),
        Err(MechanismError::Input(_))
    ));
    assert!(Lemma1::new(&dist, &Market::symmetric(65).unwrap(), &q(1, 1), PREC).is_err());
    let mut mech = Lemma1::new(&dist, &m, &q(1, 1), PREC).unwrap();
    let half = Float::with_val(PREC, 0.5);
    assert!(mech.transfers(std::slice::from_ref(&half)).is_err());
    assert!(
        mech.transfers(&[half.clone(), Float::with_val(PREC, 2)])
            .is_err()
    );
    assert!(
        mech.transfers(&[half.clone(), Float::with_val(PREC, f64::NAN)])
            .is_err()
    );
    let bad = Settings {
        grid: 1,
        ..Settings::default()
    };
    assert!(verify(&mut mech, &dist, &m, &q(1, 1), PREC, &bad).is_err());
    assert!(verify(&mut mech, &dist, &m, &q(1, 1), 8, &Settings::default()).is_err());
    // A rule for another number of agents than the market's.
    let three = market(&[(1, 3), (1, 3), (1, 3)]);
    assert!(
        verify(
            &mut mech,
            &dist,
            &three,
            &q(1, 1),
            PREC,
            &Settings::default()
        )
        .is_err()
    );
}

/// The sine market has no closed forms, so every gain and slack on the grid is checked against
/// the integrals Lemmas 4 and 5 give, computed by the numeric engine's adaptive quadrature:
/// gain `-(1 + beta/n) ∫_w^v (v - p) dG(p)` and slack `D/n + (1 + beta/n) ∫_{v*}^v (G(p) - r) dp`
/// with `D/n` from the engine's T1 and T2.
#[test]
fn sine_gains_and_slacks_match_lemma4_and_lemma5_integrals() {
    use efftrade_numeric::engine::Engine;
    let dist = spec_dist("example1-sine-solved.yaml");
    for (m, beta) in [
        (market(&[(2, 5), (3, 5)]), q(1, 2)),
        (market(&[(1, 2), (1, 4), (1, 4)]), q(1, 1)),
    ] {
        let n = m.n() as u32;
        let s = Settings {
            grid: 5,
            ..settings(m.n())
        };
        let (_, r) = check_on(&dist, &m, &beta, &s);
        let mut e = Engine::new(&dist, PREC).unwrap();
        let b = f(&beta);
        let one_plus = Float::with_val(PREC, &b / n) + 1u32;
        let d_over_n = Float::with_val(PREC, theorem1_lhs(&dist, &m, &beta) / n);
        let tolerance = Float::with_val(PREC, r.error() + tiny(96));
        for a in &r.agents {
            for (vi, v) in a.types.iter().enumerate() {
                // Lemma 5: the slack from v* to v.
                let integral = e
                    .integrate(
                        |cdf, _, p| Float::with_val(PREC, cdf.eval(p).pow(n - 1)) - &a.share,
                        &a.critical,
                        v,
                    )
                    .unwrap()
                    .value;
                let expected = Float::with_val(PREC, &d_over_n + &one_plus * integral);
                assert!(
                    Float::with_val(PREC, &a.slack[vi] - &expected).abs() <= tolerance,
                    "{m}: slack at {} is {}, Lemma 5 gives {}",
                    v.to_f64(),
                    a.slack[vi].to_f64(),
                    expected.to_f64()
                );
                // Lemma 4: the gain of type v reporting w, dG = (n-1) F^(n-2) f dp.
                for (wi, w) in a.types.iter().enumerate() {
                    let integral = e
                        .integrate(
                            |cdf, density, p| {
                                let g = Float::with_val(PREC, cdf.eval(p).pow(n - 2)) * (n - 1);
                                Float::with_val(PREC, v - p) * g * density.eval(p)
                            },
                            w,
                            v,
                        )
                        .unwrap()
                        .value;
                    let expected = Float::with_val(PREC, -(one_plus.clone() * integral));
                    assert!(
                        Float::with_val(PREC, &a.gains[vi][wi] - &expected).abs() <= tolerance,
                        "{m}: gain of {} reporting {} is {}, Lemma 4 gives {}",
                        v.to_f64(),
                        w.to_f64(),
                        a.gains[vi][wi].to_f64(),
                        expected.to_f64()
                    );
                }
            }
        }
    }
}

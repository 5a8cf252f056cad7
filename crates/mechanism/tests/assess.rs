//! The assessment records against closed forms of the two-agent uniform market with shares 0.3
//! and 0.7: `T1 = 13/300`, `T2 = -1/6`, so `beta* = -2 T1 / (T1 + T2) = 26/37` and Theorem 1's
//! left-hand side is `D = (1 + beta/2) 13/300 - (beta/2) / 6`, every agent's smallest IR slack
//! being `D / 2` (derived by hand; the engine and the verifier share none of it).

use efftrade_mechanism::assess::{
    self, MAX_GRID_PROFILES, check_grid, transfer_grid, upper_bound, verify_market,
};
use efftrade_mechanism::{Settings, convergence};
use efftrade_model::{BigRational, Distribution, Market, Spec};
use efftrade_numeric::quantities::{solve, theorem1_lhs, theorem1_lhs_within};
use rug::Float;

#[allow(dead_code, reason = "this binary uses only `q` of the shared helpers")]
mod common;
use common::q;

fn spec(yaml: &str) -> Spec {
    Spec::from_yaml(yaml, None).unwrap()
}

fn two_agents() -> (Distribution, Market) {
    let s = spec("description: d\ndistribution: {family: uniform}\nmarket: {shares: [0.3, 0.7]}\n");
    let market = s.point(0).unwrap().market().clone();
    (s.distribution().clone(), market)
}

/// `D = (1 + beta/2) 13/300 - (beta/2) / 6`, exactly.
fn lhs(beta: &BigRational) -> BigRational {
    let half = beta / BigRational::from_integer(2.into());
    (BigRational::from_integer(1.into()) + &half) * q(13, 300) - half * q(1, 6)
}

fn close(text: &str, want: &BigRational, tol: f64) {
    let got: f64 = text.parse().unwrap();
    let want = efftrade_model::expr::rational_to_f64(want);
    assert!((got - want).abs() <= tol, "{got} vs {want}");
}

fn settings() -> Settings {
    Settings {
        grid: 5,
        ..Settings::default()
    }
}

#[test]
fn theorem1_lhs_is_the_closed_form() {
    let prec = 200;
    let t1 = Float::with_val(prec, 13) / 300u32;
    let t2 = Float::with_val(prec, -1) / 6u32;
    for beta in [q(0, 1), q(1, 2), q(26, 37), q(3, 1)] {
        let b = Float::with_val(prec, efftrade_numeric::program::to_rug(&beta));
        let d = theorem1_lhs(&t1, &t2, &b, 2);
        let want = Float::with_val(prec, efftrade_numeric::program::to_rug(&lhs(&beta)));
        assert!(Float::with_val(prec, &d - &want).abs() < 1e-55, "{beta}");
    }
    // At beta* it vanishes; from certified T1 and T2 it is 0 within their last digits.
    let s = solve(&two_agents().0, &two_agents().1, None, 30).unwrap();
    let at_star = theorem1_lhs_within(&s.t1, &s.t2, &q(26, 37), 2, 30);
    assert_eq!(at_star.to_decimal(), "0");
    let above = theorem1_lhs_within(&s.t1, &s.t2, &q(1, 1), 2, 20);
    close(&above.to_decimal(), &lhs(&q(1, 1)), 1e-20);
    assert!(above.digits() >= 15);
}

#[test]
fn verification_meets_theorem1_below_at_and_above_beta_star() {
    let (dist, market) = two_agents();
    for (beta, ir) in [(q(1, 2), true), (q(26, 37), true), (q(1, 1), false)] {
        let v = verify_market(&dist, &market, &beta, &settings(), 20).unwrap();
        assert!(v.bb_ok && v.ic_ok, "{beta}: {v:?}");
        assert_eq!(v.ir_ok, ir, "{beta}: {v:?}");
        assert_eq!(v.passed(), ir);
        assert!(v.ir_min_at_critical, "{beta}: {v:?}");
        // The smallest slack is D/2, measured and predicted alike.
        let d = lhs(&beta);
        let half = &d / BigRational::from_integer(2.into());
        close(&v.ir_min_slack.to_decimal(), &half, 1e-15);
        assert_eq!(
            v.ir_min_slack.to_decimal(),
            v.ir_min_slack_predicted.as_ref().unwrap().to_decimal()
        );
        close(&v.theorem1_lhs.as_ref().unwrap().to_decimal(), &d, 1e-19);
        close(
            &v.beta_star.as_ref().unwrap().to_decimal(),
            &q(26, 37),
            1e-18,
        );
        // At a critical type: v* = F^-1(r) = r for the uniform, 0.3 or 0.7.
        assert_eq!(v.ir_min_type, v.ir_critical_type);
        let critical: f64 = v.ir_critical_type.parse().unwrap();
        assert!((critical - 0.3).abs() < 1e-18 || (critical - 0.7).abs() < 1e-18);
    }
    let at_star = verify_market(&dist, &market, &q(26, 37), &settings(), 20).unwrap();
    assert_eq!(at_star.ir_min_slack.to_decimal(), "0");
    assert_eq!(at_star.theorem1_lhs.unwrap().to_decimal(), "0");
}

#[test]
fn records_serialise_with_their_names_and_decimal_strings() {
    let (dist, market) = two_agents();
    let v = verify_market(&dist, &market, &q(1, 2), &settings(), 12).unwrap();
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["method"], "nested quadrature");
    assert_eq!(json["grid"], 5);
    assert_eq!(json["bb_profiles"], 256);
    assert_eq!(json["ir_min_slack_predicted"], "0.00625000000000");
    assert_eq!(json["theorem1_lhs"], "0.0125000000000");
    assert_eq!(json["beta_star"], "0.702702702703");
    assert!(json.get("ic_max_gain_estimate").is_none());
    assert_eq!(json.as_object().unwrap().len(), 21);

    let c = convergence(&dist, &market, &[10, 20, 40]).unwrap();
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["lp_k"], 40);
    assert_eq!(json["lp_table"].as_array().unwrap().len(), 3);
    assert_eq!(json["lp_table"][2]["k"], 40);
    assert_eq!(
        json["lp_beta_cutoff"],
        json["lp_table"][2]["lp_beta_cutoff"]
    );
    // The discrete market admits at least beta* (26/37 = 0.7027...), and the cutoff approaches it
    // like 1/k (0.735 above it at k = 10, 0.164 at k = 40).
    let cut: f64 = json["lp_beta_cutoff"].as_str().unwrap().parse().unwrap();
    assert!(cut > 0.7027 && cut < 0.7027 + 0.25, "{cut}");
}

#[test]
fn transfer_grid_balances_and_large_grids_are_refused() {
    let (dist, market) = two_agents();
    let rows = transfer_grid(&dist, &market, &q(1, 1), 4, 20).unwrap();
    assert_eq!(rows.len(), 32);
    for pair in rows.chunks(2) {
        assert_eq!(pair[0].profile, pair[1].profile);
        let sum = Float::with_val(128, pair[0].transfer.value() + pair[1].transfer.value());
        assert!(sum.abs() < 1e-30, "{pair:?}");
    }
    // Profile 1: agent 1 reports the grid's second type 1/3, agent 2 the lowest, 0.
    let number = |s: &str| s.parse::<f64>().unwrap();
    assert!((number(&rows[2].report) - 1.0 / 3.0).abs() < 1e-16);
    assert_eq!(rows[3].report, "0");
    assert_eq!(
        (number(&rows[2].allocation), number(&rows[3].allocation)),
        (1.0, 0.0)
    );
    let s = spec(
        "description: d\ndistribution: {family: uniform}\nmarket: {n: 3, shares: symmetric}\n",
    );
    assert!(check_grid(&s, 58).is_ok());
    let err = check_grid(&s, 59).unwrap_err();
    assert!(err.contains(&MAX_GRID_PROFILES.to_string()), "{err}");
    assert!(transfer_grid(&dist, &market, &q(1, 1), 1, 20).is_err());
    let many = spec(
        "description: d\ndistribution: {family: uniform}\nmarket: {n: 65, shares: symmetric}\n",
    );
    assert!(
        assess::check_agents(&many)
            .unwrap_err()
            .contains("at most 64 agents")
    );
    assert_eq!(upper_bound(&Float::with_val(64, 4.4e-39)), "5e-39");
    assert_eq!(upper_bound(&Float::with_val(64, 0.96)), "1");
}

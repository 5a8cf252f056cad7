//! `efftrade mechanism lp` and `efftrade mechanism verify` end to end: the LP cutoffs beside
//! beta*, Lemma 1's mechanism verified beside Theorem 1, the transfer grid, and bad input.

mod common;

use std::fs;

use common::{assert_success, efftrade, json_lines, number, scratch};

#[test]
fn mechanism_reports_lp_cutoffs_beside_beta_star() {
    let out = efftrade(&[
        "mechanism",
        "lp",
        "specs/cramton-gibbons-klemperer.yaml",
        "--lp",
        "20,40,80",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let lines: Vec<serde_json::Value> = json_lines(&out);
    assert_eq!(lines.len(), 101);
    let mut feasible = 0;
    for l in &lines {
        match (l["beta_star"].as_str(), l["lp_beta_cutoff"].as_str()) {
            // The discrete market admits at least what the continuous one does.
            (Some(star), Some(lp)) => {
                feasible += 1;
                assert!(lp.parse::<f64>().unwrap() >= star.parse::<f64>().unwrap() - 1e-6);
            }
            // No beta for the continuous market (T1 < 0); at share 0 or 1 the discrete one
            // cannot trade either.
            (None, _) => {}
            (Some(star), None) => panic!("beta* = {star} but the LP is infeasible: {l}"),
        }
        assert_eq!(l["lp_table"].as_array().unwrap().len(), 3);
    }
    // The CGK interval [1/2 - sqrt(3)/6, 1/2 + sqrt(3)/6] holds 57 of the 101 shares 0, 0.01, ...
    assert_eq!(feasible, 57);
    let end = &lines[0];
    assert!(
        end["beta_star"].is_null() && end["lp_beta_cutoff"].is_null(),
        "{end}"
    );
    // Markets the LP cannot take are bad input.
    for command in ["lp", "verify"] {
        let out = efftrade(&[
            "mechanism",
            command,
            "specs/theorem3-sine.yaml",
            "--beta",
            "1",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        if command == "verify" {
            assert!(stderr.contains("at most 64 agents"), "{stderr}");
        }
    }
    let out = efftrade(&["mechanism", "lp", "specs/theorem3-sine.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 64 agents"));
    let out = efftrade(&[
        "mechanism",
        "lp",
        "specs/example1-uniform.yaml",
        "--lp",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // One meaning per subcommand: the LP takes no beta, and the bare command is no longer both.
    for args in [
        vec![
            "mechanism",
            "lp",
            "specs/myerson-satterthwaite.yaml",
            "--beta",
            "1",
        ],
        vec![
            "mechanism",
            "specs/myerson-satterthwaite.yaml",
            "--beta",
            "1",
        ],
        vec!["mechanism", "verify", "specs/myerson-satterthwaite.yaml"],
    ] {
        let out = efftrade(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn mechanism_with_beta_verifies_lemma1_and_meets_theorem1() {
    let out = efftrade(&[
        "mechanism",
        "verify",
        "specs/three-agents-uniform.yaml",
        "--beta",
        "1/2",
        "--lp",
        "40",
        "--grid",
        "5",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let l = &lines[0];
    for key in ["bb_ok", "ic_ok", "ir_ok", "ir_min_at_critical"] {
        assert_eq!(l[key], true, "{key}: {l}");
    }
    assert!(number(&l["bb_max_residual"]) < 1e-30, "{l}");
    assert!(number(&l["ic_max_gain"]) < 0.0, "{l}");
    // The smallest IR slack is Theorem 1's left-hand side over n, to the digits printed.
    let slack = l["ir_min_slack"].as_str().unwrap();
    let predicted = l["ir_min_slack_predicted"].as_str().unwrap();
    assert!(
        slack.len() > 15 && slack == predicted,
        "{slack} vs {predicted}"
    );
    assert_eq!(l["ir_min_type"], l["ir_critical_type"]);
    // The shared --digits default: 30 certified digits of beta* = 1.8426071546057190120054...
    assert_eq!(l["beta_star"], "1.84260715460571901200541670017", "{l}");
    // The LP's discrete market admits more than the continuous one.
    assert!(
        number(&l["lp_beta_cutoff"]) > number(&l["beta_star"]),
        "{l}"
    );

    // Just above beta* (1.8426...) IR fails, by the predicted margin; just below it holds.
    for (beta, ok) in [("1.843", false), ("1.842", true)] {
        let out = efftrade(&[
            "mechanism",
            "verify",
            "specs/three-agents-uniform.yaml",
            "--beta",
            beta,
            "--grid",
            "3",
            "--format",
            "json",
        ]);
        let l = &json_lines(&out)[0];
        assert_eq!(l["ir_ok"], ok, "{l}");
        assert_eq!(number(&l["ir_min_slack"]) < 0.0, !ok, "beta {beta}: {l}");
        assert_eq!(l["ir_min_slack"], l["ir_min_slack_predicted"], "{l}");
    }
}

#[test]
fn mechanism_writes_the_transfer_rule_on_a_grid_and_refuses_bad_input() {
    let dir = scratch("grid-csv");
    let spec = dir.join("cgk.yaml");
    fs::write(
        &spec,
        "description: two agents\ndistribution: {family: uniform}\nmarket: {shares: [0.3, 0.7]}\n",
    )
    .unwrap();
    let csv = dir.join("grid.csv");
    let out = efftrade(&[
        "mechanism",
        "verify",
        spec.to_str().unwrap(),
        "--beta",
        "1",
        "--grid",
        "4",
        "--grid-csv",
        csv.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_success(&out);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.starts_with("description,n,shares,beta,method,"),
        "{summary}"
    );
    let text = fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // 4^2 profiles of two agents.
    assert_eq!(rows.len(), 32);
    for pair in rows.chunks(2) {
        let sum: f64 = pair.iter().map(|r| r[8].parse::<f64>().unwrap()).sum();
        let shares: f64 = pair.iter().map(|r| r[7].parse::<f64>().unwrap()).sum();
        assert!(sum.abs() < 1e-15, "transfers {pair:?} do not balance");
        assert!((shares - 1.0).abs() < 1e-15);
    }
    // At beta = beta* = 26/37 exactly (T1 = 13/300, T2 = -1/6) the smallest slack vanishes, and
    // so does Theorem 1's left-hand side.
    let out = efftrade(&[
        "mechanism",
        "verify",
        spec.to_str().unwrap(),
        "--beta",
        "26/37",
        "--grid",
        "3",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let l = &json_lines(&out)[0];
    assert_eq!(l["ir_min_slack"], "0", "{l}");
    assert_eq!(l["ir_min_slack_predicted"], "0", "{l}");
    assert_eq!(l["ir_ok"], true);
    for args in [
        vec!["--beta=-1"],
        vec!["--beta", "x"],
        vec!["--grid-csv", "out.csv"],
        vec!["--beta", "1", "--grid", "1"],
    ] {
        let mut all = vec!["mechanism", "verify", "specs/myerson-satterthwaite.yaml"];
        all.extend(args.iter().copied());
        let out = efftrade(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let out = efftrade(&[
        "mechanism",
        "verify",
        "specs/example1-uniform.yaml",
        "--beta",
        "1",
        "--grid-csv",
        "out.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use a smaller --grid"));
}

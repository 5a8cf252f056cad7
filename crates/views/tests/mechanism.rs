//! The mechanism's views from the library records, in every format: the two-agent uniform market
//! with shares 0.3 and 0.7, whose `beta* = 26/37 = 0.702702...` (T1 = 13/300, T2 = -1/6) and whose
//! smallest IR slack at beta = 1/2 is Theorem 1's `((1 + 1/4) 13/300 - (1/4)/6) / 2 = 1/160`.

use efftrade_mechanism::Settings;
use efftrade_mechanism::assess::{assess_spec, lp_spec};
use efftrade_model::{BigRational, Spec};
use efftrade_views::Format;
use efftrade_views::mechanism::{lp, verify};

fn spec() -> Spec {
    Spec::from_yaml(
        "description: two agents & a 30% share\ndistribution: {family: uniform}\nmarket: {shares: [0.3, 0.7]}\n",
        None,
    )
    .unwrap()
}

#[test]
fn lp_cutoffs_in_every_format() {
    let spec = spec();
    let all = lp_spec(&spec, &[10, 20, 40], 12, &|| {});
    let json = lp(Format::Json, spec.description(), &all, 12).unwrap();
    let line: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(line["beta_star"], "0.702702702703");
    assert_eq!(line["lp_k"], 40);
    let csv = lp(Format::Csv, spec.description(), &all, 12).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[3].starts_with("two agents & a 30% share,2,1 x 0.3; 1 x 0.7,0.702702702703,40,"));
    let latex = lp(Format::Latex, spec.description(), &all, 12).unwrap();
    // The description is a comment, the cutoffs a booktabs tabular with beta* in its last row.
    assert!(latex.starts_with("% two agents & a 30% share\n"), "{latex}");
    assert!(
        latex.contains("\\toprule") && latex.contains("\\bottomrule"),
        "{latex}"
    );
    assert!(
        latex.contains("$\\beta^*$ & 0.702702702703 \\\\"),
        "{latex}"
    );
    let table = lp(Format::Table, spec.description(), &all, 12).unwrap();
    assert!(
        table.contains("beta* = 0.702702702703 (Theorems 1 and 2)"),
        "{table}"
    );
}

#[test]
fn a_verification_in_every_format() {
    let spec = spec();
    let half = BigRational::new(1.into(), 2.into());
    let settings = Settings {
        grid: 3,
        ..Settings::default()
    };
    let all = assess_spec(&spec, &half, None, &settings, 10, &|| {});
    let json = verify(Format::Json, spec.description(), &all, 10).unwrap();
    let line: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(line["ir_min_slack_predicted"], "0.006250000000");
    assert_eq!(line["ir_ok"], true);
    let csv = verify(Format::Csv, spec.description(), &all, 10).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header.first(), Some(&"description"));
    assert_eq!(header.last(), Some(&"error"));
    let latex = verify(Format::Latex, spec.description(), &all, 10).unwrap();
    // The shares' "x" is typeset as a times sign and the row carries the predicted slack.
    assert!(
        latex.contains("1 \\ensuremath{\\times} 0.3; 1 \\ensuremath{\\times} 0.7"),
        "{latex}"
    );
    assert!(latex.contains("0.006250000000"), "{latex}");
    let table = verify(Format::Table, spec.description(), &all, 10).unwrap();
    assert!(table.contains("interim IR"), "{table}");
    assert!(table.contains("slack 0.006250000000"), "{table}");
}

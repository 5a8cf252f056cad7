//! `efftrade replicate` and `efftrade lemma3` end to end: the replication study, its growth law,
//! the help text's example spec, and Lemma 3 in every format.

mod common;

use std::fs;

use common::{assert_success, efftrade, json_lines, scratch};

#[test]
fn replicate_reports_m_and_n_and_the_growth_law() {
    let out = efftrade(&[
        "replicate",
        "specs/theorem3-uniform-symmetric.yaml",
        "--digits",
        "20",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let lines: Vec<serde_json::Value> = json_lines(&out);
    let last_point = lines.iter().rev().find(|l| l.get("N").is_some()).unwrap();
    let n: u128 = last_point["N"].as_str().unwrap().parse().unwrap();
    let m: u128 = last_point["m"].as_str().unwrap().parse().unwrap();
    assert_eq!(n, 2 * m);
    assert!(n >= 10u128.pow(30));
    // Uniform, equal shares: beta* = 2 (log m + log 2 - 1) + O(log N / N) (docs/MATH.md).
    let beta: f64 = last_point["beta_star"].as_str().unwrap().parse().unwrap();
    let want = 2.0 * ((m as f64).ln() + 2f64.ln() - 1.0);
    assert!((beta - want).abs() < 1e-9, "{beta} vs {want}");
    let growth = &lines.last().unwrap()["growth"];
    let slope: f64 = growth["slope"].as_str().unwrap().parse().unwrap();
    let predicted: f64 = growth["predicted_slope"].as_str().unwrap().parse().unwrap();
    assert!((slope - 2.0).abs() < 1e-9 && (predicted - 2.0).abs() < 1e-15);
    // A market that is not replicated is bad input.
    let out = efftrade(&["replicate", "specs/example1-uniform.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("replicate:"));
}

/// The literal block (lines indented by four spaces) after `heading` in `text`, dedented.
fn literal_block(text: &str, heading: &str) -> String {
    let after = text.split(heading).nth(1).expect("the heading is shown");
    after
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with("    "))
        .map(|l| format!("{}\n", &l[4..]))
        .collect()
}

#[test]
fn the_replication_example_in_the_help_is_a_valid_spec() {
    let help = efftrade(&["replicate", "--help"]);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    let example = literal_block(&help, "A replication spec (YAML):");
    assert!(
        example.contains("  replicate:\n    shares: [1, 0]\n"),
        "{example}"
    );
    let dir = scratch("replicate-help");
    let file = dir.join("example.yaml");
    fs::write(&file, &example).unwrap();
    let out = efftrade(&["validate", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{example}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("replicat"));
    // The error for a spec that is not a replication shows the same block.
    let out = efftrade(&["replicate", "specs/example1-uniform.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        literal_block(&stderr, "A replication spec (YAML):"),
        example
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lemma3_prints_the_constants_and_rows_in_every_format() {
    let out = efftrade(&[
        "lemma3",
        "specs/family-beta22.yaml",
        "--digits",
        "20",
        "--from",
        "2",
        "--to",
        "12",
        "--format",
        "json",
    ]);
    assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["alpha"], 2);
    assert_eq!(v["c"], "3.0000000000000000000");
    assert_eq!(v["a2_paper_agrees"], false);
    assert_eq!(v["rows"].as_array().unwrap().len(), 11);
    // A2 = Gamma(3/2) / sqrt(3) = sqrt(pi / 12).
    let a2: f64 = v["a2"].as_str().unwrap().parse().unwrap();
    assert!((a2 - (std::f64::consts::PI / 12.0).sqrt()).abs() < 1e-15);
    for format in ["table", "csv", "latex"] {
        let out = efftrade(&[
            "lemma3",
            "specs/family-beta22.yaml",
            "--to",
            "6",
            "--format",
            format,
        ]);
        assert!(out.status.success(), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("0.51166"),
            "{format}"
        );
    }
    let out = efftrade(&[
        "lemma3",
        "specs/family-beta22.yaml",
        "--from",
        "9",
        "--to",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// `lemma3 --rigorous`: alpha proved, each printed quantity's ball in JSON, and the digits those
/// balls prove. Beta(2, 2): alpha = 2 (F'(1) = 0 exactly), c = 3, A2 = sqrt(pi/12).
#[test]
fn lemma3_rigorous_prints_balls_and_proves_alpha() {
    let args = [
        "lemma3",
        "specs/family-beta22.yaml",
        "--from",
        "2",
        "--to",
        "4",
        "--digits",
        "20",
        "--rigorous",
    ];
    let out = efftrade(&[&args[..], &["--format", "json"]].concat());
    assert_success(&out);
    let r = &json_lines(&out)[0];
    assert_eq!(r["rigorous"], true);
    assert_eq!(r["alpha"], 2);
    assert_eq!(r["c"], "3.0000000000000000000");
    // sqrt(pi/12) = 0.51166335397324424423977581...
    assert_eq!(r["a2"], "0.51166335397324424424");
    let balls = r["balls"].as_object().unwrap();
    for key in ["a1", "a2", "c", "rows[N = 10000].integral"] {
        assert!(
            balls[key]["mid"].is_string() && balls[key]["rad"].is_string(),
            "{key}"
        );
    }
    assert!(r.get("zero_test_bits").is_none());
    // The text says how alpha was proved.
    let text = efftrade(&args);
    assert_success(&text);
    assert!(String::from_utf8_lossy(&text.stdout).contains("alpha = 2 (proved by balls"));
    // A CDF with no Taylor series at b is refused with the reason.
    let refused = efftrade(&[
        "lemma3",
        "specs/lemma3-sqrt-end.yaml",
        "--rigorous",
        "--to",
        "4",
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no Taylor series at b"));
}

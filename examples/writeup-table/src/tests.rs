//! The example run at 12 digits into a temporary directory, its files checked against the closed
//! forms of the symmetric uniform market.

use super::run;

/// Theorem 2's quantities of the symmetric uniform market on `[0, 1]` with `n` agents, in closed
/// form: `v* = n^(-1/(n-1))`, `T1 = v*^n - v* + (n-1)/(n+1)`, `T2 = 1/(n+1) - 1/2` (Lemma 2).
fn uniform_beta_star(n: f64) -> f64 {
    let v = n.powf(-1.0 / (n - 1.0));
    let t1 = v.powf(n) - v + (n - 1.0) / (n + 1.0);
    let t2 = 1.0 / (n + 1.0) - 0.5;
    -n * t1 / (t1 + t2)
}

#[test]
fn writes_the_table_and_figure_of_the_uniform_markets() {
    let out = std::env::temp_dir().join(format!("writeup-table-{}", std::process::id()));
    let text = run(&out, 12).unwrap();
    assert!(text.starts_with("n  T1"), "{text}");

    let csv = std::fs::read_to_string(out.join("tables/uniform_beta_star.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], ["n", "T1", "T2", "beta*"]);
    assert_eq!(rows.len(), 8, "{csv}");
    // Two agents: T1 = 1/12, T2 = -1/6, beta* = 2 exactly, shown to the 12 digits asked for.
    assert_eq!(
        rows[1],
        ["2", "0.0833333333333", "-0.166666666667", "2.00000000000"]
    );
    for row in &rows[1..] {
        let n: f64 = row[0].parse().unwrap();
        let beta_star: f64 = row[3].parse().unwrap();
        let expected = uniform_beta_star(n);
        assert!(
            (beta_star / expected - 1.0).abs() < 1e-11,
            "n = {n}: {beta_star} vs {expected}"
        );
    }

    let tex = std::fs::read_to_string(out.join("tables/uniform_beta_star.tex")).unwrap();
    assert!(tex.contains("\\label{tab:uniform_beta_star}"), "{tex}");
    assert!(
        tex.contains("    2 & 0.0833333333333 & -0.166666666667 & 2.00000000000 \\\\"),
        "{tex}"
    );
    let svg = std::fs::read_to_string(out.join("figures/uniform_beta_star.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("beta* of the symmetric uniform market"));
    std::fs::remove_dir_all(&out).unwrap();
}

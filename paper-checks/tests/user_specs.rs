//! `efftrade paper` on a directory of the user's: with only `specs/three-agents-uniform.yaml`, it
//! checks everything that applies to any market on the user's distribution, writes the tables
//! and figures it has data for, and says which paper-specific claims need which markets; no
//! claim fails for want of data.
//!
//! One test function: the run uses Symbolica, which (unlicensed) allows one thread at a time.

use std::path::Path;

use efftrade_paper_checks::Verdict;

#[test]
fn a_directory_with_one_spec_is_checked_as_far_as_it_goes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::env::temp_dir().join(format!("efftrade-user-specs-{}", std::process::id()));
    let (specs, out) = (base.join("specs"), base.join("out"));
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::copy(
        root.join("../specs/three-agents-uniform.yaml"),
        specs.join("three-agents-uniform.yaml"),
    )
    .unwrap();
    let run = efftrade_paper_checks::run(&specs, &out, &|_| {}).unwrap();
    assert!(run.all_valid());
    let verdict = |id: &str| {
        run.verdict(id)
            .cloned()
            .unwrap_or_else(|| panic!("no claim {id}"))
    };
    // Checked on the user's market (uniform F on [0, 1]): the claims about every market.
    for id in [
        "lemma1",
        "lemma4",
        "lemma5",
        "theorem1",
        "theorem2-concavity",
        "theorem2",
        "theorem2-interval",
        "lemma2",
        "lemma3-a-l3-1",
        "lemma3-a-l3-2",
        "identity-t2-6",
    ] {
        let v = verdict(id);
        assert!(
            matches!(
                v,
                Verdict::Holds | Verdict::HoldsNumerically { .. } | Verdict::Proved { .. }
            ),
            "{id}: {v:?}"
        );
    }
    // The paper-specific claims need markets the directory lacks: not checked, saying which.
    for (id, needs) in [
        ("example1", "Example 1's market A"),
        ("myerson-satterthwaite", "two agents, shares (1, 0)"),
        ("cramton-gibbons-klemperer", "shares (r, 1 - r)"),
        ("theorem3", "a replication spec"),
        ("lemma3-b", "a replication spec"),
    ] {
        match verdict(id) {
            Verdict::NotChecked { why } => assert!(why.contains(needs), "{id}: {why}"),
            v => panic!("{id}: {v:?}"),
        }
    }
    // What fails as printed fails on evidence computed here, not for want of data: the same
    // misprints as on the paper's specs.
    let failing: Vec<&str> = run
        .claims
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::FailsAsPrinted { .. }))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        failing,
        ["identity-t2-5", "lemma3-proof-a2", "l3-4"],
        "{failing:?}"
    );
    let report = std::fs::read_to_string(out.join("REPORT.md")).unwrap();
    assert!(
        report.contains(
            "not checked on markets with F = 0.1x + 0.1(1 - cos x), b solved, equal shares, n \
             over a range (Example 1's market A): none of the specs is such a market"
        ),
        "{report}"
    );
    assert!(report.contains("uniform, shares (0.5, 0.3, 0.2), beta = 1/2"));
    // (D1) fails only on a tie at the top, a null event.
    assert!(matches!(
        verdict("d1"),
        Verdict::HoldsUpToNullEvent { precisely } if precisely.contains("probability zero")
    ));
    // The tables with data are written; Figure 1 (no beta*(n) curve) and the replication figure
    // (no replication) are not.
    assert!(out.join("tables/theorem1-lp.csv").exists());
    assert!(out.join("tables/lemma3-convergence.csv").exists());
    assert!(!out.join("tables/example1-beta-star.csv").exists());
    assert!(!out.join("figures").join("figure1.svg").exists());
    std::fs::remove_dir_all(&base).ok();
}

//! The committed report `paper-checks/REPORT.md` is what `efftrade paper` writes today, and the
//! verdicts follow the evidence: fed a wrong identity, the identity's verdict flips.
//!
//! One test function: the run uses Symbolica, which (unlicensed) allows one thread at a time.

use std::path::Path;

use efftrade_paper_checks::Verdict;
use efftrade_paper_checks::claims::identities;

#[test]
fn the_committed_report_is_current_and_verdicts_follow_the_evidence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("efftrade-report-{}", std::process::id()));
    let run = efftrade_paper_checks::run(&root.join("../specs"), &out, &|_| {}).unwrap();
    assert!(run.all_valid());
    let fresh = std::fs::read_to_string(out.join("REPORT.md")).unwrap();
    let committed_path = root.join("REPORT.md");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    if fresh != committed {
        if std::env::var_os("EFFTRADE_UPDATE_REPORT").is_some() {
            std::fs::write(&committed_path, &fresh).unwrap();
        } else {
            let first = fresh
                .lines()
                .zip(committed.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(fresh.lines().count().min(committed.lines().count()));
            panic!(
                "paper-checks/REPORT.md is out of date (first difference at line {}): review the \
                 new report in {} and commit it, or rerun with EFFTRADE_UPDATE_REPORT=1",
                first + 1,
                out.join("REPORT.md").display()
            );
        }
    }
    // Every claim of the paper has a verdict; the known failures are reported as such.
    let verdict = |id: &str| {
        run.verdict(id)
            .cloned()
            .unwrap_or_else(|| panic!("no claim {id}"))
    };
    for id in [
        "lemma1",
        "theorem1",
        "theorem2",
        "lemma2",
        "lemma3-a-l3-1",
        "lemma3-a-l3-2",
        "lemma3-b",
        "theorem3",
        "example1",
        "myerson-satterthwaite",
        "cramton-gibbons-klemperer",
    ] {
        let _ = verdict(id);
    }
    assert!(matches!(
        verdict("identity-t2-5"),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        verdict("lemma3-proof-a2"),
        Verdict::FailsAsPrinted { .. }
    ));
    assert_eq!(verdict("identity-t2-6"), Verdict::Holds);

    // A deliberately wrong identity: (T2-3) with n/(n-1) for (n-1)/n. Its verdict flips.
    let wrong = efftrade_symbolic_identity_altered();
    let claims = identities::claims(&[wrong]);
    assert!(matches!(claims[0].verdict, Verdict::FailsAsPrinted { .. }));
    std::fs::remove_dir_all(&out).ok();
}

fn efftrade_symbolic_identity_altered() -> efftrade_symbolic::identities::IdentityCheck {
    efftrade_symbolic::identities::identity(
        "T2-3 (altered)",
        "Int F p dG = n/(n-1) [b - Int F^n]",
        |c| c.int(&c.f.mul(&c.x()).mul(&c.dg()), &c.a, &c.b),
        |c| &c.nn() / &c.n1() * (&c.b - c.int(&c.fp(c.n), &c.a, &c.b)),
    )
}

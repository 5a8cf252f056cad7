//! A claim whose computation fails is "not checked", with the reason, never "fails as printed":
//! contexts whose markets could not be solved (the engine's error injected where the solve
//! would have been) give each claim that needs them a verdict that names the error.

use efftrade_model::Spec;
use efftrade_numeric::NumericError;
use efftrade_numeric::sweep::Solved;
use efftrade_paper_checks::Verdict;
use efftrade_paper_checks::claims::{example1, theorem2, theorem3};
use efftrade_paper_checks::context::{Artefacts, Context, SolvedSpec};

/// The spec in `yaml`, every point of it "solved" with `error`.
fn unsolved(name: &str, yaml: &str, error: &NumericError) -> SolvedSpec {
    let spec = Spec::from_yaml(yaml, Some(name)).unwrap();
    let solved = spec
        .points()
        .map(|point| Solved {
            beta: None,
            point,
            result: Err(error.clone()),
        })
        .collect();
    SolvedSpec {
        name: name.to_string(),
        spec,
        solved,
    }
}

fn not_converged() -> NumericError {
    NumericError::NotConverged {
        what: "the critical type".to_string(),
    }
}

fn why(v: &Verdict) -> &str {
    match v {
        Verdict::NotChecked { why } => why,
        other => panic!("expected not checked, got {other:?}"),
    }
}

#[test]
fn example1_with_market_a_unsolved_is_not_checked_with_the_reason() {
    let ctx = Context::from_solved(vec![unsolved(
        "a.yaml",
        "description: A\ndistribution: {cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}\n\
         market: {n: {from: 2, to: 6}, shares: symmetric}\n",
        &not_converged(),
    )]);
    let mut art = Artefacts::default();
    let claims = example1::check(&ctx, &mut art);
    let reason = why(&claims[0].verdict);
    assert!(
        reason.contains("n = 2: the critical type did not converge"),
        "{reason}"
    );
    let section = claims[0].markdown();
    assert!(
        section.contains("not computed (n = 6: the critical type did not converge)"),
        "{section}"
    );
    // Market B and the printed support are missing: said so, and no figure without data.
    assert!(
        section.contains("none of the specs is such a market"),
        "{section}"
    );
    assert!(art.figure1.is_none());
    assert!(art.tables.is_empty());
}

#[test]
fn theorem3_with_replications_unsolved_is_not_checked_with_the_reason() {
    let ctx = Context::from_solved(vec![unsolved(
        "r.yaml",
        "description: R\ndistribution: {family: uniform}\n\
         market: {replicate: {shares: [1, 0], m: [1, 10, 100, 1000]}}\n",
        &not_converged(),
    )]);
    let mut art = Artefacts::default();
    let claims = theorem3::check(&ctx, &mut art);
    let reason = why(&claims[0].verdict);
    assert!(
        reason.starts_with(
            "the computation failed for Myerson-Satterthwaite, uniform: beta* could not be \
             computed at N = 2: the critical type did not converge"
        ),
        "{reason}"
    );
    assert!(art.replications.is_empty());
}

#[test]
fn theorem2_with_a_market_unsolved_by_the_fast_engine_is_proved_by_balls_or_not_checked() {
    let error = NumericError::Uncertified {
        what: "T1".to_string(),
        wanted: 30,
        got: 12,
    };
    let ctx = Context::from_solved(vec![unsolved(
        "p.yaml",
        "description: P\ndistribution: {family: power, k: 3}\nmarket: {n: 3, shares: symmetric}\n",
        &error,
    )]);
    let claims = theorem2::check(&ctx, &mut Artefacts::default());
    let t2 = claims.iter().find(|c| c.id == "theorem2").unwrap();
    // The rigorous engine decides the sign by itself: the claim is proved at the one market
    // although the fast engine failed there, and the fast engine's failure is in the evidence.
    match &t2.verdict {
        Verdict::Proved { scope } => assert!(scope.contains("p.yaml (N = 3)"), "{scope}"),
        other => panic!("expected proved where checked, got {other:?}"),
    }
    assert!(
        t2.markdown()
            .contains("only 12 digits of T1 could be certified")
    );
    // Without the balls, the fast engine's evidence alone leaves it not checked, with the reason.
    let fast_only = theorem2::verdict(&[efftrade_paper_checks::claim::Case::failed(
        "p.yaml (N = 3)",
        &error,
    )]);
    assert_eq!(
        why(&fast_only),
        "the computation failed for p.yaml (N = 3): only 12 digits of T1 could be certified, 30 \
         were asked for"
    );
    // The concavity step is about every distribution: proved for every F by the exact
    // derivative identity, and corroborated on this one (its own markets), the paper's uniform
    // and sine markets reported missing.
    let concavity = claims
        .iter()
        .find(|c| c.id == "theorem2-concavity")
        .unwrap();
    assert_eq!(concavity.verdict, Verdict::Holds);
    assert!(
        concavity
            .markdown()
            .contains("expands to 0 in all 16 cases")
    );
    assert!(
        concavity
            .markdown()
            .contains("p.yaml, n = 2, shares (r, 1 - r)")
    );
}

//! The integration-by-parts identities of the proofs of Theorem 1, Theorem 2 and Lemma 2, and
//! the two sign facts of the proof of Theorem 2, each checked exactly by the symbolic crate.

use efftrade_numeric::Provenance;
#[cfg(feature = "symbolic")]
use efftrade_symbolic::identities::{IdentityCheck, Verdict as SymbolicVerdict, check_all};

use crate::claim::Claim;
#[cfg(feature = "symbolic")]
use crate::claim::{Verdict, findings};

/// The verdict an identity check supports.
#[cfg(feature = "symbolic")]
pub fn verdict(c: &IdentityCheck) -> Verdict {
    match (&c.verdict, &c.correction) {
        (SymbolicVerdict::Holds, _) => Verdict::Holds,
        (SymbolicVerdict::FailsAsPrinted, Some(fix)) if fix.holds => Verdict::FailsAsPrinted {
            corrected: fix.statement.clone(),
        },
        (SymbolicVerdict::FailsAsPrinted, _) => Verdict::FailsAsPrinted {
            corrected: "no corrected form found; see the residual".to_string(),
        },
    }
}

/// One claim per identity.
#[cfg(feature = "symbolic")]
pub fn claims(checks: &[IdentityCheck]) -> Vec<Claim> {
    checks
        .iter()
        .map(|c| {
            let mut evidence = vec![format!(
                "{} cases checked (polynomial F of degrees 1 to 4 on [a, a + 1], a and the \
                 critical types symbolic, n = 2..5; for the sign facts n = 2..10 and symbolic n)",
                c.cases
            )];
            match &c.residual {
                Some(r) => evidence.push(format!("left minus right, first failing case: `{r}`")),
                None => evidence.push("left minus right expands to 0 in every case".to_string()),
            }
            if let Some(fix) = &c.correction {
                evidence.push(format!(
                    "the corrected form {} in every case",
                    if fix.holds {
                        "expands to 0"
                    } else {
                        "also fails"
                    }
                ));
            }
            let title = if c.label.starts_with("Theorem") || c.label.starts_with("Lemma") {
                format!("{} (identity)", c.label)
            } else {
                format!("Equation ({})", c.label)
            };
            Claim {
                certified: vec![Provenance::Exact],
                id: format!("identity-{}", slug(&c.label)),
                title,
                statement: format!("`{}`", c.statement),
                method:
                    "Both sides integrated exactly (the symbolic crate's exponential-polynomial \
                         integrator) and their difference expanded by Symbolica."
                        .to_string(),
                evidence: findings(evidence),
                verdict: verdict(c),
            }
        })
        .collect()
}

#[cfg(feature = "symbolic")]
fn slug(label: &str) -> String {
    label
        .to_lowercase()
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The exact check of the step that reduces Theorem 2 to equal shares: one agent's term of `T1`
/// has derivative `-v G'(v)` in its critical type ([`crate::claims::theorem2::ShareDerivative`]).
#[cfg(feature = "symbolic")]
pub fn share_derivative() -> Option<crate::claims::theorem2::ShareDerivative> {
    let c = efftrade_symbolic::identities::t1_share_derivative();
    Some(crate::claims::theorem2::ShareDerivative {
        cases: c.cases,
        residual: c.residual,
    })
}

/// Without the exact algebra, the derivative of `T1` in the shares is not checked.
#[cfg(not(feature = "symbolic"))]
pub fn share_derivative() -> Option<crate::claims::theorem2::ShareDerivative> {
    None
}

/// Checks every identity; also says whether Lemma 2's identity held (Lemma 2's module uses it).
#[cfg(feature = "symbolic")]
pub fn check() -> (Vec<Claim>, bool) {
    let checks = check_all();
    let lemma2 = checks
        .iter()
        .any(|c| c.label == "Lemma 2" && c.verdict == SymbolicVerdict::Holds);
    (claims(&checks), lemma2)
}

/// Without the exact algebra, the identities are not checked.
#[cfg(not(feature = "symbolic"))]
pub fn check() -> (Vec<Claim>, bool) {
    let claims = vec![Claim {
        certified: vec![Provenance::Exact],
        id: "identities".to_string(),
        title: "The integration-by-parts identities".to_string(),
        statement: "(T1-2) to (T1-1), (T2-2) to (T2-6), the sign facts of Theorem 2.".to_string(),
        method: "Exact algebra (Symbolica).".to_string(),
        evidence: vec![],
        verdict: crate::claim::Verdict::NotChecked {
            why: "efftrade was built without the `symbolic` feature".to_string(),
        },
    }];
    (claims, false)
}

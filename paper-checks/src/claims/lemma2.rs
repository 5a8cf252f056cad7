//! Lemma 2: `T2 = mu - E[max(v_1, ..., v_n)]`.

use efftrade_numeric::Certified;
use efftrade_numeric::Provenance;
use efftrade_numeric::engine::Engine;
use efftrade_numeric::quantities::{
    nested_out_of_reach, raw_quantities, t2_definition, working_precision,
};

use crate::claim::{Case, Claim, Evidence, Verdict, findings, judge};
use crate::context::{Artefacts, Context};

/// Digits compared between the definition of T2 and Lemma 2's form.
const DIGITS: u32 = 24;

/// The verdict: exact when the symbolic check holds and every numeric comparison agrees (to all
/// but four of [`DIGITS`] digits); numerical when only the comparisons ran. A comparison that
/// disagrees refutes; one that could not be computed leaves the lemma not checked.
pub fn verdict(exact: bool, numeric: &[Case<u32>]) -> Verdict {
    let holds = if exact {
        Verdict::Holds
    } else if numeric.is_empty() {
        return Verdict::NotChecked {
            why: "neither the exact check nor a numeric comparison ran".to_string(),
        };
    } else {
        Verdict::numerically(
            "without the exact check, the identity is compared at finitely many markets to \
             certified digits, which cannot show two expressions equal.",
        )
    };
    let v = judge(
        numeric,
        |d| *d >= DIGITS - 4,
        holds.clone(),
        "T2 from its definition differs from mu - E[max]; see the evidence",
    );
    if numeric.is_empty() { holds } else { v }
}

/// Lemma 2's claim; `exact` says whether the symbolic check of Lemma 2 held.
pub fn check(ctx: &Context, exact: bool, _art: &mut Artefacts) -> Vec<Claim> {
    let mut numeric = Vec::new();
    let mut skipped = Vec::new();
    for s in &ctx.specs {
        if let Some(reason) = nested_out_of_reach(s.spec.distribution()) {
            skipped.push(format!("{} ({reason})", s.name));
            continue;
        }
        let mut done = std::collections::HashSet::new();
        for solved in &s.solved {
            let n = solved.point.market().n();
            if n > 4 || !done.insert(n) {
                continue;
            }
            let prec = working_precision(DIGITS, n);
            let agree = Engine::new(s.spec.distribution(), prec).and_then(|mut engine| {
                let raw = raw_quantities(&mut engine, solved.point.market())?;
                let def = t2_definition(&mut engine, n)?;
                Ok(Certified::from_pair(&def.value, &raw.t2.value, DIGITS).digits())
            });
            numeric.push(Case::from_result(format!("{} (n = {n})", s.name), agree));
        }
    }
    let computed: Vec<u32> = numeric
        .iter()
        .filter_map(|c| c.result.as_ref().ok().copied())
        .collect();
    let least = computed.iter().copied().min().unwrap_or(0);
    let mut evidence = findings([
        format!(
            "exactly: T2 from its definition (a double integral) minus (mu - E[max]) expands to 0 \
             for polynomial F of degrees 1 to 4 with a symbolic lower end, n = 2..5: {}",
            if exact { "yes" } else { "no" }
        ),
        format!(
            "numerically: the double integral against mu - E[max] for every spec with n <= 4 \
             ({} distributions and n): at least {least} of {DIGITS} digits agree",
            computed.len()
        ),
    ]);
    if !skipped.is_empty() {
        evidence.push(Evidence::Finding(format!(
            "not compared, the nested integral being out of the quadrature's reach: {}",
            skipped.join("; ")
        )));
    }
    evidence.extend(numeric.iter().filter_map(Case::failure));
    vec![Claim {
        certified: vec![Provenance::Exact, Provenance::TwoPrecisions],
        id: "lemma2".to_string(),
        title: "Lemma 2".to_string(),
        statement: "T2 = mu - E[max(v_1, ..., v_n)]: the term of Theorem 1 that carries the \
                    interdependence equals the mean minus the expected highest type."
            .to_string(),
        method: "Both sides exactly for polynomial F (symbolic crate), and numerically for every \
                 spec's distribution (the definition as a nested integral at the working \
                 precision)."
            .to_string(),
        evidence,
        verdict: verdict(exact, &numeric),
    }]
}

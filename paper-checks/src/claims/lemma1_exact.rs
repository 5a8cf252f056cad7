//! Lemma 1's mechanism, and Lemmas 4 and 5 on it, verified exactly on the polynomial markets:
//! the uniform's and Beta(2, 2)'s with two and three agents, equal and unequal shares. The
//! transfers are piecewise polynomials in the types there, and each check is a polynomial
//! identity in the types and `beta` (`efftrade_symbolic::mechanism`). Without the `symbolic`
//! feature nothing is verified exactly and the numeric evidence alone decides.

use crate::claim::{Case, Evidence, Verdict, judge};
use crate::context::Context;

#[cfg(feature = "symbolic")]
pub use efftrade_symbolic::mechanism::MechanismCheck;

/// Without Symbolica no exact check is made: there is no value of this type.
#[cfg(not(feature = "symbolic"))]
#[derive(Clone, Debug)]
pub enum MechanismCheck {}

/// The exact verifications: one per polynomial market the specs provide.
#[cfg(feature = "symbolic")]
pub fn cases(ctx: &Context) -> Vec<Case<MechanismCheck>> {
    use super::markets::{BETA22, UNIFORM, q};
    use efftrade_model::Market;
    let mut out = Vec::new();
    for (kind, name) in [(&UNIFORM, "uniform"), (&BETA22, "Beta(2, 2)")] {
        let Some(s) = ctx.find(kind) else {
            continue;
        };
        for shares in [
            vec![q(1, 2), q(1, 2)],
            vec![q(1, 4), q(3, 4)],
            vec![q(1, 3), q(1, 3), q(1, 3)],
            vec![q(1, 2), q(3, 10), q(1, 5)],
        ] {
            let shown: Vec<String> = shares.iter().map(ToString::to_string).collect();
            let label = format!("{name}, shares ({})", shown.join(", "));
            let result = Market::from_shares(&shares)
                .map_err(|e| e.to_string())
                .and_then(|m| {
                    efftrade_symbolic::mechanism::verify(s.spec.distribution(), &m)
                        .map_err(|e| e.to_string())
                })
                .and_then(|c| c.ok_or_else(|| "F is not a rational polynomial".to_string()));
            out.push(Case { label, result });
        }
    }
    out
}

/// Without Symbolica, no exact check is made.
#[cfg(not(feature = "symbolic"))]
pub fn cases(_ctx: &Context) -> Vec<Case<MechanismCheck>> {
    Vec::new()
}

/// The verdict with the exact checks: `holds` when the numeric evidence holds and every exact
/// check passes; a failing exact check refutes; without exact checks (or when they could not be
/// computed) the numeric verdict stands.
pub fn combine(
    numeric: Verdict,
    cases: &[Case<MechanismCheck>],
    passes: impl Fn(&MechanismCheck) -> bool,
    corrected: &str,
) -> Verdict {
    if cases.is_empty() {
        return numeric;
    }
    match (numeric, judge(cases, passes, Verdict::Holds, corrected)) {
        (_, refuted @ Verdict::FailsAsPrinted { .. }) => refuted,
        (Verdict::HoldsNumerically { .. }, Verdict::Holds) => Verdict::Holds,
        (numeric, _) => numeric,
    }
}

/// One finding per exact case, `what` saying what was verified on it.
pub fn evidence(
    cases: &[Case<MechanismCheck>],
    what: impl Fn(&MechanismCheck) -> String,
) -> Vec<Evidence> {
    cases
        .iter()
        .map(|c| match &c.result {
            Ok(check) => Evidence::Finding(format!("exactly, {}: {}", c.label, what(check))),
            Err(e) => Evidence::Failed {
                what: format!("the exact verification on {}", c.label),
                why: e.clone(),
            },
        })
        .collect()
}

/// Yes or no.
pub fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// The findings and pass rules of the exact checks.
#[cfg(feature = "symbolic")]
mod facts {
    use super::{MechanismCheck, yes};

    /// What Lemma 1's exact check verified.
    pub fn lemma1_finding(c: &MechanismCheck) -> String {
        format!(
            "critical types {}; sum of the transfers = 0 as a polynomial in the types and beta on all \
             {} orderings: {}; no misreport pays (Lemma 4's identity): {}; the IR slack is smallest at \
             v_i* and equals D/n there: {}; D = (1 + beta/n) T1 + (beta/n) T2: {}; so the smallest \
             slack is {} (non-negative iff beta <= beta*)",
            c.critical.join("; "),
            c.orderings,
            yes(c.budget_balance),
            yes(c.lemma4),
            yes(c.slack_derivative && c.slack_at_critical),
            yes(c.theorem1),
            c.slack
        )
    }

    /// What Lemma 4's exact check verified.
    pub fn lemma4_finding(c: &MechanismCheck) -> String {
        format!(
            "U(u|w) - U(u|u) = -(1 + beta/n) Int_w^u (u - p) dS(p) as a polynomial in u, w, beta \
             (interim expectations integrated exactly over the {} orderings): {}",
            c.orderings,
            yes(c.lemma4)
        )
    }

    /// What Lemma 5's exact check verified.
    pub fn lemma5_finding(c: &MechanismCheck) -> String {
        format!(
            "d/du of the IR slack = (1 + beta/n)(S(u) - r_i), so its minimum is at v_i*: {}; (L5)'s \
             left-hand side equals the slack at v_i*: {}; which is {}",
            yes(c.slack_derivative),
            yes(c.lemma5 && c.slack_at_critical),
            c.slack
        )
    }

    /// Lemma 1's exact pass rule.
    pub fn lemma1_passes(c: &MechanismCheck) -> bool {
        c.holds()
    }

    /// Lemma 4's exact pass rule.
    pub fn lemma4_passes(c: &MechanismCheck) -> bool {
        c.lemma4
    }

    /// Lemma 5's exact pass rule.
    pub fn lemma5_passes(c: &MechanismCheck) -> bool {
        c.slack_derivative && c.lemma5 && c.slack_at_critical
    }
}

/// Without Symbolica there is no exact check, so nothing to describe.
#[cfg(not(feature = "symbolic"))]
mod facts {
    use super::MechanismCheck;

    /// Never called: there is no check without Symbolica.
    pub fn lemma1_finding(c: &MechanismCheck) -> String {
        match *c {}
    }

    /// Never called: there is no check without Symbolica.
    pub fn lemma4_finding(c: &MechanismCheck) -> String {
        match *c {}
    }

    /// Never called: there is no check without Symbolica.
    pub fn lemma5_finding(c: &MechanismCheck) -> String {
        match *c {}
    }

    /// Never called: there is no check without Symbolica.
    pub fn lemma1_passes(c: &MechanismCheck) -> bool {
        match *c {}
    }

    /// Never called: there is no check without Symbolica.
    pub fn lemma4_passes(c: &MechanismCheck) -> bool {
        match *c {}
    }

    /// Never called: there is no check without Symbolica.
    pub fn lemma5_passes(c: &MechanismCheck) -> bool {
        match *c {}
    }
}

pub use facts::{
    lemma1_finding, lemma1_passes, lemma4_finding, lemma4_passes, lemma5_finding, lemma5_passes,
};

//! One module per claim of the paper. Each computes its evidence and derives its verdict from
//! it; no verdict is typed in.

pub mod balls;
pub mod example1;
pub mod identities;
pub mod lemma1;
pub mod lemma1_exact;
pub mod lemma2;
pub mod lemma3;
pub mod lemma3_parameters;
pub mod markets;
pub mod proofs;
pub mod real_alpha;
pub mod special_cases;
pub mod theorem1;
pub mod theorem2;
pub mod theorem3;

use crate::claim::Claim;
use crate::context::{Artefacts, Context};

/// Runs every check in the paper's order; `tick` is called with each claim's name.
pub fn all(ctx: &Context, tick: &dyn Fn(&str)) -> (Vec<Claim>, Artefacts) {
    let mut art = Artefacts::default();
    let mut claims = Vec::new();
    tick("Lemma 1");
    claims.extend(lemma1::check(ctx, &mut art));
    tick("Theorem 1");
    claims.extend(theorem1::check(ctx, &mut art));
    tick("Theorem 2");
    claims.extend(theorem2::check(ctx, &mut art));
    tick("identities");
    let (identity_claims, lemma2_exact) = identities::check();
    claims.extend(identity_claims);
    tick("Lemma 2");
    claims.extend(lemma2::check(ctx, lemma2_exact, &mut art));
    tick("Lemma 3");
    claims.extend(lemma3::check(ctx, &mut art));
    tick("proof steps");
    claims.extend(proofs::check());
    tick("Theorem 3");
    claims.extend(theorem3::check(ctx, &mut art));
    tick("beyond the paper: real alpha");
    claims.extend(real_alpha::check(ctx));
    tick("Example 1");
    claims.extend(example1::check(ctx, &mut art));
    tick("special cases");
    claims.extend(special_cases::check(ctx, &mut art));
    (claims, art)
}

/// `value` with its certified digits, or `(not certified)`.
pub(crate) fn show(c: &efftrade_numeric::Certified) -> String {
    if c.digits() == 0 {
        "(not certified)".to_string()
    } else {
        c.to_decimal()
    }
}

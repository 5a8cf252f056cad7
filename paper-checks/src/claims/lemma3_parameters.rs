//! Lemma 3's constants in the parameters of the power, Beta(p, q) (integer `q`, and the leading
//! term for a real `q`) and Kumaraswamy(s, m) families (`efftrade_symbolic::lemma3_family`):
//! `alpha`, `c`, `A1 = c^(-1/alpha)` and
//! `A2 = Gamma(1 + 1/alpha) c^(-1/alpha)` as expressions, for the report's evidence. The symbolic
//! crate's tests check them against the numeric engine at sample parameters and against SymPy.

use crate::claim::Evidence;

/// One finding per family: its constants in its parameters (none without Symbolica).
#[cfg(feature = "symbolic")]
pub fn evidence() -> Vec<Evidence> {
    use efftrade_symbolic::lemma3_family::{beta, beta_real, kumaraswamy, power};
    let mut families = vec![power(3)];
    families.extend((1..=3).map(|q| beta(q, 3)));
    families.push(beta_real());
    families.extend((2..=3).map(|m| kumaraswamy(m, 3)));
    families
        .iter()
        .map(|f| {
            Evidence::Finding(format!(
                "in the parameters (exact algebra), {} with F = {} on [{}, {}]: alpha = {}, c = {}, \
                 A1 = {}, A2 = {}",
                f.family,
                f.cdf,
                f.support[0],
                f.support[1],
                f.alpha,
                f.forms.c,
                f.forms.a1,
                f.forms.a2
            ))
        })
        .collect()
}

/// Without Symbolica the forms are not derived.
#[cfg(not(feature = "symbolic"))]
pub fn evidence() -> Vec<Evidence> {
    Vec::new()
}

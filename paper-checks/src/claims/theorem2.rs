//! Theorem 2: `T1 + T2 < 0` for every market, so the set of beta admitting efficient trade is
//! the interval `[0, beta*]` when `T1 >= 0` and empty otherwise.

use efftrade_numeric::Certified;
use rug::Float;
use rug::ops::Pow;

use crate::claim::{Claim, Verdict};
use crate::context::{Artefacts, Context};

/// The sign of `T1 + T2` at one market, as far as the certified digits decide it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Certainly negative.
    Negative,
    /// Certainly zero or positive.
    NonNegative,
    /// Not decided by the digits available.
    Undecided,
}

/// The sign of `t1 + t2`, decided when the sum exceeds both values' uncertainty.
pub fn sign_of_sum(t1: &Certified, t2: &Certified) -> Sign {
    if t1.digits == 0 || t2.digits == 0 {
        return Sign::Undecided;
    }
    let prec = t1.value.prec().max(t2.value.prec());
    let sum = Float::with_val(prec, &t1.value + &t2.value);
    // Each value is known to within one unit of its last certified digit.
    let ulp = |c: &Certified| {
        let mag = Float::with_val(64, c.value.clone().abs());
        if mag.is_zero() {
            return Float::with_val(64, 0);
        }
        let exp = mag.log10().to_f64().floor() as i32 + 1 - c.digits as i32;
        Float::with_val(64, Float::with_val(64, 10).pow(exp))
    };
    let slack = ulp(t1) + ulp(t2);
    if Float::with_val(64, sum.clone().abs()) <= slack {
        Sign::Undecided
    } else if sum.is_sign_negative() {
        Sign::Negative
    } else {
        Sign::NonNegative
    }
}

/// The verdict over many markets: numerically supported when every sign is negative.
pub fn verdict(signs: &[Sign]) -> Verdict {
    if signs.is_empty() {
        return Verdict::NotChecked {
            why: "no market was solved".to_string(),
        };
    }
    let bad = signs.iter().filter(|s| **s == Sign::NonNegative).count();
    let open = signs.iter().filter(|s| **s == Sign::Undecided).count();
    if bad > 0 {
        Verdict::FailsAsPrinted {
            corrected: format!(
                "T1 + T2 >= 0 at {bad} market(s): the admissible set is not [0, beta*]"
            ),
        }
    } else if open > 0 {
        Verdict::NotChecked {
            why: format!("the sign of T1 + T2 is undecided at {open} market(s)"),
        }
    } else {
        Verdict::HoldsNumerically
    }
}

/// Theorem 2's claims.
pub fn check(ctx: &Context, _art: &mut Artefacts) -> Vec<Claim> {
    let mut signs = Vec::new();
    let mut per_spec = Vec::new();
    let mut with_interval = 0;
    let mut without = 0;
    let mut largest: Option<(f64, String)> = None;
    for s in &ctx.specs {
        let mut count = 0;
        for solved in &s.solved {
            let Ok(sol) = &solved.result else { continue };
            let sign = sign_of_sum(&sol.t1, &sol.t2);
            signs.push(sign);
            count += 1;
            if sol.beta_star.is_some() {
                with_interval += 1;
            } else {
                without += 1;
            }
            let sum = (Float::with_val(128, &sol.t1.value + &sol.t2.value)).to_f64();
            if largest.as_ref().is_none_or(|(v, _)| sum > *v) {
                largest = Some((sum, format!("{} (n = {})", s.name, solved.point.market.n())));
            }
        }
        per_spec.push(format!("{}: {count}", s.name));
    }
    let failed: usize = ctx
        .specs
        .iter()
        .map(|s| s.solved.iter().filter(|x| x.result.is_err()).count())
        .sum();
    let mut evidence = vec![
        format!(
            "{} markets solved to 30 certified digits across every spec grid (N up to 3e30); \
             T1 + T2 certainly negative at {} of them",
            signs.len(),
            signs.iter().filter(|s| **s == Sign::Negative).count()
        ),
        format!("markets per spec: {}", per_spec.join(", ")),
    ];
    if let Some((v, at)) = &largest {
        evidence.push(format!(
            "largest (closest to zero) T1 + T2: {v:.6e} at {at}"
        ));
    }
    if failed > 0 {
        evidence.push(format!(
            "{failed} grid point(s) could not be solved (see `efftrade solve`)"
        ));
    }
    let interval_evidence = vec![
        format!(
            "the left side of (T1-1) is affine in beta with slope (T1 + T2)/n < 0 at every market \
             above, so its non-negative set is [0, beta*] when T1 >= 0 ({with_interval} markets) \
             and empty when T1 < 0 ({without} markets)"
        ),
        "the proof's algebra: (T2-2) to (T2-6) and the two sign facts are checked exactly below"
            .to_string(),
    ];
    let v = verdict(&signs);
    vec![
        Claim {
            id: "theorem2".to_string(),
            title: "Theorem 2: T1 + T2 < 0".to_string(),
            statement: "For every market (n, r, F), T1 + T2 < 0 (the step the proof of Theorem 2 \
                        reduces to, via (T2-1) to (T2-6))."
                .to_string(),
            method: "T1 and T2 of every point of every spec's grid computed to 30 certified \
                     digits; the sign of the sum is counted as decided only when it exceeds both \
                     values' last-digit uncertainty. A finite grid supports, not proves, the claim."
                .to_string(),
            evidence,
            verdict: v.clone(),
        },
        Claim {
            id: "theorem2-interval".to_string(),
            title: "Theorem 2: the admissible betas form an interval".to_string(),
            statement:
                "If beta* < 0 (T1 < 0) no efficient mechanism exists; otherwise trade can be \
                        efficient iff beta is in [0, beta*]."
                    .to_string(),
            method: "Follows from Theorem 1 and T1 + T2 < 0; checked on the same markets."
                .to_string(),
            evidence: interval_evidence,
            verdict: v,
        },
    ]
}

//! Theorem 2: `T1 + T2 < 0` for every market, so the set of beta admitting efficient trade is
//! the interval `[0, beta*]` when `T1 >= 0` and empty otherwise.

use efftrade_model::digits::round_f64;
use efftrade_numeric::Certified;
use efftrade_numeric::Provenance;
use rug::Float;
use rug::ops::Pow;

use super::markets::{self, SINE, UNIFORM};
use crate::claim::{Case, Claim, Evidence, Verdict, findings, judge};
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
    if t1.digits() == 0 || t2.digits() == 0 {
        return Sign::Undecided;
    }
    let prec = t1.value().prec().max(t2.value().prec());
    let sum = Float::with_val(prec, t1.value() + t2.value());
    // Each value is known to within one unit of its last certified digit.
    let ulp = |c: &Certified| {
        let mag = Float::with_val(64, c.value().clone().abs());
        if mag.is_zero() {
            return Float::with_val(64, 0);
        }
        let exp = mag.log10().to_f64().floor() as i32 + 1 - c.digits() as i32;
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

/// The scope of the proof that `T1 + T2 < 0` at every grid point of every spec, each decided by
/// the rigorous engine's ball of the sum; or why some point is not proved.
fn proved(ctx: &Context) -> Result<String, String> {
    let cases = super::balls::solve_all(ctx);
    let mut largest: Option<(efftrade_arb::Arb, String)> = None;
    for case in &cases {
        let solution = case
            .result
            .as_ref()
            .map_err(|e| format!("{}: {e}", case.label))?;
        let (Some(t1), Some(t2)) = (
            super::balls::ball(solution, "t1"),
            super::balls::ball(solution, "t2"),
        ) else {
            return Err(format!("{}: no ball of T1 or T2", case.label));
        };
        let sum = t1.add(t2, 256);
        if !sum.is_negative() {
            return Err(format!(
                "{}: the ball {sum} of T1 + T2 is not negative",
                case.label
            ));
        }
        if largest.as_ref().is_none_or(|(l, _)| l.lt(&sum)) {
            largest = Some((sum, case.label.clone()));
        }
    }
    let (sum, at) = largest.ok_or_else(|| "no market was solved".to_string())?;
    let most = ctx
        .specs
        .iter()
        .flat_map(|s| s.solved.iter().map(|x| x.point.market().n()))
        .max()
        .unwrap_or(0);
    Ok(format!(
        "T1 + T2 < 0 is proved at each of the {} grid points of the specs (every market of \
         every spec, N up to {most}), by a ball of Arb arithmetic for each; the sum closest to \
         zero is at {at}, in the ball {}.",
        cases.len(),
        sum.to_arb_string(6)
    ))
}

/// The verdict over many markets: numerically supported when every sign is negative; refuted by
/// a market where `T1 + T2` is certainly non-negative; not checked when a market could not be
/// solved or a sign is undecided.
pub fn verdict(signs: &[Case<Sign>]) -> Verdict {
    let bad = signs
        .iter()
        .filter(|s| s.result == Ok(Sign::NonNegative))
        .count();
    let v = judge(
        signs,
        |s| *s != Sign::NonNegative,
        Verdict::numerically(
            "the balls did not decide every point, and certified digits bound no sign exactly.",
        ),
        &format!("T1 + T2 >= 0 at {bad} market(s): the admissible set is not [0, beta*]"),
    );
    let open = signs
        .iter()
        .filter(|s| s.result == Ok(Sign::Undecided))
        .count();
    if v.is_numerical() && open > 0 {
        Verdict::NotChecked {
            why: format!("the sign of T1 + T2 is undecided at {open} market(s)"),
        }
    } else {
        v
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
            let label = format!("{} (N = {})", s.name, solved.point.market().n());
            let sol = match &solved.result {
                Ok(sol) => sol,
                Err(e) => {
                    signs.push(Case::failed(label, e));
                    continue;
                }
            };
            let sign = sign_of_sum(&sol.t1, &sol.t2);
            signs.push(Case::ok(label, sign));
            count += 1;
            if sol.beta_star.is_some() {
                with_interval += 1;
            } else {
                without += 1;
            }
            let sum = (Float::with_val(128, sol.t1.value() + sol.t2.value())).to_f64();
            if largest.as_ref().is_none_or(|(v, _)| sum > *v) {
                largest = Some((
                    sum,
                    format!("{} (n = {})", s.name, solved.point.market().n()),
                ));
            }
        }
        per_spec.push(format!("{}: {count}", s.name));
    }
    let mut evidence = findings([
        format!(
            "{} markets solved to 30 certified digits across every spec grid (N up to 3e30); \
             T1 + T2 certainly negative at {} of them",
            signs.iter().filter(|s| s.result.is_ok()).count(),
            signs
                .iter()
                .filter(|s| s.result == Ok(Sign::Negative))
                .count()
        ),
        format!("markets per spec: {}", per_spec.join(", ")),
    ]);
    if let Some((v, at)) = &largest {
        evidence.push(Evidence::Finding(format!(
            "largest (closest to zero) T1 + T2: {} at {at}",
            round_f64(*v, 7)
        )));
    }
    evidence.extend(signs.iter().filter_map(Case::failure));
    let interval_evidence = findings([
        format!(
            "the left side of (T1-1) is affine in beta with slope (T1 + T2)/n < 0 at every market \
             above, so its non-negative set is [0, beta*] when T1 >= 0 ({with_interval} markets) \
             and empty when T1 < 0 ({without} markets)"
        ),
        "the proof's algebra: (T2-2) to (T2-6) and the two sign facts are checked exactly below"
            .to_string(),
    ]);
    let (v, certified, method) = match proved(ctx) {
        Ok(scope) => (
            Verdict::Proved { scope },
            vec![Provenance::Ball],
            "T1 and T2 of every point of every spec's grid enclosed in balls by the rigorous \
             engine (Arb: interval Newton roots, rigorous integrals, the layer of F^N bounded), \
             and T1 + T2 < 0 decided by the ball of the sum at each: a proof at those markets. \
             A finite grid proves the claim there, not for every market.",
        ),
        Err(why) => {
            evidence.push(Evidence::Finding(format!("not proved by balls: {why}")));
            (
                verdict(&signs),
                vec![Provenance::TwoPrecisions],
                "T1 and T2 of every point of every spec's grid computed to 30 certified digits; \
                 the sign of the sum is counted as decided only when it exceeds both values' \
                 last-digit uncertainty. A finite grid supports, not proves, the claim.",
            )
        }
    };
    let concavity = concavity_claim(ctx, super::identities::share_derivative().as_ref());
    vec![
        concavity,
        Claim {
            certified: certified.clone(),
            id: "theorem2".to_string(),
            title: "Theorem 2: T1 + T2 < 0".to_string(),
            statement: "For every market (n, r, F), T1 + T2 < 0 (the step the proof of Theorem 2 \
                        reduces to, via (T2-1) to (T2-6))."
                .to_string(),
            method: method.to_string(),
            evidence,
            verdict: v.clone(),
        },
        Claim {
            certified,
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

/// The largest second difference of `T1` along a line of share vectors (concavity means all are
/// at most 0) and where `T1` is largest.
#[derive(Clone, Debug)]
pub struct Concavity {
    /// Which market family.
    pub label: String,
    /// Second differences `T1(r - h) - 2 T1(r) + T1(r + h)` at the interior points.
    pub second_differences: Vec<f64>,
    /// The share parameter where `T1` is largest on the line.
    pub argmax: f64,
    /// Where equal shares sit on the line.
    pub equal: f64,
}

/// The exact check that one agent's term of `T1` has derivative `-v G'(v)` in its critical type
/// `v`: how many cases were checked and, if the two sides differed, the first residual.
#[derive(Clone, Debug)]
pub struct ShareDerivative {
    /// Cases checked (polynomial `F` of degrees 1 to 4, `n = 2..5`).
    pub cases: usize,
    /// The residual of the first failing case.
    pub residual: Option<String>,
}

/// The verdict: concave (every second difference at most 0) with the maximum at equal shares.
/// It `holds` when the exact derivative identity holds (a proof for every `F`, see
/// [`concavity_claim`]) and the numbers agree; on the numbers alone it holds numerically.
pub fn concavity_verdict(
    lines: &[Case<Concavity>],
    step: f64,
    exact: Option<&ShareDerivative>,
) -> Verdict {
    let proved = exact.is_some_and(|d| d.residual.is_none());
    judge(
        lines,
        |c| {
            c.second_differences.iter().all(|d| *d <= 0.0)
                && (c.argmax - c.equal).abs() <= step / 2.0
        },
        if proved {
            Verdict::Holds
        } else {
            Verdict::numerically(
                "without the exact derivative identity, second differences on a grid of shares \
                 support concavity but cannot prove it between the grid's points.",
            )
        },
        "T1 is not concave in the shares on some line; see the evidence",
    )
}

/// Step of the share grid.
const STEP: f64 = 0.05;

fn concavity_line(
    label: &str,
    dist: &efftrade_model::Distribution,
    shares: &dyn Fn(&efftrade_model::BigRational) -> Vec<efftrade_model::BigRational>,
    equal: f64,
) -> Case<Concavity> {
    use efftrade_model::{BigRational, Market};
    let points: Result<Vec<(f64, f64)>, String> = (1..20)
        .map(|i| {
            let x = BigRational::new(i.into(), 20.into());
            let market = Market::from_shares(&shares(&x)).map_err(|e| e.to_string())?;
            let s = efftrade_numeric::quantities::solve(dist, &market, None, 20)
                .map_err(|e| format!("T1 at r = {}: {e}", f64::from(i) / 20.0))?;
            Ok((f64::from(i) / 20.0, s.t1.value().to_f64()))
        })
        .collect();
    let points = match points {
        Ok(p) => p,
        Err(e) => return Case::failed(label, e),
    };
    let second_differences = points
        .windows(3)
        .map(|w| w[0].1 - 2.0 * w[1].1 + w[2].1)
        .collect();
    let argmax = points
        .iter()
        .copied()
        .fold(
            (0.0, f64::NEG_INFINITY),
            |m, p| if p.1 > m.1 { p } else { m },
        )
        .0;
    Case::ok(
        label,
        Concavity {
            label: label.to_string(),
            second_differences,
            argmax,
            equal,
        },
    )
}

/// The step of the proof of Theorem 2 that reduces it to equal shares.
///
/// The proof, for every `F`: one agent's term `t(v)` of `T1` (T1-1) has `t'(v) = -v G'(v)`
/// (checked exactly, `exact`), so with its share `r = G(v)` the term's derivative in `r` is
/// `-v*(r)`, which does not increase with `r`: `T1(r) = Σ t(r_i)` is a sum of concave functions
/// of one share each, so concave on the simplex; being symmetric, it is largest at equal shares
/// (Jensen's inequality). The second differences along lines of share vectors corroborate it.
pub fn concavity_claim(ctx: &Context, exact: Option<&ShareDerivative>) -> Claim {
    use efftrade_model::{BigInt, BigRational};
    let one = BigRational::from_integer(BigInt::from(1));
    let two = BigRational::from_integer(BigInt::from(2));
    let mut lines = Vec::new();
    let (distributions, missing) =
        markets::distributions(ctx, &[(UNIFORM, "uniform"), (SINE, "sine (b solved)")], 2);
    for (label, d) in &distributions {
        let pair = |x: &BigRational| vec![x.clone(), &one - x];
        lines.push(concavity_line(
            &format!("{label}, n = 2, shares (r, 1 - r)"),
            d,
            &pair,
            0.5,
        ));
        let triple = |x: &BigRational| {
            let rest = (&one - x) / &two;
            vec![x.clone(), rest.clone(), rest]
        };
        lines.push(concavity_line(
            &format!("{label}, n = 3, shares (r, (1 - r)/2, (1 - r)/2)"),
            d,
            &triple,
            1.0 / 3.0,
        ));
    }
    let exact_line = exact.map(|d| {
        Evidence::Finding(match &d.residual {
            None => format!(
                "exactly: d/dv of one agent's term of T1 minus (-v G'(v)) expands to 0 in all {} \
                 cases (polynomial F of degrees 1 to 4 on [a, a + 1], a and v symbolic, \
                 n = 2..5)",
                d.cases
            ),
            Some(r) => format!(
                "exactly: d/dv of one agent's term of T1 differs from -v G'(v); first failing \
                 case: `{r}`"
            ),
        })
    });
    let evidence = exact_line
        .into_iter()
        .chain(
            lines
                .iter()
                .filter_map(|c| c.result.as_ref().ok())
        .map(|c| {
            let max = c
                .second_differences
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            Evidence::Finding(format!(
                "{}: largest second difference of T1 over r = 0.05, 0.10, ..., 0.95: {}; T1 \
                 largest at r = {:.2} (equal shares at r = {:.3})",
                c.label,
                round_f64(max, 4),
                c.argmax,
                c.equal
            ))
        })
        )
        .chain(lines.iter().filter_map(Case::failure))
        .chain(missing.iter().map(|what| Evidence::Missing {
            what: what.to_string(),
        }))
        .collect();
    let proof = "Exactly: the derivative of one agent's term of T1 (T1-1) in its critical type v \
                 is -v G'(v), both integrals differentiated at their moving limit, checked with \
                 the symbolic crate's integrator; so with its share r = G(v), the term's \
                 derivative in r is -v*(r), which does not increase with r. T1 = sum_i t(r_i) is \
                 then a sum of concave functions of one share each, concave on the simplex, and \
                 symmetric in the shares, so largest at equal shares (Jensen's inequality): a \
                 proof for every F. ";
    let certified = if exact.is_some() {
        vec![Provenance::Exact, Provenance::TwoPrecisions]
    } else {
        vec![Provenance::TwoPrecisions]
    };
    Claim {
        certified,
        id: "theorem2-concavity".to_string(),
        title: "Proof of Theorem 2: T1 is concave in the shares".to_string(),
        statement: "T1 is concave in r and T2 does not depend on r, so it suffices to prove \
                    T1 + T2 < 0 for equal shares (where T1 is largest)."
            .to_string(),
        method: format!(
            "{}Numerically, as a second method: T1 to 20 certified digits along lines of share \
             vectors (step {STEP}) for the uniform and sine markets with n = 2 and 3: every \
             second difference must be at most 0 and the maximum must sit at equal shares (to \
             the grid's step).",
            if exact.is_some() { proof } else { "" }
        ),
        evidence,
        verdict: concavity_verdict(&lines, STEP, exact),
    }
}

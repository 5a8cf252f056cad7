//! Lemma 3: near b, `1 - F(v) ~ c (b - v)^alpha`; `b - v_i* ~ A1 (log m/(N-1))^(1/alpha)` (L3-1),
//! `Int F^N ~ A2 N^(-1/alpha)` (L3-2), and (b) T1 of the replication is bounded. Also the value
//! of A2 the proof of (L3-2) arrives at.

use efftrade_model::Distribution;
use efftrade_model::digits::round_f64;
use efftrade_numeric::Certified;
use efftrade_numeric::Provenance;
use efftrade_numeric::lemma3::{Lemma3, lemma3};
use efftrade_rigorous::lemma3::BallExpansion;
use rug::Float;

use super::markets::{
    self, BETA22, FLAT_TOP, REPLICATED_A, REPLICATED_B, REPLICATED_MS, REPLICATION, SINE, UNIFORM,
};
use super::show;
use crate::claim::{Case, Claim, Evidence, Verdict, judge};
use crate::context::{Artefacts, Context, DIGITS, Kind, SolvedSpec, TableData};

/// Why (L3-1) and (L3-2) hold only numerically when the balls do not decide alpha and c.
const LIMIT: &str = "the lemma is a limit as N grows; the rows are finitely many, and without alpha and c decided by balls no theorem turns them into a proof.";

/// The exponents k of the rows N = 10^k.
pub const EXPONENTS: [u32; 8] = [2, 6, 10, 14, 18, 22, 26, 30];
/// The paper's distributions examined: (kind, label).
pub const DISTRIBUTIONS: [(Kind, &str); 4] = [
    (UNIFORM, "uniform"),
    (SINE, "sine (b solved)"),
    (BETA22, "Beta(2, 2)"),
    (FLAT_TOP, "1 - (1 - x)^3"),
];

/// `|x / y - 1|`.
fn relative(x: &Certified, y: &Certified) -> f64 {
    let prec = x.value().prec().max(y.value().prec());
    let r = Float::with_val(prec, x.value() / y.value()) - 1u32;
    r.abs().to_f64()
}

/// Whether a sequence of deviations tends to zero: it shrinks over the last three rows and the
/// last is below `tolerance`.
pub fn converges(deviations: &[f64], tolerance: f64) -> bool {
    let n = deviations.len();
    n >= 3
        && deviations[n - 1] < tolerance
        && deviations[n - 1] <= deviations[n - 2]
        && deviations[n - 2] <= deviations[n - 3]
}

/// One distribution's rows and what they show.
#[derive(Clone, Debug)]
pub struct Study {
    /// The distribution.
    pub label: String,
    /// The rows and the expansion at b.
    pub l: Lemma3,
    /// Relative deviations of the scaled gap from A1, per row.
    pub gaps: Vec<f64>,
    /// Relative deviations of `N^(1/alpha) Int F^N` from A2, per row.
    pub ints: Vec<f64>,
    /// Relative deviation of the last row from the proof's value of A2.
    pub last_paper: f64,
}

impl Study {
    /// Whether the scaled gap tends to A1 (L3-1).
    pub fn gap_converges(&self) -> bool {
        converges(&self.gaps, 0.05)
    }

    /// Whether `N^(1/alpha) Int F^N` tends to A2 (L3-2).
    pub fn integral_converges(&self) -> bool {
        converges(&self.ints, 1e-6)
    }

    /// Whether the proof's value of A2 is refuted by the table.
    pub fn proof_value_wrong(&self) -> bool {
        self.last_paper > 1e-3 && !self.l.expansion.paper_a2_agrees()
    }
}

/// The study of one distribution, or why it could not be computed.
pub(crate) fn study(label: &str, dist: &efftrade_model::Distribution) -> Case<Study> {
    let l = match lemma3(dist, &EXPONENTS, DIGITS, &|| {}) {
        Ok(l) => l,
        Err(e) => return Case::failed(label, e),
    };
    let e = &l.expansion;
    let gaps = l
        .rows
        .iter()
        .map(|r| relative(&r.scaled_gap, &e.a1))
        .collect();
    let ints = l
        .rows
        .iter()
        .map(|r| relative(&r.scaled_integral, &e.a2))
        .collect();
    let last_paper = l
        .rows
        .last()
        .map_or(0.0, |r| relative(&r.scaled_integral, &e.a2_paper));
    Case::ok(
        label,
        Study {
            label: label.to_string(),
            gaps,
            ints,
            last_paper,
            l,
        },
    )
}

/// The studies that failed and the kinds of market the specs lack, as evidence.
pub(crate) fn not_computed(studies: &[Case<Study>], missing: &[&str]) -> Vec<Evidence> {
    studies
        .iter()
        .filter_map(Case::failure)
        .chain(missing.iter().map(|what| Evidence::Missing {
            what: what.to_string(),
        }))
        .collect()
}

/// Lemma 3's claims.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<Claim> {
    let (distributions, missing) = markets::distributions(ctx, &DISTRIBUTIONS, 4);
    let studies: Vec<Case<Study>> = distributions.iter().map(|(l, d)| study(l, d)).collect();
    let balls = ball_expansions(&distributions);
    let mut ev_a = Vec::new();
    let mut ev_b = Vec::new();
    let mut ev_proof = Vec::new();
    let mut rows = Vec::new();
    for s in studies.iter().filter_map(|c| c.result.as_ref().ok()) {
        let e = &s.l.expansion;
        ev_a.push(Evidence::Finding(format!(
            "{}: alpha = {}, c = {}, A1 = {}; relative deviation of (b - v*)/(log m/(N-1))^(1/alpha) \
             from A1 at N = 10^{:?}: {}",
            s.label,
            e.alpha,
            show(&e.c),
            show(&e.a1),
            EXPONENTS,
            s.gaps.iter().map(|d| round_f64(*d, 2)).collect::<Vec<_>>().join(", ")
        )));
        ev_b.push(Evidence::Finding(format!(
            "{}: A2 = Gamma(1 + 1/alpha) c^(-1/alpha) = {}; relative deviation of N^(1/alpha) Int F^N \
             from it: {}{}",
            s.label,
            show(&e.a2),
            s.ints.iter().map(|d| round_f64(*d, 2)).collect::<Vec<_>>().join(", "),
            s.l.fitted.as_ref().map_or_else(String::new, |f| format!(
                "; alpha fitted from the table: {}",
                show(&f.alpha)
            ))
        )));
        ev_proof.push(Evidence::Finding(format!(
            "{}: the proof's value sum_k e^(-c k^alpha) = {}, Laplace's A2 = {}; N^(1/alpha) Int F^N \
             at N = 10^30 = {}, which differs from the proof's value by {:.3} relative",
            s.label,
            show(&e.a2_paper),
            show(&e.a2),
            s.l.rows.last().map_or_else(String::new, |r| show(&r.scaled_integral)),
            s.last_paper
        )));
        for r in &s.l.rows {
            rows.push(vec![
                s.label.clone(),
                format!("1e{}", (r.n as f64).log10().round()),
                r.scaled_integral
                    .to_decimal_at(r.scaled_integral.digits().min(12)),
                r.scaled_gap.to_decimal_at(r.scaled_gap.digits().min(12)),
            ]);
        }
        rows.push(vec![
            format!("{} (limits)", s.label),
            "--".to_string(),
            e.a2.to_decimal_at(e.a2.digits().min(12)),
            e.a1.to_decimal_at(e.a1.digits().min(12)),
        ]);
    }
    let parameter_forms = super::lemma3_parameters::evidence();
    ev_a.extend(parameter_forms.iter().cloned());
    ev_b.extend(parameter_forms);
    let not_computed = not_computed(&studies, &missing);
    for ev in [&mut ev_a, &mut ev_b, &mut ev_proof] {
        ev.extend(not_computed.iter().cloned());
    }
    if !rows.is_empty() {
        art.tables.push(TableData {
            stem: "lemma3-convergence".to_string(),
            caption: "Lemma 3: $N^{1/\\alpha} \\int F^N$ tends to $A_2 = \\Gamma(1 + 1/\\alpha) \
                 c^{-1/\\alpha}$ and the scaled gap $(b - v^*) / (\\log m/(N - 1))^{1/\\alpha}$ \
                 tends to $A_1 = c^{-1/\\alpha}$ ($m = N/2$ agents holding $1/m$ each)"
                .to_string(),
            headers: vec![
                "distribution".into(),
                "N".into(),
                "N^(1/alpha) Int F^N".into(),
                "scaled gap".into(),
            ],
            numeric: vec![false, false, true, true],
            rows,
        });
    }
    // (b): T1 of the Myerson-Satterthwaite replications is bounded.
    let (t1_verdict, t1_ev) = t1_bounded(ctx);
    let diverges = |what: &str| format!("{what} does not converge on the tables; see the evidence");
    let proof = laplace_facts(&studies, &balls);
    let ball_lines = ball_findings(&balls);
    ev_a.extend(ball_lines.iter().cloned());
    ev_b.extend(ball_lines);
    let gap_verdict = judge(
        &studies,
        Study::gap_converges,
        Verdict::numerically(LIMIT),
        &diverges("the scaled gap"),
    );
    let integral_verdict = judge(
        &studies,
        Study::integral_converges,
        Verdict::numerically(LIMIT),
        &diverges("N^(1/alpha) Int F^N"),
    );
    let (gap_verdict, integral_verdict, certified) = match &proof {
        Ok(facts) if gap_verdict.is_numerical() && integral_verdict.is_numerical() => (
            Verdict::Proved {
                scope: format!(
                    "{facts} (L3-1) follows by inverting 1 - F(v*) = c (b - v*)^alpha \
                         (1 + O(b - v*)) at F(v*)^(N-1) = 1/m, since log m/(N - 1) -> 0. The \
                         tables check the approach at finite N; the limit is this argument's."
                ),
            },
            Verdict::Proved {
                scope: format!(
                    "{facts} (L3-2) follows by Laplace's method (Olver, Asymptotics and \
                         Special Functions, 1974, ch. 3, Theorem 7.1: F is non-decreasing, so \
                         F < 1 on [a, b), and -log F(b - d) = c d^alpha (1 + O(d))), with A2 = \
                         Gamma(1 + 1/alpha) c^(-1/alpha). The tables check the approach at \
                         finite N; the limit is the theorem's."
                ),
            },
            vec![Provenance::TwoPrecisions, Provenance::Ball],
        ),
        Ok(_) => (
            gap_verdict,
            integral_verdict,
            vec![Provenance::TwoPrecisions],
        ),
        Err(why) => {
            let line = Evidence::Finding(format!("not proved by balls: {why}"));
            ev_a.push(line.clone());
            ev_b.push(line);
            (
                gap_verdict,
                integral_verdict,
                vec![Provenance::TwoPrecisions],
            )
        }
    };
    vec![
        Claim {
            certified: certified.clone(),
            id: "lemma3-a-l3-1".to_string(),
            title: "Lemma 3 (a), (L3-1)".to_string(),
            statement: "For the replication with m agents holding 1/m (N = m n), b - v_i* ~ A1 \
                        (log m/(N - 1))^(1/alpha), with alpha the order of the first non-vanishing \
                        derivative of F at b and 1 - F(v) ~ c (b - v)^alpha."
                .to_string(),
            method: "alpha and c by Taylor arithmetic on F at b (exact in the symbolic crate, \
                     certified in MPFR) and decided by balls of F's derivatives at b (Arb); the \
                     scaled gap at N = 10^2 .. 10^30 computed to 30 certified digits; A1 = \
                     c^(-1/alpha) is derived here. Convergence is logarithmically slow; the \
                     deviation must shrink to below 5%."
                .to_string(),
            evidence: ev_a,
            verdict: gap_verdict,
        },
        Claim {
            certified,
            id: "lemma3-a-l3-2".to_string(),
            title: "Lemma 3 (a), (L3-2)".to_string(),
            statement: "Int_a^b F^N dp ~ A2 N^(-1/alpha) for a positive constant A2.".to_string(),
            method: "N^(1/alpha) Int F^N at N = 10^2 .. 10^30 to 30 certified digits against \
                     Laplace's A2 = Gamma(1 + 1/alpha) c^(-1/alpha) (derived here, and Watson's \
                     full expansion in the symbolic crate), alpha and c decided by balls; the \
                     deviation must fall below 1e-6."
                .to_string(),
            evidence: ev_b,
            verdict: integral_verdict,
        },
        Claim {
            certified: vec![Provenance::TwoPrecisions],
            id: "lemma3-proof-a2".to_string(),
            title: "Proof of (L3-2): the value of A2".to_string(),
            statement: "The proof of (L3-2) takes the limit of a Riemann sum with unit steps and \
                        arrives at A2 = sum_(k>=1) e^(-c k^alpha)."
                .to_string(),
            method: "The proof's value against the limit of N^(1/alpha) Int F^N in the tables."
                .to_string(),
            evidence: ev_proof,
            verdict: judge(
                &studies,
                |s| !s.proof_value_wrong(),
                Verdict::Holds,
                "A2 = Int_0^inf e^(-c s^alpha) ds = Gamma(1 + 1/alpha) c^(-1/alpha) (Laplace's \
                 method): the Riemann sum's step N^(-1/alpha) must go to zero with the scaling, \
                 not stay 1. The rate N^(-1/alpha), and so Theorem 3, are unaffected.",
            ),
        },
        Claim {
            certified: if matches!(t1_verdict, Verdict::Proved { .. }) {
                vec![Provenance::TwoPrecisions, Provenance::Ball]
            } else {
                vec![Provenance::TwoPrecisions]
            },
            id: "lemma3-b".to_string(),
            title: "Lemma 3 (b)".to_string(),
            statement: "For the same replications, T1 is bounded as m grows.".to_string(),
            method:
                "T1 of the replications of Myerson-Satterthwaite and of Example 1's markets to \
                     m = 10^30, 30 certified digits; and a bound on |T1| for every m from a slope \
                     kappa > 0 with F(x) <= 1 - kappa (b - x), proved by balls."
                    .to_string(),
            evidence: t1_ev,
            verdict: t1_verdict,
        },
    ]
}

/// Lemma 3's expansion of each distribution decided by balls ([`efftrade_rigorous::lemma3`]).
fn ball_expansions(distributions: &[(String, Distribution)]) -> Vec<Case<BallExpansion>> {
    use rayon::prelude::*;
    distributions
        .par_iter()
        .map(|(label, d)| {
            Case::from_result(
                label.clone(),
                efftrade_rigorous::lemma3::expansion(d, super::balls::DIGITS),
            )
        })
        .collect()
}

/// The facts every market's balls decide, as the start of a proof's scope; or why a market's
/// are not decided (or disagree with the certified alpha).
fn laplace_facts(studies: &[Case<Study>], balls: &[Case<BallExpansion>]) -> Result<String, String> {
    if balls.is_empty() {
        return Err("there was no market to check it on".to_string());
    }
    let mut labels = Vec::new();
    for (study, ball) in studies.iter().zip(balls) {
        let x = ball
            .result
            .as_ref()
            .map_err(|e| format!("{}: {e}", ball.label))?;
        if let Ok(s) = &study.result
            && s.l.expansion.alpha.integer() != Some(x.alpha)
        {
            return Err(format!(
                "{}: the balls give alpha = {} but the certified expansion gives alpha = {}",
                ball.label, x.alpha, s.l.expansion.alpha
            ));
        }
        labels.push(ball.label.clone());
    }
    Ok(format!(
        "At the markets {}: alpha is decided by balls of F's derivatives at b (those of lower \
         order exactly 0, F^(alpha)(b) not, F^(alpha+1) bounded near b) and c > 0 by its ball, \
         so 1 - F(b - d) = c d^alpha (1 + O(d)) by Taylor's theorem.",
        labels.join(", ")
    ))
}

/// One evidence line per market: the balls of alpha's derivative and of c.
fn ball_findings(balls: &[Case<BallExpansion>]) -> Vec<Evidence> {
    balls
        .iter()
        .filter_map(|c| {
            let x = c.result.as_ref().ok()?;
            Some(Evidence::Finding(format!(
                "{}, by balls: alpha = {} (F^(k)(b) = 0 exactly for k < alpha), F^(alpha)(b) in \
                 {}, c in {}",
                c.label,
                x.alpha,
                x.derivative.to_arb_string(12),
                x.c.to_arb_string(12)
            )))
        })
        .collect()
}

/// T1 along one replication spec: its largest size and its last three values.
#[derive(Clone, Debug, PartialEq)]
pub struct T1Path {
    /// Largest `|T1|` over the replications.
    pub max: f64,
    /// T1 at the last three replications.
    pub last: [f64; 3],
}

impl T1Path {
    /// Bounded: finite, with its changes shrinking at the end.
    pub fn bounded(&self) -> bool {
        let [a, b, c] = self.last;
        (c - b).abs() <= (b - a).abs() && self.max.is_finite()
    }
}

/// T1 along each replication spec of the paper's (Myerson-Satterthwaite and Example 1's markets,
/// or, without them, every replication spec): the verdict and the evidence.
fn t1_bounded(ctx: &Context) -> (Verdict, Vec<Evidence>) {
    let kinds = [REPLICATED_MS, REPLICATED_B, REPLICATED_A];
    let mut specs: Vec<&SolvedSpec> = kinds.iter().filter_map(|k| ctx.find(k)).collect();
    let mut ev: Vec<Evidence> = kinds
        .iter()
        .filter(|k| ctx.find(k).is_none())
        .map(|k| Evidence::Missing {
            what: k.what.to_string(),
        })
        .collect();
    if specs.is_empty() {
        specs = ctx.find_all(&REPLICATION).collect();
    }
    if specs.is_empty() {
        return (Verdict::missing(REPLICATION.what), ev);
    }
    let cases: Vec<Case<T1Path>> = specs
        .iter()
        .map(|s| {
            let t1: Result<Vec<f64>, String> = s
                .solved
                .iter()
                .map(|x| {
                    x.result
                        .as_ref()
                        .map(|r| r.t1.value().to_f64())
                        .map_err(|e| format!("N = {}: {e}", x.point.market().n()))
                })
                .collect();
            let path = t1.and_then(|t1| match t1.as_slice() {
                [.., a, b, c] if t1.len() >= 4 => Ok(T1Path {
                    max: t1.iter().fold(0.0f64, |m, x| m.max(x.abs())),
                    last: [*a, *b, *c],
                }),
                _ => Err(format!(
                    "{} replication(s); boundedness needs at least four",
                    t1.len()
                )),
            });
            Case::from_result(s.name.clone(), path)
        })
        .collect();
    let findings = cases.iter().filter_map(|c| {
        let t = c.result.as_ref().ok()?;
        Some(Evidence::Finding(format!(
            "{}: max |T1| over m = 10^0 .. 10^30: {:.6}; T1 at the last three m: {:.12}, \
             {:.12}, {:.12}",
            c.label, t.max, t.last[0], t.last[1], t.last[2]
        )))
    });
    let mut evidence: Vec<Evidence> = findings
        .chain(cases.iter().filter_map(Case::failure))
        .collect();
    evidence.append(&mut ev);
    let verdict = judge(
        &cases,
        T1Path::bounded,
        Verdict::numerically(
            "boundedness is a statement about every m; the tables are finitely many, and no \
             bound for every m was proved by balls at these markets.",
        ),
        "T1 does not converge on the tables; see the evidence",
    );
    if !verdict.is_numerical() {
        return (verdict, evidence);
    }
    match bounds_for_every_m(&specs, &cases) {
        Ok((scope, lines)) => {
            evidence.extend(lines);
            (Verdict::Proved { scope }, evidence)
        }
        Err(why) => {
            evidence.push(Evidence::Finding(format!(
                "not proved for every m by balls: {why}"
            )));
            (verdict, evidence)
        }
    }
}

/// Bits of the balls of the bound on T1.
const SLOPE_PREC: i64 = 128;
/// Parts of the support in the search for the slope bound.
const SLOPE_PIECES: u32 = 256;

/// A bound on |T1| valid for every m at each replication spec, proved by balls, or why not.
///
/// With the one-dimensional form `T1 = b - Σ r_i v_i* - Σ_i ∫_{v_i*}^b F^(N-1) + (N-1) ∫_a^b F^N`
/// (the corrected (T2-5) summed over the agents): `b - Σ r_i v_i*` lies in `[0, b - a]` and each
/// integral term in `[0, N ∫_a^b F^(N-1)]`. If `F(x) <= 1 - κ (b - x)` on `[a, b]` with `κ > 0`
/// ([`efftrade_rigorous::lemma3::slope_bound`]), then `F^(N-1) <= e^(-(N-1) κ (b - x))` and
/// `N ∫ F^(N-1) <= N/((N-1) κ) <= 2/κ`, so `|T1| <= (b - a) + 2/κ` for every `N >= 2`.
fn bounds_for_every_m(
    specs: &[&SolvedSpec],
    cases: &[Case<T1Path>],
) -> Result<(String, Vec<Evidence>), String> {
    use efftrade_rigorous::engine::BallEngine;
    let mut lines = Vec::new();
    let mut names = Vec::new();
    for (s, case) in specs.iter().zip(cases) {
        let d = s.spec.distribution();
        let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", s.name);
        let kappa = efftrade_rigorous::lemma3::slope_bound(d, SLOPE_PIECES, SLOPE_PREC)
            .map_err(|e| fail(&e))?
            .ok_or_else(|| {
                fail(&"no kappa > 0 with F(x) <= 1 - kappa (b - x) is proved (alpha > 1?)")
            })?;
        let e = BallEngine::new(d, SLOPE_PREC).map_err(|e| fail(&e))?;
        let p = SLOPE_PREC;
        let kappa_ball = efftrade_arb::Arb::from_float(&kappa);
        let bound =
            e.b.ball
                .sub(&e.a, p)
                .add(&efftrade_arb::Arb::from_i64(2).div(&kappa_ball, p), p);
        let top = bound
            .bounds()
            .map(|(_, hi)| hi.to_f64_round(rug::float::Round::Up))
            .filter(|t| t.is_finite())
            .ok_or_else(|| fail(&"the bound is not finite"))?;
        let (top, top_text) = three_digits(top, true);
        let max = case.result.as_ref().map(|t| t.max).unwrap_or(0.0);
        if max > top {
            return Err(fail(&format!(
                "a tabulated |T1| = {max} exceeds the bound {top_text}"
            )));
        }
        lines.push(Evidence::Finding(format!(
            "{}: F(x) <= 1 - kappa (b - x) on the support with kappa = {} (a lower bound proved \
             by balls on {SLOPE_PIECES} parts of the support); so |T1| <= (b - a) + 2/kappa <= \
             {} for every m",
            s.name,
            three_digits(kappa.to_f64_round(rug::float::Round::Down), false).1,
            top_text
        )));
        names.push(s.name.clone());
    }
    Ok((
        format!(
            "T1 is bounded for every m at {}: |T1| <= (b - a) + 2/kappa there. In the form T1 = b \
             - sum_i r_i v_i* - sum_i Int_(v_i*)^b F^(N-1) + (N - 1) Int_a^b F^N (the corrected \
             (T2-5) summed over the agents), b - sum_i r_i v_i* lies in [0, b - a] and each \
             integral term in [0, N Int_a^b F^(N-1)], which F <= 1 - kappa (b - x) bounds by \
             N/((N - 1) kappa) <= 2/kappa; kappa > 0 is proved by balls. The argument needs \
             alpha = 1 (kappa > 0), as at these markets.",
            names.join(", ")
        ),
        lines,
    ))
}

/// `x > 0` rounded outward (`up` or down) to three significant digits: a valid bound, printed.
fn three_digits(x: f64, up: bool) -> (f64, String) {
    let e = x.log10().floor() as i32 - 2;
    let scaled = x / 10f64.powi(e);
    let k = if up {
        (scaled * (1.0 + 1e-12)).ceil()
    } else {
        (scaled * (1.0 - 1e-12)).floor()
    };
    let digits = format!("{k:.0}");
    let text = efftrade_model::digits::layout_decimal(false, &digits, e + digits.len() as i32);
    (k * 10f64.powi(e), text)
}

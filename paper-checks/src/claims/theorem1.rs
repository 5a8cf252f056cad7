//! Theorem 1: trade can be efficient iff `(1 + beta/n) T1 + (beta/n) T2 >= 0` (T1-1). Checked
//! without the formula: the largest beta for which IC, IR and BB transfers exist for the
//! efficient allocation, found by linear programming on discretised types, must approach beta*.

use efftrade_mechanism::lp::convergence;
use efftrade_model::digits::round_f64;
use efftrade_model::{Distribution, Market};
use efftrade_numeric::Certified;
use efftrade_numeric::Provenance;
use efftrade_numeric::quantities::solve;

use super::markets::{SINE, UNIFORM, q};
use crate::claim::{Case, Claim, Evidence, Verdict, judge};
use crate::context::{Artefacts, Context, DIGITS, TableData};

/// Discretisation sizes of the LP (doubling, for the observed order and Richardson's limit).
pub const KS: [usize; 5] = [80, 160, 320, 640, 1280];
/// Largest relative gap between Richardson's limit of the LP cutoffs and beta* accepted.
pub const TOLERANCE: f64 = 0.005;

/// One market's comparison.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Which market.
    pub label: String,
    /// beta* from Theorem 1's formula.
    pub beta_star: f64,
    /// LP cutoffs per k (certified by the two solver tolerances).
    pub cutoffs: Vec<(usize, Option<Certified>)>,
    /// Richardson's limit.
    pub extrapolated: Option<Certified>,
    /// Largest IC/IR/BB violation of the LP solutions.
    pub max_violation: f64,
}

/// A certified value to at most 8 digits.
fn short(c: &Certified) -> String {
    c.to_decimal_at(c.digits().min(8))
}

/// The verdict: the discretised cutoffs converge to beta* for every market; a market whose
/// programs could not be run leaves the theorem not checked.
pub fn verdict(comparisons: &[Case<Comparison>]) -> Verdict {
    judge(
        comparisons,
        |c| {
            c.extrapolated.as_ref().is_some_and(|e| {
                e.digits() > 0
                    && ((e.value().to_f64() - c.beta_star) / c.beta_star).abs() < TOLERANCE
            }) && c.max_violation < 1e-6
        },
        Verdict::numerically(
            "the mechanism-design problem is infinite-dimensional; each linear program is a \
             discretisation on k quantile points, whose cutoffs reach beta* only as k -> \
             infinity, and the limit is extrapolated (an estimate). The exact side of the \
             equivalence rests on Lemmas 1, 4 and 5, checked above.",
        ),
        "the linear programs' cutoff does not approach beta*; see the evidence",
    )
}

/// The markets: the uniform's and the sine market's with the shares below when the specs hold
/// those distributions, else the user's own markets (at most three agents); and the paper's
/// distributions the specs lack.
fn markets(ctx: &Context) -> (Vec<(String, Distribution, Market)>, Vec<Evidence>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for (kind, label, shares) in [
        (
            &UNIFORM,
            "uniform, shares (1/2, 1/2)",
            vec![q(1, 2), q(1, 2)],
        ),
        (
            &UNIFORM,
            "uniform, shares (0.5, 0.3, 0.2)",
            vec![q(1, 2), q(3, 10), q(1, 5)],
        ),
        (&SINE, "sine, shares (1/2, 1/2)", vec![q(1, 2), q(1, 2)]),
    ] {
        match (ctx.find(kind), Market::from_shares(&shares)) {
            (Some(s), Ok(m)) => out.push((label.to_string(), s.spec.distribution().clone(), m)),
            (None, _) => missing.push(Evidence::Missing {
                what: kind.what.to_string(),
            }),
            _ => {}
        }
    }
    missing.dedup();
    if out.is_empty() {
        out = ctx.user_markets(3, 3);
    }
    (out, missing)
}

/// One market's comparison, or what failed.
fn compare(label: String, dist: &Distribution, market: &Market) -> Case<Comparison> {
    let run = || -> Result<Comparison, String> {
        let star = solve(dist, market, None, DIGITS)
            .map_err(|e| format!("beta* could not be computed: {e}"))?
            .beta_star
            .ok_or("T1 < 0: there is no beta* to approach")?;
        let conv = convergence(dist, market, &KS)
            .map_err(|e| format!("the linear programs failed: {e}"))?;
        Ok(Comparison {
            label: label.clone(),
            beta_star: star.value().to_f64(),
            cutoffs: conv.cutoffs.iter().map(|c| (c.k, c.beta.clone())).collect(),
            extrapolated: conv.extrapolated.clone(),
            max_violation: conv
                .cutoffs
                .iter()
                .map(|c| c.max_violation)
                .fold(0.0, f64::max),
        })
    };
    let result = run();
    Case { label, result }
}

/// Runs the linear programs on the markets the specs hold; also the markets they lack.
pub fn comparisons(ctx: &Context) -> (Vec<Case<Comparison>>, Vec<Evidence>) {
    let (markets, missing) = markets(ctx);
    let cases = markets
        .into_iter()
        .map(|(label, dist, market)| compare(label, &dist, &market))
        .collect();
    (cases, missing)
}

/// Theorem 1's claim.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<Claim> {
    let (comps, missing) = comparisons(ctx);
    let mut evidence = Vec::new();
    let mut rows = Vec::new();
    for c in comps.iter().filter_map(|c| c.result.as_ref().ok()) {
        let cut: Vec<String> = c
            .cutoffs
            .iter()
            .map(|(k, b)| match b {
                Some(b) => format!("k = {k}: {}", short(b)),
                None => format!("k = {k}: none"),
            })
            .collect();
        evidence.push(Evidence::Finding(format!(
            "{}: beta* = {:.10}; LP cutoffs {}; Richardson's limit {}; largest IC/IR/BB violation \
             of the LP solutions {}",
            c.label,
            c.beta_star,
            cut.join(", "),
            c.extrapolated
                .as_ref()
                .map_or_else(|| "none".to_string(), short),
            if c.max_violation < 1e-9 {
                "below 1e-9".to_string()
            } else {
                round_f64(c.max_violation, 2)
            }
        )));
        let mut row = vec![c.label.clone(), format!("{:.10}", c.beta_star)];
        row.extend(
            c.cutoffs
                .iter()
                .map(|(_, b)| b.as_ref().map_or_else(|| "--".to_string(), short)),
        );
        row.push(
            c.extrapolated
                .as_ref()
                .map_or_else(|| "--".to_string(), short),
        );
        rows.push(row);
    }
    evidence.extend(comps.iter().filter_map(Case::failure));
    evidence.extend(missing);
    let mut headers = vec!["market".to_string(), "beta*".to_string()];
    headers.extend(KS.iter().map(|k| format!("LP k = {k}")));
    headers.push("Richardson".to_string());
    let numeric = std::iter::once(false)
        .chain(std::iter::repeat_n(true, headers.len() - 1))
        .collect();
    if !rows.is_empty() {
        art.tables.push(TableData {
            stem: "theorem1-lp".to_string(),
            caption: "Theorem 1 without its formula: the largest $\\beta$ admitting IC, IR and \
                      BB transfers for the efficient allocation on $k$ quantile points (linear \
                      programming), against $\\beta^*$"
                .to_string(),
            headers,
            numeric,
            rows,
        });
    }
    vec![Claim {
        certified: vec![Provenance::TwoPrecisions, Provenance::Extrapolated],
        id: "theorem1".to_string(),
        title: "Theorem 1".to_string(),
        statement: "In a market (n, r, F) with interdependence beta, the good can be traded \
                    efficiently iff (1 + beta/n) T1 + (beta/n) T2 >= 0 (T1-1), i.e. iff beta lies \
                    in [0, beta*] with beta* = -n T1 / (T1 + T2)."
            .to_string(),
        method: format!(
            "Independent of the formula: for the efficient allocation on k quantile midpoints of \
             F, the largest beta for which Bayesian IC, interim IR and ex-post budget-balanced \
             transfers exist, by linear programming (clarabel), for k = {KS:?}; the cutoffs' \
             limit (Richardson, observed order) must match beta* to {TOLERANCE} relative."
        ),
        evidence,
        verdict: verdict(&comps),
    }]
}

//! Theorem 1: trade can be efficient iff `(1 + beta/n) T1 + (beta/n) T2 >= 0` (T1-1). Checked
//! without the formula: the largest beta for which IC, IR and BB transfers exist for the
//! efficient allocation, found by linear programming on discretised types, must approach beta*.

use efftrade_mechanism::lp::convergence;
use efftrade_model::{BigRational, Market};
use efftrade_numeric::Certified;
use efftrade_numeric::quantities::solve;

use crate::claim::{Claim, Verdict};
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
    c.to_decimal_at(c.digits.min(8))
}

/// The verdict: the discretised cutoffs converge to beta* for every market.
pub fn verdict(comparisons: &[Comparison]) -> Verdict {
    let ok = !comparisons.is_empty()
        && comparisons.iter().all(|c| {
            c.extrapolated.as_ref().is_some_and(|e| {
                e.digits > 0 && ((e.value.to_f64() - c.beta_star) / c.beta_star).abs() < TOLERANCE
            }) && c.max_violation < 1e-6
        });
    if ok {
        Verdict::HoldsNumerically
    } else {
        Verdict::FailsAsPrinted {
            corrected: "the linear programs' cutoff does not approach beta*; see the evidence"
                .to_string(),
        }
    }
}

fn markets(ctx: &Context) -> Vec<(String, efftrade_model::Distribution, Market)> {
    let mut out = Vec::new();
    let half = BigRational::new(1.into(), 2.into());
    if let Some(u) = ctx.spec("example1-uniform.yaml") {
        let d = u.spec.distribution();
        if let Ok(m) = Market::from_shares(&[half.clone(), half.clone()]) {
            out.push(("uniform, shares (1/2, 1/2)".to_string(), d.clone(), m));
        }
        let shares: Vec<BigRational> = [(1, 2), (3, 10), (1, 5)]
            .iter()
            .map(|&(p, q)| BigRational::new(p.into(), q.into()))
            .collect();
        if let Ok(m) = Market::from_shares(&shares) {
            out.push(("uniform, shares (0.5, 0.3, 0.2)".to_string(), d.clone(), m));
        }
    }
    if let (Some(s), Ok(m)) = (
        ctx.spec("example1-sine-solved.yaml"),
        Market::from_shares(&[half.clone(), half]),
    ) {
        out.push((
            "sine, shares (1/2, 1/2)".to_string(),
            s.spec.distribution().clone(),
            m,
        ));
    }
    out
}

/// Runs the linear programs.
pub fn comparisons(ctx: &Context) -> Vec<Comparison> {
    markets(ctx)
        .into_iter()
        .filter_map(|(label, dist, market)| {
            let star = solve(&dist, &market, None, DIGITS).ok()?.beta_star?;
            let conv = convergence(&dist, &market, &KS).ok()?;
            Some(Comparison {
                label,
                beta_star: star.value.to_f64(),
                cutoffs: conv.cutoffs.iter().map(|c| (c.k, c.beta.clone())).collect(),
                extrapolated: conv.extrapolated.clone(),
                max_violation: conv
                    .cutoffs
                    .iter()
                    .map(|c| c.max_violation)
                    .fold(0.0, f64::max),
            })
        })
        .collect()
}

/// Theorem 1's claim.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<Claim> {
    let comps = comparisons(ctx);
    let mut evidence = Vec::new();
    let mut rows = Vec::new();
    for c in &comps {
        let cut: Vec<String> = c
            .cutoffs
            .iter()
            .map(|(k, b)| match b {
                Some(b) => format!("k = {k}: {}", short(b)),
                None => format!("k = {k}: none"),
            })
            .collect();
        evidence.push(format!(
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
                format!("{:.1e}", c.max_violation)
            }
        ));
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
    let mut headers = vec!["market".to_string(), "beta*".to_string()];
    headers.extend(KS.iter().map(|k| format!("LP k = {k}")));
    headers.push("Richardson".to_string());
    let numeric = std::iter::once(false)
        .chain(std::iter::repeat_n(true, headers.len() - 1))
        .collect();
    art.tables.push(TableData {
        stem: "theorem1-lp".to_string(),
        caption: "Theorem 1 without its formula: the largest beta admitting IC, IR and BB \
                  transfers for the efficient allocation on k quantile points (linear \
                  programming), against beta*"
            .to_string(),
        headers,
        numeric,
        rows,
    });
    vec![Claim {
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

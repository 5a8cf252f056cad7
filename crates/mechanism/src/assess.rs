//! Assessments of the markets of a spec, as typed records (serialised with serde): Lemma 1's
//! mechanism verified at a beta beside Theorem 1's prediction ([`Verification`]), and the LP
//! cutoffs beside `beta*` ([`LpAssessment`]). The pass rules of budget balance, incentive
//! compatibility and individual rationality, and the digits each number is certified to, are
//! decided here, once; front ends only render these records.
//!
//! Theorem 1's left-hand side `D = (1 + beta/n) T1 + (beta/n) T2` ((T1-1), in the form of the proof
//! of Theorem 2) comes from the numeric engine's one evaluation of it,
//! [`efftrade_numeric::quantities::theorem1_lhs`]: every agent's smallest interim IR slack under
//! Lemma 1's transfers is `D / n`, attained at its critical type.

use efftrade_model::{BigRational, Distribution, Market, Point, Spec};
use efftrade_numeric::certified::{Certified, bits_for_digits, format_decimal, round_decimal};
use efftrade_numeric::engine::Engine;
use efftrade_numeric::quantities::{solve, theorem1_lhs_within};
use rayon::prelude::*;
use rug::Float;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::lp::{Convergence, Cutoff, LpError, MAX_AGENTS, convergence};
use crate::transfer::{Lemma1, efficient_allocation};
use crate::verify::{Method, Report, Settings, verify};

/// Largest number of profiles [`transfer_grid`] computes per market.
pub const MAX_GRID_PROFILES: usize = 200_000;

/// The LP's discretisation sizes when none are asked for.
pub const DEFAULT_LP_SIZES: [usize; 5] = [10, 20, 40, 80, 160];

/// The working precision of the verification for `digits` printed digits.
pub fn precision(digits: u32) -> u32 {
    bits_for_digits(digits, 40).max(128)
}

/// The method's name in reports: `nested quadrature` or `quasi-Monte Carlo`.
pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::Nested => "nested quadrature",
        Method::QuasiMonteCarlo => "quasi-Monte Carlo",
    }
}

fn serialize_method<S: Serializer>(method: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(method_name(*method))
}

/// An upper bound on a magnitude, to one significant digit rounded up (`4.4e-39` -> `5e-39`).
pub fn upper_bound(x: &Float) -> String {
    let x = x.to_f64().abs();
    if x == 0.0 {
        return "0".into();
    }
    let mut e = x.log10().floor() as i32;
    let mut m = (x / 10f64.powi(e) * (1.0 + 1e-12)).ceil() as u32;
    if m >= 10 {
        m = 1;
        e += 1;
    }
    format_decimal(false, &m.to_string(), e + 1)
}

/// Lemma 1's mechanism in one market at one beta, verified from its payoffs
/// ([`crate::verify`]), with the pass rules applied and Theorem 1's prediction beside it.
///
/// Serialised (field names as below) every number is a decimal string: certified digits for
/// [`Certified`] fields, one significant digit rounded up for bounds, and grid types (labels, not
/// quantities) rounded to the digits asked for.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// How the interim expectations were computed.
    #[serde(serialize_with = "serialize_method")]
    pub method: Method,
    /// Types per agent on the grid (before the critical types are added).
    pub grid: usize,
    /// Random profiles of the budget-balance check.
    pub bb_profiles: usize,
    /// An upper bound on `|Σ t_i|` at the random profiles.
    pub bb_max_residual: String,
    /// An upper bound on the largest `|t_i|` seen there.
    pub bb_scale: String,
    /// Ex-post budget balance: the residual is at the rounding-noise level of the working
    /// precision.
    pub bb_ok: bool,
    /// The largest gain from misreporting on the grid (negative: none pays), to the digits its
    /// error bar leaves.
    pub ic_max_gain: Certified,
    /// The agent (1-based) of the largest gain.
    pub ic_agent: usize,
    /// Its type.
    pub ic_type: String,
    /// Its report.
    pub ic_report: String,
    /// Interim IC: no gain exceeds the error bar.
    pub ic_ok: bool,
    /// The smallest interim IR slack on the grid, to the digits its error bar leaves.
    pub ir_min_slack: Certified,
    /// The agent (1-based) of the smallest slack.
    pub ir_min_agent: usize,
    /// Its type.
    pub ir_min_type: String,
    /// That agent's critical type `v* = F^-1(r^(1/(n-1)))`.
    pub ir_critical_type: String,
    /// Whether the smallest slack is, within twice the error bar, the slack at the critical type.
    pub ir_min_at_critical: bool,
    /// Interim IR: the smallest slack is non-negative within the error bar.
    pub ir_ok: bool,
    /// Theorem 1's prediction of the smallest slack, `D / n` with `D` its left-hand side.
    pub ir_min_slack_predicted: Option<Certified>,
    /// Theorem 1's left-hand side `D = (1 + beta/n) T1 + (beta/n) T2` (T1-1).
    pub theorem1_lhs: Option<Certified>,
    /// `beta* = -n T1 / (T1 + T2)` from the engine (`None` when `T1 < 0`).
    pub beta_star: Option<Certified>,
    /// An upper bound on the error bar of the gains and slacks.
    pub error_bar: String,
    /// Quasi-Monte Carlo only: the largest gain as an estimate to two significant digits, to be
    /// read with the error bar (its certified digits may be none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ic_max_gain_estimate: Option<String>,
    /// Quasi-Monte Carlo only: the smallest slack as such an estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ir_min_slack_estimate: Option<String>,
}

impl Verification {
    /// Whether the mechanism passed every check: budget balance, IC and IR.
    pub fn passed(&self) -> bool {
        self.bb_ok && self.ic_ok && self.ir_ok
    }

    /// The verifier's report reduced to its verdicts, at `prec` bits, numbers to `digits`.
    fn from_report(report: &Report, settings: &Settings, digits: u32, prec: u32) -> Verification {
        let error = report.error();
        let noise = Float::with_val(prec, &report.bb_scale + 1u32)
            * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 8));
        let (gain, gk, v, w) = report.ic_max_gain();
        let (slack, sk, at) = report.ir_min_slack();
        let class = &report.agents[sk];
        let minus_error = Float::with_val(prec, -&error);
        // A quadrature's error bar is deterministic and small: a value within it of zero is 0.
        let nested = report.method == Method::Nested;
        let qmc = report.method == Method::QuasiMonteCarlo;
        Verification {
            method: report.method,
            grid: settings.grid,
            bb_profiles: settings.profiles,
            bb_max_residual: upper_bound(&report.bb_max_residual),
            bb_scale: upper_bound(&report.bb_scale),
            bb_ok: report.bb_max_residual <= noise,
            ic_ok: gain <= error,
            ic_max_gain: Certified::within(&gain, &error, digits, nested),
            ic_agent: report.agents[gk].agent + 1,
            ic_type: round_decimal(&v, digits),
            ic_report: round_decimal(&w, digits),
            ir_ok: slack >= minus_error,
            ir_min_slack: Certified::within(&slack, &error, digits, nested),
            ir_min_agent: class.agent + 1,
            ir_min_type: round_decimal(&at, digits),
            ir_critical_type: round_decimal(&class.critical, digits),
            ir_min_at_critical: Float::with_val(prec, &class.slack_at_critical - &slack).abs()
                <= Float::with_val(prec, &error * 2u32),
            ir_min_slack_predicted: None,
            theorem1_lhs: None,
            beta_star: None,
            error_bar: upper_bound(&error),
            ic_max_gain_estimate: qmc.then(|| round_decimal(&gain, 2)),
            ir_min_slack_estimate: qmc.then(|| round_decimal(&slack, 2)),
        }
    }
}

/// Builds Lemma 1's mechanism for `market` at `beta` and verifies it ([`Verification`]), with
/// Theorem 1's left-hand side, its predicted smallest slack and `beta*` to `digits` digits.
pub fn verify_market(
    dist: &Distribution,
    market: &Market,
    beta: &BigRational,
    settings: &Settings,
    digits: u32,
) -> Result<Verification, String> {
    let prec = precision(digits);
    let mut mech = Lemma1::new(dist, market, beta, prec).map_err(|e| e.to_string())?;
    let report =
        verify(&mut mech, dist, market, beta, prec, settings).map_err(|e| e.to_string())?;
    let mut verification = Verification::from_report(&report, settings, digits, prec);
    // Two digits beyond those printed, so that dividing by n keeps `digits` certain.
    let (lhs, beta_star) = match solve(dist, market, Some(beta), digits + 2) {
        Ok(solution) => (solution.lhs, solution.beta_star),
        // Theorem 1's left-hand side has no certain significant digit when it vanishes (beta
        // exactly beta*): bound it from the certified T1 and T2 instead.
        Err(_) => {
            let solution = solve(dist, market, None, digits + 2).map_err(|e| e.to_string())?;
            let lhs = theorem1_lhs_within(&solution.t1, &solution.t2, beta, market.n(), digits);
            (Some(lhs), solution.beta_star)
        }
    };
    verification.ir_min_slack_predicted = lhs.as_ref().map(|l| {
        // (An owned right operand would set the quotient's precision: divide by one at the
        // value's own.)
        let p = l.value().prec();
        Certified::derived(
            Float::with_val(p, l.value() / Float::with_val(p, market.n())),
            l.digits().saturating_sub(1).min(digits),
            &[l],
        )
    });
    verification.theorem1_lhs = lhs.map(|l| l.capped(digits));
    verification.beta_star = beta_star.map(|b| b.capped(digits));
    Ok(verification)
}

/// One market of a spec verified at a beta, with the LP cutoffs when asked for.
#[derive(Clone, Debug)]
pub struct Assessment {
    /// The grid point.
    pub point: Point,
    /// The beta verified.
    pub beta: BigRational,
    /// The verification, or why it could not be computed.
    pub verification: Result<Verification, String>,
    /// The LP cutoffs, when asked for.
    pub lp: Option<Result<Convergence, LpError>>,
}

impl Assessment {
    /// Whether something could not be computed (the verification or the LP).
    pub fn failed(&self) -> bool {
        self.verification.is_err() || matches!(self.lp, Some(Err(_)))
    }
}

/// Refuses a spec with a market of more than [`MAX_AGENTS`] agents (bad input: the mechanism's
/// constructions sum over ties of every agent).
pub fn check_agents(spec: &Spec) -> Result<(), String> {
    match spec.points().find(|p| p.market().n() > MAX_AGENTS) {
        Some(point) => Err(format!(
            "the mechanism handles markets of at most {MAX_AGENTS} agents; {} has {}",
            point.market(),
            point.market().n()
        )),
        None => Ok(()),
    }
}

/// Verifies Lemma 1's mechanism in every market of `spec` at `beta` (in parallel), with the LP
/// cutoffs for the sizes `ks` when given; `tick` after each market.
pub fn assess_spec(
    spec: &Spec,
    beta: &BigRational,
    ks: Option<&[usize]>,
    settings: &Settings,
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Vec<Assessment> {
    (0..spec.len())
        .into_par_iter()
        .filter_map(|i| spec.point(i))
        .map(|point| {
            let dist = spec.distribution();
            let verification = verify_market(dist, point.market(), beta, settings, digits);
            let lp = ks.map(|ks| convergence(dist, point.market(), ks));
            tick();
            Assessment {
                point,
                beta: beta.clone(),
                verification,
                lp,
            }
        })
        .collect()
}

/// One market's LP cutoffs (Theorem 1 without its formula) beside the engine's `beta*`.
#[derive(Clone, Debug)]
pub struct LpAssessment {
    /// The grid point.
    pub point: Point,
    /// `beta*` from Theorems 1 and 2 (`None` when `T1 < 0`), or why it could not be computed.
    pub beta_star: Result<Option<Certified>, String>,
    /// The cutoffs, their observed order and Richardson's limit, or why the LP failed.
    pub lp: Result<Convergence, LpError>,
}

impl LpAssessment {
    /// Whether something could not be computed (`beta*` or the LP).
    pub fn failed(&self) -> bool {
        self.lp.is_err() || self.beta_star.is_err()
    }
}

/// The LP cutoffs for the sizes `ks` and `beta*` to `digits` digits of every market of `spec`
/// (in parallel); `tick` after each market.
pub fn lp_spec(
    spec: &Spec,
    ks: &[usize],
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Vec<LpAssessment> {
    (0..spec.len())
        .into_par_iter()
        .filter_map(|i| spec.point(i))
        .map(|point| {
            let beta_star = solve(spec.distribution(), point.market(), None, digits)
                .map(|s| s.beta_star)
                .map_err(|e| e.to_string());
            let lp = convergence(spec.distribution(), point.market(), ks);
            tick();
            LpAssessment {
                point,
                beta_star,
                lp,
            }
        })
        .collect()
}

/// A violation as reported: an estimate to two significant digits, laid out by the one rule
/// for numbers (`3.2e-9`, `0.0015`; `0` for none).
pub fn violation_text(x: f64) -> String {
    efftrade_model::digits::round_f64(x, 2)
}

/// An observed order as reported: two decimals.
pub fn order_text(p: f64) -> String {
    format!("{p:.2}")
}

/// A cutoff serialises as `{k, lp_beta_cutoff, max_violation}`.
impl Serialize for Cutoff {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("k", &self.k)?;
        map.serialize_entry("lp_beta_cutoff", &self.beta)?;
        map.serialize_entry("max_violation", &violation_text(self.max_violation))?;
        map.end()
    }
}

/// The cutoffs serialise as `lp_beta_cutoff` and `lp_k` (those of the largest `k`), `lp_table`
/// (every cutoff), `lp_order` and `lp_extrapolated` (Richardson's limit, an estimate).
impl Serialize for Convergence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let last = self.cutoffs.last();
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("lp_beta_cutoff", &last.and_then(|l| l.beta.as_ref()))?;
        map.serialize_entry("lp_extrapolated", &self.extrapolated)?;
        map.serialize_entry("lp_k", &last.map(|l| l.k))?;
        map.serialize_entry("lp_order", &self.order.map(order_text))?;
        map.serialize_entry("lp_table", &self.cutoffs)?;
        map.end()
    }
}

/// Refuses `--grid` sizes for which a market of `spec` has more than [`MAX_GRID_PROFILES`]
/// profiles (bad input).
pub fn check_grid(spec: &Spec, grid: usize) -> Result<(), String> {
    for point in spec.points() {
        let n = point.market().n();
        let fits = u32::try_from(n)
            .ok()
            .and_then(|n| (grid as u128).checked_pow(n))
            .is_some_and(|p| p <= MAX_GRID_PROFILES as u128);
        if !fits {
            return Err(format!(
                "{grid}^{n} profiles for {} is more than {MAX_GRID_PROFILES}; use a smaller --grid",
                point.market()
            ));
        }
    }
    Ok(())
}

/// One agent's transfer at one profile of grid reports.
#[derive(Clone, Debug, Serialize)]
pub struct GridTransfer {
    /// The profile's index: agent `i`'s report is grid type `(profile / grid^(i-1)) mod grid`.
    pub profile: usize,
    /// The agent, 1-based.
    pub agent: usize,
    /// Its report (a grid type, rounded).
    pub report: String,
    /// Its share of the good under the efficient allocation (rounded).
    pub allocation: String,
    /// Its transfer, to the digits on which two working precisions agree.
    pub transfer: Certified,
}

/// Lemma 1's transfer rule in `market` at `beta` at every profile of `grid` equally spaced
/// types per agent (at most [`MAX_GRID_PROFILES`] profiles), each transfer computed at two
/// working precisions and certified to the digits they agree on (up to `digits`).
pub fn transfer_grid(
    dist: &Distribution,
    market: &Market,
    beta: &BigRational,
    grid: usize,
    digits: u32,
) -> Result<Vec<GridTransfer>, String> {
    let prec = precision(digits);
    let n = market.n() as usize;
    let profiles = u32::try_from(n)
        .ok()
        .and_then(|n| grid.checked_pow(n))
        .filter(|&p| p <= MAX_GRID_PROFILES && grid >= 2)
        .ok_or_else(|| format!("{grid}^{n} profiles: use a grid of 2 types or more, and fewer"))?;
    let mut coarse = Lemma1::new(dist, market, beta, prec).map_err(|e| e.to_string())?;
    let mut fine = Lemma1::new(dist, market, beta, prec + 32).map_err(|e| e.to_string())?;
    let support = |p: u32| -> Result<(Float, Float), String> {
        let e = Engine::new(dist, p).map_err(|e| e.to_string())?;
        Ok((e.a.clone(), e.b.clone()))
    };
    let (a, b) = support(prec + 32)?;
    let (ac, bc) = support(prec)?;
    // A transfer that is zero (an agent tied at the bottom of a symmetric market, say) is
    // computed as rounding noise at both precisions: below the noise it is 0.
    let noise = Float::with_val(prec, b.clone().abs() + 1u32)
        * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 24));
    let zero = Certified::exact(&BigRational::from_integer(0.into()), digits);
    let mut rows = Vec::with_capacity(profiles * n);
    for p in 0..profiles {
        let mut index = p;
        let fine_reports: Vec<Float> = (0..n)
            .map(|_| {
                let k = (index % grid) as u32;
                index /= grid;
                let width = Float::with_val(prec + 32, &b - &a);
                Float::with_val(prec + 32, &a + width * k / (grid as u32 - 1))
            })
            .collect();
        // Rounded to the coarse precision, within the support as the coarse run knows it.
        let coarse_reports: Vec<Float> = fine_reports
            .iter()
            .map(|x| Float::with_val(prec, x).max(&ac).min(&bc))
            .collect();
        let tc = coarse
            .transfers(&coarse_reports)
            .map_err(|e| e.to_string())?;
        let tf = fine.transfers(&fine_reports).map_err(|e| e.to_string())?;
        let s = efficient_allocation(&fine_reports);
        for i in 0..n {
            let transfer = if tf[i].clone().abs() <= noise && tc[i].clone().abs() <= noise {
                zero.clone()
            } else {
                Certified::from_pair(&tc[i], &tf[i], digits)
            };
            rows.push(GridTransfer {
                profile: p,
                agent: i + 1,
                report: round_decimal(&fine_reports[i], digits),
                allocation: round_decimal(&s[i], digits),
                transfer,
            });
        }
    }
    Ok(rows)
}

//! `efftrade mechanism SPEC --beta B`: Lemma 1's mechanism built and verified from its payoffs
//! for every market of a spec, beside Theorem 1's prediction (and, with `--lp`, the LP cutoff).

use efftrade_mechanism::verify::{Method, Report, Settings, verify};
use efftrade_mechanism::{Convergence, Lemma1, LpError, convergence, efficient_allocation};
use efftrade_model::{BigRational, Point, Spec};
use efftrade_numeric::certified::{Certified, bits_for_digits, format_decimal};
use efftrade_numeric::quantities::solve;
use rayon::prelude::*;
use rug::Float;
use rug::ops::Pow;
use serde_json::{Value, json};

use crate::output::{Format, aligned, exact, join_csv, math, shares_compact};

/// Largest number of profiles `--grid-csv` writes per market.
pub const MAX_GRID_PROFILES: usize = 200_000;

/// The verification of one market point, reduced to printable numbers.
pub struct Summary {
    /// How the interim expectations were computed.
    pub method: Method,
    /// Types per agent on the grid (before the critical types are added).
    pub grid: usize,
    /// Random profiles of the BB check.
    pub profiles: usize,
    /// An upper bound on `|Σ t_i|` at the random profiles.
    pub bb_max_residual: String,
    /// The largest `|t_i|` seen there.
    pub bb_scale: String,
    /// Whether the residual is at the rounding-noise level of the working precision.
    pub bb_ok: bool,
    /// The largest gain from misreporting on the grid, certified by its error bar.
    pub ic_max_gain: Certified,
    /// Where: agent (1-based), type, report.
    pub ic_at: (usize, Certified, Certified),
    /// Whether no gain exceeds the error bar.
    pub ic_ok: bool,
    /// The smallest IR slack, certified by its error bar.
    pub ir_min_slack: Certified,
    /// Where: agent (1-based) and type.
    pub ir_min_at: (usize, Certified),
    /// That agent's critical type.
    pub ir_critical: Certified,
    /// Whether the minimum is (within the error bar) the slack at the critical type.
    pub ir_min_at_critical: bool,
    /// Whether the smallest slack is non-negative within the error bar.
    pub ir_ok: bool,
    /// `((1 + beta/n) T1 + (beta/n) T2) / n` from the engine.
    pub ir_min_slack_predicted: Option<Certified>,
    /// Theorem 1's left-hand side from the engine.
    pub theorem1_lhs: Option<Certified>,
    /// `beta*` from the engine (`None` when `T1 < 0`).
    pub beta_star: Option<Certified>,
    /// The largest error bar of the gains and slacks.
    pub error_bar: String,
    /// Quasi-Monte Carlo only: the largest gain and the smallest slack as estimates to two
    /// significant digits, to be read with the error bar (their certified digits may be none).
    pub estimates: Option<(String, String)>,
}

/// One market point: the verification and the optional LP cutoffs.
pub struct Verified {
    /// The grid point.
    pub point: Point,
    /// The beta verified.
    pub beta: BigRational,
    /// The summary, or why it failed.
    pub result: Result<Summary, String>,
    /// The LP cutoffs, when asked for.
    pub lp: Option<Result<Convergence, LpError>>,
}

/// The working precision for `digits` printed digits.
pub fn precision(digits: u32) -> u32 {
    bits_for_digits(digits, 40).max(128)
}

/// An upper bound on a magnitude, to one significant digit rounded up (`4.4e-39` -> `5e-39`).
fn bound(x: &Float) -> String {
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

/// A value known to within `error`: the digits on which `value - error` and `value + error`
/// agree, or 0 when the value is zero within its error (the error is printed beside it).
fn within(value: &Float, error: &Float, digits: u32) -> Certified {
    within_or(value, error, digits, true)
}

/// [`within`], printing a value that is zero within its error as 0 only when `zero` (a small,
/// deterministic error bar); else it has no certified digit.
fn within_or(value: &Float, error: &Float, digits: u32, zero: bool) -> Certified {
    let prec = value.prec();
    // Rounding noise of the working precision on top of the error bar.
    let noise = Float::with_val(prec, value.clone().abs() + 1u32)
        * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 16));
    let e = Float::with_val(prec, error + &noise);
    if zero && Float::with_val(prec, value.abs_ref()) <= e {
        return Certified {
            value: Float::new(prec),
            digits,
        };
    }
    let mut c = Certified::from_pair(
        &Float::with_val(prec, value - &e),
        &Float::with_val(prec, value + &e),
        digits,
    );
    c.value = value.clone();
    c
}

fn labelled(x: &Float, digits: u32) -> Certified {
    Certified {
        value: x.clone(),
        digits,
    }
}

fn summarise(report: &Report, settings: &Settings, digits: u32, prec: u32) -> Summary {
    let error = report.error();
    let noise = Float::with_val(prec, &report.bb_scale + 1u32)
        * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 8));
    let (gain, gk, v, w) = report.ic_max_gain();
    let (slack, sk, at) = report.ir_min_slack();
    let class = &report.agents[sk];
    let minus_error = Float::with_val(prec, -&error);
    Summary {
        method: report.method,
        grid: settings.grid,
        profiles: settings.profiles,
        bb_max_residual: bound(&report.bb_max_residual),
        bb_scale: bound(&report.bb_scale),
        bb_ok: report.bb_max_residual <= noise,
        ic_ok: gain <= error,
        ic_max_gain: within_or(&gain, &error, digits, report.method == Method::Nested),
        ic_at: (
            report.agents[gk].agent + 1,
            labelled(&v, digits),
            labelled(&w, digits),
        ),
        ir_ok: slack >= minus_error,
        ir_min_slack: within_or(&slack, &error, digits, report.method == Method::Nested),
        ir_min_at: (class.agent + 1, labelled(&at, digits)),
        ir_critical: labelled(&class.critical, digits),
        ir_min_at_critical: Float::with_val(prec, &class.slack_at_critical - &slack).abs()
            <= Float::with_val(prec, &error * 2u32),
        ir_min_slack_predicted: None,
        theorem1_lhs: None,
        beta_star: None,
        error_bar: bound(&error),
        estimates: (report.method == Method::QuasiMonteCarlo).then(|| {
            let two = |x: &Float| {
                Certified {
                    value: x.clone(),
                    digits: 2,
                }
                .to_decimal()
            };
            (two(&gain), two(&slack))
        }),
    }
}

/// Verifies one market point at `beta`.
fn verify_point(
    spec: &Spec,
    point: &Point,
    beta: &BigRational,
    settings: &Settings,
    digits: u32,
) -> Result<Summary, String> {
    let prec = precision(digits);
    let dist = spec.distribution();
    let market = point.market();
    let mut mech = Lemma1::new(dist, market, beta, prec).map_err(|e| e.to_string())?;
    let report =
        verify(&mut mech, dist, market, beta, prec, settings).map_err(|e| e.to_string())?;
    let mut summary = summarise(&report, settings, digits, prec);
    let cap = |c: Certified| Certified {
        digits: c.digits.min(digits),
        value: c.value,
    };
    // Two digits beyond those printed, so that dividing by n keeps `digits` certain.
    let (lhs, beta_star) = match solve(dist, market, Some(beta), digits + 2) {
        Ok(solution) => (solution.lhs, solution.beta_star),
        // Theorem 1's left-hand side has no certain significant digit when it vanishes (beta
        // exactly beta*): bound it from the certified T1 and T2 instead.
        Err(_) => {
            let solution = solve(dist, market, None, digits + 2).map_err(|e| e.to_string())?;
            (
                Some(lhs_from_parts(
                    &solution.t1,
                    &solution.t2,
                    beta,
                    market.n(),
                    digits,
                )),
                solution.beta_star,
            )
        }
    };
    summary.ir_min_slack_predicted = lhs.as_ref().map(|l| {
        // (An owned right operand would set the quotient's precision: divide by one at the
        // value's own.)
        let p = l.value.prec();
        Certified {
            value: Float::with_val(p, &l.value / Float::with_val(p, market.n())),
            digits: l.digits.saturating_sub(1).min(digits),
        }
    });
    summary.theorem1_lhs = lhs.map(cap);
    summary.beta_star = beta_star.map(cap);
    Ok(summary)
}

/// `(1 + beta/n) T1 + (beta/n) T2` from certified `T1` and `T2`, known to within the sum of
/// their last certified digits' units (scaled): 0 when it vanishes within that bound.
fn lhs_from_parts(
    t1: &Certified,
    t2: &Certified,
    beta: &BigRational,
    n: u128,
    digits: u32,
) -> Certified {
    let p = t1.value.prec().max(t2.value.prec());
    let b_over_n =
        Float::with_val(p, efftrade_numeric::program::to_rug(beta)) / Float::with_val(p, n);
    let one_plus = Float::with_val(p, &b_over_n + 1u32);
    let value =
        Float::with_val(p, &one_plus * &t1.value) + Float::with_val(p, &b_over_n * &t2.value);
    // A certified d-digit value is within one unit of its d-th digit.
    let unit = |c: &Certified| {
        Float::with_val(p, c.value.abs_ref())
            * Float::with_val(
                p,
                Float::with_val(p, 10u32).pow(1 - c.digits.min(1_000) as i32),
            )
    };
    let error = Float::with_val(p, &one_plus * unit(t1)) + Float::with_val(p, &b_over_n * unit(t2));
    within(&value, &error, digits)
}

/// Verifies every point of `spec` at `beta` (in parallel), with LP cutoffs for `ks` when given;
/// `tick` after each point.
pub fn evaluate(
    spec: &Spec,
    beta: &BigRational,
    ks: Option<&[usize]>,
    settings: &Settings,
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Vec<Verified> {
    (0..spec.len())
        .into_par_iter()
        .filter_map(|i| spec.point(i))
        .map(|point| {
            let result = verify_point(spec, &point, beta, settings, digits);
            let lp = ks.map(|ks| convergence(spec.distribution(), point.market(), ks));
            tick();
            Verified {
                point,
                beta: beta.clone(),
                result,
                lp,
            }
        })
        .collect()
}

fn opt(c: &Option<Certified>) -> Value {
    json!(c.as_ref().map(Certified::to_decimal))
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Nested => "nested quadrature",
        Method::QuasiMonteCarlo => "quasi-Monte Carlo",
    }
}

fn lp_cutoff(v: &Verified) -> Option<(Option<String>, usize)> {
    match &v.lp {
        Some(Ok(c)) => c
            .cutoffs
            .last()
            .map(|l| (l.beta.as_ref().map(Certified::to_decimal), l.k)),
        _ => None,
    }
}

/// The JSON object of one point.
pub fn json_line(description: &str, v: &Verified, digits: u32) -> Value {
    let mut obj = json!({
        "description": description,
        "n": v.point.market().n().to_string(),
        "shares": shares_compact(v.point.market(), digits),
        "beta": exact(&v.beta, digits),
    });
    let map = obj.as_object_mut().expect("an object");
    match &v.result {
        Ok(s) => {
            let entries = [
                ("method", json!(method_name(s.method))),
                ("grid", json!(s.grid)),
                ("bb_profiles", json!(s.profiles)),
                ("bb_max_residual", json!(s.bb_max_residual)),
                ("bb_scale", json!(s.bb_scale)),
                ("bb_ok", json!(s.bb_ok)),
                ("ic_max_gain", json!(s.ic_max_gain.to_decimal())),
                ("ic_agent", json!(s.ic_at.0)),
                ("ic_type", json!(s.ic_at.1.to_decimal())),
                ("ic_report", json!(s.ic_at.2.to_decimal())),
                ("ic_ok", json!(s.ic_ok)),
                ("ir_min_slack", json!(s.ir_min_slack.to_decimal())),
                ("ir_min_agent", json!(s.ir_min_at.0)),
                ("ir_min_type", json!(s.ir_min_at.1.to_decimal())),
                ("ir_critical_type", json!(s.ir_critical.to_decimal())),
                ("ir_min_at_critical", json!(s.ir_min_at_critical)),
                ("ir_ok", json!(s.ir_ok)),
                ("ir_min_slack_predicted", opt(&s.ir_min_slack_predicted)),
                ("theorem1_lhs", opt(&s.theorem1_lhs)),
                ("beta_star", opt(&s.beta_star)),
                ("error_bar", json!(s.error_bar)),
            ];
            for (k, val) in entries {
                map.insert(k.into(), val);
            }
            if let Some((gain, slack)) = &s.estimates {
                map.insert("ic_max_gain_estimate".into(), json!(gain));
                map.insert("ir_min_slack_estimate".into(), json!(slack));
            }
        }
        Err(e) => {
            map.insert("error".into(), json!(e));
        }
    }
    if v.lp.is_some() {
        let (cut, k) = lp_cutoff(v).unwrap_or((None, 0));
        map.insert("lp_beta_cutoff".into(), json!(cut));
        map.insert("lp_k".into(), json!(k));
        if let Some(Err(e)) = &v.lp {
            map.insert("lp_error".into(), json!(e.to_string()));
        }
    }
    obj
}

/// The columns of the CSV output.
const CSV_COLUMNS: [&str; 23] = [
    "method",
    "grid",
    "bb_profiles",
    "bb_max_residual",
    "bb_scale",
    "bb_ok",
    "ic_max_gain",
    "ic_agent",
    "ic_type",
    "ic_report",
    "ic_ok",
    "ir_min_slack",
    "ir_min_agent",
    "ir_min_type",
    "ir_critical_type",
    "ir_min_at_critical",
    "ir_ok",
    "ir_min_slack_predicted",
    "theorem1_lhs",
    "beta_star",
    "error_bar",
    "lp_beta_cutoff",
    "lp_k",
];

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Renders the verifications.
pub fn render(format: Format, description: &str, all: &[Verified], digits: u32) -> String {
    let mut out = String::new();
    match format {
        Format::Json => {
            for v in all {
                out.push_str(&json_line(description, v, digits).to_string());
                out.push('\n');
            }
        }
        Format::Csv => {
            out.push_str("description,n,shares,beta,");
            out.push_str(&CSV_COLUMNS.join(","));
            out.push_str(",error\n");
            for v in all {
                let obj = json_line(description, v, digits);
                let mut fields: Vec<String> = ["description", "n", "shares", "beta"]
                    .iter()
                    .chain(CSV_COLUMNS.iter())
                    .chain(["error"].iter())
                    .map(|k| text(&obj[*k]))
                    .collect();
                if fields.last().is_some_and(String::is_empty)
                    && let Some(e) = obj.get("lp_error")
                {
                    *fields.last_mut().expect("a field") = text(e);
                }
                out.push_str(&join_csv(&fields));
                out.push('\n');
            }
        }
        Format::Table | Format::Latex => {
            let latex = format == Format::Latex;
            if latex {
                out.push_str(&format!(
                    "% {description}\n\\begin{{tabular}}{{rllllll}}\n\\toprule\n$n$ & shares & $\\beta$ & BB residual & largest IC gain & min IR slack & predicted \\\\\n\\midrule\n"
                ));
            } else {
                out.push_str(description);
                out.push('\n');
            }
            for v in all {
                let head = format!(
                    "{} agents, shares {}, beta = {}",
                    v.point.market().n(),
                    shares_compact(v.point.market(), 6),
                    exact(&v.beta, digits)
                );
                let s = match &v.result {
                    Ok(s) => s,
                    Err(e) => {
                        if latex {
                            out.push_str(&format!("% {head}: error: {e}\n"));
                        } else {
                            out.push_str(&format!("\n{head}\nerror: {e}\n"));
                        }
                        continue;
                    }
                };
                let predicted = s
                    .ir_min_slack_predicted
                    .as_ref()
                    .map_or("?".to_string(), Certified::to_decimal);
                if latex {
                    out.push_str(&format!(
                        "{} & {} & {} & {} & {} & {} & {} \\\\\n",
                        v.point.market().n(),
                        shares_compact(v.point.market(), 6),
                        math(&exact(&v.beta, digits)),
                        math(&s.bb_max_residual),
                        math(&s.ic_max_gain.to_decimal()),
                        math(&s.ir_min_slack.to_decimal()),
                        math(&predicted)
                    ));
                    continue;
                }
                let star = match (&s.beta_star, &s.theorem1_lhs) {
                    (Some(b), _) => format!("beta* = {b}"),
                    (None, _) => "T1 < 0: no beta allows efficient trade".into(),
                };
                out.push_str(&format!("\n{head} ({star}; {})\n", method_name(s.method)));
                let mark = |ok: bool| if ok { "ok" } else { "FAILS" };
                let rows = vec![
                    vec!["check".into(), "result".into(), "".into(), "where".into()],
                    vec![
                        "ex-post BB".into(),
                        mark(s.bb_ok).into(),
                        format!("max |sum t_i| <= {}", s.bb_max_residual),
                        format!(
                            "{} random profiles, largest |t_i| {}",
                            s.profiles, s.bb_scale
                        ),
                    ],
                    vec![
                        "interim IC".into(),
                        mark(s.ic_ok).into(),
                        match &s.estimates {
                            Some((gain, _)) => format!(
                                "largest gain {} (estimate {gain} +- {})",
                                s.ic_max_gain, s.error_bar
                            ),
                            None => format!("largest gain {}", s.ic_max_gain),
                        },
                        format!(
                            "agent {}, type {} reporting {}",
                            s.ic_at.0, s.ic_at.1, s.ic_at.2
                        ),
                    ],
                    vec![
                        "interim IR".into(),
                        mark(s.ir_ok).into(),
                        match &s.estimates {
                            Some((_, slack)) => format!(
                                "smallest slack {} (estimate {slack} +- {})",
                                s.ir_min_slack, s.error_bar
                            ),
                            None => format!("smallest slack {}", s.ir_min_slack),
                        },
                        format!(
                            "agent {}, type {}{}",
                            s.ir_min_at.0,
                            s.ir_min_at.1,
                            if s.ir_min_at_critical {
                                format!(" (its critical type v* = {})", s.ir_critical)
                            } else {
                                format!(" (NOT its critical type {})", s.ir_critical)
                            }
                        ),
                    ],
                    vec![
                        "predicted".into(),
                        String::new(),
                        format!("slack {predicted}"),
                        "((1 + beta/n) T1 + (beta/n) T2) / n (Theorem 1)".into(),
                    ],
                ];
                out.push_str(&aligned(&rows));
                out.push_str(&format!("error bar of gains and slacks: {}\n", s.error_bar));
                if let Some(lp) = &v.lp {
                    match lp {
                        Ok(_) => {
                            let (cut, k) = lp_cutoff(v).unwrap_or((None, 0));
                            out.push_str(&format!(
                                "LP cutoff on {k} points: {}\n",
                                cut.unwrap_or_else(|| "infeasible".into())
                            ));
                        }
                        Err(e) => out.push_str(&format!("LP: error: {e}\n")),
                    }
                }
            }
            if latex {
                out.push_str("\\bottomrule\n\\end{tabular}\n");
            }
        }
    }
    out
}

/// Refuses `--grid-csv` when a market's grid has more than [`MAX_GRID_PROFILES`] profiles.
pub fn check_grid(spec: &Spec, grid: usize) -> Result<(), String> {
    for point in spec.points() {
        let n = point.market().n();
        let fits = u32::try_from(n)
            .ok()
            .and_then(|n| (grid as u128).checked_pow(n))
            .is_some_and(|p| p <= MAX_GRID_PROFILES as u128);
        if !fits {
            return Err(format!(
                "--grid-csv: {grid}^{n} profiles for {} is more than {MAX_GRID_PROFILES}; use a smaller --grid",
                point.market()
            ));
        }
    }
    Ok(())
}

/// The transfer rule of every market of `spec` on the grid of `grid` types per agent, as CSV in
/// long form (`point,n,profile,agent,report,allocation,transfer`), each transfer computed at two
/// working precisions and printed to the digits they agree on.
pub fn grid_csv(
    spec: &Spec,
    beta: &BigRational,
    grid: usize,
    digits: u32,
) -> Result<String, String> {
    let prec = precision(digits);
    let mut out = String::from("point,n,shares,beta,profile,agent,report,allocation,transfer\n");
    check_grid(spec, grid)?;
    for point in spec.points() {
        let n = point.market().n() as usize;
        let profiles = grid.pow(n as u32);
        let dist = spec.distribution();
        let mut coarse =
            Lemma1::new(dist, point.market(), beta, prec).map_err(|e| e.to_string())?;
        let mut fine =
            Lemma1::new(dist, point.market(), beta, prec + 32).map_err(|e| e.to_string())?;
        let support = |p: u32| -> Result<(Float, Float), String> {
            let e = efftrade_numeric::engine::Engine::new(dist, p).map_err(|e| e.to_string())?;
            Ok((e.a.clone(), e.b.clone()))
        };
        let (a, b) = support(prec + 32)?;
        let (ac, bc) = support(prec)?;
        let shares = shares_compact(point.market(), digits);
        let beta_text = exact(beta, digits);
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
                let mut t = Certified::from_pair(&tc[i], &tf[i], digits);
                // A transfer that is zero (an agent tied at the bottom of a symmetric market, say)
                // is computed as rounding noise at both precisions: below the noise it is 0.
                let noise = Float::with_val(prec, b.clone().abs() + 1u32)
                    * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 24));
                if tf[i].clone().abs() <= noise && tc[i].clone().abs() <= noise {
                    t = Certified {
                        value: Float::new(prec),
                        digits,
                    };
                }
                let fields = [
                    point.index().to_string(),
                    n.to_string(),
                    shares.clone(),
                    beta_text.clone(),
                    p.to_string(),
                    (i + 1).to_string(),
                    Certified {
                        value: fine_reports[i].clone(),
                        digits,
                    }
                    .to_decimal(),
                    Certified {
                        value: s[i].clone(),
                        digits,
                    }
                    .to_decimal(),
                    t.to_decimal(),
                ];
                out.push_str(&join_csv(&fields));
                out.push('\n');
            }
        }
    }
    Ok(out)
}

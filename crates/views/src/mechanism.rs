//! `efftrade mechanism verify` and `efftrade mechanism lp`: the assessments of
//! [`efftrade_mechanism::assess`] (Lemma 1's mechanism verified at a beta; the LP cutoffs beside
//! `beta*`) as a table, CSV, JSON lines or LaTeX, and Lemma 1's transfers on a grid as CSV.

use efftrade_mechanism::assess::{
    self, Assessment, LpAssessment, Verification, method_name, order_text, violation_text,
};
use efftrade_mechanism::lp::BETA_MAX;
use efftrade_mechanism::{Convergence, Cutoff};
use efftrade_model::{BigRational, Market, Spec};
use efftrade_numeric::certified::Certified;
use efftrade_render::latex::comment;
use efftrade_render::{Column, Table};
use serde_json::{Map, Value, json};

use crate::{Format, ViewError, aligned, exact, join_csv, shares_compact, tabular};

/// Lemma 1's transfers at every profile of `grid` types of every market of `spec` at `beta`, as
/// CSV in long form (`point,n,shares,beta,profile,agent,report,allocation,transfer`); the
/// message of the first market whose transfers could not be computed.
pub fn grid_csv(
    spec: &Spec,
    beta: &BigRational,
    grid: usize,
    digits: u32,
) -> Result<String, String> {
    let mut out = String::from("point,n,shares,beta,profile,agent,report,allocation,transfer\n");
    for point in spec.points() {
        let market = point.market();
        let rows = assess::transfer_grid(spec.distribution(), market, beta, grid, digits)
            .map_err(|message| format!("{market}: the transfers on the grid: {message}"))?;
        let (n, shares) = (market.n().to_string(), shares_compact(market, digits));
        let beta = exact(beta, digits);
        for r in rows {
            let fields = [
                point.index().to_string(),
                n.clone(),
                shares.clone(),
                beta.clone(),
                r.profile.to_string(),
                r.agent.to_string(),
                r.report,
                r.allocation,
                r.transfer.to_decimal(),
            ];
            out.push_str(&join_csv(&fields));
            out.push('\n');
        }
    }
    Ok(out)
}

/// `description`, `n` and `shares` of a market's JSON line.
fn head(description: &str, market: &Market, digits: u32) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("description".into(), json!(description));
    map.insert("n".into(), json!(market.n().to_string()));
    map.insert("shares".into(), json!(shares_compact(market, digits)));
    map
}

/// A serialised record's fields added to `map`.
fn extend(map: &mut Map<String, Value>, record: serde_json::Result<Value>) {
    if let Ok(Value::Object(fields)) = record {
        map.extend(fields);
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The JSON object of one verified market.
fn verify_json(description: &str, a: &Assessment, digits: u32) -> Map<String, Value> {
    let mut map = head(description, a.point.market(), digits);
    map.insert("beta".into(), json!(exact(&a.beta, digits)));
    match &a.verification {
        Ok(v) => extend(&mut map, serde_json::to_value(v)),
        Err(e) => {
            map.insert("error".into(), json!(e));
        }
    }
    if let Some(lp) = &a.lp {
        let last = lp.as_ref().ok().and_then(|c| c.cutoffs.last());
        map.insert(
            "lp_beta_cutoff".into(),
            json!(last.and_then(|l| l.beta.as_ref())),
        );
        map.insert("lp_k".into(), json!(last.map_or(0, |l| l.k)));
        if let Err(e) = lp {
            map.insert("lp_error".into(), json!(e.to_string()));
        }
    }
    map
}

/// The columns of the CSV output of `verify` after `description,n,shares,beta`.
const VERIFY_COLUMNS: &str = "method,grid,bb_profiles,bb_max_residual,bb_scale,bb_ok,ic_max_gain,ic_agent,ic_type,ic_report,ic_ok,ir_min_slack,ir_min_agent,ir_min_type,ir_critical_type,ir_min_at_critical,ir_ok,ir_min_slack_predicted,theorem1_lhs,beta_star,error_bar,lp_beta_cutoff,lp_k";

/// The output of `mechanism verify` for the assessed markets of a spec described by
/// `description`.
pub fn verify(
    format: Format,
    description: &str,
    all: &[Assessment],
    digits: u32,
) -> Result<String, ViewError> {
    let objects = all.iter().map(|a| verify_json(description, a, digits));
    Ok(match format {
        Format::Json => objects.map(|o| format!("{}\n", Value::Object(o))).collect(),
        Format::Csv => {
            let columns = format!("description,n,shares,beta,{VERIFY_COLUMNS}");
            let mut out = format!("{columns},error\n");
            for o in objects {
                let field = |k: &str| o.get(k).map_or(String::new(), text);
                let mut fields: Vec<String> = columns.split(',').map(field).collect();
                fields.push(
                    o.get("error")
                        .or(o.get("lp_error"))
                        .map_or(String::new(), text),
                );
                out.push_str(&format!("{}\n", join_csv(&fields)));
            }
            out
        }
        Format::Latex => verify_latex(description, all, digits)?,
        Format::Table => {
            let mut out = format!("{description}\n");
            for a in all {
                match &a.verification {
                    Ok(v) => out.push_str(&block(a, v, digits)),
                    Err(e) => out.push_str(&format!("\n{}\nerror: {e}\n", heading(a, digits))),
                }
            }
            out
        }
    })
}

/// The LaTeX of `mechanism verify`: one row per market (numbers in siunitx columns); a market
/// that could not be verified as a comment with its error.
fn verify_latex(description: &str, all: &[Assessment], digits: u32) -> Result<String, ViewError> {
    let columns = [
        ("n", "$n$", true),
        ("shares", "shares", false),
        ("beta", "$\\beta$", true),
        ("BB residual", "BB residual", true),
        ("largest IC gain", "largest IC gain", true),
        ("min IR slack", "min IR slack", true),
        ("predicted", "predicted", true),
    ];
    let mut out = comment(description);
    let mut rows = Vec::new();
    for a in all {
        let market = a.point.market();
        match &a.verification {
            Ok(v) => rows.push(vec![
                market.n().to_string(),
                shares_compact(market, 6).replace(" x ", " × "),
                exact(&a.beta, digits),
                v.bb_max_residual.clone(),
                v.ic_max_gain.to_decimal(),
                v.ir_min_slack.to_decimal(),
                predicted(v),
            ]),
            Err(e) => out.push_str(&comment(&format!("{}: error: {e}", heading(a, digits)))),
        }
    }
    out.push_str(&tabular(&columns, rows)?);
    Ok(out)
}

/// `3 agents, shares 1 x 0.5; 1 x 0.3; 1 x 0.2, beta = 0.5`.
fn heading(a: &Assessment, digits: u32) -> String {
    let market = a.point.market();
    let shares = shares_compact(market, 6);
    format!(
        "{} agents, shares {shares}, beta = {}",
        market.n(),
        exact(&a.beta, digits)
    )
}

/// Theorem 1's predicted smallest slack, or `?`.
fn predicted(v: &Verification) -> String {
    v.ir_min_slack_predicted
        .as_ref()
        .map_or("?".into(), Certified::to_decimal)
}

/// One market's verification as a block of text: a heading and a table of the checks.
fn block(a: &Assessment, v: &Verification, digits: u32) -> String {
    let star = v
        .beta_star
        .as_ref()
        .map_or("T1 < 0: no beta allows efficient trade".into(), |b| {
            format!("beta* = {b}")
        });
    let mut out = format!(
        "\n{} ({star}; {})\n",
        heading(a, digits),
        method_name(v.method)
    );
    let mark = |ok: bool| if ok { "ok" } else { "FAILS" }.to_string();
    let estimate = |e: &Option<String>| {
        e.as_ref().map_or(String::new(), |e| {
            format!(" (estimate {e} +- {})", v.error_bar)
        })
    };
    let critical = if v.ir_min_at_critical {
        "its critical type v* ="
    } else {
        "NOT its critical type"
    };
    let rows = [
        ["check", "result", "", "where"].map(String::from),
        [
            "ex-post BB".into(),
            mark(v.bb_ok),
            format!("max |sum t_i| <= {}", v.bb_max_residual),
            format!(
                "{} random profiles, largest |t_i| {}",
                v.bb_profiles, v.bb_scale
            ),
        ],
        [
            "interim IC".into(),
            mark(v.ic_ok),
            format!(
                "largest gain {}{}",
                v.ic_max_gain,
                estimate(&v.ic_max_gain_estimate)
            ),
            format!(
                "agent {}, type {} reporting {}",
                v.ic_agent, v.ic_type, v.ic_report
            ),
        ],
        [
            "interim IR".into(),
            mark(v.ir_ok),
            format!(
                "smallest slack {}{}",
                v.ir_min_slack,
                estimate(&v.ir_min_slack_estimate)
            ),
            format!(
                "agent {}, type {} ({critical} {})",
                v.ir_min_agent, v.ir_min_type, v.ir_critical_type
            ),
        ],
        [
            "predicted".into(),
            String::new(),
            format!("slack {}", predicted(v)),
            "((1 + beta/n) T1 + (beta/n) T2) / n (Theorem 1)".into(),
        ],
    ];
    out.push_str(&aligned(&rows.map(Vec::from)));
    out.push_str(&format!("error bar of gains and slacks: {}\n", v.error_bar));
    match &a.lp {
        Some(Ok(c)) => {
            let last = c.cutoffs.last();
            let cut = last
                .and_then(|l| l.beta.as_ref())
                .map_or("infeasible".into(), Certified::to_decimal);
            out.push_str(&format!(
                "LP cutoff on {} points: {cut}\n",
                last.map_or(0, |l| l.k)
            ));
        }
        Some(Err(e)) => out.push_str(&format!("LP: error: {e}\n")),
        None => {}
    }
    out
}

fn cutoff_text(c: &Cutoff) -> String {
    match (&c.beta, c.unbounded) {
        (_, true) => format!(">= {BETA_MAX}"),
        (Some(b), false) => b.to_decimal(),
        (None, false) => "infeasible".into(),
    }
}

fn star_text(a: &LpAssessment) -> String {
    match &a.beta_star {
        Ok(Some(b)) => b.to_decimal(),
        Ok(None) => "none (T1 < 0)".into(),
        Err(err) => format!("error: {err}"),
    }
}

/// The output of `mechanism lp` for the markets of a spec described by `description`.
pub fn lp(
    format: Format,
    description: &str,
    all: &[LpAssessment],
    digits: u32,
) -> Result<String, ViewError> {
    let mut out = match format {
        Format::Json => String::new(),
        Format::Csv => {
            "description,n,shares,beta_star,k,lp_beta_cutoff,max_violation,error\n".into()
        }
        Format::Table => format!("{description}\n"),
        Format::Latex => comment(description),
    };
    for a in all {
        let market = a.point.market();
        let (n, star) = (market.n(), star_text(a));
        match (format, &a.lp) {
            (Format::Json, lp) => {
                let mut map = head(description, market, digits);
                map.insert(
                    "beta_star".into(),
                    json!(a.beta_star.as_ref().ok().and_then(Option::as_ref)),
                );
                match lp {
                    Ok(c) => extend(&mut map, serde_json::to_value(c)),
                    Err(e) => {
                        map.insert("error".into(), json!(e.to_string()));
                    }
                }
                if let Err(e) = &a.beta_star {
                    map.insert("beta_star_error".into(), json!(e));
                }
                out.push_str(&format!("{}\n", Value::Object(map)));
            }
            (Format::Csv, lp) => {
                let head = [
                    description.to_string(),
                    n.to_string(),
                    shares_compact(market, digits),
                    star,
                ];
                let rows: Vec<[String; 4]> = match lp {
                    Ok(c) => c
                        .cutoffs
                        .iter()
                        .map(|c| {
                            [
                                c.k.to_string(),
                                cutoff_text(c),
                                violation_text(c.max_violation),
                                String::new(),
                            ]
                        })
                        .collect(),
                    Err(e) => vec![[String::new(), String::new(), String::new(), e.to_string()]],
                };
                for row in rows {
                    out.push_str(&format!("{}\n", join_csv([&head[..], &row[..]].concat())));
                }
            }
            (Format::Table, lp) => {
                let shares = shares_compact(market, 6);
                out.push_str(&format!(
                    "\n{n} agents, shares {shares}: beta* = {star} (Theorems 1 and 2)\n"
                ));
                let c = match lp {
                    Ok(c) => c,
                    Err(e) => {
                        out.push_str(&format!("error: {e}\n"));
                        continue;
                    }
                };
                let mut rows = vec![
                    ["k", "LP cutoff", "largest IC/IR/BB violation"]
                        .map(String::from)
                        .to_vec(),
                ];
                rows.extend(c.cutoffs.iter().map(|c| {
                    vec![
                        c.k.to_string(),
                        cutoff_text(c),
                        violation_text(c.max_violation),
                    ]
                }));
                out.push_str(&aligned(&rows));
                if let (Some(p), Some(x)) = (c.order, &c.extrapolated) {
                    let p = order_text(p);
                    out.push_str(&format!(
                        "observed order {p}; Richardson's limit from the LP alone: {x}\n"
                    ));
                }
            }
            (Format::Latex, Ok(c)) => {
                let shares = shares_compact(market, digits);
                out.push_str(&comment(&format!("{n} agents, shares {shares}")));
                out.push_str(&lp_latex(c, &star)?);
            }
            (Format::Latex, Err(e)) => {
                out.push_str(&comment(&format!("{n} agents: error: {e}")));
            }
        }
    }
    Ok(out)
}

/// One market's LP cutoffs as a LaTeX tabular, `beta*` in the last row.
fn lp_latex(c: &Convergence, star: &str) -> Result<String, ViewError> {
    let mut table = Table::new(vec![Column::math("k"), Column::number("LP cutoff")])?;
    for cut in &c.cutoffs {
        table.push_row([cut.k.to_string(), cutoff_text(cut)])?;
    }
    table.push_row(["\\beta^*".to_string(), star.to_string()])?;
    Ok(table.to_tabular())
}

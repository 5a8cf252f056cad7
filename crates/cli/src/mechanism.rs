//! `efftrade mechanism`: the LP cutoff of every market of a spec against the engine's beta*.

use efftrade_mechanism::{Convergence, LpError, convergence};
use efftrade_model::{Point, Spec};
use efftrade_numeric::certified::Certified;
use efftrade_numeric::quantities::solve;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::output::{Format, aligned, join_csv, math, shares_compact};

/// One market point: the engine's beta* and the LP's cutoffs.
pub struct Evaluated {
    /// The grid point.
    pub point: Point,
    /// `beta*` from Theorems 1 and 2 (`None` when `T1 < 0`), or why it failed.
    pub beta_star: Result<Option<Certified>, String>,
    /// The LP cutoffs, or why they failed.
    pub lp: Result<Convergence, LpError>,
}

/// Evaluates every point of `spec` (in parallel); `tick` after each.
pub fn evaluate(
    spec: &Spec,
    ks: &[usize],
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Vec<Evaluated> {
    (0..spec.len())
        .into_par_iter()
        .filter_map(|i| spec.point(i))
        .map(|point| {
            let beta_star = solve(spec.distribution(), point.market(), None, digits)
                .map(|s| s.beta_star)
                .map_err(|e| e.to_string());
            let lp = convergence(spec.distribution(), point.market(), ks);
            tick();
            Evaluated {
                point,
                beta_star,
                lp,
            }
        })
        .collect()
}

fn cutoff_text(c: &efftrade_mechanism::Cutoff) -> String {
    match (&c.beta, c.unbounded) {
        (_, true) => format!(">= {}", efftrade_mechanism::lp::BETA_MAX),
        (Some(b), false) => b.to_decimal(),
        (None, false) => "infeasible".into(),
    }
}

fn star_text(e: &Evaluated) -> String {
    match &e.beta_star {
        Ok(Some(b)) => b.to_decimal(),
        Ok(None) => "none (T1 < 0)".into(),
        Err(err) => format!("error: {err}"),
    }
}

/// Renders the evaluations.
pub fn render(format: Format, description: &str, all: &[Evaluated], digits: u32) -> String {
    let mut out = String::new();
    match format {
        Format::Json => {
            for e in all {
                let mut obj = json!({
                    "description": description,
                    "n": e.point.market().n().to_string(),
                    "shares": shares_compact(e.point.market(), digits),
                    "beta_star": match &e.beta_star {
                        Ok(b) => json!(b.as_ref().map(Certified::to_decimal)),
                        Err(_) => Value::Null,
                    },
                });
                let map = obj.as_object_mut().expect("an object");
                match &e.lp {
                    Ok(c) => {
                        let last = c.cutoffs.last();
                        map.insert(
                            "lp_beta_cutoff".into(),
                            json!(
                                last.and_then(|l| l.beta.as_ref())
                                    .map(Certified::to_decimal)
                            ),
                        );
                        map.insert("lp_k".into(), json!(last.map(|l| l.k)));
                        map.insert(
                            "lp_table".into(),
                            json!(
                                c.cutoffs
                                    .iter()
                                    .map(|cut| json!({
                                        "k": cut.k,
                                        "lp_beta_cutoff": cut.beta.as_ref().map(Certified::to_decimal),
                                        "max_violation": format!("{:.1e}", cut.max_violation),
                                    }))
                                    .collect::<Vec<_>>()
                            ),
                        );
                        map.insert("lp_order".into(), json!(c.order.map(|p| format!("{p:.2}"))));
                        map.insert(
                            "lp_extrapolated".into(),
                            json!(c.extrapolated.as_ref().map(Certified::to_decimal)),
                        );
                    }
                    Err(err) => {
                        map.insert("error".into(), json!(err.to_string()));
                    }
                }
                if let Err(err) = &e.beta_star {
                    map.insert("beta_star_error".into(), json!(err));
                }
                out.push_str(&obj.to_string());
                out.push('\n');
            }
        }
        Format::Csv => {
            out.push_str("description,n,shares,beta_star,k,lp_beta_cutoff,max_violation,error\n");
            for e in all {
                let head = [
                    description.to_string(),
                    e.point.market().n().to_string(),
                    shares_compact(e.point.market(), digits),
                    star_text(e),
                ];
                match &e.lp {
                    Ok(c) => {
                        for cut in &c.cutoffs {
                            let mut fields = head.to_vec();
                            fields.extend([
                                cut.k.to_string(),
                                cutoff_text(cut),
                                format!("{:.1e}", cut.max_violation),
                                String::new(),
                            ]);
                            out.push_str(&join_csv(&fields));
                            out.push('\n');
                        }
                    }
                    Err(err) => {
                        let mut fields = head.to_vec();
                        fields.extend([
                            String::new(),
                            String::new(),
                            String::new(),
                            err.to_string(),
                        ]);
                        out.push_str(&join_csv(&fields));
                        out.push('\n');
                    }
                }
            }
        }
        Format::Table => {
            out.push_str(description);
            out.push('\n');
            for e in all {
                out.push_str(&format!(
                    "\n{} agents, shares {}: beta* = {} (Theorems 1 and 2)\n",
                    e.point.market().n(),
                    shares_compact(e.point.market(), 6),
                    star_text(e)
                ));
                match &e.lp {
                    Ok(c) => {
                        let mut rows = vec![vec![
                            "k".to_string(),
                            "LP cutoff".to_string(),
                            "largest IC/IR/BB violation".to_string(),
                        ]];
                        for cut in &c.cutoffs {
                            rows.push(vec![
                                cut.k.to_string(),
                                cutoff_text(cut),
                                format!("{:.1e}", cut.max_violation),
                            ]);
                        }
                        out.push_str(&aligned(&rows));
                        if let (Some(p), Some(x)) = (c.order, &c.extrapolated) {
                            out.push_str(&format!(
                                "observed order {p:.2}; Richardson's limit from the LP alone: {x}\n"
                            ));
                        }
                    }
                    Err(err) => out.push_str(&format!("error: {err}\n")),
                }
            }
        }
        Format::Latex => {
            out.push_str(&format!("% {description}\n"));
            for e in all {
                let Ok(c) = &e.lp else { continue };
                out.push_str(&format!(
                    "% {} agents, shares {}\n\\begin{{tabular}}{{rl}}\n\\toprule\n$k$ & LP cutoff \\\\\n\\midrule\n",
                    e.point.market().n(),
                    shares_compact(e.point.market(), digits)
                ));
                for cut in &c.cutoffs {
                    out.push_str(&format!("{} & {} \\\\\n", cut.k, math(&cutoff_text(cut))));
                }
                out.push_str(&format!(
                    "\\midrule\n$\\beta^*$ & {} \\\\\n\\bottomrule\n\\end{{tabular}}\n",
                    math(&star_text(e))
                ));
            }
        }
    }
    out
}

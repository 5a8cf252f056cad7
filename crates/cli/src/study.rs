//! `efftrade replicate` (Theorem 3) and `efftrade lemma3` (Lemma 3): rendering of the large-market
//! studies as an aligned table, CSV, JSON lines and LaTeX (booktabs).

use efftrade_model::Market;
use efftrade_numeric::certified::Certified;
use efftrade_numeric::lemma3::{Expansion, Growth, Lemma3, beta_star_growth};
use efftrade_numeric::sweep::Solved;
use rug::{Float, Integer};
use serde_json::{Value, json};

use crate::output::{Format, aligned, join_csv, json_line, math, shares_compact};

/// `N T1` with the digits of `T1` (multiplying by the exact integer `N` keeps them).
fn n_t1(t1: &Certified, n: u128) -> Certified {
    let prec = t1.value.prec();
    Certified {
        value: Float::with_val(prec, &t1.value * Integer::from(n)),
        digits: t1.digits,
    }
}

/// One family of replications: the base market and its points in grid order.
pub struct Family<'a> {
    /// The base market of the replications.
    pub base: Market,
    /// Its points.
    pub points: Vec<&'a Solved>,
    /// Theorem 3's growth law fitted to the family, when Lemma 3 applies and enough `beta*` exist.
    pub growth: Option<Growth>,
}

/// Groups a replication spec's solved points by base market (and share parameter) and fits the
/// growth law of each group.
pub fn families<'a>(
    solved: &'a [Solved],
    expansion: Option<&Expansion>,
    digits: u32,
) -> Vec<Family<'a>> {
    let mut out: Vec<Family<'a>> = Vec::new();
    for s in solved {
        let Some((base, _)) = s.point.replication() else {
            continue;
        };
        match out.iter_mut().find(|f| {
            f.base == *base && f.points[0].point.r() == s.point.r() && f.points[0].beta == s.beta
        }) {
            Some(f) => f.points.push(s),
            None => out.push(Family {
                base: base.clone(),
                points: vec![s],
                growth: None,
            }),
        }
    }
    for f in &mut out {
        let mu = f
            .points
            .iter()
            .find_map(|s| s.result.as_ref().ok().map(|x| x.mu.clone()));
        let pairs: Vec<(u128, Float)> = f
            .points
            .iter()
            .filter_map(|s| {
                let x = s.result.as_ref().ok()?;
                let b = x.beta_star.as_ref()?;
                (b.digits > 0).then(|| (s.point.market().n(), b.value.clone()))
            })
            .collect();
        if let (Some(e), Some(mu)) = (expansion, mu) {
            f.growth = beta_star_growth(e, &mu, &pairs, digits);
        }
    }
    out
}

fn growth_sentence(g: &Growth) -> String {
    let law = if g.alpha == 1 {
        "beta* ~ s log N + t".to_string()
    } else {
        format!("beta* / N^(1 - 1/{a}) ~ s (log N)^(1/{a}) + t", a = g.alpha)
    };
    format!(
        "growth ({law}, fitted over N >= {}): s = {} (fit); Lemma 3 predicts s = A1 / (b - mu) = {}; \
         relative difference {:.1e}",
        g.from, g.line.slope, g.predicted_slope, g.relative_difference
    )
}

fn growth_json(g: &Growth) -> Value {
    json!({
        "alpha": g.alpha,
        "fitted_from_n": g.from.to_string(),
        "slope": g.line.slope.to_decimal(),
        "intercept": g.line.intercept.to_decimal(),
        "predicted_slope": g.predicted_slope.to_decimal(),
        "relative_difference": format!("{:.2e}", g.relative_difference),
        "points": g.line.points,
    })
}

/// Renders a replication study.
pub fn render_replicate(
    format: Format,
    description: &str,
    families: &[Family<'_>],
    digits: u32,
) -> String {
    let mut out = String::new();
    let value = |s: &Solved, f: &dyn Fn(&efftrade_numeric::quantities::Solution) -> String| {
        s.result.as_ref().map_or_else(|e| format!("error: {e}"), f)
    };
    match format {
        Format::Json => {
            for family in families {
                for s in &family.points {
                    let mut line = json_line(description, s, digits);
                    if let (Value::Object(map), Ok(x)) = (&mut line, &s.result) {
                        map.insert("N".into(), json!(s.point.market().n().to_string()));
                        map.insert(
                            "n_t1".into(),
                            json!(n_t1(&x.t1, s.point.market().n()).to_decimal()),
                        );
                    }
                    out.push_str(&line.to_string());
                    out.push('\n');
                }
                if let Some(g) = &family.growth {
                    let line = json!({
                        "description": description,
                        "base_shares": shares_compact(&family.base, digits),
                        "growth": growth_json(g),
                    });
                    out.push_str(&line.to_string());
                    out.push('\n');
                }
            }
        }
        Format::Csv => {
            out.push_str(
                "description,base_shares,m,N,t1,t2,n_t1,beta_star,critical_types,digits,error\n",
            );
            for family in families {
                for s in &family.points {
                    let m = s.point.replication().map_or(0, |r| r.1);
                    let n = s.point.market().n();
                    let mut fields = vec![
                        description.to_string(),
                        shares_compact(&family.base, digits),
                        m.to_string(),
                        n.to_string(),
                    ];
                    match &s.result {
                        Ok(x) => {
                            fields.extend([
                                x.t1.to_decimal(),
                                x.t2.to_decimal(),
                                n_t1(&x.t1, n).to_decimal(),
                                crate::output::opt(&x.beta_star),
                                x.critical
                                    .iter()
                                    .map(Certified::to_decimal)
                                    .collect::<Vec<_>>()
                                    .join(" "),
                                x.digits.to_string(),
                                String::new(),
                            ]);
                        }
                        Err(e) => {
                            fields.extend(vec![String::new(); 6]);
                            fields.push(e.to_string());
                        }
                    }
                    out.push_str(&join_csv(&fields));
                    out.push('\n');
                }
            }
        }
        Format::Table => {
            out.push_str(description);
            out.push('\n');
            for family in families {
                out.push_str(&format!(
                    "\nreplications of the market with shares {}\n",
                    shares_compact(&family.base, 6)
                ));
                let mut rows = vec![
                    ["m", "N", "T1", "N T1", "T2", "beta*"]
                        .iter()
                        .map(|h| h.to_string())
                        .collect::<Vec<_>>(),
                ];
                for s in &family.points {
                    let n = s.point.market().n();
                    let m = s.point.replication().map_or(0, |r| r.1);
                    rows.push(vec![
                        m.to_string(),
                        n.to_string(),
                        value(s, &|x| x.t1.to_decimal()),
                        value(s, &|x| n_t1(&x.t1, n).to_decimal()),
                        value(s, &|x| x.t2.to_decimal()),
                        value(s, &|x| {
                            x.beta_star
                                .as_ref()
                                .map_or("- (T1 < 0)".into(), Certified::to_decimal)
                        }),
                    ]);
                }
                out.push_str(&aligned(&rows));
                if let Some(g) = &family.growth {
                    out.push_str(&growth_sentence(g));
                    out.push('\n');
                }
            }
        }
        Format::Latex => {
            out.push_str(&format!("% {description}\n"));
            for family in families {
                out.push_str(&format!(
                    "% replications of the market with shares {}\n",
                    shares_compact(&family.base, digits)
                ));
                if let Some(g) = &family.growth {
                    out.push_str(&format!("% {}\n", growth_sentence(g)));
                }
                out.push_str("\\begin{tabular}{rrlll}\n\\toprule\n$m$ & $N$ & $T_1$ & $T_2$ & $\\beta^*$ \\\\\n\\midrule\n");
                for s in &family.points {
                    let n = s.point.market().n();
                    let m = s.point.replication().map_or(0, |r| r.1);
                    let cells = match &s.result {
                        Ok(x) => format!(
                            "{m} & {n} & {} & {} & {}",
                            math(&x.t1.to_decimal()),
                            math(&x.t2.to_decimal()),
                            x.beta_star
                                .as_ref()
                                .map_or("--".into(), |b| math(&b.to_decimal()))
                        ),
                        Err(e) => format!(
                            "{m} & {n} & \\multicolumn{{3}}{{l}}{{error: {}}}",
                            e.to_string().replace('_', "\\_")
                        ),
                    };
                    out.push_str(&cells);
                    out.push_str(" \\\\\n");
                }
                out.push_str("\\bottomrule\n\\end{tabular}\n");
            }
        }
    }
    out
}

/// `x / reference - 1` to two significant digits, when both have enough certified digits to fix
/// them; `?` otherwise.
fn deviation(x: &Certified, reference: &Certified) -> String {
    let prec = x.value.prec();
    let d = Float::with_val(
        prec,
        Float::with_val(prec, &x.value / &reference.value) - 1u32,
    );
    if d.is_zero() {
        return "0".into();
    }
    // The quotient is known to about min(digits) - 1 significant digits, so `d` to an absolute
    // 10^-known: `d` has floor(known - magnitude) certain significant digits.
    let known = f64::from(x.digits.min(reference.digits).saturating_sub(1));
    let magnitude = -d.clone().abs().log10().to_f64();
    let certain = (known - magnitude).floor();
    if certain < 1.0 {
        return format!("below 1e-{}", (known as u32).saturating_sub(1));
    }
    let c = Certified {
        value: d,
        digits: certain.min(2.0) as u32,
    };
    c.to_decimal()
}

fn expansion_lines(e: &Expansion) -> Vec<String> {
    vec![
        format!(
            "alpha = {} (first non-vanishing derivative of F at b; Taylor coefficients below \
             2^-{} of the largest lower-order one count as zero)",
            e.alpha, e.zero_bits
        ),
        format!("b = {}", e.b),
        format!("F^({})(b) = {}", e.alpha, e.derivative),
        format!("c = {}   (1 - F(b - d) ~ c d^alpha)", e.c),
        format!("A1 = c^(-1/alpha) = {}   (L3-1)", e.a1),
        format!(
            "A2 = Gamma(1 + 1/alpha) c^(-1/alpha) = {}   (L3-2, Laplace's method)",
            e.a2
        ),
        format!(
            "A2 as the paper's proof of L3-2 has it, sum_(k>=1) e^(-c k^alpha) = {}: {}",
            e.a2_paper,
            if e.paper_a2_agrees() {
                "agrees"
            } else {
                "disagrees (the proof's Riemann sum has unit step in the scaled variable; the \
                 limit is the integral Gamma(1 + 1/alpha) c^(-1/alpha))"
            }
        ),
    ]
}

/// Renders a Lemma 3 study.
pub fn render_lemma3(format: Format, description: &str, l: &Lemma3) -> String {
    let e = &l.expansion;
    let mut out = String::new();
    match format {
        Format::Json => {
            let rows: Vec<Value> = l
                .rows
                .iter()
                .map(|r| {
                    json!({
                        "N": r.n.to_string(),
                        "m": r.m.to_string(),
                        "integral": r.integral.to_decimal(),
                        "scaled_integral": r.scaled_integral.to_decimal(),
                        "gap": r.gap.to_decimal(),
                        "scaled_gap": r.scaled_gap.to_decimal(),
                    })
                })
                .collect();
            let fit = l.fitted.as_ref().map(|f| {
                json!({
                    "fitted_from_n": f.from.to_string(),
                    "alpha": f.alpha.to_decimal(),
                    "a2": f.a2.to_decimal(),
                    "points": f.line.points,
                })
            });
            let line = json!({
                "description": description,
                "alpha": e.alpha,
                "zero_test_bits": e.zero_bits,
                "b": e.b.to_decimal(),
                "derivative": e.derivative.to_decimal(),
                "c": e.c.to_decimal(),
                "a1": e.a1.to_decimal(),
                "a2": e.a2.to_decimal(),
                "a2_paper": e.a2_paper.to_decimal(),
                "a2_paper_agrees": e.paper_a2_agrees(),
                "rows": rows,
                "fit": fit,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        Format::Csv => {
            out.push_str("N,m,integral,scaled_integral,a2,gap,scaled_gap,a1,alpha,c\n");
            for r in &l.rows {
                out.push_str(&join_csv(&[
                    r.n.to_string(),
                    r.m.to_string(),
                    r.integral.to_decimal(),
                    r.scaled_integral.to_decimal(),
                    e.a2.to_decimal(),
                    r.gap.to_decimal(),
                    r.scaled_gap.to_decimal(),
                    e.a1.to_decimal(),
                    e.alpha.to_string(),
                    e.c.to_decimal(),
                ]));
                out.push('\n');
            }
        }
        Format::Table => {
            out.push_str(&format!("Lemma 3 for {description}\n"));
            for line in expansion_lines(e) {
                out.push_str(&line);
                out.push('\n');
            }
            out.push_str(
                "\nmarkets of N agents, m = N/2 of them holding 1/m each (replications of shares (1, 0))\n",
            );
            let mut rows = vec![
                [
                    "N",
                    "N^(1/alpha) Int F^N",
                    "/ A2 - 1",
                    "(b - v*) / (log m/(N-1))^(1/alpha)",
                    "/ A1 - 1",
                ]
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>(),
            ];
            for r in &l.rows {
                rows.push(vec![
                    format!("1e{}", r.n.ilog10()),
                    r.scaled_integral.to_decimal(),
                    deviation(&r.scaled_integral, &e.a2),
                    r.scaled_gap.to_decimal(),
                    deviation(&r.scaled_gap, &e.a1),
                ]);
            }
            out.push_str(&aligned(&rows));
            if let Some(f) = &l.fitted {
                out.push_str(&format!(
                    "least squares of log Int F^N on log N over N >= {} ({} points): alpha = {}, A2 = {}\n",
                    f.from, f.line.points, f.alpha, f.a2
                ));
            }
        }
        Format::Latex => {
            out.push_str(&format!("% Lemma 3 for {description}\n"));
            for line in expansion_lines(e) {
                out.push_str(&format!("% {line}\n"));
            }
            out.push_str("\\begin{tabular}{rll}\n\\toprule\n$N$ & $N^{1/\\alpha}\\int F^N$ & $(\\bar v - v^*)/(\\log m/(N-1))^{1/\\alpha}$ \\\\\n\\midrule\n");
            for r in &l.rows {
                out.push_str(&format!(
                    "$10^{{{}}}$ & {} & {} \\\\\n",
                    r.n.ilog10(),
                    math(&r.scaled_integral.to_decimal()),
                    math(&r.scaled_gap.to_decimal())
                ));
            }
            out.push_str(&format!(
                "\\midrule\nlimit & {} & {} \\\\\n\\bottomrule\n\\end{{tabular}}\n",
                math(&e.a2.to_decimal()),
                math(&e.a1.to_decimal())
            ));
        }
    }
    out
}

//! Rendering solved grid points: aligned table, CSV, JSON lines and LaTeX (booktabs).
//!
//! Every number is a decimal string of certified digits; exact inputs (shares, beta, counts) are
//! printed exactly when their decimal expansion terminates, else to the requested digits.

use efftrade_model::{BigRational, Expr, Market};
use efftrade_numeric::certified::Certified;
use efftrade_numeric::quantities::{Solution, Verdict};
use efftrade_numeric::sweep::Solved;
use serde_json::{Value, json};

/// An output format of `solve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for the terminal.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// One JSON object per line per market point.
    Json,
    /// A LaTeX booktabs table.
    Latex,
}

/// An exact rational as a decimal: exact when it terminates, else to `digits` significant digits.
pub fn exact(q: &BigRational, digits: u32) -> String {
    let shown = Expr::Num(q.clone()).to_string();
    if !shown.contains('/') {
        return shown;
    }
    Certified::exact(q, digits).to_decimal()
}

fn classes(market: &Market, digits: u32) -> Vec<(String, String)> {
    market
        .classes()
        .iter()
        .map(|c| (exact(c.share(), digits), c.count().to_string()))
        .collect()
}

pub fn opt(c: &Option<Certified>) -> String {
    c.as_ref().map_or_else(String::new, Certified::to_decimal)
}

fn verdict(s: &Solution) -> String {
    match (&s.verdict, &s.beta_star) {
        (Verdict::EfficientUpTo, Some(b)) => format!("efficient for beta in [0, {b}]"),
        (Verdict::EfficientUpTo, None) => "efficient for beta in [0, beta*]".into(),
        (Verdict::NoBeta, _) => "no beta (T1 < 0)".into(),
    }
}

/// The JSON object of one point (the machine interface of `solve`).
pub fn json_line(description: &str, solved: &Solved, digits: u32) -> Value {
    let p = &solved.point;
    let mut obj = json!({
        "description": description,
        "n": p.market().n().to_string(),
        "shares": classes(p.market(), digits).into_iter().map(|(s, c)| json!([s, c])).collect::<Vec<_>>(),
        "beta": solved.beta.as_ref().map(|b| exact(b, digits)),
    });
    let map = obj.as_object_mut().expect("an object");
    if let Some((_, m)) = p.replication() {
        map.insert("m".into(), json!(m.to_string()));
    }
    if let Some(r) = p.r() {
        map.insert("r".into(), json!(exact(r, digits)));
    }
    match &solved.result {
        Ok(s) => {
            map.insert("mu".into(), json!(s.mu.to_decimal()));
            map.insert("e_max".into(), json!(s.e_max.to_decimal()));
            map.insert("t1".into(), json!(s.t1.to_decimal()));
            map.insert("t2".into(), json!(s.t2.to_decimal()));
            map.insert(
                "beta_star".into(),
                json!(s.beta_star.as_ref().map(Certified::to_decimal)),
            );
            map.insert(
                "critical_types".into(),
                json!(
                    s.critical
                        .iter()
                        .map(Certified::to_decimal)
                        .collect::<Vec<_>>()
                ),
            );
            map.insert(
                "theorem1_lhs".into(),
                json!(s.lhs.as_ref().map(Certified::to_decimal)),
            );
            map.insert("efficient".into(), json!(s.efficient));
            map.insert("verdict".into(), json!(verdict(s)));
            map.insert("digits".into(), json!(s.digits));
        }
        Err(e) => {
            map.insert("error".into(), json!(e.to_string()));
        }
    }
    obj
}

/// The header of `solve`'s CSV output.
pub const CSV_HEADER: &str =
    "description,n,m,r,shares,beta,mu,e_max,t1,t2,beta_star,theorem1_lhs,efficient,digits,error";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn shares_compact(market: &Market, digits: u32) -> String {
    classes(market, digits)
        .into_iter()
        .map(|(s, c)| format!("{c} x {s}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One point as a CSV row (without the line end), in the columns of [`CSV_HEADER`].
pub fn csv_row(description: &str, s: &Solved, digits: u32) -> String {
    let p = &s.point;
    let m = p
        .replication()
        .map_or(String::new(), |(_, m)| m.to_string());
    let r = p.r().map_or(String::new(), |r| exact(r, digits));
    let beta = s.beta.as_ref().map_or(String::new(), |b| exact(b, digits));
    let (values, error) = match &s.result {
        Ok(x) => (
            vec![
                x.mu.to_decimal(),
                x.e_max.to_decimal(),
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                opt(&x.beta_star),
                opt(&x.lhs),
                x.efficient.map_or(String::new(), |e| e.to_string()),
                x.digits.to_string(),
            ],
            String::new(),
        ),
        Err(e) => (vec![String::new(); 8], e.to_string()),
    };
    let mut fields = vec![
        description.to_string(),
        p.market().n().to_string(),
        m,
        r,
        shares_compact(p.market(), digits),
        beta,
    ];
    fields.extend(values);
    fields.push(error);
    join_csv(&fields)
}

/// Fields joined into one CSV line, quoted where needed.
pub fn join_csv(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// Renders all points in `format`.
pub fn render(format: Format, description: &str, solved: &[Solved], digits: u32) -> String {
    let mut out = String::new();
    match format {
        Format::Json => {
            for s in solved {
                out.push_str(&json_line(description, s, digits).to_string());
                out.push('\n');
            }
        }
        Format::Csv => {
            out.push_str(CSV_HEADER);
            out.push('\n');
            for s in solved {
                out.push_str(&csv_row(description, s, digits));
                out.push('\n');
            }
        }
        Format::Table => {
            let header = ["N", "shares", "beta", "T1", "T2", "beta*", "verdict"];
            let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
            for s in solved {
                let p = &s.point;
                let beta = s
                    .beta
                    .as_ref()
                    .map_or("-".to_string(), |b| exact(b, digits));
                let row = match &s.result {
                    Ok(x) => vec![
                        p.market().n().to_string(),
                        shares_compact(p.market(), 6),
                        beta,
                        x.t1.to_decimal(),
                        x.t2.to_decimal(),
                        x.beta_star
                            .as_ref()
                            .map_or("-".into(), Certified::to_decimal),
                        match x.efficient {
                            Some(true) => "efficient at this beta".into(),
                            Some(false) => "not efficient at this beta".into(),
                            None => verdict(x),
                        },
                    ],
                    Err(e) => vec![
                        p.market().n().to_string(),
                        shares_compact(p.market(), 6),
                        beta,
                        format!("error: {e}"),
                        String::new(),
                        String::new(),
                        String::new(),
                    ],
                };
                rows.push(row);
            }
            out.push_str(description);
            out.push('\n');
            out.push_str(&aligned(&rows));
        }
        Format::Latex => {
            out.push_str(&format!("% {description}\n"));
            out.push_str("\\begin{tabular}{rlllll}\n\\toprule\n$N$ & shares & $T_1$ & $T_2$ & $\\beta^*$ & verdict \\\\\n\\midrule\n");
            for s in solved {
                let p = &s.point;
                let cells = match &s.result {
                    Ok(x) => format!(
                        "{} & {} & {} & {} & {} & {}",
                        p.market().n(),
                        shares_compact(p.market(), 6).replace(" x ", "$\\times$"),
                        math(&x.t1.to_decimal()),
                        math(&x.t2.to_decimal()),
                        x.beta_star
                            .as_ref()
                            .map_or("--".into(), |b| math(&b.to_decimal())),
                        match x.verdict {
                            Verdict::EfficientUpTo => "efficient up to $\\beta^*$",
                            Verdict::NoBeta => "no $\\beta$",
                        }
                    ),
                    Err(e) => format!(
                        "{} & \\multicolumn{{5}}{{l}}{{error: {}}}",
                        p.market().n(),
                        e.to_string().replace('_', "\\_")
                    ),
                };
                out.push_str(&cells);
                out.push_str(" \\\\\n");
            }
            out.push_str("\\bottomrule\n\\end{tabular}\n");
        }
    }
    out
}

/// Rows of cells as an aligned text table; the first row is the header, underlined.
pub fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |v| v.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

/// A decimal in math mode, with `e-7` written as `\times 10^{-7}`.
pub fn math(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) => format!("${m} \\times 10^{{{e}}}$"),
        None => format!("${s}$"),
    }
}

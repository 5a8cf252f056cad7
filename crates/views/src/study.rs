//! `efftrade replicate` (Theorem 3) and `efftrade lemma3` (Lemma 3): the replication families and
//! the Lemma 3 report of [`efftrade_numeric::study`] as a table, CSV, JSON lines or LaTeX.

use efftrade_numeric::record::PointRecord;
use efftrade_numeric::study::{Family, Lemma3Report};
use efftrade_render::latex::comment;

use crate::{Format, ViewError, aligned, csv, json_lines, or, shares_compact, tabular};

/// The output of `replicate` for the replication `families` of a spec described by
/// `description`: per family its points, then its growth fit (JSON: one line per point, then
/// one for the fit).
pub fn replicate(
    format: Format,
    description: &str,
    families: &[Family],
) -> Result<String, ViewError> {
    Ok(match format {
        Format::Json => {
            let mut out = String::new();
            for f in families {
                out.push_str(&json_lines(f.points.iter().map(PointRecord::replicated))?);
                out.push_str(&json_lines(f.growth_line())?);
            }
            out
        }
        Format::Csv => replicate_csv(families),
        Format::Table => replicate_table(description, families),
        Format::Latex => replicate_latex(description, families)?,
    })
}

/// A replication's `m`, `N` and a value of its solution (or the error).
fn cells(
    r: &PointRecord,
    value: impl Fn(&efftrade_numeric::quantities::Solution) -> String,
) -> String {
    r.outcome
        .as_ref()
        .map_or_else(|e| format!("error: {e}"), value)
}

fn replicate_csv(families: &[Family]) -> String {
    let header = "description,base_shares,m,N,t1,t2,n_t1,beta_star,critical_types,digits,error";
    let rows = families.iter().flat_map(|f| {
        f.points.iter().map(|r| {
            let mut fields = vec![
                f.description.clone(),
                f.base_shares.clone(),
                r.m.unwrap_or(0).to_string(),
                r.n().to_string(),
            ];
            match (&r.outcome, r.n_t1()) {
                (Ok(x), Some(n_t1)) => fields.extend([
                    x.t1.to_decimal(),
                    x.t2.to_decimal(),
                    n_t1.to_decimal(),
                    or(&x.beta_star, ""),
                    x.critical
                        .iter()
                        .map(|c| c.to_decimal())
                        .collect::<Vec<_>>()
                        .join(" "),
                    x.digits.to_string(),
                    String::new(),
                ]),
                (outcome, _) => {
                    fields.extend(vec![String::new(); 6]);
                    fields.push(
                        outcome
                            .as_ref()
                            .err()
                            .map_or(String::new(), |e| e.to_string()),
                    );
                }
            }
            fields
        })
    });
    csv(header, rows)
}

fn replicate_table(description: &str, families: &[Family]) -> String {
    let mut out = format!("{description}\n");
    for f in families {
        out.push_str(&format!(
            "\nreplications of the market with shares {}\n",
            shares_compact(&f.base, 6)
        ));
        let mut rows = vec![
            ["m", "N", "T1", "N T1", "T2", "beta*"]
                .map(String::from)
                .to_vec(),
        ];
        for r in &f.points {
            rows.push(vec![
                r.m.unwrap_or(0).to_string(),
                r.n().to_string(),
                cells(r, |x| x.t1.to_decimal()),
                cells(r, |_| r.n_t1().map_or(String::new(), |c| c.to_decimal())),
                cells(r, |x| x.t2.to_decimal()),
                cells(r, |x| {
                    x.beta_star
                        .as_ref()
                        .map_or("- (T1 < 0)".into(), |b| b.to_decimal())
                }),
            ]);
        }
        out.push_str(&aligned(&rows));
        if let Some(g) = &f.growth {
            out.push_str(&g.sentence());
            out.push('\n');
        }
    }
    out
}

/// The LaTeX of `replicate`: per family a comment with the base market and the growth fit, then
/// a tabular (numbers in siunitx columns; a failed point as dashes, its error in a comment).
fn replicate_latex(description: &str, families: &[Family]) -> Result<String, ViewError> {
    let columns = [
        ("m", "$m$", true),
        ("N", "$N$", true),
        ("T1", "$T_1$", true),
        ("T2", "$T_2$", true),
        ("beta*", "$\\beta^*$", true),
    ];
    let mut out = comment(description);
    for f in families {
        out.push_str(&comment(&format!(
            "replications of the market with shares {}",
            f.base_shares
        )));
        if let Some(g) = &f.growth {
            out.push_str(&comment(&g.sentence()));
        }
        let rows = f.points.iter().map(|r| {
            let mut row = vec![r.m.unwrap_or(0).to_string(), r.n().to_string()];
            match &r.outcome {
                Ok(x) => row.extend([x.t1.to_decimal(), x.t2.to_decimal(), or(&x.beta_star, "--")]),
                Err(_) => row.extend(["--".into(), "--".into(), "--".into()]),
            }
            row
        });
        out.push_str(&tabular(&columns, rows)?);
        for r in &f.points {
            if let Err(e) = &r.outcome {
                out.push_str(&comment(&format!("N = {}: error: {e}", r.n())));
            }
        }
    }
    Ok(out)
}

/// The output of `lemma3`: the constants of Lemma 3, the convergence rows and the fit (JSON: the
/// report as one object).
pub fn lemma3(format: Format, report: &Lemma3Report) -> Result<String, ViewError> {
    let (description, l) = (&report.description, &report.lemma3);
    let e = &l.expansion;
    let mut out = String::new();
    match format {
        Format::Json => return json_lines([report]),
        Format::Csv => {
            let rows = l.rows.iter().map(|r| {
                vec![
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
                ]
            });
            let header = "N,m,integral,scaled_integral,a2,gap,scaled_gap,a1,alpha,c";
            out.push_str(&csv(header, rows));
        }
        Format::Table => {
            out.push_str(&format!("Lemma 3 for {description}\n"));
            for line in e.lines() {
                out.push_str(&format!("{line}\n"));
            }
            out.push_str(
                "\nmarkets of N agents, m = N/2 of them holding 1/m each (replications of shares (1, 0))\n",
            );
            let header = ["N", "N^(1/alpha) Int F^N", "/ A2 - 1"];
            let mut rows = vec![header.map(String::from).to_vec()];
            rows[0].extend(["(b - v*) / (log m/(N-1))^(1/alpha)", "/ A1 - 1"].map(String::from));
            for r in &l.rows {
                rows.push(vec![
                    format!("1e{}", r.n.ilog10()),
                    r.scaled_integral.to_decimal(),
                    r.integral_deviation(e),
                    r.scaled_gap.to_decimal(),
                    r.gap_deviation(e),
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
            out.push_str(&comment(&format!("Lemma 3 for {description}")));
            for line in e.lines() {
                out.push_str(&comment(&line));
            }
            let columns = [
                ("N", "$N$", true),
                ("N^(1/alpha) Int F^N", "$N^{1/\\alpha}\\int F^N$", true),
                (
                    "scaled gap",
                    "$(\\bar v - v^*)/(\\log m/(N-1))^{1/\\alpha}$",
                    true,
                ),
            ];
            let rows = l.rows.iter().map(|r| {
                let n = format!("1e{}", r.n.ilog10());
                vec![n, r.scaled_integral.to_decimal(), r.scaled_gap.to_decimal()]
            });
            let limit = ["limit".into(), e.a2.to_decimal(), e.a1.to_decimal()];
            out.push_str(&tabular(&columns, rows.chain([limit.to_vec()]))?);
        }
    }
    Ok(out)
}

//! `efftrade solve` and `efftrade sweep`: solved points ([`PointRecord`]) as a table, CSV, JSON
//! lines or LaTeX.

use efftrade_numeric::quantities::Verdict;
use efftrade_numeric::record::{CSV_COLUMNS, PointRecord, verdict_text};
use efftrade_numeric::shard::csv_header;
use efftrade_render::latex::comment;

use crate::{Format, ViewError, aligned, csv, json_lines, or, shares_compact, tabular};

/// The output of `solve` for the points of a spec described by `description`.
pub fn solve(
    format: Format,
    description: &str,
    records: &[PointRecord],
) -> Result<String, ViewError> {
    Ok(match format {
        Format::Json => json_lines(records)?,
        Format::Csv => csv(
            &CSV_COLUMNS.join(","),
            records.iter().map(PointRecord::csv_fields),
        ),
        Format::Table => table(description, records),
        Format::Latex => latex(description, records)?,
    })
}

/// A sweep's points as JSON lines: `solve`'s objects with `index` and `points` (the grid's size)
/// added.
pub fn sweep_json(records: &[PointRecord], points: usize) -> Result<String, ViewError> {
    json_lines(records.iter().map(|r| r.in_sweep(points)))
}

/// A sweep's points as CSV: `index,points,` then `solve`'s columns.
pub fn sweep_csv(records: &[PointRecord], points: usize) -> String {
    csv(
        &csv_header(),
        records.iter().map(|r| {
            let mut fields = vec![r.index.to_string(), points.to_string()];
            fields.extend(r.csv_fields());
            fields
        }),
    )
}

fn table(description: &str, records: &[PointRecord]) -> String {
    let header = ["N", "shares", "beta", "T1", "T2", "beta*", "verdict"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for r in records {
        let mut row = vec![
            r.n().to_string(),
            shares_compact(&r.market, 6),
            r.beta.clone().unwrap_or_else(|| "-".into()),
        ];
        match &r.outcome {
            Ok(x) => row.extend([
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                or(&x.beta_star, "-"),
                match x.efficient {
                    Some(true) => "efficient at this beta".into(),
                    Some(false) => "not efficient at this beta".into(),
                    None => verdict_text(x),
                },
            ]),
            Err(e) => row.extend([
                format!("error: {e}"),
                String::new(),
                String::new(),
                String::new(),
            ]),
        }
        rows.push(row);
    }
    format!("{description}\n{}", aligned(&rows))
}

/// The LaTeX tabular of `solve`: numbers in siunitx columns, text escaped (errors included).
fn latex(description: &str, records: &[PointRecord]) -> Result<String, ViewError> {
    let columns = [
        ("N", "$N$", true),
        ("shares", "shares", false),
        ("T1", "$T_1$", true),
        ("T2", "$T_2$", true),
        ("beta*", "$\\beta^*$", true),
        ("verdict", "verdict", false),
    ];
    let rows = records.iter().map(|r| {
        let mut row = vec![
            r.n().to_string(),
            shares_compact(&r.market, 6).replace(" x ", " × "),
        ];
        match &r.outcome {
            Ok(x) => row.extend([
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                or(&x.beta_star, "--"),
                match x.verdict {
                    Verdict::EfficientUpTo => "efficient up to β*",
                    Verdict::NoBeta => "no β",
                    Verdict::Undecided => "undecided",
                }
                .to_string(),
            ]),
            Err(e) => row.extend(["--".into(), "--".into(), "--".into(), format!("error: {e}")]),
        }
        row
    });
    Ok(format!(
        "{}{}",
        comment(description),
        tabular(&columns, rows)?
    ))
}

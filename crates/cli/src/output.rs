//! What the commands share in rendering their records: the output formats, and the layouts of
//! `efftrade-render` (aligned text, RFC 4180 CSV, LaTeX, JSON lines) under the names the
//! commands use.

use efftrade_numeric::certified::Certified;
pub use efftrade_numeric::record::{exact, shares_compact};
pub use efftrade_render::csv::record as join_csv;
pub use efftrade_render::latex::decimal_math as math;
pub use efftrade_render::text::aligned;
use efftrade_render::{Column, Table, TableError};
use serde::Serialize;

use crate::error::CliError;

/// An output format of `solve`, `replicate`, `lemma3` and `mechanism`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for the terminal.
    Table,
    /// Comma-separated values with a header (RFC 4180 quoting, one record per line).
    Csv,
    /// One JSON object per line per market point.
    Json,
    /// A LaTeX tabular (booktabs rules, siunitx number columns).
    Latex,
}

impl From<TableError> for CliError {
    fn from(e: TableError) -> CliError {
        CliError::Failed(format!("cannot lay out the table: {e}"))
    }
}

/// Records as JSON lines (one object per line).
pub fn json_lines<T: Serialize>(records: impl IntoIterator<Item = T>) -> Result<String, CliError> {
    let mut out = String::new();
    for r in records {
        let line = efftrade_render::jsonl::line(&r)
            .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// A header line and rows of fields as CSV.
pub fn csv(header: &str, rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = format!("{header}\n");
    for fields in rows {
        out.push_str(&join_csv(&fields));
        out.push('\n');
    }
    out
}

/// A certified value's digits, or `fallback` when there is none.
pub fn or(c: &Option<Certified>, fallback: &str) -> String {
    c.as_ref()
        .map_or_else(|| fallback.into(), Certified::to_decimal)
}

/// A LaTeX tabular of `columns` (`(plain header, LaTeX header, is a number)`) and `rows`.
pub fn tabular(
    columns: &[(&str, &str, bool)],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String, CliError> {
    let columns = columns
        .iter()
        .map(|&(plain, tex, number)| {
            let c = if number {
                Column::number(plain)
            } else {
                Column::text(plain)
            };
            c.with_header_tex(tex)
        })
        .collect();
    let mut table = Table::new(columns)?;
    for row in rows {
        table.push_row(row)?;
    }
    Ok(table.to_tabular())
}

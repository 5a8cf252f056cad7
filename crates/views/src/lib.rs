//! What efftrade's commands print.
//!
//! The libraries compute typed records: solved points ([`efftrade_numeric::record`]), replication
//! families and Lemma 3 reports ([`efftrade_numeric::study`]), the mechanism's assessments
//! ([`efftrade_mechanism::assess`]). This crate lays each out in the four [`Format`]s of the
//! command line through the one rendering layer, [`efftrade_render`]: an aligned table for the
//! terminal, CSV (RFC 4180), JSON lines (the records serialised with serde) and LaTeX (booktabs
//! with siunitx number columns, text escaped). Nothing here computes a number: every value is a
//! record's, printed with its certified digits.
//!
//! One module per command group: [`solve`] (`solve`, `sweep`), [`study`] (`replicate`,
//! `lemma3`) and [`mechanism`] (`mechanism lp`, `mechanism verify` and its transfer grid).

#![forbid(unsafe_code)]

pub mod mechanism;
pub mod solve;
pub mod study;

use efftrade_numeric::certified::Certified;
pub use efftrade_numeric::record::{exact, shares_compact};
pub use efftrade_render::csv::record as join_csv;
pub use efftrade_render::latex::decimal_math as math;
pub use efftrade_render::text::aligned;
use efftrade_render::{Column, Table, TableError};
use serde::Serialize;

/// An output format of `solve`, `replicate`, `lemma3` and `mechanism`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// Why a view could not be laid out (a record that does not serialise, a row that does not fit
/// its table): a defect of the program, not of the input.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// A record did not serialise to JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A table could not be laid out.
    #[error("cannot lay out the table: {0}")]
    Table(#[from] TableError),
}

/// Records as JSON lines (one object per line).
pub fn json_lines<T: Serialize>(records: impl IntoIterator<Item = T>) -> Result<String, ViewError> {
    let mut out = String::new();
    for r in records {
        out.push_str(&efftrade_render::jsonl::line(&r)?);
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
) -> Result<String, ViewError> {
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

//! Aligned plain text for the terminal: [`Table::to_text`] and the row-based [`aligned`].
//!
//! Each column is as wide as its widest cell (counted in characters), cells are left-aligned
//! and separated by two spaces, trailing spaces are trimmed from every line, and the header is
//! underlined with a rule of `-` as wide as each column, the rules separated by two spaces
//! (not trimmed). Every line ends with `\n`.
//!
//! ```
//! let rows = vec![
//!     vec!["N".to_string(), "beta*".to_string(), "verdict".to_string()],
//!     vec!["2".to_string(), "2".to_string(), "efficient".to_string()],
//!     vec!["10".to_string(), "3.5".to_string(), String::new()],
//! ];
//! assert_eq!(
//!     efftrade_render::text::aligned(&rows),
//!     "N   beta*  verdict\n--  -----  ---------\n2   2      efficient\n10  3.5\n"
//! );
//! ```

use crate::table::{ColumnKind, Table};

/// Rows of cells as an aligned text table; the first row is the header, underlined. Rows may
/// have different lengths: a column is as wide as its widest cell over the rows that have it.
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

impl Table {
    /// The table as aligned text ([`aligned`]): the plain headers, underlined, then the rows
    /// as they are (numbers are not re-formatted, math is shown as its source).
    pub fn to_text(&self) -> String {
        let mut rows = Vec::with_capacity(self.rows.len() + 1);
        rows.push(self.columns.iter().map(|c| c.header.clone()).collect());
        rows.extend(self.rows.iter().map(|r| {
            r.iter()
                .zip(&self.columns)
                .map(|(cell, col)| match col.kind {
                    ColumnKind::TextWithMath => crate::latex::without_math_delimiters(cell),
                    _ => cell.clone(),
                })
                .collect()
        }));
        aligned(&rows)
    }
}

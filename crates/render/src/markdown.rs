//! Markdown (GitHub's pipe tables, as in `REPORT.md`): [`Table::to_markdown`] and the cell
//! helper [`cell`].
//!
//! A header row, a delimiter row (`---` for text and math columns, `---:` for number columns,
//! which GitHub right-aligns), then one row per line: `| a | b |`, an empty cell as `| |`.
//! Cells are Markdown: they may hold links, code spans and emphasis, so only what would break
//! the table is escaped (`|` becomes `\|`, a line break becomes a space). A math cell is
//! written as `$...$`.
//!
//! ```
//! use efftrade_render::{Column, Table};
//!
//! let mut t = Table::new(vec![Column::text("claim"), Column::number("beta*")])?;
//! t.push_row(["[Lemma 2](#lemma-2)", "2.5"])?;
//! t.push_row(["a | b", ""])?;
//! assert_eq!(
//!     t.to_markdown(),
//!     "| claim | beta* |\n|---|---:|\n| [Lemma 2](#lemma-2) | 2.5 |\n| a \\| b | |\n"
//! );
//! # Ok::<(), efftrade_render::TableError>(())
//! ```

use crate::table::{ColumnKind, Table};

/// A cell for a Markdown table: `|` escaped, line breaks as spaces.
pub fn cell(text: &str) -> String {
    text.replace("\r\n", " ")
        .replace(['\r', '\n'], " ")
        .replace('|', "\\|")
}

/// One table row: `| a | b |`, an empty cell as `| |`.
fn row<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = String::from("|");
    for c in cells {
        if c.is_empty() {
            s.push_str(" |");
        } else {
            s.push(' ');
            s.push_str(c);
            s.push_str(" |");
        }
    }
    s.push('\n');
    s
}

impl Table {
    /// The table as a Markdown pipe table (see the module docs); no caption.
    pub fn to_markdown(&self) -> String {
        let headers: Vec<String> = self.columns.iter().map(|c| cell(&c.header)).collect();
        let mut s = row(headers.iter().map(String::as_str));
        s.push('|');
        for c in &self.columns {
            s.push_str(match c.kind {
                ColumnKind::Number => "---:|",
                ColumnKind::Text | ColumnKind::Math | ColumnKind::TextWithMath => "---|",
            });
        }
        s.push('\n');
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .zip(&self.columns)
                .map(|(v, c)| match c.kind {
                    ColumnKind::Math if !v.trim().is_empty() => format!("${}$", cell(v)),
                    _ => cell(v),
                })
                .collect();
            s.push_str(&row(cells.iter().map(String::as_str)));
        }
        s
    }
}

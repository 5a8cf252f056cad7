//! CSV after RFC 4180: [`Table::to_csv`] (a header row, then the rows, CRLF line ends),
//! [`Table::to_csv_with`] for another line end, and the field and record helpers [`field`]
//! and [`record`] for callers that stream rows.
//!
//! A field is quoted, with inner quotes doubled, exactly when it contains a comma, a quote, CR
//! or LF; every other field is written as it is (leading and trailing spaces included). A
//! missing number (an empty cell, `--`, a dash) in a [`ColumnKind::Number`] column is an empty
//! field.

use crate::table::{ColumnKind, Table, is_missing};

/// The line end after each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnd {
    /// `\r\n`, as RFC 4180 prescribes.
    #[default]
    Crlf,
    /// `\n`, as Unix tools expect.
    Lf,
}

impl LineEnd {
    /// The line end's characters.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnd::Crlf => "\r\n",
            LineEnd::Lf => "\n",
        }
    }
}

/// One RFC 4180 field: quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
///
/// ```
/// assert_eq!(efftrade_render::csv::field("plain"), "plain");
/// assert_eq!(efftrade_render::csv::field("a,b"), "\"a,b\"");
/// assert_eq!(efftrade_render::csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(efftrade_render::csv::field("two\nlines"), "\"two\nlines\"");
/// ```
pub fn field(cell: &str) -> String {
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// Fields joined into one record, each quoted where needed, without a line end.
///
/// ```
/// let r = efftrade_render::csv::record(["uniform", "2 x 1/2", "a, b"]);
/// assert_eq!(r, "uniform,2 x 1/2,\"a, b\"");
/// ```
pub fn record<I, S>(fields: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    fields
        .into_iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

impl Table {
    /// The table as RFC 4180 CSV: a header row, then the rows; CRLF line ends. Missing
    /// numbers (`--`) are empty fields.
    pub fn to_csv(&self) -> String {
        self.to_csv_with(LineEnd::Crlf)
    }

    /// The table as CSV (quoted as [`Table::to_csv`]) with `line_end` after each record.
    pub fn to_csv_with(&self, line_end: LineEnd) -> String {
        let end = line_end.as_str();
        let mut s = record(self.columns.iter().map(|c| c.header.as_str()));
        s.push_str(end);
        for row in &self.rows {
            let fields = row.iter().zip(&self.columns).map(|(cell, col)| {
                if col.kind == ColumnKind::Number && is_missing(cell) {
                    String::new()
                } else if col.kind == ColumnKind::TextWithMath {
                    crate::latex::without_math_delimiters(cell)
                } else {
                    cell.clone()
                }
            });
            s.push_str(&record(fields));
            s.push_str(end);
        }
        s
    }
}

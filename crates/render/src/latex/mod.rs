//! LaTeX: a [`Table`] as a `booktabs` table with `siunitx` number columns
//! ([`Table::to_booktabs`], [`Table::to_tabular`]), escaping of plain text ([`escape_latex`]),
//! comments ([`comment`]), `align*` blocks of equations ([`align_star`]), decimals in math
//! mode ([`decimal_math`]), and a document compiled and looked at ([`compile()`]: `pdflatex`
//! twice, the log checked, the pages rendered to PNG).
//!
//! ## Column types
//! A [`ColumnKind::Text`] column is a left-aligned `l` column whose cells are escaped, so any
//! string typesets under `pdflatex`; a [`ColumnKind::Math`] column is an `l` column whose cells
//! are LaTeX math written by the caller, typeset as `$...$`; a [`ColumnKind::Number`] column is
//! a `siunitx` `S` column aligned on the decimal marker, with a `table-format` computed from the
//! cells (the widest integer part, fraction and exponent), or a centred `c` column when no cell
//! is a number.
//!
//! ## Why the LaTeX never depends on siunitx accepting a cell
//! siunitx parses every cell of an `S` column as a number and stops compilation with an error on
//! input it cannot parse (`NaN`, `< 1e-29`, `1.2 ± 0.3`, ...). So a number cell is passed to
//! siunitx only when it matches the strict grammar
//! `[+-]? digits [. digits] ([eE] [+-]? digits)?` (no bare leading or trailing decimal
//! point, [`is_siunitx_number`]); any other non-empty cell is escaped and wrapped in braces,
//! which siunitx typesets as text. A missing value is written as an empty cell or `--`: it stays
//! empty in the CSV and prints as an en dash in LaTeX. Headers of `S` columns are always braced.
//!
//! ## The float
//! The `.tex` file needs only `\usepackage{booktabs,siunitx}` in the preamble. Tables are
//! floats (`table`) set in `\small`; the font shrinks to `\footnotesize`, `\scriptsize` or
//! `\tiny` for tables with many rows (up to about 65 rows fit one page) or wide ones (long
//! numbers: the estimate counts digits, siunitx's digit groups and exponents).

mod compile;
mod escape;
mod number;

use std::fmt::Write as _;

pub use compile::{CompileError, Compiled, compile, log_problems};
pub use escape::{escape_latex, escape_latex_with_math, without_math_delimiters};
pub use number::is_siunitx_number;
use number::{ColumnFormat, parse_number};

use crate::table::{Column, ColumnKind, Table, is_missing};

impl Column {
    /// The header as LaTeX: the raw [`Column::header_tex`], else the escaped plain header.
    pub fn latex_header(&self) -> String {
        self.header_tex
            .clone()
            .unwrap_or_else(|| escape_latex(&self.header))
    }
}

impl Table {
    /// The `S[table-format=...]` format of each number column with a parsable cell.
    fn number_formats(&self) -> Vec<Option<ColumnFormat>> {
        (0..self.columns.len())
            .map(|j| match self.columns[j].kind {
                ColumnKind::Number => ColumnFormat::of(self.rows.iter().map(|r| r[j].as_str())),
                ColumnKind::Text | ColumnKind::Math | ColumnKind::TextWithMath => None,
            })
            .collect()
    }

    /// The table as a LaTeX `table` float with booktabs rules, to be `\input` into a document
    /// that loads `booktabs` and `siunitx`. A titled table starts with a comment naming its
    /// stem and has a `\caption` and a `\label`; an untitled one has neither.
    pub fn to_booktabs(&self) -> String {
        let formats = self.number_formats();
        // The font shrinks for tall tables (to fit a page) and for wide ones (to fit the text
        // width); the smaller of the two sizes wins.
        let by_rows = match self.rows.len() {
            0..=30 => 0,
            31..=45 => 1,
            _ => 2,
        };
        let by_width = match self.width_chars(&formats) {
            0..=75 => 0,
            76..=85 => 1,
            86..=110 => 2,
            _ => 3,
        };
        let size = ["\\small", "\\footnotesize", "\\scriptsize", "\\tiny"][by_rows.max(by_width)];

        let mut s = String::new();
        if let Some(t) = &self.title {
            let _ = writeln!(
                s,
                "% {}: written by {}. Needs \\usepackage{{booktabs,siunitx}}.",
                t.stem(),
                t.source()
            );
        }
        s.push_str("\\begin{table}[htbp]\n  \\centering\n");
        let _ = writeln!(s, "  {size}");
        if let Some(t) = &self.title {
            let caption = t
                .caption_tex()
                .map_or_else(|| escape_latex(t.caption()), str::to_string);
            let _ = writeln!(s, "  \\caption{{{caption}}}");
            let _ = writeln!(s, "  \\label{{{}}}", t.label());
        }
        self.write_tabular(&mut s, &formats, "  ");
        s.push_str("\\end{table}\n");
        s
    }

    /// The table as a bare `tabular` environment with booktabs rules (no float, caption or
    /// label), to be placed by the caller; it needs `booktabs` and `siunitx`.
    pub fn to_tabular(&self) -> String {
        let mut s = String::new();
        self.write_tabular(&mut s, &self.number_formats(), "");
        s
    }

    /// Writes the `tabular` environment, indented by `indent` (rows by two more spaces).
    fn write_tabular(&self, s: &mut String, formats: &[Option<ColumnFormat>], indent: &str) {
        let specs: Vec<String> = self
            .columns
            .iter()
            .zip(formats)
            .map(|(col, format)| match (col.kind, format) {
                (ColumnKind::Text | ColumnKind::Math | ColumnKind::TextWithMath, _) => {
                    "l".to_string()
                }
                (ColumnKind::Number, Some(f)) => format!("S[table-format={}]", f.table_format()),
                // No parsable number in the column: nothing for siunitx to align.
                (ColumnKind::Number, None) => "c".to_string(),
            })
            .collect();
        let s_column: Vec<bool> = specs.iter().map(|s| s.starts_with('S')).collect();
        let _ = writeln!(s, "{indent}\\begin{{tabular}}{{{}}}", specs.join(" "));
        let _ = writeln!(s, "{indent}  \\toprule");
        let headers: Vec<String> = self
            .columns
            .iter()
            .zip(&s_column)
            .map(|(col, &is_s)| {
                let h = col.latex_header();
                if is_s { format!("{{{h}}}") } else { h }
            })
            .collect();
        let _ = writeln!(s, "{indent}  {} \\\\", guard_row_start(headers.join(" & ")));
        let _ = writeln!(s, "{indent}  \\midrule");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&self.columns)
                .zip(&s_column)
                .map(|((cell, col), &is_s)| latex_cell(cell, col.kind, is_s))
                .collect();
            let _ = writeln!(s, "{indent}  {} \\\\", guard_row_start(cells.join(" & ")));
        }
        let _ = writeln!(s, "{indent}  \\bottomrule\n{indent}\\end{{tabular}}");
    }

    /// An estimate of the table's width in characters (digit widths), counting siunitx's
    /// digit groups and exponents.
    fn width_chars(&self, formats: &[Option<ColumnFormat>]) -> usize {
        let header_or_cells = |j: usize| {
            let header = self.columns[j].header.chars().count();
            let cells = self.rows.iter().map(|r| r[j].chars().count()).max();
            header.max(cells.unwrap_or(0))
        };
        (0..self.columns.len())
            .map(|j| {
                2 + match (&formats[j], self.columns[j].kind) {
                    (Some(f), ColumnKind::Number) => f.width_chars(),
                    _ => header_or_cells(j),
                }
            })
            .sum()
    }
}

/// A row that cannot be mistaken for an argument of the command before it: `\\`, `\toprule`
/// and `\midrule` read a following `[` as the start of an optional argument and `\\` eats a
/// following `*`, so a row starting with either gets an empty group in front.
fn guard_row_start(row: String) -> String {
    if row.starts_with(['[', '*']) {
        format!("{{}}{row}")
    } else {
        row
    }
}

/// One cell of the LaTeX table body.
fn latex_cell(cell: &str, kind: ColumnKind, s_column: bool) -> String {
    match kind {
        ColumnKind::Text => escape_latex(cell),
        ColumnKind::TextWithMath => escape_latex_with_math(cell),
        ColumnKind::Math if cell.trim().is_empty() => String::new(),
        ColumnKind::Math => format!("${cell}$"),
        ColumnKind::Number => {
            let t = cell.trim();
            if is_missing(t) {
                if t.is_empty() {
                    String::new()
                } else if s_column {
                    "{--}".to_string()
                } else {
                    "--".to_string()
                }
            } else if s_column && parse_number(t).is_some() {
                t.to_string()
            } else if s_column {
                format!("{{{}}}", escape_latex(t))
            } else {
                escape_latex(t)
            }
        }
    }
}

/// `text` as LaTeX comment lines: each line of `text` prefixed with `% ` and ended with a line
/// break, so that no part of it reaches the typeset document.
pub fn comment(text: &str) -> String {
    let mut s = String::new();
    for line in text.split('\n') {
        let _ = writeln!(s, "% {}", line.strip_suffix('\r').unwrap_or(line));
    }
    s
}

/// One line of an `align*` block: `lhs &relation rhs`, all three raw LaTeX math.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    /// The left-hand side.
    pub lhs: String,
    /// The relation at the alignment point (`=`, `\sim`, `\le`, ...).
    pub relation: String,
    /// The right-hand side.
    pub rhs: String,
}

impl Equation {
    /// `lhs = rhs`.
    pub fn new(lhs: impl Into<String>, rhs: impl Into<String>) -> Self {
        Self::with_relation(lhs, "=", rhs)
    }

    /// `lhs relation rhs`.
    pub fn with_relation(
        lhs: impl Into<String>,
        relation: impl Into<String>,
        rhs: impl Into<String>,
    ) -> Self {
        Self {
            lhs: lhs.into(),
            relation: relation.into(),
            rhs: rhs.into(),
        }
    }
}

/// `equations` as an `align*` block (amsmath), aligned at their relations, one per line.
///
/// ```
/// use efftrade_render::latex::{Equation, align_star};
///
/// let block = align_star(&[
///     Equation::new("T_1", "\\frac{n-1}{n+1}"),
///     Equation::with_relation("\\int_a^b F^N\\,dp", "\\sim", "\\frac{1}{N}"),
/// ]);
/// assert_eq!(
///     block,
///     "\\begin{align*}\n  T_1 &= \\frac{n-1}{n+1} \\\\\n  \\int_a^b F^N\\,dp &\\sim \\frac{1}{N}\n\\end{align*}\n"
/// );
/// ```
pub fn align_star(equations: &[Equation]) -> String {
    let rows: Vec<String> = equations
        .iter()
        .map(|e| format!("  {} &{} {}", e.lhs, e.relation, e.rhs))
        .collect();
    format!(
        "\\begin{{align*}}\n{}\n\\end{{align*}}\n",
        rows.join(" \\\\\n")
    )
}

/// A decimal string in math mode, with an exponent `e-7` written as `\times 10^{-7}`:
/// `1.5e-7` becomes `$1.5 \times 10^{-7}$`, `2.25` becomes `$2.25$`.
pub fn decimal_math(decimal: &str) -> String {
    match decimal.split_once(['e', 'E']) {
        Some((m, e)) => format!("${m} \\times 10^{{{e}}}$"),
        None => format!("${decimal}$"),
    }
}

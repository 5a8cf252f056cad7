//! Tables for a write-up: the same [`Table`] as a LaTeX `booktabs` table ready for `\input`
//! and as a CSV file.
//!
//! A table has a file stem (the name of both files), a caption, a LaTeX label, columns and rows
//! of cell strings. Each [`Column`] has a [`ColumnKind`]:
//!
//! - [`ColumnKind::Text`]: plain text; LaTeX's special characters (`\ { } $ & # % _ ^ ~ < > |`)
//!   and common non-ASCII characters (Greek letters, `≤`, `±`, accented letters, ...) are escaped,
//!   so any string typesets under `pdflatex`.
//! - [`ColumnKind::Number`]: decimal strings, of any length (the engine prints 40 significant
//!   digits and more), possibly with an exponent (`1.5e-30`). They become a `siunitx` `S` column
//!   aligned on the decimal marker, with a `table-format` computed from the cells.
//! - [`ColumnKind::Math`]: LaTeX math written by the caller (for instance a closed form from the
//!   symbolic crate), typeset as `$...$` without escaping.
//!
//! ## Why the LaTeX never depends on siunitx accepting a cell
//! siunitx parses every cell of an `S` column as a number and stops compilation with an error on
//! input it cannot parse (`NaN`, `< 1e-29`, `1.2 ± 0.3`, ...). So a number cell is passed to
//! siunitx only when it matches the strict grammar
//! `[+-]? digits [. digits] ([eE] [+-]? digits)?` (no bare leading or trailing decimal
//! point); any other non-empty cell is escaped and wrapped in braces, which siunitx typesets as
//! text. A missing value is written as an empty cell or `--`: it stays empty in the CSV and
//! prints as an en dash in LaTeX. Headers of `S` columns are always braced.
//!
//! The `.tex` file needs only `\usepackage{booktabs,siunitx}` in the preamble. Tables are
//! floats (`table`) set in `\small`; the font shrinks to `\footnotesize`, `\scriptsize` or
//! `\tiny` for tables with many rows (up to about 65 rows fit one page) or wide ones (long
//! numbers: the estimate counts digits, siunitx's digit groups and exponents).
//!
//! The CSV follows RFC 4180: a header row with the column headers, CRLF line ends, and a field
//! quoted (with inner quotes doubled) exactly when it contains a comma, a quote, CR or LF.
//!
//! ```
//! use efftrade_paper_checks::tables::{Column, Table};
//!
//! let mut t = Table::new(
//!     "example1_beta_star",
//!     "Example 1: beta* against n",
//!     "tab:example1",
//!     vec![
//!         Column::number("n"),
//!         Column::number("beta* (market A)").with_header_tex("$\\beta^*_A$"),
//!     ],
//! )?;
//! t.push_row(["2", "3.133369666140473079563532130838166286112"])?;
//! t.push_row(["3", "--"])?;
//! let tex = t.to_booktabs();
//! assert!(tex.contains("\\begin{tabular}{S[table-format=1] S[table-format=1.39]}"));
//! assert!(tex.contains("3 & {--} \\\\"));
//! assert_eq!(t.to_csv(), "n,beta* (market A)\r\n2,3.133369666140473079563532130838166286112\r\n3,\r\n");
//! # Ok::<(), efftrade_paper_checks::tables::TableError>(())
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why a table could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file stem is empty or has characters other than ASCII letters, digits, `-` and `_`.
    #[error(
        "table file stem {0:?} is not a plain file name: use ASCII letters, digits, '-' and '_'"
    )]
    BadStem(String),
    /// The LaTeX label is empty or has characters other than ASCII letters, digits and `:-_.`.
    #[error("LaTeX label {0:?} may use only ASCII letters, digits and ':', '-', '_', '.'")]
    BadLabel(String),
    /// A table needs at least one column.
    #[error("table {stem:?} has no columns")]
    NoColumns {
        /// The table's file stem.
        stem: String,
    },
    /// A row does not have one cell per column.
    #[error("table {stem:?}: row {row} has {got} cells but the table has {expected} columns")]
    RowLength {
        /// The table's file stem.
        stem: String,
        /// The row's index (0 = first data row).
        row: usize,
        /// The row's number of cells.
        got: usize,
        /// The table's number of columns.
        expected: usize,
    },
    /// A file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

/// What a column holds, which decides how its cells are typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Plain text, escaped for LaTeX; a left-aligned `l` column.
    Text,
    /// Decimal numbers as strings; a `siunitx` `S` column (see the module docs).
    Number,
    /// LaTeX math source, typeset as `$cell$` unescaped; a left-aligned `l` column.
    Math,
}

/// One column: its header and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header as plain text: the CSV header, and the LaTeX header (escaped) unless
    /// [`Column::header_tex`] is set.
    pub header: String,
    /// The LaTeX header as raw LaTeX (for instance `$\beta^*$`), used instead of the escaped
    /// plain header.
    pub header_tex: Option<String>,
    /// What the column holds.
    pub kind: ColumnKind,
}

impl Column {
    /// A text column.
    pub fn text(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            header_tex: None,
            kind: ColumnKind::Text,
        }
    }

    /// A number column.
    pub fn number(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            header_tex: None,
            kind: ColumnKind::Number,
        }
    }

    /// A column of LaTeX math.
    pub fn math(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            header_tex: None,
            kind: ColumnKind::Math,
        }
    }

    /// The same column with a raw LaTeX header, e.g. `Column::number("beta*").with_header_tex("$\\beta^*$")`.
    #[must_use]
    pub fn with_header_tex(mut self, tex: impl Into<String>) -> Self {
        self.header_tex = Some(tex.into());
        self
    }

    fn latex_header(&self) -> String {
        self.header_tex
            .clone()
            .unwrap_or_else(|| escape_latex(&self.header))
    }
}

/// Where a written table is, for [`crate::writeup::writeup_tex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// The file stem: the table is `tables/<stem>.tex` (and `.csv`) in the output directory.
    pub stem: String,
    /// The table's LaTeX label.
    pub label: String,
}

impl TableRef {
    /// The path of the `.tex` file relative to the output directory, with `/` separators, as
    /// `\input` takes it.
    pub fn tex_path(&self) -> String {
        format!("tables/{}.tex", self.stem)
    }

    /// The path of the `.csv` file relative to the output directory.
    pub fn csv_path(&self) -> String {
        format!("tables/{}.csv", self.stem)
    }
}

/// A table with a caption and a label, rendered to LaTeX ([`Table::to_booktabs`]) and CSV
/// ([`Table::to_csv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    stem: String,
    caption: String,
    caption_tex: Option<String>,
    label: String,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table. `stem` names the files (`tables/<stem>.tex`, `tables/<stem>.csv`):
    /// ASCII letters, digits, `-` and `_`; `caption` is plain text (escaped); `label` is the
    /// LaTeX label (ASCII letters, digits, `:-_.`, e.g. `tab:example1`).
    pub fn new(
        stem: impl Into<String>,
        caption: impl Into<String>,
        label: impl Into<String>,
        columns: Vec<Column>,
    ) -> Result<Self, TableError> {
        let stem = stem.into();
        let label = label.into();
        if stem.is_empty()
            || !stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(TableError::BadStem(stem));
        }
        if label.is_empty()
            || !label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        {
            return Err(TableError::BadLabel(label));
        }
        if columns.is_empty() {
            return Err(TableError::NoColumns { stem });
        }
        Ok(Self {
            stem,
            caption: caption.into(),
            caption_tex: None,
            label,
            columns,
            rows: Vec::new(),
        })
    }

    /// The same table with a caption in raw LaTeX for the `.tex` file (the plain caption stays
    /// for [`TableRef`] users and error messages).
    #[must_use]
    pub fn with_caption_tex(mut self, tex: impl Into<String>) -> Self {
        self.caption_tex = Some(tex.into());
        self
    }

    /// Appends a row; it must have one cell per column.
    pub fn push_row<I, S>(&mut self, cells: I) -> Result<&mut Self, TableError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let row: Vec<String> = cells.into_iter().map(Into::into).collect();
        if row.len() != self.columns.len() {
            return Err(TableError::RowLength {
                stem: self.stem.clone(),
                row: self.rows.len(),
                got: row.len(),
                expected: self.columns.len(),
            });
        }
        self.rows.push(row);
        Ok(self)
    }

    /// The file stem.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The plain-text caption.
    pub fn caption(&self) -> &str {
        &self.caption
    }

    /// The LaTeX label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The rows, one cell string per column.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Where this table is written, for the write-up.
    pub fn reference(&self) -> TableRef {
        TableRef {
            stem: self.stem.clone(),
            label: self.label.clone(),
        }
    }

    /// The table as a standalone LaTeX `table` float with booktabs rules, to be `\input`
    /// into a document that loads `booktabs` and `siunitx`.
    pub fn to_booktabs(&self) -> String {
        let formats: Vec<Option<ColumnFormat>> = (0..self.columns.len())
            .map(|j| match self.columns[j].kind {
                ColumnKind::Number => self.number_format(j),
                ColumnKind::Text | ColumnKind::Math => None,
            })
            .collect();
        let specs: Vec<String> = self
            .columns
            .iter()
            .zip(&formats)
            .map(|(col, format)| match (col.kind, format) {
                (ColumnKind::Text | ColumnKind::Math, _) => "l".to_string(),
                (ColumnKind::Number, Some(f)) => format!("S[table-format={}]", f.table_format()),
                // No parsable number in the column: nothing for siunitx to align.
                (ColumnKind::Number, None) => "c".to_string(),
            })
            .collect();
        let s_column: Vec<bool> = specs.iter().map(|s| s.starts_with('S')).collect();
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
        let caption = self
            .caption_tex
            .clone()
            .unwrap_or_else(|| escape_latex(&self.caption));

        let mut s = String::new();
        let _ = writeln!(
            s,
            "% {}: written by efftrade paper. Needs \\usepackage{{booktabs,siunitx}}.",
            self.stem
        );
        s.push_str("\\begin{table}[htbp]\n  \\centering\n");
        let _ = writeln!(s, "  {size}");
        let _ = writeln!(s, "  \\caption{{{caption}}}");
        let _ = writeln!(s, "  \\label{{{}}}", self.label);
        let _ = writeln!(s, "  \\begin{{tabular}}{{{}}}", specs.join(" "));
        s.push_str("    \\toprule\n");
        let headers: Vec<String> = self
            .columns
            .iter()
            .zip(&s_column)
            .map(|(col, &is_s)| {
                let h = col.latex_header();
                if is_s { format!("{{{h}}}") } else { h }
            })
            .collect();
        let _ = writeln!(s, "    {} \\\\", guard_row_start(headers.join(" & ")));
        s.push_str("    \\midrule\n");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&self.columns)
                .zip(&s_column)
                .map(|((cell, col), &is_s)| latex_cell(cell, col.kind, is_s))
                .collect();
            let _ = writeln!(s, "    {} \\\\", guard_row_start(cells.join(" & ")));
        }
        s.push_str("    \\bottomrule\n  \\end{tabular}\n\\end{table}\n");
        s
    }

    /// The table as RFC 4180 CSV: a header row, then the rows; CRLF line ends. Missing
    /// numbers (`--`) are empty fields.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        let header: Vec<String> = self.columns.iter().map(|c| csv_field(&c.header)).collect();
        s.push_str(&header.join(","));
        s.push_str("\r\n");
        for row in &self.rows {
            let fields: Vec<String> = row
                .iter()
                .zip(&self.columns)
                .map(|(cell, col)| {
                    if col.kind == ColumnKind::Number && is_missing(cell) {
                        String::new()
                    } else {
                        csv_field(cell)
                    }
                })
                .collect();
            s.push_str(&fields.join(","));
            s.push_str("\r\n");
        }
        s
    }

    /// Writes `<dir>/tables/<stem>.tex` and `<dir>/tables/<stem>.csv`, creating
    /// `<dir>/tables` if needed, and returns where they are.
    pub fn write(&self, dir: &Path) -> Result<TableRef, TableError> {
        let tables = dir.join("tables");
        fs::create_dir_all(&tables).map_err(|source| TableError::Io {
            path: tables.clone(),
            source,
        })?;
        for (ext, text) in [("tex", self.to_booktabs()), ("csv", self.to_csv())] {
            let path = tables.join(format!("{}.{ext}", self.stem));
            fs::write(&path, text).map_err(|source| TableError::Io { path, source })?;
        }
        Ok(self.reference())
    }

    /// The widest number of column `j` (sign, digits, exponent taken separately over its
    /// parsable cells); `None` when it has none.
    fn number_format(&self, j: usize) -> Option<ColumnFormat> {
        let mut f: Option<ColumnFormat> = None;
        for row in &self.rows {
            let Some(n) = parse_number(row[j].trim()) else {
                continue;
            };
            let g = f.get_or_insert(ColumnFormat {
                sign: false,
                int: 1,
                dec: 0,
                exp: None,
            });
            g.sign |= n.sign;
            g.int = g.int.max(n.int_digits);
            g.dec = g.dec.max(n.frac_digits);
            if let Some((neg, digits)) = n.exponent {
                let (old_neg, old_digits) = g.exp.unwrap_or((false, 1));
                g.exp = Some((old_neg || neg, old_digits.max(digits)));
            }
        }
        f
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

/// The widest number of an `S` column, which sets its `table-format`.
#[derive(Debug, Clone, Copy)]
struct ColumnFormat {
    sign: bool,
    int: usize,
    dec: usize,
    /// `(negative, digit count)` of the exponent.
    exp: Option<(bool, usize)>,
}

impl ColumnFormat {
    /// The `table-format` value, e.g. `-1.39e-2`.
    fn table_format(&self) -> String {
        let mut f = String::new();
        if self.sign {
            f.push('-');
        }
        let _ = write!(f, "{}", self.int);
        if self.dec > 0 {
            let _ = write!(f, ".{}", self.dec);
        }
        if let Some((neg, digits)) = self.exp {
            f.push('e');
            if neg {
                f.push('-');
            }
            let _ = write!(f, "{digits}");
        }
        f
    }

    /// Typeset width in digit widths: digits, thin spaces between groups of three, the sign,
    /// and `\times 10^{e}`.
    fn width_chars(&self) -> usize {
        let groups = |d: usize| if d >= 5 { (d - 1) / 3 } else { 0 };
        usize::from(self.sign)
            + self.int
            + usize::from(self.dec > 0)
            + self.dec
            + (groups(self.int) + groups(self.dec)) / 2
            + self.exp.map_or(0, |(neg, d)| 4 + usize::from(neg) + d)
    }
}

/// The shape of a number cell that siunitx can parse.
struct NumberShape {
    sign: bool,
    int_digits: usize,
    frac_digits: usize,
    /// `(negative, digit count)` of the exponent.
    exponent: Option<(bool, usize)>,
}

/// Parses `[+-]? digits [. digits] ([eE] [+-]? digits)?`: the forms every siunitx version
/// reads, nothing more.
fn parse_number(s: &str) -> Option<NumberShape> {
    let b = s.as_bytes();
    let mut i = 0;
    let sign = matches!(b.first(), Some(b'+' | b'-'));
    if sign {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = digits(&mut i);
        if frac_digits == 0 {
            return None;
        }
    }
    if int_digits == 0 {
        return None;
    }
    let mut exponent = None;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let neg = i < b.len() && b[i] == b'-';
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let n = digits(&mut i);
        if n == 0 {
            return None;
        }
        exponent = Some((neg, n));
    }
    (i == b.len()).then_some(NumberShape {
        sign,
        int_digits,
        frac_digits,
        exponent,
    })
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

/// Whether a number cell stands for a missing value: empty, `--`, `---`, an en or em dash.
fn is_missing(cell: &str) -> bool {
    matches!(cell.trim(), "" | "--" | "---" | "\u{2013}" | "\u{2014}")
}

/// One cell of the LaTeX table body.
fn latex_cell(cell: &str, kind: ColumnKind, s_column: bool) -> String {
    match kind {
        ColumnKind::Text => escape_latex(cell),
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

/// One RFC 4180 field: quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
fn csv_field(cell: &str) -> String {
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// `text` escaped for LaTeX text mode under `pdflatex` with its default encodings.
///
/// The ten special characters become commands (`\_`, `\%`, `\textbackslash{}`, ...), `<`, `>`
/// and `|` become `\textless{}`, `\textgreater{}` and `\textbar{}` (the default OT1 font has
/// no such glyphs), line breaks and tabs become spaces, Greek letters and common mathematical
/// signs become `\ensuremath{...}`, accented Latin letters become accent commands, and any other
/// non-ASCII character is written as `[U+XXXX]`, so the result always compiles.
pub fn escape_latex(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\textbackslash{}"),
            '{' => s.push_str("\\{"),
            '}' => s.push_str("\\}"),
            '$' => s.push_str("\\$"),
            '&' => s.push_str("\\&"),
            '#' => s.push_str("\\#"),
            '%' => s.push_str("\\%"),
            '_' => s.push_str("\\_"),
            '^' => s.push_str("\\textasciicircum{}"),
            '~' => s.push_str("\\textasciitilde{}"),
            '<' => s.push_str("\\textless{}"),
            '>' => s.push_str("\\textgreater{}"),
            '|' => s.push_str("\\textbar{}"),
            '\n' | '\r' | '\t' => s.push(' '),
            c if c.is_ascii_control() => {}
            c if c.is_ascii() => s.push(c),
            c => s.push_str(&non_ascii(c)),
        }
    }
    s
}

/// LaTeX for a non-ASCII character.
fn non_ascii(c: char) -> String {
    if let Some(name) = greek(c) {
        return format!("\\ensuremath{{\\{name}}}");
    }
    let math = match c {
        '∞' => Some("\\infty"),
        '≤' => Some("\\leq"),
        '≥' => Some("\\geq"),
        '±' => Some("\\pm"),
        '×' => Some("\\times"),
        '−' => Some("-"),
        '≈' => Some("\\approx"),
        '≠' => Some("\\neq"),
        '∈' => Some("\\in"),
        '·' => Some("\\cdot"),
        '→' => Some("\\to"),
        '∑' => Some("\\sum"),
        '∫' => Some("\\int"),
        '√' => Some("\\surd"),
        '∂' => Some("\\partial"),
        '′' => Some("\\prime"),
        '∗' => Some("\\ast"),
        '°' => Some("^\\circ"),
        '¹' => Some("^1"),
        '²' => Some("^2"),
        '³' => Some("^3"),
        _ => None,
    };
    if let Some(m) = math {
        return format!("\\ensuremath{{{m}}}");
    }
    let text = match c {
        '\u{a0}' => Some("~"),
        '–' => Some("\\textendash{}"),
        '—' => Some("\\textemdash{}"),
        '…' => Some("\\dots{}"),
        '‘' => Some("`"),
        '’' => Some("'"),
        '“' => Some("``"),
        '”' => Some("''"),
        'ß' => Some("\\ss{}"),
        'æ' => Some("\\ae{}"),
        'Æ' => Some("\\AE{}"),
        'œ' => Some("\\oe{}"),
        'Œ' => Some("\\OE{}"),
        'ø' => Some("\\o{}"),
        'Ø' => Some("\\O{}"),
        'å' => Some("\\aa{}"),
        'Å' => Some("\\AA{}"),
        _ => None,
    };
    if let Some(t) = text {
        return t.to_string();
    }
    if let Some((accent, base)) = accented(c) {
        return format!("\\{accent}{{{base}}}");
    }
    format!("[U+{:04X}]", c as u32)
}

/// An accented Latin letter as its accent command (`` ` ``, `'`, `^`, `"`, `~` or `c` for
/// the cedilla) and its base letter (`\i`, the dotless i, for an accented i).
fn accented(c: char) -> Option<(&'static str, &'static str)> {
    let accent = match c {
        'à' | 'è' | 'ì' | 'ò' | 'ù' | 'À' | 'È' | 'Ì' | 'Ò' | 'Ù' => "`",
        'á' | 'é' | 'í' | 'ó' | 'ú' | 'ý' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' | 'Ý' => "'",
        'â' | 'ê' | 'î' | 'ô' | 'û' | 'Â' | 'Ê' | 'Î' | 'Ô' | 'Û' => "^",
        'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'ÿ' | 'Ä' | 'Ë' | 'Ï' | 'Ö' | 'Ü' => "\"",
        'ã' | 'ñ' | 'õ' | 'Ã' | 'Ñ' | 'Õ' => "~",
        'ç' | 'Ç' => "c",
        _ => return None,
    };
    let base = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' => "a",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "\\i",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ñ' => "n",
        'ç' => "c",
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => "A",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "O",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'Ý' => "Y",
        'Ñ' => "N",
        _ => "C",
    };
    Some((accent, base))
}

/// The LaTeX name of a Greek letter.
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' => "varepsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'π' => "pi",
        'ρ' => "rho",
        'σ' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' => "varphi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'Γ' => "Gamma",
        'Δ' => "Delta",
        'Θ' => "Theta",
        'Λ' => "Lambda",
        'Ξ' => "Xi",
        'Π' => "Pi",
        'Σ' => "Sigma",
        'Υ' => "Upsilon",
        'Φ' => "Phi",
        'Ψ' => "Psi",
        'Ω' => "Omega",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_number_grammar() {
        for ok in [
            "0",
            "-1.5",
            "+1.25",
            "1.5e-30",
            "2E+7",
            "12345678901234567890.5",
        ] {
            assert!(parse_number(ok).is_some(), "{ok}");
        }
        for bad in [
            "", "-", ".", ".5", "3.", "e5", "1e", "1.5e-", "NaN", "inf", "1,5", "< 1e-29",
            "1.2(3)", "1 2",
        ] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn accented_letters_become_accent_commands() {
        assert_eq!(escape_latex("é"), "\\'{e}");
        assert_eq!(escape_latex("ï"), "\\\"{\\i}");
        assert_eq!(escape_latex("Ç"), "\\c{C}");
        assert_eq!(
            escape_latex("β ≤ ∞"),
            "\\ensuremath{\\beta} \\ensuremath{\\leq} \\ensuremath{\\infty}"
        );
        assert_eq!(escape_latex("\u{1F600}"), "[U+1F600]");
    }
}

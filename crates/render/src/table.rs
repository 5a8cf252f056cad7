//! The table model: columns with a [`ColumnKind`], rows of cell strings, and for a table that is
//! written to files, a [`Title`] (file stem, caption, LaTeX label).
//!
//! A table holds strings only: the caller decides how many digits a number shows. The kinds
//! decide how each format treats a cell (see [`ColumnKind`]); the formats themselves are in
//! [`crate::latex`], [`crate::csv`], [`crate::text`] and [`crate::markdown`].

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
        /// The table's file stem (empty for a table without a title).
        stem: String,
    },
    /// A row does not have one cell per column.
    #[error("table {stem:?}: row {row} has {got} cells but the table has {expected} columns")]
    RowLength {
        /// The table's file stem (empty for a table without a title).
        stem: String,
        /// The row's index (0 = first data row).
        row: usize,
        /// The row's number of cells.
        got: usize,
        /// The table's number of columns.
        expected: usize,
    },
    /// Only a table with a [`Title`] has file names to be written under.
    #[error("a table without a title has no file name: build it with Table::titled to write it")]
    Untitled,
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
    /// Plain text: escaped for LaTeX (a left-aligned `l` column), `|` escaped in Markdown.
    Text,
    /// Decimal numbers as strings: a `siunitx` `S` column in LaTeX (see [`crate::latex`]),
    /// right-aligned in Markdown; a missing value (empty, `--`, a dash) is an empty CSV field.
    Number,
    /// LaTeX math source, typeset as `$cell$` unescaped in LaTeX and Markdown; a left-aligned
    /// `l` column.
    Math,
    /// Text with inline LaTeX math between `$` signs (`Beta(2, 2)`, `$1 - (1 - x)^3$`): in LaTeX
    /// the math is typeset and the rest escaped
    /// ([`crate::latex::escape_latex_with_math`]), an `l` column; in CSV and aligned text the
    /// `$` signs are dropped ([`crate::latex::without_math_delimiters`]); in Markdown the cell
    /// is kept as written.
    TextWithMath,
}

/// One column: its header and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header as plain text: the CSV, text and Markdown header, and the LaTeX header
    /// (escaped) unless [`Column::header_tex`] is set.
    pub header: String,
    /// The LaTeX header as raw LaTeX (for instance `$\beta^*$`), used instead of the escaped
    /// plain header.
    pub header_tex: Option<String>,
    /// What the column holds.
    pub kind: ColumnKind,
}

impl Column {
    fn of(header: impl Into<String>, kind: ColumnKind) -> Self {
        Self {
            header: header.into(),
            header_tex: None,
            kind,
        }
    }

    /// A text column.
    pub fn text(header: impl Into<String>) -> Self {
        Self::of(header, ColumnKind::Text)
    }

    /// A number column.
    pub fn number(header: impl Into<String>) -> Self {
        Self::of(header, ColumnKind::Number)
    }

    /// A column of LaTeX math.
    pub fn math(header: impl Into<String>) -> Self {
        Self::of(header, ColumnKind::Math)
    }

    /// A column of text with inline math between `$` signs.
    pub fn text_with_math(header: impl Into<String>) -> Self {
        Self::of(header, ColumnKind::TextWithMath)
    }

    /// The same column with a raw LaTeX header, e.g. `Column::number("beta*").with_header_tex("$\\beta^*$")`.
    #[must_use]
    pub fn with_header_tex(mut self, tex: impl Into<String>) -> Self {
        self.header_tex = Some(tex.into());
        self
    }
}

/// What a table written to files has: a file stem, a caption and a LaTeX label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    stem: String,
    caption: String,
    caption_tex: Option<String>,
    label: String,
    source: String,
}

impl Title {
    /// The file stem: the table is `tables/<stem>.tex` and `tables/<stem>.csv`.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The caption as plain text.
    pub fn caption(&self) -> &str {
        &self.caption
    }

    /// The caption as raw LaTeX, when one was given ([`Table::with_caption_tex`]).
    pub fn caption_tex(&self) -> Option<&str> {
        self.caption_tex.as_deref()
    }

    /// The LaTeX label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The program named in the `.tex` file's first comment ([`Table::written_by`]).
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Where a written table is, for a document that includes it.
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

/// A table: columns, rows of one cell string per column, and an optional [`Title`].
///
/// Rendered by [`Table::to_text`], [`Table::to_csv`], [`Table::to_markdown`],
/// [`Table::to_tabular`] and [`Table::to_booktabs`]; a titled table is written to files by
/// [`Table::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub(crate) title: Option<Title>,
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Whether `s` is a plain file stem: ASCII letters, digits, `-` and `_`.
pub fn is_plain_stem(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Table {
    /// An empty table without a title (for the terminal, CSV, Markdown or a bare `tabular`).
    pub fn new(columns: Vec<Column>) -> Result<Self, TableError> {
        if columns.is_empty() {
            return Err(TableError::NoColumns {
                stem: String::new(),
            });
        }
        Ok(Self {
            title: None,
            columns,
            rows: Vec::new(),
        })
    }

    /// An empty table with a title. `stem` names the files (`tables/<stem>.tex`,
    /// `tables/<stem>.csv`): ASCII letters, digits, `-` and `_`; `caption` is plain text
    /// (escaped); `label` is the LaTeX label (ASCII letters, digits, `:-_.`, e.g.
    /// `tab:example1`).
    pub fn titled(
        stem: impl Into<String>,
        caption: impl Into<String>,
        label: impl Into<String>,
        columns: Vec<Column>,
    ) -> Result<Self, TableError> {
        let stem = stem.into();
        let label = label.into();
        if !is_plain_stem(&stem) {
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
            title: Some(Title {
                stem,
                caption: caption.into(),
                caption_tex: None,
                label,
                source: "efftrade".to_string(),
            }),
            columns,
            rows: Vec::new(),
        })
    }

    /// The same table with a caption in raw LaTeX for the `.tex` file (the plain caption stays
    /// for [`TableRef`] users and error messages). No effect on a table without a title.
    #[must_use]
    pub fn with_caption_tex(mut self, tex: impl Into<String>) -> Self {
        if let Some(t) = &mut self.title {
            t.caption_tex = Some(tex.into());
        }
        self
    }

    /// The same table naming `program` in the first comment of its `.tex` file
    /// (`% <stem>: written by <program>. ...`); `efftrade` unless set. No effect on a table
    /// without a title.
    #[must_use]
    pub fn written_by(mut self, program: impl Into<String>) -> Self {
        if let Some(t) = &mut self.title {
            t.source = program.into();
        }
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
                stem: self
                    .title
                    .as_ref()
                    .map_or(String::new(), |t| t.stem.clone()),
                row: self.rows.len(),
                got: row.len(),
                expected: self.columns.len(),
            });
        }
        self.rows.push(row);
        Ok(self)
    }

    /// The title, for a table built with [`Table::titled`].
    pub fn title(&self) -> Option<&Title> {
        self.title.as_ref()
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The rows, one cell string per column.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Where this table is written, for a titled table.
    pub fn reference(&self) -> Option<TableRef> {
        self.title.as_ref().map(|t| TableRef {
            stem: t.stem.clone(),
            label: t.label.clone(),
        })
    }

    /// Writes `<dir>/tables/<stem>.tex` ([`Table::to_booktabs`]) and `<dir>/tables/<stem>.csv`
    /// ([`Table::to_csv`]), creating `<dir>/tables` if needed, and returns where they are.
    pub fn write(&self, dir: &Path) -> Result<TableRef, TableError> {
        let reference = self.reference().ok_or(TableError::Untitled)?;
        let tables = dir.join("tables");
        fs::create_dir_all(&tables).map_err(|source| TableError::Io {
            path: tables.clone(),
            source,
        })?;
        for (path, text) in [
            (reference.tex_path(), self.to_booktabs()),
            (reference.csv_path(), self.to_csv()),
        ] {
            let path = dir.join(path);
            fs::write(&path, text).map_err(|source| TableError::Io { path, source })?;
        }
        Ok(reference)
    }
}

/// Whether a number cell stands for a missing value: empty, `--`, `---`, an en or em dash.
pub fn is_missing(cell: &str) -> bool {
    matches!(cell.trim(), "" | "--" | "---" | "\u{2013}" | "\u{2014}")
}

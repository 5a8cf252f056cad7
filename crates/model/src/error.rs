//! Errors in spec files: what is wrong, where (file, line, column, YAML path), and how to fix it.

use std::fmt;

use crate::locate::Position;

/// The class of a fault in a spec, one per kind of bad input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not YAML (or is too large to be a spec).
    Syntax,
    /// A key the format does not know.
    UnknownKey,
    /// A required key is absent.
    MissingKey,
    /// A value of the wrong type (a list where a number belongs, say).
    WrongType,
    /// An expression that does not parse.
    Expression,
    /// A number that is not finite (`.inf`, `.nan`).
    NonFinite,
    /// Keys that contradict each other.
    Conflict,
    /// A grid (list or range) that is empty, inverted or too large.
    Grid,
    /// `n < 2`.
    TooFewAgents,
    /// A negative share.
    NegativeShare,
    /// Shares that do not sum to one.
    SharesSum,
    /// An m-fold replication with `m = 0`.
    ZeroReplication,
    /// More agents than the toolkit counts (2^128 - 1).
    TooManyAgents,
    /// A support end that is not a finite number.
    BadSupport,
    /// `a == b`.
    EmptySupport,
    /// `a > b`.
    InvertedSupport,
    /// `F(a) != 0`.
    LowerNotZero,
    /// `F(b) != 1` for a printed `b`, without `solve` or `renormalize`.
    UpperNotOne,
    /// `solve` found no `b` with `F(b) = 1`.
    NoUpperEnd,
    /// `F` decreases somewhere on the support.
    Decreasing,
    /// `F` is undefined somewhere on the support.
    Undefined,
    /// Monotonicity could not be certified.
    Uncertified,
    /// A family parameter out of range.
    BadParameter,
    /// A negative interdependence coefficient.
    NegativeBeta,
}

/// A fault in a spec, ready to show to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The class of fault.
    pub kind: ErrorKind,
    /// What is wrong.
    pub message: String,
    /// The YAML path of the offending value (`market.shares[1]`), when known.
    pub path: Option<String>,
    /// Where it is in the file, when known.
    pub position: Option<Position>,
    /// What to do about it.
    pub help: Option<String>,
    /// Further lines (an expression with a caret under its fault).
    pub detail: Option<String>,
    /// The file, when the spec came from one.
    pub file: Option<String>,
    /// The source line at `position`.
    pub source_line: Option<String>,
}

impl SpecError {
    /// A fault of `kind` with `message`, not yet located.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> SpecError {
        SpecError {
            kind,
            message: message.into(),
            path: None,
            position: None,
            help: None,
            detail: None,
            file: None,
            source_line: None,
        }
    }

    /// Adds advice on how to fix the fault.
    pub fn with_help(mut self, help: impl Into<String>) -> SpecError {
        self.help = Some(help.into());
        self
    }

    /// Adds detail lines.
    pub fn with_detail(mut self, detail: impl Into<String>) -> SpecError {
        self.detail = Some(detail.into());
        self
    }

    /// The same fault placed nowhere: no YAML path, file, position or source line (as the
    /// constructors that build a spec without a file report it).
    pub fn unplaced(mut self) -> SpecError {
        self.path = None;
        self.position = None;
        self.file = None;
        self.source_line = None;
        self
    }

    /// `file:line:column` as far as known.
    pub fn location(&self) -> String {
        let file = self.file.as_deref().unwrap_or("<spec>");
        match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file.to_string(),
        }
    }
}

impl fmt::Display for SpecError {
    /// The full report: location and message, the source line with a caret, detail and help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location())?;
        if let Some(path) = self.path.as_deref().filter(|p| !p.is_empty()) {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)?;
        if let (Some(line), Some(p)) = (&self.source_line, self.position) {
            let number = p.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_col: usize = line.chars().take(p.column.saturating_sub(1)).count();
            write!(
                f,
                "\n{pad} |\n{number} | {line}\n{pad} | {}^",
                " ".repeat(caret_col)
            )?;
        }
        if let Some(detail) = &self.detail {
            for l in detail.lines() {
                write!(f, "\n    {l}")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

//! The output formats as command-line values, and the views' errors as the command line's.

use efftrade_views::ViewError;

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

impl From<Format> for efftrade_views::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => efftrade_views::Format::Table,
            Format::Csv => efftrade_views::Format::Csv,
            Format::Json => efftrade_views::Format::Json,
            Format::Latex => efftrade_views::Format::Latex,
        }
    }
}

impl From<ViewError> for CliError {
    fn from(e: ViewError) -> CliError {
        CliError::Failed(e.to_string())
    }
}

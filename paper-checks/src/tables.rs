//! Tables for a write-up: the same [`Table`] as a LaTeX `booktabs` table ready for `\input`
//! and as a CSV file, from the rendering layer `efftrade_render` (see its docs for the column
//! kinds, the siunitx number grammar and the RFC 4180 quoting).
//!
//! ```
//! use efftrade_paper_checks::tables::{Column, Table};
//!
//! let mut t = Table::titled(
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

pub use efftrade_render::latex::escape_latex;
pub use efftrade_render::{Column, ColumnKind, Table, TableError, TableRef};

/// The program named in the first comment of every table `efftrade paper` writes.
pub const WRITTEN_BY: &str = "efftrade paper";

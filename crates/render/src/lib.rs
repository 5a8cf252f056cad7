//! # efftrade-render
//!
//! One rendering layer for efftrade's command line, `efftrade paper` and the symbolic reports.
//! It renders strings: callers format their numbers (certified digits and all) and hand over
//! cells; this crate lays them out.
//!
//! - [`Table`]: columns ([`Column`], each a [`ColumnKind`]: text, number or LaTeX math) and rows
//!   of cell strings, with an optional title (file stem, caption, LaTeX label). One table
//!   renders as aligned text ([`Table::to_text`], [`text`]), RFC 4180 CSV ([`Table::to_csv`],
//!   [`csv`]), LaTeX booktabs with siunitx number columns ([`Table::to_booktabs`],
//!   [`Table::to_tabular`], [`latex`]) and Markdown ([`Table::to_markdown`], [`markdown`]);
//!   [`Table::write`] writes a titled table's `.tex` and `.csv` files.
//! - [`latex`] also escapes plain text for LaTeX ([`latex::escape_latex`], and text with
//!   inline math, [`latex::escape_latex_with_math`]), writes comments and `align*` blocks of
//!   equations, and compiles a document as its author would ([`latex::compile()`]: pdflatex twice,
//!   the log checked, every page rendered to PNG, raster images counted).
//! - [`jsonl`]: any `serde::Serialize` record as one line of JSON.
//! - [`figure`]: line charts as SVG and PNG, drawn with plotters and a bundled font, and as
//!   pgfplots pictures for LaTeX (vector graphics in the document's fonts).
//!
//! ## A table in every format
//!
//! ```
//! use efftrade_render::{Column, Table};
//!
//! let mut t = Table::titled(
//!     "example1_beta_star",
//!     "Example 1: beta* against n",
//!     "tab:example1",
//!     vec![
//!         Column::number("n"),
//!         Column::number("beta* (market A)").with_header_tex("$\\beta^*_A$"),
//!         Column::text("note"),
//!     ],
//! )?;
//! t.push_row(["2", "3.133369666140473079563532130838166286112", "peak_1"])?;
//! t.push_row(["3", "--", "no value, yet"])?;
//!
//! // Aligned text for the terminal.
//! assert_eq!(
//!     t.to_text(),
//!     "n  beta* (market A)                           note\n\
//!      -  -----------------------------------------  -------------\n\
//!      2  3.133369666140473079563532130838166286112  peak_1\n\
//!      3  --                                         no value, yet\n"
//! );
//!
//! // RFC 4180 CSV: CRLF line ends, quoted where needed, missing numbers empty.
//! assert_eq!(
//!     t.to_csv(),
//!     "n,beta* (market A),note\r\n\
//!      2,3.133369666140473079563532130838166286112,peak_1\r\n\
//!      3,,\"no value, yet\"\r\n"
//! );
//!
//! // Markdown, as in REPORT.md: number columns right-aligned.
//! assert_eq!(
//!     t.to_markdown(),
//!     "| n | beta* (market A) | note |\n|---:|---:|---|\n\
//!      | 2 | 3.133369666140473079563532130838166286112 | peak_1 |\n\
//!      | 3 | -- | no value, yet |\n"
//! );
//!
//! // LaTeX: a booktabs float with siunitx columns sized to the numbers, text escaped.
//! let tex = t.to_booktabs();
//! assert!(tex.contains("\\begin{tabular}{S[table-format=1] S[table-format=1.39] l}"));
//! assert!(tex.contains("    {n} & {$\\beta^*_A$} & note \\\\"));
//! assert!(tex.contains("    2 & 3.133369666140473079563532130838166286112 & peak\\_1 \\\\"));
//! assert!(tex.contains("    3 & {--} & no value, yet \\\\"));
//! assert!(tex.contains("\\caption{Example 1: beta* against n}\n  \\label{tab:example1}"));
//!
//! // A table for the terminal needs no title.
//! let mut plain = Table::new(vec![Column::text("check"), Column::text("result")])?;
//! plain.push_row(["ex-post BB", "ok"])?;
//! assert_eq!(plain.to_text(), "check       result\n----------  ------\nex-post BB  ok\n");
//! # Ok::<(), efftrade_render::TableError>(())
//! ```
//!
//! ## JSON lines
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Row {
//!     n: String,
//!     t1: String,
//! }
//! let rows = [Row { n: "2".into(), t1: "-0.0833".into() }];
//! assert_eq!(efftrade_render::jsonl::lines(&rows)?, "{\"n\":\"2\",\"t1\":\"-0.0833\"}\n");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! ## A figure
//!
//! ```no_run
//! use std::path::Path;
//! use efftrade_render::figure::{self, Chart, Series, SeriesStyle};
//!
//! let mut chart = Chart::new("beta* against n", "number of agents n", "beta*");
//! chart.integer_x = true;
//! let s = Series::new("uniform", vec![(2.0, 2.0), (3.0, 2.56)], SeriesStyle::LineWithMarkers);
//! let written = figure::save(Path::new("out"), "beta", "beta* of the uniform market.", &chart, &[s])?;
//! assert_eq!(written.svg_path(), "figures/beta.svg");
//! # Ok::<(), figure::FigureError>(())
//! ```

pub mod csv;
pub mod figure;
pub mod jsonl;
pub mod latex;
pub mod markdown;
pub mod table;
pub mod text;

pub use table::{Column, ColumnKind, Table, TableError, TableRef, Title};

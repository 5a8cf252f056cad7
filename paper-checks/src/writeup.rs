//! `writeup.tex`: a minimal LaTeX document that `\input`s every table and includes every
//! figure written by `efftrade paper`, and compiles with `pdflatex` in the output directory.
//!
//! The document uses the article class and the packages `booktabs`, `siunitx` (Debian's
//! `texlive-latex-recommended` and `texlive-science`) and `pgfplots` (`texlive-pictures`).
//! Tables are included from `tables/<stem>.tex` ([`TableRef::tex_path`]); figures from their
//! pgfplots pictures ([`FigureRef::tex_path`]), vector graphics drawn by LaTeX in the
//! document's fonts, under captions whose math is typeset
//! ([`efftrade_render::latex::escape_latex_with_math`]). `\extrafloats` keeps a long list of
//! tables and figures from exhausting LaTeX's float registers.
//!
//! ```
//! use efftrade_paper_checks::figures::FigureRef;
//! use efftrade_paper_checks::tables::TableRef;
//! use efftrade_paper_checks::writeup::writeup_tex;
//!
//! let table = TableRef { stem: "example1".into(), label: "tab:example1".into() };
//! let figure = FigureRef {
//!     stem: "figure1".into(),
//!     caption: "$\\beta^*$ against $n$".into(),
//!     label: "fig:figure1".into(),
//! };
//! let tex = writeup_tex(&[table], &[figure]);
//! assert!(tex.contains("\\input{tables/example1.tex}"));
//! assert!(tex.contains("\\input{figures/figure1.tex}"));
//! assert!(tex.contains("\\caption{$\\beta^*$ against $n$}"));
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::figures::FigureRef;
use crate::tables::{TableRef, escape_latex_with_math};

/// Why `writeup.tex` could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteupError {
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

/// The text of `writeup.tex` for `tables` and `figures`, in the given order, with paths
/// relative to the output directory (where `writeup.tex` is written).
pub fn writeup_tex(tables: &[TableRef], figures: &[FigureRef]) -> String {
    let mut s = String::from(
        "% writeup.tex: written by efftrade paper. Compile with `pdflatex writeup.tex` in this\n\
         % directory; the tables are in tables/ and the figures in figures/.\n\
         \\documentclass[11pt]{article}\n\
         \\usepackage{booktabs}\n\
         \\usepackage{siunitx}\n\
         \\usepackage{pgfplots}\n\
         \\pgfplotsset{compat=1.18}\n\
         \\setlength{\\textwidth}{16.5cm}\n\
         \\setlength{\\textheight}{23cm}\n\
         \\setlength{\\oddsidemargin}{\\dimexpr(\\paperwidth-\\textwidth)/2-1in\\relax}\n\
         \\setlength{\\evensidemargin}{\\oddsidemargin}\n\
         \\setlength{\\topmargin}{\\dimexpr(\\paperheight-\\textheight)/2-1in-\\headheight-\\headsep\\relax}\n\
         \\extrafloats{100}\n\
         \\title{Efficient Trade with Interdependent Values:\\\\ tables and figures checked by efftrade}\n\
         \\author{efftrade}\n\
         \\date{}\n\
         \\begin{document}\n\
         \\maketitle\n\n\
         This document collects the tables and figures that \\texttt{efftrade paper} computes for\n\
         Pycia and Wang's \\emph{Efficient Trade with Interdependent Values}. The report\n\
         \\texttt{REPORT.md} beside it states each claim, the method and the verdict.\n",
    );
    if !tables.is_empty() {
        s.push_str("\n\\section*{Tables}\n");
        for t in tables {
            let _ = writeln!(s, "\\input{{{}}}", t.tex_path());
        }
    }
    if !figures.is_empty() {
        s.push_str("\n\\clearpage\n\\section*{Figures}\n");
        for f in figures {
            let _ = write!(
                s,
                "\\begin{{figure}}[htbp]\n  \\centering\n  \
                 \\input{{{}}}\n  \
                 \\caption{{{}}}\n  \\label{{{}}}\n\\end{{figure}}\n",
                f.tex_path(),
                escape_latex_with_math(&f.caption),
                f.label
            );
        }
    }
    s.push_str("\n\\end{document}\n");
    s
}

/// Writes [`writeup_tex`] to `<out_dir>/writeup.tex` and returns its path.
pub fn write_writeup(
    out_dir: &Path,
    tables: &[TableRef],
    figures: &[FigureRef],
) -> Result<PathBuf, WriteupError> {
    fs::create_dir_all(out_dir).map_err(|source| WriteupError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let path = out_dir.join("writeup.tex");
    fs::write(&path, writeup_tex(tables, figures)).map_err(|source| WriteupError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

//! Compiling a LaTeX document as its author would, and looking at the result: `pdflatex` twice
//! (so that references resolve), the log checked for errors, overfull boxes and undefined
//! references, every page rendered to PNG with `pdftoppm`, and the raster images in the PDF
//! counted with `pdfimages -list` (vector figures have none).
//!
//! The tools are TeX Live's `pdflatex` (Debian: `texlive-latex-recommended`, with
//! `texlive-science` for siunitx and `texlive-pictures` for pgfplots) and poppler's `pdftoppm` and
//! `pdfimages` (`poppler-utils`). A missing tool is an error naming the package, never a skip.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a clean compilation produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// The PDF.
    pub pdf: PathBuf,
    /// Number of pages.
    pub pages: usize,
    /// Every page as a PNG, in order (`<pages_dir>/page-1.png`, ...).
    pub page_images: Vec<PathBuf>,
    /// Raster images embedded in the PDF (`pdfimages -list`).
    pub raster_images: usize,
}

/// Why a document did not compile cleanly.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// A tool is not installed.
    #[error(
        "{tool} is not installed: install the Debian package {package} (./x test does, as root)"
    )]
    Missing {
        /// The program.
        tool: &'static str,
        /// The package that provides it.
        package: &'static str,
    },
    /// A tool ran and failed.
    #[error("{tool} failed:\n{output}")]
    Failed {
        /// The program.
        tool: &'static str,
        /// Its output (for pdflatex, the end of the log).
        output: String,
    },
    /// The document compiled, but its log reports problems.
    #[error("{file} compiled with problems:\n{}", problems.join("\n"))]
    Problems {
        /// The document.
        file: String,
        /// Each problem: the log's line (an overfull box, an undefined reference, a warning).
        problems: Vec<String>,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn run(
    tool: &'static str,
    package: &'static str,
    dir: &Path,
    args: &[&str],
) -> Result<String, CompileError> {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|_| CompileError::Missing { tool, package })?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        let tail: Vec<&str> = stdout.lines().rev().take(40).collect();
        Err(CompileError::Failed {
            tool,
            output: tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                + &String::from_utf8_lossy(&out.stderr),
        })
    }
}

/// The problems an author must fix that a LaTeX log reports: errors (`! ...`), overfull boxes,
/// undefined references or citations, labels that changed (a third run needed) and any
/// package's warning.
pub fn log_problems(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            l.starts_with("! ")
                || l.starts_with("Overfull \\")
                || l.contains("undefined")
                || l.contains("Rerun to get")
                || (l.contains("Warning") && !l.contains("Font Warning"))
        })
        .map(str::to_string)
        .collect()
}

/// Compiles `file` (a `.tex` document in `dir`) with `pdflatex` twice, checks its log with
/// [`log_problems`], renders every page to `<pages_dir>/page-N.png` at `dpi` (pdftoppm's
/// numbering: `page-1.png`, or `page-01.png` from ten pages on; earlier pages are removed first)
/// and counts the PDF's raster images.
pub fn compile(
    dir: &Path,
    file: &str,
    pages_dir: &Path,
    dpi: u32,
) -> Result<Compiled, CompileError> {
    let args = ["-interaction=nonstopmode", "-halt-on-error", file];
    const TEX: &str = "texlive-latex-recommended";
    run("pdflatex", TEX, dir, &args)?;
    run("pdflatex", TEX, dir, &args)?;
    let stem = file.strip_suffix(".tex").unwrap_or(file);
    let log_path = dir.join(format!("{stem}.log"));
    let log = fs::read(&log_path).map_err(|source| CompileError::Io {
        path: log_path.clone(),
        source,
    })?;
    let problems = log_problems(&String::from_utf8_lossy(&log));
    if !problems.is_empty() {
        return Err(CompileError::Problems {
            file: file.to_string(),
            problems,
        });
    }
    let pdf = dir.join(format!("{stem}.pdf"));
    let pdf_arg = pdf.to_string_lossy().into_owned();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CompileError::Io { path, source }
    };
    fs::create_dir_all(pages_dir).map_err(io(pages_dir))?;
    for entry in fs::read_dir(pages_dir).map_err(io(pages_dir))?.flatten() {
        let p = entry.path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("page-"))
        {
            fs::remove_file(&p).map_err(io(&p))?;
        }
    }
    let prefix = pages_dir.join("page").to_string_lossy().into_owned();
    let dpi = dpi.to_string();
    run(
        "pdftoppm",
        "poppler-utils",
        dir,
        &["-png", "-r", &dpi, &pdf_arg, &prefix],
    )?;
    let mut page_images: Vec<PathBuf> = fs::read_dir(pages_dir)
        .map_err(io(pages_dir))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "png")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("page-"))
        })
        .collect();
    page_images.sort();
    let listing = run("pdfimages", "poppler-utils", dir, &["-list", &pdf_arg])?;
    // The listing has two header lines, then one line per image.
    let raster_images = listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count();
    Ok(Compiled {
        pdf,
        pages: page_images.len(),
        page_images,
        raster_images,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_problems_an_author_must_fix() {
        let log = "This is pdfTeX\n\
                   Overfull \\hbox (12.3pt too wide) in paragraph at lines 3--4\n\
                   LaTeX Warning: Reference `tab:x' on page 1 undefined on input line 9.\n\
                   LaTeX Font Warning: Font shape `OMS/cmr/m/n' undefined\n\
                   Underfull \\hbox (badness 10000) in paragraph\n\
                   ! Undefined control sequence.\n\
                   Output written on doc.pdf (2 pages).\n";
        let p = log_problems(log);
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].starts_with("Overfull"));
        assert!(p[1].contains("tab:x"));
        assert!(
            p[2].contains("Font Warning"),
            "an undefined font shape is a problem"
        );
        assert!(p[3].starts_with("! "));
        assert!(log_problems("Output written on doc.pdf (1 page).\n").is_empty());
    }
}

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

pub use efftrade_render::latex::{escape_latex, escape_latex_with_math, without_math_delimiters};
pub use efftrade_render::{Column, ColumnKind, Table, TableError, TableRef};

/// The program named in the first comment of every table `efftrade paper` writes.
pub const WRITTEN_BY: &str = "efftrade paper";

/// The notation of the paper written in plain text (headers, legend labels, family names) and
/// the same as inline LaTeX math, longest first so that a formula is replaced before its parts.
const MATH: [(&str, &str); 15] = [
    ("N^(1/alpha) Int F^N", "$N^{1/\\alpha} \\int F^N$"),
    ("F = 1 - (1 - x)^3", "$F = 1 - (1 - x)^3$"),
    ("1 - (1 - x)^3", "$1 - (1 - x)^3$"),
    ("1/2 -+ sqrt(3)/6", "$1/2 \\mp \\sqrt{3}/6$"),
    ("0.1 + 0.1 sin x", "$0.1 + 0.1 \\sin x$"),
    ("alpha = 3", "$\\alpha = 3$"),
    ("beta* (A)", "$\\beta^*$ (A)"),
    ("beta* (B)", "$\\beta^*$ (B)"),
    ("of T1", "of $T_1$"),
    ("n = 2", "$n = 2$"),
    ("LP k = ", "LP $k = $"),
    ("beta*", "$\\beta^*$"),
    ("N T1", "$N T_1$"),
    ("T1", "$T_1$"),
    ("T2", "$T_2$"),
];

/// `plain`, a header or label in the plain-text notation of the CSV files, as text with inline
/// LaTeX math between `$` signs for [`escape_latex_with_math`]: the paper's notation typeset
/// (`beta* (A)` as `$\beta^*$ (A)`, `F = 1 - (1 - x)^3` as `$F = 1 - (1 - x)^3$`), and a
/// header that is one symbol (`n`, `N`, `m`, `k`) in math italic.
pub fn math_text(plain: &str) -> String {
    if matches!(plain, "n" | "N" | "m" | "k") {
        return format!("${plain}$");
    }
    let mut out = String::new();
    let mut rest = plain;
    'scan: while !rest.is_empty() {
        for (from, to) in MATH {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    // `LP $k = $10`: close the math after the number.
    if let Some(i) = out.find("LP $k = $") {
        let tail = out[i + 9..].to_string();
        out.truncate(i);
        out.push_str(&format!("LP $k = {tail}$"));
    }
    out
}

/// The LaTeX header of a table column whose plain (CSV) header is `plain`.
pub fn header_tex(plain: &str) -> String {
    escape_latex_with_math(&math_text(plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_typeset_the_papers_notation() {
        assert_eq!(header_tex("beta* (A)"), "$\\beta^*$ (A)");
        assert_eq!(header_tex("N"), "$N$");
        assert_eq!(header_tex("LP k = 160"), "LP $k = 160$");
        assert_eq!(header_tex("root of T1"), "root of $T_1$");
        assert_eq!(header_tex("MS, alpha = 3"), "MS, $\\alpha = 3$");
        assert_eq!(header_tex("scaled gap"), "scaled gap");
        assert_eq!(header_tex("distribution"), "distribution");
        assert_eq!(
            math_text("Myerson-Satterthwaite, F = 1 - (1 - x)^3"),
            "Myerson-Satterthwaite, $F = 1 - (1 - x)^3$"
        );
        assert_eq!(header_tex("a_b 50%"), "a\\_b 50\\%");
    }
}

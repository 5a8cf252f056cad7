//! REPORT.md and the tables of the write-up.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::claim::{Claim, Verdict};
use crate::context::{Artefacts, TableData};
use crate::tables::{
    Column, ColumnKind, Table, TableError, WRITTEN_BY, escape_latex_with_math, header_tex,
    math_text, without_math_delimiters,
};
use crate::{figures, writeup};

/// The report in Markdown: a summary table of verdicts, then each claim's statement, method,
/// evidence and verdict. It holds no timings or paths, so it is the same on every run.
pub fn markdown(claims: &[Claim]) -> Result<String, TableError> {
    let mut s = String::from(
        "# Pycia and Wang, \"Efficient Trade with Interdependent Values\": the claims checked\n\n\
         Written by `efftrade paper` (do not edit: `./x test` fails when this copy and a fresh run \
         differ). Each claim below is stated in words with the paper's equation label, then how \
         it was checked, the evidence (numbers with only certified digits), and the verdict the \
         evidence supports: *holds* (decided exactly, or by certified numbers), *proved where \
         checked* (a finite set of facts, each decided by a ball of Arb's ball arithmetic or by \
         exact algebra, proves the claim at the markets named, and no further; where the claim \
         is a limit, through a theorem the verdict cites, such as Laplace's method), *holds \
         numerically* (supported by numbers that cannot decide it exactly: a limit, a finite \
         grid, a discretisation), *holds up to a null event* (false as printed only on an event \
         of probability zero, such as a tie between types drawn from a continuous distribution, \
         so that every quantity and result depending on it is unchanged; the verdict states \
         precisely what holds everywhere and where the printed statement fails), *fails as \
         printed* (with a corrected statement, itself checked), or *not checked*.\n\n",
    );
    let count = |f: &dyn Fn(&Verdict) -> bool| claims.iter().filter(|c| f(&c.verdict)).count();
    let _ = writeln!(
        s,
        "{} claims: {} hold, {} proved where checked, {} hold numerically, {} hold up to a \
         null event, {} fail as printed, {} not checked.\n",
        claims.len(),
        count(&|v| *v == Verdict::Holds),
        count(&|v| matches!(v, Verdict::Proved { .. })),
        count(&Verdict::is_numerical),
        count(&|v| matches!(v, Verdict::HoldsUpToNullEvent { .. })),
        count(&|v| matches!(v, Verdict::FailsAsPrinted { .. })),
        count(&|v| matches!(v, Verdict::NotChecked { .. })),
    );
    let mut summary = Table::new(vec![Column::text("claim"), Column::text("verdict")])?;
    for c in claims {
        summary.push_row([
            format!("[{}](#{})", c.title, anchor(&c.title)),
            c.verdict.label().to_string(),
        ])?;
    }
    s.push_str(&summary.to_markdown());
    s.push_str("\n## The claims\n\n");
    for c in claims {
        s.push_str(&c.markdown());
    }
    Ok(s)
}

/// GitHub's heading anchor for `title`.
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '-' || ch == '_' {
                Some(ch)
            } else if ch == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn io_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// A claim module's table as a booktabs/CSV table. A text column whose cells hold the paper's
/// notation (`1 - (1 - x)^3`) has it typeset in LaTeX through [`math_text`], when the CSV
/// shows the same cells either way.
fn table(t: &TableData) -> Result<Table, io::Error> {
    let typeset = |j: usize| {
        t.rows.iter().all(|r| {
            r.get(j)
                .is_none_or(|c| without_math_delimiters(&math_text(c)) == *c)
        })
    };
    let columns = t
        .headers
        .iter()
        .zip(&t.numeric)
        .enumerate()
        .map(|(j, (h, &num))| {
            let column = if num {
                Column::number(h.clone())
            } else if typeset(j) {
                Column::text_with_math(h.clone())
            } else {
                Column::text(h.clone())
            };
            column.with_header_tex(header_tex(h))
        })
        .collect::<Vec<Column>>();
    let kinds: Vec<ColumnKind> = columns.iter().map(|c| c.kind).collect();
    let mut table = Table::titled(
        t.stem.clone(),
        t.caption.clone(),
        format!("tab:{}", t.stem),
        columns,
    )
    .map_err(io_error)?
    .with_caption_tex(escape_latex_with_math(&t.caption))
    .written_by(WRITTEN_BY);
    for row in &t.rows {
        let cells = row.iter().zip(&kinds).map(|(c, k)| match k {
            ColumnKind::TextWithMath => math_text(c),
            _ => c.clone(),
        });
        table.push_row(cells).map_err(io_error)?;
    }
    Ok(table)
}

/// The caption of the closed forms' table, with its math typeset.
#[cfg(feature = "symbolic")]
const CLOSED_FORMS_CAPTION: &str = "Closed forms for the power family $F = ((x - a)/(b - a))^k$ \
     with $n$ agents (the uniform is $k = 1$), derived by the symbolic crate; $S$ is the sum over \
     agents of $r_i^{1 + 1/(k(n - 1))}$, and $\\beta^* = -n T_1 / (T_1 + T_2)$ (see \
     efftrade derive for it written out)";

/// The closed forms of the power family (the symbolic crate), as a table of LaTeX formulas.
#[cfg(feature = "symbolic")]
fn closed_forms_table() -> Result<Option<Table>, io::Error> {
    let report = efftrade_symbolic::report::family_report();
    let mut table = Table::titled(
        "closed-forms",
        CLOSED_FORMS_CAPTION,
        "tab:closed-forms",
        vec![Column::text("quantity"), Column::math("closed form")],
    )
    .map_err(io_error)?
    .with_caption_tex(escape_latex_with_math(CLOSED_FORMS_CAPTION))
    .written_by(WRITTEN_BY);
    // beta* = -n T1 / (T1 + T2) is too wide for a page once written out: the caption gives it.
    for (name, printed) in report
        .quantities
        .iter()
        .filter(|(n, _)| !n.starts_with("beta*"))
    {
        table
            .push_row([name.clone(), printed.latex.clone()])
            .map_err(io_error)?;
    }
    Ok(Some(table))
}

#[cfg(not(feature = "symbolic"))]
fn closed_forms_table() -> Result<Option<Table>, io::Error> {
    Ok(None)
}

/// Writes REPORT.md, the tables (`tables/*.tex`, `tables/*.csv`), the figures
/// (`figures/*.svg`, `figures/*.png`) and `writeup.tex` to `out_dir`; returns the files written.
pub fn write(out_dir: &Path, claims: &[Claim], artefacts: &Artefacts) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(out_dir)?;
    let report = out_dir.join("REPORT.md");
    fs::write(&report, markdown(claims).map_err(io_error)?)?;
    let mut written = vec![report];
    let mut tables: Vec<Table> = artefacts
        .tables
        .iter()
        .map(table)
        .collect::<Result<_, _>>()?;
    tables.extend(closed_forms_table()?);
    let mut table_refs = Vec::new();
    for t in &tables {
        let r = t.write(out_dir).map_err(io_error)?;
        written.push(out_dir.join(r.tex_path()));
        written.push(out_dir.join(r.csv_path()));
        table_refs.push(r);
    }
    let mut figure_refs = Vec::new();
    if let Some((a, b)) = &artefacts.figure1 {
        figure_refs.push(figures::figure1(a, b, out_dir).map_err(io_error)?);
    }
    if !artefacts.replications.is_empty() {
        figure_refs
            .push(figures::replication_figure(&artefacts.replications, out_dir).map_err(io_error)?);
    }
    for f in &figure_refs {
        written.push(out_dir.join(f.tex_path()));
        written.push(out_dir.join(f.svg_path()));
        written.push(out_dir.join(f.png_path()));
    }
    written.push(writeup::write_writeup(out_dir, &table_refs, &figure_refs).map_err(io_error)?);
    Ok(written)
}

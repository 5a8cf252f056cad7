//! REPORT.md and the tables of the write-up.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::claim::{Claim, Verdict};
use crate::context::Artefacts;

/// The report in Markdown: a summary table of verdicts, then each claim's statement, method,
/// evidence and verdict. It holds no timings or paths, so it is the same on every run.
pub fn markdown(claims: &[Claim]) -> String {
    let mut s = String::from(
        "# Pycia and Wang, \"Efficient Trade with Interdependent Values\": the claims checked\n\n\
         Written by `efftrade paper` (do not edit: `./x test` fails when this copy and a fresh run \
         differ). Each claim below is stated in words with the paper's equation label, then how \
         it was checked, the evidence (numbers with only certified digits), and the verdict the \
         evidence supports: *holds* (decided exactly, or by certified numbers), *holds \
         numerically* (supported by numbers that cannot decide it exactly: a limit, a finite \
         grid, a discretisation), *fails as printed* (with a corrected statement, itself \
         checked), or *not checked*.\n\n",
    );
    let count = |f: &dyn Fn(&Verdict) -> bool| claims.iter().filter(|c| f(&c.verdict)).count();
    let _ = writeln!(
        s,
        "{} claims: {} hold, {} hold numerically, {} fail as printed, {} not checked.\n",
        claims.len(),
        count(&|v| *v == Verdict::Holds),
        count(&|v| *v == Verdict::HoldsNumerically),
        count(&|v| matches!(v, Verdict::FailsAsPrinted { .. })),
        count(&|v| matches!(v, Verdict::NotChecked { .. })),
    );
    s.push_str("| claim | verdict |\n|---|---|\n");
    for c in claims {
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} |",
            c.title,
            anchor(&c.title),
            c.verdict.label()
        );
    }
    s.push_str("\n## The claims\n\n");
    for c in claims {
        s.push_str(&c.markdown());
    }
    s
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

/// Writes REPORT.md (and the tables and figures) to `out_dir`; returns the files written.
pub fn write(out_dir: &Path, claims: &[Claim], _artefacts: &Artefacts) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(out_dir)?;
    let report = out_dir.join("REPORT.md");
    fs::write(&report, markdown(claims))?;
    Ok(vec![report])
}

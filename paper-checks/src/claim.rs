//! A claim of the paper, the evidence computed for it, and the verdict the evidence supports.

use std::fmt::Write as _;

/// What the evidence says about a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Checked exactly (symbolically) or with certified numbers that decide it.
    Holds,
    /// Wrong as printed; `corrected` is a statement that holds (itself checked).
    FailsAsPrinted {
        /// The corrected statement.
        corrected: String,
    },
    /// Supported by numbers that cannot decide it exactly (a limit, a finite grid, a
    /// discretisation).
    HoldsNumerically,
    /// Not checked, and why.
    NotChecked {
        /// Why.
        why: String,
    },
}

impl Verdict {
    /// A short label for the one-line summary.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::FailsAsPrinted { .. } => "fails as printed",
            Verdict::HoldsNumerically => "holds numerically",
            Verdict::NotChecked { .. } => "not checked",
        }
    }
}

/// One claim with its evidence and verdict.
#[derive(Clone, Debug)]
pub struct Claim {
    /// A stable identifier (`lemma2`, `t2-5`, ...).
    pub id: String,
    /// The claim's name in the paper (`Lemma 2`, `Equation (T2-5)`).
    pub title: String,
    /// The statement, in words, with its equation label.
    pub statement: String,
    /// How it was checked.
    pub method: String,
    /// The evidence: Markdown lines (numbers with certified digits).
    pub evidence: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
}

impl Claim {
    /// The claim's section of REPORT.md.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "### {}\n", self.title);
        let _ = writeln!(s, "**Statement.** {}\n", self.statement);
        let _ = writeln!(s, "**Method.** {}\n", self.method);
        let _ = writeln!(s, "**Evidence.**\n");
        for line in &self.evidence {
            let _ = writeln!(s, "- {line}");
        }
        let _ = writeln!(s);
        match &self.verdict {
            Verdict::FailsAsPrinted { corrected } => {
                let _ = writeln!(s, "**Verdict: fails as printed.** Corrected: {corrected}\n");
            }
            Verdict::NotChecked { why } => {
                let _ = writeln!(s, "**Verdict: not checked.** {why}\n");
            }
            v => {
                let _ = writeln!(s, "**Verdict: {}.**\n", v.label());
            }
        }
        s
    }

    /// The one-line verdict printed by `efftrade paper`.
    pub fn line(&self) -> String {
        format!(
            "{:<18} {:<44} {}",
            self.verdict.label(),
            self.title,
            self.id
        )
    }
}

//! A claim of the paper, the evidence computed for it, and the verdict the evidence supports.
//!
//! Evidence is typed: a [`Case`] is one market's (or distribution's) computation, kept as a
//! `Result` so that a failure stays a failure; [`Evidence`] is one item of a claim's evidence
//! section, rendered to Markdown here and nowhere else ([`Claim::markdown`]). A verdict never
//! refutes a claim on evidence that was not computed: [`judge`] turns failed or missing
//! evidence into [`Verdict::NotChecked`] naming what failed or what is missing.

use std::fmt::Write as _;

use efftrade_numeric::Provenance;

/// What the evidence says about a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Checked exactly (symbolically) or with certified numbers that decide it.
    Holds,
    /// Proved at the markets checked: the evidence is a finite set of facts, each decided by a
    /// ball of Arb arithmetic or by exact algebra. `scope` says which markets and points.
    Proved {
        /// The markets and points at which the claim is proved.
        scope: String,
    },
    /// Wrong as printed; `corrected` is a statement that holds (itself checked).
    FailsAsPrinted {
        /// The corrected statement.
        corrected: String,
    },
    /// Supported by numbers that cannot decide it exactly (a limit, a finite grid, a
    /// discretisation). `why` says why no finite check decides it.
    HoldsNumerically {
        /// Why no finite check (a ball, exact algebra) decides the claim.
        why: String,
    },
    /// False as printed only on an event of probability zero (a tie between types drawn from a
    /// continuous distribution): every quantity and result that depends on the claim is the
    /// same as if it held everywhere. `precisely` states what holds everywhere, and the null
    /// event on which the printed statement fails.
    HoldsUpToNullEvent {
        /// The precise statement: what holds everywhere, and the null event where the printed
        /// one fails.
        precisely: String,
    },
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
            Verdict::Proved { .. } => "proved where checked",
            Verdict::FailsAsPrinted { .. } => "fails as printed",
            Verdict::HoldsNumerically { .. } => "holds numerically",
            Verdict::HoldsUpToNullEvent { .. } => "holds up to a null event",
            Verdict::NotChecked { .. } => "not checked",
        }
    }

    /// Holds numerically; `why` says why no finite check decides the claim.
    pub fn numerically(why: &str) -> Verdict {
        Verdict::HoldsNumerically {
            why: why.to_string(),
        }
    }

    /// Whether the verdict is *holds numerically*.
    pub fn is_numerical(&self) -> bool {
        matches!(self, Verdict::HoldsNumerically { .. })
    }

    /// Not checked because the claim needs a market that no spec is (`what` says which).
    pub fn missing(what: &str) -> Verdict {
        Verdict::NotChecked {
            why: format!("it needs {what}, and none of the specs is such a market"),
        }
    }
}

/// One case of a claim's evidence (a market, a distribution, a replication family): what was
/// computed for it, or the message of the error that stopped the computation.
#[derive(Clone, Debug, PartialEq)]
pub struct Case<T> {
    /// Which market or distribution.
    pub label: String,
    /// The computed evidence, or why it could not be computed.
    pub result: Result<T, String>,
}

impl<T> Case<T> {
    /// A case computed.
    pub fn ok(label: impl Into<String>, value: T) -> Case<T> {
        Case {
            label: label.into(),
            result: Ok(value),
        }
    }

    /// A case whose computation failed with `why` (the error's message).
    pub fn failed(label: impl Into<String>, why: impl std::fmt::Display) -> Case<T> {
        Case {
            label: label.into(),
            result: Err(why.to_string()),
        }
    }

    /// The case from a computation's result.
    pub fn from_result<E: std::fmt::Display>(label: impl Into<String>, r: Result<T, E>) -> Case<T> {
        Case {
            label: label.into(),
            result: r.map_err(|e| e.to_string()),
        }
    }

    /// The failure as an evidence item, when the computation failed.
    pub fn failure(&self) -> Option<Evidence> {
        self.result.as_ref().err().map(|why| Evidence::Failed {
            what: self.label.clone(),
            why: why.clone(),
        })
    }
}

/// The verdict of a claim checked case by case.
///
/// A case computed and violating the claim (`passes` false) refutes it: `FailsAsPrinted` with
/// `corrected`. Otherwise a case that could not be computed, or no case at all, leaves the claim
/// `NotChecked`, naming the failures; only when every case was computed and passes is the verdict
/// `holds`. Missing or failed evidence never refutes.
pub fn judge<T>(
    cases: &[Case<T>],
    passes: impl Fn(&T) -> bool,
    holds: Verdict,
    corrected: &str,
) -> Verdict {
    if cases
        .iter()
        .any(|c| c.result.as_ref().is_ok_and(|v| !passes(v)))
    {
        return Verdict::FailsAsPrinted {
            corrected: corrected.to_string(),
        };
    }
    let failed: Vec<String> = cases
        .iter()
        .filter_map(|c| c.result.as_ref().err().map(|e| format!("{}: {e}", c.label)))
        .collect();
    if !failed.is_empty() {
        return Verdict::NotChecked {
            why: format!("the computation failed for {}", failed.join("; ")),
        };
    }
    if cases.is_empty() {
        return Verdict::NotChecked {
            why: "there was no market to check it on".to_string(),
        };
    }
    holds
}

/// One item of a claim's evidence.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// A finding, with its numbers (certified digits only).
    Finding(String),
    /// A computation that failed: for what, and the error's message.
    Failed {
        /// The market or quantity.
        what: String,
        /// The error's message.
        why: String,
    },
    /// A market the claim would also be checked on that none of the specs is.
    Missing {
        /// The market, by what it is.
        what: String,
    },
}

impl Evidence {
    /// The item as one Markdown list entry (without the bullet).
    pub fn markdown(&self) -> String {
        match self {
            Evidence::Finding(s) => s.clone(),
            Evidence::Failed { what, why } => format!("{what}: not computed ({why})"),
            Evidence::Missing { what } => {
                format!("not checked on {what}: none of the specs is such a market")
            }
        }
    }
}

impl From<String> for Evidence {
    fn from(s: String) -> Evidence {
        Evidence::Finding(s)
    }
}

impl From<&str> for Evidence {
    fn from(s: &str) -> Evidence {
        Evidence::Finding(s.to_string())
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
    /// The evidence.
    pub evidence: Vec<Evidence>,
    /// How the digits of the evidence's numbers were certified, strongest first (empty when the
    /// evidence shows no computed digits).
    pub certified: Vec<Provenance>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Findings from lines of text.
pub fn findings(lines: impl IntoIterator<Item = String>) -> Vec<Evidence> {
    lines.into_iter().map(Evidence::Finding).collect()
}

impl Claim {
    /// The claim's section of REPORT.md.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "### {}\n", self.title);
        let _ = writeln!(s, "**Statement.** {}\n", self.statement);
        let _ = writeln!(s, "**Method.** {}\n", self.method);
        let _ = writeln!(s, "**Evidence.**\n");
        for item in &self.evidence {
            let _ = writeln!(s, "- {}", item.markdown());
        }
        let _ = writeln!(s);
        if !self.certified.is_empty() {
            let how: Vec<&str> = self.certified.iter().map(|p| p.describe()).collect();
            let _ = writeln!(s, "**Digits certified by.** {}.\n", how.join("; "));
        }
        match &self.verdict {
            Verdict::FailsAsPrinted { corrected } => {
                let _ = writeln!(s, "**Verdict: fails as printed.** Corrected: {corrected}\n");
            }
            Verdict::HoldsUpToNullEvent { precisely } => {
                let _ = writeln!(
                    s,
                    "**Verdict: holds up to a null event.** Precisely: {precisely}\n"
                );
            }
            Verdict::NotChecked { why } => {
                let _ = writeln!(s, "**Verdict: not checked.** {why}\n");
            }
            Verdict::Proved { scope } => {
                let _ = writeln!(s, "**Verdict: proved where checked.** {scope}\n");
            }
            Verdict::HoldsNumerically { why } => {
                let _ = writeln!(
                    s,
                    "**Verdict: holds numerically.** No finite check decides it: {why}\n"
                );
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
            "{:<24} {:<44} {}",
            self.verdict.label(),
            self.title,
            self.id
        )
    }
}

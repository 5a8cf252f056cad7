//! # efftrade-paper-checks
//!
//! The main job of efftrade: `efftrade paper` re-derives Pycia and Wang's "Efficient Trade with
//! Interdependent Values" claim by claim and writes a report.
//!
//! Every spec of the directory (`specs/` by default) is loaded, validated (the inventory
//! `SPECS.md`) and solved once by the numeric engine ([`context`]); one module per claim
//! ([`claims`]) computes its evidence (certified numbers, exact identities, linear programs) and
//! derives its verdict from it; [`report`] writes `REPORT.md`, whose committed copy
//! `paper-checks/REPORT.md` a test keeps current.
//!
//! Claims find their markets by what they are ([`claims::markets`]), so any directory of specs
//! can be checked: the claims about every market (Theorems 1 and 2, Lemmas 1 to 5, the
//! identities) run on the user's markets, and each claim about a market of the paper (Example 1,
//! Theorem 3's replications, the special cases) says which market it needs when the directory
//! lacks it. A computation that fails is reported as such: the claim is *not checked*, naming
//! the error, never *fails as printed* ([`claim::judge`]).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use efftrade_model::{Spec, SpecError, UpperEnd};

pub mod claim;
pub mod claims;
pub mod context;
pub mod figures;
pub mod report;
pub mod tables;
pub mod writeup;

pub use claim::{Claim, Verdict};

/// One spec file and what loading it gave.
#[derive(Debug)]
pub struct SpecEntry {
    /// The file.
    pub path: PathBuf,
    /// The validated spec, or why it is invalid.
    pub result: Result<Spec, SpecError>,
}

/// Every `*.yaml` and `*.yml` file in `dir`, sorted by name, loaded and validated.
pub fn load_specs(dir: &Path) -> io::Result<Vec<SpecEntry>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| SpecEntry {
            result: Spec::load(&path),
            path,
        })
        .collect())
}

/// The inventory table in Markdown.
pub fn inventory_markdown(entries: &[SpecEntry]) -> String {
    let mut s = String::from(
        "# Markets of the paper\n\nEvery spec in `specs/`, validated by `efftrade paper`.\n\n\
         | spec | reproduces | F(x) | support | grid points | status |\n\
         |---|---|---|---|---:|---|\n",
    );
    for e in entries {
        let name = e
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match &e.result {
            Ok(spec) => {
                let d = spec.distribution();
                let upper = match d.upper() {
                    UpperEnd::Given(b) => b.to_string(),
                    UpperEnd::Solve => "b: F(b) = 1".to_string(),
                };
                let renorm = if d.renormalize() {
                    ", renormalized"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "| `{name}` | {} | `{}` | [{}, {upper}]{renorm} | {} | valid |",
                    spec.description().replace('|', "\\|"),
                    d.cdf_as_written(),
                    d.lower(),
                    spec.len()
                );
            }
            Err(err) => {
                let _ = writeln!(
                    s,
                    "| `{name}` | | | | | invalid: {} |",
                    err.message.replace('|', "\\|")
                );
            }
        }
    }
    s
}

/// What `efftrade paper` found.
#[derive(Debug)]
pub struct PaperRun {
    /// The specs, validated.
    pub specs: Vec<SpecEntry>,
    /// The claims, checked.
    pub claims: Vec<Claim>,
    /// Files written.
    pub written: Vec<PathBuf>,
}

impl PaperRun {
    /// Whether every spec is valid.
    pub fn all_valid(&self) -> bool {
        self.specs.iter().all(|e| e.result.is_ok())
    }

    /// The verdict on the claim `id` (`lemma2`, `theorem1`, ...), if there is such a claim.
    pub fn verdict(&self, id: &str) -> Option<&Verdict> {
        self.claims.iter().find(|c| c.id == id).map(|c| &c.verdict)
    }
}

/// Validates the specs in `specs_dir` and writes the inventory `SPECS.md` to `out_dir`.
pub fn inventory(specs_dir: &Path, out_dir: &Path) -> io::Result<(Vec<SpecEntry>, PathBuf)> {
    let specs = load_specs(specs_dir)?;
    fs::create_dir_all(out_dir)?;
    let path = out_dir.join("SPECS.md");
    fs::write(&path, inventory_markdown(&specs))?;
    Ok((specs, path))
}

/// Runs the paper's checks on the specs in `specs_dir`, writing the report and its tables and
/// figures to `out_dir`; `tick` is told what is being checked.
pub fn run(specs_dir: &Path, out_dir: &Path, tick: &dyn Fn(&str)) -> io::Result<PaperRun> {
    let (specs, inventory_path) = inventory(specs_dir, out_dir)?;
    let ctx = context::Context::load(specs_dir, &|name| tick(&format!("solving {name}")))?;
    let (claims, artefacts) = claims::all(&ctx, tick);
    let mut written = vec![inventory_path];
    written.extend(report::write(out_dir, &claims, &artefacts)?);
    Ok(PaperRun {
        specs,
        claims,
        written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inventory_lists_valid_and_invalid_specs() {
        let dir = std::env::temp_dir().join(format!("efftrade-inventory-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("a.yaml"),
            "description: good\ndistribution: {family: uniform}\nmarket: {n: 2, shares: symmetric}\n",
        )
        .unwrap();
        fs::write(
            dir.join("b.yaml"),
            "description: bad\ndistribution: {family: uniform}\nmarket: {shares: [0.5, 0.6]}\n",
        )
        .unwrap();
        fs::write(dir.join("notes.txt"), "not a spec").unwrap();
        let out = dir.join("out");
        let (specs, _) = inventory(&dir, &out).unwrap();
        let run = PaperRun {
            specs,
            claims: Vec::new(),
            written: Vec::new(),
        };
        assert_eq!(run.specs.len(), 2);
        assert!(!run.all_valid());
        let table = fs::read_to_string(out.join("SPECS.md")).unwrap();
        assert!(
            table.contains("| `a.yaml` | good | `x` | [0, 1] | 1 | valid |"),
            "{table}"
        );
        assert!(
            table.contains("invalid: the shares sum to 1.1, not 1"),
            "{table}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}

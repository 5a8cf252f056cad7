//! What every claim module starts from: the specs of the directory, each solved once by the
//! numeric engine, and the artefacts (tables, figure data) the modules produce for the write-up.
//!
//! Claims find their markets by what they are, never by file name: a [`Kind`] names a market in
//! words and tests a validated [`Spec`] (its distribution, shares, replication); the predicates
//! the paper's claims use are in [`crate::claims::markets`].

use std::path::Path;

use efftrade_model::{Distribution, Market, Spec};
use efftrade_numeric::sweep::{Solved, solve_spec};

use crate::load_specs;

/// Certified digits of the numbers in the report.
pub const DIGITS: u32 = 30;

/// One spec of `specs/`, solved at every point of its grid.
pub struct SolvedSpec {
    /// The file name (`example1-uniform.yaml`).
    pub name: String,
    /// The spec.
    pub spec: Spec,
    /// Every point, solved to [`DIGITS`] digits.
    pub solved: Vec<Solved>,
}

/// A table for the write-up: a caption, headers and rows of cells (numbers as decimal strings).
#[derive(Clone, Debug, PartialEq)]
pub struct TableData {
    /// File stem under `tables/`.
    pub stem: String,
    /// Caption: text with inline LaTeX math between `$` signs (`$\beta^*$ against $n$`),
    /// escaped for the write-up by [`efftrade_render::latex::escape_latex_with_math`].
    pub caption: String,
    /// Column headers as plain text (the CSV's); the LaTeX header of each is
    /// [`crate::tables::header_tex`].
    pub headers: Vec<String>,
    /// Which columns hold numbers.
    pub numeric: Vec<bool>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A line chart's data.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesData {
    /// Legend label.
    pub label: String,
    /// The legend label for LaTeX: text with inline math between `$` signs.
    pub label_tex: String,
    /// `(x, y)` points.
    pub points: Vec<(f64, f64)>,
}

/// `beta*` against `n`.
pub type Curve = Vec<(u32, f64)>;

/// Everything the claim modules hand to the writers.
#[derive(Clone, Debug, Default)]
pub struct Artefacts {
    /// Tables, in report order.
    pub tables: Vec<TableData>,
    /// Figure 1: beta*(n) for market A (sine) and market B (uniform).
    pub figure1: Option<(Curve, Curve)>,
    /// beta*(N) of the replication studies.
    pub replications: Vec<SeriesData>,
}

/// A kind of market a claim needs, by what it is.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The market in words, for the report ("uniform F on [0, 1], two agents, shares (1, 0)").
    pub what: &'static str,
    /// Whether a spec's markets are of this kind.
    pub test: fn(&Spec) -> bool,
}

/// The solved specs.
pub struct Context {
    /// Every valid spec of the directory, solved.
    pub specs: Vec<SolvedSpec>,
}

impl Context {
    /// Loads and solves every valid spec in `dir`; `tick` is called per spec.
    pub fn load(dir: &Path, tick: &dyn Fn(&str)) -> std::io::Result<Context> {
        let mut specs = Vec::new();
        for entry in load_specs(dir)? {
            let name = entry
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            if let Ok(spec) = entry.result {
                tick(&name);
                let solved = solve_spec(&spec, DIGITS, None, &|| {});
                specs.push(SolvedSpec { name, spec, solved });
            }
        }
        Ok(Context { specs })
    }

    /// A context of specs already solved (a test's, or a caller's own).
    pub fn from_solved(specs: Vec<SolvedSpec>) -> Context {
        Context { specs }
    }

    /// The first spec (in file-name order) of the kind `kind`, if any.
    pub fn find(&self, kind: &Kind) -> Option<&SolvedSpec> {
        self.specs.iter().find(|s| (kind.test)(&s.spec))
    }

    /// The user's distributions for a claim about every distribution: one per distinct CDF and
    /// support, labelled by the file of the first spec that has it, at most `limit`.
    pub fn user_distributions(&self, limit: usize) -> Vec<(String, Distribution)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for s in &self.specs {
            let d = s.spec.distribution();
            let key = format!("{} on {:?} {:?}", d.cdf(), d.a(), d.b());
            if out.len() < limit && !seen.contains(&key) {
                seen.push(key);
                out.push((s.name.clone(), d.clone()));
            }
        }
        out
    }

    /// The user's markets for a claim about every market: the first market of each spec with at
    /// most `max_n` agents (replication specs give their base market), labelled by file and
    /// market, at most `limit`.
    pub fn user_markets(&self, max_n: u128, limit: usize) -> Vec<(String, Distribution, Market)> {
        self.specs
            .iter()
            .filter_map(|s| {
                let case = s.spec.markets().first()?;
                (case.market().n() <= max_n).then(|| {
                    (
                        format!("{} ({})", s.name, case.market()),
                        s.spec.distribution().clone(),
                        case.market().clone(),
                    )
                })
            })
            .take(limit)
            .collect()
    }

    /// Every spec of the kind `kind`.
    pub fn find_all<'a>(&'a self, kind: &'a Kind) -> impl Iterator<Item = &'a SolvedSpec> + 'a {
        self.specs.iter().filter(|s| (kind.test)(&s.spec))
    }
}

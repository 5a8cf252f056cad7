//! What every claim module starts from: the paper's specs, each solved once by the numeric
//! engine, and the artefacts (tables, figure data) the modules produce for the write-up.

use std::path::Path;

use efftrade_model::Spec;
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
    /// Caption.
    pub caption: String,
    /// Column headers.
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

    /// The solved spec named `name`, if present.
    pub fn spec(&self, name: &str) -> Option<&SolvedSpec> {
        self.specs.iter().find(|s| s.name == name)
    }
}

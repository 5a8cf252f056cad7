//! Typed records of solved grid points, serialised with serde.
//!
//! A [`PointRecord`] is one point of a spec's grid with everything `solve`, `sweep` and
//! `replicate` report about it: the market, the exact inputs written as decimals, and the
//! [`Solution`] (or why it could not be certified). Its JSON is the machine interface of those
//! commands: every number is a string of certified digits, and the keys come in lexicographic
//! order (the order the interface has always had), so a line can be compared byte for byte
//! across versions. [`PointRecord::in_sweep`] and [`PointRecord::replicated`] add the keys of a
//! sweep (`index`, `points`) and of a replication (`N`, `n_t1`).

use efftrade_model::{BigRational, Expr, Market, Spec};
use rug::Integer;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::NumericError;
use crate::certified::Certified;
use crate::quantities::{Solution, Verdict};
use crate::sweep::{Solved, solve_points};

/// An exact rational as a decimal: exact when it terminates, else to `digits` significant digits.
pub fn exact(q: &BigRational, digits: u32) -> String {
    let shown = Expr::Num(q.clone()).to_string();
    if !shown.contains('/') {
        return shown;
    }
    Certified::exact(q, digits).to_decimal()
}

/// The share classes of a market as `(share, count)` pairs of decimals, shares by [`exact`].
pub fn shares(market: &Market, digits: u32) -> Vec<(String, String)> {
    market
        .classes()
        .iter()
        .map(|c| (exact(c.share(), digits), c.count().to_string()))
        .collect()
}

/// The share classes of a market on one line: `1 x 0.5; 2 x 0.25`.
pub fn shares_compact(market: &Market, digits: u32) -> String {
    shares(market, digits)
        .into_iter()
        .map(|(s, c)| format!("{c} x {s}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `N T` with the certified digits of `T`: multiplying by the exact integer `N` keeps them.
pub fn times_n(t: &Certified, n: u128) -> Certified {
    t.times_integer(&Integer::from(n))
}

/// Theorem 2's verdict in words: the interval of `beta` with efficient trade, or none.
pub fn verdict_text(s: &Solution) -> String {
    match (&s.verdict, &s.beta_star) {
        (Verdict::EfficientUpTo, Some(b)) => format!("efficient for beta in [0, {b}]"),
        (Verdict::EfficientUpTo, None) => "efficient for beta in [0, beta*]".into(),
        (Verdict::NoBeta, _) => "no beta (T1 < 0)".into(),
        (Verdict::Undecided, _) => "undecided (the sign of T1 is not proved)".into(),
    }
}

/// The columns of `solve`'s CSV output, one per [`PointRecord::csv_fields`] field.
pub const CSV_COLUMNS: [&str; 15] = [
    "description",
    "n",
    "m",
    "r",
    "shares",
    "beta",
    "mu",
    "e_max",
    "t1",
    "t2",
    "beta_star",
    "theorem1_lhs",
    "efficient",
    "digits",
    "error",
];

/// One solved point of a spec's grid.
#[derive(Clone, Debug)]
pub struct PointRecord {
    /// The spec's description.
    pub description: String,
    /// The point's 0-based index in the spec's grid.
    pub index: usize,
    /// The market.
    pub market: Market,
    /// The number of replications `m`, when the market replicates a base market.
    pub m: Option<u128>,
    /// The share parameter `r` of a parametrised market, as a decimal.
    pub r: Option<String>,
    /// The share classes as `(share, count)` decimals.
    pub shares: Vec<(String, String)>,
    /// The beta the point was solved at, as a decimal.
    pub beta: Option<String>,
    /// The quantities with certified digits, or why they could not be certified.
    pub outcome: Result<Solution, NumericError>,
    /// The balls behind the digits, when the point was solved by the rigorous engine.
    pub rigor: Option<Rigor>,
}

/// What the rigorous engine adds to a record: each printed quantity's ball, and why a verdict
/// or a digit is missing when one is.
#[derive(Clone, Debug, Default)]
pub struct Rigor {
    /// `(name, midpoint, radius)` of each printed quantity, as decimals: the ball
    /// `[midpoint ± radius]` contains the exact value (the radius covers the decimal rounding of
    /// the midpoint).
    pub balls: Vec<(String, String, String)>,
    /// Why a verdict or a requested digit is not given, when one is not.
    pub undecided: Option<String>,
}

/// The JSON object of the key `balls`: for each printed quantity, `{"mid": ..., "rad": ...}`
/// (decimal strings), keyed by the quantity's name.
pub fn balls_object(
    rigor: &Rigor,
) -> std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, &str>> {
    rigor
        .balls
        .iter()
        .map(|(name, mid, rad)| {
            let ball = [("mid", mid.as_str()), ("rad", rad.as_str())];
            (name.as_str(), ball.into_iter().collect())
        })
        .collect()
}

impl PointRecord {
    /// The record of a solved point; exact inputs that do not terminate as decimals are written
    /// to `digits` significant digits.
    pub fn new(description: &str, solved: Solved, digits: u32) -> PointRecord {
        let Solved {
            point,
            beta,
            result,
        } = solved;
        PointRecord {
            description: description.to_string(),
            index: point.index(),
            shares: shares(point.market(), digits),
            market: point.market().clone(),
            m: point.replication().map(|(_, m)| m),
            r: point.r().map(|r| exact(r, digits)),
            beta: beta.map(|b| exact(&b, digits)),
            outcome: result,
            rigor: None,
        }
    }

    /// The records of solved points, in the order given.
    pub fn all(description: &str, solved: Vec<Solved>, digits: u32) -> Vec<PointRecord> {
        solved
            .into_iter()
            .map(|s| PointRecord::new(description, s, digits))
            .collect()
    }

    /// Solves the grid points of `spec` with the given indices (each below `spec.len()`), in the
    /// order given, to `digits` certified digits (`beta` overrides the spec's betas), as records:
    /// what `solve` and `sweep` report. `tick` is called once per solved point (for a progress
    /// bar).
    pub fn solve(
        spec: &Spec,
        indices: &[usize],
        digits: u32,
        beta: Option<&BigRational>,
        tick: &(dyn Fn() + Sync),
    ) -> Vec<PointRecord> {
        let solved = solve_points(spec, indices, digits, beta, tick);
        PointRecord::all(spec.description(), solved, digits)
    }

    /// Why any of `records` could not be certified, one market per line (`market: reason`, the
    /// lines after the first prefixed with `error: ` as the command line prints them), or `None`
    /// when every point was solved.
    pub fn failures<'a>(records: impl IntoIterator<Item = &'a PointRecord>) -> Option<String> {
        let failed: Vec<String> = records
            .into_iter()
            .filter_map(|r| {
                r.outcome
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", r.market))
            })
            .collect();
        (!failed.is_empty()).then(|| failed.join("\nerror: "))
    }

    /// The number of agents `N`.
    pub fn n(&self) -> u128 {
        self.market.n()
    }

    /// `N T1` with the digits of `T1`, when solved.
    pub fn n_t1(&self) -> Option<Certified> {
        self.outcome.as_ref().ok().map(|s| times_n(&s.t1, self.n()))
    }

    /// The record's fields in the order of [`CSV_COLUMNS`] (absent values empty).
    pub fn csv_fields(&self) -> Vec<String> {
        let or_empty =
            |c: &Option<Certified>| c.as_ref().map_or(String::new(), Certified::to_decimal);
        let mut fields = vec![
            self.description.clone(),
            self.n().to_string(),
            self.m.map_or(String::new(), |m| m.to_string()),
            self.r.clone().unwrap_or_default(),
            self.shares
                .iter()
                .map(|(s, c)| format!("{c} x {s}"))
                .collect::<Vec<_>>()
                .join("; "),
            self.beta.clone().unwrap_or_default(),
        ];
        match &self.outcome {
            Ok(x) => fields.extend([
                x.mu.to_decimal(),
                x.e_max.to_decimal(),
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                or_empty(&x.beta_star),
                or_empty(&x.lhs),
                x.efficient.map_or(String::new(), |e| e.to_string()),
                x.digits.to_string(),
                String::new(),
            ]),
            Err(e) => {
                fields.extend(vec![String::new(); 8]);
                fields.push(e.to_string());
            }
        }
        fields
    }

    /// The record as a line of a sweep over a grid of `points` points: `index` and `points` added.
    pub fn in_sweep(&self, points: usize) -> SweepLine<'_> {
        SweepLine {
            record: self,
            points,
        }
    }

    /// The record as a line of a replication study: `N` and `n_t1` added when solved.
    pub fn replicated(&self) -> ReplicateLine<'_> {
        ReplicateLine(self)
    }

    /// Writes the JSON object, keys in lexicographic order.
    fn write<S: Serializer>(
        &self,
        serializer: S,
        sweep: Option<usize>,
        replicated: bool,
    ) -> Result<S::Ok, S::Error> {
        let decimal = |c: &Option<Certified>| c.as_ref().map(Certified::to_decimal);
        let ok = self.outcome.as_ref().ok();
        let mut map = serializer.serialize_map(None)?;
        if let (true, Some(_)) = (replicated, ok) {
            map.serialize_entry("N", &self.n().to_string())?;
        }
        if let Some(rigor) = &self.rigor {
            map.serialize_entry("balls", &balls_object(rigor))?;
        }
        map.serialize_entry("beta", &self.beta)?;
        if let Some(s) = ok {
            map.serialize_entry("beta_star", &decimal(&s.beta_star))?;
            let critical: Vec<String> = s.critical.iter().map(Certified::to_decimal).collect();
            map.serialize_entry("critical_types", &critical)?;
        }
        map.serialize_entry("description", &self.description)?;
        if let Some(s) = ok {
            map.serialize_entry("digits", &s.digits)?;
            map.serialize_entry("e_max", &s.e_max.to_decimal())?;
            map.serialize_entry("efficient", &s.efficient)?;
        }
        if let Err(e) = &self.outcome {
            map.serialize_entry("error", &e.to_string())?;
        }
        if sweep.is_some() {
            map.serialize_entry("index", &self.index)?;
        }
        if let Some(m) = self.m {
            map.serialize_entry("m", &m.to_string())?;
        }
        if let Some(s) = ok {
            map.serialize_entry("mu", &s.mu.to_decimal())?;
        }
        map.serialize_entry("n", &self.n().to_string())?;
        if let (true, Some(s)) = (replicated, ok) {
            map.serialize_entry("n_t1", &times_n(&s.t1, self.n()).to_decimal())?;
        }
        if let Some(points) = sweep {
            map.serialize_entry("points", &points)?;
        }
        if let Some(r) = &self.r {
            map.serialize_entry("r", r)?;
        }
        if self.rigor.is_some() {
            map.serialize_entry("rigorous", &true)?;
        }
        map.serialize_entry("shares", &self.shares)?;
        if let Some(s) = ok {
            map.serialize_entry("t1", &s.t1.to_decimal())?;
            map.serialize_entry("t2", &s.t2.to_decimal())?;
            map.serialize_entry("theorem1_lhs", &decimal(&s.lhs))?;
        }
        if let Some(reason) = self.rigor.as_ref().and_then(|r| r.undecided.as_ref()) {
            map.serialize_entry("undecided", reason)?;
        }
        if let Some(s) = ok {
            map.serialize_entry("verdict", &verdict_text(s))?;
        }
        map.end()
    }
}

impl Serialize for PointRecord {
    /// The object `solve` prints for the point.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write(serializer, None, false)
    }
}

/// A [`PointRecord`] as a line of a sweep: with the point's `index` and the grid's size `points`.
#[derive(Clone, Copy, Debug)]
pub struct SweepLine<'a> {
    record: &'a PointRecord,
    points: usize,
}

impl Serialize for SweepLine<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record.write(serializer, Some(self.points), false)
    }
}

/// A [`PointRecord`] as a line of a replication study: with `N` and `N T1` (`n_t1`).
#[derive(Clone, Copy, Debug)]
pub struct ReplicateLine<'a>(&'a PointRecord);

impl Serialize for ReplicateLine<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer, None, true)
    }
}

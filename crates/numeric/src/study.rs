//! The large-market studies as typed records: Theorem 3's replication families with their growth
//! fit, and Lemma 3's constants, convergence rows and fit, each serialised with serde.
//!
//! JSON keys come in lexicographic order and every number is a decimal string of certified
//! digits, as `efftrade replicate` and `efftrade lemma3` print them.

use efftrade_model::{BigRational, Market, Spec};
use rug::Float;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::NumericError;
use crate::certified::Certified;
use crate::lemma3::{Expansion, Fitted, Growth, Lemma3, Row, beta_star_growth, expansion};
use crate::record::{PointRecord, shares_compact};
use crate::sweep::{Solved, solve_spec};

/// One family of replications: the base market and its replications in grid order.
#[derive(Clone, Debug)]
pub struct Family {
    /// The base market of the replications.
    pub base: Market,
    /// The base market's share classes on one line (see [`shares_compact`]).
    pub base_shares: String,
    /// The spec's description.
    pub description: String,
    /// The replications.
    pub points: Vec<PointRecord>,
    /// Theorem 3's growth law fitted to the family, when Lemma 3 applies and enough `beta*` exist.
    pub growth: Option<Growth>,
}

impl Family {
    /// The line that closes the family in JSON: its base shares and growth fit, if fitted.
    pub fn growth_line(&self) -> Option<GrowthLine<'_>> {
        self.growth.as_ref().map(|growth| GrowthLine {
            base_shares: &self.base_shares,
            description: &self.description,
            growth,
        })
    }
}

/// The growth fit of a [`Family`] as one JSON object.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct GrowthLine<'a> {
    /// The base market's share classes.
    pub base_shares: &'a str,
    /// The spec's description.
    pub description: &'a str,
    /// The fit.
    pub growth: &'a Growth,
}

impl Growth {
    /// The law fitted, in words: `beta* ~ s log N + t` for `alpha = 1`.
    pub fn law(&self) -> String {
        if self.alpha == 1 {
            "beta* ~ s log N + t".to_string()
        } else {
            // 1/alpha as written: 1/3 for alpha = 3, 2 for alpha = 1/2, 2/5 for alpha = 5/2.
            let inv = match (self.alpha.num(), self.alpha.den()) {
                (1, d) => d.to_string(),
                (n, d) => format!("{d}/{n}"),
            };
            format!("beta* / N^(1 - {inv}) ~ s (log N)^({inv}) + t")
        }
    }

    /// The relative difference of the fitted and predicted slopes as printed everywhere: an
    /// estimate, to three significant digits, or to fewer when the slopes it compares have
    /// fewer certified digits (it cannot be known better than they are).
    pub fn relative_difference_text(&self) -> String {
        let digits = self
            .line
            .slope
            .digits()
            .min(self.predicted_slope.digits())
            .clamp(1, 3);
        efftrade_model::digits::round_f64(self.relative_difference, digits as usize)
    }

    /// The fit and Lemma 3's prediction in one sentence.
    pub fn sentence(&self) -> String {
        format!(
            "growth ({}, fitted over N >= {}): s = {} (fit); Lemma 3 predicts s = A1 / (b - mu) = {}; \
             relative difference {}",
            self.law(),
            self.from,
            self.line.slope,
            self.predicted_slope,
            self.relative_difference_text()
        )
    }
}

impl Serialize for Growth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("alpha", &self.alpha)?;
        map.serialize_entry("fitted_from_n", &self.from.to_string())?;
        map.serialize_entry("intercept", &self.line.intercept.to_decimal())?;
        map.serialize_entry("points", &self.line.points)?;
        map.serialize_entry("predicted_slope", &self.predicted_slope.to_decimal())?;
        map.serialize_entry("relative_difference", &self.relative_difference_text())?;
        map.serialize_entry("slope", &self.line.slope.to_decimal())?;
        map.end()
    }
}

/// A replication study (Theorem 3): every family of the spec's replications.
#[derive(Clone, Debug)]
pub struct Replication {
    /// Lemma 3's expansion of the distribution, or why there is none (then no growth is fitted).
    pub expansion: Result<Expansion, NumericError>,
    /// The families in order of first appearance in the grid.
    pub families: Vec<Family>,
}

/// Solves every point of a replication spec to `digits` certified digits, groups the points by
/// base market (and share parameter and beta) and fits each family's growth law. `tick` is called
/// once per solved point.
pub fn replication(spec: &Spec, digits: u32, tick: &(dyn Fn() + Sync)) -> Replication {
    let expansion = expansion(spec.distribution(), digits);
    let solved = solve_spec(spec, digits, None, tick);
    let families = families(spec.description(), solved, expansion.as_ref().ok(), digits);
    Replication {
        expansion,
        families,
    }
}

/// Groups solved replications by base market, share parameter and beta, in order of first
/// appearance, and fits the growth law of each group (points that replicate nothing are left out).
pub fn families(
    description: &str,
    solved: Vec<Solved>,
    expansion: Option<&Expansion>,
    digits: u32,
) -> Vec<Family> {
    type Key = (Market, Option<BigRational>, Option<BigRational>);
    let mut groups: Vec<(Key, Vec<Solved>)> = Vec::new();
    for s in solved {
        let Some((base, _)) = s.point.replication() else {
            continue;
        };
        let key = (base.clone(), s.point.r().cloned(), s.beta.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, points)) => points.push(s),
            None => groups.push((key, vec![s])),
        }
    }
    groups
        .into_iter()
        .map(|((base, _, _), points)| {
            let mu = points
                .iter()
                .find_map(|s| s.result.as_ref().ok().map(|x| x.mu.clone()));
            let pairs: Vec<(u128, Float)> = points
                .iter()
                .filter_map(|s| {
                    let b = s.result.as_ref().ok()?.beta_star.as_ref()?;
                    (b.digits() > 0).then(|| (s.point.market().n(), b.value().clone()))
                })
                .collect();
            let growth = match (expansion, mu) {
                (Some(e), Some(mu)) => beta_star_growth(e, &mu, &pairs, digits),
                _ => None,
            };
            Family {
                base_shares: shares_compact(&base, digits),
                base,
                description: description.to_string(),
                points: PointRecord::all(description, points, digits),
                growth,
            }
        })
        .collect()
}

/// `x / reference - 1` to two significant digits, when both have enough certified digits to fix
/// them; `below 1e-K` when the difference is below what the digits resolve.
pub fn deviation(x: &Certified, reference: &Certified) -> String {
    let prec = x.value().prec();
    let d = Float::with_val(
        prec,
        Float::with_val(prec, x.value() / reference.value()) - 1u32,
    );
    if d.is_zero() {
        return "0".into();
    }
    // The quotient is known to about min(digits) - 1 significant digits, so `d` to an absolute
    // 10^-known: `d` has floor(known - magnitude) certain significant digits.
    let known = f64::from(x.digits().min(reference.digits()).saturating_sub(1));
    let magnitude = -d.clone().abs().log10().to_f64();
    let certain = (known - magnitude).floor();
    if certain < 1.0 {
        return format!("below 1e-{}", (known as u32).saturating_sub(1));
    }
    Certified::derived(d, certain.min(2.0) as u32, &[x, reference]).to_decimal()
}

impl Expansion {
    /// The constants in words, one per line, each with the equation it belongs to.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            if self.c.provenance() == crate::certified::Provenance::Ball {
                format!(
                    "alpha = {} (proved by balls: the lower derivatives of F at b are exactly 0, \
                     F^({})(b) is not, and F^({}) is bounded near b)",
                    self.alpha,
                    self.alpha,
                    self.alpha.num() + 1
                )
            } else if self.generalized {
                format!(
                    "alpha = {} (exact exponent of 1 - F(b - d) ~ c d^alpha from its series in \
                     rational powers of d, F having no Taylor series at b: real alpha, beyond the \
                     paper's analytic F; cancellations below 2^-{} of their operands count as zero)",
                    self.alpha, self.zero_bits
                )
            } else {
                format!(
                    "alpha = {} (first non-vanishing derivative of F at b; Taylor coefficients \
                     below 2^-{} of the largest lower-order one count as zero)",
                    self.alpha, self.zero_bits
                )
            },
            format!("b = {}", self.b),
        ];
        if let Some(d) = &self.derivative {
            lines.push(format!("F^({})(b) = {}", self.alpha, d));
        }
        lines.extend([
            format!("c = {}   (1 - F(b - d) ~ c d^alpha)", self.c),
            format!("A1 = c^(-1/alpha) = {}   (L3-1)", self.a1),
            format!(
                "A2 = Gamma(1 + 1/alpha) c^(-1/alpha) = {}   (L3-2, Laplace's method)",
                self.a2
            ),
            format!(
                "A2 as the paper's proof of L3-2 has it, sum_(k>=1) e^(-c k^alpha) = {}: {}",
                self.a2_paper,
                if self.paper_a2_agrees() {
                    "agrees"
                } else {
                    "disagrees (the proof's Riemann sum has unit step in the scaled variable; the \
                     limit is the integral Gamma(1 + 1/alpha) c^(-1/alpha))"
                }
            ),
        ]);
        lines
    }
}

impl Row {
    /// `N^(1/alpha) ∫F^N / A2 - 1` (see [`deviation`]): how far (L3-2) is from its limit.
    pub fn integral_deviation(&self, e: &Expansion) -> String {
        deviation(&self.scaled_integral, &e.a2)
    }

    /// `(b - v*) / (log m / (N-1))^(1/alpha) / A1 - 1`: how far (L3-1) is from its limit.
    pub fn gap_deviation(&self, e: &Expansion) -> String {
        deviation(&self.scaled_gap, &e.a1)
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("N", &self.n.to_string())?;
        map.serialize_entry("gap", &self.gap.to_decimal())?;
        map.serialize_entry("integral", &self.integral.to_decimal())?;
        map.serialize_entry("m", &self.m.to_string())?;
        map.serialize_entry("scaled_gap", &self.scaled_gap.to_decimal())?;
        map.serialize_entry("scaled_integral", &self.scaled_integral.to_decimal())?;
        map.end()
    }
}

impl Serialize for Fitted {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("a2", &self.a2.to_decimal())?;
        map.serialize_entry("alpha", &self.alpha.to_decimal())?;
        map.serialize_entry("fitted_from_n", &self.from.to_string())?;
        map.serialize_entry("points", &self.line.points)?;
        map.end()
    }
}

/// Lemma 3 for a spec's distribution with the spec's description: one JSON object holding the
/// constants, the rows and the fit.
#[derive(Clone, Debug)]
pub struct Lemma3Report {
    /// The spec's description.
    pub description: String,
    /// The constants, rows and fit.
    pub lemma3: Lemma3,
    /// The balls behind the digits, when the rigorous engine computed them (`--rigorous`).
    pub rigor: Option<crate::record::Rigor>,
}

impl Serialize for Lemma3Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = &self.lemma3.expansion;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("a1", &e.a1.to_decimal())?;
        map.serialize_entry("a2", &e.a2.to_decimal())?;
        map.serialize_entry("a2_paper", &e.a2_paper.to_decimal())?;
        map.serialize_entry("a2_paper_agrees", &e.paper_a2_agrees())?;
        map.serialize_entry("alpha", &e.alpha)?;
        map.serialize_entry("b", &e.b.to_decimal())?;
        if let Some(rigor) = &self.rigor {
            map.serialize_entry("balls", &crate::record::balls_object(rigor))?;
        }
        map.serialize_entry("c", &e.c.to_decimal())?;
        map.serialize_entry(
            "derivative",
            &e.derivative.as_ref().map(Certified::to_decimal),
        )?;
        map.serialize_entry("description", &self.description)?;
        map.serialize_entry("fit", &self.lemma3.fitted)?;
        if self.rigor.is_some() {
            map.serialize_entry("rigorous", &true)?;
        }
        map.serialize_entry("rows", &self.lemma3.rows)?;
        match &self.rigor {
            None => map.serialize_entry("zero_test_bits", &e.zero_bits)?,
            Some(rigor) => {
                if let Some(reason) = &rigor.undecided {
                    map.serialize_entry("undecided", reason)?;
                }
            }
        }
        map.end()
    }
}

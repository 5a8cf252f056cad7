//! The validated spec: its distribution, its grid of markets (base markets and replication
//! factors) and betas, and the points of that grid in order; with the constructors that build
//! them without YAML, checked by the same rules (and with the same messages) as a spec file.

use num_rational::BigRational;

use super::checks;
use crate::distribution::{Distribution, Family, UpperEnd};
use crate::error::SpecError;
use crate::expr::Expr;
use crate::market::{Market, MarketError};

/// One market of a spec's grid before replication: the base market and, when the shares are
/// formulas in `r`, the value of `r`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketCase {
    pub(super) market: Market,
    pub(super) r: Option<BigRational>,
}

impl MarketCase {
    /// The market (the base market when the spec replicates).
    pub fn market(&self) -> &Market {
        &self.market
    }

    /// The share parameter, when shares are formulas in `r`.
    pub fn r(&self) -> Option<&BigRational> {
        self.r.as_ref()
    }
}

/// How the shares of a spec's markets are given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SharesRule {
    /// `1/n` each.
    Symmetric,
    /// A list, one per agent (formulas in `r` when `r` is set).
    Listed(Vec<Expr>),
}

/// The markets of a spec: base markets (with their share parameter) and, when the spec
/// replicates, the factors m of Definition 2. Every market is valid and replicates with every m.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketGrid {
    pub(super) shares: SharesRule,
    pub(super) cases: Vec<MarketCase>,
    pub(super) replications: Option<Vec<u128>>,
}

/// Where the constructors' inputs would be written in a spec (errors drop these paths).
const N_PATH: &str = "market.n";
const SHARES_PATH: &str = "market.shares";
const R_PATH: &str = "market.r";
const M_PATH: &str = "market.replicate.m";

impl MarketGrid {
    /// Symmetric markets, one with `n` agents (shares `1/n`) for each `n` in `ns`.
    pub fn symmetric(ns: &[u128]) -> Result<MarketGrid, SpecError> {
        checks::list_length(N_PATH, ns.len(), "n").map_err(SpecError::unplaced)?;
        let cases = checks::symmetric_cases(ns, |i| format!("{N_PATH}[{i}]"), SHARES_PATH)
            .map_err(SpecError::unplaced)?;
        Ok(MarketGrid {
            shares: SharesRule::Symmetric,
            cases,
            replications: None,
        })
    }

    /// The one market with these shares, one per agent (non-negative, summing to one).
    pub fn from_shares(shares: &[BigRational]) -> Result<MarketGrid, SpecError> {
        let formulas: Vec<Expr> = shares.iter().cloned().map(Expr::Num).collect();
        MarketGrid::listed(formulas, None)
    }

    /// Markets whose shares are `formulas` in the share parameter `r` ([`Expr::Var`] stands for
    /// `r`), one market for each value in `rs`; or, with `rs = None`, the one market of constant
    /// shares. Each formula must evaluate to an exact rational.
    pub fn listed(
        formulas: Vec<Expr>,
        rs: Option<Vec<BigRational>>,
    ) -> Result<MarketGrid, SpecError> {
        if let Some(rs) = &rs {
            checks::list_length(R_PATH, rs.len(), "r").map_err(SpecError::unplaced)?;
        }
        let cases = checks::listed_cases(&formulas, rs, SHARES_PATH, R_PATH)
            .map_err(SpecError::unplaced)?;
        Ok(MarketGrid {
            shares: SharesRule::Listed(formulas),
            cases,
            replications: None,
        })
    }

    /// The m-fold replications (Definition 2) of these markets, for each `m` in `ms`, which then
    /// are the base markets.
    pub fn replicate(self, ms: &[u128]) -> Result<MarketGrid, SpecError> {
        checks::list_length(M_PATH, ms.len(), "m").map_err(SpecError::unplaced)?;
        if self.replications.is_some() {
            return Err(SpecError::new(
                crate::error::ErrorKind::Conflict,
                "the markets are already replicated: give every m in one call",
            ));
        }
        checks::replications(&self.cases, ms, |i| format!("{M_PATH}[{i}]"))
            .map_err(SpecError::unplaced)?;
        Ok(MarketGrid {
            replications: Some(ms.to_vec()),
            ..self
        })
    }

    /// How the shares were given.
    pub fn shares(&self) -> &SharesRule {
        &self.shares
    }

    /// The markets (base markets when replicating), in grid order.
    pub fn markets(&self) -> &[MarketCase] {
        &self.cases
    }

    /// The replication factors m, when the markets are replicated (Definition 2).
    pub fn replications(&self) -> Option<&[u128]> {
        self.replications.as_deref()
    }
}

/// A validated spec: a distribution and a grid of markets, replications and betas.
#[derive(Clone, Debug)]
pub struct Spec {
    pub(super) description: String,
    pub(super) distribution: Distribution,
    pub(super) grid: MarketGrid,
    pub(super) betas: Vec<BigRational>,
}

/// One point of a spec's grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    index: usize,
    market: Market,
    replication: Option<(Market, u128)>,
    r: Option<BigRational>,
    beta: Option<BigRational>,
}

impl Point {
    /// Position in grid order (markets, then m, then beta).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The market evaluated (replicated when the spec replicates).
    pub fn market(&self) -> &Market {
        &self.market
    }

    /// The base market and m, for a replication (Definition 2).
    pub fn replication(&self) -> Option<(&Market, u128)> {
        self.replication.as_ref().map(|(base, m)| (base, *m))
    }

    /// The share parameter, when shares are formulas in `r`.
    pub fn r(&self) -> Option<&BigRational> {
        self.r.as_ref()
    }

    /// The interdependence coefficient, when given.
    pub fn beta(&self) -> Option<&BigRational> {
        self.beta.as_ref()
    }
}

impl Spec {
    /// The spec of `distribution` on the markets of `grid` at each interdependence coefficient
    /// in `betas` (none: `betas` empty), described by one line. Checked as a spec file is: the
    /// description is one non-empty line, every beta is at least 0, and the grid has at most
    /// [`MAX_POINTS`](super::MAX_POINTS) points.
    pub fn new(
        description: &str,
        distribution: Distribution,
        grid: MarketGrid,
        betas: Vec<BigRational>,
    ) -> Result<Spec, SpecError> {
        let description = checks::description(description).map_err(SpecError::unplaced)?;
        for (i, b) in betas.iter().enumerate() {
            checks::beta(b, &format!("beta[{i}]")).map_err(SpecError::unplaced)?;
        }
        checks::point_count(&grid, betas.len()).map_err(SpecError::unplaced)?;
        Ok(Spec {
            description,
            distribution,
            grid,
            betas,
        })
    }

    /// What the spec reproduces (one line).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The type distribution.
    pub fn distribution(&self) -> &Distribution {
        &self.distribution
    }

    /// The markets, with how their shares were given and the replication factors.
    pub fn grid(&self) -> &MarketGrid {
        &self.grid
    }

    /// How the shares were given.
    pub fn shares(&self) -> &SharesRule {
        self.grid.shares()
    }

    /// The markets (base markets when replicating), in grid order.
    pub fn markets(&self) -> &[MarketCase] {
        self.grid.markets()
    }

    /// The replication factors m, when the spec replicates (Definition 2).
    pub fn replications(&self) -> Option<&[u128]> {
        self.grid.replications()
    }

    /// The interdependence coefficients (empty when none is given).
    pub fn betas(&self) -> &[BigRational] {
        &self.betas
    }

    /// The number of points of the grid.
    pub fn len(&self) -> usize {
        self.grid.cases.len()
            * self.grid.replications.as_ref().map_or(1, Vec::len)
            * self.betas.len().max(1)
    }

    /// Whether the grid is empty (never, for a validated spec).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The point at `index` in grid order (markets outermost, then m, then beta), or `None` when
    /// `index >= self.len()`.
    pub fn point(&self, index: usize) -> Option<Point> {
        if index >= self.len() {
            return None;
        }
        let nb = self.betas.len().max(1);
        let nm = self.grid.replications.as_ref().map_or(1, Vec::len);
        let beta = self.betas.get(index % nb).cloned();
        let case = self.grid.cases.get(index / nb / nm)?;
        let (market, replication) = match &self.grid.replications {
            Some(ms) => {
                let m = *ms.get((index / nb) % nm)?;
                // Validation replicated every case with every m, so this is always `Some`.
                let replicated = case.market.replicate(m).ok()?;
                (replicated, Some((case.market.clone(), m)))
            }
            None => (case.market.clone(), None),
        };
        Some(Point {
            index,
            market,
            replication,
            r: case.r.clone(),
            beta,
        })
    }

    /// Every point in grid order.
    pub fn points(&self) -> impl Iterator<Item = Point> + '_ {
        (0..self.len()).filter_map(|i| self.point(i))
    }
}

impl Distribution {
    /// The distribution of a named family on `support = (a, b)` (by default `[0, 1]`), checked as
    /// a spec's `family:` is: `k > 0`, Beta shapes integers from 1 to 1000, `lambda != 0`, and a
    /// support `a < b` of finite numbers.
    pub fn from_family(
        family: Family,
        support: Option<(Expr, Expr)>,
    ) -> Result<Distribution, SpecError> {
        let (lower, upper) = support.unwrap_or_else(|| (Expr::int(0), Expr::int(1)));
        checks::family_distribution(family, lower, upper).map_err(SpecError::unplaced)
    }

    /// The distribution with CDF `cdf` (an expression in `x`) on `[lower, upper]`, where the
    /// upper end may be [`UpperEnd::Solve`] (the smallest `b > a` with `F(b) = 1`), and
    /// `renormalize` divides `F` by `F(b)` (not with `Solve`). Checked as a spec's `cdf:` is:
    /// `F(a) = 0`, `F(b) = 1` (unless solved or renormalized), and `F` non-decreasing.
    pub fn from_cdf(
        cdf: Expr,
        lower: Expr,
        upper: UpperEnd,
        renormalize: bool,
    ) -> Result<Distribution, SpecError> {
        checks::cdf_distribution(cdf, lower, upper, renormalize).map_err(SpecError::unplaced)
    }
}

impl From<MarketError> for SpecError {
    /// The spec error for shares that do not make a market, with its help, unplaced.
    fn from(e: MarketError) -> SpecError {
        checks::market_error(&e, N_PATH, SHARES_PATH, None).unplaced()
    }
}

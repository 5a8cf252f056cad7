//! The validated spec: its distribution, its grid of markets (base markets and replication
//! factors) and betas, and the points of that grid in order.

use num_rational::BigRational;

use crate::distribution::Distribution;
use crate::expr::Expr;
use crate::market::Market;

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

/// A validated spec: a distribution and a grid of markets, replications and betas.
#[derive(Clone, Debug)]
pub struct Spec {
    pub(super) description: String,
    pub(super) distribution: Distribution,
    pub(super) shares: SharesRule,
    pub(super) markets: Vec<MarketCase>,
    pub(super) replications: Option<Vec<u128>>,
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
    /// What the spec reproduces (one line).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The type distribution.
    pub fn distribution(&self) -> &Distribution {
        &self.distribution
    }

    /// How the shares were given.
    pub fn shares(&self) -> &SharesRule {
        &self.shares
    }

    /// The markets (base markets when replicating), in grid order.
    pub fn markets(&self) -> &[MarketCase] {
        &self.markets
    }

    /// The replication factors m, when the spec replicates (Definition 2).
    pub fn replications(&self) -> Option<&[u128]> {
        self.replications.as_deref()
    }

    /// The interdependence coefficients (empty when none is given).
    pub fn betas(&self) -> &[BigRational] {
        &self.betas
    }

    /// The number of points of the grid.
    pub fn len(&self) -> usize {
        self.markets.len()
            * self.replications.as_ref().map_or(1, Vec::len)
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
        let nm = self.replications.as_ref().map_or(1, Vec::len);
        let beta = self.betas.get(index % nb).cloned();
        let case = self.markets.get(index / nb / nm)?;
        let (market, replication) = match &self.replications {
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

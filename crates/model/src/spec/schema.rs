//! The serde schema of a spec document: its keys, with unknown keys rejected. Values stay
//! untyped [`Value`]s here; reading them is the loader's work.

use serde::Deserialize;

use super::value::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpec {
    pub(super) description: String,
    pub(super) distribution: RawDistribution,
    pub(super) market: RawMarket,
    pub(super) beta: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDistribution {
    pub(super) cdf: Option<String>,
    pub(super) family: Option<String>,
    pub(super) support: Option<Value>,
    pub(super) renormalize: Option<bool>,
    pub(super) k: Option<Value>,
    pub(super) shape: Option<Value>,
    pub(super) lambda: Option<Value>,
    pub(super) mean: Option<Value>,
    pub(super) sd: Option<Value>,
    pub(super) mu: Option<Value>,
    pub(super) sigma: Option<Value>,
    /// A mixture's components, each an entry like this one with a `weight`.
    pub(super) mixture: Option<Vec<RawDistribution>>,
    pub(super) weight: Option<Value>,
    /// A CDF in pieces joined at breakpoints.
    pub(super) piecewise: Option<Vec<RawPiece>>,
    /// An empirical CDF from a CSV file.
    pub(super) empirical: Option<RawEmpirical>,
}

/// One piece of a piecewise CDF: its formula, and the breakpoint where it ends (all but the
/// last).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPiece {
    pub(super) cdf: String,
    pub(super) to: Option<Value>,
}

/// The data of an empirical CDF: a CSV of observations (one column) or of quantiles (`x`, `p`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmpirical {
    pub(super) observations: Option<String>,
    pub(super) quantiles: Option<String>,
    pub(super) column: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarket {
    pub(super) n: Option<Value>,
    pub(super) shares: Option<Value>,
    pub(super) r: Option<Value>,
    pub(super) replicate: Option<RawReplicate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReplicate {
    pub(super) n: Option<Value>,
    pub(super) shares: Option<Value>,
    pub(super) r: Option<Value>,
    pub(super) m: Value,
}

impl RawDistribution {
    /// The family parameters, by key, as written (each `None` when absent).
    pub(super) fn parameters(&self) -> [(&'static str, &Option<Value>); 7] {
        [
            ("k", &self.k),
            ("shape", &self.shape),
            ("lambda", &self.lambda),
            ("mean", &self.mean),
            ("sd", &self.sd),
            ("mu", &self.mu),
            ("sigma", &self.sigma),
        ]
    }
}

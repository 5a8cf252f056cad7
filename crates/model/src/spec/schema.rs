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
    #[serde(default)]
    pub(super) beta: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDistribution {
    #[serde(default)]
    pub(super) cdf: Option<String>,
    #[serde(default)]
    pub(super) family: Option<String>,
    #[serde(default)]
    pub(super) support: Option<Value>,
    #[serde(default)]
    pub(super) renormalize: Option<bool>,
    #[serde(default)]
    pub(super) k: Option<Value>,
    #[serde(default)]
    pub(super) shape: Option<Value>,
    #[serde(default)]
    pub(super) lambda: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarket {
    #[serde(default)]
    pub(super) n: Option<Value>,
    #[serde(default)]
    pub(super) shares: Option<Value>,
    #[serde(default)]
    pub(super) r: Option<Value>,
    #[serde(default)]
    pub(super) replicate: Option<RawReplicate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReplicate {
    #[serde(default)]
    pub(super) n: Option<Value>,
    #[serde(default)]
    pub(super) shares: Option<Value>,
    #[serde(default)]
    pub(super) r: Option<Value>,
    pub(super) m: Value,
}

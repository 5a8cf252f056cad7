//! YAML specs: a market of the paper (or a grid of them) in a file.
//!
//! ```yaml
//! description: three agents, unequal shares, uniform types, one beta
//! distribution: {family: uniform}
//! market: {n: 3, shares: [0.5, 0.3, 0.2]}
//! beta: 0.5
//! ```
//!
//! The format, key by key (every key not listed is an error):
//!
//! * `description` (required): one line saying what in the paper the spec reproduces.
//! * `distribution` (required): either `cdf: "<expression in x>"` with `support: [a, b]`, or
//!   `family:` one of `uniform`, `power` (with `k`), `beta` (with `shape: [p, q]`, positive
//!   integers), `truncated_exponential` (with `lambda`), on `support` (default `[0, 1]`). The
//!   upper end may be `solve` (find b with F(b) = 1); `renormalize: true` divides F by F(b).
//! * `market` (required): `n` and `shares` (`symmetric` or a list, one share per agent, which may
//!   be formulas in a share parameter `r` given as a grid `r:`), or `replicate:` with the same
//!   keys for the base market plus `m`, the replication factors (Definition 2).
//! * `beta` (optional): the interdependence coefficient, one value or a grid.
//!
//! A grid is a single value, a list, a range `{from, to, step}` (step 1 by default for integers),
//! or, for integers, powers `{base: 10, exponents: <grid>}`. Numbers are read exactly as written:
//! `0.3` is `3/10`, integers may exceed 64 bits (`m: [500000000000000000000000000000]`), and a
//! quoted formula such as `"10^30"` or `"1/3"` is evaluated exactly.
//!
//! The module's parts, each doing one thing:
//!
//! * `value`: the YAML value type the format reads (integers of any size kept exactly);
//! * `schema`: the serde schema of the document (its keys, unknown keys rejected);
//! * `load`: reading a file or text, and locating every error at its file, line and column;
//! * `grid`: grids of values (single values, lists, ranges, powers);
//! * `distribution` and `market`: reading the `distribution` and `market` keys;
//! * `checks`: the validation rules and their messages, shared by the loader and the
//!   constructors that build a spec without YAML;
//! * `validated`: the validated [`Spec`], its [`MarketGrid`] and its [`Point`]s, and the
//!   constructors that build them without YAML.

use num_rational::BigRational;

use crate::expr::Expr;

pub(crate) mod checks;
mod distribution;
mod grid;
mod load;
mod market;
mod mixture;
mod pieces;
mod schema;
mod validated;
mod value;
mod yaml;

pub use validated::{MarketCase, MarketGrid, Point, SharesRule, Spec};

/// Largest spec file accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 1 << 20;
/// Deepest nesting of lists and mappings a spec may use (a spec needs at most seven levels:
/// `distribution.mixture[i].piecewise[j].to`); deeper documents are refused by the parser.
pub const MAX_NESTING: usize = 24;
/// Most values that YAML aliases may repeat in one spec (a spec needs none; an alias bomb such
/// as "billion laughs" would repeat 10^9).
pub const MAX_ALIAS_VALUES: usize = 1_000;
/// Most values one grid dimension may hold.
pub const MAX_GRID_VALUES: u128 = 1_000_000;
/// Most points (markets x replications x betas) one spec may hold.
pub const MAX_POINTS: u128 = 1_000_000;

/// `path.key`, or `key` at the top level.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An exact rational as the spec format prints it.
fn show(q: &BigRational) -> String {
    Expr::Num(q.clone()).to_string()
}

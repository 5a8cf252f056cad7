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

use std::path::Path;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde::Deserialize;

use crate::distribution::{Distribution, DistributionError, Family, UpperEnd, beta_shape};
use crate::error::{ErrorKind, SpecError};
use crate::expr::Expr;
use crate::locate::SourceMap;
use crate::market::{Market, MarketError};
use crate::parse::{ParseError, parse, parse_in};

/// A YAML value as the spec format sees it. Unlike `serde_yaml::Value` it holds integers of any
/// size (their exact text comes from the [`SourceMap`]).
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    /// An integer (its decimal digits).
    Int(String),
    Float(f64),
    String(String),
    Sequence(Vec<Value>),
    Mapping(Vec<(Value, Value)>),
}

impl Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Int(v.to_string()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
                Ok(Value::Int(v.to_string()))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
                Ok(Value::Int(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::String(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Sequence(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Value::Mapping(entries))
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
                Err(serde::de::Error::custom(
                    "YAML tags are not part of the spec format",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// Largest spec file accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 1 << 20;
/// Most values one grid dimension may hold.
pub const MAX_GRID_VALUES: u128 = 1_000_000;
/// Most points (markets x replications x betas) one spec may hold.
pub const MAX_POINTS: u128 = 1_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    description: String,
    distribution: RawDistribution,
    market: RawMarket,
    #[serde(default)]
    beta: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistribution {
    #[serde(default)]
    cdf: Option<String>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    support: Option<Value>,
    #[serde(default)]
    renormalize: Option<bool>,
    #[serde(default)]
    k: Option<Value>,
    #[serde(default)]
    shape: Option<Value>,
    #[serde(default)]
    lambda: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarket {
    #[serde(default)]
    n: Option<Value>,
    #[serde(default)]
    shares: Option<Value>,
    #[serde(default)]
    r: Option<Value>,
    #[serde(default)]
    replicate: Option<RawReplicate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplicate {
    #[serde(default)]
    n: Option<Value>,
    #[serde(default)]
    shares: Option<Value>,
    #[serde(default)]
    r: Option<Value>,
    m: Value,
}

/// One market of a spec's grid before replication: the base market and, when the shares are
/// formulas in `r`, the value of `r`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketCase {
    market: Market,
    r: Option<BigRational>,
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
    description: String,
    distribution: Distribution,
    shares: SharesRule,
    markets: Vec<MarketCase>,
    replications: Option<Vec<u128>>,
    betas: Vec<BigRational>,
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
    /// Reads and validates the spec in `path`.
    pub fn load(path: &Path) -> Result<Spec, SpecError> {
        let file = path.display().to_string();
        let source = std::fs::read(path).map_err(|e| {
            let mut err = SpecError::new(ErrorKind::Io, format!("cannot read the file: {e}"));
            err.file = Some(file.clone());
            err
        })?;
        if source.len() > MAX_SPEC_BYTES {
            let mut err = SpecError::new(
                ErrorKind::Syntax,
                format!(
                    "the file is {} bytes; a spec is at most {MAX_SPEC_BYTES}",
                    source.len()
                ),
            );
            err.file = Some(file);
            return Err(err);
        }
        let text = String::from_utf8(source).map_err(|e| {
            let mut err = SpecError::new(
                ErrorKind::Syntax,
                format!("the file is not UTF-8 text: {e}"),
            );
            err.file = Some(file.clone());
            err
        })?;
        Spec::from_yaml(&text, Some(&file))
    }

    /// Validates the spec in `source` (`file` names it in errors).
    pub fn from_yaml(source: &str, file: Option<&str>) -> Result<Spec, SpecError> {
        let locate = |mut err: SpecError| {
            err.file = file.map(str::to_string);
            if let Some(p) = err.position {
                err.source_line = source.lines().nth(p.line - 1).map(str::to_string);
            }
            err
        };
        if source.len() > MAX_SPEC_BYTES {
            return Err(locate(SpecError::new(
                ErrorKind::Syntax,
                format!(
                    "the spec is {} bytes; a spec is at most {MAX_SPEC_BYTES}",
                    source.len()
                ),
            )));
        }
        let raw: RawSpec = serde_yaml::from_str(source).map_err(|e| locate(from_serde(&e)))?;
        let ctx = Ctx {
            map: SourceMap::new(source),
        };
        ctx.spec(raw).map_err(locate)
    }

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

/// Turns a serde_yaml error into a located spec error.
fn from_serde(e: &serde_yaml::Error) -> SpecError {
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; the location is reported separately.
    let message = match full.rfind(" at line ") {
        Some(i) if e.location().is_some() => full[..i].to_string(),
        _ => full.clone(),
    };
    let (kind, help) = if message.contains("unknown field") {
        (
            ErrorKind::UnknownKey,
            Some("remove the key or correct its spelling"),
        )
    } else if message.contains("missing field") {
        (
            ErrorKind::MissingKey,
            Some("add the key; the spec format is described in the README"),
        )
    } else if message.contains("invalid type") || message.contains("invalid value") {
        (ErrorKind::WrongType, None)
    } else {
        (
            ErrorKind::Syntax,
            Some("the file must be a YAML mapping; check indentation and quotes"),
        )
    };
    let mut err = SpecError::new(kind, message);
    err.position = e.location().map(|l| crate::locate::Position {
        line: l.line(),
        column: l.column(),
    });
    err.help = help.map(str::to_string);
    err
}

struct Ctx {
    map: SourceMap,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn show(q: &BigRational) -> String {
    Expr::Num(q.clone()).to_string()
}

impl Ctx {
    fn err(&self, kind: ErrorKind, path: &str, message: impl Into<String>) -> SpecError {
        let mut e = SpecError::new(kind, message);
        e.path = Some(path.to_string());
        e.position = self.map.position(path);
        e
    }

    fn expression_error(&self, path: &str, e: ParseError, what: &str) -> SpecError {
        self.err(
            ErrorKind::Expression,
            path,
            format!("{what}: {}", e.message),
        )
        .with_detail(e.snippet())
    }

    /// The text of the plain scalar at `path` as written in the file.
    fn exact_text(&self, path: &str) -> Option<String> {
        self.map
            .get(path)
            .filter(|l| !l.quoted)
            .and_then(|l| l.text.clone())
    }

    /// A scalar's text exactly as written.
    fn scalar(&self, path: &str, v: &Value, what: &str) -> Result<String, SpecError> {
        match v {
            Value::Float(x) if !x.is_finite() => Err(self.err(
                ErrorKind::NonFinite,
                path,
                format!("{what} is {x}, not a finite number"),
            )),
            Value::Float(x) => Ok(self.exact_text(path).unwrap_or_else(|| x.to_string())),
            Value::Int(digits) => Ok(self.exact_text(path).unwrap_or_else(|| digits.clone())),
            Value::String(s) => Ok(s.clone()),
            other => Err(self.err(
                ErrorKind::WrongType,
                path,
                format!("{what} must be a number, found {}", describe(other)),
            )),
        }
    }

    /// An exact rational (a number or a formula without variable such as `1/3`).
    fn rational(&self, path: &str, v: &Value, what: &str) -> Result<BigRational, SpecError> {
        let text = self.scalar(path, v, what)?;
        let e = parse_in(&text, "").map_err(|e| self.expression_error(path, e, what))?;
        e.eval_rational(None).ok_or_else(|| {
            self.err(
                ErrorKind::WrongType,
                path,
                format!("{what} `{text}` is not an exact rational number"),
            )
            .with_help("write a decimal or a fraction of integers, such as 0.25 or 1/3")
        })
    }

    fn integer(&self, path: &str, v: &Value, what: &str) -> Result<u128, SpecError> {
        let q = self.rational(path, v, what)?;
        if !q.is_integer() {
            return Err(self.err(
                ErrorKind::WrongType,
                path,
                format!("{what} must be a whole number, found {}", show(&q)),
            ));
        }
        if q.is_negative() {
            return Err(self.err(
                ErrorKind::WrongType,
                path,
                format!("{what} must be non-negative, found {}", show(&q)),
            ));
        }
        q.to_integer().to_u128().ok_or_else(|| {
            self.err(
                ErrorKind::TooManyAgents,
                path,
                format!("{what} {} exceeds 2^128 - 1", show(&q)),
            )
        })
    }

    fn mapping<'v>(
        &self,
        path: &str,
        m: &'v [(Value, Value)],
        allowed: &[&str],
    ) -> Result<Vec<(&'v str, &'v Value)>, SpecError> {
        let mut out = Vec::new();
        for (k, v) in m {
            let Some(key) = k.as_str().filter(|k| allowed.contains(k)) else {
                let shown = k.as_str().map_or_else(|| describe(k), str::to_string);
                return Err(self
                    .err(
                        ErrorKind::UnknownKey,
                        path,
                        format!(
                            "unknown key `{shown}`, expected one of {}",
                            allowed.join(", ")
                        ),
                    )
                    .with_help("remove the key or correct its spelling"));
            };
            out.push((key, v));
        }
        Ok(out)
    }

    fn int_grid(&self, path: &str, v: &Value, what: &str) -> Result<Vec<u128>, SpecError> {
        match v {
            Value::Sequence(items) => self.list(path, items, what, Ctx::integer),
            Value::Mapping(m) => {
                let fields = self.mapping(path, m, &["from", "to", "step", "base", "exponents"])?;
                let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
                if let Some(base) = get("base") {
                    if get("from").is_some() || get("to").is_some() || get("step").is_some() {
                        return Err(self.err(
                            ErrorKind::Conflict,
                            path,
                            "a grid is either a range {from, to, step} or powers {base, exponents}",
                        ));
                    }
                    let bpath = join(path, "base");
                    let b = self.integer(&bpath, base, "the base")?;
                    if b < 2 {
                        return Err(self.err(
                            ErrorKind::Grid,
                            &bpath,
                            "the base must be at least 2",
                        ));
                    }
                    let epath = join(path, "exponents");
                    let exps = get("exponents").ok_or_else(|| {
                        self.err(ErrorKind::MissingKey, path, "powers need `exponents`")
                    })?;
                    let exps = self.int_grid(&epath, exps, "exponents")?;
                    return exps
                        .into_iter()
                        .map(|e| {
                            u32::try_from(e)
                                .ok()
                                .and_then(|e| b.checked_pow(e))
                                .ok_or_else(|| {
                                    self.err(
                                        ErrorKind::TooManyAgents,
                                        &epath,
                                        format!("{b}^{e} exceeds 2^128 - 1"),
                                    )
                                })
                        })
                        .collect();
                }
                let (from, to) = match (get("from"), get("to")) {
                    (Some(f), Some(t)) => (f, t),
                    _ => {
                        return Err(self.err(
                            ErrorKind::MissingKey,
                            path,
                            "a range needs both `from` and `to`",
                        ));
                    }
                };
                let from = self.integer(&join(path, "from"), from, what)?;
                let to = self.integer(&join(path, "to"), to, what)?;
                let step = match get("step") {
                    Some(s) => self.integer(&join(path, "step"), s, "the step")?,
                    None => 1,
                };
                if step == 0 {
                    return Err(self.err(
                        ErrorKind::Grid,
                        &join(path, "step"),
                        "the step must be positive",
                    ));
                }
                if to < from {
                    return Err(self.err(
                        ErrorKind::Grid,
                        path,
                        format!("the range from {from} to {to} is empty (to < from)"),
                    ));
                }
                let count = (to - from) / step + 1;
                if count > MAX_GRID_VALUES {
                    return Err(self.too_many(path, count));
                }
                Ok((0..count).map(|i| from + i * step).collect())
            }
            scalar => Ok(vec![self.integer(path, scalar, what)?]),
        }
    }

    /// A non-empty list of at most `MAX_GRID_VALUES` items, each read with `item`.
    fn list<T>(
        &self,
        path: &str,
        items: &[Value],
        what: &str,
        item: fn(&Ctx, &str, &Value, &str) -> Result<T, SpecError>,
    ) -> Result<Vec<T>, SpecError> {
        if items.is_empty() {
            return Err(self.err(
                ErrorKind::Grid,
                path,
                format!("the list of {what} is empty"),
            ));
        }
        if items.len() as u128 > MAX_GRID_VALUES {
            return Err(self.too_many(path, items.len() as u128));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, v)| item(self, &format!("{path}[{i}]"), v, what))
            .collect()
    }

    fn too_many(&self, path: &str, count: u128) -> SpecError {
        self.err(
            ErrorKind::Grid,
            path,
            format!("the grid has {count} values; at most {MAX_GRID_VALUES} are allowed"),
        )
        .with_help("use a larger step, or split the grid over several specs")
    }

    fn rational_grid(
        &self,
        path: &str,
        v: &Value,
        what: &str,
    ) -> Result<Vec<BigRational>, SpecError> {
        match v {
            Value::Sequence(items) => self.list(path, items, what, Ctx::rational),
            Value::Mapping(m) => {
                let fields = self.mapping(path, m, &["from", "to", "step"])?;
                let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
                let (Some(from), Some(to), Some(step)) = (get("from"), get("to"), get("step"))
                else {
                    return Err(self.err(
                        ErrorKind::MissingKey,
                        path,
                        "a range of real values needs `from`, `to` and `step`",
                    ));
                };
                let from = self.rational(&join(path, "from"), from, what)?;
                let to = self.rational(&join(path, "to"), to, what)?;
                let step = self.rational(&join(path, "step"), step, "the step")?;
                if !step.is_positive() {
                    return Err(self.err(
                        ErrorKind::Grid,
                        &join(path, "step"),
                        "the step must be positive",
                    ));
                }
                if to < from {
                    return Err(self.err(
                        ErrorKind::Grid,
                        path,
                        format!(
                            "the range from {} to {} is empty (to < from)",
                            show(&from),
                            show(&to)
                        ),
                    ));
                }
                let count = ((&to - &from) / &step).floor().to_integer() + BigInt::one();
                let count = count
                    .to_u128()
                    .filter(|c| *c <= MAX_GRID_VALUES)
                    .ok_or_else(|| self.too_many(path, count.to_u128().unwrap_or(u128::MAX)))?;
                Ok((0..count)
                    .map(|i| &from + &step * BigRational::from_integer(BigInt::from(i)))
                    .collect())
            }
            scalar => Ok(vec![self.rational(path, scalar, what)?]),
        }
    }

    fn spec(&self, raw: RawSpec) -> Result<Spec, SpecError> {
        let description = raw.description.trim().to_string();
        if description.is_empty() || description.contains('\n') {
            return Err(self
                .err(
                    ErrorKind::WrongType,
                    "description",
                    "the description must be one non-empty line",
                )
                .with_help("say in one line what in the paper this spec reproduces"));
        }
        let distribution = self.distribution(&raw.distribution)?;
        let (shares, markets, replications) = self.market(&raw.market)?;
        let betas = match &raw.beta {
            None => Vec::new(),
            Some(v) => {
                let betas = self.rational_grid("beta", v, "beta")?;
                for (i, b) in betas.iter().enumerate() {
                    if b.is_negative() {
                        let path = if matches!(v, Value::Sequence(_)) {
                            format!("beta[{i}]")
                        } else {
                            "beta".to_string()
                        };
                        return Err(self
                            .err(
                                ErrorKind::NegativeBeta,
                                &path,
                                format!("beta = {} is negative", show(b)),
                            )
                            .with_help("the interdependence coefficient beta is at least 0"));
                    }
                }
                betas
            }
        };
        let points = markets.len() as u128
            * replications.as_ref().map_or(1, |m| m.len() as u128)
            * betas.len().max(1) as u128;
        if points > MAX_POINTS {
            return Err(self
                .err(
                    ErrorKind::Grid,
                    "",
                    format!(
                        "the spec's grid has {points} points; at most {MAX_POINTS} are allowed"
                    ),
                )
                .with_help("split the grid over several specs (or use `efftrade sweep --shard`)"));
        }
        Ok(Spec {
            description,
            distribution,
            shares,
            markets,
            replications,
            betas,
        })
    }

    fn distribution(&self, raw: &RawDistribution) -> Result<Distribution, SpecError> {
        const P: &str = "distribution";
        let support = match &raw.support {
            None => None,
            Some(Value::Sequence(items)) if items.len() == 2 => Some((&items[0], &items[1])),
            Some(other) => {
                return Err(self.err(
                    ErrorKind::WrongType,
                    &join(P, "support"),
                    format!(
                        "the support must be a list [a, b] of two ends, found {}",
                        describe(other)
                    ),
                ));
            }
        };
        let end = |path: &str, v: &Value, which: &str| -> Result<Option<Expr>, SpecError> {
            let text = self.scalar(path, v, &format!("the {which} end of the support"))?;
            if text.trim() == "solve" {
                return Ok(None);
            }
            let e = parse_in(&text, "").map_err(|e| {
                self.expression_error(path, e, &format!("the {which} end of the support"))
            })?;
            Ok(Some(e))
        };
        let (lower_path, upper_path) = (format!("{P}.support[0]"), format!("{P}.support[1]"));
        let (lower, upper) = match support {
            Some((a, b)) => {
                let lower = end(&lower_path, a, "lower")?.ok_or_else(|| {
                    self.err(
                        ErrorKind::BadSupport,
                        &lower_path,
                        "only the upper end can be `solve`",
                    )
                })?;
                let upper = end(&upper_path, b, "upper")?;
                (
                    Some(lower),
                    Some(upper.map_or(UpperEnd::Solve, UpperEnd::Given)),
                )
            }
            None => (None, None),
        };

        let (family, cdf, lower, upper) = match (&raw.cdf, &raw.family) {
            (Some(_), Some(_)) => {
                return Err(self.err(
                    ErrorKind::Conflict,
                    &join(P, "family"),
                    "give either `cdf` or `family`, not both",
                ));
            }
            (None, None) => {
                return Err(self
                    .err(
                        ErrorKind::MissingKey,
                        P,
                        "the distribution needs `cdf` or `family`",
                    )
                    .with_help(
                        "for example `cdf: \"x^2\"` with `support: [0, 1]`, or `family: uniform`",
                    ));
            }
            (Some(cdf_text), None) => {
                for (key, v) in [
                    ("k", &raw.k),
                    ("shape", &raw.shape),
                    ("lambda", &raw.lambda),
                ] {
                    if v.is_some() {
                        return Err(self.err(
                            ErrorKind::Conflict,
                            &join(P, key),
                            format!("`{key}` is a family parameter; with `cdf` it has no meaning"),
                        ));
                    }
                }
                let cdf = parse(cdf_text)
                    .map_err(|e| self.expression_error(&join(P, "cdf"), e, "the CDF"))?;
                let (Some(lower), Some(upper)) = (lower, upper) else {
                    return Err(self
                        .err(
                            ErrorKind::MissingKey,
                            P,
                            "a `cdf` needs a `support: [a, b]`",
                        )
                        .with_help("give b as a number, or as `solve` to find b with F(b) = 1"));
                };
                (None, cdf, lower, upper)
            }
            (None, Some(name)) => {
                let family = self.family(raw, name)?;
                let lower = lower.unwrap_or_else(|| Expr::int(0));
                let upper = match upper {
                    None => Expr::int(1),
                    Some(UpperEnd::Given(b)) => b,
                    Some(UpperEnd::Solve) => {
                        return Err(self.err(
                            ErrorKind::Conflict,
                            &upper_path,
                            "a family's CDF is 1 at its upper end by construction: give b, not `solve`",
                        ));
                    }
                };
                if raw.renormalize.is_some() {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &join(P, "renormalize"),
                        "a family's CDF is already 1 at its upper end: remove `renormalize`",
                    ));
                }
                let cdf = family.cdf(&lower, &upper);
                (Some(family), cdf, lower, UpperEnd::Given(upper))
            }
        };
        let renormalize = raw.renormalize.unwrap_or(false);
        if renormalize && upper == UpperEnd::Solve {
            return Err(self.err(
                ErrorKind::Conflict,
                &join(P, "renormalize"),
                "`renormalize` and `solve` answer the same question two ways: choose one",
            ));
        }
        Distribution::new(family, cdf, lower, upper, renormalize)
            .map_err(|e| self.distribution_error(e, &upper_path))
    }

    fn family(&self, raw: &RawDistribution, name: &str) -> Result<Family, SpecError> {
        const P: &str = "distribution";
        let expect_only = |wanted: &[&str]| -> Result<(), SpecError> {
            for (key, v) in [
                ("k", &raw.k),
                ("shape", &raw.shape),
                ("lambda", &raw.lambda),
            ] {
                if v.is_some() && !wanted.contains(&key) {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &join(P, key),
                        format!("`{key}` is not a parameter of the {name} family"),
                    ));
                }
            }
            Ok(())
        };
        let required = |key: &str, v: &Option<Value>| -> Result<Value, SpecError> {
            v.clone().ok_or_else(|| {
                self.err(
                    ErrorKind::MissingKey,
                    P,
                    format!("the {name} family needs `{key}`"),
                )
            })
        };
        match name {
            "uniform" => {
                expect_only(&[])?;
                Ok(Family::Uniform)
            }
            "power" => {
                expect_only(&["k"])?;
                let path = join(P, "k");
                let k = self.rational(&path, &required("k", &raw.k)?, "k")?;
                if !k.is_positive() {
                    return Err(self.err(ErrorKind::BadParameter, &path, format!("k = {} must be positive", show(&k))));
                }
                Ok(Family::Power { k })
            }
            "beta" => {
                expect_only(&["shape"])?;
                let path = join(P, "shape");
                let shape = required("shape", &raw.shape)?;
                let Value::Sequence(items) = &shape else {
                    return Err(self.err(ErrorKind::WrongType, &path, "shape must be a list [p, q]"));
                };
                if items.len() != 2 {
                    return Err(self.err(ErrorKind::WrongType, &path, "shape must be a list [p, q] of two integers"));
                }
                let mut pq = [0u32; 2];
                for (i, item) in items.iter().enumerate() {
                    let ipath = format!("{path}[{i}]");
                    let q = self.rational(&ipath, item, "a shape parameter")?;
                    pq[i] = beta_shape(&q).ok_or_else(|| {
                        self.err(
                            ErrorKind::BadParameter,
                            &ipath,
                            format!("shape parameter {} must be an integer from 1 to 1000 (the CDF is then a polynomial)", show(&q)),
                        )
                    })?;
                }
                Ok(Family::Beta { p: pq[0], q: pq[1] })
            }
            "truncated_exponential" => {
                expect_only(&["lambda"])?;
                let path = join(P, "lambda");
                let lambda = self.rational(&path, &required("lambda", &raw.lambda)?, "lambda")?;
                if lambda.is_zero() {
                    return Err(self
                        .err(ErrorKind::BadParameter, &path, "lambda = 0 is the uniform distribution")
                        .with_help("use `family: uniform`"));
                }
                Ok(Family::TruncatedExponential { lambda })
            }
            other => Err(self.err(
                ErrorKind::WrongType,
                &join(P, "family"),
                format!("unknown family `{other}`: the families are uniform, power, beta, truncated_exponential"),
            )),
        }
    }

    fn distribution_error(&self, e: DistributionError, upper_path: &str) -> SpecError {
        const P: &str = "distribution";
        let cdf = join(P, "cdf");
        let support = join(P, "support");
        let message = e.to_string();
        match e {
            DistributionError::NonFiniteEnd { .. } => {
                self.err(ErrorKind::BadSupport, &support, message)
            }
            DistributionError::EmptySupport { .. } => {
                self.err(ErrorKind::EmptySupport, &support, message)
            }
            DistributionError::InvertedSupport { .. } => self
                .err(ErrorKind::InvertedSupport, &support, message)
                .with_help("write the support as [lower end, upper end]"),
            DistributionError::LowerNotZero { .. } => {
                self.err(ErrorKind::LowerNotZero, &cdf, message).with_help(
                    "a CDF starts at 0: check the lower end of the support, or subtract F(a)",
                )
            }
            DistributionError::UpperNotOne { solved, .. } => {
                let solved = solved.map_or(String::new(), |b| format!(" (here b = {b})"));
                self.err(ErrorKind::UpperNotOne, upper_path, message)
                    .with_help(format!(
                        "write `support: [a, solve]` to use the b with F(b) = 1{solved}, or add \
                     `renormalize: true` under `distribution` to divide F by F(b)"
                    ))
            }
            DistributionError::RenormalizeNonPositive { .. } => {
                self.err(ErrorKind::UpperNotOne, upper_path, message)
            }
            DistributionError::NoUpperEnd { .. } => self
                .err(ErrorKind::NoUpperEnd, upper_path, message)
                .with_help("check the CDF, or give the upper end as a number"),
            DistributionError::Undefined { .. } => self
                .err(ErrorKind::Undefined, &cdf, message)
                .with_help("the CDF must be defined on the whole support"),
            DistributionError::Decreasing { .. } => {
                self.err(ErrorKind::Decreasing, &cdf, message).with_help(
                    "a CDF never decreases: its density must be non-negative on the whole support",
                )
            }
            DistributionError::Uncertified { .. } => {
                self.err(ErrorKind::Uncertified, &cdf, message)
            }
            DistributionError::BadParameter(_) => self.err(ErrorKind::BadParameter, P, message),
        }
    }

    #[allow(clippy::type_complexity)]
    fn market(
        &self,
        raw: &RawMarket,
    ) -> Result<(SharesRule, Vec<MarketCase>, Option<Vec<u128>>), SpecError> {
        const P: &str = "market";
        match &raw.replicate {
            Some(rep) => {
                for (key, present) in [
                    ("n", raw.n.is_some()),
                    ("shares", raw.shares.is_some()),
                    ("r", raw.r.is_some()),
                ] {
                    if present {
                        return Err(self
                            .err(
                                ErrorKind::Conflict,
                                &join(P, key),
                                format!(
                                    "with `replicate`, give `{key}` inside it (for the base market)"
                                ),
                            )
                            .with_help("write market: {replicate: {shares: [...], m: [...]}}"));
                    }
                }
                let base = join(P, "replicate");
                let (rule, cases) = self.cases(&base, &rep.n, &rep.shares, &rep.r)?;
                let mpath = join(&base, "m");
                let ms = self.int_grid(&mpath, &rep.m, "m")?;
                for (i, &m) in ms.iter().enumerate() {
                    let at = if matches!(rep.m, Value::Sequence(_)) {
                        format!("{mpath}[{i}]")
                    } else {
                        mpath.clone()
                    };
                    for case in &cases {
                        case.market
                            .replicate(m)
                            .map_err(|e| self.market_error(&e, &at, &at, None))?;
                    }
                }
                Ok((rule, cases, Some(ms)))
            }
            None => {
                let (rule, cases) = self.cases(P, &raw.n, &raw.shares, &raw.r)?;
                Ok((rule, cases, None))
            }
        }
    }

    fn market_error(
        &self,
        e: &MarketError,
        n_path: &str,
        shares_path: &str,
        r: Option<&BigRational>,
    ) -> SpecError {
        let at_r = r.map_or(String::new(), |r| format!("at r = {}: ", show(r)));
        let message = format!("{at_r}{e}");
        match e {
            MarketError::TooFewAgents { .. } => self
                .err(ErrorKind::TooFewAgents, n_path, message)
                .with_help("the paper's markets have n >= 2 agents"),
            MarketError::NegativeShare { index, .. } => self
                .err(ErrorKind::NegativeShare, &format!("{shares_path}[{}]", index - 1), message)
                .with_help("each share r_i is a fraction of the good, at least 0"),
            MarketError::SharesDoNotSumToOne { .. } => self
                .err(ErrorKind::SharesSum, shares_path, message)
                .with_help("the shares split the whole good: they must add up to exactly 1 (write thirds as 1/3)"),
            MarketError::ZeroReplication => self.err(ErrorKind::ZeroReplication, n_path, message),
            MarketError::TooManyAgents => self.err(ErrorKind::TooManyAgents, n_path, message),
        }
    }

    fn cases(
        &self,
        base: &str,
        n: &Option<Value>,
        shares: &Option<Value>,
        r: &Option<Value>,
    ) -> Result<(SharesRule, Vec<MarketCase>), SpecError> {
        let (n_path, shares_path, r_path) =
            (join(base, "n"), join(base, "shares"), join(base, "r"));
        let ns = n
            .as_ref()
            .map(|v| self.int_grid(&n_path, v, "n"))
            .transpose()?;
        let rs = r
            .as_ref()
            .map(|v| self.rational_grid(&r_path, v, "r"))
            .transpose()?;
        let Some(shares) = shares else {
            return Err(self
                .err(ErrorKind::MissingKey, base, "the market needs `shares`")
                .with_help(
                    "give `shares: symmetric` (with `n`) or a list of shares, one per agent",
                ));
        };
        match shares {
            Value::String(s) if s.trim() == "symmetric" => {
                if rs.is_some() {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &r_path,
                        "symmetric shares take no parameter `r`",
                    ));
                }
                let Some(ns) = ns else {
                    return Err(self
                        .err(
                            ErrorKind::MissingKey,
                            base,
                            "symmetric shares need `n`, the number of agents",
                        )
                        .with_help("for example `n: 5` or `n: {from: 2, to: 60}`"));
                };
                let mut cases = Vec::with_capacity(ns.len());
                for (i, &k) in ns.iter().enumerate() {
                    let at = if matches!(n, Some(Value::Sequence(_))) {
                        format!("{n_path}[{i}]")
                    } else {
                        n_path.clone()
                    };
                    let market = Market::symmetric(k)
                        .map_err(|e| self.market_error(&e, &at, &shares_path, None))?;
                    cases.push(MarketCase { market, r: None });
                }
                Ok((SharesRule::Symmetric, cases))
            }
            Value::Sequence(items) => {
                let mut formulas = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{shares_path}[{i}]");
                    let text = self.scalar(&path, item, &format!("share {}", i + 1))?;
                    let e = parse_in(&text, "r").map_err(|e| {
                        let mut err = self.expression_error(&path, e, &format!("share {}", i + 1));
                        if rs.is_none() {
                            err.help = Some("a share is a number such as 0.25 or 1/3, or a formula in a parameter `r` given as a grid `r:`".into());
                        }
                        err
                    })?;
                    formulas.push(e);
                }
                if let Some(ns) = &ns
                    && (ns.len() != 1 || ns[0] != formulas.len() as u128)
                {
                    return Err(self
                        .err(
                            ErrorKind::Conflict,
                            &n_path,
                            format!("n does not match the {} shares listed", formulas.len()),
                        )
                        .with_help(
                            "with a list of shares, n is the length of the list: omit `n`",
                        ));
                }
                let uses_r = formulas.iter().any(Expr::has_var);
                match (&rs, uses_r) {
                    (None, true) => {
                        return Err(self
                            .err(
                                ErrorKind::MissingKey,
                                &shares_path,
                                "the shares are formulas in `r`, but no values of `r` are given",
                            )
                            .with_help(
                                "add `r:` with a value, a list or a range {from, to, step}",
                            ));
                    }
                    (Some(_), false) => {
                        return Err(self.err(
                            ErrorKind::Conflict,
                            &r_path,
                            "`r` is given but no share uses it",
                        ));
                    }
                    _ => {}
                }
                let values: Vec<Option<BigRational>> = match rs {
                    Some(rs) => rs.into_iter().map(Some).collect(),
                    None => vec![None],
                };
                let mut cases = Vec::with_capacity(values.len());
                for r in values {
                    let mut shares = Vec::with_capacity(formulas.len());
                    for (i, f) in formulas.iter().enumerate() {
                        let value = f.eval_rational(r.as_ref()).ok_or_else(|| {
                            let at = r.as_ref().map_or(String::new(), |r| format!(" at r = {}", show(r)));
                            self.err(
                                ErrorKind::WrongType,
                                &format!("{shares_path}[{i}]"),
                                format!("share {} = {}{at} is not an exact rational number", i + 1, f.display_with("r")),
                            )
                            .with_help("shares are exact: write decimals or fractions of integers, such as 0.25 or 1/3")
                        })?;
                        shares.push(value);
                    }
                    let market = Market::from_shares(&shares).map_err(|e| {
                        self.market_error(&e, &shares_path, &shares_path, r.as_ref())
                    })?;
                    cases.push(MarketCase { market, r });
                }
                Ok((SharesRule::Listed(formulas), cases))
            }
            other => Err(self.err(
                ErrorKind::WrongType,
                &shares_path,
                format!(
                    "shares must be `symmetric` or a list, found {}",
                    describe(other)
                ),
            )),
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Int(n) => format!("the number {n}"),
        Value::Float(x) => format!("the number {x}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
    }
}

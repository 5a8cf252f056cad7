//! The YAML layer: a spec's text parsed into a located tree by `serde-saphyr` (pure safe Rust,
//! with budgets against alias bombs and deep nesting), then read into the schema
//! ([`RawSpec`](super::schema::RawSpec)) by a serde deserializer over that tree.
//!
//! The second step is ours so that the messages and positions of schema errors do not depend on
//! the parser: an unknown key is reported at the key, a missing key at the start of its mapping,
//! a value of the wrong type at the value, each prefixed by the YAML path of the mapping or value
//! (`market.replicate: missing field `m``) and worded by serde's own defaults (`unknown field
//! `sharez`, expected one of `n`, `shares`, `r`, `replicate``). Scalars are read as YAML 1.2's
//! core schema does: `yes` and `on` are strings, `~` and an empty value are null, and a plain
//! scalar read as a string (a `description`, a `cdf`) is its text as written (`cdf: 5` is `"5"`).
//!
//! Budgets (see [`budget`]): at most [`MAX_NESTING`](super::MAX_NESTING) levels of nesting and
//! [`MAX_ALIAS_VALUES`](super::MAX_ALIAS_VALUES) values repeated through aliases, so a "billion
//! laughs" document or a hundred thousand nested brackets are refused in milliseconds, with the
//! position where the budget ran out. (The nesting budget also bounds the recursion of the
//! deserializers below, which use the stack at every level.)

use std::fmt;

use serde::de::{self, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use crate::locate::Position;

use super::{MAX_ALIAS_VALUES as MAX_REPLAYED, MAX_NESTING as MAX_DEPTH, MAX_SPEC_BYTES};

/// The parser's budgets: generous for any spec, small enough that a hostile document fails fast.
fn budget() -> Options {
    let mut options = Options::default();
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    // A spec of MAX_SPEC_BYTES cannot hold more nodes than this; aliases are counted below.
    budget.max_nodes = MAX_SPEC_BYTES;
    budget.max_aliases = MAX_REPLAYED;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED;
    options.alias_limits.max_replay_stack_depth = MAX_DEPTH;
    // YAML 1.2's core schema: only true/false are booleans; `.inf` and `.nan` reach the loader,
    // which reports them as not finite where a number belongs.
    options.strict_booleans = true;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    // Later duplicates are passed on, so that the schema reports `duplicate field`.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    options
}

/// A fault found while parsing or reading the document: its message (with the YAML path in
/// front, when known) and position.
#[derive(Debug)]
pub(super) struct YamlError {
    /// What is wrong.
    pub(super) message: String,
    /// Where, when known.
    pub(super) position: Option<Position>,
    /// Whether the parser (not the schema) found it: bad syntax or an exceeded budget.
    pub(super) syntax: bool,
    /// Whether it is an exceeded budget (an alias bomb, deep nesting, a huge document).
    pub(super) budget: bool,
    /// The YAML path of the node, once one has been attached.
    path: Option<String>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl de::Error for YamlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        YamlError {
            message: msg.to_string(),
            position: None,
            syntax: false,
            budget: false,
            path: None,
        }
    }
}

impl YamlError {
    /// The first located node an error passes through places it (the innermost one).
    fn at(mut self, node: &Node, path: &str) -> YamlError {
        if self.position.is_none() {
            self.position = Some(node.at);
        }
        if self.path.is_none() {
            if !path.is_empty() {
                self.message = format!("{path}: {}", self.message);
            }
            self.path = Some(path.to_string());
        }
        self
    }
}

/// One node of the document: where it starts, where its text is, and what it holds.
#[derive(Clone, Debug)]
struct Node {
    at: Position,
    /// Byte offset and length of its text in the source, when the parser gives them.
    span: Option<(usize, usize)>,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    /// `~` or `null` (`empty: false`), or nothing at all (`empty: true`).
    Null {
        empty: bool,
    },
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let spanned = <Spanned<Kind> as de::Deserialize>::deserialize(d)?;
        let place = |v: u64| usize::try_from(v).unwrap_or(usize::MAX).max(1);
        let at = Position {
            line: place(spanned.referenced.line()),
            column: place(spanned.referenced.column()),
        };
        let span = spanned.referenced.span();
        let span = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) => usize::try_from(o).ok().zip(usize::try_from(l).ok()),
            _ => None,
        };
        let kind = match spanned.value {
            Kind::Null { .. } => Kind::Null {
                empty: span.is_none_or(|(_, l)| l == 0),
            },
            other => other,
        };
        Ok(Node { at, span, kind })
    }
}

impl<'de> de::Deserialize<'de> for Kind {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Kind;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null { empty: false })
            }
            fn visit_none<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null { empty: false })
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
                <Kind as de::Deserialize>::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
                Ok(Kind::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
                Ok(Kind::U64(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
                Ok(Kind::I64(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
                Ok(Kind::U128(v))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
                Ok(Kind::I128(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
                Ok(Kind::F64(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
                Ok(Kind::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Kind, E> {
                Ok(Kind::Str(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Node>()? {
                    items.push(item);
                }
                Ok(Kind::Seq(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Node, Node>()? {
                    entries.push(entry);
                }
                Ok(Kind::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads `source` into `T`: parses it within the budgets, then deserializes the tree.
pub(super) fn read<T: de::DeserializeOwned>(source: &str) -> Result<T, YamlError> {
    let root = match serde_saphyr::from_str_with_options::<Node>(source, budget()) {
        Ok(root) => root,
        // A document of nothing (or only comments) is an empty mapping, as in YAML's loaders.
        Err(e)
            if matches!(e.without_snippet(), serde_saphyr::Error::Eof { .. })
                && source
                    .lines()
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) =>
        {
            Node {
                at: Position { line: 1, column: 1 },
                span: None,
                kind: Kind::Null { empty: true },
            }
        }
        Err(e) => return Err(from_parser(&e)),
    };
    T::deserialize(Reader {
        node: &root,
        path: String::new(),
        source,
    })
}

/// A parser error (bad syntax or an exceeded budget), its position reported separately.
fn from_parser(e: &serde_saphyr::Error) -> YamlError {
    let full = e.without_snippet().to_string();
    // serde-saphyr appends " at line L, column C" (and, through aliases, where they point).
    let message = match full.find(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    let budget = message.starts_with("budget breached") || message.contains("limit exceeded");
    let message = if !budget {
        if message.starts_with("multiple YAML documents") {
            "a spec is one YAML document, but a `---` line starts another".to_string()
        } else {
            message
        }
    } else if message.contains("Depth") || message.contains("recursion") {
        format!("the document nests lists and mappings more than {MAX_DEPTH} levels deep")
    } else if message.contains("alias") || message.contains("replay") {
        format!(
            "aliases repeat more than {MAX_REPLAYED} values (an alias bomb such as \
             \"billion laughs\" expands exponentially)"
        )
    } else {
        format!("the document is too large for a spec ({message})")
    };
    let place = |v: u64| usize::try_from(v).unwrap_or(usize::MAX).max(1);
    YamlError {
        message,
        position: e.location().map(|l| Position {
            line: place(l.line()),
            column: place(l.column()),
        }),
        syntax: true,
        budget,
        path: Some(String::new()),
    }
}

/// `path.key`, or `key` at the top.
fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A serde deserializer over one node, knowing its YAML path.
struct Reader<'a> {
    node: &'a Node,
    path: String,
    source: &'a str,
}

impl<'a> Reader<'a> {
    /// A plain scalar's text as written (YAML reads any scalar as a string where one is wanted).
    fn text(&self) -> Option<String> {
        if let Kind::Str(s) = &self.node.kind {
            return Some(s.clone());
        }
        let written = self
            .node
            .span
            .and_then(|(o, l)| self.source.get(o..o.checked_add(l)?));
        Some(match &self.node.kind {
            Kind::Null { empty: true } => String::new(),
            Kind::Seq(_) | Kind::Map(_) => return None,
            _ if written.is_some() => written.unwrap_or_default().to_string(),
            Kind::Null { .. } => "~".to_string(),
            Kind::Bool(b) => b.to_string(),
            Kind::U64(v) => v.to_string(),
            Kind::I64(v) => v.to_string(),
            Kind::U128(v) => v.to_string(),
            Kind::I128(v) => v.to_string(),
            Kind::F64(v) => v.to_string(),
            Kind::Str(s) => s.clone(),
        })
    }

    fn place(&self, e: YamlError) -> YamlError {
        e.at(self.node, &self.path)
    }

    fn map<V: Visitor<'a>>(
        &self,
        visitor: V,
        entries: &'a [(Node, Node)],
    ) -> Result<V::Value, YamlError> {
        visitor.visit_map(Entries {
            entries: entries.iter(),
            value: None,
            path: self.path.clone(),
            source: self.source,
        })
    }
}

impl<'de> de::Deserializer<'de> for Reader<'de> {
    type Error = YamlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        let out = match &self.node.kind {
            Kind::Null { .. } => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(*b),
            Kind::U64(v) => visitor.visit_u64(*v),
            Kind::I64(v) => visitor.visit_i64(*v),
            Kind::U128(v) => visitor.visit_u128(*v),
            Kind::I128(v) => visitor.visit_i128(*v),
            Kind::F64(v) => visitor.visit_f64(*v),
            Kind::Str(s) => visitor.visit_str(s),
            Kind::Seq(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
                path: self.path.clone(),
                source: self.source,
            }),
            Kind::Map(entries) => self.map(visitor, entries),
        };
        out.map_err(|e| self.place(e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        match self.node.kind {
            Kind::Null { .. } => visitor.visit_none().map_err(|e| self.place(e)),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        match self.text() {
            Some(text) => visitor.visit_string(text).map_err(|e| self.place(e)),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        match &self.node.kind {
            // An empty value where a mapping belongs is an empty mapping.
            Kind::Null { empty: true } => self.map(visitor, &[]).map_err(|e| self.place(e)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, YamlError> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct enum ignored_any
    }
}

/// The items of a sequence, each at `path[i]`.
struct Items<'a, I> {
    items: I,
    path: String,
    source: &'a str,
}

impl<'de, I: Iterator<Item = (usize, &'de Node)>> de::SeqAccess<'de> for Items<'de, I> {
    type Error = YamlError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, YamlError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, node)) => seed
                .deserialize(Reader {
                    node,
                    path: format!("{}[{i}]", self.path),
                    source: self.source,
                })
                .map(Some),
        }
    }
}

/// The entries of a mapping: a key is read at the mapping's path (an unknown key is the
/// mapping's fault, placed at the key), its value at `path.key`.
struct Entries<'a, I> {
    entries: I,
    value: Option<(String, &'a Node)>,
    path: String,
    source: &'a str,
}

impl<'de, I: Iterator<Item = &'de (Node, Node)>> de::MapAccess<'de> for Entries<'de, I> {
    type Error = YamlError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, YamlError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let reader = Reader {
            node: key,
            path: self.path.clone(),
            source: self.source,
        };
        let name = reader.text().unwrap_or_else(|| "?".to_string());
        let out = seed.deserialize(reader)?;
        self.value = Some((child(&self.path, &name), value));
        Ok(Some(out))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, YamlError> {
        match self.value.take() {
            Some((path, node)) => seed.deserialize(Reader {
                node,
                path,
                source: self.source,
            }),
            None => Err(de::Error::custom("a mapping value without its key")),
        }
    }
}

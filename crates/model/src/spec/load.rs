//! Loading a spec: reading the file, parsing the YAML, reading each key, and locating every
//! error at its file, line and column with the source line and a caret.

use std::path::Path;

use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive};

use super::checks;
use super::schema::RawSpec;
use super::value::{Value, describe};
use super::{MAX_SPEC_BYTES, Spec, show};
use crate::error::{ErrorKind, SpecError};
use crate::locate::SourceMap;
use crate::parse::{ParseError, parse_in};

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
                err.source_line = p
                    .line
                    .checked_sub(1)
                    .and_then(|i| source.lines().nth(i))
                    .map(str::to_string);
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
        let raw: RawSpec = super::yaml::read(source).map_err(|e| locate(from_yaml(e)))?;
        let ctx = Ctx {
            map: SourceMap::new(source),
            dir: file.and_then(|f| std::path::Path::new(f).parent().map(|d| d.to_path_buf())),
        };
        ctx.spec(raw).map_err(|e| locate(ctx.place(e)))
    }
}

/// Turns a YAML error into a located spec error.
fn from_yaml(e: super::yaml::YamlError) -> SpecError {
    let message = e.message;
    let (kind, help) = if e.budget {
        (
            ErrorKind::Syntax,
            Some(
                "a spec needs a few levels of nesting and few aliases: write the values out \
                 instead of nesting or repeating them through anchors",
            ),
        )
    } else if e.syntax {
        (
            ErrorKind::Syntax,
            Some("the file must be a YAML mapping; check indentation and quotes"),
        )
    } else if message.contains("unknown field") {
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
    err.position = e.position;
    err.help = help.map(str::to_string);
    err
}

/// The reader of one spec document: the located values of its source.
pub(super) struct Ctx {
    map: SourceMap,
    /// The spec file's directory, against which data files are found.
    pub(super) dir: Option<std::path::PathBuf>,
}

impl Ctx {
    /// A fault of `kind` at the YAML `path` (placed in the file by [`Ctx::place`]).
    pub(super) fn err(&self, kind: ErrorKind, path: &str, message: impl Into<String>) -> SpecError {
        checks::error(kind, path, message)
    }

    /// Gives a fault that names a YAML path the position of the value there.
    pub(super) fn place(&self, mut e: SpecError) -> SpecError {
        if e.position.is_none()
            && let Some(path) = &e.path
        {
            e.position = self.map.position(path);
        }
        e
    }

    pub(super) fn expression_error(&self, path: &str, e: ParseError, what: &str) -> SpecError {
        self.err(
            ErrorKind::Expression,
            path,
            format!("{what}: {}", e.message),
        )
        .with_detail(e.snippet())
    }

    /// The text of the plain scalar at `path` as written in the file.
    pub(super) fn exact_text(&self, path: &str) -> Option<String> {
        self.map
            .get(path)
            .filter(|l| !l.quoted)
            .and_then(|l| l.text.clone())
    }

    /// A scalar's text exactly as written.
    pub(super) fn scalar(&self, path: &str, v: &Value, what: &str) -> Result<String, SpecError> {
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
    pub(super) fn rational(
        &self,
        path: &str,
        v: &Value,
        what: &str,
    ) -> Result<BigRational, SpecError> {
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

    pub(super) fn integer(&self, path: &str, v: &Value, what: &str) -> Result<u128, SpecError> {
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

    pub(super) fn mapping<'v>(
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

    /// The whole spec, validated.
    pub(super) fn spec(&self, raw: RawSpec) -> Result<Spec, SpecError> {
        let description = checks::description(&raw.description)?;
        let distribution = self.distribution(&raw.distribution)?;
        let grid = self.market(&raw.market)?;
        let betas = match &raw.beta {
            None => Vec::new(),
            Some(v) => {
                let betas = self.rational_grid("beta", v, "beta")?;
                for (i, b) in betas.iter().enumerate() {
                    let path = if matches!(v, Value::Sequence(_)) {
                        format!("beta[{i}]")
                    } else {
                        "beta".to_string()
                    };
                    checks::beta(b, &path)?;
                }
                betas
            }
        };
        checks::point_count(&grid, betas.len())?;
        Ok(Spec {
            description,
            distribution,
            grid,
            betas,
        })
    }
}

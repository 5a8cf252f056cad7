//! Grids: a single value, a list, a range `{from, to, step}`, or (for integers) powers
//! `{base, exponents}`, each expanded into its values, at most [`MAX_GRID_VALUES`] of them.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive};

use super::checks;
use super::load::Ctx;
use super::value::Value;
use super::{MAX_GRID_VALUES, join, show};
use crate::error::{ErrorKind, SpecError};

impl Ctx {
    pub(super) fn int_grid(
        &self,
        path: &str,
        v: &Value,
        what: &str,
    ) -> Result<Vec<u128>, SpecError> {
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
                self.range_checks(
                    path,
                    step > 0,
                    to >= from,
                    &from.to_string(),
                    &to.to_string(),
                )?;
                let count = (to - from) / step + 1;
                if count > MAX_GRID_VALUES {
                    return Err(checks::too_many(path, count));
                }
                Ok((0..count).map(|i| from + i * step).collect())
            }
            scalar => Ok(vec![self.integer(path, scalar, what)?]),
        }
    }

    /// The checks every range shares: a positive step, and an end `to` not below the start
    /// `from` (both as the message shows them).
    fn range_checks(
        &self,
        path: &str,
        step_positive: bool,
        ordered: bool,
        from: &str,
        to: &str,
    ) -> Result<(), SpecError> {
        if !step_positive {
            return Err(self.err(
                ErrorKind::Grid,
                &join(path, "step"),
                "the step must be positive",
            ));
        }
        if !ordered {
            return Err(self.err(
                ErrorKind::Grid,
                path,
                format!("the range from {from} to {to} is empty (to < from)"),
            ));
        }
        Ok(())
    }

    /// A non-empty list of at most `MAX_GRID_VALUES` items, each read with `item`.
    pub(super) fn list<T>(
        &self,
        path: &str,
        items: &[Value],
        what: &str,
        item: fn(&Ctx, &str, &Value, &str) -> Result<T, SpecError>,
    ) -> Result<Vec<T>, SpecError> {
        checks::list_length(path, items.len(), what)?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| item(self, &format!("{path}[{i}]"), v, what))
            .collect()
    }

    pub(super) fn rational_grid(
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
                self.range_checks(
                    path,
                    step.is_positive(),
                    to >= from,
                    &show(&from),
                    &show(&to),
                )?;
                let count = ((&to - &from) / &step).floor().to_integer() + BigInt::one();
                let count = count
                    .to_u128()
                    .filter(|c| *c <= MAX_GRID_VALUES)
                    .ok_or_else(|| checks::too_many(path, count.to_u128().unwrap_or(u128::MAX)))?;
                Ok((0..count)
                    .map(|i| &from + &step * BigRational::from_integer(BigInt::from(i)))
                    .collect())
            }
            scalar => Ok(vec![self.rational(path, scalar, what)?]),
        }
    }
}

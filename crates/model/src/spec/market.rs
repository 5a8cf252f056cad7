//! Reading the `market` key: symmetric or listed shares (formulas in a share parameter `r`),
//! optionally replicated m-fold (Definition 2), into the spec's grid of markets.

use super::checks;
use super::join;
use super::load::Ctx;
use super::schema::RawMarket;
use super::validated::{MarketCase, MarketGrid, SharesRule};
use super::value::{Value, describe};
use crate::error::{ErrorKind, SpecError};
use crate::parse::parse_in;

impl Ctx {
    /// The spec's markets: base markets and, when replicating, the factors m.
    pub(super) fn market(&self, raw: &RawMarket) -> Result<MarketGrid, SpecError> {
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
                checks::replications(&cases, &ms, |i| {
                    if matches!(rep.m, Value::Sequence(_)) {
                        format!("{mpath}[{i}]")
                    } else {
                        mpath.clone()
                    }
                })?;
                Ok(MarketGrid {
                    shares: rule,
                    cases,
                    replications: Some(ms),
                })
            }
            None => {
                let (shares, cases) = self.cases(P, &raw.n, &raw.shares, &raw.r)?;
                Ok(MarketGrid {
                    shares,
                    cases,
                    replications: None,
                })
            }
        }
    }

    pub(super) fn cases(
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
                let cases = checks::symmetric_cases(
                    &ns,
                    |i| {
                        if matches!(n, Some(Value::Sequence(_))) {
                            format!("{n_path}[{i}]")
                        } else {
                            n_path.clone()
                        }
                    },
                    &shares_path,
                )?;
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
                    && ns.as_slice() != [formulas.len() as u128]
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
                let cases = checks::listed_cases(&formulas, rs, &shares_path, &r_path)?;
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

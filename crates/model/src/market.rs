//! Markets `(n, r)`: agents and their shares of the good, stored as share classes.
//!
//! Agents with equal shares contribute equal terms to T1 and T2 (docs/MATH.md), so a market is a
//! list of [`ShareClass`]es `(share, count)`. The m-fold replication of Definition 2 of the paper
//! multiplies counts and divides shares, so a market of `N = 10^30` agents is as small as one of
//! two. Shares are exact rationals and must be non-negative and sum to exactly one.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed};

use crate::expr::Expr;

/// Agents that all hold the same share of the good.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ShareClass {
    share: BigRational,
    count: u128,
}

impl ShareClass {
    /// Each agent's share `r_i`.
    pub fn share(&self) -> &BigRational {
        &self.share
    }

    /// How many agents hold it.
    pub fn count(&self) -> u128 {
        self.count
    }
}

/// Why a list of shares does not make a market.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    /// Fewer than two agents.
    #[error("a market needs at least 2 agents, got n = {n}")]
    TooFewAgents {
        /// The number of agents given.
        n: u128,
    },
    /// A negative share.
    #[error("share {index} is {value}, but shares cannot be negative")]
    NegativeShare {
        /// 1-based position of the share.
        index: usize,
        /// The share.
        value: String,
    },
    /// Shares that do not sum to one.
    #[error("the shares sum to {sum}, not 1 (they differ from 1 by {gap})")]
    SharesDoNotSumToOne {
        /// The exact sum.
        sum: String,
        /// `sum - 1`.
        gap: String,
    },
    /// `m = 0`.
    #[error("an m-fold replication needs m >= 1, got m = 0")]
    ZeroReplication,
    /// More agents than 2^128 - 1.
    #[error("the market would have more than 2^128 - 1 agents")]
    TooManyAgents,
}

/// A market: share classes whose counts sum to `n >= 2` and whose shares sum to one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Market {
    classes: Vec<ShareClass>,
    n: u128,
}

impl Market {
    /// The market with these shares, one per agent. Equal shares are merged into one class; the
    /// classes keep the order in which their shares first appear.
    pub fn from_shares(shares: &[BigRational]) -> Result<Market, MarketError> {
        let n = shares.len() as u128;
        if n < 2 {
            return Err(MarketError::TooFewAgents { n });
        }
        for (i, s) in shares.iter().enumerate() {
            if s.is_negative() {
                return Err(MarketError::NegativeShare {
                    index: i + 1,
                    value: show(s),
                });
            }
        }
        let sum: BigRational = shares.iter().sum();
        if !sum.is_one() {
            let gap = &sum - BigRational::one();
            return Err(MarketError::SharesDoNotSumToOne {
                sum: show(&sum),
                gap: show(&gap),
            });
        }
        let mut classes: Vec<ShareClass> = Vec::new();
        for s in shares {
            match classes.iter_mut().find(|c| &c.share == s) {
                Some(c) => c.count += 1,
                None => classes.push(ShareClass {
                    share: s.clone(),
                    count: 1,
                }),
            }
        }
        Ok(Market { classes, n })
    }

    /// `n` agents with equal shares `1/n`.
    pub fn symmetric(n: u128) -> Result<Market, MarketError> {
        if n < 2 {
            return Err(MarketError::TooFewAgents { n });
        }
        let share = BigRational::new(BigInt::one(), BigInt::from(n));
        Ok(Market {
            classes: vec![ShareClass { share, count: n }],
            n,
        })
    }

    /// The m-fold replication (Definition 2): each agent becomes `m` agents holding `1/m` of its
    /// share, so `N = m n`.
    pub fn replicate(&self, m: u128) -> Result<Market, MarketError> {
        if m == 0 {
            return Err(MarketError::ZeroReplication);
        }
        let n = self.n.checked_mul(m).ok_or(MarketError::TooManyAgents)?;
        let m_big = BigRational::from_integer(BigInt::from(m));
        let classes = self
            .classes
            .iter()
            .map(|c| ShareClass {
                share: &c.share / &m_big,
                count: c.count * m,
            })
            .collect();
        Ok(Market { classes, n })
    }

    /// The number of agents.
    pub fn n(&self) -> u128 {
        self.n
    }

    /// The share classes.
    pub fn classes(&self) -> &[ShareClass] {
        &self.classes
    }

    /// Whether every agent holds the same share.
    pub fn is_symmetric(&self) -> bool {
        self.classes.len() == 1
    }
}

fn show(q: &BigRational) -> String {
    Expr::Num(q.clone()).to_string()
}

impl fmt::Display for Market {
    /// `N = 3: 1 x 0.5, 1 x 0.3, 1 x 0.2` style, shares exact.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "N = {}:", self.n)?;
        for (i, c) in self.classes.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{} x {}", c.count, show(&c.share))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn equal_shares_share_a_class() {
        let m = Market::from_shares(&[q(1, 4), q(1, 2), q(1, 4)]).unwrap();
        assert_eq!(m.n(), 3);
        assert_eq!(m.classes().len(), 2);
        assert_eq!(
            m.classes()[0],
            ShareClass {
                share: q(1, 4),
                count: 2
            }
        );
        assert_eq!(m.to_string(), "N = 3: 2 x 0.25, 1 x 0.5");
    }

    #[test]
    fn replication_is_definition_2() {
        let ms = Market::from_shares(&[q(1, 1), q(0, 1)]).unwrap();
        let big = ms.replicate(10u128.pow(30)).unwrap();
        assert_eq!(big.n(), 2 * 10u128.pow(30));
        assert_eq!(
            big.classes()[0].share,
            q(1, 1) / BigRational::from_integer(BigInt::from(10u128.pow(30)))
        );
        assert_eq!(big.classes()[0].count, 10u128.pow(30));
        assert_eq!(big.classes()[1].share, q(0, 1));
        let total: BigRational = big
            .classes()
            .iter()
            .map(|c| &c.share * BigRational::from_integer(BigInt::from(c.count)))
            .sum();
        assert!(total.is_one());
        assert_eq!(ms.replicate(0), Err(MarketError::ZeroReplication));
        assert_eq!(
            big.replicate(10u128.pow(10)),
            Err(MarketError::TooManyAgents)
        );
    }

    #[test]
    fn bad_shares_are_named() {
        assert_eq!(
            Market::from_shares(&[q(1, 1)]),
            Err(MarketError::TooFewAgents { n: 1 })
        );
        assert_eq!(
            Market::symmetric(1),
            Err(MarketError::TooFewAgents { n: 1 })
        );
        assert!(matches!(
            Market::from_shares(&[q(3, 2), q(-1, 2)]),
            Err(MarketError::NegativeShare { index: 2, .. })
        ));
        let err = Market::from_shares(&[q(1, 2), q(4, 10)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the shares sum to 0.9, not 1 (they differ from 1 by -0.1)"
        );
    }
}

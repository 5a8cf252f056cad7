//! # efftrade-model
//!
//! The objects of Pycia and Wang, "Efficient Trade with Interdependent Values": a market
//! `(n, r, F)` of `n >= 2` agents with shares `r_i` of a good and i.i.d. types drawn from a CDF `F`
//! on a support `[a, b]`, possibly replicated m-fold (Definition 2), and the interdependence
//! coefficient `beta >= 0`.
//!
//! * [`expr`] and [`parse`](mod@parse): the expression grammar for CDFs (exact rational numbers, `x`,
//!   `+ - * / ^`, `sin cos tan exp log sqrt`, `pi`, `e`), printing, and differentiation.
//! * [`distribution`]: a validated distribution (support, `solve`, `renormalize`, families).
//! * [`market`]: share classes `(share, count)`, so that `N = 10^30` agents cost what 2 do.
//! * [`spec`]: the YAML spec format, with errors that name the file, line, column and fix.
//! * [`interval`]: the interval arithmetic that certifies a CDF is non-decreasing.
//!
//! Validated types keep their fields private: a [`Distribution`], [`Market`], [`MarketGrid`] or
//! [`Spec`] exists only once its checks have passed, whether it was read from a spec file or
//! built by a constructor ([`Distribution::from_family`], [`Distribution::from_cdf`],
//! [`Market::from_shares`], [`MarketGrid::symmetric`], [`MarketGrid::listed`], [`Spec::new`]).
//! The constructors apply the spec file's rules and return its errors, without a place in a file.
//!
//! ```
//! use efftrade_model::Spec;
//!
//! let spec = Spec::from_yaml(
//!     "description: three agents, unequal shares, uniform types, one beta\n\
//!      distribution: {family: uniform}\n\
//!      market: {n: 3, shares: [0.5, 0.3, 0.2]}\n\
//!      beta: 0.5\n",
//!     None,
//! )?;
//! let point = spec.point(0).expect("the grid has one point");
//! assert_eq!(point.market().n(), 3);
//! assert_eq!(point.market().classes().len(), 3);
//!
//! // The same spec without YAML.
//! use efftrade_model::{BigRational, Distribution, Family, MarketGrid};
//! let q = |n: i64, d: i64| BigRational::new(n.into(), d.into());
//! let built = Spec::new(
//!     "three agents, unequal shares, uniform types, one beta",
//!     Distribution::from_family(Family::Uniform, None)?,
//!     MarketGrid::from_shares(&[q(1, 2), q(3, 10), q(1, 5)])?,
//!     vec![q(1, 2)],
//! )?;
//! assert!(built.points().eq(spec.points()));
//! # Ok::<(), efftrade_model::SpecError>(())
//! ```

pub mod digits;
pub mod distribution;
pub mod error;
pub mod expr;
pub mod interval;
pub mod locate;
pub mod market;
pub mod parse;
pub mod spec;
pub mod summary;

pub use distribution::{Distribution, DistributionError, Family, UpperEnd};
pub use error::{ErrorKind, SpecError};
pub use expr::{BinOp, Constant, Expr, Func};
pub use market::{Market, MarketError, ShareClass};
pub use num_bigint::BigInt;
pub use num_rational::BigRational;
pub use parse::{ParseError, parse, parse_in};
pub use spec::{MarketCase, MarketGrid, Point, SharesRule, Spec};

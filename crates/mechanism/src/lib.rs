//! # efftrade-mechanism
//!
//! The mechanism side of Pycia and Wang's "Efficient Trade with Interdependent Values": evidence
//! for Theorem 1 that does not re-evaluate its formula.
//!
//! * [`transfer`] builds the efficient allocation and the ex-post budget-balanced transfers of the
//!   proof of Lemma 1, with the paper's garbled steps repaired and documented.
//! * [`mod@verify`] checks a mechanism directly from its payoffs: ex-post budget balance at random
//!   profiles, interim incentive compatibility on a grid of (type, report) pairs and interim
//!   individual rationality on a grid of types.
//! * [`lp`] finds the largest interdependence coefficient beta for which the efficient allocation
//!   admits Bayesian incentive-compatible, interim individually rational and budget-balanced
//!   transfers, by linear programming on a discretised type distribution (clarabel). As the
//!   discretisation is refined, this cutoff approaches the `beta* = -N T1 / (T1 + T2)` of
//!   Theorems 1 and 2, computed by the numeric engine from entirely different formulas.
//! * [`assess`] applies both to every market of a spec and returns typed, serialisable records:
//!   the verification at a beta with its pass rules and Theorem 1's prediction of the smallest IR
//!   slack ((T1-1) over `n`), and the LP cutoffs beside `beta*`.
//!
//! ```
//! use efftrade_mechanism::verify::{Settings, verify};
//! use efftrade_mechanism::Lemma1;
//! use efftrade_model::{BigRational, Market, Spec};
//!
//! let spec = Spec::from_yaml(
//!     "description: d\ndistribution: {family: uniform}\nmarket: {shares: [0.3, 0.7]}\n",
//!     None,
//! )
//! .unwrap();
//! let point = spec.point(0).unwrap();
//! let market = point.market();
//! let beta = BigRational::new(1.into(), 2.into());
//! let mut mechanism = Lemma1::new(spec.distribution(), market, &beta, 128).unwrap();
//! // The transfers at a profile of reports sum to zero (ex-post budget balance).
//! let reports = [rug::Float::with_val(128, 0.25), rug::Float::with_val(128, 0.8)];
//! let t = mechanism.transfers(&reports).unwrap();
//! assert!(rug::Float::with_val(128, &t[0] + &t[1]).abs() < 1e-35);
//! // Checked from its payoffs: no misreport on the grid pays, and every agent's smallest IR slack
//! // is D/n = ((1 + beta/n) T1 + (beta/n) T2)/n, here (1.25 (1/3 - 0.29) - 0.25/6)/2 = 0.00625.
//! let settings = Settings { grid: 5, ..Settings::default() };
//! let report = verify(&mut mechanism, spec.distribution(), market, &beta, 128, &settings).unwrap();
//! assert!(report.ic_max_gain().0 < 0);
//! assert!((report.ir_min_slack().0.to_f64() - 0.00625).abs() < 1e-15);
//! ```

pub mod assess;
pub mod lp;
pub mod transfer;
pub mod verify;

pub use assess::{Assessment, LpAssessment, Verification, assess_spec, lp_spec, verify_market};
pub use lp::{Convergence, Cutoff, Discretization, Interim, LpError, convergence, cutoff};
pub use transfer::{Lemma1, MechanismError, Parts, efficient_allocation};
pub use verify::{Method, Report, Rule, Settings, verify};

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

pub mod lp;
pub mod transfer;
pub mod verify;

pub use lp::{Convergence, Cutoff, Discretization, Interim, LpError, convergence, cutoff};
pub use transfer::{Lemma1, MechanismError, Parts, efficient_allocation};
pub use verify::{Method, Report, Rule, Settings, verify};

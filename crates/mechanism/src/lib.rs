//! # efftrade-mechanism
//!
//! The mechanism side of Pycia and Wang's "Efficient Trade with Interdependent Values": evidence
//! for Theorem 1 that does not re-evaluate its formula.
//!
//! [`lp`] finds the largest interdependence coefficient beta for which the efficient allocation
//! admits Bayesian incentive-compatible, interim individually rational and budget-balanced
//! transfers, by linear programming on a discretised type distribution (clarabel). As the
//! discretisation is refined, this cutoff approaches the `beta* = -N T1 / (T1 + T2)` of
//! Theorems 1 and 2, computed by the numeric engine from entirely different formulas.

pub mod lp;

pub use lp::{Convergence, Cutoff, Discretization, Interim, LpError, convergence, cutoff};

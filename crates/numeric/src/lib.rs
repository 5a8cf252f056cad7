//! # efftrade-numeric
//!
//! The arbitrary-precision engine of efftrade, on MPFR (through `rug`): expressions compiled for
//! evaluation at any working precision ([`program`]), values with certified digits
//! ([`certified`]), and the support of a distribution at working precision, with the upper end
//! solved from `F(b) = 1` when the spec asks ([`support`]). Its results come out as typed records
//! serialised with serde: solved grid points ([`record`]), replication families with their growth
//! fit and Lemma 3's tables ([`study`]); [`shard`] splits a grid over machines and joins the parts.
//!
//! This crate never links Symbolica: numeric work runs in many processes at once and without a
//! Symbolica license.

// The shared test helpers name this crate by its package name, in unit tests as well.
#[cfg(test)]
extern crate self as efftrade_numeric;
pub mod boundary;
pub mod certified;
pub mod complex_erf;
pub mod complex_special;
pub mod engine;
pub mod envelope;
pub mod erf;
pub mod fit;
pub mod fractional_layer;
pub mod lemma3;
pub mod program;
pub mod puiseux;
pub mod quad;
pub mod quantities;
pub mod record;
pub mod shard;
pub mod special;
pub mod study;
pub mod support;
pub mod sweep;
pub mod taylor;
/// The helpers the unit tests share with the integration tests (one file, `tests/common`).
#[cfg(test)]
#[allow(dead_code, reason = "the unit tests use a part of the shared helpers")]
#[path = "../tests/common/mod.rs"]
mod testing;
pub mod trig;

pub use certified::{Certified, MAX_DIGITS, Provenance, bits_for_digits, round_decimal};
pub use program::Program;

/// Why a numeric computation could not deliver certified digits.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NumericError {
    /// A requested number of digits outside `1..=MAX_DIGITS`.
    #[error("cannot work to {requested} digits: choose between 1 and {max}")]
    Precision {
        /// Digits asked for.
        requested: u32,
        /// The largest accepted.
        max: u32,
    },
    /// A root could not be bracketed.
    #[error("could not bracket {what} in [{lo}, {hi}]")]
    NoBracket {
        /// What was sought.
        what: String,
        /// Bracket tried.
        lo: f64,
        /// Bracket tried.
        hi: f64,
    },
    /// An iteration did not converge.
    #[error("{what} did not converge")]
    NotConverged {
        /// What was sought.
        what: String,
    },
    /// Lemma 3's expansion does not exist for this distribution.
    #[error("Lemma 3 does not apply: {reason}")]
    Lemma3 {
        /// Why.
        reason: String,
    },
    /// Fewer digits agreed between two working precisions than were asked for.
    #[error("only {got} digits of {what} could be certified, {wanted} were asked for")]
    Uncertified {
        /// The quantity.
        what: String,
        /// Digits asked for.
        wanted: u32,
        /// Digits certified.
        got: u32,
    },
    /// The rigorous engine could not prove what was asked (see `efftrade-rigorous`).
    #[error("not proved: {reason}")]
    Unproved {
        /// Why.
        reason: String,
    },
}

//! Proof-grade numbers: the quantities of Pycia and Wang's markets as balls of Arb arithmetic.
//!
//! The fast engine ([`efftrade_numeric`]) certifies digits by two working precisions and
//! quadrature error estimates: estimates, however reliable. This crate computes the same
//! quantities so that each is a theorem: a ball (midpoint and radius) that contains the exact
//! value, from FLINT's Arb ([`efftrade_arb`]): the CDF evaluated on complex balls
//! ([`ball`]), roots proved by interval Newton ([`root`]), integrals by Arb's rigorous
//! integrator with the boundary layer of `F^N` bounded ([`engine`]), and T1, T2, beta* and the
//! verdict of Theorems 1 and 2 ([`quantities`]). Only digits the ball proves are printed.
//!
//! What the proofs assume: the spec's `F` is non-decreasing on its support, which validation
//! proves (exact root isolation for polynomial densities, interval arithmetic otherwise), and
//! Arb's own guarantee (see [`efftrade_arb`]).

pub mod ball;
pub mod engine;
pub mod lemma3;
pub mod quantities;
pub mod record;
pub mod root;

pub use quantities::{BallSolution, NamedBall, solve};

use efftrade_numeric::NumericError;

/// Why a rigorous computation failed.
#[derive(Debug, thiserror::Error)]
pub enum RigorousError {
    /// The fast engine, which supplies starting points, failed.
    #[error(transparent)]
    Numeric(#[from] NumericError),
    /// A root could not be enclosed with a proof.
    #[error("could not prove an enclosure of {what}")]
    Root {
        /// The root.
        what: String,
    },
    /// A quantity is not finite on its ball.
    #[error("{what} is not finite on its ball (the expression is undefined there)")]
    Undefined {
        /// The quantity.
        what: String,
    },
    /// Lemma 3's expansion at `b` is not decided by the balls.
    #[error("Lemma 3's expansion at b is not proved: {reason}")]
    Lemma3 {
        /// What was not decided.
        reason: String,
    },
    /// A working precision beyond the supported range.
    #[error("a working precision of {bits} bits is beyond the supported range")]
    Precision {
        /// The precision asked for.
        bits: i64,
    },
}

impl RigorousError {
    fn undefined(what: &str) -> RigorousError {
        RigorousError::Undefined { what: what.into() }
    }

    fn precision(bits: i64) -> RigorousError {
        RigorousError::Precision { bits }
    }
}

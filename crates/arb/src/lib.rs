//! A small safe interface to FLINT's Arb: real and complex balls, the functions the expression
//! grammar needs on them, and rigorous integration.
//!
//! A ball `[m ± r]` is a midpoint and a radius; every operation returns a ball that contains the
//! exact result for every pair of points of its operand balls (Arb's guarantee: F. Johansson,
//! "Arb: efficient arbitrary-precision midpoint-radius interval arithmetic", IEEE Trans. Comput.
//! 66 (2017)). A function undefined somewhere on its operand ball returns a non-finite ball
//! (Arb's "indeterminate"), never a wrong one.
//!
//! This is the only crate of the workspace with `unsafe` code: each FFI call of FLINT is here,
//! behind [`Arb`], [`Acb`] and [`integrate`], and each `unsafe` block states why it is sound.
//! FLINT is compiled from the source bundled with `flint3-sys` against the GMP and MPFR of
//! `gmp-mpfr-sys`, the same libraries `rug` links.
//!
//! Precisions are in bits (`prec`), as in Arb: an operation rounds its midpoint to `prec` bits
//! and adds the rounding error to the radius.

mod complex;
mod convert;
mod integrate;
mod real;

pub use complex::Acb;
pub use integrate::{Integral, IntegrationOptions, integrate};
pub use real::Arb;

/// Arb's precision type (bits).
pub type Prec = i64;

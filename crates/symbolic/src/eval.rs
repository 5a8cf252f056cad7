//! Numeric evaluation of derived expressions at a chosen precision, with certified digits.
//!
//! A closed form is worth printing only if it is right; each one is therefore evaluated here
//! (through Symbolica's arbitrary-precision evaluator, with the symbols `b` and `v_i*` bound to
//! values from the numeric engine) at two working precisions, and only the digits on which the
//! two agree are certified, as everywhere in efftrade.

use ahash::HashMap;
use efftrade_numeric::{Certified, bits_for_digits};
use rug::Float as Mpfr;
use symbolica::atom::{Atom, AtomCore};
use symbolica::parse;
use symbolica::prelude::Float;

use crate::SymbolicError;

/// Values of an expression's free symbols at one precision: `(name, value)` pairs.
pub type Bindings = Vec<(String, Mpfr)>;

/// `atom` evaluated at `prec` bits with its symbols bound by `bindings`.
pub fn evaluate(atom: &Atom, bindings: &Bindings, prec: u32) -> Result<Mpfr, SymbolicError> {
    let mut map = HashMap::default();
    for (name, value) in bindings {
        map.insert(parse!(name), Float::with_val(prec, value));
    }
    let value = atom
        .evaluate_with_prec(&map, prec)
        .map_err(|e| SymbolicError::Evaluation {
            what: atom.to_string(),
            reason: e.to_string(),
        })?;
    let text = value.to_string();
    let parsed = Mpfr::parse(&text).map_err(|e| SymbolicError::Evaluation {
        what: atom.to_string(),
        reason: format!("unreadable value {text}: {e}"),
    })?;
    Ok(Mpfr::with_val(prec, parsed))
}

/// `atom` to `digits` certified digits: evaluated at two working precisions (with the bindings
/// recomputed at each by `bind`), keeping the digits on which both agree.
pub fn certified<B>(atom: &Atom, digits: u32, mut bind: B) -> Result<Certified, SymbolicError>
where
    B: FnMut(u32) -> Result<Bindings, SymbolicError>,
{
    let coarse_prec = bits_for_digits(digits, 32);
    let fine_prec = coarse_prec + 64;
    let coarse = evaluate(atom, &bind(coarse_prec)?, coarse_prec)?;
    let fine = evaluate(atom, &bind(fine_prec)?, fine_prec)?;
    Ok(Certified::from_pair(&coarse, &fine, digits))
}

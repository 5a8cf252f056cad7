//! # efftrade-symbolic
//!
//! Exact algebra for efftrade, on [Symbolica](https://symbolica.io). This crate is the only one
//! that links Symbolica. Unlicensed, Symbolica runs restricted (one process per user at a time,
//! non-commercial use) and prints a notice to standard output; commands built on this crate
//! therefore write their machine-readable output to files.
//!
//! This first piece converts the model's expressions into Symbolica atoms, so that closed forms
//! can be derived from the same `Expr` the numeric engine evaluates, and cross-checks the model's
//! own differentiation (which gives the density `f = F'`) against Symbolica's.

use efftrade_model::{Constant, Expr};
use symbolica::atom::{Atom, AtomCore};
use symbolica::{parse, symbol};

/// The name of the variable of CDF expressions in Symbolica.
pub const VARIABLE: &str = "x";

/// Writes `e` in Symbolica's input syntax: rationals in parentheses, `𝜋` and `𝑒` for the
/// constants, and the grammar's function names (which Symbolica shares).
pub fn to_symbolica_input(e: &Expr) -> String {
    match e {
        Expr::Num(q) if q.is_integer() => format!("({q})"),
        Expr::Num(q) => format!("({}/{})", q.numer(), q.denom()),
        Expr::Var => VARIABLE.to_string(),
        Expr::Const(Constant::Pi) => "𝜋".to_string(),
        Expr::Const(Constant::E) => "𝑒".to_string(),
        Expr::Neg(a) => format!("(-{})", to_symbolica_input(a)),
        // Symbolica knows the grammar's functions by the same names.
        Expr::Call(f, a) => format!("{}({})", f.name(), to_symbolica_input(a)),
        Expr::Bin(op, a, b) => {
            format!(
                "({}{}{})",
                to_symbolica_input(a),
                op.symbol(),
                to_symbolica_input(b)
            )
        }
    }
}

/// `e` as a Symbolica atom in the variable [`VARIABLE`].
pub fn to_atom(e: &Expr) -> Atom {
    let input = to_symbolica_input(e);
    parse!(&input)
}

/// Symbolica's derivative of `e` with respect to the variable.
pub fn derivative(e: &Expr) -> Atom {
    to_atom(e).derivative(symbol!(VARIABLE))
}

/// Whether the model's derivative of `e` (the density it hands to the numeric engine) equals
/// Symbolica's, decided exactly: the expanded difference must vanish. Expressions whose
/// derivatives Symbolica writes with other functions (`tan` gives `sec^2`) are not decidable this
/// way and give `false`.
pub fn derivatives_agree(e: &Expr) -> bool {
    let ours = to_atom(&e.derivative());
    let theirs = derivative(e);
    (ours - theirs).expand().is_zero()
}

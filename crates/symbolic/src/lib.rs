//! # efftrade-symbolic
//!
//! Exact algebra for efftrade, on [Symbolica](https://symbolica.io). This crate is the only one
//! that links Symbolica. Unlicensed, Symbolica runs restricted (one process per user at a time,
//! non-commercial use) and prints a notice to standard output; commands built on this crate
//! therefore write their machine-readable output to files.
//!
//! What it derives, from the same `Expr` the numeric engine evaluates:
//! - [`quasi`]: exponential polynomials (polynomials times `e^(lambda x)`, `cos`, `sin` of linear
//!   arguments) and their exact integrals, the integrator Symbolica does not have;
//! - [`closed`]: closed forms of `mu`, `E[max]`, `T2` and of `T1` and `beta*` in the critical
//!   types `v_i*` for a market with a fixed number of agents;
//! - [`algebraic`] and [`exact`]: the critical types of a polynomial `F` as exact numbers
//!   (rationals, radicals, or roots of their minimal polynomials in isolating intervals), and
//!   `T1`, `beta*` with them filled in;
//! - [`family`]: the power family `F = ((x-a)/(b-a))^k` and the uniform with `n`, `k` and the
//!   shares as symbols;
//! - [`mechanism`]: Lemma 1's mechanism verified as polynomial identities (budget balance,
//!   Lemma 4's gains, Lemma 5's slack, Theorem 1) for a polynomial `F`;
//! - [`lemma3`]: `alpha`, `c`, `A1`, `A2` exactly and Watson's expansion of `Int F^N`;
//! - [`lemma3_family`]: the same in the parameters of the power, Beta and Kumaraswamy families;
//! - [`identities`]: the paper's integration-by-parts identities checked exactly;
//! - [`eval`]: numeric evaluation of every derived expression at a chosen precision, certified
//!   by agreement of two precisions, so that each closed form is compared with the numeric engine.

pub mod algebraic;
pub mod closed;
pub mod eval;
pub mod exact;
pub mod family;
pub mod identities;
pub mod lemma3;
pub mod lemma3_family;
pub mod mechanism;
pub mod quasi;
pub mod report;

use efftrade_model::expr::{DomainError, Scalar};
use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use symbolica::atom::{Atom, AtomCore};
use symbolica::{parse, symbol};

/// The name of the variable of CDF expressions in Symbolica.
pub const VARIABLE: &str = "x";

/// Symbolica input text, as a scalar of the expression core: each kernel writes its operation,
/// every operation in parentheses.
#[derive(Clone, Debug)]
struct Input(String);

/// The context of [`Input`]: nothing.
struct Syntax;

impl Scalar<Syntax> for Input {
    fn rational(q: &BigRational, _: &Syntax) -> Input {
        Input(if q.is_integer() {
            format!("({q})")
        } else {
            format!("({}/{})", q.numer(), q.denom())
        })
    }

    fn constant(c: Constant, _: &Syntax) -> Result<Input, DomainError> {
        Ok(Input(
            match c {
                Constant::Pi => "𝜋",
                Constant::E => "𝑒",
            }
            .to_string(),
        ))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        self.0 = format!("(-{})", self.0);
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &Input) -> Result<(), DomainError> {
        self.0 = format!("({}{}{})", self.0, op.symbol(), rhs.0);
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        self.0 = format!("({}^({k}))", self.0);
        Ok(())
    }

    /// Symbolica knows the elementary functions by the grammar's names; the special functions
    /// (`betainc(p, q, x)`, ...) it reads as functions it does not know, with their parameters
    /// as the first arguments, which no closed form of this crate integrates.
    fn call(&mut self, f: &Func, cx: &mut Syntax) -> Result<(), DomainError> {
        let mut arguments: Vec<String> = f
            .parameters()
            .iter()
            .map(|q| Input::rational(q, cx).0)
            .collect();
        arguments.push(std::mem::take(&mut self.0));
        self.0 = format!("{}({})", f.name(), arguments.join(","));
        Ok(())
    }
}

/// Writes `e` in Symbolica's input syntax: rationals in parentheses, `𝜋` and `𝑒` for the
/// constants, and the grammar's function names (which Symbolica shares).
pub fn to_symbolica_input(e: &Expr) -> String {
    let x = Input(VARIABLE.to_string());
    match e.eval(&x, &mut Syntax) {
        Ok(Input(text)) => text,
        Err(_) => unreachable!("writing text has no domain faults"),
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

/// Why a derivation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SymbolicError {
    /// The CDF lies outside the class this crate integrates in closed form.
    #[error("no closed form for {expr}: {reason}")]
    OutsideClass {
        /// The offending (sub)expression.
        expr: String,
        /// Why it is outside the class.
        reason: String,
    },
    /// The request is too large to be written out.
    #[error("{0}")]
    TooLarge(String),
    /// A numeric evaluation failed.
    #[error("could not evaluate {what}: {reason}")]
    Evaluation {
        /// What was evaluated.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// The numeric engine failed on a value the closed form needs.
    #[error(transparent)]
    Numeric(#[from] efftrade_numeric::NumericError),
    /// Lemma 3's expansion does not exist.
    #[error("Lemma 3 does not apply: {0}")]
    Lemma3(String),
}

/// Parses `text` into an atom whose symbols (`x`, `b`, `n`, `v1`, ...) are those of this crate's
/// derivations (Symbolica keeps symbols per namespace, and the namespace is the parsing crate's).
pub fn parse_atom(text: &str) -> Atom {
    parse!(text)
}

/// `atom` with the symbol `name` replaced by the expression `value` (both in this crate's
/// namespace).
pub fn substitute(atom: &Atom, name: &str, value: &str) -> Atom {
    atom.replace(parse!(name)).with(parse!(value))
}

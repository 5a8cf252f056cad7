//! Lemma 2, `T2 = mu - E[max(v_1, ..., v_n)]`, verified two ways. Exactly, with
//! efftrade-symbolic: both sides expanded for polynomial CDFs of degrees 1 to 4 on `[a, a + 1]`
//! with the lower end `a` a symbol, `n = 2..5`. Numerically, with efftrade-numeric, on a market:
//! `T2` from its definition in Theorem 1 (a double integral) against `mu - E[max]` in Lemma 2's
//! one-dimensional form, each to certified digits, for `n` agents with types drawn from
//! `F(x) = 3x^2 - 2x^3` (Beta(2, 2)).
//!
//! ```text
//! cargo run -p identity-check -- [DIGITS] [N]
//! ```
//!
//! This example links Symbolica, which runs one process per machine unlicensed: do not run it
//! beside another Symbolica process.

use std::error::Error;
use std::process::ExitCode;

use efftrade_model::{BigRational, Distribution, Family, Market};
use efftrade_numeric::Certified;
use efftrade_numeric::engine::Engine;
use efftrade_numeric::quantities::{solve, t2_definition, working_precision};
use efftrade_symbolic::identities::identity;

#[cfg(test)]
mod tests;

/// The verdicts, both sides of the numeric check and whether its digits agree.
fn run(digits: u32, n: u128) -> Result<String, Box<dyn Error>> {
    let exact = identity(
        "Lemma 2",
        "T2 = mu - E[max(v_1, ..., v_n)]",
        |c| c.t2_definition(),
        |c| c.mu() - c.x().mul(&c.fp(c.n).derivative()).integral(&c.a, &c.b),
    );
    let two = BigRational::from_integer(2.into());
    let beta22 = Distribution::from_family(
        Family::Beta {
            p: two.clone(),
            q: two,
        },
        None,
    )?;
    let lemma2 = solve(&beta22, &Market::symmetric(n)?, None, digits)?.t2;
    let definition = |prec| -> Result<_, Box<dyn Error>> {
        Ok(t2_definition(&mut Engine::new(&beta22, prec)?, n)?.value)
    };
    let prec = working_precision(digits, n);
    let defined = Certified::from_pair(&definition(prec)?, &definition(prec + 64)?, digits);
    let agree = defined.to_decimal() == lemma2.to_decimal();
    Ok(format!(
        "exactly ({} cases): {:?}\n\
         numerically, Beta(2, 2), n = {n}:\n  T2 by its definition = {defined}\n  \
         mu - E[max]          = {lemma2}\n  the {digits} digits agree: {agree}\n",
        exact.cases, exact.verdict
    ))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>());
    let (Ok(digits), Ok(n)) = (args.next().unwrap_or(Ok(30)), args.next().unwrap_or(Ok(3))) else {
        eprintln!("usage: identity-check [DIGITS] [N]");
        return ExitCode::from(2);
    };
    match run(digits, u128::from(n)) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

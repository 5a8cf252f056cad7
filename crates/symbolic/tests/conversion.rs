//! Conversion into Symbolica and the cross-check of differentiation.
//!
//! All Symbolica tests of the crate live in this one test binary and run under one lock:
//! unlicensed Symbolica allows one process, and one Symbolica thread, at a time.

use std::sync::Mutex;

use efftrade_model::parse;
use efftrade_symbolic::{derivative, derivatives_agree, to_atom};
use symbolica::atom::AtomCore;

static SYMBOLICA: Mutex<()> = Mutex::new(());

#[test]
fn densities_of_the_papers_markets_agree_with_symbolica() {
    let _guard = SYMBOLICA.lock().unwrap_or_else(|e| e.into_inner());
    for cdf in [
        "0.1*x + 0.1*(1 - cos(x))",
        "x",
        "x^2",
        "3*x^2 - 2*x^3",
        "((x - 1)/2)^4",
        "(1 - exp(-2*(x - 0)))/(1 - exp(-2))",
        "x*log(1 + x) - sqrt(x)",
        "sin(x)^2 + exp(x/3)*cos(2*x)",
        "pi*x + e^x",
    ] {
        let e = parse(cdf).unwrap();
        assert!(
            derivatives_agree(&e),
            "{cdf}: ours {} vs Symbolica {}",
            e.derivative(),
            derivative(&e)
        );
    }
}

#[test]
fn a_wrong_derivative_is_detected() {
    let _guard = SYMBOLICA.lock().unwrap_or_else(|e| e.into_inner());
    // The check can fail: x^3 and 3x^2 + 1 differ.
    let ours = to_atom(&parse("3*x^2 + 1").unwrap());
    let theirs = derivative(&parse("x^3").unwrap());
    assert!(!(ours - theirs).expand().is_zero());
}

#[test]
fn exact_numbers_survive_conversion() {
    let _guard = SYMBOLICA.lock().unwrap_or_else(|e| e.into_inner());
    let a = to_atom(&parse("0.1*x + 1/3 - x/10").unwrap()).expand();
    assert_eq!(a.to_string(), "1/3");
}

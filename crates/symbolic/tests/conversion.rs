//! Conversion into Symbolica and the cross-check of differentiation.
//!
//! All Symbolica checks of the crate run in this one test binary, from one test function on one
//! thread: unlicensed Symbolica allows one process, and one Symbolica thread, at a time.

use efftrade_model::parse;
use efftrade_symbolic::{derivative, derivatives_agree, to_atom};
use symbolica::atom::AtomCore;

#[test]
fn symbolica_checks_on_one_thread() {
    densities_of_the_papers_markets_agree_with_symbolica();
    a_wrong_derivative_is_detected();
    exact_numbers_survive_conversion();
}

fn densities_of_the_papers_markets_agree_with_symbolica() {
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

fn a_wrong_derivative_is_detected() {
    // The check can fail: x^3 and 3x^2 + 1 differ.
    let ours = to_atom(&parse("3*x^2 + 1").unwrap());
    let theirs = derivative(&parse("x^3").unwrap());
    assert!(!(ours - theirs).expand().is_zero());
}

fn exact_numbers_survive_conversion() {
    let a = to_atom(&parse("0.1*x + 1/3 - x/10").unwrap()).expand();
    assert_eq!(a.to_string(), "1/3");
}

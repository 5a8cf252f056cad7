//! The example run at 12 digits. This test runs Symbolica: run it alone
//! (`flock /tmp/symbolica.lock cargo test -p identity-check`).

use super::run;

#[test]
fn lemma_2_holds_exactly_and_to_the_digits_asked_for() {
    let text = run(12, 2).unwrap();
    assert!(text.starts_with("exactly (16 cases): Holds\n"), "{text}");
    // Beta(2, 2), two agents: mu = 1/2, E[max] = 1 - Int F^2 = 1 - 13/35, so T2 = -9/70.
    assert!(
        text.contains("T2 by its definition = -0.128571428571\n"),
        "{text}"
    );
    assert!(
        text.contains("mu - E[max]          = -0.128571428571\n"),
        "{text}"
    );
    assert!(text.ends_with("the 12 digits agree: true\n"), "{text}");
}

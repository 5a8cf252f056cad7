//! The README's "Use as a library" snippet, kept compiling: the lines between the markers below
//! are the README's ```rust block (checked by `the_readme_shows_this_snippet`), and the function
//! around them runs it.

use std::error::Error;

/// The snippet, returning the `beta*` it prints.
fn snippet() -> Result<String, Box<dyn Error>> {
    // README begin
    use efftrade_model::{BigRational, Distribution, Family, Market};
    use efftrade_numeric::quantities::solve;

    // Uniform types on [0, 1]; three agents own 1/2, 3/10 and 1/5 of the good.
    let uniform = Distribution::from_family(Family::Uniform, None)?;
    let q = |n: i64, d: i64| BigRational::new(n.into(), d.into());
    let market = Market::from_shares(&[q(1, 2), q(3, 10), q(1, 5)])?;
    // Theorem 2: trade can be efficient exactly for beta in [0, beta*].
    let solution = solve(&uniform, &market, None, 30)?;
    let beta_star = solution.beta_star.ok_or("T1 < 0: efficient for no beta")?;
    println!("beta* = {beta_star}"); // beta* = 1.84260715460571901200541670017
    // README end
    Ok(beta_star.to_decimal())
}

#[test]
fn the_snippet_prints_beta_star_to_30_digits() {
    // The 40 digits of `efftrade solve specs/three-agents-uniform.yaml --digits 40`, rounded.
    assert_eq!(snippet().unwrap(), "1.84260715460571901200541670017");
}

#[test]
fn the_readme_shows_this_snippet() {
    let this = include_str!("readme.rs");
    let start = this.find("// README begin\n").unwrap() + "// README begin\n".len();
    let end = this.find("    // README end").unwrap();
    let snippet: String = this[start..end]
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    let readme = include_str!("../../../README.md");
    let section = &readme[readme.find("## Use as a library").unwrap()..];
    let block = &section[section.find("```rust\n").unwrap() + "```rust\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    assert_eq!(
        block, snippet,
        "update README.md's \"Use as a library\" block to match"
    );
}

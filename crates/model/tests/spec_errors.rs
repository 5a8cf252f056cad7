//! Every class of bad spec gets one clear, located error; the contract specs are accepted.

use efftrade_model::{ErrorKind, Spec, SpecError};

fn load(src: &str) -> Result<Spec, SpecError> {
    Spec::from_yaml(src, Some("test.yaml"))
}

/// Asserts that `src` fails with `kind` at `line`, and that the message mentions `needle`.
fn fails(src: &str, kind: ErrorKind, line: usize, needle: &str) -> SpecError {
    let err = match load(src) {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e,
    };
    let shown = err.to_string();
    assert_eq!(err.kind, kind, "{shown}");
    assert_eq!(err.position.map(|p| p.line), Some(line), "{shown}");
    assert!(shown.contains(needle), "`{needle}` not in:\n{shown}");
    assert!(shown.starts_with(&format!("test.yaml:{line}:")), "{shown}");
    err
}

const HEAD: &str = "description: a test market\n";

#[test]
fn the_three_contract_specs_are_accepted() {
    let example1 =
        "description: Example 1, first market, upper end of the support solved from F(b) = 1
distribution:
  cdf: \"0.1*x + 0.1*(1 - cos(x))\"
  support: [0, solve]
market:
  n: {from: 2, to: 60}
  shares: symmetric
";
    let spec = load(example1).unwrap();
    assert_eq!(spec.len(), 59);
    assert_eq!(spec.point(0).unwrap().market().n(), 2);
    assert_eq!(spec.point(58).unwrap().market().n(), 60);
    assert!(spec.distribution().upper_is_solved());

    let three = "description: three agents, unequal shares, uniform types, one beta
distribution: {family: uniform}
market: {n: 3, shares: [0.5, 0.3, 0.2]}
beta: 0.5
";
    let spec = load(three).unwrap();
    let p = spec.point(0).unwrap();
    assert_eq!(p.market().to_string(), "N = 3: 1 x 0.5, 1 x 0.3, 1 x 0.2");
    assert_eq!(p.beta().unwrap().to_string(), "1/2");

    let ms = "description: m-fold replications of Myerson-Satterthwaite with F(x) = x^2
distribution: {cdf: \"x^2\", support: [0, 1]}
market:
  replicate: {shares: [1, 0], m: [1, 10, 1000, 1000000000000]}
";
    let spec = load(ms).unwrap();
    assert_eq!(spec.len(), 4);
    let last = spec.point(3).unwrap();
    assert_eq!(last.market().n(), 2_000_000_000_000);
    assert_eq!(last.replication().unwrap().1, 1_000_000_000_000);
}

#[test]
fn huge_integers_and_decimals_are_taken_exactly() {
    let src = format!(
        "{HEAD}distribution: {{family: uniform}}\nmarket:\n  replicate: {{shares: [0.7, 0.3], m: [500000000000000000000000000000, \"10^30\"]}}\n"
    );
    let spec = load(&src).unwrap();
    let p = spec.point(0).unwrap();
    assert_eq!(p.market().n(), 1_000_000_000_000_000_000_000_000_000_000);
    assert_eq!(
        p.market().classes()[0].share().to_string(),
        "7/5000000000000000000000000000000"
    );
    assert_eq!(
        spec.point(1).unwrap().replication().unwrap().1,
        10u128.pow(30)
    );
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = fails(
        &format!("{HEAD}distribution: {{family: uniform\nmarket: {{n: 2}}\n"),
        ErrorKind::Syntax,
        3,
        "test.yaml:3:",
    );
    assert!(err.help.is_some());
    fails(
        "description: a: b\n",
        ErrorKind::Syntax,
        1,
        "mapping values are not allowed",
    );
}

#[test]
fn unknown_keys_are_named() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2, shares: symmetric, sharez: 1}}\n"
        ),
        ErrorKind::UnknownKey,
        3,
        "unknown field `sharez`",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2, shares: symmetric}}\nbeta: 1\ngamma: 2\n"
        ),
        ErrorKind::UnknownKey,
        5,
        "unknown field `gamma`",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  n: {{from: 2, upto: 5}}\n  shares: symmetric\n"
        ),
        ErrorKind::UnknownKey,
        4,
        "unknown key `upto`",
    );
}

#[test]
fn wrong_types_are_named() {
    fails(
        &format!("{HEAD}distribution: {{family: uniform}}\nmarket: {{n: [2, 3], shares: 7}}\n"),
        ErrorKind::WrongType,
        3,
        "shares must be `symmetric` or a list",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2.5, shares: symmetric}}\n"
        ),
        ErrorKind::WrongType,
        3,
        "whole number",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform, renormalize: maybe}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::WrongType,
        2,
        "invalid type",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2, shares: symmetric}}\nbeta: [0.5, [1]]\n"
        ),
        ErrorKind::WrongType,
        4,
        "beta must be a number, found a list",
    );
}

#[test]
fn bad_expressions_show_a_caret() {
    let err = fails(
        &format!(
            "{HEAD}distribution:\n  cdf: \"0.1*x + 0.1*(1 - cos(y))\"\n  support: [0, solve]\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Expression,
        3,
        "unknown name `y`",
    );
    assert_eq!(
        err.detail.as_deref(),
        Some("0.1*x + 0.1*(1 - cos(y))\n                     ^")
    );
}

#[test]
fn too_few_agents() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  n: [3, 1]\n  shares: symmetric\n"
        ),
        ErrorKind::TooFewAgents,
        4,
        "at least 2 agents, got n = 1",
    );
    fails(
        &format!("{HEAD}distribution: {{family: uniform}}\nmarket: {{shares: [1]}}\n"),
        ErrorKind::TooFewAgents,
        3,
        "n = 1",
    );
}

#[test]
fn negative_and_non_finite_shares() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  shares:\n    - 1.5\n    - -0.5\n"
        ),
        ErrorKind::NegativeShare,
        6,
        "share 2 is -0.5",
    );
    fails(
        &format!("{HEAD}distribution: {{family: uniform}}\nmarket: {{shares: [.nan, 1]}}\n"),
        ErrorKind::NonFinite,
        3,
        "not a finite number",
    );
    fails(
        &format!("{HEAD}distribution: {{family: uniform}}\nmarket: {{shares: [.inf, 0]}}\n"),
        ErrorKind::NonFinite,
        3,
        "not a finite number",
    );
}

#[test]
fn shares_must_sum_to_one_and_the_sum_is_said() {
    let err = fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  shares: [0.333, 0.333, 0.333]\n"
        ),
        ErrorKind::SharesSum,
        4,
        "the shares sum to 0.999, not 1",
    );
    assert!(err.help.unwrap().contains("1/3"));
    // Thirds written exactly are fine.
    load(&format!(
        "{HEAD}distribution: {{family: uniform}}\nmarket: {{shares: [1/3, 1/3, 1/3]}}\n"
    ))
    .unwrap();
    // A share formula that breaks the sum at one grid point is caught there.
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  shares: [r, 1 - r]\n  r: {{from: 0, to: 1.2, step: 0.4}}\n"
        ),
        ErrorKind::NegativeShare,
        4,
        "at r = 1.2: share 2 is -0.2",
    );
}

#[test]
fn replication_needs_m_at_least_one() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  replicate:\n    shares: [1, 0]\n    m: [1, 0, 5]\n"
        ),
        ErrorKind::ZeroReplication,
        6,
        "m >= 1, got m = 0",
    );
}

#[test]
fn empty_and_inverted_supports() {
    fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x\", support: [1, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::EmptySupport,
        2,
        "is empty",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x\", support: [1, 0]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::InvertedSupport,
        2,
        "inverted",
    );
}

#[test]
fn cdf_ends_must_be_zero_and_one() {
    fails(
        &format!(
            "{HEAD}distribution:\n  cdf: \"0.5 + x/2\"\n  support: [0, 1]\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::LowerNotZero,
        3,
        "F(a) = 0.5",
    );
    let err = fails(
        &format!(
            "{HEAD}distribution:\n  cdf: \"0.1*x + 0.1*(1 - cos(x))\"\n  support: [0, 8.4438]\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::UpperNotOne,
        4,
        "F(b) = 1.0000",
    );
    let help = err.help.unwrap();
    assert!(
        help.contains("solve")
            && help.contains("renormalize: true")
            && help.contains("b = 8.4437944"),
        "{help}"
    );
    // Either remedy is accepted.
    load(&format!("{HEAD}distribution:\n  cdf: \"0.1*x + 0.1*(1 - cos(x))\"\n  support: [0, 8.4438]\n  renormalize: true\nmarket: {{n: 2, shares: symmetric}}\n")).unwrap();
    load(&format!("{HEAD}distribution:\n  cdf: \"0.1*x + 0.1*(1 - cos(x))\"\n  support: [0, solve]\nmarket: {{n: 2, shares: symmetric}}\n")).unwrap();
}

#[test]
fn a_decreasing_cdf_is_caught_with_its_stretch() {
    fails(
        &format!(
            "{HEAD}distribution:\n  cdf: \"x - 0.01*exp(-(1000*(x - 0.37))^2)\"\n  support: [0, 1]\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Decreasing,
        3,
        "F decreases on [0.3680",
    );
}

#[test]
fn negative_beta() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2, shares: symmetric}}\nbeta: [0, 0.5, -1]\n"
        ),
        ErrorKind::NegativeBeta,
        4,
        "beta = -1 is negative",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket: {{n: 2, shares: symmetric}}\nbeta: {{from: -1, to: 1, step: 0.5}}\n"
        ),
        ErrorKind::NegativeBeta,
        4,
        "negative",
    );
}

#[test]
fn grids_and_conflicts() {
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  n: {{from: 2, to: 10000000000}}\n  shares: symmetric\n"
        ),
        ErrorKind::Grid,
        4,
        "at most 1000000",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  n: {{from: 9, to: 3}}\n  shares: symmetric\n"
        ),
        ErrorKind::Grid,
        4,
        "empty",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: uniform}}\nmarket:\n  n: 4\n  shares: [0.5, 0.5]\n"
        ),
        ErrorKind::Conflict,
        4,
        "n does not match the 2 shares",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x\", family: uniform, support: [0, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Conflict,
        2,
        "either `cdf` or `family`",
    );
    fails(
        &format!("{HEAD}distribution: {{family: normal}}\nmarket: {{n: 2, shares: symmetric}}\n"),
        ErrorKind::WrongType,
        2,
        "unknown family `normal`",
    );
    fails(
        &format!(
            "{HEAD}distribution: {{family: power, k: -2}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::BadParameter,
        2,
        "k = -2 must be positive",
    );
}

#[test]
fn the_new_families_refuse_parameters_out_of_range_at_their_keys() {
    use ErrorKind::{BadParameter, Conflict, MissingKey, WrongType};
    for (distribution, kind, needle) in [
        (
            "{family: truncated_normal, mean: 0.5, sd: 0, support: [0, 1]}",
            BadParameter,
            "sd = 0 must be positive",
        ),
        (
            "{family: truncated_normal, mean: 0.5, sd: -0.25, support: [0, 1]}",
            BadParameter,
            "sd = -0.25 must be positive",
        ),
        (
            "{family: truncated_normal, sd: 1}",
            MissingKey,
            "the truncated_normal family needs `mean`",
        ),
        (
            "{family: truncated_lognormal, mu: 0, sigma: -1, support: [1, 2]}",
            BadParameter,
            "sigma = -1 must be positive",
        ),
        (
            "{family: truncated_lognormal, mu: 0, sigma: 1, support: [0, 2]}",
            ErrorKind::BadSupport,
            "the lognormal lives on x > 0",
        ),
        (
            "{family: kumaraswamy, shape: [2, 0]}",
            BadParameter,
            "shape parameter 0 must be positive",
        ),
        (
            "{family: beta, shape: [0, 2]}",
            BadParameter,
            "shape parameter 0 must be positive",
        ),
        (
            "{family: beta, shape: [2.5, -3.5]}",
            BadParameter,
            "shape parameter -3.5 must be positive",
        ),
        (
            "{cdf: \"betainc(2.5, x, x)\", support: [0, 1]}",
            ErrorKind::Expression,
            "the parameters of `betainc(p, q, x)` must be exact constant numbers",
        ),
        (
            "{cdf: \"gammainc(0, x)/gammainc(0, 1)\", support: [0, 1]}",
            ErrorKind::Expression,
            "the parameters of `gammainc(s, x)` must be positive",
        ),
        (
            "{family: kumaraswamy, shape: [2]}",
            WrongType,
            "shape must be a list [p, q] of two numbers, found 1 items",
        ),
        (
            "{family: kumaraswamy, shape: [2, 3], sd: 1}",
            Conflict,
            "`sd` is not a parameter of the kumaraswamy family",
        ),
        (
            "{cdf: \"x\", support: [0, 1], mean: 0}",
            Conflict,
            "`mean` is a family parameter",
        ),
    ] {
        fails(
            &format!("{HEAD}distribution: {distribution}\nmarket: {{n: 2, shares: symmetric}}\n"),
            kind,
            2,
            needle,
        );
    }
}

#[test]
fn powers_grids_and_share_parameters_expand() {
    let spec = load(&format!(
        "{HEAD}distribution: {{family: beta, shape: [2, 2]}}\nmarket:\n  replicate:\n    n: 3\n    shares: symmetric\n    m: {{base: 10, exponents: {{from: 0, to: 30, step: 6}}}}\nbeta: [0, 1]\n"
    ))
    .unwrap();
    assert_eq!(spec.len(), 6 * 2);
    assert_eq!(spec.point(11).unwrap().market().n(), 3 * 10u128.pow(30));
    assert_eq!(spec.point(11).unwrap().beta().unwrap().to_string(), "1");

    let cgk = load(&format!(
        "{HEAD}distribution: {{family: uniform}}\nmarket:\n  shares: [r, 1 - r]\n  r: {{from: 0, to: 1, step: 0.05}}\n"
    ))
    .unwrap();
    assert_eq!(cgk.len(), 21);
    let p = cgk.point(3).unwrap();
    assert_eq!(p.r().unwrap().to_string(), "3/20");
    assert_eq!(p.market().to_string(), "N = 2: 1 x 0.15, 1 x 0.85");
}

#[test]
fn densities_with_zeros_of_any_order_are_certified_exactly() {
    // Beta(3, 3), (2, 3), (4, 4) and smootherstep in two spellings: zeros of order 2 and 3 at the
    // ends of the support, which interval bounds alone cannot certify.
    for distribution in [
        "{family: beta, shape: [3, 3]}",
        "{family: beta, shape: [2, 3]}",
        "{family: beta, shape: [4, 4]}",
        // Real shapes: a density vanishing to order 2.5 at b, one infinite at both ends, a
        // gamma density truncated to [0, 4].
        "{family: beta, shape: [2.5, 3.5]}",
        "{family: beta, shape: [0.5, 0.5]}",
        "{cdf: \"gammainc(2.5, x)/gammainc(2.5, 4)\", support: [0, 4]}",
        "{cdf: \"x^3*(10 - 15*x + 6*x^2)\", support: [0, 1]}",
        "{cdf: \"6*x^5 - 15*x^4 + 10*x^3\", support: [0, 1]}",
    ] {
        load(&format!(
            "{HEAD}distribution: {distribution}\nmarket: {{n: 2, shares: symmetric}}\n"
        ))
        .unwrap_or_else(|e| panic!("{distribution}: {e}"));
    }
}

#[test]
fn a_polynomial_density_dipping_by_5e_12_is_refused_with_its_stretch() {
    // f = 12 (x - 1/2)^2 + 1e-11 (1 - 6x + 6x^2) is -5e-12 at x = 1/2, negative between its roots
    // 1/2 -+ sqrt(1e-11 / 24) / sqrt(1 + 1e-11/2) = 1/2 -+ 6.4549722e-7.
    let e = fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"4*((x - 1/2)^3 + 1/8) + (1/10^11)*(x - 3*x^2 + 2*x^3)\", support: [0, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Decreasing,
        2,
        "F decreases on [0.4999993545",
    );
    assert!(e.to_string().contains("reaches -5e-12 at x = 0.5"), "{e}");
}

#[test]
fn mixtures_are_read_with_each_fault_at_its_key() {
    let mixture = |components: &str| {
        format!(
            "{HEAD}distribution:\n  mixture:\n{components}market: {{n: 2, shares: symmetric}}\n"
        )
    };
    let spec = load(&mixture(
        "    - {weight: 0.3, family: uniform}\n    - {weight: 0.7, cdf: \"x^2\"}\n",
    ))
    .unwrap();
    assert_eq!(
        spec.distribution().cdf_as_written().to_string(),
        "0.3*x + 0.7*x^2"
    );
    for (components, kind, line, needle) in [
        (
            "    - {weight: 0.3, family: uniform}\n    - {weight: 0.6, cdf: \"x^2\"}\n",
            ErrorKind::BadParameter,
            4,
            "the weights sum to 0.9, not 1",
        ),
        (
            "    - {weight: 0.3, family: uniform}\n    - {cdf: \"x^2\"}\n",
            ErrorKind::MissingKey,
            5,
            "a mixture component needs a `weight`",
        ),
        (
            "    - {weight: -0.3, family: uniform}\n    - {weight: 1.3, cdf: \"x^2\"}\n",
            ErrorKind::BadParameter,
            4,
            "weight -0.3 must be positive",
        ),
        (
            "    - {weight: 0.5, family: uniform, support: [0, 2]}\n    - {weight: 0.5, cdf: \"x\"}\n",
            ErrorKind::Conflict,
            4,
            "`support` belongs to the mixture",
        ),
        (
            "    - {weight: 0.5, family: kumaraswamy, shape: [1, -1]}\n    - {weight: 0.5, cdf: \"x\"}\n",
            ErrorKind::BadParameter,
            4,
            "shape parameter -1 must be positive",
        ),
        (
            "    - {weight: 0.5, family: uniform}\n    - {weight: 0.5, cdf: \"x^\"}\n",
            ErrorKind::Expression,
            5,
            "",
        ),
        (
            "    - {weight: 1, family: uniform}\n",
            ErrorKind::WrongType,
            4,
            "at least two components",
        ),
    ] {
        fails(&mixture(components), kind, line, needle);
    }
}

/// A spec of `distribution` lines (each indented two spaces) and one market.
fn with_distribution(lines: &str) -> String {
    format!("{HEAD}distribution:\n{lines}market: {{n: 2, shares: symmetric}}\n")
}

#[test]
fn piecewise_cdfs_with_jumps_or_misplaced_breakpoints_are_refused_at_their_line() {
    use ErrorKind::*;
    let cases = [
        // A jump of 1/10 at x = 1/2: 2x^2 gives 0.5 there, 0.4 + 1.2 (x - 1/2) gives 0.4.
        (
            "  piecewise:\n    - {cdf: \"2*x^2\", to: 0.5}\n    - {cdf: \"0.4 + 1.2*(x - 0.5)\"}\n  support: [0, 1]\n",
            BadParameter,
            5,
            "the CDF jumps at the breakpoint x = 0.5: the piece before gives 0.5, this piece 0.4",
        ),
        (
            "  piecewise:\n    - {cdf: \"x\", to: 1.5}\n    - {cdf: \"x\"}\n  support: [0, 1]\n",
            BadSupport,
            4,
            "the breakpoint 1.5 lies outside the support (0, 1)",
        ),
        (
            "  piecewise:\n    - {cdf: \"x\", to: 0.6}\n    - {cdf: \"x\", to: 0.4}\n    - {cdf: \"x\"}\n  support: [0, 1]\n",
            BadParameter,
            5,
            "the breakpoints must increase: 0.4 follows 0.6",
        ),
        (
            "  piecewise:\n    - {cdf: \"x\"}\n    - {cdf: \"x\"}\n  support: [0, 1]\n",
            MissingKey,
            4,
            "every piece but the last needs `to`",
        ),
        (
            "  piecewise:\n    - {cdf: \"x\", to: 0.5}\n  support: [0, 1]\n",
            WrongType,
            4,
            "a piecewise CDF needs at least two pieces, found 1",
        ),
    ];
    for (lines, kind, line, needle) in cases {
        fails(&with_distribution(lines), kind, line, needle);
    }
}

#[test]
fn empirical_csvs_that_cannot_make_a_cdf_are_refused_with_their_file_and_line() {
    use ErrorKind::*;
    let dir = std::env::temp_dir().join(format!("efftrade-empirical-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let one = write("one.csv", "bid\n0.3\n0.3\n");
    let unsorted = write("unsorted.csv", "x,p\n0,0\n0.5,0.4\n0.4,0.6\n1,1\n");
    let not_one = write("not-one.csv", "x,p\n0,0\n0.5,0.4\n1,0.9\n");
    let word = write("word.csv", "bid\n0.3\nabc\n");
    let cases = [
        (
            format!("  empirical: {{observations: {one}}}\n"),
            "holds 1 distinct observation: an empirical CDF needs at least two".to_string(),
        ),
        (
            format!("  empirical: {{quantiles: {unsorted}}}\n"),
            format!("{unsorted}:4: the quantiles must be sorted: x = 0.4 follows 0.5"),
        ),
        (
            format!("  empirical: {{quantiles: {not_one}}}\n"),
            "p must run from 0 (first row) to 1 (last row), found 0 and 0.9".to_string(),
        ),
        (
            format!("  empirical: {{observations: {word}}}\n"),
            format!("{word}:3: `abc` is not a number"),
        ),
    ];
    for (lines, needle) in cases {
        fails(&with_distribution(&lines), BadParameter, 3, &needle);
    }
    fails(
        &with_distribution("  empirical: {observations: no-such-file.csv}\n"),
        Io,
        3,
        "cannot read the CSV file",
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_piecewise_mixture_component_is_refused_at_its_key() {
    fails(
        &with_distribution(
            "  mixture:\n    - {weight: 0.5, cdf: \"x\"}\n    - {weight: 0.5, piecewise: [{cdf: \"x\", to: 0.5}, {cdf: \"x\"}]}\n",
        ),
        ErrorKind::Conflict,
        5,
        "a mixture's component is a `family` or a `cdf`, not `piecewise`",
    );
}

#[test]
fn piecewise_and_empirical_cdfs_are_accepted_and_certified_piece_by_piece() {
    let spec = load(&with_distribution(
        "  piecewise:\n    - {cdf: \"2*x^2\", to: 0.5}\n    - {cdf: \"1 - 2*(1 - x)^2\"}\n  support: [0, 1]\n",
    ))
    .unwrap();
    let d = spec.distribution();
    assert_eq!(d.breakpoints().len(), 1);
    assert!((d.cdf().eval_f64(0.25) - 0.125).abs() < 1e-15);
    assert!((d.cdf().eval_f64(0.75) - 0.875).abs() < 1e-15);
    // A piece that decreases is found on its stretch by the exact certificate.
    fails(
        &with_distribution(
            "  piecewise:\n    - {cdf: \"x\", to: 0.5}\n    - {cdf: \"0.5 - 0.1*(x - 0.5) + 4.4*(x - 0.5)^3\"}\n  support: [0, 1]\n",
        ),
        ErrorKind::Decreasing,
        3,
        "F decreases on [0.5, 0.58703882",
    );
}

#[test]
fn a_transcendental_density_dipping_by_5e_11_is_refused_with_its_stretch() {
    // f = 1 + (1 + 5e-11) cos(6 pi x) is -5e-11 at x = 1/6, 1/2, 5/6 and negative within
    // sqrt(1e-10) / (6 pi) = 5.305e-7 of each: the first stretch is [0.16666614, 0.16666720].
    let e = fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x + (1 + 5e-11)*sin(6*pi*x)/(6*pi)\", support: [0, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Decreasing,
        2,
        "F decreases on [0.1666661",
    );
    let shown = e.to_string();
    assert!(shown.contains("reaches -4.99"), "{shown}");
    assert!(shown.contains("(and on 2 further stretches)"), "{shown}");
}

#[test]
fn a_decrease_is_named_where_it_is_and_an_undecidable_dip_as_undecided() {
    // An exponential overflows doubles for x < 0.000306; the density's dip is left of 1/2.
    let overflow = "1e-3*x*exp(710*(1 - x))*exp(-710*(1 - x))";
    fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x + {overflow} - 1e-3*exp(-((x - 0.5)/1e-4)^2)\", support: [0, 1], renormalize: true}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Decreasing,
        2,
        "F decreases on [0.499809",
    );
    // Without the dip it is valid: exp(710) is enclosed by series.
    load(&format!(
        "{HEAD}distribution: {{cdf: \"x + {overflow}\", support: [0, 1], renormalize: true}}\nmarket: {{n: 2, shares: symmetric}}\n"
    ))
    .unwrap();
    // exp(3000) is beyond every enclosure: undecided, with its reason.
    let e = fails(
        &format!(
            "{HEAD}distribution: {{cdf: \"x + 1e-3*x*(1 - x)*exp(3000 + 10*x)*exp(-3000 - 10*x)\", support: [0, 1]}}\nmarket: {{n: 2, shares: symmetric}}\n"
        ),
        ErrorKind::Uncertified,
        2,
        "could not decide whether F decreases on [0, 1]",
    );
    assert!(e.to_string().contains("overflows"), "{e}");
}

#[test]
fn densities_touching_zero_or_singular_at_an_end_are_accepted() {
    for distribution in [
        "{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, 8.4438], renormalize: true}",
        "{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}",
        "{cdf: \"x^0.3\", support: [0, 1]}",
        "{cdf: \"1 - sqrt(1 - x)\", support: [0, 1]}",
        "{cdf: \"(1 - exp(-x))^3\", support: [0, 2], renormalize: true}",
        "{family: truncated_normal, mean: 0.5, sd: 0.2, support: [0, 1]}",
    ] {
        load(&format!(
            "{HEAD}distribution: {distribution}\nmarket: {{n: 2, shares: symmetric}}\n"
        ))
        .unwrap_or_else(|e| panic!("{distribution}: {e}"));
    }
}

//! The families built on the error function (truncated normal and lognormal) and on real powers
//! (Kumaraswamy) against an independent computation: mpmath 1.3 evaluating the one-dimensional forms of docs/MATH.md by quadrature at
//! 60 to 80 digits (`references/distributions.py`, which wrote `tests/data/references.csv`).
//! Each of T1, T2 and beta* must agree to 40 significant digits (within one unit of the 40th,
//! both sides being rounded), for symmetric markets of 2 to 1000 agents and for the
//! Myerson-Satterthwaite replications of the truncated normal to N = 10^20; the Beta(3, 3), (2, 3)
//! and (4, 4) markets, whose densities vanish to order 2 and 3 at the ends, against mpmath's
//! regularised incomplete beta function; `1 - sqrt(1 - x)`, whose density is infinite at b;
//! a mixture of the uniform and Beta(2, 2); Beta with real shapes through `betainc`: the
//! arcsine law Beta(1/2, 1/2) (infinite density at both ends) and Beta(5/2, 7/2), replicated to
//! N = 10^20 as well; and CDFs in pieces: smoothstep in two quadratic pieces, and the monotone
//! cubic interpolant of `tests/data/quantiles.csv` (the reference script builds it again from
//! Fritsch and Carlson's formulas).

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]
mod common;

use common::{dist, q};
use efftrade_model::Market;
use efftrade_numeric::quantities::solve;
use rug::Float;
use rug::ops::Pow;

/// The reference file's distributions, as spec entries.
const SPECS: [(&str, &str); 13] = [
    (
        "truncated-normal",
        "{family: truncated_normal, mean: 0.5, sd: 0.25, support: [0, 1]}",
    ),
    (
        "truncated-normal-tail",
        "{family: truncated_normal, mean: 0, sd: 1, support: [2, 3]}",
    ),
    (
        "truncated-lognormal",
        "{family: truncated_lognormal, mu: 0, sigma: 0.5, support: [0.5, 3]}",
    ),
    ("kumaraswamy", "{family: kumaraswamy, shape: [2, 3]}"),
    ("beta-3-3", "{family: beta, shape: [3, 3]}"),
    ("beta-2-3", "{family: beta, shape: [2, 3]}"),
    ("beta-4-4", "{family: beta, shape: [4, 4]}"),
    ("sqrt-end", "{cdf: \"1 - sqrt(1 - x)\", support: [0, 1]}"),
    (
        "mixture",
        "{mixture: [{weight: 0.3, family: uniform}, {weight: 0.7, family: beta, shape: [2, 2]}]}",
    ),
    ("beta-half-half", "{family: beta, shape: [0.5, 0.5]}"),
    ("beta-2.5-3.5", "{family: beta, shape: [2.5, 3.5]}"),
    (
        "piecewise-smoothstep",
        "{piecewise: [{cdf: \"2*x^2\", to: 0.5}, {cdf: \"1 - 2*(1 - x)^2\"}], support: [0, 1]}",
    ),
    (
        "empirical-quantiles",
        concat!(
            "{empirical: {quantiles: ",
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/quantiles.csv}}"
        ),
    ),
];

const DIGITS: u32 = 40;

/// Whether `got` is within one unit in the 40th significant digit of `want`.
fn agrees(got: &Float, want: &str) -> bool {
    let want = Float::with_val(300, Float::parse(want).unwrap());
    let magnitude = want.clone().abs().log10().floor().to_f64() as i32;
    let unit = Float::with_val(300, 10).pow(magnitude + 1 - DIGITS as i32);
    Float::with_val(300, got - &want).abs() <= unit
}

#[test]
fn t1_t2_and_beta_star_agree_with_mpmath_to_40_digits() {
    let table = include_str!("data/references.csv");
    let mut checked = 0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let [spec, n, holders, t1, t2, star] = f[..] else {
            panic!("a row of six fields: {line}");
        };
        let yaml = SPECS.iter().find(|(name, _)| *name == spec).unwrap().1;
        let (n, holders): (u128, u128) = (n.parse().unwrap(), holders.parse().unwrap());
        let market = if holders == n {
            Market::symmetric(n).unwrap()
        } else {
            assert_eq!(n, 2 * holders);
            Market::from_shares(&[q(1, 1), q(0, 1)])
                .unwrap()
                .replicate(holders)
                .unwrap()
        };
        let s = solve(&dist(yaml), &market, None, DIGITS).unwrap();
        let star_got = s.beta_star.as_ref().unwrap();
        for (what, got, want) in [
            ("T1", &s.t1, t1),
            ("T2", &s.t2, t2),
            ("beta*", star_got, star),
        ] {
            assert!(got.digits() >= DIGITS, "{spec}, n = {n}: {what}");
            assert!(
                agrees(got.value(), want),
                "{spec}, n = {n}: {what} = {got}, mpmath {want}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 49, "{checked} rows");
}

/// `F = x^1000000` on `[0, 1]` is itself a boundary layer of width about `10^-6` below `b`, which
/// quadrature nodes spread over the support do not see (`∫F` came out 0 to every digit). Against
/// the power family's closed forms (docs/MATH.md, symmetric shares, `k = 10^6`):
/// `T2 = 1/(n k + 1) - 1/(k + 1)` and
/// `T1 = 1 - v* - n (1 - v*^(k(n-1)+1)) / (k(n-1)+1) + (n-1)/(k n + 1)`, `v* = n^(-1/(k(n-1)))`.
#[test]
fn a_cdf_concentrated_at_b_is_integrated_where_it_lives() {
    let k = 1_000_000u32;
    let prec = 400;
    let f = |x: u32| Float::with_val(prec, x);
    for n in [3u32, 10] {
        let kn1 = k * (n - 1) + 1;
        let v = f(n).pow(-(f(1) / f(k * (n - 1))));
        let t2 = f(1) / f(k * n + 1) - f(1) / f(k + 1);
        let t1 = f(1) - &v - f(n) * (f(1) - v.clone().pow(kn1)) / f(kn1) + f(n - 1) / f(k * n + 1);
        let s = solve(
            &dist(&format!("{{cdf: \"x^{k}\", support: [0, 1]}}")),
            &Market::symmetric(u128::from(n)).unwrap(),
            None,
            30,
        )
        .unwrap();
        for (what, got, want) in [("T1", &s.t1, &t1), ("T2", &s.t2, &t2)] {
            let relative = Float::with_val(prec, got.value() - want) / want;
            assert!(
                relative.abs() < 1e-29,
                "n = {n}: {what} = {got}, closed form {}",
                want.to_f64()
            );
        }
    }
}

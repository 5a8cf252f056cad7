//! Lemma 3's constants and rows as balls, held against closed forms at 40 digits.
//!
//! References (Laplace's method, Olver 1974, ch. 3, Thm 7.1, and direct integration):
//! - uniform on `[0, 1]`: `alpha = 1`, `c = 1`, `A1 = A2 = 1`, the paper's sum
//!   `Σ_{k>=1} e^(-k) = 1/(e - 1)`; rows `∫ x^N = 1/(N + 1)`, `b - v* = 1 - m^(-1/(N-1))`;
//! - Beta(2, 2), `F = 3x^2 - 2x^3`: `F'(1) = 0`, `F''(1) = -6`, so `alpha = 2`, `c = 3`,
//!   `A2 = Γ(3/2)/sqrt(3) = sqrt(pi/12)`;
//! - `F = 1 - (1 - x)^3`: `alpha = 3`, `c = 1`, `A2 = Γ(4/3)`;
//! - the sine market with `b` solved from `F(b) = 1`: `alpha = 1`, `c = f(b) = 0.1 + 0.1 sin b`,
//!   with `b` from MPFR bisection here.

mod common;

use common::dist;
use efftrade_arb::Arb;
use efftrade_rigorous::lemma3::{expansion, lemma3};
use rug::ops::Pow;
use rug::{Float, Integer};

const PREC: u32 = 400;
const DIGITS: i32 = 40;

/// Whether the ball contains `x` and its radius is below `10^-digits |x|`.
fn encloses(b: &Arb, x: &Float) -> bool {
    let rad = b.rad_float().unwrap();
    let limit = Float::with_val(PREC, x.abs_ref()) * Float::with_val(PREC, 10).pow(-DIGITS);
    b.contains_float(x) && rad <= limit
}

fn f<T>(x: T) -> Float
where
    Float: rug::Assign<T>,
{
    Float::with_val(PREC, x)
}

#[test]
fn uniform_constants_and_rows_are_enclosed() {
    let d = dist("{family: uniform}");
    let l = lemma3(&d, &[2, 10, 30], DIGITS as u32, &|| {}).unwrap();
    let x = &l.expansion;
    assert_eq!(x.alpha, 1);
    let one = f(1);
    for (name, ball) in [("c", &x.c), ("A1", &x.a1), ("A2", &x.a2)] {
        assert!(encloses(ball, &one), "{name} = {}", ball.to_arb_string(50));
    }
    let e = Float::with_val(PREC, 1).exp();
    let paper = Float::with_val(PREC, 1) / (e - 1u32);
    assert!(
        encloses(&x.a2_paper, &paper),
        "paper's sum {}",
        x.a2_paper.to_arb_string(50)
    );
    for r in &l.rows {
        let n = f(Integer::from(r.n));
        let integral = Float::with_val(PREC, 1) / Float::with_val(PREC, &n + 1u32);
        assert!(encloses(&r.integral, &integral), "N = {}", r.n);
        let m = f(Integer::from(r.n / 2));
        let exponent = Float::with_val(PREC, -1) / Float::with_val(PREC, &n - 1u32);
        let gap = Float::with_val(PREC, 1) - Float::with_val(PREC, m.pow(&exponent));
        assert!(encloses(&r.gap, &gap), "N = {}: gap", r.n);
    }
    assert!(l.rigor.undecided.is_none(), "{:?}", l.rigor.undecided);
    // The printed digits are the balls' and the JSON has each ball.
    assert!(
        l.rigor
            .balls
            .iter()
            .any(|(n, _, _)| n == "rows[N = 100].integral")
    );
}

#[test]
fn beta22_has_alpha_two_proved_by_an_exact_zero() {
    for yaml in [
        "{family: beta, shape: [2, 2]}",
        "{cdf: \"3*x^2 - 2*x^3\", support: [0, 1]}",
    ] {
        let x = expansion(&dist(yaml), DIGITS as u32).unwrap();
        assert_eq!(x.alpha, 2, "{yaml}");
        assert!(
            encloses(&x.c, &f(3)),
            "{yaml}: c = {}",
            x.c.to_arb_string(50)
        );
        let pi = Float::with_val(PREC, rug::float::Constant::Pi);
        let a2 = Float::with_val(PREC, pi / 12u32).sqrt();
        assert!(
            encloses(&x.a2, &a2),
            "{yaml}: A2 = {}",
            x.a2.to_arb_string(50)
        );
    }
}

#[test]
fn flat_top_has_alpha_three() {
    let x = expansion(
        &dist("{cdf: \"1 - (1 - x)^3\", support: [0, 1]}"),
        DIGITS as u32,
    )
    .unwrap();
    assert_eq!(x.alpha, 3);
    assert!(encloses(&x.c, &f(1)));
    let gamma = Float::with_val(PREC, Float::with_val(PREC, 4) / 3u32).gamma();
    assert!(encloses(&x.a2, &gamma), "A2 = {}", x.a2.to_arb_string(50));
}

#[test]
fn sine_market_with_b_solved_has_c_the_density_at_b() {
    let d = dist("{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}");
    let x = expansion(&d, DIGITS as u32).unwrap();
    assert_eq!(x.alpha, 1);
    // b by bisection of F(b) = 1 on [8, 9] in MPFR.
    let tenth = || Float::with_val(PREC, 1) / 10u32;
    let cdf = |b: &Float| {
        Float::with_val(PREC, b * tenth()) + Float::with_val(PREC, 1u32 - b.clone().cos()) * tenth()
    };
    let (mut lo, mut hi) = (f(8), f(9));
    for _ in 0..PREC {
        let mid = Float::with_val(PREC, &lo + &hi) / 2u32;
        if cdf(&mid) < 1u32 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let c = tenth() + Float::with_val(PREC, lo.sin()) * tenth();
    assert!(encloses(&x.c, &c), "c = {}", x.c.to_arb_string(50));
}

#[test]
fn no_taylor_series_at_b_is_refused_with_the_reason() {
    let err = expansion(&dist("{cdf: \"1 - sqrt(1 - x)\", support: [0, 1]}"), 20).unwrap_err();
    assert!(err.to_string().contains("no Taylor series at b"), "{err}");
}

#[test]
fn slope_bound_is_a_true_lower_bound_and_absent_when_alpha_exceeds_one() {
    use efftrade_rigorous::lemma3::slope_bound;
    // Uniform: (1 - F(x))/(1 - x) = 1 everywhere, so kappa lies in (0, 1].
    let k = slope_bound(&dist("{family: uniform}"), 256, 128)
        .unwrap()
        .unwrap();
    assert!(k > 0.49 && k <= 1, "kappa = {k}");
    // Sine, b solved: the ratio's infimum over [0, b) is at least its value at a = 0, 1/b,
    // unless smaller inside; any proved bound must not exceed 1/b ~ 0.1184.
    let sine = dist("{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}");
    let k = slope_bound(&sine, 256, 128).unwrap().unwrap();
    assert!(k > 0.05 && k <= 0.1185, "kappa = {k}");
    // alpha = 3: the ratio tends to 0 at b, so no kappa > 0 exists.
    let flat = dist("{cdf: \"1 - (1 - x)^3\", support: [0, 1]}");
    assert!(slope_bound(&flat, 256, 128).unwrap().is_none());
}

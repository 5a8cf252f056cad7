//! Large markets against independent references: the uniform replications' closed forms at
//! N = 10^6, 10^12 and 10^30 to 30 and 60 digits; beta* of the sine market at N = 10^12 at two
//! precisions; Lemma 3's constants against derivations by hand for every family; the convergence
//! rows of the uniform against their closed forms; the fits against the direct values.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]
mod common;

use efftrade_model::{Distribution, Market, Spec};
use efftrade_numeric::certified::Certified;
use efftrade_numeric::lemma3::{expansion, lemma3, row};
use efftrade_numeric::quantities::solve;
use efftrade_numeric::support::upper_end;
use rug::{Float, Integer};

use common::{q, shown, uniform, uniform_closed_forms};

fn spec_dist(name: &str) -> Distribution {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(name);
    Spec::load(&path).unwrap().distribution().clone()
}

#[test]
fn uniform_replications_match_the_closed_forms_to_30_and_60_digits() {
    let uniform = uniform();
    let bases = [
        Market::symmetric(2).unwrap(),
        Market::from_shares(&[q(1, 1), q(0, 1)]).unwrap(),
        Market::from_shares(&[q(1, 2), q(1, 3), q(1, 6)]).unwrap(),
    ];
    for base in &bases {
        for exponent in [6u32, 12, 30] {
            let n_total = 10u128.pow(exponent);
            let m = n_total / base.n();
            let market = base.replicate(m).unwrap();
            for digits in [30u32, 60] {
                let s = solve(&uniform, &market, None, digits).unwrap();
                let (t1, t2, critical) = uniform_closed_forms(&market, 3 * 60 * 4 + 400);
                assert_eq!(
                    s.t1.to_decimal(),
                    shown(t1, digits),
                    "T1, {market}, {digits}"
                );
                assert_eq!(s.t2.to_decimal(), shown(t2, digits), "T2, {market}");
                for (got, want) in s.critical.iter().zip(critical) {
                    if want.is_zero() {
                        assert!(got.value().is_zero());
                    } else {
                        assert_eq!(got.to_decimal(), shown(want, digits), "v*, {market}");
                    }
                }
            }
        }
    }
}

#[test]
fn sine_beta_star_at_n_10_12_agrees_at_two_precisions() {
    let sine = spec_dist("example1-sine-solved.yaml");
    let market = Market::symmetric(2)
        .unwrap()
        .replicate(5 * 10u128.pow(11))
        .unwrap();
    let low = solve(&sine, &market, None, 30).unwrap().beta_star.unwrap();
    let high = solve(&sine, &market, None, 60).unwrap().beta_star.unwrap();
    assert_eq!((low.digits(), high.digits()), (30, 60));
    assert_eq!(low.to_decimal(), high.to_decimal_at(30));
    // beta* grows like log N / (c (b - mu)) (Theorem 3 with Lemma 3): about 33 at N = 10^12.
    let b = low.value().to_f64();
    assert!((30.0..40.0).contains(&b), "{b}");
}

/// The constants of Lemma 3 for `alpha` and `c` given by hand.
fn check_constants(d: &Distribution, alpha: u32, c: Float, digits: u32) {
    let e = expansion(d, digits).unwrap();
    assert_eq!(e.alpha, alpha);
    let prec = c.prec();
    let a1 = Float::with_val(prec, c.clone().root(alpha)).recip();
    let a2 = Float::with_val(prec, Float::with_val(prec, 1) / alpha + 1u32).gamma() * &a1;
    assert_eq!(e.c.to_decimal(), shown(c, digits));
    assert_eq!(e.a1.to_decimal(), shown(a1, digits));
    assert_eq!(e.a2.to_decimal(), shown(a2, digits));
    assert!(!e.paper_a2_agrees());
}

#[test]
fn lemma3_constants_match_derivations_by_hand() {
    let prec = 400;
    let digits = 40;
    // Sine market, b solved: f(b) = 0.1 + 0.1 sin(b) > 0, so alpha = 1 and c = f(b).
    let sine = spec_dist("example1-sine-solved.yaml");
    let b = upper_end(&sine, prec).unwrap();
    let c = Float::with_val(prec, Float::with_val(prec, b.sin_ref()) + 1u32) / 10u32;
    check_constants(&sine, 1, c, digits);
    // Renormalised on the printed support [0, 8.4438]: c = f(b) / F(b).
    let renorm = spec_dist("example1-sine-renormalized.yaml");
    let b = Float::with_val(prec, Float::parse("8.4438").unwrap());
    let f = Float::with_val(prec, Float::with_val(prec, b.sin_ref()) + 1u32) / 10u32;
    let big_f = Float::with_val(prec, &b + 1u32) - Float::with_val(prec, b.cos_ref());
    let big_f = big_f / 10u32;
    check_constants(&renorm, 1, f / big_f, digits);
    // Beta(2, 2): F(1 - d) = 1 - 3 d^2 + 2 d^3.
    check_constants(
        &spec_dist("family-beta22.yaml"),
        2,
        Float::with_val(prec, 3),
        digits,
    );
    // F = 1 - (1 - x)^3.
    check_constants(
        &spec_dist("lemma3-flat-top.yaml"),
        3,
        Float::with_val(prec, 1),
        digits,
    );
    // Power k = 3 on [0, 1]: f(1) = 3.
    check_constants(
        &spec_dist("family-power.yaml"),
        1,
        Float::with_val(prec, 3),
        digits,
    );
    // Truncated exponential, rate 2: f(1) = 2 e^-2 / (1 - e^-2) = 2 / (e^2 - 1).
    let e2 = Float::with_val(prec, 2).exp();
    let c = Float::with_val(prec, 2) / Float::with_val(prec, e2 - 1u32);
    check_constants(
        &spec_dist("family-truncated-exponential.yaml"),
        1,
        c,
        digits,
    );
    // The paper's A2 for the uniform is Σ e^-k = 1/(e - 1), against the correct 1.
    let e = expansion(&uniform(), digits).unwrap();
    let want = Float::with_val(prec, Float::with_val(prec, 1).exp() - 1u32).recip();
    assert_eq!(e.a2_paper.to_decimal(), shown(want, digits));
}

#[test]
fn uniform_convergence_rows_match_their_closed_forms() {
    let uniform = uniform();
    let prec = 600;
    for k in [2u32, 12, 30] {
        let r = row(&uniform, 1, k, 30).unwrap();
        let n = Integer::from(10u128.pow(k));
        let m = Integer::from(10u128.pow(k) / 2);
        // ∫_0^1 x^N dx = 1/(N+1); b - v* = 1 - m^(-1/(N-1)).
        let integral = Float::with_val(prec, Float::with_val(prec, &n) + 1u32).recip();
        let nm1 = Float::with_val(prec, &n) - 1u32;
        let log_m = Float::with_val(prec, &m).ln();
        let gap = -Float::with_val(
            prec,
            Float::with_val(prec, Float::with_val(prec, -&log_m) / &nm1).exp_m1(),
        );
        let scaled_gap = Float::with_val(prec, &gap / Float::with_val(prec, &log_m / &nm1));
        assert_eq!(
            r.integral.to_decimal(),
            shown(integral.clone(), 30),
            "N = 10^{k}"
        );
        assert_eq!(
            r.scaled_integral.to_decimal(),
            shown(integral * &n, 30),
            "N = 10^{k}"
        );
        assert_eq!(r.gap.to_decimal(), shown(gap, 30), "N = 10^{k}");
        assert_eq!(
            r.scaled_gap.to_decimal(),
            shown(scaled_gap, 30),
            "N = 10^{k}"
        );
    }
}

#[test]
fn fitted_alpha_and_a2_agree_with_the_direct_values() {
    let exponents: Vec<u32> = (2..=30).collect();
    for (name, alpha) in [
        ("example1-sine-solved.yaml", 1.0),
        ("family-beta22.yaml", 2.0),
        ("lemma3-flat-top.yaml", 3.0),
    ] {
        let l = lemma3(&spec_dist(name), &exponents, 25, &|| {}).unwrap();
        let fit = l.fitted.unwrap();
        let a2 = l.expansion.a2.value().to_f64();
        let fa = fit.alpha.value().to_f64();
        let fa2 = fit.a2.value().to_f64();
        assert!(
            (fa - alpha).abs() < 1e-4 * alpha,
            "{name}: fitted alpha {fa}"
        );
        assert!(
            (fa2 - a2).abs() < 1e-3 * a2,
            "{name}: fitted A2 {fa2} vs {a2}"
        );
        // The last row is within 10^-8 of the limits when alpha = 1 (corrections are O(1/N)),
        // within 10^-4 otherwise (O(N^(-1/alpha))).
        let last = l.rows.last().unwrap();
        let tol = if alpha == 1.0 { 1e-8 } else { 1e-4 };
        let rel =
            |x: &Certified, y: &Certified| (x.value().to_f64() / y.value().to_f64() - 1.0).abs();
        assert!(rel(&last.scaled_integral, &l.expansion.a2) < tol, "{name}");
        assert!(
            rel(&last.scaled_gap, &l.expansion.a1) < 10.0 * tol,
            "{name}"
        );
    }
}

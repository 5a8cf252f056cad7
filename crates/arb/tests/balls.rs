//! Arb's balls through the safe interface, held against closed forms and MPFR.

use efftrade_arb::{Acb, Arb, IntegrationOptions, integrate};
use rug::ops::Pow;
use rug::{Float, Integer};

const PREC: i64 = 200;

fn mpfr(prec: u32, x: impl Into<f64>) -> Float {
    Float::with_val(prec, x.into())
}

/// Whether `ball` contains `x` and is narrower than `2^-bits` relative to it.
fn tight(ball: &Arb, x: &Float, bits: i32) -> bool {
    let rad = ball.rad_float().expect("finite radius");
    let scale = Float::with_val(64, x.abs_ref()).max(&Float::with_val(64, 1e-300));
    ball.contains_float(x) && Float::with_val(64, &rad / &scale) < Float::with_val(64, 2).pow(-bits)
}

#[test]
fn rationals_and_floats_are_enclosed() {
    let third = Arb::from_ratio(&Integer::from(1), &Integer::from(3), PREC);
    let exact = Float::with_val(400, 1) / 3u32;
    assert!(tight(&third, &exact, 195), "{third}");
    let (lo, hi) = third.bounds().unwrap();
    assert!(lo <= exact && exact <= hi);
    let x = Float::with_val(300, 2).sqrt();
    let ball = Arb::from_float(&x);
    assert!(ball.is_exact());
    assert_eq!(ball.mid_float().unwrap(), x);
    let tiny = Float::with_val(53, Float::i_exp(3, -100_000));
    assert_eq!(Arb::from_float(&tiny).mid_float().unwrap(), tiny);
}

#[test]
fn elementary_functions_contain_mpfr_values() {
    let x = Arb::from_ratio(&Integer::from(7), &Integer::from(10), PREC);
    let xf = Float::with_val(400, 7) / 10u32;
    let cases: [(&str, Arb, Float); 4] = [
        ("exp", x.exp(PREC), xf.clone().exp()),
        ("log", x.log(PREC), xf.clone().ln()),
        ("sqrt", x.sqrt(PREC), xf.clone().sqrt()),
        ("expm1", x.expm1(PREC), xf.clone().exp_m1()),
    ];
    for (name, ball, want) in cases {
        assert!(tight(&ball, &want, 190), "{name}: {ball} vs {want}");
    }
    assert!(!Arb::from_i64(-1).log(PREC).is_finite());
}

#[test]
fn special_functions_agree_with_closed_forms() {
    let x = Float::with_val(400, 3) / 8u32;
    let ball = || Acb::from_real(&Arb::from_float(&x));
    // I_x(2, 3) = 6x^2 - 8x^3 + 3x^4.
    let mut beta = ball();
    let two = Acb::from_real(&Arb::from_i64(2));
    let three = Acb::from_real(&Arb::from_i64(3));
    beta.betainc(&two, &three, false, PREC);
    let poly = Float::with_val(400, 6 * x.clone().square())
        - Float::with_val(400, 8 * Float::with_val(400, x.clone().pow(3u32)))
        + Float::with_val(400, 3 * Float::with_val(400, x.clone().pow(4u32)));
    assert!(tight(&beta.real(), &poly, 190), "{beta:?} vs {poly}");
    // P(2, x) = 1 - e^(-x) (1 + x).
    let mut gamma = ball();
    gamma.gammainc(&two, false, PREC);
    let closed =
        Float::with_val(400, 1) - Float::with_val(400, -x.clone()).exp() * (x.clone() + 1u32);
    assert!(tight(&gamma.real(), &closed, 190), "{gamma:?} vs {closed}");
    // erf and erfc against MPFR.
    let (mut e, mut ec) = (ball(), ball());
    e.erf(PREC);
    ec.erfc(PREC);
    assert!(tight(&e.real(), &x.clone().erf(), 190));
    assert!(tight(&ec.real(), &x.clone().erfc(), 190));
}

#[test]
fn branch_cuts_are_refused_only_when_holomorphy_is_asked() {
    let across = Acb::from_parts(
        &Arb::from_i64(-1),
        &Arb::from_interval(&mpfr(53, -0.5), &mpfr(53, 0.5), PREC),
    );
    let mut s = across.clone();
    s.sqrt(true, PREC);
    assert!(!s.is_finite(), "sqrt is not holomorphic across its cut");
    let mut s = across.clone();
    s.sqrt(false, PREC);
    assert!(s.is_finite(), "but it is bounded there");
    // I_z(1/2, 2) has a cut on (-inf, 0]; I_z(2, 1/2) one on [1, inf).
    let half = Acb::from_real(&Arb::from_ratio(&Integer::from(1), &Integer::from(2), PREC));
    let two = Acb::from_real(&Arb::from_i64(2));
    let near_zero = Acb::from_real(&Arb::from_interval(&mpfr(53, -0.01), &mpfr(53, 0.01), PREC));
    let mut b = near_zero.clone();
    b.betainc(&half, &two, true, PREC);
    assert!(!b.is_finite());
    let mut b = near_zero.clone();
    b.betainc(&two, &half, true, PREC);
    assert!(b.is_finite(), "I_z(2, 1/2) is holomorphic near 0");
}

#[test]
fn integrals_of_closed_form_integrands() {
    let (zero, one) = (Arb::from_i64(0), Arb::from_i64(1));
    let opts = IntegrationOptions::default();
    // ∫_0^1 e^x dx = e - 1.
    let i = integrate(
        |out, z, _, prec| {
            out.set(z);
            out.exp(prec)
        },
        &zero,
        &one,
        PREC,
        -PREC,
        opts,
        PREC,
    );
    let want = Float::with_val(400, 1).exp() - 1u32;
    assert!(i.converged);
    assert!(tight(&i.value.real(), &want, 180), "{:?}", i.value);
    assert!(i.value.imag().contains_zero());
    // ∫_0^1 sqrt(x) dx = 2/3: a branch point at the end.
    let i = integrate(
        |out, z, analytic, prec| {
            out.set(z);
            out.sqrt(analytic, prec)
        },
        &zero,
        &one,
        100,
        -100,
        opts,
        PREC,
    );
    let want = Float::with_val(400, 2) / 3u32;
    assert!(i.value.real().contains_float(&want), "{:?}", i.value);
    assert!(tight(&i.value.real(), &want, 90), "{:?}", i.value);
    // ∫_(1/2)^1 x^1000000 dx = (1 - 2^-1000001)/1000001: a boundary layer of width 1e-6, with
    // the power as exp(n log x) (whose cut at 0 the interval avoids); 2^-1000001 is far below
    // any radius here.
    let n = Acb::from_real(&Arb::from_i64(1_000_000));
    let half = Arb::from_ratio(&Integer::from(1), &Integer::from(2), PREC);
    let i = integrate(
        |out, z, analytic, prec| {
            out.set(z);
            out.log(analytic, prec);
            out.mul_assign(&n, prec);
            out.exp(prec)
        },
        &half,
        &one,
        120,
        -200,
        opts,
        PREC,
    );
    let want = Float::with_val(400, 1) / 1_000_001u32;
    assert!(tight(&i.value.real(), &want, 110), "{:?}", i.value);
}

#[test]
#[should_panic(expected = "inside the integrand")]
fn a_panic_in_the_integrand_is_resumed() {
    let (zero, one) = (Arb::from_i64(0), Arb::from_i64(1));
    integrate(
        |_, _, _, _| panic!("inside the integrand"),
        &zero,
        &one,
        53,
        -53,
        IntegrationOptions::default(),
        64,
    );
}

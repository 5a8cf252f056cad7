//! Lemma 3 beyond the paper: `1 - F(b - d) ~ c d^alpha` with a non-integer `alpha`, against closed
//! forms (`F = 1 - sqrt(1 - x)`) and mpmath (Kumaraswamy(2, 5/2), `references/lemma3_real_alpha.py`,
//! 40 digits).

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]
mod common;

use efftrade_numeric::certified::Certified;
use efftrade_numeric::lemma3::{Alpha, expansion, row};
use rug::{Float, Integer};

use common::{dist, shown};

const DIGITS: u32 = 40;
const PREC: u32 = 400;

fn sqrt_end() -> efftrade_model::Distribution {
    dist("{cdf: \"1 - sqrt(1 - x)\", support: [0, 1]}")
}

fn kumaraswamy() -> efftrade_model::Distribution {
    dist("{cdf: \"1 - (1 - x^2)^2*sqrt(1 - x^2)\", support: [0, 1]}")
}

/// The mpmath reference `name` at `k`.
fn reference(name: &str, k: u32) -> Float {
    let text = include_str!("data/lemma3_real_alpha.csv");
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name},{k},")))
        .unwrap_or_else(|| panic!("{name} at {k} in the reference file"));
    let value = line.rsplit(',').next().unwrap();
    Float::with_val(PREC, Float::parse(value).unwrap())
}

fn assert_shown(got: &Certified, want: Float, what: &str) {
    assert!(got.digits() >= DIGITS, "{what}: {} digits", got.digits());
    assert_eq!(got.to_decimal_at(DIGITS), shown(want, DIGITS), "{what}");
}

#[test]
fn the_square_root_end_has_alpha_one_half_and_its_closed_form_constants() {
    let e = expansion(&sqrt_end(), DIGITS).unwrap();
    assert_eq!(e.alpha, Alpha::new(1, 2).unwrap());
    assert!(e.generalized && e.derivative.is_none());
    let one = Float::with_val(PREC, 1);
    assert_shown(&e.c, one.clone(), "c = 1");
    assert_shown(&e.a1, one, "A1 = 1");
    assert_shown(&e.a2, Float::with_val(PREC, 2), "A2 = Gamma(3) = 2");
    assert_shown(
        &e.a2_paper,
        reference("sqrt_paper_sum", 0),
        "sum_k e^-sqrt(k) (mpmath)",
    );
    assert!(!e.paper_a2_agrees());
}

#[test]
fn square_root_rows_match_their_closed_forms_to_10_to_the_30() {
    // Int_0^1 (1 - sqrt(1 - x))^N dx = 2/((N+1)(N+2)) (u = sqrt(1 - x)); the critical type of
    // m = N/2 agents holding 1/m solves (1 - sqrt(1 - v))^(N-1) = 1/m: b - v = u^2 with
    // u = 1 - m^(-1/(N-1)).
    for k in [2u32, 6, 10, 20, 30] {
        let r = row(&sqrt_end(), Alpha::new(1, 2).unwrap(), k, DIGITS).unwrap();
        let n = Float::with_val(PREC, Integer::from(Integer::u_pow_u(10, k)));
        let integral = Float::with_val(PREC, 2u32)
            / Float::with_val(PREC, &n + 1u32)
            / Float::with_val(PREC, &n + 2u32);
        assert_shown(
            &r.integral,
            integral.clone(),
            &format!("Int F^N, N = 10^{k}"),
        );
        assert_shown(
            &r.scaled_integral,
            Float::with_val(PREC, &integral * Float::with_val(PREC, n.square_ref())),
            &format!("N^2 Int F^N, N = 10^{k}"),
        );
        let m = Float::with_val(PREC, &n / 2u32);
        let exponent = Float::with_val(PREC, -Float::with_val(PREC, m.ln_ref()))
            / Float::with_val(PREC, &n - 1u32);
        let u = -exponent.exp_m1();
        assert_shown(
            &r.gap,
            Float::with_val(PREC, u.square_ref()),
            &format!("b - v*, N = 10^{k}"),
        );
    }
}

#[test]
fn kumaraswamy_with_a_real_shape_has_alpha_five_halves_and_matches_mpmath() {
    // 1 - F(1 - d) = (2d - d^2)^(5/2): c = 2^(5/2), A1 = c^(-2/5) = 1/2, A2 = Gamma(7/5)/2.
    let e = expansion(&kumaraswamy(), DIGITS).unwrap();
    assert_eq!(e.alpha.to_string(), "5/2");
    let c = Float::with_val(PREC, 2).sqrt() * 4u32;
    assert_shown(&e.c, c, "c = 2^(5/2)");
    assert_shown(&e.a1, Float::with_val(PREC, 0.5), "A1 = 1/2");
    let gamma = (Float::with_val(PREC, 7) / 5u32).gamma() / 2u32;
    assert_shown(&e.a2, gamma, "A2 = Gamma(7/5)/2");
    assert_shown(
        &e.a2_paper,
        reference("kumaraswamy_paper_sum", 0),
        "paper's sum (mpmath)",
    );
    for k in [2u32, 4, 6, 10, 14, 20] {
        let r = row(&kumaraswamy(), e.alpha, k, DIGITS).unwrap();
        assert_shown(
            &r.integral,
            reference("kumaraswamy_integral", k),
            &format!("Int F^N, N = 10^{k}"),
        );
        assert_shown(
            &r.gap,
            reference("kumaraswamy_gap", k),
            &format!("b - v*, N = 10^{k}"),
        );
    }
}

#[test]
fn generalized_series_find_alpha_and_c_or_name_what_leaves_the_class() {
    use efftrade_numeric::puiseux::upper_tail;
    let b = Float::with_val(PREC, 1);
    let tail = |src: &str| upper_tail(&efftrade_model::parse(src).unwrap(), &b, 40, 180);
    // (alpha, c) in closed form: 1 - F(1 - d) for each F.
    for (src, alpha, c) in [
        // d^(1/3) e^(-d): c = 1.
        ("1 - (1 - x)^(1/3)*exp(x - 1)", "1/3", 1.0),
        // 1 - F = 1 - sqrt(1 - 2 sqrt(d)) = sqrt(d) + ...: c = 1.
        ("sqrt(1 - 2*sqrt(1 - x))", "1/2", 1.0),
        // sin(d^(3/2)) / 2 over a cancelling constant: c = 1/2.
        ("1 - sin((1 - x)^1.5)/2 + 0*x", "3/2", 0.5),
        // An integer alpha from fractional powers: (d^(1/2))^4 = d^2, c = 3.
        ("1 - 3*sqrt(1 - x)^4", "2", 3.0),
        // erf of a vanishing argument: erf(d^(1/4)) = (2/sqrt(pi)) d^(1/4) + ...
        (
            "1 - erf((1 - x)^0.25)",
            "1/4",
            2.0 / std::f64::consts::PI.sqrt(),
        ),
    ] {
        let (a, got) = tail(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(a.to_string(), alpha, "{src}");
        assert!((got.to_f64() - c).abs() < 1e-15, "{src}: c = {got}");
    }
    // Outside the class: an irrational power and the logarithm of a vanishing series.
    for (src, what) in [
        ("1 - (1 - x)^pi", "the power (1 - x)^pi"),
        ("1 + (1 - x)*log(1 - x)", "the logarithm log(1 - x)"),
    ] {
        let err = tail(src).unwrap_err();
        assert!(err.contains(what), "{src}: {err}");
    }
}

#[test]
fn square_root_replications_match_closed_forms_and_beta_star_falls() {
    // F = 1 - sqrt(1 - x), m agents holding 1/m and m holding 0 (N = 2m). With u = sqrt(1 - x),
    // I_K = Int_0^1 F^K = 2/((K+1)(K+2)); the critical type of 1/m is v = 1 - u*^2 with
    // 1 - u* = (1/m)^(1/(N-1)) = T; J = Int_v^1 F^(N-1) = 2 [(1 - T^N)/N - (1 - T^(N+1))/(N+1)];
    // a zero share has v = 0 and J = I_(N-1). T1 = 1 - v - m J - m I_(N-1) + (N-1) I_N,
    // T2 = I_N - I_1 with I_1 = 1/3, beta* = -N T1/(T1 + T2).
    let base = efftrade_model::Market::from_shares(&[common::q(1, 1), common::q(0, 1)]).unwrap();
    let wide = 1600;
    let mut last = None;
    for k in [2u32, 10, 20, 30] {
        let m_int = Integer::from(Integer::u_pow_u(10, k));
        let market = base.replicate(m_int.to_u128().unwrap()).unwrap();
        let s = efftrade_numeric::quantities::solve(&sqrt_end(), &market, None, DIGITS).unwrap();
        let m = Float::with_val(wide, &m_int);
        let n = Float::with_val(wide, &m * 2u32);
        let i = |kk: &Float| {
            Float::with_val(wide, 2u32)
                / Float::with_val(wide, kk + 1u32)
                / Float::with_val(wide, kk + 2u32)
        };
        let nm1 = Float::with_val(wide, &n - 1u32);
        let log_t = -Float::with_val(wide, m.ln_ref()) / &nm1;
        let t = Float::with_val(wide, log_t.exp_ref());
        let u = Float::with_val(wide, 1u32 - &t);
        let v = Float::with_val(wide, 1u32 - Float::with_val(wide, u.square_ref()));
        let power = |e: &Float| Float::with_val(wide, Float::with_val(wide, &log_t * e).exp_ref());
        let np1 = Float::with_val(wide, &n + 1u32);
        let j = Float::with_val(wide, 2u32)
            * (Float::with_val(wide, 1u32 - power(&n)) / &n
                - Float::with_val(wide, 1u32 - power(&np1)) / &np1);
        let t1 = Float::with_val(wide, 1u32 - &v)
            - Float::with_val(wide, &m * &j)
            - Float::with_val(wide, &m * i(&nm1))
            + Float::with_val(wide, &nm1 * i(&n));
        let t2 = i(&n) - Float::with_val(wide, 1u32) / 3u32;
        let beta = -Float::with_val(wide, &n * &t1) / Float::with_val(wide, &t1 + &t2);
        assert_shown(&s.t1, t1, &format!("T1, m = 10^{k}"));
        assert_shown(&s.t2, t2, &format!("T2, m = 10^{k}"));
        let got = s.beta_star.expect("T1 > 0");
        assert_shown(&got, beta.clone(), &format!("beta*, m = 10^{k}"));
        // alpha = 1/2 < 1: beta* falls towards 0 (Theorem 3's conclusion needs alpha >= 1).
        if let Some(previous) = last.replace(beta.clone()) {
            assert!(beta < previous, "beta* falls, m = 10^{k}");
        }
    }
}

#[test]
fn beta_cdfs_with_real_shapes_have_alpha_q() {
    // Beta(5/2, 7/2): 1 - I_x(p, q) ~ (1 - x)^q / (q B(p, q)), c = 7.7606... (mpmath, 50 digits).
    let e = expansion(&dist("{family: beta, shape: [2.5, 3.5]}"), DIGITS).unwrap();
    assert_eq!(e.alpha.to_string(), "7/2");
    let c = Float::with_val(
        PREC,
        Float::parse("7.7606981774333725632065225568311765106326989161061").unwrap(),
    );
    assert_shown(&e.c, c, "c = 1/(q B(p, q))");
    // The arcsine law Beta(1/2, 1/2): 1 - F(1 - d) = (2/pi) asin(sqrt(d)), c = 2/pi,
    // A1 = pi^2/4, A2 = Gamma(3) A1 = pi^2/2.
    let e = expansion(&dist("{family: beta, shape: [0.5, 0.5]}"), DIGITS).unwrap();
    assert_eq!(e.alpha, Alpha::new(1, 2).unwrap());
    let pi = Float::with_val(PREC, rug::float::Constant::Pi);
    assert_shown(&e.c, Float::with_val(PREC, 2u32 / &pi), "c = 2/pi");
    let pi2 = Float::with_val(PREC, pi.square_ref());
    assert_shown(&e.a1, Float::with_val(PREC, &pi2 / 4u32), "A1 = pi^2/4");
    assert_shown(&e.a2, Float::with_val(PREC, &pi2 / 2u32), "A2 = pi^2/2");
}

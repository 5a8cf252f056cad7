//! Tests of the certificate of monotonicity for non-polynomial densities: every real decrease
//! refused with its stretch, however shallow; densities that touch zero or blow up at an end
//! accepted; undecided and overflowing stretches reported as such.

use super::ends::bracket;
use super::fraction::Q;
use super::rational_interval::{End, RationalInterval, RationalIntervalExpr, as_f64};
use super::*;

use crate::parse::{parse, parse_constant};

fn dist(cdf: &str, a: &str, b: &str, renormalize: bool) -> Result<Distribution, DistributionError> {
    Distribution::new(
        None,
        parse(cdf).unwrap(),
        parse_constant(a).unwrap(),
        UpperEnd::Given(parse_constant(b).unwrap()),
        renormalize,
    )
}

/// The stretch, least value and place of a `Decreasing` error.
fn decrease(err: &DistributionError) -> (f64, f64, String, f64, String) {
    let DistributionError::Decreasing {
        from,
        to,
        min,
        at,
        more,
        ..
    } = err
    else {
        panic!("expected a decrease, got: {err}")
    };
    (
        from.parse().unwrap(),
        to.parse().unwrap(),
        min.clone(),
        at.parse().unwrap(),
        more.clone(),
    )
}

#[test]
fn a_dip_of_5e_11_is_refused_at_a_true_minimum() {
    // f = 1 + (1 + 5e-11) cos(6 pi x) is least, -5e-11, at x = 1/6, 1/2, 5/6, and negative where
    // |cos(6 pi x) + 1| < 5e-11 / (1 + 5e-11), i.e. within about sqrt(1e-10) / (6 pi) = 5.3e-7.
    let err = dist("x + (1 + 5e-11)*sin(6*pi*x)/(6*pi)", "0", "1", false).unwrap_err();
    let (from, to, min, at, more) = decrease(&err);
    let half_width = (2.0 * 5e-11f64).sqrt() / (6.0 * std::f64::consts::PI);
    assert!(from <= 1.0 / 6.0 && 1.0 / 6.0 <= to, "{err}");
    assert!(
        from >= 1.0 / 6.0 - half_width - 2e-8 && to <= 1.0 / 6.0 + half_width + 2e-8,
        "{err}"
    );
    assert!((at - 1.0 / 6.0).abs() < half_width, "{err}");
    // The certified least value: between -5e-11 and 0, and -5e-11 to the digits shown.
    let value: f64 = min.parse().unwrap_or_else(|_| panic!("{min}"));
    assert!((-5.0001e-11..0.0).contains(&value), "{min}");
    assert_eq!(more, " (and on 2 further stretches)");
    let message = err.to_string();
    assert!(message.starts_with("F decreases on [0.1666"), "{message}");
}

#[test]
fn a_dip_of_1e_15_is_refused() {
    // Below what double-precision enclosures resolve around 1 (their rounding is 2.2e-16 per
    // step): the exact arithmetic on 1 + 1e-15 decides it.
    let err = dist("x + (1 + 1e-15)*sin(6*pi*x)/(6*pi)", "0", "1", false).unwrap_err();
    let (from, to, min, _, more) = decrease(&err);
    assert!(from <= 1.0 / 6.0 && 1.0 / 6.0 <= to, "{err}");
    assert!(to - from < 1e-6, "{err}");
    assert!(min.contains('-'), "{min}");
    assert_eq!(more, " (and on 2 further stretches)");
    // The same curve with (1 - 1e-15): a density >= 1e-15 > 0, accepted.
    dist("x + (1 - 1e-15)*sin(6*pi*x)/(6*pi)", "0", "1", false).unwrap();
}

#[test]
fn a_dip_of_1e_17_is_refused_by_series() {
    // Below the double-precision values of cos: decided with cos summed as a series. The stretch
    // is within sqrt(2e-17) / (6 pi) = 2.37e-10 of 1/6.
    let err = dist("x + (1 + 1e-17)*sin(6*pi*x)/(6*pi)", "0", "1", false).unwrap_err();
    let (from, to, min, at, _) = decrease(&err);
    let half_width = (2e-17f64).sqrt() / (6.0 * std::f64::consts::PI);
    assert!(from <= 1.0 / 6.0 && 1.0 / 6.0 <= to, "{err}");
    assert!(
        from >= 1.0 / 6.0 - half_width - 1e-12 && to <= 1.0 / 6.0 + half_width + 1e-12,
        "{err}"
    );
    // Certified digits of the density at `at`: 1 - (1 + 1e-17) cos(6 pi (at - 1/6)) in double.
    let value: f64 = min.parse().unwrap_or_else(|_| panic!("{min}"));
    let expected = -1e-17 + 0.5 * (6.0 * std::f64::consts::PI * (at - 1.0 / 6.0)).powi(2);
    assert!(
        (value - expected).abs() < 1e-3 * 1e-17 + 1e-19,
        "{min} vs {expected}"
    );
}

#[test]
fn a_dip_at_a_point_no_double_holds_is_refused() {
    // f = 1 + (1 + 1e-12) cos(3 x - 1 - pi) (before renormalizing) is least at x = 1/3, which
    // is not a double, where it is -1e-12.
    let err = dist(
        "x + (1 + 1e-12)*(sin(3*x - 1 - pi) + sin(1 + pi))/3",
        "0",
        "1",
        true,
    )
    .unwrap_err();
    let (from, to, ..) = decrease(&err);
    assert!(from <= 1.0 / 3.0 && 1.0 / 3.0 <= to, "{err}");
}

#[test]
fn densities_touching_zero_are_accepted() {
    // The sine market: f = 0.1 + 0.1 sin x vanishes at 3 pi / 2, exactly.
    dist("0.1*x + 0.1*(1 - cos(x))", "0", "8.4438", true).unwrap();
    // Zeros at an end: of order 1, 2 (1 - cos, (1 - e^-x)^2) and in the interior (1 - cos x at 0).
    dist("1 - cos(pi*x/2)", "0", "1", false).unwrap();
    dist("(1 - exp(-x))^3", "0", "2", true).unwrap();
    dist("x - sin(x) + 1 - sin(1)", "-1", "1", true).unwrap();
    dist("(x - sin(x))/(1 - sin(1))", "0", "1", false).unwrap();
    // Double-precision enclosures alone do not decide the sine market: their lower bound at 3 pi / 2
    // is a rounding error below zero, while the rational one is exactly zero.
    let density = parse("0.1 + 0.1*sin(x)").unwrap();
    let near = crate::interval::Interval::new(4.7, 4.72);
    let fast = crate::interval::IntervalExpr::compile(&density)
        .eval(near)
        .unwrap();
    assert!(fast.lo < 0.0, "{fast:?}");
    let sharp = RationalIntervalExpr::compile(&density)
        .eval(&RationalInterval::of_f64(4.7, 4.72))
        .unwrap();
    assert_eq!(sharp.lo, End::Finite(Q::zero()));
}

#[test]
fn touching_zeros_behind_constant_factors_and_dependency_are_accepted() {
    // 1 + cos(6 pi x) touches zero at 1/6, 1/2 and 5/6: visible once the chain rule's
    // (6 pi) / (6 pi) is cancelled.
    dist("x + sin(6*pi*x)/(6*pi)", "0", "1", false).unwrap();
    // 1 - cos(2 pi x) at 0 and 1; 1 - cos(2 pi (x - 1/2)) at 1/2.
    dist("x - sin(2*pi*x)/(2*pi)", "0", "1", false).unwrap();
    dist("x - sin(2*pi*(x - 1/2))/(2*pi)", "0", "1", false).unwrap();
    // e^x - 1 - x: no enclosure of it is non-negative on [0, h]; the monotone form is.
    dist("(exp(x) - 1 - x - x^2/2)/(exp(1) - 5/2)", "0", "1", false).unwrap();
    // And a dip below the touching zero is still refused where it is.
    let err = dist("x - (1 + 1/10^12)*sin(2*pi*x)/(2*pi)", "0", "1", true).unwrap_err();
    let (from, to, ..) = decrease(&err);
    assert!(from < 1e-3 && to > 0.0, "{err}");
}

#[test]
fn integrable_singularities_at_either_end_are_accepted() {
    dist("x^0.3", "0", "1", false).unwrap();
    dist("1 - sqrt(1 - x)", "0", "1", false).unwrap();
    dist("(x - 2)^0.5", "2", "3", false).unwrap();
    // ... but not a decreasing one.
    let err = dist("2*x - x^0.5", "0", "1", false).unwrap_err();
    let (from, to, ..) = decrease(&err);
    // f = 2 - 1/(2 sqrt x) < 0 for x < 1/16.
    assert!(from == 0.0 && (to - 1.0 / 16.0).abs() < 1e-6, "{err}");
}

#[test]
fn families_with_transcendental_cdfs_are_accepted() {
    let q = |s: &str| parse_constant(s).unwrap().eval_rational(None).unwrap();
    let (zero, one) = (Expr::int(0), Expr::int(1));
    for (family, a, b) in [
        (
            Family::TruncatedNormal {
                mean: q("0.5"),
                sd: q("0.1"),
            },
            zero.clone(),
            one.clone(),
        ),
        (
            Family::TruncatedNormal {
                mean: q("3"),
                sd: q("0.25"),
            },
            zero.clone(),
            one.clone(),
        ),
        (
            Family::TruncatedLognormal {
                mu: q("0"),
                sigma: q("0.5"),
            },
            Expr::ratio(1, 10),
            Expr::int(4),
        ),
        (
            Family::TruncatedExponential { lambda: q("-3") },
            zero.clone(),
            one.clone(),
        ),
    ] {
        let cdf = family.cdf(&a, &b);
        Distribution::new(Some(family.clone()), cdf, a, UpperEnd::Given(b), false)
            .unwrap_or_else(|e| panic!("{family}: {e}"));
    }
}

/// `x - 1e-3 exp(-((x - 1/2)/1e-4)^2)` has density `1 + 2e5 (x - 1/2) exp(-((x - 1/2)/1e-4)^2)`,
/// negative on a stretch left of 1/2; the other term is `1e-3 x` written so that an exponential
/// overflows doubles for `x < 1 - log(MAX)/710 = 0.000306...`.
const OVERFLOW: &str = "1e-3*x*exp(710*(1 - x))*exp(-710*(1 - x))";

#[test]
fn a_decrease_is_named_where_it_is_not_where_doubles_overflow() {
    let cdf = format!("x + {OVERFLOW} - 1e-3*exp(-((x - 0.5)/1e-4)^2)");
    let err = dist(&cdf, "0", "1", true).unwrap_err();
    let (from, to, min, at, more) = decrease(&err);
    // The true stretch, by scalar bisection on the density's two sign changes (the overflowing
    // term contributes 1e-3 exactly).
    let f = |x: f64| 1.001 + 2e5 * (x - 0.5) * (-((x - 0.5) / 1e-4).powi(2)).exp();
    let root = |lo: f64, hi: f64| super::tests::sign_change(f, lo, hi);
    let least = 0.5 - 1e-4 / 2f64.sqrt();
    let (start, end) = (root(0.4995, least), root(least, 0.5));
    assert!(
        (from - start).abs() < 1e-6 && (to - end).abs() < 1e-6,
        "[{from}, {to}] vs [{start}, {end}]: {err}"
    );
    assert!((at - least).abs() < 2e-5, "{err}");
    // The least density, -7.57, to the digits printed (the density is renormalized by F(1)).
    let fb = 1.001 - 1e-3 * (-(5000f64).powi(2)).exp();
    let value: f64 = min.parse().unwrap();
    assert!(
        (value - f(least) / fb).abs() < 1e-2,
        "{min} vs {}",
        f(least) / fb
    );
    assert_eq!(more, "");
    // Without the dip, the CDF is accepted: exp(710) is beyond doubles but not beyond the series.
    dist(&format!("x + {OVERFLOW}"), "0", "1", true).unwrap();
    // F = x + 1e-3 x (1 - x) written with exp(3000 + 10 x) = 2^4328..., beyond every enclosure
    // here: reported as undecided because of the overflow, not as a decrease.
    let err = dist(
        "x + 1e-3*x*(1 - x)*exp(3000 + 10*x)*exp(-3000 - 10*x)",
        "0",
        "1",
        false,
    )
    .unwrap_err();
    let DistributionError::Undecided { from, to, why, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!((from.as_str(), to.as_str()), ("0", "1"), "{err}");
    assert!(why.contains("overflows"), "{err}");
}

#[test]
fn rational_enclosures_are_exact_where_the_value_is() {
    let e = |s: &str, lo: f64, hi: f64| {
        RationalIntervalExpr::compile(&parse(s).unwrap()).eval(&RationalInterval::of_f64(lo, hi))
    };
    let zero = End::Finite(Q::zero());
    assert_eq!(e("1/10 - 1/10*cos(x)", -0.5, 0.25).unwrap().lo, zero);
    assert_eq!(e("3*(1 - exp(-x))^2*exp(-x)", 0.0, 0.5).unwrap().lo, zero);
    assert_eq!(e("sqrt(x^2)", 0.0, 0.5).unwrap().lo, zero);
    assert_eq!(
        e("sqrt(x)", 0.25, 0.25).unwrap().hi,
        End::Finite(Q::new(1.into(), 2.into()))
    );
    // An end singularity: 1/(2 sqrt(1 - x)) on [0.75, 1] is [1, +inf].
    let v = e("1/(2*sqrt(1 - x))", 0.75, 1.0).unwrap();
    assert_eq!((as_f64(&v.lo), v.hi.clone()), (Some(1.0), End::PosInf));
    let v = e("0.3*x^(-0.7)", 0.0, 1.0).unwrap();
    assert_eq!(v.hi, End::PosInf);
    assert!(as_f64(&v.lo).is_some_and(|l| l > 0.299 && l <= 0.3));
    // A pole inside is still a fault, and so is a logarithm of a negative interval.
    assert!(e("1/(x - 0.5)", 0.0, 1.0).is_err());
    assert!(e("log(x)", -1.0, -0.5).is_err());
    // Huge powers are rounded outward, never wrong: 0.5^999999 is within [0, 2^-4000].
    let v = e("x^999999", 0.5, 0.5).unwrap();
    assert!(v.lo <= zero && v.hi > zero);
    // Every enclosure holds the sampled values.
    for (src, lo, hi) in [
        ("sin(3*x) + cos(x)*exp(-x^2)", -0.7, 2.3),
        ("erf(x) - erfc(2*x) + tan(x/3)", -0.7, 2.3),
        ("log(1 + x^2) + x^(1/3)", 0.0, 2.0),
        ("(x + 1/3)^7 - 1/(3 + x)", -0.7, 2.3),
    ] {
        let v = e(src, lo, hi).unwrap();
        let f = parse(src).unwrap();
        for k in 0..=200 {
            let x = lo + (hi - lo) * f64::from(k) / 200.0;
            // The enclosure is of exact values; the double evaluation is off by its rounding.
            let y = f.eval_f64(x);
            let slack = 1e-13 * (1.0 + y.abs());
            let (lo, hi) = (
                Q::from_f64(y + slack).unwrap(),
                Q::from_f64(y - slack).unwrap(),
            );
            assert!(
                v.lo <= End::Finite(lo) && End::Finite(hi) <= v.hi,
                "{src} at {x}"
            );
        }
    }
}

#[test]
fn brackets_are_the_neighbouring_doubles() {
    let tenth = Q::new(1.into(), 10.into());
    let (lo, hi) = bracket(&tenth);
    assert_eq!(hi, lo.next_up());
    assert!(Q::from_f64(lo).unwrap() < tenth && tenth < Q::from_f64(hi).unwrap());
    assert_eq!(bracket(&Q::new(1.into(), 2.into())), (0.5, 0.5));
    assert_eq!(bracket(&tenth.neg()), (-hi, -lo));
    // Far beyond doubles: between the largest double and infinity.
    let huge = Q::from_integer(num_bigint::BigInt::from(1) << 1100u32);
    assert_eq!(bracket(&huge), (f64::MAX, f64::INFINITY));
}

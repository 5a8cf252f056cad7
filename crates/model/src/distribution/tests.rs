//! Tests of distribution validation against values computed independently.

use super::*;
use num_rational::BigRational;

use crate::parse::{parse, parse_constant};

fn dist(
    cdf: &str,
    a: &str,
    b: Option<&str>,
    renormalize: bool,
) -> Result<Distribution, DistributionError> {
    Distribution::new(
        None,
        parse(cdf).unwrap(),
        parse_constant(a).unwrap(),
        b.map_or(UpperEnd::Solve, |b| {
            UpperEnd::Given(parse_constant(b).unwrap())
        }),
        renormalize,
    )
}

/// Where `f` changes sign in `[lo, hi]` (given that it does), by scalar bisection.
pub(super) fn sign_change(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) < 0.0) == (f(lo) < 0.0) {
            lo = mid
        } else {
            hi = mid
        }
    }
    lo
}

#[test]
fn the_sine_market_solves_its_upper_end() {
    let d = dist("0.1*x + 0.1*(1 - cos(x))", "0", None, false).unwrap();
    // F(b) = 1 at b = 8.4438...; a root of 0.1 b + 0.1 (1 - cos b) = 1 checked directly.
    let b = d.b.mid();
    assert!((0.1 * b + 0.1 * (1.0 - b.cos()) - 1.0).abs() < 1e-14);
    assert!(d.b.width() < 1e-13, "{:?}", d.b);
    assert_eq!(format!("{:.4}", b), "8.4438");
}

#[test]
fn the_printed_sine_support_needs_a_choice() {
    let err = dist("0.1*x + 0.1*(1 - cos(x))", "0", Some("8.4438"), false).unwrap_err();
    let DistributionError::UpperNotOne { value, solved, .. } = &err else {
        panic!("{err}")
    };
    let exact = 0.84438 + 0.1 * (1.0 - 8.4438f64.cos());
    assert!(
        value.starts_with(&format!("{exact:.8}")[..8]),
        "{value} vs {exact}"
    );
    // The paper's 8.4438 is the solved end, 8.443794..., rounded to five digits.
    let solved: f64 = solved.as_deref().unwrap().parse().unwrap();
    assert_eq!(format!("{solved:.4}"), "8.4438");
    assert!((solved - 8.4438).abs() > 1e-6);
    let ok = dist("0.1*x + 0.1*(1 - cos(x))", "0", Some("8.4438"), true).unwrap();
    let normalized = ok.cdf();
    assert!((normalized.eval_f64(8.4438) - 1.0).abs() < 1e-15);
}

#[test]
fn a_narrow_dip_in_the_density_is_found() {
    // f = 1 + 0.01 * 2e6 (x - 0.37) exp(-(1000 (x - 0.37))^2) dips to about -7.6 on a stretch
    // of width ~1e-3 around 0.3693: a grid of spacing 0.01 from 0 samples 0.37, where f = 1.
    let cdf = "x - 0.01*exp(-(1000*(x - 0.37))^2)";
    for k in 0..=100 {
        let x = f64::from(k) / 100.0;
        let f = parse(cdf).unwrap().derivative().eval_f64(x);
        assert!(f > 0.0, "the grid sees a positive density at {x}");
    }
    let err = dist(cdf, "0", Some("1"), false).unwrap_err();
    let DistributionError::Decreasing { from, to, min, .. } = &err else {
        panic!("{err}")
    };
    let (from, to): (f64, f64) = (from.parse().unwrap(), to.parse().unwrap());
    // The true stretch, by scalar bisection on the density's two sign changes.
    let f = |x: f64| 1.0 + 2e4 * (x - 0.37) * (-(1000.0 * (x - 0.37)).powi(2)).exp();
    let root = |lo: f64, hi: f64| sign_change(f, lo, hi);
    let (start, end) = (root(0.3675, 0.37 - 0.7e-3), root(0.37 - 0.7e-3, 0.37));
    assert!(
        (from - start).abs() < 1e-6 && (to - end).abs() < 1e-6,
        "[{from}, {to}] vs [{start}, {end}]"
    );
    assert!(min.parse::<f64>().unwrap() < -7.0, "{min}");
}

#[test]
fn an_ordinary_decreasing_cdf_is_rejected_with_its_stretch() {
    let err = dist("x + 0.2*sin(8*x)", "0", Some("1"), true).unwrap_err();
    // f = 1 + 1.6 cos(8x) < 0 where cos(8x) < -0.625.
    let DistributionError::Decreasing { from, .. } = &err else {
        panic!("{err}")
    };
    let expected = (-0.625f64).acos() / 8.0;
    assert!(
        (from.parse::<f64>().unwrap() - expected).abs() < 1e-5,
        "{from} vs {expected}"
    );
}

#[test]
fn endpoint_and_support_faults() {
    assert!(matches!(
        dist("x + 0.5", "0", Some("1"), false),
        Err(DistributionError::LowerNotZero { .. })
    ));
    assert!(matches!(
        dist("x", "1", Some("1"), false),
        Err(DistributionError::EmptySupport { .. })
    ));
    assert!(matches!(
        dist("x", "1", Some("0"), false),
        Err(DistributionError::InvertedSupport { .. })
    ));
    assert!(matches!(
        dist("x/2", "0", Some("1"), false),
        Err(DistributionError::UpperNotOne { .. })
    ));
    assert!(matches!(
        dist("-x", "0", None, false),
        Err(DistributionError::NoUpperEnd { .. })
    ));
    assert!(matches!(
        dist("x - x", "0", Some("1"), true),
        Err(DistributionError::RenormalizeNonPositive { .. })
    ));
    assert!(matches!(
        dist("log(x - 0.5) + 1", "0", Some("1"), true),
        Err(DistributionError::Undefined { .. })
    ));
}

fn int(k: i64) -> BigRational {
    BigRational::from_integer(k.into())
}

#[test]
fn families_expand_to_their_cdfs() {
    let (zero, one) = (Expr::int(0), Expr::int(1));
    let beta = Family::Beta {
        p: int(2),
        q: int(2),
    }
    .cdf(&zero, &one);
    assert_eq!(beta.to_string(), "3*x^2 - 2*x^3");
    // Beta(2, 3): I_t(2, 3) = 6 t^2 - 8 t^3 + 3 t^4.
    assert_eq!(
        Family::Beta {
            p: int(2),
            q: int(3)
        }
        .cdf(&zero, &one)
        .to_string(),
        "6*x^2 - 8*x^3 + 3*x^4"
    );
    // Other shapes: the incomplete beta function itself.
    let half = BigRational::new(5.into(), 2.into());
    assert_eq!(
        Family::Beta { p: half, q: int(3) }
            .cdf(&zero, &Expr::int(2))
            .to_string(),
        "betainc(2.5, 3, x/2)"
    );
    assert_eq!(
        Family::Beta {
            p: int(2),
            q: int(1001)
        }
        .cdf(&zero, &one)
        .to_string(),
        "betainc(2, 1001, x)"
    );
    assert_eq!(Family::Uniform.cdf(&zero, &one).to_string(), "x");
    assert_eq!(
        Family::Uniform
            .cdf(&Expr::int(2), &Expr::int(5))
            .to_string(),
        "(x - 2)/3"
    );
    let e = Family::TruncatedExponential {
        lambda: BigRational::from_integer(2.into()),
    }
    .cdf(&zero, &one);
    assert!((e.eval_f64(0.5) - (1.0 - (-1.0f64).exp()) / (1.0 - (-2.0f64).exp())).abs() < 1e-15);
    for fam in [
        Family::Uniform,
        Family::Power {
            k: BigRational::new(1.into(), 2.into()),
        },
        Family::Beta {
            p: int(3),
            q: int(2),
        },
        Family::TruncatedExponential {
            lambda: BigRational::from_integer((-3).into()),
        },
    ] {
        let cdf = fam.cdf(&zero, &one);
        Distribution::new(
            Some(fam.clone()),
            cdf,
            zero.clone(),
            UpperEnd::Given(one.clone()),
            false,
        )
        .unwrap_or_else(|e| panic!("{fam}: {e}"));
    }
}

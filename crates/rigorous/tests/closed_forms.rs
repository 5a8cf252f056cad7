//! The rigorous engine's balls held against closed forms at 50 digits, and the fast engine's
//! printed digits held inside the balls.
//!
//! References: the uniform market's `T2 = 1/(N+1) - 1/2` and
//! `T1 = (N-1)/(N+1) - ((N-1)/N) Σ r_i^(N/(N-1))` (integration of the paper's (T1) and Lemma 2 for
//! `F(x) = x`); Myerson and Satterthwaite (1983): `T1 = -1/6` for the uniform with shares
//! `(1, 0)`; Cramton, Gibbons and Klemperer (1987): with two equal-share-free owners of shares
//! `(r, 1 - r)`, `T1 = 0` exactly at `r = 1/2 ∓ sqrt(3)/6`.

mod common;

use common::dist;
use efftrade_arb::Arb;
use efftrade_model::{BigRational, Market};
use efftrade_rigorous::{BallSolution, solve};
use rug::ops::Pow;
use rug::{Float, Integer, Rational};

const PREC: u32 = 600;

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

fn ball<'s>(s: &'s BallSolution, name: &str) -> &'s Arb {
    &s.balls
        .iter()
        .find(|b| b.name == name)
        .unwrap_or_else(|| panic!("no ball {name}"))
        .ball
}

/// Whether the ball contains `x` and its radius is below `10^-digits |x|`.
fn encloses(b: &Arb, x: &Float, digits: i32) -> bool {
    let rad = b.rad_float().unwrap();
    let limit = Float::with_val(PREC, x.abs_ref()) * Float::with_val(PREC, 10).pow(-digits);
    b.contains_float(x) && rad <= limit
}

fn rational(r: &BigRational) -> Rational {
    Rational::from((
        r.numer().to_string().parse::<Integer>().unwrap(),
        r.denom().to_string().parse::<Integer>().unwrap(),
    ))
}

/// The uniform market's closed forms for shares `(r_i, count_i)` with `N` agents in all.
fn uniform_t1_t2(market: &Market) -> (Float, Float) {
    let n = Float::with_val(PREC, Integer::from(market.n()));
    let n1 = Float::with_val(PREC, &n - 1u32);
    let t2 =
        Float::with_val(PREC, 1u32) / Float::with_val(PREC, &n + 1u32) - Float::with_val(PREC, 0.5);
    let mut sum = Float::new(PREC);
    for class in market.classes() {
        let r = Float::with_val(PREC, rational(class.share()));
        let e = Float::with_val(PREC, &n / &n1);
        let term = if r.is_zero() {
            Float::new(PREC)
        } else {
            r.pow(&e)
        };
        sum += term * Float::with_val(PREC, Integer::from(class.count()));
    }
    let t1 = Float::with_val(PREC, &n1 / Float::with_val(PREC, &n + 1u32))
        - Float::with_val(PREC, &n1 / &n) * sum;
    (t1, t2)
}

#[test]
fn uniform_n2_gives_beta_star_two_to_fifty_digits() {
    let m = Market::symmetric(2).unwrap();
    let s = solve(&dist("{family: uniform}"), &m, None, 50).unwrap();
    assert!(s.undecided.is_none(), "{:?}", s.undecided);
    let two = Float::with_val(PREC, 2);
    assert!(encloses(ball(&s, "beta_star"), &two, 50));
    assert_eq!(
        s.solution.beta_star.as_ref().unwrap().to_decimal(),
        format!("2.{}", "0".repeat(49))
    );
    let (t1, t2) = uniform_t1_t2(&m);
    assert!(encloses(ball(&s, "t1"), &t1, 50));
    assert!(encloses(ball(&s, "t2"), &t2, 50));
    assert_eq!(s.solution.t1.digits(), 50);
}

#[test]
fn myerson_satterthwaite_t1_is_minus_one_sixth() {
    let m = Market::from_shares(&[q(1, 1), q(0, 1)]).unwrap();
    let s = solve(&dist("{family: uniform}"), &m, Some(&q(0, 1)), 50).unwrap();
    let sixth = Float::with_val(PREC, -1) / 6u32;
    assert!(encloses(ball(&s, "t1"), &sixth, 50));
    assert_eq!(s.solution.efficient, Some(false));
    assert!(s.solution.t1.to_decimal().starts_with("-0.1666666666"));
}

#[test]
fn cramton_gibbons_klemperer_ends_are_where_t1_changes_sign() {
    // r = 1/2 - sqrt(3)/6 rounded to 200 bits (a rational within 2^-200 of the end), and a step
    // of 10^-40 either side.
    let root = Float::with_val(PREC, 0.5) - Float::with_val(PREC, 3).sqrt() / 6u32;
    let r = Float::with_val(200, &root).to_rational().unwrap();
    let exact = BigRational::new(
        r.numer().to_string().parse().unwrap(),
        r.denom().to_string().parse().unwrap(),
    );
    let step = q(1, 1)
        / BigRational::from_integer(num_traits::Pow::pow(num_bigint::BigInt::from(10), 40u32));
    for (share, positive) in [(exact.clone() + step.clone(), true), (exact - step, false)] {
        let m = Market::from_shares(&[share.clone(), q(1, 1) - share.clone()]).unwrap();
        let s = solve(&dist("{family: uniform}"), &m, Some(&q(0, 1)), 30).unwrap();
        let t1 = ball(&s, "t1");
        let (want, _) = uniform_t1_t2(&m);
        assert!(t1.contains_float(&want), "{t1} vs {want}");
        assert_eq!(t1.is_positive(), positive, "share {share}: {t1}");
        assert_eq!(s.solution.efficient, Some(positive));
    }
}

#[test]
fn replicated_uniform_markets_to_n_1e20() {
    let base = Market::from_shares(&[q(1, 2), q(3, 10), q(1, 5)]).unwrap();
    for m in [10u128, 1_000_000, 100_000_000_000_000_000_000] {
        let market = base.replicate(m).unwrap();
        let s = solve(&dist("{family: uniform}"), &market, None, 40).unwrap();
        let (t1, t2) = uniform_t1_t2(&market);
        assert!(
            encloses(ball(&s, "t1"), &t1, 40),
            "m = {m}: {} vs {t1}",
            ball(&s, "t1")
        );
        assert!(encloses(ball(&s, "t2"), &t2, 40), "m = {m}");
    }
}

#[test]
fn fast_engine_digits_lie_inside_the_balls() {
    for (yaml, shares) in [
        (
            "{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}",
            vec![q(1, 2), q(1, 2)],
        ),
        ("{family: beta, shape: [2, 2]}", vec![q(1, 4), q(3, 4)]),
        (
            "{family: beta, shape: [2.5, 3.5]}",
            vec![q(1, 3), q(1, 3), q(1, 3)],
        ),
        (
            "{family: truncated_normal, mean: 0.5, sd: 0.2, support: [0, 1]}",
            vec![q(1, 2), q(1, 2)],
        ),
    ] {
        let d = dist(yaml);
        let m = Market::from_shares(&shares).unwrap();
        let fast = efftrade_numeric::quantities::solve(&d, &m, None, 30).unwrap();
        let s = solve(&d, &m, None, 30).unwrap();
        for (name, value) in [("t1", &fast.t1), ("t2", &fast.t2), ("mu", &fast.mu)] {
            let printed = Float::with_val(PREC, Float::parse(value.to_decimal()).unwrap());
            // The printed decimal D stands for [D - u/2, D + u/2], u its last unit: it must meet
            // the ball that holds the exact value.
            let exp10 = Float::with_val(64, printed.abs_ref())
                .log10()
                .floor()
                .to_f64() as i32;
            let half_unit = Float::with_val(PREC, 10).pow(exp10 + 1 - value.digits() as i32) / 2u32;
            let b = ball(&s, name);
            let (lo, hi) = b.bounds().unwrap();
            assert!(
                lo <= Float::with_val(PREC, &printed + &half_unit)
                    && hi >= Float::with_val(PREC, &printed - &half_unit),
                "{yaml}: {name} printed {} outside the ball {b}",
                value.to_decimal()
            );
            assert_eq!(
                s.solution.t1.to_decimal_at(value.digits()),
                fast.t1.to_decimal_at(value.digits()),
                "{yaml}"
            );
        }
    }
}

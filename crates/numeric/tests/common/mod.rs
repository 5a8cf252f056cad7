//! Helpers shared by the integration tests and the unit tests (as `crate::testing`): markets and distributions from short literals, the
//! uniform market's closed forms, and reference values printed as the engine prints its own.

use efftrade_model::{BigRational, Distribution, Market, Spec};
use rug::ops::Pow;
use rug::{Float, Integer};

/// The rational `n/d`.
pub fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

/// The distribution of a spec whose `distribution:` entry is `yaml`.
pub fn dist(yaml: &str) -> Distribution {
    Spec::from_yaml(
        &format!("description: t\ndistribution: {yaml}\nmarket: {{n: 2, shares: symmetric}}\n"),
        None,
    )
    .unwrap()
    .distribution()
    .clone()
}

/// The engine of the CDF `cdf` on `support` (e.g. `[0, solve]`) at `prec` bits.
pub fn engine(cdf: &str, support: &str, prec: u32) -> efftrade_numeric::engine::Engine {
    efftrade_numeric::engine::Engine::new(
        &dist(&format!("{{cdf: \"{cdf}\", support: {support}}}")),
        prec,
    )
    .unwrap()
}

/// The uniform distribution on `[0, 1]`.
pub fn uniform() -> Distribution {
    dist("{family: uniform}")
}

/// `value` to `digits` significant digits (correctly rounded), as the engine prints a certified
/// value.
pub fn shown(value: Float, digits: u32) -> String {
    efftrade_numeric::round_decimal(&value, digits)
}

/// docs/MATH.md's uniform closed forms for a market of share classes `(share, count)` at `prec`
/// bits: `T1 = (N-1)/(N+1) - ((N-1)/N) Σ r^(N/(N-1))`, `T2 = 1/(N+1) - 1/2` and the critical
/// types `v* = r^(1/(N-1))`, one per class.
pub fn uniform_closed_forms(market: &Market, prec: u32) -> (Float, Float, Vec<Float>) {
    let n = Integer::from(market.n());
    let nf = Float::with_val(prec, &n);
    let t2 = Float::with_val(prec, Float::with_val(prec, &nf + 1u32).recip()) - 0.5f64;
    let mut sum = Float::new(prec);
    let mut critical = Vec::new();
    for class in market.classes() {
        let r = Float::with_val(prec, efftrade_numeric::program::to_rug(class.share()));
        let nm1 = Float::with_val(prec, &nf - 1u32);
        let exponent = Float::with_val(prec, &nf / &nm1);
        let term = Float::with_val(prec, (&r).pow(&exponent));
        sum += Float::with_val(prec, term * Integer::from(class.count()));
        critical.push(Float::with_val(
            prec,
            (&r).pow(Float::with_val(prec, nm1.recip_ref())),
        ));
    }
    let nm1 = Float::with_val(prec, &nf - 1u32);
    let t1 = Float::with_val(prec, &nm1 / Float::with_val(prec, &nf + 1u32))
        - Float::with_val(prec, &nm1 / &nf) * sum;
    (t1, t2, critical)
}

/// The parameters of the special function written in `src` (such as `betainc(2.5, 3.5, x)`).
pub fn shapes(src: &str) -> efftrade_model::expr::Shapes {
    match efftrade_model::parse(src) {
        Ok(efftrade_model::Expr::Call(f, _)) => f.shapes().cloned().expect("a special function"),
        other => panic!("{src}: {other:?}"),
    }
}

/// Units in the last place between `got` and MPFR's correctly rounded `want` (at `want`'s
/// precision).
pub fn ulps(got: &Float, want: &Float) -> f64 {
    let diff = Float::with_val(64, got - want).abs();
    if diff.is_zero() {
        return 0.0;
    }
    let ulp = Float::with_val(
        64,
        Float::i_exp(1, want.get_exp().unwrap() - want.prec() as i32),
    );
    Float::with_val(64, diff / ulp).to_f64()
}

//! The special functions of the grammar at any precision, over MPFR: the regularized incomplete
//! beta function `I_u(p, q)`, the regularized lower incomplete gamma function `P(s, u)`, and their
//! densities (see `efftrade_model::expr::special` for the definitions).
//!
//! # Method and guarantee
//!
//! Each value is computed at the destination's precision plus [`GUARD_BITS`] and rounded once.
//!
//! * `I_u(p, q) = u^p (1-u)^q / (p B(p, q)) Σ_k (p+q)_k / (p+1)_k u^k` (DLMF 8.17.8 with
//!   8.17.7), on the side `u < (p+1)/(p+q+2)`, and `1 - I_(1-u)(q, p)` beyond (DLMF 8.17.4): the
//!   terms are positive, so the sum has no cancellation, and the value computed directly is the
//!   smaller of `I` and `1 - I`, so both keep their relative accuracy. The ratio of consecutive
//!   terms `r_k = (p+q+k) u / (p+1+k)` tends to `u` monotonically (from above when `q > 1`,
//!   from below otherwise), so after the term `t_K` the tail is at most `t_K rho / (1 - rho)`
//!   with `rho = max(r_K, u) < 1`; summation stops once that bound is below `2^-w` times the sum.
//! * `P(s, u) = u^s e^(-u) / Γ(s+1) Σ_k u^k / ((s+1)...(s+k))` (DLMF 8.7.1), with ratios
//!   `u / (s+k+1)` decreasing, the same stopping rule (the terms first grow for about `u - s`
//!   steps); far in the upper tail, where a bound of `Γ(s, u)` proves that `P` rounds to 1, 1.
//!   (MPFR's `gamma_inc` was measured slower by orders of magnitude: 30 ms at `u = 1000` and over
//!   a minute at `u = 10^5`, at 256 bits.)
//! * The densities are products of correctly rounded powers and exponentials and `1/B(p, q)` or
//!   `1/Γ(s)` from MPFR's correctly rounded gamma function (cached per thread and precision).
//!
//! Held against mpmath at 40 and 100 digits in this module's tests and in the families'
//! references (`references/distributions.py`). The sum of `K` terms is kept as a quotient of two
//! sums of positive products (see `positive_series`), each step rounding five positive
//! quantities, so its rounding error is below `5 K 2^-w` relative; with [`GUARD_BITS`] = 64 the
//! result is within one unit in the last place of the destination for `K < 2^38` terms, far
//! beyond what any parameters reach.

use std::cell::RefCell;
use std::rc::Rc;

use efftrade_model::expr::Shapes;
use efftrade_model::expr::special::small_int;
use rug::float::Special;
use rug::ops::Pow;
use rug::{Assign, Float, Integer, Rational};

use crate::program::to_rug;

/// Bits of working precision beyond the destination's.
pub const GUARD_BITS: u32 = 64;

/// Terms summed before a series is declared divergent (it never is for positive parameters
/// below a million and arguments in the domain: a safeguard against a hang, giving NaN).
const MAX_TERMS: usize = 10_000_000;

/// The parameters as MPFR rationals, converted once per thread and parameters rather than at
/// every evaluation: each parameter, each minus one (the densities' exponents), for the beta
/// functions the side switch `(p + 1)/(p + q + 2)`, and the integer ratios of each series.
struct Exact {
    values: Vec<Rational>,
    minus_one: Vec<Rational>,
    threshold: Rational,
    /// The term ratios: `I_u(p, q)`'s series then `I_(1-u)(q, p)`'s, or `P(s, u)`'s.
    ratios: Vec<Ratios>,
}

/// The ratios `t_(k+1) / t_k = x (α + β k) / (γ + δ k)` of a series' terms, with integers
/// `α, β, γ, δ`: multiplying by integers is exact and fast, where dividing by a rational at the
/// working precision is neither.
#[derive(Clone, Debug)]
struct Ratios {
    /// `(α, β)`.
    num: (Integer, Integer),
    /// `(γ, δ)`.
    den: (Integer, Integer),
}

impl Ratios {
    /// `r_k = x (a + b + k) / (a + 1 + k)`, the beta series' ratios: with `a + b = N1/D1` and
    /// `a + 1 = N2/D2`, `r_k = x (N1 D2 + k D1 D2) / (N2 D1 + k D1 D2)`.
    fn beta(a: &Rational, b: &Rational) -> Ratios {
        let sum = Rational::from(a + b);
        let next = Rational::from(a + 1u32);
        let both = Integer::from(sum.denom() * next.denom());
        Ratios {
            num: (Integer::from(sum.numer() * next.denom()), both.clone()),
            den: (Integer::from(next.numer() * sum.denom()), both),
        }
    }

    /// `r_k = x / (s + 1 + k)`, the gamma series' ratios: with `s = N/D`,
    /// `r_k = x D / (N + D + k D)`.
    fn gamma(s: &Rational) -> Ratios {
        let d = s.denom().clone();
        Ratios {
            num: (d.clone(), Integer::new()),
            den: (Integer::from(s.numer() + &d), d),
        }
    }

    /// `α + β k` or `γ + δ k` into `out`.
    fn at(coefficients: &(Integer, Integer), k: usize, out: &mut Integer) {
        out.assign(&coefficients.1 * k as u64);
        *out += &coefficients.0;
    }
}

thread_local! {
    static EXACT: RefCell<Vec<(Shapes, Rc<Exact>)>> = const { RefCell::new(Vec::new()) };
}

/// The parameters of `shapes` as [`Exact`] rationals, cached per thread.
fn exact(shapes: &Shapes) -> Rc<Exact> {
    EXACT.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, e)) = cache.iter().find(|(s, _)| s.same(shapes)) {
            return Rc::clone(e);
        }
        let values: Vec<Rational> = shapes.exact().iter().map(to_rug).collect();
        let minus_one = values.iter().map(|v| Rational::from(v - 1u32)).collect();
        let (threshold, ratios) = match values.as_slice() {
            [p, q] => (
                Rational::from(p + 1u32) / (Rational::from(p + q) + 2u32),
                vec![Ratios::beta(p, q), Ratios::beta(q, p)],
            ),
            [s] => (Rational::new(), vec![Ratios::gamma(s)]),
            _ => (Rational::new(), Vec::new()),
        };
        let e = Rc::new(Exact {
            values,
            minus_one,
            threshold,
            ratios,
        });
        if cache.len() >= 32 {
            cache.remove(0);
        }
        cache.push((shapes.clone(), Rc::clone(&e)));
        e
    })
}

/// The parameter `i` at `w` bits.
fn parameter(shapes: &Shapes, i: usize, w: u32) -> Float {
    Float::with_val(w, &exact(shapes).values[i])
}

/// Normalising constants computed once per thread, parameters and precision.
#[derive(Default)]
struct Cache(Vec<(Shapes, u32, Float)>);

thread_local! {
    static NORMALIZERS: RefCell<Cache> = RefCell::new(Cache::default());
}

/// `1/B(p, q)` (two parameters) or `1/Γ(s)` (one) at `w` bits (within an ulp or two: three
/// correctly rounded gamma values and a quotient), cached per thread.
pub fn inverse_normalizer(shapes: &Shapes, w: u32) -> Float {
    NORMALIZERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, v)) = cache.0.iter().find(|(s, p, _)| s.same(shapes) && *p == w) {
            return v.clone();
        }
        let gamma = |x: Float| x.gamma();
        let value = if shapes.exact().len() == 2 {
            let (p, q) = (parameter(shapes, 0, w), parameter(shapes, 1, w));
            let sum = Float::with_val(w, &p + &q);
            gamma(sum) / (gamma(p) * gamma(q))
        } else {
            gamma(parameter(shapes, 0, w)).recip()
        };
        if cache.0.len() >= 32 {
            cache.0.remove(0);
        }
        cache.0.push((shapes.clone(), w, value.clone()));
        value
    })
}

/// `x^k` for the exact exponent `k` at `x`'s precision (an integer power where `k` is one, so
/// that a negative base is allowed).
fn power(x: &Float, k: &Rational) -> Float {
    if k.is_integer() {
        Float::with_val(x.prec(), x.pow(k.numer()))
    } else {
        Float::with_val(x.prec(), x.pow(Float::with_val(x.prec(), k)))
    }
}

/// Sums `Σ_k t_k` with `t_0 = 1` and `t_(k+1) = t_k r_k`, the ratios `r_k` of `ratios` at `x`
/// tending monotonically to `limit < 1` (see the module docs for the tail bound); `None` if the
/// series has not converged within [`MAX_TERMS`].
///
/// The terms share the denominator `B_k = Π_(j<k) (γ + δ j)`: with `t_k = A_k / B_k` and the
/// partial sum `N_k / B_k`, each step is `A_(k+1) = A_k x (α + β k)`,
/// `N_(k+1) = N_k (γ + δ k) + A_(k+1)` and `B_(k+1) = B_k (γ + δ k)`: one multiplication at the
/// working precision and three by integers, every quantity positive, and one division at the end.
///
/// The stopping test: with `e(v)` the binary exponent of `v` (`2^(e-1) <= v < 2^e`), the tail
/// is at most `t rho / (1 - rho)` with `rho = max(r_(k+1), limit)`, and `t / sum = A / N <
/// 2^(e(A) - e(N) + 1)`; the bound is evaluated in doubles, `rho` rounded up by `2^-40`
/// relative and the logarithm by one bit, and summation stops once it is below `2^-w`.
fn positive_series(w: u32, x: &Float, ratios: &Ratios, limit: f64) -> Option<Float> {
    let mut a = Float::with_val(w, 1);
    let mut n = Float::with_val(w, 1);
    let mut b = Float::with_val(w, 1);
    let (mut num, mut den) = (Integer::new(), Integer::new());
    let xf = x.to_f64();
    let exponent = |v: &Float| i64::from(v.get_exp().unwrap_or(i32::MIN / 2));
    for k in 0..MAX_TERMS {
        Ratios::at(&ratios.num, k, &mut num);
        Ratios::at(&ratios.den, k, &mut den);
        a *= x;
        a *= &num;
        n *= &den;
        b *= &den;
        n += &a;
        // r_(k+1) in doubles, rounded up; rho bounds every later ratio.
        Ratios::at(&ratios.num, k + 1, &mut num);
        Ratios::at(&ratios.den, k + 1, &mut den);
        let r = xf * num.to_f64() / den.to_f64() * (1.0 + 2f64.powi(-40));
        let rho = r.max(limit);
        if rho < 1.0 {
            let tail = (exponent(&a) - exponent(&n) + 2) as f64 + (rho / (1.0 - rho)).log2();
            if tail < -f64::from(w) {
                return Some(n / b);
            }
        }
    }
    None
}

/// `I_u(p, q)`, the regularized incomplete beta function, at `u`'s precision; NaN outside
/// `0 <= u <= 1`.
pub fn betainc(shapes: &Shapes, u: &Float) -> Float {
    let prec = u.prec();
    let w = prec + GUARD_BITS;
    if u.is_nan() || *u < 0 || *u > 1 {
        return Float::with_val(prec, Special::Nan);
    }
    if u.is_zero() || *u == 1 {
        return Float::with_val(prec, u);
    }
    let e = exact(shapes);
    let (p, q) = (&e.values[0], &e.values[1]);
    let complement = *u >= e.threshold;
    let (a, b, x) = if complement {
        (q, p, Float::with_val(w, 1 - u))
    } else {
        (p, q, Float::with_val(w, u))
    };
    let fa = Float::with_val(w, a);
    let ratios = &e.ratios[usize::from(complement)];
    // The ratios fall to x from above (b > 1) or rise to it (b <= 1): x rounded up bounds the
    // later ones in the second case, the current ratio in the first.
    let limit = x.to_f64() * (1.0 + 2f64.powi(-40));
    let Some(sum) = positive_series(w, &x, ratios, limit) else {
        return Float::with_val(prec, Special::Nan);
    };
    // x^a (1-x)^b / (a B(a, b)); B is symmetric, so the cached 1/B(p, q) serves both sides.
    let mut value = power(&x, a);
    value *= power(&Float::with_val(w, 1 - &x), b);
    value *= inverse_normalizer(shapes, w);
    value /= &fa;
    value *= &sum;
    if complement {
        value = Float::with_val(w, 1 - &value);
    }
    Float::with_val(prec, value)
}

/// `P(s, u)`, the regularized lower incomplete gamma function, at `u`'s precision; NaN for
/// `u < 0`.
pub fn gammainc(shapes: &Shapes, u: &Float) -> Float {
    let prec = u.prec();
    let w = prec + GUARD_BITS;
    if u.is_nan() || *u < 0 {
        return Float::with_val(prec, Special::Nan);
    }
    if u.is_zero() {
        return Float::with_val(prec, 0);
    }
    if u.is_infinite() {
        return Float::with_val(prec, 1);
    }
    let s = parameter(shapes, 0, w);
    let x = Float::with_val(w, u);
    if upper_tail_below_half_ulp(shapes, &x, prec) {
        return Float::with_val(prec, 1);
    }
    let e = exact(shapes);
    // The ratios x / (s + 1 + k) fall to 0.
    let Some(sum) = positive_series(w, &x, &e.ratios[0], 0.0) else {
        return Float::with_val(prec, Special::Nan);
    };
    // x^s e^(-x) / Γ(s + 1) = x^s e^(-x) / (s Γ(s)).
    let mut value = power(&x, &e.values[0]);
    value *= Float::with_val(w, -&x).exp();
    value *= inverse_normalizer(shapes, w);
    value /= &s;
    value *= &sum;
    Float::with_val(prec, value)
}

/// Whether `Q(s, x) = 1 - P(s, x)` is provably below `2^-(prec+2)`, so that `P` rounds to 1 at
/// `prec` bits: from `Γ(s, x) <= x^(s-1) e^(-x) max(1, x/(x - s + 1))` for `x > s - 1` (bound
/// `t^(s-1)` on `t >= x` by `x^(s-1)` when `s <= 1`, by `x^(s-1) e^((s-1)(t-x)/x)` otherwise),
/// evaluated in doubles with a margin of `2^-20` relative on the logarithm. Only tried beyond
/// `x > s + 1 + 2 prec`, where the series would take more terms than the tail has digits.
fn upper_tail_below_half_ulp(shapes: &Shapes, x: &Float, prec: u32) -> bool {
    let s = shapes.approx()[0];
    let xf = x.to_f64();
    if xf <= s + 1.0 + 2.0 * f64::from(prec) {
        return false;
    }
    let log = -xf + (s - 1.0) * xf.ln() - efftrade_model::expr::special::ln_gamma(s)
        + (xf / (xf - s + 1.0)).max(1.0).ln();
    let limit = -f64::from(prec + 2) * std::f64::consts::LN_2;
    log.is_nan() || log + log.abs() * 2f64.powi(-20) < limit
}

/// `u^(p-1) (1-u)^(q-1) / B(p, q)` at `u`'s precision; NaN outside `0 <= u <= 1`.
pub fn betapdf(shapes: &Shapes, u: &Float) -> Float {
    let prec = u.prec();
    let w = prec + GUARD_BITS;
    if u.is_nan() || *u < 0 || *u > 1 {
        return Float::with_val(prec, Special::Nan);
    }
    let x = Float::with_val(w, u);
    let e = exact(shapes);
    let mut value = power(&x, &e.minus_one[0]);
    value *= power(&Float::with_val(w, 1 - &x), &e.minus_one[1]);
    value *= inverse_normalizer(shapes, w);
    Float::with_val(prec, value)
}

/// `u^(s-1) e^(-u) / Γ(s)` at `u`'s precision; NaN for `u < 0` (unless `s` is an integer, where
/// the density's formula is an entire function).
pub fn gammapdf(shapes: &Shapes, u: &Float) -> Float {
    let prec = u.prec();
    let w = prec + GUARD_BITS;
    if u.is_nan() || (*u < 0 && small_int(&shapes.exact()[0]).is_none()) {
        return Float::with_val(prec, Special::Nan);
    }
    let x = Float::with_val(w, u);
    let mut value = power(&x, &exact(shapes).minus_one[0]);
    value *= Float::with_val(w, -&x).exp();
    value *= inverse_normalizer(shapes, w);
    Float::with_val(prec, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::shapes;

    fn close(got: &Float, want: &str, digits: i32) {
        let want = Float::with_val(got.prec(), Float::parse(want).expect("a decimal"));
        let err = Float::with_val(got.prec(), got - &want).abs();
        let tol = Float::with_val(got.prec(), 10f64.powi(-digits)) * want.clone().abs();
        assert!(err <= tol, "{got} vs {want}");
    }

    /// mpmath 1.3.0 at 60 digits: `betainc(p, q, 0, x, regularized=True)`,
    /// `gammainc(s, 0, x, regularized=True)`, `beta`, `gamma`.
    #[test]
    fn values_agree_with_mpmath_to_fifty_digits() {
        let prec = 200;
        let at = |x: &str| Float::with_val(prec, Float::parse(x).unwrap());
        let b = shapes("betainc(2.5, 3.5, x)");
        // Both sides of (p + 1)/(p + q + 2) = 7/16, and far in the lower tail.
        let cases = [
            (
                "0.3",
                "0.296752989295666398637989511699864985172369740072525486880701",
            ),
            (
                "0.9",
                "0.997826227157272922780095679237291979712676030919571565473994",
            ),
            (
                "1e-6",
                "1.0864958046672595688356493074724337358879070025229114647841e-14",
            ),
        ];
        for (x, want) in cases {
            close(&betainc(&b, &at(x)), want, 50);
        }
        let arcsine = shapes("betainc(0.5, 0.5, x)");
        close(
            &betainc(&arcsine, &at("0.999")),
            "0.979864958366622509027655605595129078086473452910489250103892",
            50,
        );
        let g = shapes("gammainc(2.5, x)");
        close(
            &gammainc(&g, &at("1.7")),
            "0.361430076896204923408087885506057362642824409543886973565379",
            50,
        );
        // Densities.
        close(
            &betapdf(&shapes("betapdf(2.5, 3.5, x)"), &at("0.3")),
            "1.82976712311321458488610403455540307216298382452572305720794",
            50,
        );
        close(
            &gammapdf(&shapes("gammapdf(2.5, x)"), &at("1.7")),
            "0.30460467401363455048947676369937454914179158622576000141838",
            50,
        );
    }

    #[test]
    fn the_upper_tail_keeps_its_digits_and_the_far_tail_rounds_to_one() {
        // 1 - P(2.5, 600) = Q(2.5, 600) = 2.93756...e-257 (mpmath), seen at 1200 bits.
        let g = shapes("gammainc(2.5, x)");
        let p = gammainc(&g, &Float::with_val(1200, 600));
        let q = Float::with_val(1200, 1 - p);
        close(
            &q,
            "2.9375604806858984807428313851145856308286353288395228770872e-257",
            50,
        );
        // At 53 bits the tail is provably below half an ulp of 1: exactly 1.
        assert_eq!(gammainc(&g, &Float::with_val(53, 600)), 1);
        // Outside the domain: NaN; at the ends: exact.
        assert!(gammainc(&g, &Float::with_val(53, -1)).is_nan());
        let b = shapes("betainc(2.5, 3.5, x)");
        assert!(betainc(&b, &Float::with_val(53, 1.5)).is_nan());
        assert_eq!(betainc(&b, &Float::with_val(53, 1)), 1);
        assert_eq!(betainc(&b, &Float::with_val(53, 0)), 0);
    }
}

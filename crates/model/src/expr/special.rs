//! The special functions with constant parameters: the regularized incomplete beta and gamma
//! functions and their densities, with their parameters ([`Shapes`]) and their double-precision
//! kernels.
//!
//! * `betainc(p, q, u)` = `I_u(p, q)` = `B(u; p, q) / B(p, q)`, the CDF of Beta(p, q) (DLMF 8.17.2);
//! * `betapdf(p, q, u)` = `u^(p-1) (1-u)^(q-1) / B(p, q)`, its derivative in `u`;
//! * `gammainc(s, u)` = `P(s, u)` = `γ(s, u) / Γ(s)`, the CDF of Gamma(s, 1) (DLMF 8.2.4);
//! * `gammapdf(s, u)` = `u^(s-1) e^(-u) / Γ(s)`, its derivative in `u`.
//!
//! The parameters are exact positive rationals written as constants (`betainc(2.5, 3.5, x)`).
//!
//! Double precision (this module) evaluates the beta function's continued fraction (DLMF 8.17.22)
//! and the gamma function's series and continued fraction (DLMF 8.7.1, 8.9.2) by the modified
//! Lentz method, on the side where each converges fast and without cancellation; its relative
//! error is a small multiple of the double rounding unit times the magnitude of the prefactor's
//! logarithm, which [`error_bound`] states for the interval enclosures of [`crate::interval`].
//! MPFR, complex and Taylor-series kernels are in `efftrade-numeric`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive};

use super::grammar::{BinOp, Func};
use super::scalar::{DomainError, Scalar};
use crate::interval::Interval;

/// The constant parameters of a special function: `(p, q)` of the beta functions, `(s)` of the
/// gamma functions, exact and positive, with their nearest doubles.
#[derive(Clone, Debug)]
pub struct Shapes(Arc<ShapeData>);

#[derive(Debug)]
struct ShapeData {
    exact: Vec<BigRational>,
    approx: Vec<f64>,
}

impl Shapes {
    /// The parameters `values`, which must be positive (the caller checks; see
    /// [`super::Func::with_parameters`]).
    pub(crate) fn new(values: Vec<BigRational>) -> Shapes {
        let approx = values.iter().map(super::rational_to_f64).collect();
        Shapes(Arc::new(ShapeData {
            exact: values,
            approx,
        }))
    }

    /// The parameters, exactly.
    pub fn exact(&self) -> &[BigRational] {
        &self.0.exact
    }

    /// The parameters rounded to the nearest doubles.
    pub fn approx(&self) -> &[f64] {
        &self.0.approx
    }

    /// Whether `self` and `other` are the same stored parameters (not only equal ones): a cheap
    /// key for caches of constants that depend on them.
    pub fn same(&self, other: &Shapes) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The parameter `i` decreased by one, exactly: the exponents of the densities.
    pub fn minus_one(&self, i: usize) -> BigRational {
        &self.0.exact[i] - BigRational::from_integer(1.into())
    }
}

impl PartialEq for Shapes {
    fn eq(&self, other: &Shapes) -> bool {
        self.0.exact == other.0.exact
    }
}

impl Eq for Shapes {}

impl Hash for Shapes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.exact.hash(state);
    }
}

/// Whether every parameter is a positive rational (the domain of both families).
pub(crate) fn all_positive(values: &[BigRational]) -> bool {
    values.iter().all(|v| v.is_positive())
}

/// `q` as an `i32` when it is an integer that fits one: an exponent computed as an integer
/// power (so that a negative base is allowed), a parameter for which a density is entire.
pub fn small_int(q: &BigRational) -> Option<i32> {
    q.is_integer().then(|| q.to_integer().to_i32()).flatten()
}

/// `ln Γ(x)` in double precision (musl's `lgamma`, through the `libm` crate).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `ln B(p, q) = ln Γ(p) + ln Γ(q) - ln Γ(p + q)` in double precision.
pub fn ln_beta(p: f64, q: f64) -> f64 {
    ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)
}

/// Relative error bound of a double-precision prefactor `e^log` times a continued fraction or
/// series (this module's kernels): the exponential amplifies the rounding of its argument
/// (`p ln u + q ln(1-u) - ln B`, or `s ln u - u - ln Γ(s)`) by `|log|`, and `lgamma`, the
/// logarithms and the Lentz iterations add a few hundred rounding units at most.
pub fn error_bound(log: f64) -> f64 {
    (512.0 + 4.0 * log.abs()) * f64::EPSILON
}

/// A value `v = e^log h` (`complement` false) or `v = 1 - e^log h` (true), with the bound of
/// its absolute error from [`error_bound`].
fn with_bound(term: f64, log: f64, complement: bool) -> (f64, f64) {
    let bound = error_bound(log) * term.abs() + f64::MIN_POSITIVE;
    if complement {
        (1.0 - term, bound + f64::EPSILON)
    } else {
        (term, bound)
    }
}

/// Iterations allowed to a continued fraction or series before it is declared divergent (each
/// converges in at most a few hundred for the parameters a CDF uses).
const MAX_TERMS: usize = 100_000;

/// The logarithm of the beta prefactor `u^p (1-u)^q / (p B(p, q))` of DLMF 8.17.22.
fn beta_log_prefactor(p: f64, q: f64, u: f64) -> f64 {
    p * u.ln() + q * (-u).ln_1p() - p.ln() - ln_beta(p, q)
}

/// `I_u(p, q)` in double precision, with a bound of its absolute error; NaN outside
/// `0 <= u <= 1`.
pub fn betainc_f64(p: f64, q: f64, u: f64) -> (f64, f64) {
    if u.is_nan() || !(0.0..=1.0).contains(&u) {
        return (f64::NAN, 0.0);
    }
    if u == 0.0 {
        return (0.0, 0.0);
    }
    if u == 1.0 {
        return (1.0, 0.0);
    }
    // The continued fraction converges fast for u < (p + 1)/(p + q + 2); beyond, I_u(p, q) =
    // 1 - I_(1-u)(q, p) (DLMF 8.17.4) with no cancellation, the value being close to 1.
    let complement = u >= (p + 1.0) / (p + q + 2.0);
    let (p, q, u) = if complement {
        (q, p, 1.0 - u)
    } else {
        (p, q, u)
    };
    let log = beta_log_prefactor(p, q, u);
    with_bound(log.exp() * beta_fraction(p, q, u), log, complement)
}

/// The continued fraction `1/(1 + d_1/(1 + d_2/(1 + ...)))` of DLMF 8.17.22 by the modified
/// Lentz method.
fn beta_fraction(p: f64, q: f64, u: f64) -> f64 {
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (p + q) * u / (p + 1.0));
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..MAX_TERMS {
        let m = m as f64;
        // Even step: d_2m = m (q - m) u / ((p + 2m - 1)(p + 2m)).
        let even = m * (q - m) * u / ((p + 2.0 * m - 1.0) * (p + 2.0 * m));
        // Odd step: d_(2m+1) = -(p + m)(p + q + m) u / ((p + 2m)(p + 2m + 1)).
        let odd = -(p + m) * (p + q + m) * u / ((p + 2.0 * m) * (p + 2.0 * m + 1.0));
        for a in [even, odd] {
            d = 1.0 + a * d;
            if d.abs() < tiny {
                d = tiny;
            }
            c = 1.0 + a / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < f64::EPSILON / 4.0 {
            return h;
        }
    }
    f64::NAN
}

/// `P(s, u)` in double precision, with a bound of its absolute error; NaN for `u < 0`.
pub fn gammainc_f64(s: f64, u: f64) -> (f64, f64) {
    if u.is_nan() || u < 0.0 {
        return (f64::NAN, 0.0);
    }
    if u == 0.0 {
        return (0.0, 0.0);
    }
    if u == f64::INFINITY {
        return (1.0, 0.0);
    }
    let log = s * u.ln() - u - ln_gamma(s);
    if u < s + 1.0 {
        // DLMF 8.7.1: P(s, u) = u^s e^(-u) Σ_k u^k / Γ(s + k + 1).
        let (mut term, mut sum) = (1.0 / s, 1.0 / s);
        for k in 1..MAX_TERMS {
            term *= u / (s + k as f64);
            sum += term;
            if term < sum * f64::EPSILON / 4.0 {
                return with_bound(log.exp() * sum, log, false);
            }
        }
        (f64::NAN, f64::NAN)
    } else {
        // DLMF 8.9.2: Γ(s, u) = u^s e^(-u) / (u + 1 - s - 1(1 - s)/(u + 3 - s - ...)), by Lentz.
        let tiny = 1e-300;
        let mut b = u + 1.0 - s;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for k in 1..MAX_TERMS {
            let a = -(k as f64) * (k as f64 - s);
            b += 2.0;
            d = a * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + a / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            h *= d * c;
            if (d * c - 1.0).abs() < f64::EPSILON / 4.0 {
                return with_bound(log.exp() * h, log, true);
            }
        }
        (f64::NAN, f64::NAN)
    }
}

/// `u^(p-1) (1-u)^(q-1) / B(p, q)` in double precision; NaN outside `0 <= u <= 1`.
pub fn betapdf_f64(p: f64, q: f64, u: f64) -> f64 {
    if u.is_nan() || !(0.0..=1.0).contains(&u) {
        return f64::NAN;
    }
    u.powf(p - 1.0) * (1.0 - u).powf(q - 1.0) * (-ln_beta(p, q)).exp()
}

/// `u^(s-1) e^(-u) / Γ(s)` in double precision; NaN for `u < 0`.
pub fn gammapdf_f64(s: f64, u: f64) -> f64 {
    if u.is_nan() || u < 0.0 {
        return f64::NAN;
    }
    u.powf(s - 1.0) * (-u - ln_gamma(s)).exp()
}

/// Enclosures of the special functions on an interval of arguments, for
/// [`crate::interval`]: the incomplete functions are increasing in `u`, so their values at the
/// ends widened by the kernels' error bounds enclose them; the densities are products of powers
/// and an exponential, enclosed by interval arithmetic, times an enclosure of `1/B(p, q)` or
/// `1/Γ(s)`. The argument is first cut to the function's domain (as `sqrt` cuts it to the
/// non-negative reals: rounding may push an end of `[0, 1]` a few ulps out); an argument wholly
/// outside it is undefined.
pub(crate) fn enclose(f: &Func, v: Interval) -> Result<Interval, DomainError> {
    let Some(shapes) = f.shapes() else {
        return Err(DomainError::Unrepresentable);
    };
    let a = shapes.approx();
    let upper = match f {
        Func::BetaInc(_) | Func::BetaPdf(_) => 1.0,
        _ => f64::INFINITY,
    };
    if v.hi < 0.0 || v.lo > upper || v.lo.is_nan() || v.hi.is_nan() {
        return Err(DomainError::Unrepresentable);
    }
    let u = Interval::new(v.lo.max(0.0), v.hi.min(upper));
    let monotone = |value: &dyn Fn(f64) -> (f64, f64)| {
        let ((lo, e_lo), (hi, e_hi)) = (value(u.lo), value(u.hi));
        let (lo, hi) = ((lo - e_lo).max(0.0), (hi + e_hi).min(1.0));
        if lo.is_nan() || hi.is_nan() {
            Err(DomainError::Unrepresentable)
        } else {
            Ok(Interval::new(lo.next_down(), hi.next_up()))
        }
    };
    match f {
        Func::BetaInc(_) => monotone(&|x| betainc_f64(a[0], a[1], x)),
        Func::GammaInc(_) => monotone(&|x| gammainc_f64(a[0], x)),
        Func::BetaPdf(_) => {
            let one_minus = Interval::new((1.0 - u.hi).max(0.0), 1.0 - u.lo);
            let mut left = power(u, &shapes.minus_one(0))?;
            left.binary(BinOp::Mul, &power(one_minus, &shapes.minus_one(1))?)?;
            let ln_b = ln_beta(a[0], a[1]);
            let slack = 8.0 * f64::EPSILON * (1.0 + lgamma_sizes(&[a[0], a[1], a[0] + a[1]]));
            left.binary(BinOp::Mul, &exp_of(-ln_b, slack))?;
            Ok(non_negative(left))
        }
        _ => {
            let mut left = power(u, &shapes.minus_one(0))?;
            let mut decay = u;
            decay.negate()?;
            decay.call(&Func::Exp, &mut ())?;
            left.binary(BinOp::Mul, &decay)?;
            let slack = 8.0 * f64::EPSILON * (1.0 + lgamma_sizes(&[a[0]]));
            left.binary(BinOp::Mul, &exp_of(-ln_gamma(a[0]), slack))?;
            Ok(non_negative(left))
        }
    }
}

/// A density's enclosure cut at zero: a density is non-negative on its domain, which outward
/// rounding of a product with an exact zero (`u^(p-1)` at `u = 0`) would deny.
fn non_negative(v: Interval) -> Interval {
    Interval::new(v.lo.max(0.0), v.hi.max(0.0))
}

/// `u^k` for the exact exponent `k` as an interval (an integer power where `k` is one); for a
/// negative `k` and `u` reaching 0, `[h^k, +inf)` with `h` the upper end (a density's
/// integrable singularity at an end of its domain: positive, unbounded).
fn power(u: Interval, k: &BigRational) -> Result<Interval, DomainError> {
    if u.lo <= 0.0 && k.is_negative() {
        if u.hi <= 0.0 {
            return Err(DomainError::Unrepresentable);
        }
        let mut top = power(Interval::new(u.hi, u.hi), k)?;
        top.hi = f64::INFINITY;
        return Ok(top);
    }
    let mut out = u;
    match small_int(k) {
        Some(k) => out.pow_int(k)?,
        None => out.binary(BinOp::Pow, &Interval::of_rational(k))?,
    }
    Ok(out)
}

/// `Σ |ln Γ(x)|` over `xs`: the scale of the rounding of a sum of `lgamma` values.
fn lgamma_sizes(xs: &[f64]) -> f64 {
    xs.iter().map(|&x| ln_gamma(x).abs()).sum()
}

/// An enclosure of `e^y` for a `y` known to within `slack`.
fn exp_of(y: f64, slack: f64) -> Interval {
    let mut e = Interval::new(y - slack, y + slack);
    // exp is total on the reals: no fault.
    let _ = e.call(&Func::Exp, &mut ());
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `I_u(p, q)` for integer shapes: `Σ_{j=p}^{p+q-1} C(p+q-1, j) u^j (1-u)^(p+q-1-j)`
    /// (DLMF 8.17.5), exactly in doubles for small shapes.
    fn binomial_tail(p: u32, q: u32, u: f64) -> f64 {
        let n = p + q - 1;
        let choose = |k: u32| (0..k).fold(1.0, |c, i| c * f64::from(n - i) / f64::from(i + 1));
        (p..=n)
            .map(|j| choose(j) * u.powi(j as i32) * (1.0 - u).powi((n - j) as i32))
            .sum()
    }

    #[test]
    fn the_incomplete_beta_is_the_binomial_tail_for_integer_shapes() {
        for (p, q) in [(1, 1), (2, 3), (3, 3), (5, 2), (10, 7)] {
            for u in [1e-3, 0.1, 0.37, 0.5, 0.77, 0.999] {
                let (got, bound) = betainc_f64(f64::from(p), f64::from(q), u);
                let want = binomial_tail(p, q, u);
                // The reference sums its own rounding: a few units of its magnitude.
                assert!(
                    (got - want).abs() <= bound + 8.0 * f64::EPSILON * want,
                    "I_{u}({p}, {q}) = {got}, want {want}"
                );
            }
        }
    }

    #[test]
    fn the_arcsine_law_is_beta_of_one_half() {
        // I_u(1/2, 1/2) = (2/pi) asin(sqrt(u)) = 1 - (2/pi) asin(sqrt(1 - u)).
        for u in [1e-8, 0.01, 0.25, 0.5, 0.9, 1.0 - 1e-9] {
            let (got, bound) = betainc_f64(0.5, 0.5, u);
            // Near 1, through 1 - u (exact there): asin's slope is unbounded at 1.
            let want = if u < 0.5 {
                2.0 / std::f64::consts::PI * u.sqrt().asin()
            } else {
                1.0 - 2.0 / std::f64::consts::PI * (1.0 - u).sqrt().asin()
            };
            assert!(
                (got - want).abs() <= bound + 4.0 * f64::EPSILON * want,
                "{u}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn the_incomplete_gamma_of_integer_order_is_a_poisson_tail() {
        // P(n, u) = 1 - e^(-u) Σ_{k<n} u^k / k! (DLMF 8.4.10).
        for n in [1u32, 2, 5, 12] {
            for u in [0.05, 0.7, 3.0, 11.0, 40.0] {
                let (got, bound) = gammainc_f64(f64::from(n), u);
                let mut term = 1.0;
                let mut sum = 1.0;
                for k in 1..n {
                    term *= u / f64::from(k);
                    sum += term;
                }
                let want = 1.0 - (-u).exp() * sum;
                let tol = bound + 16.0 * f64::EPSILON;
                assert!((got - want).abs() <= tol, "P({n}, {u}) = {got} vs {want}");
            }
        }
        // P(1/2, u) = erf(sqrt(u)).
        for u in [1e-6, 0.3, 2.0, 9.0] {
            let (got, bound) = gammainc_f64(0.5, u);
            let want = libm::erf(u.sqrt());
            assert!(
                (got - want).abs() <= bound + 2.0 * f64::EPSILON * want,
                "{u}"
            );
        }
    }

    #[test]
    fn the_densities_integrate_to_the_functions() {
        // Simpson's rule on [0.2, 0.6] against the difference of the CDFs.
        let simpson = |f: &dyn Fn(f64) -> f64, a: f64, b: f64| {
            let n = 2000;
            let h = (b - a) / n as f64;
            (0..=n)
                .map(|i| {
                    let w = if i == 0 || i == n {
                        1.0
                    } else if i % 2 == 1 {
                        4.0
                    } else {
                        2.0
                    };
                    w * f(a + h * i as f64)
                })
                .sum::<f64>()
                * h
                / 3.0
        };
        let (p, q) = (2.5, 3.5);
        let area = simpson(&|u| betapdf_f64(p, q, u), 0.2, 0.6);
        let diff = betainc_f64(p, q, 0.6).0 - betainc_f64(p, q, 0.2).0;
        assert!((area - diff).abs() < 1e-12, "{area} vs {diff}");
        let s = 2.5;
        let area = simpson(&|u| gammapdf_f64(s, u), 0.2, 0.6);
        let diff = gammainc_f64(s, 0.6).0 - gammainc_f64(s, 0.2).0;
        assert!((area - diff).abs() < 1e-12, "{area} vs {diff}");
    }
}

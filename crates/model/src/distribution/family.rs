//! Named families of type distributions (uniform, power, Beta, truncated exponential, truncated
//! normal and lognormal, Kumaraswamy), each expanded into its CDF expression on a support
//! `[a, b]`.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use num_bigint::BigInt;
use num_integer::binomial;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::expr::{Expr, Func, Shapes};

/// A named family of distributions, expanded into a CDF expression on its support.
#[derive(Clone, Debug, PartialEq)]
pub enum Family {
    /// `F(x) = (x - a) / (b - a)`.
    Uniform,
    /// `F(x) = ((x - a) / (b - a))^k`, `k > 0`.
    Power {
        /// The exponent.
        k: BigRational,
    },
    /// The Beta(p, q) distribution, `p, q > 0`: the regularised incomplete beta function
    /// `betainc(p, q, t)` in `t = (x - a)/(b - a)`. With integer shapes up to
    /// [`POLYNOMIAL_SHAPES`] it is written as the polynomial
    /// `sum_{j=p}^{p+q-1} C(p+q-1, j) t^j (1-t)^(p+q-1-j)` (DLMF 8.17.5), which exact algebra
    /// and the exact monotonicity certificate read; Beta(2, 2) gives `3 t^2 - 2 t^3`.
    Beta {
        /// First shape parameter.
        p: BigRational,
        /// Second shape parameter.
        q: BigRational,
    },
    /// The exponential distribution with rate `lambda` truncated to `[a, b]`:
    /// `F(x) = (1 - exp(-lambda (x - a))) / (1 - exp(-lambda (b - a)))`, `lambda != 0`.
    TruncatedExponential {
        /// The rate.
        lambda: BigRational,
    },
    /// The normal distribution with mean `mean` and standard deviation `sd > 0` truncated to
    /// `[a, b]`: with `z(x) = (x - mean)/(sd sqrt 2)`,
    /// `F(x) = (erfc(z(a)) - erfc(z(x))) / (erfc(z(a)) - erfc(z(b)))`, written with `erfc` of the
    /// negated arguments when the support's midpoint lies below the mean, so that a support in
    /// either tail loses no digits to `erf`'s approach to ±1.
    TruncatedNormal {
        /// The mean of the normal before truncation.
        mean: BigRational,
        /// Its standard deviation (positive).
        sd: BigRational,
    },
    /// The lognormal distribution (`log x` normal with mean `mu` and standard deviation
    /// `sigma > 0`) truncated to `[a, b]`, `a > 0`: [`Family::TruncatedNormal`] in `log x`.
    TruncatedLognormal {
        /// The mean of `log x` before truncation.
        mu: BigRational,
        /// The standard deviation of `log x` (positive).
        sigma: BigRational,
    },
    /// Kumaraswamy's distribution with shapes `alpha, beta > 0`:
    /// `F(x) = 1 - (1 - t^alpha)^beta` in `t = (x - a)/(b - a)`.
    Kumaraswamy {
        /// The first shape.
        alpha: BigRational,
        /// The second shape.
        beta: BigRational,
    },
}

impl Family {
    /// The family's CDF on `[a, b]`.
    pub fn cdf(&self, a: &Expr, b: &Expr) -> Expr {
        let t = Expr::Var.sub(a.clone()).div(b.clone().sub(a.clone()));
        match self {
            Family::Uniform => t,
            Family::Power { k } => t.pow(Expr::Num(k.clone())),
            Family::Beta { p, q } => {
                let (Some(p), Some(q)) = (polynomial_shape(p), polynomial_shape(q)) else {
                    return t.call(Func::BetaInc(Shapes::new(vec![p.clone(), q.clone()])));
                };
                let coefficients = beta_cdf_coefficients(p, q);
                let mut sum: Option<Expr> = None;
                for (i, c) in coefficients.into_iter().enumerate() {
                    if c.is_zero() {
                        continue;
                    }
                    let monomial = t.clone().pow(Expr::int(i as i64));
                    let (term, negative) = if c.is_negative() {
                        (Expr::Num(-c).mul(monomial), true)
                    } else {
                        (Expr::Num(c).mul(monomial), false)
                    };
                    sum = Some(match (sum, negative) {
                        (None, false) => term,
                        (None, true) => term.neg(),
                        (Some(s), false) => s.add(term),
                        (Some(s), true) => s.sub(term),
                    });
                }
                sum.unwrap_or_else(|| Expr::int(0))
            }
            Family::TruncatedExponential { lambda } => {
                let rate = Expr::Num(-lambda.clone());
                let numerator =
                    Expr::int(1).sub(rate.clone().mul(Expr::Var.sub(a.clone())).call(Func::Exp));
                let denominator =
                    Expr::int(1).sub(rate.mul(b.clone().sub(a.clone())).call(Func::Exp));
                numerator.div(denominator)
            }
            Family::TruncatedNormal { mean, sd } => truncated_normal(mean, sd, a, b, |x| x),
            Family::TruncatedLognormal { mu, sigma } => {
                truncated_normal(mu, sigma, a, b, |x| x.call(Func::Log))
            }
            Family::Kumaraswamy { alpha, beta } => Expr::int(1).sub(
                Expr::int(1)
                    .sub(t.pow(Expr::Num(alpha.clone())))
                    .pow(Expr::Num(beta.clone())),
            ),
        }
    }

    /// The family's name as written in specs.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Uniform => "uniform",
            Family::Power { .. } => "power",
            Family::Beta { .. } => "beta",
            Family::TruncatedExponential { .. } => "truncated_exponential",
            Family::TruncatedNormal { .. } => "truncated_normal",
            Family::TruncatedLognormal { .. } => "truncated_lognormal",
            Family::Kumaraswamy { .. } => "kumaraswamy",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Uniform => f.write_str("uniform"),
            Family::Power { k } => write!(f, "power(k = {})", Expr::Num(k.clone())),
            Family::Beta { p, q } => write!(
                f,
                "beta({}, {})",
                Expr::Num(p.clone()),
                Expr::Num(q.clone())
            ),
            Family::TruncatedExponential { lambda } => {
                write!(
                    f,
                    "truncated exponential(lambda = {})",
                    Expr::Num(lambda.clone())
                )
            }
            Family::TruncatedNormal { mean, sd } => write!(
                f,
                "truncated normal(mean = {}, sd = {})",
                Expr::Num(mean.clone()),
                Expr::Num(sd.clone())
            ),
            Family::TruncatedLognormal { mu, sigma } => write!(
                f,
                "truncated lognormal(mu = {}, sigma = {})",
                Expr::Num(mu.clone()),
                Expr::Num(sigma.clone())
            ),
            Family::Kumaraswamy { alpha, beta } => write!(
                f,
                "kumaraswamy({}, {})",
                Expr::Num(alpha.clone()),
                Expr::Num(beta.clone())
            ),
        }
    }
}

/// The truncated normal's CDF on `[a, b]` in the variable `t(x)` (`x` itself, or `log x` for the
/// lognormal; see [`Family::TruncatedNormal`]).
fn truncated_normal(
    mean: &BigRational,
    sd: &BigRational,
    a: &Expr,
    b: &Expr,
    t: impl Fn(Expr) -> Expr,
) -> Expr {
    let scale = Expr::Num(sd.clone()).mul(Expr::int(2).call(Func::Sqrt));
    let z = |x: Expr| t(x).sub(Expr::Num(mean.clone())).div(scale.clone());
    let midpoint = (t(a.clone()).eval_f64(0.0) + t(b.clone()).eval_f64(0.0)) / 2.0;
    // In the upper half erfc(z) is small and accurate; in the lower half erfc(-z) is.
    let upper = midpoint >= crate::expr::rational_to_f64(mean);
    let tail = |x: Expr| {
        let z = z(x);
        if upper { z } else { z.neg() }.call(Func::Erfc)
    };
    let (ta, tb, tx) = (tail(a.clone()), tail(b.clone()), tail(Expr::Var));
    if upper {
        ta.clone().sub(tx).div(ta.sub(tb))
    } else {
        tx.sub(ta.clone()).div(tb.sub(ta))
    }
}

/// Coefficients of `t^0, t^1, ...` in the Beta(p, q) CDF with integer shapes.
fn beta_cdf_coefficients(p: u32, q: u32) -> Vec<BigRational> {
    let n = (p as usize + q as usize).saturating_sub(1);
    let mut c = vec![BigInt::zero(); n + 1];
    for j in p as usize..=n {
        // C(n, j) t^j (1 - t)^(n - j) = C(n, j) sum_l C(n-j, l) (-1)^l t^(j + l)
        let outer = binomial(BigInt::from(n), BigInt::from(j));
        for (l, slot) in c.iter_mut().skip(j).enumerate() {
            let term = &outer * binomial(BigInt::from(n - j), BigInt::from(l));
            if l % 2 == 0 {
                *slot += term;
            } else {
                *slot -= term;
            }
        }
    }
    c.into_iter().map(BigRational::from_integer).collect()
}

/// Largest integer Beta shape whose CDF is written as a polynomial (of degree `p + q - 1`);
/// larger or non-integer shapes use `betainc`.
pub const POLYNOMIAL_SHAPES: u32 = 1000;

/// `q` as the shape of a polynomial Beta CDF: a positive integer up to [`POLYNOMIAL_SHAPES`].
fn polynomial_shape(q: &BigRational) -> Option<u32> {
    use num_traits::ToPrimitive;
    (q.is_integer() && q.is_positive())
        .then(|| q.to_integer().to_u32())
        .flatten()
        .filter(|s| *s <= POLYNOMIAL_SHAPES)
}

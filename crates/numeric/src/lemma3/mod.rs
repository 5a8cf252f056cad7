//! Lemma 3 in numbers, and the growth of beta* that Theorem 3 rests on.
//!
//! Near the upper end, `1 - F(b - d) = c d^alpha + O(d^(alpha+1))` with `alpha` the order of the
//! first non-vanishing derivative of `F` at `b` and `c = (-1)^(alpha+1) F^(alpha)(b) / alpha!`.
//! From this:
//!
//! * (L3-1): in the market of `N = m n` agents where `m` agents hold `1/m` each, the critical
//!   type satisfies `F(v*)^(N-1) = 1/m`, so `b - v* ~ A1 (log m / (N-1))^(1/alpha)` with
//!   `A1 = c^(-1/alpha)`;
//! * (L3-2): Laplace's method gives `∫_a^b F^N dp ~ A2 N^(-1/alpha)` with
//!   `A2 = ∫_0^∞ e^(-c t^alpha) dt = Γ(1 + 1/alpha) c^(-1/alpha)`. The paper's proof of (L3-2)
//!   instead arrives at `Σ_{k>=1} e^(-c k^alpha)`, a Riemann sum of that integral with unit step
//!   (see (L3-4) and the display after it); both are computed so the report can compare them;
//! * Theorem 3: `T1 + T2 -> mu - b` while `N T1 ~ N^(1 - 1/alpha) A1 (log N)^(1/alpha)`, so
//!   `beta* ~ s N^(1 - 1/alpha) (log N)^(1/alpha)` with `s = A1 / (b - mu)`.
//!
//! `alpha` and `c` come from Taylor arithmetic on the CDF's expression ([`crate::taylor`]) at the
//! working precision, with a stated zero test; every constant is certified by recomputation at a
//! second precision.
//!
//! **Beyond the paper: real `alpha`.** The paper assumes `F` analytic, so `alpha` is an integer.
//! When `F` has no Taylor series at `b` (`1 - sqrt(1 - x)`, Kumaraswamy's `1 - (1 - x^a)^q`, a Beta
//! CDF with a real second shape), `1 - F(b - d) = c d^alpha (1 + o(1))` is read off the
//! generalized series of `F` at `b` in rational powers of `d` ([`crate::puiseux`]): `alpha` is then
//! an exact positive rational, and every formula above holds as written (Laplace's method,
//! (L3-1) and the growth law need `1 - F ~ c d^alpha` alone, not analyticity). `F^(alpha)(b)` has
//! no meaning for a non-integer `alpha` and is not given. For `alpha < 1` the growth law
//! `beta* ~ s N^(1 - 1/alpha) (log N)^(1/alpha)` tends to zero: Theorem 3's conclusion, that
//! `beta*` grows without bound, needs `alpha >= 1`.

use efftrade_model::{BigRational, Distribution};
use rug::ops::Pow;
use rug::{Float, Integer};

use crate::NumericError;
use crate::certified::{Certified, bits_for_digits};
use crate::engine::Engine;
use crate::fit::{Line, fit_line};
use crate::quantities::{Bounded, certify, critical_type, two_precisions};
use crate::support::upper_end;
use crate::taylor::series;

mod alpha;
mod paper;

pub use alpha::Alpha;
use paper::paper_sum;

/// Highest order of derivative examined when looking for `alpha`.
pub const MAX_ORDER: u32 = 40;

/// The local behaviour of `F` at `b` and the constants of Lemma 3.
#[derive(Clone, Debug)]
pub struct Expansion {
    /// Order of the first non-vanishing derivative of `F` at `b`, or the exact rational exponent
    /// of `1 - F(b - d) ~ c d^alpha` when `F` has no Taylor series at `b`.
    pub alpha: Alpha,
    /// A Taylor coefficient counted as zero when its magnitude is below `2^-zero_bits` times the
    /// largest lower-order coefficient (and 1), computed at twice that precision (for a
    /// generalized series: a cancellation below `2^-zero_bits` of its operands).
    pub zero_bits: u32,
    /// Whether `alpha` and `c` come from the generalized series ([`crate::puiseux`]) because `F`
    /// has no Taylor series at `b`.
    pub generalized: bool,
    /// `F^(alpha)(b)`, for an integer `alpha`.
    pub derivative: Option<Certified>,
    /// `c` in `1 - F(b - d) ~ c d^alpha`.
    pub c: Certified,
    /// `A1 = c^(-1/alpha)` of (L3-1).
    pub a1: Certified,
    /// `A2 = Γ(1 + 1/alpha) c^(-1/alpha)` of (L3-2), by Laplace's method.
    pub a2: Certified,
    /// `Σ_{k>=1} e^(-c k^alpha)`, the value the paper's proof of (L3-2) arrives at.
    pub a2_paper: Certified,
    /// The upper end `b`.
    pub b: Certified,
}

impl Expansion {
    /// Whether the paper's value of `A2` agrees with Laplace's to the certified digits.
    pub fn paper_a2_agrees(&self) -> bool {
        let digits = self.a2.digits().min(self.a2_paper.digits());
        digits > 0 && self.a2.to_decimal_at(digits) == self.a2_paper.to_decimal_at(digits)
    }
}

struct Constants {
    alpha: Alpha,
    generalized: bool,
    derivative: Option<Float>,
    c: Float,
    a1: Float,
    a2: Float,
    a2_paper: Float,
    b: Float,
}

/// `alpha`, `c`, `A1`, `A2` and the paper's `A2` at `prec` bits; coefficients are tested for
/// zero against `2^-zero_bits` (with `prec >= 2 zero_bits`).
fn constants(dist: &Distribution, prec: u32, zero_bits: u32) -> Result<Constants, NumericError> {
    let b = upper_end(dist, prec)?;
    let minus_one = Float::with_val(prec, -1);
    let s = match series(&dist.cdf(), &b, &minus_one, MAX_ORDER as usize + 1) {
        Ok(s) => s,
        Err(e) => {
            return generalized(dist, b, prec, zero_bits).map_err(|reason| NumericError::Lemma3 {
                reason: format!("the CDF has no Taylor series at b: {e}; {reason}"),
            });
        }
    };
    let mut scale = Float::with_val(prec, 1);
    let mut alpha = None;
    for (k, coefficient) in s.iter().enumerate().skip(1) {
        let threshold = Float::with_val(
            prec,
            &scale * Float::with_val(prec, Float::i_exp(1, -(zero_bits as i32))),
        );
        if coefficient.clone().abs() > threshold {
            alpha = Some(k as u32);
            break;
        }
        scale = scale.max(&coefficient.clone().abs());
    }
    let alpha = alpha.ok_or_else(|| NumericError::Lemma3 {
        reason: format!(
            "every derivative of F at b up to order {MAX_ORDER} vanishes (to 2^-{zero_bits}); \
             Lemma 3 needs a finite alpha"
        ),
    })?;
    // F(b - d) = 1 + Σ s_k d^k, so c = -s_alpha and F^(alpha)(b) = (-1)^alpha alpha! s_alpha.
    let sa = s[alpha as usize].clone();
    let c = Float::with_val(prec, -&sa);
    if !c.is_sign_positive() || c.is_zero() {
        return Err(NumericError::Lemma3 {
            reason: format!(
                "the first non-vanishing derivative of F at b (order {alpha}) has the sign of a \
                 decreasing F"
            ),
        });
    }
    let factorial = Float::with_val(prec, Integer::from(Integer::factorial(alpha)));
    let mut derivative = Float::with_val(prec, &sa * &factorial);
    if alpha % 2 == 1 {
        derivative = -derivative;
    }
    laplace(Alpha::from(alpha), c, b, Some(derivative), prec)
}

/// The constants from `alpha` and `c`: `A1 = c^(-1/alpha)`, `A2 = Γ(1 + 1/alpha) A1` and the
/// paper's sum.
fn laplace(
    alpha: Alpha,
    c: Float,
    b: Float,
    derivative: Option<Float>,
    prec: u32,
) -> Result<Constants, NumericError> {
    let a1 = alpha.root_of(&c).recip();
    let inv_alpha = alpha.inverse(prec);
    let gamma = Float::with_val(prec, &inv_alpha + 1u32).gamma();
    let a2 = Float::with_val(prec, &gamma * &a1);
    let a2_paper = paper_sum(&c, alpha, prec)?;
    Ok(Constants {
        alpha,
        generalized: derivative.is_none(),
        derivative,
        c,
        a1,
        a2,
        a2_paper,
        b,
    })
}

/// `alpha` and `c` from the generalized series of `F` at `b` (when `F` has no Taylor series
/// there), known to `O(d^MAX_ORDER)`; or why they are not determined.
fn generalized(
    dist: &Distribution,
    b: Float,
    prec: u32,
    zero_bits: u32,
) -> Result<Constants, String> {
    let (alpha, c) = crate::puiseux::upper_tail(&dist.cdf(), &b, MAX_ORDER, zero_bits)
        .map_err(|e| format!("nor a generalized series that fixes alpha: {e}"))?;
    let (num, den) = (alpha.numer().to_u32(), alpha.denom().to_u32());
    let alpha = num
        .zip(den)
        .and_then(|(n, d)| Alpha::new(n, d))
        .ok_or_else(|| format!("alpha = {alpha} is out of range"))?;
    laplace(alpha, c, b, None, prec).map_err(|e| e.to_string())
}

/// `alpha`, `c`, `A1`, `A2` (Laplace) and the paper's `A2`, to `digits` certified digits.
pub fn expansion(dist: &Distribution, digits: u32) -> Result<Expansion, NumericError> {
    crate::quantities::check_digits(digits)?;
    let zero_bits = bits_for_digits(digits, 64).max(256);
    let coarse_prec = 2 * zero_bits;
    let fine_prec = coarse_prec + 64;
    let coarse = constants(dist, coarse_prec, zero_bits)?;
    let fine = constants(dist, fine_prec, zero_bits)?;
    if coarse.alpha != fine.alpha || coarse.generalized != fine.generalized {
        return Err(NumericError::Lemma3 {
            reason: format!(
                "the order of the first non-vanishing derivative at b is {} at {coarse_prec} bits \
                 but {} at {fine_prec} bits",
                coarse.alpha, fine.alpha
            ),
        });
    }
    let pair = |c: &Float, f: &Float| Certified::from_pair(c, f, digits);
    Ok(Expansion {
        alpha: fine.alpha,
        zero_bits,
        generalized: fine.generalized,
        derivative: coarse
            .derivative
            .as_ref()
            .zip(fine.derivative.as_ref())
            .map(|(c, f)| pair(c, f)),
        c: pair(&coarse.c, &fine.c),
        a1: pair(&coarse.a1, &fine.a1),
        a2: pair(&coarse.a2, &fine.a2),
        a2_paper: pair(&coarse.a2_paper, &fine.a2_paper),
        b: pair(&coarse.b, &fine.b),
    })
}

/// One row of Lemma 3's convergence table: the market of `N = 10^k` agents where `m = N/2` agents
/// hold `1/m` each (the replication of the two-agent market with shares `(1, 0)`).
#[derive(Clone, Debug)]
pub struct Row {
    /// `N`.
    pub n: u128,
    /// `m = N / 2`.
    pub m: u128,
    /// `∫_a^b F^N dp`.
    pub integral: Certified,
    /// `N^(1/alpha) ∫_a^b F^N dp`, which tends to `A2` by (L3-2).
    pub scaled_integral: Certified,
    /// `b - v*` for the share `1/m`.
    pub gap: Certified,
    /// `(b - v*) / (log m / (N - 1))^(1/alpha)`, which tends to `A1` by (L3-1).
    pub scaled_gap: Certified,
}

/// Estimates of `alpha` and `A2` from the table alone: the least-squares line through
/// `(log N, log ∫F^N)` over the rows with `N >= from`, whose slope is `-1/alpha` and whose
/// intercept is `log A2`.
#[derive(Clone, Debug)]
pub struct Fitted {
    /// Smallest `N` fitted.
    pub from: u128,
    /// The line.
    pub line: Line,
    /// `-1 / slope`.
    pub alpha: Certified,
    /// `exp(intercept)`.
    pub a2: Certified,
}

/// Lemma 3 for one distribution: the constants, the convergence table and the fit.
#[derive(Clone, Debug)]
pub struct Lemma3 {
    /// The constants.
    pub expansion: Expansion,
    /// One row per `N = 10^k`.
    pub rows: Vec<Row>,
    /// The fit over the larger half of the rows.
    pub fitted: Option<Fitted>,
}

fn ten_pow(k: u32) -> u128 {
    10u128.pow(k)
}

fn row_values(e: &mut Engine, alpha: Alpha, n: u128) -> Result<[Bounded; 4], NumericError> {
    let prec = e.prec();
    let m = n / 2;
    let a = e.a.clone();
    // For a non-integer alpha the layer of large markets comes from its generalized series
    // ([`crate::fractional_layer`], through the engine's integrals of powers); quadrature in x
    // alone does not reach the tolerance there.
    let integral = if alpha.integer().is_some() {
        e.power_integral(&Integer::from(n), &a)?
    } else {
        e.powers(&Integer::from(n), &[])?.i_n
    };
    let share = BigRational::new(1.into(), m.into());
    let v = critical_type(e, &share, n)?;
    let n_root = alpha.root_of(&Float::with_val(prec, Integer::from(n)));
    let scaled = Bounded {
        value: Float::with_val(prec, &integral.value * &n_root),
        error: Float::with_val(prec, &integral.error * &n_root),
    };
    let gap = Float::with_val(prec, &e.b - &v);
    let log_m = Float::with_val(prec, Integer::from(m)).ln();
    let base = Float::with_val(prec, log_m / Float::with_val(prec, Integer::from(n - 1)));
    let scaled_gap = Float::with_val(prec, &gap / alpha.root_of(&base));
    let exact = |value: Float| Bounded {
        error: Float::new(value.prec()),
        value,
    };
    Ok([
        Bounded {
            value: integral.value,
            error: integral.error,
        },
        scaled,
        exact(gap),
        exact(scaled_gap),
    ])
}

/// The convergence row for `N = 10^k`, to `digits` certified digits (raising the precision until
/// they are reached).
pub fn row(
    dist: &Distribution,
    alpha: impl Into<Alpha>,
    k: u32,
    digits: u32,
) -> Result<Row, NumericError> {
    let alpha = alpha.into();
    if !(1..=38).contains(&k) {
        return Err(NumericError::Lemma3 {
            reason: format!("N = 10^{k} is outside 10^1 .. 10^38"),
        });
    }
    let n = ten_pow(k);
    two_precisions(
        dist,
        digits,
        n,
        &format!("Lemma 3's row for N = 10^{k}"),
        |e| row_values(e, alpha, n),
        |coarse, fine, _| {
            let c: Vec<Certified> = coarse
                .iter()
                .zip(&fine)
                .map(|(c, f)| certify(c, f, digits))
                .collect();
            let least = c.iter().map(|c| c.digits()).min().unwrap_or(0);
            if least < digits {
                return Err(least);
            }
            let mut c = c.into_iter();
            let mut next = || c.next().expect("four values");
            Ok(Row {
                n,
                m: n / 2,
                integral: next(),
                scaled_integral: next(),
                gap: next(),
                scaled_gap: next(),
            })
        },
    )
}

/// Fits `log ∫F^N = log A2 - (1/alpha) log N` over the rows with `N >= from`.
pub fn fit_rows(rows: &[Row], from: u128, digits: u32) -> Option<Fitted> {
    let used: Vec<&Row> = rows.iter().filter(|r| r.n >= from).collect();
    let prec = used.iter().map(|r| r.integral.value().prec()).min()?;
    let xs: Vec<Float> = used
        .iter()
        .map(|r| Float::with_val(prec, Integer::from(r.n)).ln())
        .collect();
    let ys: Vec<Float> = used
        .iter()
        .map(|r| Float::with_val(prec, r.integral.value().ln_ref()))
        .collect();
    let line = fit_line(&xs, &ys, digits)?;
    // Functions of the fitted values, certified the same way: from the double-precision and the
    // MPFR fits.
    let (slope_f64, intercept_f64) = line.double;
    let alpha = Certified::from_pair(
        &Float::with_val(prec, -1.0 / slope_f64),
        &-Float::with_val(prec, line.slope.value().recip_ref()),
        digits,
    );
    let a2 = Certified::from_pair(
        &Float::with_val(prec, intercept_f64.exp()),
        &Float::with_val(prec, line.intercept.value().exp_ref()),
        digits,
    );
    Some(Fitted {
        from,
        line,
        alpha,
        a2,
    })
}

/// The fit of a convergence table: over the rows with `N >= 10^10` when there are at least three,
/// else over the larger half of the rows ([`fit_rows`]).
pub fn fit_table(rows: &[Row], digits: u32) -> Option<Fitted> {
    let mut sorted: Vec<u128> = rows.iter().map(|r| r.n).collect();
    sorted.sort_unstable();
    let from = if sorted.iter().filter(|&&n| n >= ten_pow(10)).count() >= 3 {
        ten_pow(10)
    } else {
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    };
    fit_rows(rows, from, digits)
}

/// Lemma 3 for `dist`: constants, the rows `N = 10^k` for each `k` in `exponents`, and the fit
/// over the rows with `N >= 10^10` (or the larger half when the table stops earlier). `tick` is
/// called after each row.
pub fn lemma3(
    dist: &Distribution,
    exponents: &[u32],
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Result<Lemma3, NumericError> {
    use rayon::prelude::*;
    let expansion = expansion(dist, digits)?;
    let alpha = expansion.alpha;
    let rows = exponents
        .par_iter()
        .map(|&k| {
            let r = row(dist, alpha, k, digits);
            tick();
            r
        })
        .collect::<Result<Vec<Row>, NumericError>>()?;
    let fitted = fit_table(&rows, digits);
    Ok(Lemma3 {
        expansion,
        rows,
        fitted,
    })
}

/// Theorem 3's growth law for a family of replications: the least-squares line of
/// `beta* / N^(1 - 1/alpha)` against `(log N)^(1/alpha)`, whose slope Lemma 3 predicts to be
/// `A1 / (b - mu)`.
#[derive(Clone, Debug)]
pub struct Growth {
    /// `alpha` of the distribution.
    pub alpha: Alpha,
    /// Smallest `N` fitted.
    pub from: u128,
    /// The fitted line.
    pub line: Line,
    /// `A1 / (b - mu)`.
    pub predicted_slope: Certified,
    /// `|fitted - predicted| / predicted`.
    pub relative_difference: f64,
}

/// Fits Theorem 3's growth law to `(N, beta*)` pairs, using the larger half of the `N` (at least
/// three points); `mu` is the distribution's mean.
pub fn beta_star_growth(
    expansion: &Expansion,
    mu: &Certified,
    points: &[(u128, Float)],
    digits: u32,
) -> Option<Growth> {
    let mut points: Vec<&(u128, Float)> = points.iter().collect();
    points.sort_by_key(|p| p.0);
    if points.len() < 3 {
        return None;
    }
    let used = &points[(points.len() / 2).min(points.len() - 3)..];
    let alpha = expansion.alpha;
    let prec = used.iter().map(|p| p.1.prec()).min()?;
    let inv_alpha = alpha.inverse(prec);
    let xs: Vec<Float> = used
        .iter()
        .map(|(n, _)| {
            let log_n = Float::with_val(prec, Integer::from(*n)).ln();
            log_n.pow(&inv_alpha)
        })
        .collect();
    let ys: Vec<Float> = used
        .iter()
        .map(|(n, beta)| {
            let power = alpha.root_of(&Float::with_val(prec, Integer::from(*n)));
            let scale = Float::with_val(prec, Integer::from(*n)) / power;
            Float::with_val(prec, beta / scale)
        })
        .collect();
    let line = fit_line(&xs, &ys, digits)?;
    let gap = Float::with_val(prec, expansion.b.value() - mu.value());
    let predicted = Float::with_val(prec, expansion.a1.value() / &gap);
    let predicted_slope = Certified::derived(
        predicted.clone(),
        expansion
            .a1
            .digits()
            .min(mu.digits())
            .min(expansion.b.digits())
            .saturating_sub(1),
        &[&expansion.a1, mu, &expansion.b],
    );
    let relative_difference = Float::with_val(
        64,
        Float::with_val(prec, line.slope.value() - &predicted) / &predicted,
    )
    .abs()
    .to_f64();
    Some(Growth {
        alpha,
        from: used[0].0,
        line,
        predicted_slope,
        relative_difference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certified::round_decimal;
    use crate::testing::dist;

    #[test]
    fn the_uniform_has_alpha_one_and_unit_constants() {
        let e = expansion(&dist("{family: uniform}"), 40).unwrap();
        assert_eq!(e.alpha, 1);
        let one = "1.".to_string() + &"0".repeat(39);
        assert_eq!(e.c.to_decimal(), one);
        assert_eq!(e.a1.to_decimal(), one);
        assert_eq!(e.a2.to_decimal(), one);
        // The paper's value, Σ e^-k = 1/(e - 1).
        let want = Float::with_val(300, 1).exp() - 1u32;
        assert_eq!(e.a2_paper.to_decimal(), round_decimal(&want.recip(), 40));
        assert!(!e.paper_a2_agrees());
    }

    #[test]
    fn a_flat_top_has_alpha_three_and_a2_gamma_four_thirds() {
        let e = expansion(&dist("{cdf: \"1 - (1 - x)^3\", support: [0, 1]}"), 40).unwrap();
        assert_eq!(e.alpha, 3);
        assert_eq!(e.c.to_decimal(), "1.".to_string() + &"0".repeat(39));
        assert_eq!(
            e.derivative
                .as_ref()
                .map(Certified::to_decimal)
                .unwrap_or_default(),
            "6.".to_string() + &"0".repeat(39)
        );
        let gamma = Float::with_val(300, 4) / 3u32;
        assert_eq!(e.a2.to_decimal(), round_decimal(&gamma.gamma(), 40));
    }
}

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

/// Highest order of derivative examined when looking for `alpha`.
pub const MAX_ORDER: u32 = 40;

/// The local behaviour of `F` at `b` and the constants of Lemma 3.
#[derive(Clone, Debug)]
pub struct Expansion {
    /// Order of the first non-vanishing derivative of `F` at `b`.
    pub alpha: u32,
    /// A Taylor coefficient counted as zero when its magnitude is below `2^-zero_bits` times the
    /// largest lower-order coefficient (and 1), computed at twice that precision.
    pub zero_bits: u32,
    /// `F^(alpha)(b)`.
    pub derivative: Certified,
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
    alpha: u32,
    derivative: Float,
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
    let s = series(&dist.cdf(), &b, &minus_one, MAX_ORDER as usize + 1).map_err(|e| {
        NumericError::Lemma3 {
            reason: format!("the CDF has no Taylor series at b: {e}"),
        }
    })?;
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
    let a1 = Float::with_val(prec, c.clone().root(alpha)).recip();
    let inv_alpha = Float::with_val(prec, 1) / alpha;
    let gamma = Float::with_val(prec, &inv_alpha + 1u32).gamma();
    let a2 = Float::with_val(prec, &gamma * &a1);
    let a2_paper = paper_sum(&c, alpha, prec)?;
    Ok(Constants {
        alpha,
        derivative,
        c,
        a1,
        a2,
        a2_paper,
        b,
    })
}

/// `Σ_{k>=1} e^(-c k^alpha)` at `prec` bits, the value the paper's proof of (L3-2) arrives at.
///
/// * `alpha = 1`: the geometric series, `1 / (e^c - 1)`.
/// * Terms up to about `((prec + 8) ln 2 / c)^(1/alpha)` when that is at most [`DIRECT_TERMS`]:
///   summed one by one until a term is below `2^-(prec + 8)` of the sum.
/// * Otherwise (`c` so small that millions of terms count): the expansion of the sum in powers
///   of `c` (Euler-Maclaurin from 0, where every derivative of `e^(-c t^alpha)` is known),
///   `Σ = Γ(1 + 1/alpha) c^(-1/alpha) + Σ_(i >= 0) ζ(-alpha i) (-c)^i / i!`; for even `alpha`
///   every term after `ζ(0) = -1/2` vanishes. It is summed until a term is below
///   `2^-(prec + 8)` of the sum (what it leaves out is smaller than any power of `c`); should its
///   terms grow first, the sum is refused rather than guessed.
fn paper_sum(c: &Float, alpha: u32, prec: u32) -> Result<Float, NumericError> {
    if alpha == 1 {
        return Ok(Float::with_val(prec, c.exp_m1_ref()).recip());
    }
    let small = Float::with_val(prec, Float::i_exp(1, -(prec as i32) - 8));
    let log_sum = (-c.to_f64().ln() / f64::from(alpha)).max(0.0);
    let reach = ((f64::from(prec + 8) * std::f64::consts::LN_2 + log_sum) / c.to_f64())
        .powf(1.0 / f64::from(alpha));
    if reach <= DIRECT_TERMS as f64 {
        let mut sum = Float::new(prec);
        for k in 1..=2 * DIRECT_TERMS {
            let power = Float::with_val(prec, Float::with_val(prec, k).pow(alpha));
            let term = Float::with_val(prec, -Float::with_val(prec, c * power)).exp();
            sum += &term;
            if term < Float::with_val(prec, &sum * &small) {
                return Ok(sum);
            }
        }
    } else {
        let inv_alpha = Float::with_val(prec, 1) / alpha;
        let leading = Float::with_val(prec, &inv_alpha + 1u32).gamma()
            / Float::with_val(prec, c.clone().root(alpha));
        let mut sum = Float::with_val(prec, leading - 0.5f64);
        if alpha.is_multiple_of(2) {
            return Ok(sum);
        }
        // (-c)^i / i!
        let mut power = Float::with_val(prec, 1);
        let mut last: Option<Float> = None;
        for i in 1..=400u32 {
            power *= Float::with_val(prec, -c);
            power /= i;
            let n = alpha * i;
            if n.is_multiple_of(2) {
                continue;
            }
            let zeta = Float::with_val(prec, -i64::from(n)).zeta();
            let term = Float::with_val(prec, &zeta * &power);
            sum += &term;
            let size = Float::with_val(prec, term.abs_ref());
            if size < Float::with_val(prec, sum.abs_ref()) * &small {
                return Ok(sum);
            }
            if last.as_ref().is_some_and(|l| size > *l) {
                break;
            }
            last = Some(size);
        }
    }
    Err(NumericError::NotConverged {
        what: format!(
            "the sum Σ e^(-c k^{alpha}) of the paper's proof of (L3-2) with c = {:.6e}",
            c.to_f64()
        ),
    })
}

/// Most terms of the paper's sum taken one by one ([`paper_sum`]).
const DIRECT_TERMS: u64 = 4096;

/// `alpha`, `c`, `A1`, `A2` (Laplace) and the paper's `A2`, to `digits` certified digits.
pub fn expansion(dist: &Distribution, digits: u32) -> Result<Expansion, NumericError> {
    crate::quantities::check_digits(digits)?;
    let zero_bits = bits_for_digits(digits, 64).max(256);
    let coarse_prec = 2 * zero_bits;
    let fine_prec = coarse_prec + 64;
    let coarse = constants(dist, coarse_prec, zero_bits)?;
    let fine = constants(dist, fine_prec, zero_bits)?;
    if coarse.alpha != fine.alpha {
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
        derivative: pair(&coarse.derivative, &fine.derivative),
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

fn row_values(e: &mut Engine, alpha: u32, n: u128) -> Result<[Bounded; 4], NumericError> {
    let prec = e.prec();
    let m = n / 2;
    let a = e.a.clone();
    let integral = e.power_integral(&Integer::from(n), &a)?;
    let share = BigRational::new(1.into(), m.into());
    let v = critical_type(e, &share, n)?;
    let n_root = Float::with_val(prec, Integer::from(n)).root(alpha);
    let scaled = Bounded {
        value: Float::with_val(prec, &integral.value * &n_root),
        error: Float::with_val(prec, &integral.error * &n_root),
    };
    let gap = Float::with_val(prec, &e.b - &v);
    let log_m = Float::with_val(prec, Integer::from(m)).ln();
    let base = Float::with_val(prec, log_m / Float::with_val(prec, Integer::from(n - 1)));
    let scaled_gap = Float::with_val(prec, &gap / base.root(alpha));
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
pub fn row(dist: &Distribution, alpha: u32, k: u32, digits: u32) -> Result<Row, NumericError> {
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
    let mut sorted: Vec<u128> = rows.iter().map(|r| r.n).collect();
    sorted.sort_unstable();
    let from = if sorted.iter().filter(|&&n| n >= ten_pow(10)).count() >= 3 {
        ten_pow(10)
    } else {
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    };
    let fitted = fit_rows(&rows, from, digits);
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
    pub alpha: u32,
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
    let inv_alpha = Float::with_val(prec, 1) / alpha;
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
            let power = Float::with_val(prec, Integer::from(*n)).root(alpha);
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
            e.derivative.to_decimal(),
            "6.".to_string() + &"0".repeat(39)
        );
        let gamma = Float::with_val(300, 4) / 3u32;
        assert_eq!(e.a2.to_decimal(), round_decimal(&gamma.gamma(), 40));
    }

    #[test]
    fn the_papers_sum_for_tiny_c_comes_from_its_expansion_and_matches_references() {
        let prec = 300;
        let close = |got: &Float, want: &Float, bits: i32| {
            let rel = Float::with_val(prec, Float::with_val(prec, got - want) / want).abs();
            assert!(
                rel < Float::with_val(53, Float::i_exp(1, -bits)),
                "{got} vs {want}: {rel}"
            );
        };
        // alpha = 1: the geometric series 1/(e^c - 1), even for c = 1e-17 (10^19 terms).
        let c = Float::with_val(prec, Float::parse("1e-17").unwrap());
        let want = Float::with_val(prec, c.exp_m1_ref()).recip();
        close(&paper_sum(&c, 1, prec).unwrap(), &want, 295);
        // alpha = 2: by Poisson summation Σ_(k>=1) e^(-c k^2) = (sqrt(pi/c) - 1)/2 up to
        // e^(-pi^2/c), nothing at c = 1e-6.
        let c = Float::with_val(prec, Float::parse("1e-6").unwrap());
        let pi = Float::with_val(prec, rug::float::Constant::Pi);
        let want = (Float::with_val(prec, pi / &c).sqrt() - 1u32) / 2u32;
        close(&paper_sum(&c, 2, prec).unwrap(), &want, 290);
        // alpha = 3, c = 1e-9: the expansion (about 7000 terms would count) against the terms
        // summed one by one.
        let c = Float::with_val(prec, Float::parse("1e-9").unwrap());
        let mut want = Float::new(prec);
        let mut k = 1u32;
        loop {
            let e = Float::with_val(
                prec,
                -Float::with_val(prec, &c * Integer::from(k).pow(3u32)),
            )
            .exp();
            want += &e;
            if e < Float::with_val(prec, &want >> 310) {
                break;
            }
            k += 1;
        }
        assert!(k > DIRECT_TERMS as u32, "the expansion is what serves here");
        close(&paper_sum(&c, 3, prec).unwrap(), &want, 280);
    }
}

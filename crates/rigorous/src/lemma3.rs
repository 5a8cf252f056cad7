//! Lemma 3's finite quantities as balls: the exponent `alpha` and the constant `c` of
//! `1 - F(b - d) ~ c d^alpha` at the upper end, `A1 = c^(-1/alpha)` of (L3-1),
//! `A2 = Γ(1 + 1/alpha) c^(-1/alpha)` of (L3-2), the value `Σ_{k>=1} e^(-c k^alpha)` at which the
//! paper's proof of (L3-2) arrives, and each convergence row's `∫_a^b F^N`, `b - v*` and their
//! scalings.
//!
//! **Guarantee.** `alpha` is decided, not estimated: every derivative `F^(k)(b)` of order below
//! `alpha` is an exact zero (a ball of midpoint 0 and radius 0, which only exact arithmetic
//! gives), and the ball of `F^(alpha)(b)` excludes zero. The ball of `F^(alpha+1)` on a
//! one-sided neighbourhood `[b - delta, b]` is finite, so Taylor's theorem with remainder gives
//! `1 - F(b - d) = c d^alpha + O(d^(alpha+1))` there, with
//! `c = (-1)^(alpha+1) F^(alpha)(b) / alpha!`, and `c > 0` is decided by its ball. Every other
//! ball contains its exact value as in [`crate::quantities`]. The paper's sum is enclosed with
//! its tail: for `alpha >= 1` and `k >= K`, `e^(-c k^alpha) <= e^(-c k)`, so the terms from `K` on
//! add up to at most `e^(-c K) / (1 - e^(-c))`.
//!
//! These facts are what Laplace's method needs (Olver, *Asymptotics and Special Functions*,
//! 1974, ch. 3, Theorem 7.1, with `F` non-decreasing, which validation proves, so `F < 1` on
//! `[a, b)`): they prove `∫_a^b F^N ~ A2 N^(-1/alpha)` (L3-2) and, inverting the expansion at
//! `F(v*)^(N-1) = 1/m`, `b - v* ~ A1 (log m / (N - 1))^(1/alpha)` (L3-1). The limits themselves
//! are that theorem's, not the balls'; the rows are finite checks of the approach.
//!
//! A CDF without a Taylor series at `b` (a real `alpha`, found by the fast engine's generalized
//! series) is refused with the reason: a ball of a derivative at `b` is then not finite.

use efftrade_arb::{Acb, Arb, Prec};
use efftrade_model::{BigRational, Distribution};
use efftrade_numeric::lemma3::{Alpha, Expansion, Lemma3, MAX_ORDER, Row, fit_table};
use efftrade_numeric::record::Rigor;
use rug::{Float, Integer};

use crate::RigorousError;
use crate::ball::BallProgram;
use crate::engine::BallEngine;
use crate::quantities::certified;
use crate::record::ball_text;

/// Raise the precision this many times (by half each time) before giving up on the digits.
const RAISES: u32 = 5;

/// The local expansion of `F` at `b` and the constants of Lemma 3, as balls.
#[derive(Clone, Debug)]
pub struct BallExpansion {
    /// The order of the first non-vanishing derivative of `F` at `b`.
    pub alpha: u32,
    /// `F^(alpha)(b)`.
    pub derivative: Arb,
    /// `c = (-1)^(alpha+1) F^(alpha)(b) / alpha!`, in `1 - F(b - d) ~ c d^alpha`.
    pub c: Arb,
    /// `A1 = c^(-1/alpha)` (L3-1).
    pub a1: Arb,
    /// `A2 = Γ(1 + 1/alpha) c^(-1/alpha)` (L3-2, Laplace's method).
    pub a2: Arb,
    /// `Σ_{k>=1} e^(-c k^alpha)`, the value of the paper's proof of (L3-2).
    pub a2_paper: Arb,
    /// The upper end `b`.
    pub b: Arb,
}

/// One convergence row as balls: the market of `N` agents of which `m = N/2` hold `1/m` each.
#[derive(Clone, Debug)]
pub struct BallRow {
    /// `N`.
    pub n: u128,
    /// `∫_a^b F^N dp`.
    pub integral: Arb,
    /// `N^(1/alpha) ∫_a^b F^N dp` (tends to `A2`, L3-2).
    pub scaled_integral: Arb,
    /// `b - v*` for the share `1/m`.
    pub gap: Arb,
    /// `(b - v*) / (log m / (N - 1))^(1/alpha)` (tends to `A1`, L3-1).
    pub scaled_gap: Arb,
}

/// Lemma 3 of a distribution proved by balls: the fast engine's layout (so that every view
/// prints it), each printed quantity's ball, and the balls themselves.
#[derive(Clone, Debug)]
pub struct BallLemma3 {
    /// The certified digits (provenance: a ball) in the layout of [`Lemma3`]; its fit is the
    /// fast engine's least-squares estimate on these digits, not a proof.
    pub lemma3: Lemma3,
    /// The balls as printed (JSON key `balls`).
    pub rigor: Rigor,
    /// The expansion's balls.
    pub expansion: BallExpansion,
    /// The rows' balls.
    pub rows: Vec<BallRow>,
}

/// `1/alpha` as a ball.
fn inverse(alpha: u32, prec: Prec) -> Arb {
    Arb::from_ratio(&Integer::from(1), &Integer::from(alpha), prec)
}

/// `x^(1/alpha)` for `x > 0`.
fn root(x: &Arb, alpha: u32, prec: Prec) -> Arb {
    x.log(prec).mul(&inverse(alpha, prec), prec).exp(prec)
}

fn undecided(reason: String) -> RigorousError {
    RigorousError::Lemma3 { reason }
}

/// The expansion at `prec` bits (see the module documentation for what each ball proves).
pub fn expansion_at(dist: &Distribution, prec: Prec) -> Result<BallExpansion, RigorousError> {
    let e = BallEngine::new(dist, prec)?;
    let b = e.b.ball.clone();
    let mut d = dist.cdf();
    let mut found = None;
    for k in 1..=MAX_ORDER {
        d = d.derivative();
        let v = e.at_upper_end(&d);
        if !v.is_finite() {
            return Err(undecided(format!(
                "F^({k})(b) is not finite on the ball of b: F has no Taylor series at b (for a \
                 real alpha only the fast engine's generalized series finds alpha, an estimate)"
            )));
        }
        if v.is_exact() && v.contains_zero() {
            continue;
        }
        if v.contains_zero() {
            return Err(undecided(format!(
                "F^({k})(b) = {} is neither proved zero (exactly) nor proved nonzero",
                v.to_arb_string(10)
            )));
        }
        found = Some((k, v));
        break;
    }
    let (alpha, derivative) = found.ok_or_else(|| {
        undecided(format!(
            "the derivatives of F at b up to order {MAX_ORDER} are all exactly zero"
        ))
    })?;
    remainder_is_bounded(&e, dist, &d.derivative(), alpha, prec)?;
    let mut factorial = Integer::from(1);
    for j in 2..=alpha {
        factorial *= j;
    }
    let mut c = derivative.div_integer(&factorial, prec);
    if alpha % 2 == 0 {
        c = c.neg();
    }
    if !c.is_positive() {
        return Err(undecided(format!(
            "c = {} is not proved positive, as a non-decreasing F needs",
            c.to_arb_string(10)
        )));
    }
    let a1 = Arb::from_i64(1).div(&root(&c, alpha, prec), prec);
    let mut g = Acb::from_real(&Arb::from_i64(1).add(&inverse(alpha, prec), prec));
    g.gamma(prec);
    let a2 = g.real().mul(&a1, prec);
    let a2_paper = paper_sum(&c, alpha, prec)?;
    Ok(BallExpansion {
        alpha,
        derivative,
        c,
        a1,
        a2,
        a2_paper,
        b,
    })
}

/// Proves `F^(alpha+1)` bounded on `[b - delta, b]` (so that Taylor's remainder is
/// `O(d^(alpha+1))`): its ball there is finite. `delta` is a 2^-10 part of the support, or of the
/// top piece of a piecewise `F`.
fn remainder_is_bounded(
    e: &BallEngine,
    dist: &Distribution,
    next: &efftrade_model::Expr,
    alpha: u32,
    prec: Prec,
) -> Result<(), RigorousError> {
    let top = dist
        .breakpoints()
        .last()
        .map(|t| crate::ball::rational_ball(t, prec))
        .unwrap_or_else(|| e.a.clone());
    let (Some((b_lo, b_hi)), Some((_, top_hi))) = (e.b.ball.bounds(), top.bounds()) else {
        return Err(undecided("the ends of the support are not finite".into()));
    };
    let delta = Float::with_val(64, &b_lo - &top_hi) / 1024u32;
    let lo = Float::with_val(b_lo.prec().max(64), &b_lo - &delta);
    let near = Arb::from_interval(&lo, &b_hi, prec);
    let mut program = crate::ball::BallProgram::new(next, prec);
    if !dist.breakpoints().is_empty() {
        program.set_piece_at(crate::engine::float_rational(&lo));
    }
    if program.eval_real(&near).is_finite() {
        Ok(())
    } else {
        Err(undecided(format!(
            "F^({}) is not proved bounded near b (its ball on [b - {}, b] is not finite)",
            alpha + 1,
            delta.to_f64()
        )))
    }
}

/// `Σ_{k>=1} e^(-c k^alpha)` with its tail from `K` bounded by `e^(-c K) / (1 - e^(-c))`, `K`
/// chosen so that the bound is below `2^-prec`.
fn paper_sum(c: &Arb, alpha: u32, prec: Prec) -> Result<Arb, RigorousError> {
    let c_lo = c
        .bounds()
        .map(|(lo, _)| lo.to_f64())
        .filter(|lo| *lo > 0.0)
        .ok_or_else(|| undecided("c has no positive lower bound".into()))?;
    let needed = (prec as f64 + 8.0) * std::f64::consts::LN_2 / c_lo;
    if needed.is_nan() || needed >= 1e7 {
        return Err(undecided(format!(
            "the paper's sum needs {needed:.0} terms at c = {c_lo:.3e}"
        )));
    }
    let terms = needed.ceil() as u64 + 1;
    let mut sum = Arb::zero();
    for k in 1..terms {
        let k = u32::try_from(k).expect("fewer than 10^7 terms");
        let power = Integer::from(Integer::u_pow_u(k, alpha));
        let exponent = c.mul(&Arb::from_ratio(&power, &Integer::from(1), prec), prec);
        sum = sum.add(&exponent.neg().exp(prec), prec);
    }
    let e_c = c.neg().exp(prec);
    let tail = c
        .mul(
            &Arb::from_ratio(&Integer::from(terms), &Integer::from(1), prec),
            prec,
        )
        .neg()
        .exp(prec)
        .div(&Arb::from_i64(1).sub(&e_c, prec), prec);
    let top = tail
        .bounds()
        .map(|(_, hi)| Arb::from_float(&hi))
        .ok_or_else(|| undecided("the tail of the paper's sum is not finite".into()))?;
    let half = top.mul(&Arb::from_ratio(&1.into(), &2.into(), prec), prec);
    Ok(sum.add(&half.add_error(&half), prec))
}

/// The row of `N = n` agents at `prec` bits, given `alpha`.
pub fn row_at(
    dist: &Distribution,
    alpha: u32,
    n: u128,
    prec: Prec,
) -> Result<BallRow, RigorousError> {
    let mut e = BallEngine::new(dist, prec)?;
    let m = n / 2;
    let a = e.a.clone();
    let integral = e.power_integral(&Integer::from(n), &a)?;
    let share = BigRational::new(1.into(), m.into());
    let v = e.critical_type(&share, n)?;
    let gap = e.b.ball.sub(&v.ball, prec);
    let big_n = Arb::from_ratio(&Integer::from(n), &Integer::from(1), prec);
    let scaled_integral = integral.mul(&root(&big_n, alpha, prec), prec);
    let log_m = Arb::from_ratio(&Integer::from(m), &Integer::from(1), prec).log(prec);
    let base = log_m.div_integer(&Integer::from(n - 1), prec);
    let scaled_gap = gap.div(&root(&base, alpha, prec), prec);
    Ok(BallRow {
        n,
        integral,
        scaled_integral,
        gap,
        scaled_gap,
    })
}

/// The fewest digits any of `balls` proves, at most `digits`.
fn least_digits<'a>(balls: impl IntoIterator<Item = &'a Arb>, digits: u32) -> u32 {
    balls
        .into_iter()
        .map(|x| certified(x, digits).digits())
        .min()
        .unwrap_or(0)
}

/// Runs `at` from the working precision for `digits` digits at `n` agents, raising it by half up
/// to [`RAISES`] times until every ball `balls_of` picks proves `digits` digits.
fn to_digits<T>(
    digits: u32,
    n: u128,
    at: impl Fn(Prec) -> Result<T, RigorousError>,
    balls_of: impl Fn(&T) -> Vec<&Arb>,
) -> Result<T, RigorousError> {
    let mut prec = i64::from(efftrade_numeric::quantities::working_precision(digits, n)) + 32;
    let mut last = None;
    for _ in 0..=RAISES {
        let value = at(prec)?;
        if least_digits(balls_of(&value), digits) >= digits {
            return Ok(value);
        }
        last = Some(value);
        prec += prec / 2;
    }
    Ok(last.expect("at least one attempt"))
}

/// The expansion to `digits` digits where the balls prove them (raising the precision as
/// needed).
pub fn expansion(dist: &Distribution, digits: u32) -> Result<BallExpansion, RigorousError> {
    efftrade_numeric::quantities::check_digits(digits)?;
    to_digits(
        digits,
        2,
        |prec| expansion_at(dist, prec),
        |x| vec![&x.c, &x.a1, &x.a2, &x.a2_paper, &x.b, &x.derivative],
    )
}

/// Lemma 3 for `dist` by balls: the expansion and the rows `N = 10^k` for each `k` in
/// `exponents` (in parallel), each to `digits` digits where the balls prove them. `tick` is
/// called after each row.
pub fn lemma3(
    dist: &Distribution,
    exponents: &[u32],
    digits: u32,
    tick: &(dyn Fn() + Sync),
) -> Result<BallLemma3, RigorousError> {
    use rayon::prelude::*;
    efftrade_numeric::quantities::check_digits(digits)?;
    if let Some(k) = exponents.iter().find(|k| !(1..=38).contains(*k)) {
        return Err(undecided(format!("N = 10^{k} is outside 10^1 .. 10^38")));
    }
    let x = expansion(dist, digits)?;
    let rows = exponents
        .par_iter()
        .map(|&k| {
            let n = 10u128.pow(k);
            let r = to_digits(
                digits,
                n,
                |prec| row_at(dist, x.alpha, n, prec),
                |r| vec![&r.integral, &r.scaled_integral, &r.gap, &r.scaled_gap],
            );
            tick();
            r
        })
        .collect::<Result<Vec<BallRow>, RigorousError>>()?;
    Ok(assemble(x, rows, digits))
}

/// The fast engine's layout of the balls, and their printed form.
fn assemble(x: BallExpansion, rows: Vec<BallRow>, digits: u32) -> BallLemma3 {
    let cert = |a: &Arb| certified(a, digits);
    let mut balls = Vec::new();
    let mut keep = |name: String, a: &Arb| {
        let (mid, rad) = ball_text(a, digits + 5);
        balls.push((name, mid, rad));
    };
    for (name, a) in [
        ("a1", &x.a1),
        ("a2", &x.a2),
        ("a2_paper", &x.a2_paper),
        ("b", &x.b),
        ("c", &x.c),
        ("derivative", &x.derivative),
    ] {
        keep(name.to_string(), a);
    }
    let numeric_rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            for (name, a) in [
                ("integral", &r.integral),
                ("scaled_integral", &r.scaled_integral),
                ("gap", &r.gap),
                ("scaled_gap", &r.scaled_gap),
            ] {
                keep(format!("rows[N = {}].{name}", r.n), a);
            }
            Row {
                n: r.n,
                m: r.n / 2,
                integral: cert(&r.integral),
                scaled_integral: cert(&r.scaled_integral),
                gap: cert(&r.gap),
                scaled_gap: cert(&r.scaled_gap),
            }
        })
        .collect();
    let fitted = fit_table(&numeric_rows, digits);
    let expansion = Expansion {
        alpha: Alpha::new(x.alpha, 1).expect("alpha >= 1"),
        zero_bits: 0,
        generalized: false,
        derivative: Some(cert(&x.derivative)),
        c: cert(&x.c),
        a1: cert(&x.a1),
        a2: cert(&x.a2),
        a2_paper: cert(&x.a2_paper),
        b: cert(&x.b),
    };
    let least = balls_least(&x, &rows, digits);
    let undecided = (least < digits).then(|| {
        format!(
            "the balls prove {least} of the {digits} digits asked for some quantity after \
             {RAISES} raises of the precision"
        )
    });
    BallLemma3 {
        lemma3: Lemma3 {
            expansion,
            rows: numeric_rows,
            fitted,
        },
        rigor: Rigor { balls, undecided },
        expansion: x,
        rows,
    }
}

fn balls_least(x: &BallExpansion, rows: &[BallRow], digits: u32) -> u32 {
    let all = [&x.c, &x.a1, &x.a2, &x.a2_paper, &x.b, &x.derivative]
        .into_iter()
        .chain(
            rows.iter()
                .flat_map(|r| [&r.integral, &r.scaled_integral, &r.gap, &r.scaled_gap]),
        );
    least_digits(all, digits)
}

/// A proved lower bound `κ > 0` of `(1 - F(x)) / (b - x)` over `[a, b)`, so that
/// `F(x) <= 1 - κ (b - x)` on the support; `None` when the balls do not prove one (always so
/// when `alpha > 1`, where the ratio tends to 0 at `b`).
///
/// **Method.** `[a, b]` is cut into `pieces` equal parts. On a part `[x0, x1]` below the last,
/// `F` non-decreasing (proved by validation) gives `(1 - F(x))/(b - x) >= (1 - F(x1))/(b - x0)`,
/// both read off balls at their safe ends. On the last part, by the mean value theorem the ratio
/// is the density at some point of `(x, b)`, so at least the lower end of the density's ball on
/// that part. `κ` is the least of these, as an exact lower bound.
pub fn slope_bound(
    dist: &Distribution,
    pieces: u32,
    prec: Prec,
) -> Result<Option<Float>, RigorousError> {
    let mut e = BallEngine::new(dist, prec)?;
    let (Some((a_lo, _)), Some((_, b_hi))) = (e.a.bounds(), e.b.ball.bounds()) else {
        return Err(undecided("the ends of the support are not finite".into()));
    };
    let width = Float::with_val(prec as u32, &b_hi - &a_lo);
    let point = |i: u32| {
        let step = Float::with_val(prec as u32, &width * i) / pieces;
        Float::with_val(prec as u32, &a_lo + step)
    };
    let mut least: Option<Float> = None;
    let mut keep = |bound: Option<Float>| match bound {
        Some(v) if v > 0 => {
            if least.as_ref().is_none_or(|l| v < *l) {
                least = Some(v);
            }
            true
        }
        _ => false,
    };
    let one = Arb::from_i64(1);
    for i in 0..pieces - 1 {
        let (x0, x1) = (point(i), point(i + 1));
        let tail = one.sub(&e.cdf(&Arb::from_float(&x1)), prec);
        let span = Arb::from_float(&b_hi).sub(&Arb::from_float(&x0), prec);
        let ratio = tail.div(&span, prec);
        if !keep(ratio.bounds().map(|(lo, _)| lo)) {
            return Ok(None);
        }
    }
    let last = Arb::from_interval(&point(pieces - 1), &b_hi, prec);
    let density = BallProgram::new(&dist.cdf().derivative(), prec).eval_real(&last);
    if !keep(density.bounds().map(|(lo, _)| lo)) {
        return Ok(None);
    }
    Ok(least)
}

//! T1, T2, beta* and the Theorem 1 verdict for a market, with certified digits.
//!
//! With `N` agents in share classes `(r, k)` and `I_m = ∫_a^b F^m dp`, the paper's quantities in
//! one-dimensional form (integration by parts of the definitions; see docs/MATH.md) are
//!
//! * `mu = b - I_1`, `E[max] = b - I_N`, so `T2 = mu - E[max] = I_N - I_1` (Lemma 2, (L2));
//! * `v* = F^-1(r^(1/(N-1)))`, the critical type of Theorem 1;
//! * `T1 = b - Σ k r v* - Σ k ∫_{v*}^b F^(N-1) dp + (N-1) I_N`;
//! * `beta* = -N T1 / (T1 + T2)` ((T1-1) rearranged; Theorem 2: trade can be efficient iff
//!   `T1 >= 0` and `beta` in `[0, beta*]`), and the Theorem 1 left-hand side
//!   `(1 + beta/N) T1 + (beta/N) T2`.
//!
//! Each class costs the same whatever its count `k`, so a market of `10^30` agents costs what one
//! of two does. For small `N` the paper's definitions ((T1) and (T2) in Theorem 1, with `T2` a
//! double integral) are evaluated as written, as an independent check of the one-dimensional
//! forms.
//!
//! **Guarantee.** A digit [`solve`] reports has passed two tests: two working precisions (the
//! second replaying the first's quadrature plan, so they differ by rounding alone) agree on it
//! after rounding ([`Certified::from_pair`]), and the propagated quadrature error bound is at most
//! `10^-(d+1)` relative for `d` reported digits (one digit of margin). The rounding test is exact
//! for the two computations; the quadrature bounds are estimates, not proofs (see [`crate::quad`]
//! for how each integrator obtains its bound), so the certificate is as strong as those estimates.
//! Error bounds propagate linearly: `T1`'s is the sum of `k` times each `J`'s and `(N-1)` times
//! `I_N`'s; `beta*`'s adds the relative errors of `T1` and `T1 + T2`.

use efftrade_model::{BigRational, Distribution, Market};
use rug::{Float, Integer};

use crate::NumericError;
use crate::certified::{Certified, MAX_DIGITS, bits_for_digits};
use crate::engine::Engine;
use crate::program::{Program, to_rug};

/// A value at one working precision with a bound on its absolute error.
#[derive(Clone, Debug)]
pub struct Bounded {
    /// The value.
    pub value: Float,
    /// A bound on the absolute error from quadrature (rounding is judged by comparing precisions).
    pub error: Float,
}

/// The quantities of one market at one working precision.
#[derive(Clone, Debug)]
pub struct Raw {
    /// `mu = E[v]`.
    pub mu: Bounded,
    /// `E[max of N]`.
    pub e_max: Bounded,
    /// `T1`.
    pub t1: Bounded,
    /// `T2`.
    pub t2: Bounded,
    /// The critical type of each share class.
    pub critical: Vec<Float>,
}

fn integer(n: u128) -> Integer {
    Integer::from(n)
}

/// The critical type `v* = F^-1(r^(1/(N-1)))` of a share `r` in a market of `N` agents
/// (Theorem 1). The target is passed to [`Engine::inverse`] as its tail
/// `1 - r^(1/(N-1)) = -expm1(ln r / (N-1))`, which keeps its relative accuracy however close
/// `r^(1/(N-1))` is to 1; `v*` is then as accurate as [`Engine::inverse`] makes it.
pub fn critical_type(e: &mut Engine, share: &BigRational, n: u128) -> Result<Float, NumericError> {
    let prec = e.prec();
    let r = Float::with_val(prec, to_rug(share));
    if r.is_zero() {
        return Ok(e.a.clone());
    }
    // tail = 1 - r^(1/(N-1)) = -expm1(ln r / (N - 1)), accurate when r^(1/(N-1)) is near 1.
    let exponent = Float::with_val(prec, r.ln() / Float::with_val(prec, integer(n - 1)));
    let tail = Float::with_val(prec, -exponent.exp_m1());
    e.inverse(&tail)
}

/// `mu`, `E[max]`, `T1`, `T2` and the critical types at the engine's precision, from the
/// one-dimensional forms of the module documentation and one call of [`Engine::powers`]. Each
/// error bound is the propagated quadrature bound of the integrals (rounding is not included:
/// the comparison of two precisions measures it).
pub fn raw_quantities(e: &mut Engine, market: &Market) -> Result<Raw, NumericError> {
    let prec = e.prec();
    let n = market.n();
    let b = e.b.clone();
    let critical = market
        .classes()
        .iter()
        .map(|class| critical_type(e, class.share(), n))
        .collect::<Result<Vec<_>, _>>()?;
    let powers = e.powers(&integer(n), &critical)?;
    let (i1, i_n) = (powers.i1, powers.i_n);
    let mut t1 = Float::with_val(prec, &b);
    let mut t1_err = Float::new(prec);
    for ((class, v), j) in market.classes().iter().zip(&critical).zip(&powers.j) {
        let k = Float::with_val(prec, integer(class.count()));
        let r = Float::with_val(prec, to_rug(class.share()));
        // Σ k r v*
        t1 -= Float::with_val(prec, &k * &r) * v;
        // Σ k ∫_{v*}^b F^(N-1)
        t1 -= Float::with_val(prec, &k * &j.value);
        t1_err += Float::with_val(prec, &k * &j.error);
    }
    let n_minus_1 = Float::with_val(prec, integer(n - 1));
    t1 += Float::with_val(prec, &n_minus_1 * &i_n.value);
    t1_err += Float::with_val(prec, &n_minus_1 * &i_n.error);
    let mu = Bounded {
        value: Float::with_val(prec, &b - &i1.value),
        error: i1.error.clone(),
    };
    let e_max = Bounded {
        value: Float::with_val(prec, &b - &i_n.value),
        error: i_n.error.clone(),
    };
    let t2 = Bounded {
        value: Float::with_val(prec, &i_n.value - &i1.value),
        error: Float::with_val(prec, &i_n.error + &i1.error),
    };
    Ok(Raw {
        mu,
        e_max,
        t1: Bounded {
            value: t1,
            error: t1_err,
        },
        t2,
        critical,
    })
}

/// `mu = ∫_a^b x f(x) dx`, the definition of the mean, by adaptive quadrature; the bound is the
/// quadrature's estimate.
pub fn mu_definition(e: &mut Engine) -> Result<Bounded, NumericError> {
    let prec = e.prec();
    let (a, b) = (e.a.clone(), e.b.clone());
    let m = e.integrate(|_, f, x| Float::with_val(prec, x * f.eval(x)), &a, &b)?;
    Ok(Bounded {
        value: m.value,
        error: m.error,
    })
}

fn small(n: u128) -> Result<u32, NumericError> {
    u32::try_from(n - 1).map_err(|_| NumericError::NotConverged {
        what: "the definitions (meant for markets of few agents)".into(),
    })
}

/// `T1` from its definition in Theorem 1,
/// `T1 = Σ_i [∫_{v_i*}^b (1 - F) p dG - ∫_a^{v_i*} F p dG]` with `G = F^(N-1)`, `dG = g dp`.
pub fn t1_definition(e: &mut Engine, market: &Market) -> Result<Bounded, NumericError> {
    let prec = e.prec();
    let n = market.n();
    let nm1 = small(n)?;
    let (a, b) = (e.a.clone(), e.b.clone());
    // g = (N-1) F^(N-2) f
    let dg = move |cdf: &mut Program, f: &mut Program, x: &Float| -> Float {
        let fx = cdf.eval(x).clone();
        let g = Float::with_val(
            prec,
            Float::with_val(prec, rug::ops::Pow::pow(fx, nm1 - 1)) * nm1,
        );
        Float::with_val(prec, g * f.eval(x))
    };
    let mut t1 = Float::new(prec);
    let mut t1_err = Float::new(prec);
    for class in market.classes() {
        let v = critical_type(e, class.share(), n)?;
        let k = Float::with_val(prec, integer(class.count()));
        let upper = e.integrate(
            |cdf, f, x| {
                let one_minus = Float::with_val(prec, 1u32 - cdf.eval(x));
                let w = dg(cdf, f, x);
                Float::with_val(prec, one_minus * x) * w
            },
            &v,
            &b,
        )?;
        let lower = e.integrate(
            |cdf, f, x| {
                let fx = cdf.eval(x).clone();
                let w = dg(cdf, f, x);
                Float::with_val(prec, fx * x) * w
            },
            &a,
            &v,
        )?;
        t1 += Float::with_val(
            prec,
            &k * Float::with_val(prec, &upper.value - &lower.value),
        );
        t1_err += Float::with_val(
            prec,
            &k * Float::with_val(prec, &upper.error + &lower.error),
        );
    }
    Ok(Bounded {
        value: t1,
        error: t1_err,
    })
}

/// Why the definitions' nested integrals ([`t2_definition`], [`t1_definition`]) are out of reach
/// for `dist`, or `None` when they are not. A nested integral evaluates `F` or `f` at every node
/// of an inner quadrature for every node of an outer one, which is within reach for CDFs built
/// from elementary functions with a bounded density; it is not where the density is unbounded
/// at an end (the inner integrals do not converge within the tanh-sinh budget: the arcsine law),
/// where every evaluation sums a series (`betainc`, `gammainc`: minutes per market), or where
/// kinks split each inner integral into many (a CDF in more than four pieces). The one-dimensional forms,
/// which every result uses, are unaffected.
pub fn nested_out_of_reach(dist: &Distribution) -> Option<String> {
    use efftrade_model::{Expr, Func};
    fn special(e: &Expr) -> Option<&'static str> {
        match e {
            Expr::Call(f, a) => match f {
                Func::BetaInc(_) | Func::BetaPdf(_) | Func::GammaInc(_) | Func::GammaPdf(_) => {
                    Some("its CDF sums a series at every evaluation")
                }
                Func::Piecewise(p) if p.pieces().len() > 4 => {
                    Some("its CDF is defined in many pieces")
                }
                _ => special(a),
            },
            Expr::Neg(a) => special(a),
            Expr::Bin(_, a, b) => special(a).or_else(|| special(b)),
            Expr::Num(_) | Expr::Var | Expr::Const(_) => None,
        }
    }
    if let Some(reason) = special(&dist.cdf()) {
        return Some(reason.to_string());
    }
    let density = dist.density();
    let unbounded = [dist.a().lo, dist.b().hi].into_iter().any(|end| {
        let v = density.eval_f64(end);
        !v.is_finite()
    });
    unbounded.then(|| "its density is unbounded at an end of the support".to_string())
}

/// `T2` from its definition in Theorem 1 for `n` agents (it does not depend on the shares),
/// `T2 = Σ_i ∫_a^b Σ_{j≠i} F(v)^(N-2) (∫_a^v x f(x) dx) dF(v) - (N-1) mu`
/// `   = N (N-1) ∫_a^b F(v)^(N-2) f(v) [∫_a^v x f(x) dx] dv - (N-1) mu`,
/// with the inner integral computed by quadrature at every outer node: a true double integral,
/// independent of the integration by parts behind Lemma 2.
pub fn t2_definition(e: &mut Engine, n: u128) -> Result<Bounded, NumericError> {
    let prec = e.prec();
    let nm1 = small(n)?;
    let (a, b) = (e.a.clone(), e.b.clone());
    let mu = mu_definition(e)?;
    let mut inner = e.clone();
    let mut inner_err = Float::new(prec);
    let mut failure: Option<NumericError> = None;
    let outer = e.integrate(
        |cdf, f, v| {
            let m = match inner.integrate(|_, f, x| Float::with_val(prec, x * f.eval(x)), &a, v) {
                Ok(m) => m,
                Err(err) => {
                    failure.get_or_insert(err);
                    return Float::new(prec);
                }
            };
            inner_err = inner_err.clone().max(&m.error);
            let w = if nm1 == 1 {
                f.eval(v).clone()
            } else {
                let fv = cdf.eval(v).clone();
                Float::with_val(prec, rug::ops::Pow::pow(fv, nm1 - 1)) * f.eval(v)
            };
            Float::with_val(prec, w * &m.value)
        },
        &a,
        &b,
    )?;
    if let Some(err) = failure {
        return Err(err);
    }
    let nn = Float::with_val(prec, integer(n) * integer(n - 1));
    let span = Float::with_val(prec, &b - &a);
    let t2 = Float::with_val(prec, &nn * &outer.value) - Float::with_val(prec, &mu.value * nm1);
    let t2_err = Float::with_val(
        prec,
        &outer.error + Float::with_val(prec, &inner_err * &span),
    ) * &nn
        + Float::with_val(prec, &mu.error * nm1);
    Ok(Bounded {
        value: t2,
        error: Float::with_val(prec, t2_err),
    })
}

/// What Theorem 1 and Theorem 2 say about a market.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// `T1 >= 0`: trade can be efficient exactly for `beta` in `[0, beta*]`.
    EfficientUpTo,
    /// `T1 < 0`: no `beta >= 0` allows efficient trade.
    NoBeta,
    /// The sign of `T1` is not decided (the rigorous engine's ball of `T1` contains zero).
    Undecided,
}

/// Every quantity of a market with certified digits.
#[derive(Clone, Debug)]
pub struct Solution {
    /// `mu = E[v]`.
    pub mu: Certified,
    /// `E[max of N]`.
    pub e_max: Certified,
    /// `T1`.
    pub t1: Certified,
    /// `T2`.
    pub t2: Certified,
    /// `beta* = -N T1 / (T1 + T2)`, when `T1 >= 0`.
    pub beta_star: Option<Certified>,
    /// The critical type of each share class, in class order.
    pub critical: Vec<Certified>,
    /// The Theorem 1 left-hand side `(1 + beta/N) T1 + (beta/N) T2` at the requested beta.
    pub lhs: Option<Certified>,
    /// Whether trade can be efficient at the requested beta.
    pub efficient: Option<bool>,
    /// Theorem 2's verdict.
    pub verdict: Verdict,
    /// The fewest certified digits among the reported values.
    pub digits: u32,
    /// The higher of the two working precisions used, in bits.
    pub prec: u32,
}

/// Certifies `fine` against `coarse` and against its quadrature error bound.
pub(crate) fn certify(coarse: &Bounded, fine: &Bounded, digits: u32) -> Certified {
    Certified::from_pair(&coarse.value, &fine.value, digits).capped(error_digits(
        &fine.value,
        &fine.error,
        digits,
    ))
}

/// Significant digits that an absolute error bound leaves intact.
fn error_digits(value: &Float, error: &Float, max: u32) -> u32 {
    if error.is_zero() {
        return max;
    }
    if value.is_zero() {
        return 0;
    }
    let ratio = crate::certified::log10_abs(&Float::with_val(64, value / error));
    // One digit of margin: an error of 0.5 units in the d-th digit can still change it by one.
    (ratio.floor() - 1.0).clamp(0.0, f64::from(max)) as u32
}

/// Theorem 1's left-hand side, (T1-1) in the form the proof of Theorem 2 writes it,
/// `(1 + beta/N) T1 + (beta/N) T2`, at the precision of `t1`: trade can be efficient at `beta`
/// exactly when it is at least 0. This is the one place the toolkit evaluates it: the engine's
/// certified [`Solution::lhs`], [`theorem1_lhs_within`] and the mechanism's predicted IR slack
/// (its value over `N`) all call it.
pub fn theorem1_lhs(t1: &Float, t2: &Float, beta: &Float, n: u128) -> Float {
    let prec = t1.prec();
    let b_over_n = Float::with_val(prec, beta / Float::with_val(prec, integer(n)));
    let one_plus = Float::with_val(prec, &b_over_n + 1u32);
    Float::with_val(prec, &one_plus * t1) + Float::with_val(prec, &b_over_n * t2)
}

fn beta_star(t1: &Bounded, t2: &Bounded, n: u128) -> Bounded {
    let prec = t1.value.prec();
    let sum = Float::with_val(prec, &t1.value + &t2.value);
    let value = Float::with_val(prec, Float::with_val(prec, -&t1.value) * integer(n)) / &sum;
    // Relative errors add: |d beta*/beta*| <= |dT1/T1| + |d(T1+T2)/(T1+T2)|.
    let rel = Float::with_val(prec, &t1.error / &t1.value).abs()
        + Float::with_val(prec, Float::with_val(prec, &t1.error + &t2.error) / &sum).abs();
    let error = Float::with_val(prec, &value * rel).abs();
    Bounded { value, error }
}

fn lhs_bounded(t1: &Bounded, t2: &Bounded, beta: &Float, n: u128) -> Bounded {
    let prec = t1.value.prec();
    let b_over_n = Float::with_val(prec, beta / Float::with_val(prec, integer(n)));
    let error = Float::with_val(prec, Float::with_val(prec, &b_over_n + 1u32) * &t1.error)
        + Float::with_val(prec, &b_over_n * &t2.error);
    Bounded {
        value: theorem1_lhs(&t1.value, &t2.value, beta, n),
        error: Float::with_val(prec, error),
    }
}

/// Theorem 1's left-hand side [`theorem1_lhs`] from certified `T1` and `T2`, for a `beta` at which
/// [`solve`] cannot certify it directly (at `beta = beta*` it vanishes and has no significant
/// digit): known to within the units of the last certified digits of `T1` and `T2`, scaled by
/// their coefficients, and reported as 0 when it vanishes within that bound
/// ([`Certified::within`]), to at most `digits` digits.
pub fn theorem1_lhs_within(
    t1: &Certified,
    t2: &Certified,
    beta: &BigRational,
    n: u128,
    digits: u32,
) -> Certified {
    let p = t1.value().prec().max(t2.value().prec());
    let beta = Float::with_val(p, to_rug(beta));
    let value = theorem1_lhs(t1.value(), t2.value(), &beta, n);
    let b_over_n = Float::with_val(p, &beta / Float::with_val(p, integer(n)));
    let one_plus = Float::with_val(p, &b_over_n + 1u32);
    // A certified d-digit value is within one unit of its d-th digit.
    let unit = |c: &Certified| {
        Float::with_val(p, c.value().abs_ref())
            * Float::with_val(
                p,
                rug::ops::Pow::pow(Float::with_val(p, 10u32), 1 - c.digits().min(1_000) as i32),
            )
    };
    let error = Float::with_val(p, &one_plus * unit(t1)) + Float::with_val(p, &b_over_n * unit(t2));
    Certified::within(&value, &error, digits, true)
}

/// The working precision for `digits` digits in a market of `n` agents: the digits, guard bits,
/// and twice the bits of `n` (the cancellation in T1 and the rounding of `F^n` near `b`).
pub fn working_precision(digits: u32, n: u128) -> u32 {
    let n_bits = 128 - n.leading_zeros();
    bits_for_digits(digits, 16) + 2 * n_bits
}

/// Refuses a number of digits outside `1..=MAX_DIGITS`.
pub fn check_digits(digits: u32) -> Result<(), NumericError> {
    if digits == 0 || digits > MAX_DIGITS {
        return Err(NumericError::Precision {
            requested: digits,
            max: MAX_DIGITS,
        });
    }
    Ok(())
}

/// The two-precision schedule of every certified computation of the engine: `run` at a working
/// precision for `digits` digits in a market of `n` agents (recording its quadrature pieces) and
/// again at a higher one on the same pieces (so the two differ by rounding alone, which is what
/// their comparison certifies); `certify` judges the pair at the fine precision, returning the
/// result or the fewest digits it could certify, and the precision grows until `digits` are
/// reached or it would pass eight times the first (then an error naming `what`).
pub(crate) fn two_precisions<T, R>(
    dist: &Distribution,
    digits: u32,
    n: u128,
    what: &str,
    mut run: impl FnMut(&mut Engine) -> Result<T, NumericError>,
    mut certify: impl FnMut(T, T, u32) -> Result<R, u32>,
) -> Result<R, NumericError> {
    check_digits(digits)?;
    let first = working_precision(digits, n);
    let mut prec = first;
    let max_prec = 8 * prec + 1024;
    loop {
        let fine_prec = prec + 24 + prec / 16;
        // Both runs integrate to the same tolerance, a little beyond the digits asked for: the
        // comparison of the two precisions certifies rounding, and the quadrature's own error
        // bound (part of each certificate) certifies the integration.
        let tolerance = bits_for_digits(digits, 24) + (prec - first);
        // One Gauss-Legendre rule serves both runs: computed at the fine precision, rounded for
        // the coarse one.
        let degree = crate::quad::Quadrature::with_tolerance(fine_prec, tolerance).degree;
        let _ = crate::quad::gauss_legendre(degree, fine_prec);
        let mut coarse_engine = Engine::with_tolerance(dist, prec, tolerance)?.recording();
        let coarse = run(&mut coarse_engine)?;
        let plan = coarse_engine.take_plan();
        let fine = run(&mut Engine::with_tolerance(dist, fine_prec, tolerance)?.replaying(plan))?;
        let least = match certify(coarse, fine, fine_prec) {
            Ok(result) => return Ok(result),
            Err(least) => least,
        };
        if prec >= max_prec {
            return Err(NumericError::Uncertified {
                what: format!("{what} (at {fine_prec} bits)"),
                wanted: digits,
                got: least,
            });
        }
        let shortfall = digits.saturating_sub(least);
        prec = (prec + prec / 2 + bits_for_digits(shortfall, 32)).min(max_prec);
    }
}

/// Solves a market to `digits` certified digits, raising the working precision until every
/// reported value has them, or says why it could not: [`NumericError::Precision`] for `digits`
/// outside `1..=MAX_DIGITS`, [`NumericError::Uncertified`] when eight times the first working
/// precision does not certify them. See the module documentation for what certified means.
pub fn solve(
    dist: &Distribution,
    market: &Market,
    beta: Option<&BigRational>,
    digits: u32,
) -> Result<Solution, NumericError> {
    let n = market.n();
    two_precisions(
        dist,
        digits,
        n,
        "the market's quantities",
        |e| raw_quantities(e, market),
        |coarse, fine, fine_prec| {
            let mu = certify(&coarse.mu, &fine.mu, digits);
            let e_max = certify(&coarse.e_max, &fine.e_max, digits);
            let t1 = certify(&coarse.t1, &fine.t1, digits);
            let t2 = certify(&coarse.t2, &fine.t2, digits);
            // A critical type is a point of the support: certified on the support's scale, so that
            // one at 0 (the share 1/3 of the uniform on [-1, 2]) is not refused for lack of
            // relative digits.
            let scale = Float::with_val(
                64,
                [dist.a().lo, dist.a().hi, dist.b().lo, dist.b().hi]
                    .into_iter()
                    .fold(0.0f64, |m, x| m.max(x.abs())),
            );
            let critical: Vec<Certified> = coarse
                .critical
                .iter()
                .zip(&fine.critical)
                .map(|(c, f)| Certified::from_pair_on_support(c, f, &scale, digits))
                .collect();
            let sign_known = t1.digits() > 0 || t1.value().is_zero();
            let nonnegative = !t1.value().is_sign_negative() || t1.value().is_zero();
            let star = (sign_known && nonnegative).then(|| {
                certify(
                    &beta_star(&coarse.t1, &coarse.t2, n),
                    &beta_star(&fine.t1, &fine.t2, n),
                    digits,
                )
            });
            let (lhs, efficient) = match beta {
                Some(beta) => {
                    let bf = Float::with_val(fine_prec, to_rug(beta));
                    let bc = Float::with_val(coarse.t1.value.prec(), to_rug(beta));
                    let l = certify(
                        &lhs_bounded(&coarse.t1, &coarse.t2, &bc, n),
                        &lhs_bounded(&fine.t1, &fine.t2, &bf, n),
                        digits,
                    );
                    let eff = (l.digits() > 0 || l.value().is_zero())
                        .then(|| !l.value().is_sign_negative() || l.value().is_zero());
                    (Some(l), eff)
                }
                None => (None, None),
            };
            let mut least = [mu.digits(), e_max.digits(), t1.digits(), t2.digits()]
                .into_iter()
                .chain(star.iter().map(|s| s.digits()))
                .chain(critical.iter().map(|c| c.digits()))
                .chain(lhs.iter().map(|l| l.digits()))
                .min()
                .unwrap_or(0);
            if !sign_known {
                least = 0;
            }
            if least < digits {
                return Err(least);
            }
            let cap = |c: Certified| c.capped(digits);
            Ok(Solution {
                mu: cap(mu),
                e_max: cap(e_max),
                t1: cap(t1),
                t2: cap(t2),
                beta_star: star.map(cap),
                critical: critical.into_iter().map(cap).collect(),
                lhs: lhs.map(cap),
                efficient,
                verdict: if nonnegative {
                    Verdict::EfficientUpTo
                } else {
                    Verdict::NoBeta
                },
                digits,
                prec: fine_prec,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::dist;

    fn uniform() -> Distribution {
        dist("{family: uniform}")
    }

    #[test]
    fn myerson_satterthwaite_t1_is_minus_one_sixth() {
        let m = Market::from_shares(&[
            BigRational::from_integer(1.into()),
            BigRational::from_integer(0.into()),
        ])
        .unwrap();
        let s = solve(
            &uniform(),
            &m,
            Some(&BigRational::from_integer(0.into())),
            50,
        )
        .unwrap();
        let exact = Float::with_val(400, -1i32) / 6u32;
        assert_eq!(
            s.t1.to_decimal(),
            crate::certified::round_decimal(&exact, 50)
        );
        assert_eq!(s.verdict, Verdict::NoBeta);
        assert_eq!(s.efficient, Some(false));
        assert!(s.beta_star.is_none());
    }
}

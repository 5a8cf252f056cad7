//! Type distributions: a CDF `F` on a support `[a, b]` (the paper's lower and upper bar-v).
//!
//! A [`Distribution`] is built from a CDF expression (or a named [`Family`]) and a support whose
//! upper end is either given or found by solving `F(b) = 1`. Building one validates it:
//!
//! * the support is a non-empty interval `a < b` of finite numbers;
//! * `|F(a)| <= ENDPOINT_TOLERANCE` and `|F(b) - 1| <= ENDPOINT_TOLERANCE`, unless the user asked
//!   for `renormalize` (then `F` is divided by `F(b) > 0`) or for `solve`;
//! * `F` is non-decreasing on `[a, b]`: its density `f = F'` is bounded below on subintervals by
//!   interval arithmetic, bisecting where the bound is negative, so that a dip of the density
//!   below zero is found however narrow it is (down to `2^-40 (b - a)`), and its stretch reported.
//!
//! All checks are done in double precision with outward rounding (see [`crate::interval`]); the
//! numeric engine re-solves `F(b) = 1` at its own working precision.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use num_bigint::BigInt;
use num_integer::binomial;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::digits::certified_decimal;
use crate::expr::{Expr, Func};
use crate::interval::{Interval, IntervalExpr, Undefined};

/// Largest accepted `|F(a)|`, and `|F(b) - 1|` for a printed upper end.
pub const ENDPOINT_TOLERANCE: f64 = 1e-12;
/// The density must satisfy `f >= -DENSITY_TOLERANCE / (b - a)` everywhere on `[a, b]`
/// (a relative tolerance that absorbs double-precision rounding where `f` touches zero, as the
/// sine market's density does at `3 pi / 2`).
pub const DENSITY_TOLERANCE: f64 = 1e-10;
/// Bisection of the support stops at subintervals of width `2^-MAX_BISECTION_DEPTH (b - a)`.
pub const MAX_BISECTION_DEPTH: u32 = 40;
/// Interval evaluations allowed when certifying monotonicity.
pub const MONOTONICITY_BUDGET: usize = 2_000_000;

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
    /// The Beta(p, q) distribution with integer shapes, whose CDF (the regularised incomplete
    /// beta function) is the polynomial `sum_{j=p}^{p+q-1} C(p+q-1, j) t^j (1-t)^(p+q-1-j)` in
    /// `t = (x - a)/(b - a)`; Beta(2, 2) gives `3 t^2 - 2 t^3`.
    Beta {
        /// First shape parameter.
        p: u32,
        /// Second shape parameter.
        q: u32,
    },
    /// The exponential distribution with rate `lambda` truncated to `[a, b]`:
    /// `F(x) = (1 - exp(-lambda (x - a))) / (1 - exp(-lambda (b - a)))`, `lambda != 0`.
    TruncatedExponential {
        /// The rate.
        lambda: BigRational,
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
                let coefficients = beta_cdf_coefficients(*p, *q);
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
        }
    }

    /// The family's name as written in specs.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Uniform => "uniform",
            Family::Power { .. } => "power",
            Family::Beta { .. } => "beta",
            Family::TruncatedExponential { .. } => "truncated_exponential",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Uniform => f.write_str("uniform"),
            Family::Power { k } => write!(f, "power(k = {})", Expr::Num(k.clone())),
            Family::Beta { p, q } => write!(f, "beta({p}, {q})"),
            Family::TruncatedExponential { lambda } => {
                write!(
                    f,
                    "truncated exponential(lambda = {})",
                    Expr::Num(lambda.clone())
                )
            }
        }
    }
}

/// Coefficients of `t^0, t^1, ...` in the Beta(p, q) CDF with integer shapes.
fn beta_cdf_coefficients(p: u32, q: u32) -> Vec<BigRational> {
    let n = (p + q - 1) as usize;
    let mut c = vec![BigInt::zero(); n + 1];
    for j in p as usize..=n {
        // C(n, j) t^j (1 - t)^(n - j) = C(n, j) sum_l C(n-j, l) (-1)^l t^(j + l)
        let outer = binomial(BigInt::from(n), BigInt::from(j));
        for l in 0..=(n - j) {
            let term = &outer * binomial(BigInt::from(n - j), BigInt::from(l));
            if l % 2 == 0 {
                c[j + l] += term;
            } else {
                c[j + l] -= term;
            }
        }
    }
    c.into_iter().map(BigRational::from_integer).collect()
}

/// The upper end of the support as the spec gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum UpperEnd {
    /// A printed number or constant expression.
    Given(Expr),
    /// `solve`: the smallest `b > a` with `F(b) = 1`.
    Solve,
}

/// Why a distribution is not a valid type distribution.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DistributionError {
    /// A support end is not a finite real number.
    #[error("the {which} end of the support, {value}, is not a finite number")]
    NonFiniteEnd {
        /// `lower` or `upper`.
        which: &'static str,
        /// The end as written.
        value: String,
    },
    /// `a == b`.
    #[error("the support [{a}, {b}] is empty: its ends are equal")]
    EmptySupport {
        /// Lower end.
        a: String,
        /// Upper end.
        b: String,
    },
    /// `a > b`.
    #[error("the support [{a}, {b}] is inverted: the lower end exceeds the upper end")]
    InvertedSupport {
        /// Lower end.
        a: String,
        /// Upper end.
        b: String,
    },
    /// `F(a)` is not 0.
    #[error("F(a) = {value} at a = {a}, but a CDF is 0 at the lower end (tolerance {tol:e})")]
    LowerNotZero {
        /// `F(a)`, certified digits.
        value: String,
        /// The lower end.
        a: String,
        /// The tolerance used.
        tol: f64,
    },
    /// `F(b)` is not 1 and neither `solve` nor `renormalize` was asked for.
    #[error(
        "F(b) = {value} at the printed upper end b = {b}, not 1 (|F(b) - 1| = {gap} exceeds the \
         tolerance {tol:e})"
    )]
    UpperNotOne {
        /// `F(b)`, certified digits.
        value: String,
        /// The upper end.
        b: String,
        /// `|F(b) - 1|`.
        gap: String,
        /// The tolerance used.
        tol: f64,
        /// `b` solved from `F(b) = 1`, when one exists, to suggest.
        solved: Option<String>,
    },
    /// `renormalize` asked to divide by `F(b) <= 0`.
    #[error("cannot renormalize: F(b) = {value} at b = {b} is not positive")]
    RenormalizeNonPositive {
        /// `F(b)`.
        value: String,
        /// The upper end.
        b: String,
    },
    /// `solve` found no `b` with `F(b) = 1`.
    #[error("solve: F(x) stays below 1 for every x in [a, {searched}] and no upper end was found")]
    NoUpperEnd {
        /// How far the search went.
        searched: String,
    },
    /// `F` or its density is undefined somewhere on the support.
    #[error("F or its density f = {density} is undefined near x = {at} (in [{from}, {to}])")]
    Undefined {
        /// The density expression.
        density: String,
        /// A point where evaluation failed.
        at: String,
        /// The stretch bisection narrowed it to.
        from: String,
        /// See `from`.
        to: String,
    },
    /// `F` decreases on a stretch.
    #[error(
        "F decreases on [{from}, {to}]: its density f(x) = {density} reaches {min} at x = {at}{more}"
    )]
    Decreasing {
        /// Start of the first stretch found.
        from: String,
        /// End of the first stretch found.
        to: String,
        /// The density expression.
        density: String,
        /// Least density value found there.
        min: String,
        /// Where.
        at: String,
        /// Note on further stretches.
        more: String,
    },
    /// The monotonicity check ran out of budget.
    #[error(
        "could not certify that F is non-decreasing within {MONOTONICITY_BUDGET} interval \
         evaluations; the density f(x) = {density} may be negative near x = {near}"
    )]
    Uncertified {
        /// The density expression.
        density: String,
        /// Where the work concentrated.
        near: String,
    },
    /// A family parameter is out of range.
    #[error("{0}")]
    BadParameter(String),
}

/// A validated type distribution.
#[derive(Clone, Debug)]
pub struct Distribution {
    family: Option<Family>,
    cdf_as_written: Expr,
    lower: Expr,
    upper: UpperEnd,
    renormalize: bool,
    a: Interval,
    b: Interval,
    mass_at_b: Interval,
}

impl Distribution {
    /// Builds and validates a distribution.
    pub fn new(
        family: Option<Family>,
        cdf: Expr,
        lower: Expr,
        upper: UpperEnd,
        renormalize: bool,
    ) -> Result<Distribution, DistributionError> {
        let a = enclose_end(&lower, "lower")?;
        let f = IntervalExpr::compile(&cdf);
        let value_at = |x: Interval| f.eval(x).ok();

        let given_b = match &upper {
            UpperEnd::Given(e) => Some(enclose_end(e, "upper")?),
            UpperEnd::Solve => None,
        };
        if let (Some(b), UpperEnd::Given(b_expr)) = (given_b, &upper) {
            let (sa, sb) = (lower.to_string(), b_expr.to_string());
            if b.hi < a.lo {
                return Err(DistributionError::InvertedSupport { a: sa, b: sb });
            }
            // Ends that are equal, or too close to be told apart in double precision.
            if b.lo <= a.hi {
                return Err(DistributionError::EmptySupport { a: sa, b: sb });
            }
        }
        let b_text = |b: Interval| match &upper {
            UpperEnd::Given(e) => e.to_string(),
            UpperEnd::Solve => show(b),
        };

        let f_a = value_at(a).ok_or_else(|| DistributionError::Undefined {
            density: cdf.to_string(),
            at: show(a),
            from: show(a),
            to: show(a),
        })?;
        if f_a.lo > ENDPOINT_TOLERANCE || f_a.hi < -ENDPOINT_TOLERANCE {
            return Err(DistributionError::LowerNotZero {
                value: certified_decimal(f_a.lo, f_a.hi, 10),
                a: lower.to_string(),
                tol: ENDPOINT_TOLERANCE,
            });
        }
        let b = match given_b {
            Some(b) => b,
            None => solve_upper_end(&f, a)?,
        };

        let mass_at_b = value_at(b).ok_or_else(|| DistributionError::Undefined {
            density: cdf.to_string(),
            at: b_text(b),
            from: b_text(b),
            to: b_text(b),
        })?;
        if renormalize {
            if mass_at_b.lo <= 0.0 {
                return Err(DistributionError::RenormalizeNonPositive {
                    value: certified_decimal(mass_at_b.lo, mass_at_b.hi, 10),
                    b: b_text(b),
                });
            }
        } else if matches!(upper, UpperEnd::Given(_))
            && (mass_at_b.lo > 1.0 + ENDPOINT_TOLERANCE || mass_at_b.hi < 1.0 - ENDPOINT_TOLERANCE)
        {
            let gap_lo = (mass_at_b.lo - 1.0).abs().min((mass_at_b.hi - 1.0).abs());
            let gap_hi = (mass_at_b.lo - 1.0).abs().max((mass_at_b.hi - 1.0).abs());
            return Err(DistributionError::UpperNotOne {
                value: certified_decimal(mass_at_b.lo, mass_at_b.hi, 12),
                b: b_text(b),
                gap: certified_decimal(gap_lo, gap_hi, 3),
                tol: ENDPOINT_TOLERANCE,
                solved: solve_upper_end(&f, a).ok().map(show),
            });
        }

        let density = cdf.derivative();
        check_non_decreasing(
            &density,
            a.lo.min(a.hi),
            b.hi.max(b.lo),
            mass_at_b.hi.max(1.0),
        )?;

        Ok(Distribution {
            family,
            cdf_as_written: cdf,
            lower,
            upper,
            renormalize,
            a,
            b,
            mass_at_b,
        })
    }

    /// The CDF used by every computation: `F` as written, or `F(x) / F(b)` when renormalising
    /// (with `F(b)` kept as an exact expression so the numeric engine evaluates it at its own
    /// precision).
    pub fn cdf(&self) -> Expr {
        match (&self.upper, self.renormalize) {
            (UpperEnd::Given(b), true) => {
                let at_b = self.cdf_as_written.substitute(b);
                self.cdf_as_written.clone().div(at_b)
            }
            _ => self.cdf_as_written.clone(),
        }
    }

    /// The density `f = F'` of [`Distribution::cdf`], derived on the expression tree.
    pub fn density(&self) -> Expr {
        self.cdf().derivative()
    }

    /// The named family this CDF came from, if any.
    pub fn family(&self) -> Option<&Family> {
        self.family.as_ref()
    }

    /// `F` as written (a family's CDF expanded), before any renormalisation.
    pub fn cdf_as_written(&self) -> &Expr {
        &self.cdf_as_written
    }

    /// The lower end `a` of the support.
    pub fn lower(&self) -> &Expr {
        &self.lower
    }

    /// The upper end as given: a printed end, or `solve`.
    pub fn upper(&self) -> &UpperEnd {
        &self.upper
    }

    /// Whether `F` is divided by `F(b)`.
    pub fn renormalize(&self) -> bool {
        self.renormalize
    }

    /// A double-precision enclosure of `a`.
    pub fn a(&self) -> Interval {
        self.a
    }

    /// A double-precision enclosure of `b` (for `solve`, of the root of `F(b) = 1`).
    pub fn b(&self) -> Interval {
        self.b
    }

    /// A double-precision enclosure of `F(b)` for `F` as written.
    pub fn mass_at_b(&self) -> Interval {
        self.mass_at_b
    }

    /// Whether the upper end is the root of `F(b) = 1` rather than a printed number.
    pub fn upper_is_solved(&self) -> bool {
        matches!(self.upper, UpperEnd::Solve)
    }
}

fn show(x: Interval) -> String {
    certified_decimal(x.lo, x.hi, 12)
}

fn enclose_end(e: &Expr, which: &'static str) -> Result<Interval, DistributionError> {
    let not_finite = || DistributionError::NonFiniteEnd {
        which,
        value: e.to_string(),
    };
    let v = IntervalExpr::compile(e)
        .eval(Interval::point(0.0))
        .map_err(|Undefined| not_finite())?;
    if !v.lo.is_finite() || !v.hi.is_finite() {
        return Err(not_finite());
    }
    Ok(v)
}

/// Encloses the root of `F(b) = 1` above `a`: doubles a step until `F` certainly exceeds 1, then
/// bisects while the sign of `F(mid) - 1` is certain.
fn solve_upper_end(f: &IntervalExpr, a: Interval) -> Result<Interval, DistributionError> {
    let certainly = |x: f64| -> Option<std::cmp::Ordering> {
        let v = f.eval(Interval::point(x)).ok()?;
        if v.hi < 1.0 {
            Some(std::cmp::Ordering::Less)
        } else if v.lo > 1.0 {
            Some(std::cmp::Ordering::Greater)
        } else {
            Some(std::cmp::Ordering::Equal)
        }
    };
    use std::cmp::Ordering::*;
    let mut lo = a.hi;
    let mut step = 1.0f64.max(a.hi.abs() * 1e-3);
    let mut hi = lo + step;
    let mut doublings = 0;
    loop {
        match certainly(hi) {
            Some(Greater) => break,
            Some(Equal) => return Ok(Interval::point(hi)),
            Some(Less) => {
                lo = hi;
                step *= 2.0;
                hi = lo + step;
                doublings += 1;
                if doublings > 60 || !hi.is_finite() {
                    return Err(DistributionError::NoUpperEnd {
                        searched: format!("{hi:e}"),
                    });
                }
            }
            None => {
                return Err(DistributionError::NoUpperEnd {
                    searched: format!("{hi:e}"),
                });
            }
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * lo + 0.5 * hi;
        if mid <= lo || mid >= hi {
            break;
        }
        match certainly(mid) {
            Some(Less) => lo = mid,
            Some(Greater) => hi = mid,
            _ => break,
        }
    }
    Ok(Interval::new(lo, hi))
}

/// Certifies `f >= -tol` on `[a, b]` (with `tol = DENSITY_TOLERANCE * scale / (b - a)`) by interval
/// bisection, or reports the first stretch where `f < -tol`.
fn check_non_decreasing(
    density: &Expr,
    a: f64,
    b: f64,
    scale: f64,
) -> Result<(), DistributionError> {
    let tol = DENSITY_TOLERANCE * scale / (b - a);
    let f = IntervalExpr::compile(density);
    let min_width = (b - a) * (-(MAX_BISECTION_DEPTH as f64)).exp2();
    let mut stack: Vec<Interval> = Vec::new();
    let pieces = 64;
    for i in (0..pieces).rev() {
        let lo = a + (b - a) * i as f64 / pieces as f64;
        let hi = if i + 1 == pieces {
            b
        } else {
            a + (b - a) * (i + 1) as f64 / pieces as f64
        };
        stack.push(Interval::new(lo, hi));
    }
    let mut negative: Vec<(Interval, f64, f64)> = Vec::new(); // stretch, least value, where
    let mut undefined: Option<Interval> = None;
    let mut evaluations = 0usize;
    while let Some(piece) = stack.pop() {
        evaluations += 1;
        if evaluations > MONOTONICITY_BUDGET {
            return Err(DistributionError::Uncertified {
                density: density.to_string(),
                near: show(piece),
            });
        }
        let enclosure = f.eval(piece);
        match enclosure {
            Ok(v) if v.lo >= -tol => continue,
            Ok(v) if v.hi < -tol => {
                let (x, fx) = least_sample(density, piece);
                negative.push((piece, fx.min(v.hi), x));
                continue;
            }
            _ => {}
        }
        if piece.width() <= min_width {
            let x = piece.mid();
            let fx = density.eval_f64(x);
            if !fx.is_finite() {
                // An isolated singularity of an integrable density (such as x^(-1/2) at 0) is
                // harmless at an end of the support; anywhere else F is not a valid CDF.
                if x - a > min_width * 2.0 && b - x > min_width * 2.0 && fx.is_nan() {
                    undefined.get_or_insert(piece);
                }
            } else if fx < -tol {
                negative.push((piece, fx, x));
            }
            continue;
        }
        let mid = piece.mid();
        stack.push(Interval::new(mid, piece.hi));
        stack.push(Interval::new(piece.lo, mid));
    }
    if let Some(piece) = undefined {
        return Err(DistributionError::Undefined {
            density: density.to_string(),
            at: format_point(piece.mid()),
            from: format_point(piece.lo),
            to: format_point(piece.hi),
        });
    }
    if negative.is_empty() {
        return Ok(());
    }
    negative.sort_by(|p, q| p.0.lo.total_cmp(&q.0.lo));
    // Merge adjacent pieces into stretches.
    let mut stretches: Vec<(Interval, f64, f64)> = Vec::new();
    for (piece, value, at) in negative {
        match stretches.last_mut() {
            Some((s, least, where_)) if piece.lo <= s.hi => {
                s.hi = s.hi.max(piece.hi);
                if value < *least {
                    *least = value;
                    *where_ = at;
                }
            }
            _ => stretches.push((piece, value, at)),
        }
    }
    let (stretch, least, at) = stretches[0];
    let more = match stretches.len() {
        1 => String::new(),
        k => format!(
            " (and on {} further stretch{})",
            k - 1,
            if k == 2 { "" } else { "es" }
        ),
    };
    Err(DistributionError::Decreasing {
        from: format_point(stretch.lo),
        to: format_point(stretch.hi),
        density: density.to_string(),
        min: format!("{least:.4}"),
        at: format_point(at),
        more,
    })
}

/// The least of a few samples of `f` on `piece`, and where.
fn least_sample(f: &Expr, piece: Interval) -> (f64, f64) {
    (0..=8)
        .map(|i| {
            let x = piece.lo + piece.width() * f64::from(i) / 8.0;
            (x, f.eval_f64(x))
        })
        .filter(|(_, v)| v.is_finite())
        .min_by(|p, q| p.1.total_cmp(&q.1))
        .unwrap_or((piece.mid(), f64::NAN))
}

fn format_point(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// `q` is a positive integer small enough to be a Beta shape.
pub fn beta_shape(q: &BigRational) -> Option<u32> {
    use num_traits::ToPrimitive;
    (q.is_integer() && q.is_positive())
        .then(|| q.to_integer().to_u32())
        .flatten()
        .filter(|s| *s <= 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let root = |mut lo: f64, mut hi: f64| {
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                if (f(mid) < 0.0) == (f(lo) < 0.0) {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            lo
        };
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

    #[test]
    fn families_expand_to_their_cdfs() {
        let (zero, one) = (Expr::int(0), Expr::int(1));
        let beta = Family::Beta { p: 2, q: 2 }.cdf(&zero, &one);
        assert_eq!(beta.to_string(), "3*x^2 - 2*x^3");
        // Beta(2, 3): I_t(2, 3) = 6 t^2 - 8 t^3 + 3 t^4.
        assert_eq!(
            Family::Beta { p: 2, q: 3 }.cdf(&zero, &one).to_string(),
            "6*x^2 - 8*x^3 + 3*x^4"
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
        assert!(
            (e.eval_f64(0.5) - (1.0 - (-1.0f64).exp()) / (1.0 - (-2.0f64).exp())).abs() < 1e-15
        );
        for fam in [
            Family::Uniform,
            Family::Power {
                k: BigRational::new(1.into(), 2.into()),
            },
            Family::Beta { p: 3, q: 2 },
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
}

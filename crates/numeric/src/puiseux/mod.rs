//! Generalized (Puiseux) series at the upper end of the support: an expression of the model
//! evaluated at `x = b - d` as a finite sum of terms `a_k d^(k/q)` with rational exponents.
//!
//! Lemma 3 needs `alpha` and `c` in `1 - F(b - d) = c d^alpha (1 + o(1))`. The paper assumes `F`
//! analytic, so `alpha` is an integer and Taylor series serve ([`crate::taylor`]). A CDF such as
//! `1 - sqrt(1 - x)` (`alpha = 1/2`) or Kumaraswamy's `1 - (1 - x^2)^(5/2)` (`alpha = 5/2`) has no
//! Taylor series at `b`, but it has one in powers of `d^(1/q)`. This module computes it.
//!
//! **Representation.** A [`Puiseux`] value holds the coefficients of `d^(k/q)` for `k` from
//! `start` to `top - 1` and stands for that sum plus an unknown `O(d^(top/q))`: every operation
//! states how far its result is known. Two operands with different `q` are first written over
//! the least common multiple of their denominators.
//!
//! **Operations** (the grammar's, through the expression core's one evaluator, [`Scalar`]):
//!
//! * `+`, `-`: coefficient by coefficient, known to the lower of the two orders. A coefficient
//!   whose magnitude is at most `2^-zero_bits` times the larger of the two it came from is a
//!   cancellation and counts as exactly zero (the stated zero test; `2 zero_bits` bits of working
//!   precision leave rounding far below it).
//! * `*`: the Cauchy product; `a` known to `O(d^ta)` with valuation `va`, `b` likewise: the product
//!   is known to `O(d^min(va + tb, vb + ta))`.
//! * `/`: `b = b_0 d^vb (1 + u)` needs a nonzero leading coefficient; `1/(1 + u)` by the
//!   recurrence of the reciprocal, then a product.
//! * `a^r` for a rational constant `r` (known exactly: constants carry their exact value):
//!   `a = a_0 d^va (1 + u)` with `a_0 > 0` gives `a^r = a_0^r d^(r va) (1 + u)^r`, the binomial
//!   series in `u`; the denominator grows to take `r va`. Integer powers are repeated products
//!   (any sign of `a_0`). A power with a non-constant or irrational exponent needs a base that does
//!   not vanish at `b`: `exp(w log a)`.
//! * `sqrt(a) = a^(1/2)`. Every other function `f` of the grammar (exp, log, sin, cos, tan, erf,
//!   erfc, and any added later with a Taylor kernel): with `a = a_0 + u` and `u` of positive
//!   valuation, `f(a) = Σ_k t_k u^k` where `t_k` are the Taylor coefficients of `f` at `a_0`, from
//!   [`crate::taylor`]'s kernels; summed by Horner's rule up to the known order. `log` of a series
//!   vanishing at `b` (a `log d` term), and any function of a series with negative exponents (a
//!   pole at `b`), leave the class: the evaluation stops with that operation named.
//!
//! * The regularized incomplete beta function at its upper end, `I_x(p, q)` with `x -> 1`:
//!   `1 - I_x(p, q) ~ (1 - x)^q / (q B(p, q))` with its full series (`beta`), so that a Beta CDF
//!   with a real second shape has `alpha = q`.
//!
//! Every coefficient is exact up to the rounding of the working precision, as with Taylor series;
//! the exponents are exact rationals. `tail` reads Lemma 3's `alpha` and `c` off the series of
//! `1 - F(b - d)`, and `-log F(b - D s^q)` for the boundary layer of `F^N`
//! ([`crate::fractional_layer`]).

use efftrade_model::expr::{DomainError, Scalar};
use efftrade_model::{BigRational, BinOp, Constant, Func};
use rug::ops::Pow;
use rug::{Float, Integer, Rational};

use crate::program::to_rug;
use crate::taylor::{Series, Taylor};

mod beta;
mod tail;

pub use tail::{layer_log, upper_tail};

/// A truncated generalized series `Σ_(start <= k < top) a_k d^(k/den) + O(d^(top/den))`.
#[derive(Clone, Debug)]
pub struct Puiseux {
    den: u32,
    start: i64,
    top: i64,
    /// `coeffs[i]` multiplies `d^((start + i)/den)`; `top - start` of them.
    coeffs: Vec<Float>,
    /// The exact value when the series is a rational constant (an exponent must be exact).
    exact: Option<Rational>,
    zero_bits: u32,
}

/// The context of generalized series evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generalized {
    /// Bits of every coefficient.
    pub prec: u32,
    /// Constants are known to `O(d^horizon)`.
    pub horizon: u32,
    /// The zero test of cancellations (see the module docs).
    pub zero_bits: u32,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u32, b: u32) -> Result<u32, DomainError> {
    let l = u64::from(a) / gcd(u64::from(a), u64::from(b)) * u64::from(b);
    u32::try_from(l)
        .ok()
        .filter(|&l| l <= MAX_DENOMINATOR)
        .ok_or(DomainError::Unrepresentable)
}

/// Largest denominator of exponents followed (beyond it the series are too long to be useful).
pub const MAX_DENOMINATOR: u32 = 360;

impl Puiseux {
    fn prec(&self) -> u32 {
        self.coeffs.first().map_or(64, Float::prec)
    }

    fn constant(v: Float, den: u32, top: i64, zero_bits: u32) -> Puiseux {
        let prec = v.prec();
        let mut coeffs: Vec<Float> = (0..top.max(0)).map(|_| Float::new(prec)).collect();
        if let Some(c) = coeffs.first_mut() {
            *c = v;
        }
        Puiseux {
            den,
            start: 0,
            top: top.max(0),
            coeffs,
            exact: None,
            zero_bits,
        }
    }

    /// `x = b - width d`, known to `O(d^horizon)`.
    pub fn upper_end(b: &Float, width: &Float, cx: &Generalized) -> Puiseux {
        let mut x = Puiseux::constant(
            Float::with_val(cx.prec, b),
            1,
            i64::from(cx.horizon),
            cx.zero_bits,
        );
        if let Some(c) = x.coeffs.get_mut(1) {
            *c = Float::with_val(cx.prec, -width);
        }
        x
    }

    /// The coefficient of `d^(k/den)` (zero outside the stored range).
    fn at(&self, k: i64) -> Option<&Float> {
        if k < self.start || k >= self.top {
            return None;
        }
        self.coeffs.get(usize::try_from(k - self.start).ok()?)
    }

    /// The index of the first nonzero coefficient, or `top` when none is known.
    fn valuation(&self) -> i64 {
        self.coeffs
            .iter()
            .position(|c| !c.is_zero())
            .map_or(self.top, |i| self.start + i as i64)
    }

    /// The same series over the denominator `den`, a multiple of `self.den`.
    fn refined(&self, den: u32) -> Puiseux {
        if den == self.den {
            return self.clone();
        }
        let f = i64::from(den / self.den);
        let prec = self.prec();
        let (start, top) = (self.start * f, self.top * f);
        let mut coeffs: Vec<Float> = (start..top).map(|_| Float::new(prec)).collect();
        for (i, c) in self.coeffs.iter().enumerate() {
            coeffs[i * f as usize] = c.clone();
        }
        Puiseux {
            den,
            start,
            top,
            coeffs,
            exact: self.exact.clone(),
            zero_bits: self.zero_bits,
        }
    }

    fn aligned(a: &Puiseux, b: &Puiseux) -> Result<(Puiseux, Puiseux), DomainError> {
        let den = lcm(a.den, b.den)?;
        Ok((a.refined(den), b.refined(den)))
    }

    /// A series of `den` with coefficients `coeffs` from `start`, known to `top`.
    fn from_parts(den: u32, start: i64, top: i64, mut coeffs: Vec<Float>, zb: u32) -> Puiseux {
        let top = top.max(start);
        coeffs.truncate(usize::try_from(top - start).unwrap_or(0));
        Puiseux {
            den,
            start,
            top,
            coeffs,
            exact: None,
            zero_bits: zb,
        }
    }

    fn add(&self, rhs: &Puiseux, subtract: bool) -> Result<Puiseux, DomainError> {
        let (a, b) = Puiseux::aligned(self, rhs)?;
        let prec = a.prec().max(b.prec());
        let start = a.start.min(b.start);
        let top = a.top.min(b.top);
        let zero = Float::new(prec);
        let coeffs = (start..top.max(start))
            .map(|k| {
                let (x, y) = (a.at(k).unwrap_or(&zero), b.at(k).unwrap_or(&zero));
                let sum = if subtract {
                    Float::with_val(prec, x - y)
                } else {
                    Float::with_val(prec, x + y)
                };
                let scale =
                    Float::with_val(prec, x.abs_ref()).max(&Float::with_val(prec, y.abs_ref()));
                let threshold = scale >> self.zero_bits;
                if Float::with_val(prec, sum.abs_ref()) <= threshold {
                    Float::new(prec)
                } else {
                    sum
                }
            })
            .collect();
        let mut out = Puiseux::from_parts(a.den, start, top, coeffs, self.zero_bits);
        if let (Some(x), Some(y)) = (&a.exact, &b.exact) {
            out.exact = Some(if subtract {
                Rational::from(x - y)
            } else {
                Rational::from(x + y)
            });
        }
        Ok(out)
    }

    fn mul(&self, rhs: &Puiseux) -> Result<Puiseux, DomainError> {
        let (a, b) = Puiseux::aligned(self, rhs)?;
        let prec = a.prec().max(b.prec());
        let (va, vb) = (a.valuation(), b.valuation());
        let top = (va + b.top).min(vb + a.top);
        let start = va + vb;
        let len = usize::try_from(top - start).unwrap_or(0);
        let mut coeffs: Vec<Float> = (0..len).map(|_| Float::new(prec)).collect();
        let mut product = Float::new(prec);
        for i in 0..len as i64 {
            let Some(x) = a.at(va + i).filter(|x| !x.is_zero()) else {
                continue;
            };
            for j in 0..(len as i64 - i) {
                if let Some(y) = b.at(vb + j).filter(|y| !y.is_zero()) {
                    rug::Assign::assign(&mut product, x * y);
                    coeffs[(i + j) as usize] += &product;
                }
            }
        }
        let mut out = Puiseux::from_parts(a.den, start, top, coeffs, self.zero_bits);
        if let (Some(x), Some(y)) = (&a.exact, &b.exact) {
            out.exact = Some(Rational::from(x * y));
        }
        Ok(out)
    }

    fn reciprocal(&self) -> Result<Puiseux, DomainError> {
        let v = self.valuation();
        let lead = self.at(v).ok_or(DomainError::Quotient)?.clone();
        let prec = self.prec();
        let n = usize::try_from(self.top - v).unwrap_or(0);
        // 1/(1 + u) with u_k = a_(v+k)/lead: inv_0 = 1, inv_k = -Σ_(j=1..k) u_j inv_(k-j).
        let u: Vec<Float> = (0..n as i64)
            .map(|k| {
                Float::with_val(
                    prec,
                    self.at(v + k).map_or(Float::new(prec), Clone::clone) / &lead,
                )
            })
            .collect();
        let mut inv: Vec<Float> = Vec::with_capacity(n);
        for k in 0..n {
            if k == 0 {
                inv.push(Float::with_val(prec, 1));
                continue;
            }
            let mut t = Float::new(prec);
            for j in (1..=k).filter(|&j| !u[j].is_zero()) {
                t -= Float::with_val(prec, &u[j] * &inv[k - j]);
            }
            inv.push(t);
        }
        let inv = inv.into_iter().map(|c| c / &lead).collect();
        let mut out = Puiseux::from_parts(self.den, -v, -v + n as i64, inv, self.zero_bits);
        out.exact = self
            .exact
            .as_ref()
            .filter(|q| **q != 0)
            .map(|q| q.clone().recip());
        Ok(out)
    }

    /// `Σ_k t_k u^k` by Horner's rule, with `u` of positive valuation, known to `top`.
    fn compose(t: &[Float], u: &Puiseux, top: i64) -> Result<Puiseux, DomainError> {
        let prec = u.prec();
        let constant =
            |c: &Float| Puiseux::constant(Float::with_val(prec, c), u.den, top, u.zero_bits);
        let mut r = constant(t.last().ok_or(DomainError::Unrepresentable)?);
        for c in t.iter().rev().skip(1) {
            r = r.mul(u)?.add(&constant(c), false)?;
        }
        Ok(r)
    }

    /// Whether the series tends to 1 at `b`: no negative powers and a constant term within
    /// the zero test of 1.
    fn tends_to_one(&self) -> bool {
        self.valuation() >= 0
            && self.at(0).is_some_and(|a0| {
                let gap = Float::with_val(a0.prec(), a0 - 1u32).abs();
                gap <= Float::with_val(a0.prec(), Float::i_exp(1, -(self.zero_bits as i32)))
            })
    }

    /// `a = a_0 + u`: `a_0` and `u` (of positive valuation), or `None` for a pole at `b`.
    fn split(&self) -> Option<(Float, Puiseux, i64)> {
        if self.valuation() < 0 {
            return None;
        }
        let prec = self.prec();
        let a0 = self.at(0).map_or(Float::new(prec), Clone::clone);
        let mut u = self.clone();
        u.exact = None;
        if let Some(i) = usize::try_from(-u.start)
            .ok()
            .filter(|&i| i < u.coeffs.len())
        {
            u.coeffs[i] = Float::new(prec);
        }
        // Terms needed: u^k is O(d^(k vu)), so k vu < top.
        let vu = u.valuation().max(1);
        let terms = if self.top <= 0 {
            1
        } else {
            (self.top + vu - 1) / vu + 1
        };
        Some((a0, u, terms))
    }

    /// `f(self)` for a function with a Taylor kernel, through its Taylor coefficients at `a_0`.
    fn analytic(&self, f: &Func) -> Result<Puiseux, DomainError> {
        let (a0, u, terms) = self.split().ok_or(DomainError::Unrepresentable)?;
        let prec = self.prec();
        let len = usize::try_from(terms).map_err(|_| DomainError::Unrepresentable)?;
        let mut s: Series = (0..len).map(|_| Float::new(prec)).collect();
        s[0] = a0;
        if len > 1 {
            s[1] = Float::with_val(prec, 1);
        }
        s.call(f, &mut Taylor { prec, len })?;
        Puiseux::compose(&s, &u, self.top)
    }

    /// `self^r` for a rational `r` (see the module docs).
    fn pow_rational(&self, r: &Rational, fault: DomainError) -> Result<Puiseux, DomainError> {
        if r.is_integer()
            && let Some(k) = r.numer().to_i32()
        {
            return self.pow_integer(k);
        }
        let v = self.valuation();
        let lead = self
            .at(v)
            .filter(|l| l.is_sign_positive())
            .ok_or(fault)?
            .clone();
        let prec = self.prec();
        // u_k = a_(v+k) / lead for k >= 1, on [0, top - v).
        let n = self.top - v;
        let mut coeffs: Vec<Float> = (0..n)
            .map(|k| {
                Float::with_val(
                    prec,
                    self.at(v + k).map_or(Float::new(prec), Clone::clone) / &lead,
                )
            })
            .collect();
        coeffs[0] = Float::new(prec);
        let u = Puiseux::from_parts(self.den, 0, n, coeffs, self.zero_bits);
        // Binomial coefficients: t_k = t_(k-1) (r - k + 1) / k.
        let vu = u.valuation().max(1);
        let terms = (n + vu - 1) / vu + 1;
        let rf = Float::with_val(prec, r);
        let mut t = vec![Float::with_val(prec, 1)];
        for k in 1..terms {
            let next = Float::with_val(
                prec,
                &t[k as usize - 1] * Float::with_val(prec, &rf - (k - 1)),
            );
            t.push(next / k as u32);
        }
        let mut series = Puiseux::compose(&t, &u, n)?;
        let scale = (Float::with_val(prec, lead.ln_ref()) * &rf).exp();
        series.coeffs.iter_mut().for_each(|c| *c *= &scale);
        // The shift r v / den, written over a denominator that holds it.
        let shift = Rational::from((Integer::from(v), Integer::from(self.den))) * r;
        let den_shift = shift.denom().to_u32().ok_or(DomainError::Unrepresentable)?;
        let den = lcm(self.den, den_shift)?;
        let mut out = series.refined(den);
        let offset = Rational::from(&shift * den);
        let offset = offset
            .numer()
            .to_i64()
            .ok_or(DomainError::Unrepresentable)?;
        out.start += offset;
        out.top += offset;
        Ok(out)
    }

    fn pow_integer(&self, k: i32) -> Result<Puiseux, DomainError> {
        let mut base = if k < 0 {
            self.reciprocal()?
        } else {
            self.clone()
        };
        let mut e = k.unsigned_abs();
        let mut out: Option<Puiseux> = None;
        while e > 0 {
            if e & 1 == 1 {
                out = Some(match out {
                    Some(o) => o.mul(&base)?,
                    None => base.clone(),
                });
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base)?;
            }
        }
        Ok(out.unwrap_or_else(|| {
            let mut one = Puiseux::constant(
                Float::with_val(self.prec(), 1),
                self.den,
                self.top.max(1),
                self.zero_bits,
            );
            one.exact = Some(Rational::from(1));
            one
        }))
    }
}

/// Generalized series: the operations of the grammar on truncated sums of rational powers of
/// `d` (see the module docs).
impl Scalar<Generalized> for Puiseux {
    fn rational(q: &BigRational, cx: &Generalized) -> Puiseux {
        let q = to_rug(q);
        let v = Float::with_val(cx.prec, &q);
        let mut s = Puiseux::constant(v, 1, i64::from(cx.horizon), cx.zero_bits);
        s.exact = Some(q);
        s
    }

    fn constant(c: Constant, cx: &Generalized) -> Result<Puiseux, DomainError> {
        let v = match c {
            Constant::Pi => Float::with_val(cx.prec, rug::float::Constant::Pi),
            Constant::E => Float::with_val(cx.prec, 1).exp(),
        };
        Ok(Puiseux::constant(v, 1, i64::from(cx.horizon), cx.zero_bits))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        self.coeffs
            .iter_mut()
            .for_each(rug::ops::NegAssign::neg_assign);
        if let Some(q) = &mut self.exact {
            rug::ops::NegAssign::neg_assign(q);
        }
        Ok(())
    }

    fn binary(&mut self, op: BinOp, rhs: &Puiseux) -> Result<(), DomainError> {
        *self = match op {
            BinOp::Add => self.add(rhs, false)?,
            BinOp::Sub => self.add(rhs, true)?,
            BinOp::Mul => self.mul(rhs)?,
            BinOp::Div => {
                let r = rhs.reciprocal()?;
                let mut q = self.mul(&r)?;
                if let (Some(x), Some(y)) = (&self.exact, &r.exact) {
                    q.exact = Some(Rational::from(x * y));
                }
                q
            }
            BinOp::Pow => match &rhs.exact {
                Some(r) => self.pow_rational(r, DomainError::Power)?,
                // exp(w log a) for a base that does not vanish at b.
                None => {
                    let log = self.analytic(&Func::Log).map_err(|_| DomainError::Power)?;
                    log.mul(rhs)?.analytic(&Func::Exp)?
                }
            },
        };
        Ok(())
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        let exact = self.exact.clone();
        *self = self.pow_integer(k)?;
        if let Some(q) = exact
            && (q != 0 || k >= 0)
        {
            self.exact = Some(if k >= 0 {
                q.pow(k.unsigned_abs())
            } else {
                q.recip().pow(k.unsigned_abs())
            });
        }
        Ok(())
    }

    fn call(&mut self, f: &Func, _: &mut Generalized) -> Result<(), DomainError> {
        *self = match f {
            Func::Sqrt => self.pow_rational(&Rational::from((1, 2)), DomainError::SquareRoot)?,
            // I_u(p, q) where u tends to 1: no Taylor series, a generalized one.
            Func::BetaInc(shapes) if self.tends_to_one() => match shapes.exact() {
                [p, q] => self.beta_near_one(&to_rug(p), &to_rug(q))?,
                _ => return Err(DomainError::Unrepresentable),
            },
            _ => self.analytic(f)?,
        };
        Ok(())
    }
}

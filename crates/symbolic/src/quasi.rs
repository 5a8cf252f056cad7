//! Exponential polynomials: the class of CDFs whose integrals this crate writes in closed form.
//!
//! An exponential polynomial is a finite sum of terms `c x^j e^(lambda x) cos(omega x)` and
//! `c x^j e^(lambda x) sin(omega x)` with rational `lambda`, `omega >= 0` and exact coefficients
//! `c` (Symbolica atoms, which may involve constants such as `cos(1)` or `e^(-2)`, and free
//! symbols such as a support end `a`). Polynomials with rational coefficients, the truncated
//! exponential and Example 1's sine market `F(x) = x/10 + (1 - cos x)/10` all belong to it, and
//! so do every power `F^n`, every product `F^n f` and every `x F^n f` the paper integrates: the
//! class is closed under products (trigonometric products are linearised, so each term carries
//! one frequency) and under integration, which this module does exactly by the formula
//!
//! `Int x^j e^(z x) dx = e^(z x) sum_{k=0}^{j} (-1)^k j!/(j-k)! x^(j-k) / z^(k+1)`,
//! `z = lambda + i omega != 0`,
//!
//! whose real and imaginary parts give the cosine and sine terms (and `x^(j+1)/(j+1)` for
//! `z = 0`). Symbolica has no integrator; this is the one the crate uses.

use std::collections::BTreeMap;

use efftrade_model::{BigInt, BigRational, BinOp, Expr, Func};
use num_traits::{One, Signed, ToPrimitive, Zero};
use symbolica::atom::{Atom, AtomCore};
use symbolica::parse;

use crate::{SymbolicError, to_atom};

/// Which trigonometric factor a term carries (`cos(0 x) = 1` for non-oscillating terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wave {
    /// `cos(omega x)`.
    Cos,
    /// `sin(omega x)`, `omega > 0`.
    Sin,
}

/// The shape `x^power e^(rate x) wave(freq x)` of a term.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shape {
    /// The power of `x`.
    pub power: u32,
    /// The exponential rate `lambda`.
    pub rate: BigRational,
    /// The frequency `omega >= 0`.
    pub freq: BigRational,
    /// The trigonometric factor.
    pub wave: Wave,
}

impl Shape {
    fn monomial(power: u32) -> Shape {
        Shape {
            power,
            rate: BigRational::zero(),
            freq: BigRational::zero(),
            wave: Wave::Cos,
        }
    }
}

/// An exponential polynomial in `x` with exact coefficients, kept in a canonical form: one
/// coefficient per shape, no zero coefficients, frequencies non-negative.
#[derive(Clone, Debug, Default)]
pub struct QuasiPoly {
    terms: BTreeMap<Shape, Atom>,
}

fn rational_atom(q: &BigRational) -> Atom {
    if q.is_integer() {
        parse!(&format!("{}", q.numer()))
    } else {
        parse!(&format!("({})/({})", q.numer(), q.denom()))
    }
}

/// `name(arg)` as an atom, for Symbolica's built-in functions (`exp`, `cos`, `sin`).
pub(crate) fn call(name: &str, arg: &Atom) -> Atom {
    parse!(&format!("{name}({arg})"))
}

/// `base^k` for a non-negative integer `k`.
pub(crate) fn power(base: &Atom, k: u32) -> Atom {
    match k {
        0 => Atom::num(1),
        1 => base.clone(),
        _ => parse!(&format!("({base})^{k}")),
    }
}

impl QuasiPoly {
    /// The zero function.
    pub fn zero() -> QuasiPoly {
        QuasiPoly::default()
    }

    /// The constant `c`.
    pub fn constant(c: Atom) -> QuasiPoly {
        let mut q = QuasiPoly::zero();
        q.add_term(Shape::monomial(0), c);
        q
    }

    /// The identity `x`.
    pub fn x() -> QuasiPoly {
        let mut q = QuasiPoly::zero();
        q.add_term(Shape::monomial(1), Atom::num(1));
        q
    }

    /// The terms, in canonical order.
    pub fn terms(&self) -> impl Iterator<Item = (&Shape, &Atom)> {
        self.terms.iter()
    }

    /// The number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms (the zero function).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether this is the zero function (decided exactly: coefficients are expanded on entry).
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every term is a plain power of `x` (the function is a polynomial).
    pub fn is_polynomial(&self) -> bool {
        self.terms
            .keys()
            .all(|s| s.rate.is_zero() && s.freq.is_zero())
    }

    /// Adds `c` times the term of shape `shape`, normalising a negative frequency and dropping
    /// `sin(0 x)`.
    fn add_term(&mut self, mut shape: Shape, mut c: Atom) {
        if shape.freq.is_negative() {
            shape.freq = -shape.freq;
            if shape.wave == Wave::Sin {
                c = -c;
            }
        }
        if shape.freq.is_zero() && shape.wave == Wave::Sin {
            return;
        }
        let sum = match self.terms.remove(&shape) {
            Some(old) => (old + c).expand(),
            None => c.expand(),
        };
        if !sum.is_zero() {
            self.terms.insert(shape, sum);
        }
    }

    /// `self + other`.
    pub fn add(&self, other: &QuasiPoly) -> QuasiPoly {
        let mut out = self.clone();
        for (s, c) in &other.terms {
            out.add_term(s.clone(), c.clone());
        }
        out
    }

    /// `self - other`.
    pub fn sub(&self, other: &QuasiPoly) -> QuasiPoly {
        self.add(&other.scale(&Atom::num(-1)))
    }

    /// `c self` for a constant `c`.
    pub fn scale(&self, c: &Atom) -> QuasiPoly {
        let mut out = QuasiPoly::zero();
        for (s, a) in &self.terms {
            out.add_term(s.clone(), a * c);
        }
        out
    }

    /// `self * other`, with products of trigonometric factors linearised.
    pub fn mul(&self, other: &QuasiPoly) -> QuasiPoly {
        let half = Atom::num(1) / Atom::num(2);
        let mut out = QuasiPoly::zero();
        for (s, a) in &self.terms {
            for (t, b) in &other.terms {
                let c = a * b;
                let power = s.power + t.power;
                let rate = &s.rate + &t.rate;
                let sum = &s.freq + &t.freq;
                let diff = &s.freq - &t.freq;
                let shape = |freq: BigRational, wave: Wave| Shape {
                    power,
                    rate: rate.clone(),
                    freq,
                    wave,
                };
                if s.freq.is_zero() || t.freq.is_zero() {
                    // One factor is 1: no linearisation needed.
                    let wave = if s.freq.is_zero() { t.wave } else { s.wave };
                    out.add_term(shape(sum, wave), c);
                    continue;
                }
                let hc = &c * &half;
                let mhc = -(&hc);
                // cos p cos q = (cos(p-q) + cos(p+q))/2, sin p sin q = (cos(p-q) - cos(p+q))/2,
                // sin p cos q = (sin(p+q) + sin(p-q))/2, cos p sin q = (sin(p+q) - sin(p-q))/2.
                match (s.wave, t.wave) {
                    (Wave::Cos, Wave::Cos) => {
                        out.add_term(shape(diff, Wave::Cos), hc.clone());
                        out.add_term(shape(sum, Wave::Cos), hc);
                    }
                    (Wave::Sin, Wave::Sin) => {
                        out.add_term(shape(diff, Wave::Cos), hc);
                        out.add_term(shape(sum, Wave::Cos), mhc);
                    }
                    (Wave::Sin, Wave::Cos) => {
                        out.add_term(shape(sum, Wave::Sin), hc.clone());
                        out.add_term(shape(diff, Wave::Sin), hc);
                    }
                    (Wave::Cos, Wave::Sin) => {
                        out.add_term(shape(sum, Wave::Sin), hc);
                        out.add_term(shape(diff, Wave::Sin), mhc);
                    }
                }
            }
        }
        out
    }

    /// `self^k` by repeated squaring.
    pub fn pow(&self, k: u32) -> QuasiPoly {
        let mut result = QuasiPoly::constant(Atom::num(1));
        let mut base = self.clone();
        let mut k = k;
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base);
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// The derivative `d/dx`.
    pub fn derivative(&self) -> QuasiPoly {
        let mut out = QuasiPoly::zero();
        for (s, c) in &self.terms {
            if s.power > 0 {
                let mut t = s.clone();
                t.power -= 1;
                out.add_term(t, c * &Atom::num(i64::from(s.power)));
            }
            if !s.rate.is_zero() {
                out.add_term(s.clone(), c * &rational_atom(&s.rate));
            }
            if !s.freq.is_zero() {
                // (cos w x)' = -w sin w x, (sin w x)' = w cos w x.
                let w = rational_atom(&s.freq);
                let (wave, sign) = match s.wave {
                    Wave::Cos => (Wave::Sin, Atom::num(-1)),
                    Wave::Sin => (Wave::Cos, Atom::num(1)),
                };
                let mut t = s.clone();
                t.wave = wave;
                out.add_term(t, c * &w * sign);
            }
        }
        out
    }

    /// An antiderivative (the one whose terms all carry a factor `x`, `e^(lambda x)` or a
    /// trigonometric factor: no constant of integration).
    pub fn antiderivative(&self) -> QuasiPoly {
        let mut out = QuasiPoly::zero();
        for (s, c) in &self.terms {
            if s.rate.is_zero() && s.freq.is_zero() {
                let j = s.power + 1;
                out.add_term(Shape::monomial(j), c / &Atom::num(i64::from(j)));
                continue;
            }
            // w_k = (-1)^k j!/(j-k)! / z^(k+1) with z = rate + i freq.
            let z = Complex {
                re: s.rate.clone(),
                im: s.freq.clone(),
            };
            let inv = z.inverse();
            let mut w = inv.clone();
            let mut falling = BigInt::one();
            for k in 0..=s.power {
                if k > 0 {
                    falling *= BigInt::from(s.power - k + 1);
                    w = w.mul(&inv);
                }
                let sign = if k % 2 == 0 { 1 } else { -1 };
                let scale = BigRational::from_integer(&falling * BigInt::from(sign));
                let u = rational_atom(&(&w.re * &scale));
                let v = rational_atom(&(&w.im * &scale));
                let shape = |wave| Shape {
                    power: s.power - k,
                    rate: s.rate.clone(),
                    freq: s.freq.clone(),
                    wave,
                };
                match s.wave {
                    // Re[e^{zx} (u + iv)] = e^{lambda x} (u cos - v sin).
                    Wave::Cos => {
                        out.add_term(shape(Wave::Cos), c * &u);
                        out.add_term(shape(Wave::Sin), -(c * &v));
                    }
                    // Im[e^{zx} (u + iv)] = e^{lambda x} (u sin + v cos).
                    Wave::Sin => {
                        out.add_term(shape(Wave::Sin), c * &u);
                        out.add_term(shape(Wave::Cos), c * &v);
                    }
                }
            }
        }
        out
    }

    /// The value at `point` (any atom: a number, a symbol, an expression).
    pub fn at(&self, point: &Atom) -> Atom {
        let mut sum = Atom::num(0);
        for (s, c) in &self.terms {
            let mut term = c * &power(point, s.power);
            if !s.rate.is_zero() {
                term *= call("exp", &(rational_atom(&s.rate) * point));
            }
            if !s.freq.is_zero() {
                let name = match s.wave {
                    Wave::Cos => "cos",
                    Wave::Sin => "sin",
                };
                term *= call(name, &(rational_atom(&s.freq) * point));
            }
            sum += term;
        }
        sum.expand()
    }

    /// `Int_lo^hi self dx`.
    pub fn integral(&self, lo: &Atom, hi: &Atom) -> Atom {
        let anti = self.antiderivative();
        (anti.at(hi) - anti.at(lo)).expand()
    }

    /// Converts a CDF (or any expression in `x`) into an exponential polynomial, or says which
    /// part of it lies outside the class.
    pub fn from_expr(e: &Expr) -> Result<QuasiPoly, SymbolicError> {
        if !e.has_var() {
            return Ok(QuasiPoly::constant(to_atom(e)));
        }
        let outside = |reason: &str| SymbolicError::OutsideClass {
            expr: e.to_string(),
            reason: reason.to_string(),
        };
        match e {
            Expr::Var => Ok(QuasiPoly::x()),
            Expr::Neg(a) => Ok(QuasiPoly::from_expr(a)?.scale(&Atom::num(-1))),
            Expr::Bin(BinOp::Add, a, b) => {
                Ok(QuasiPoly::from_expr(a)?.add(&QuasiPoly::from_expr(b)?))
            }
            Expr::Bin(BinOp::Sub, a, b) => {
                Ok(QuasiPoly::from_expr(a)?.sub(&QuasiPoly::from_expr(b)?))
            }
            Expr::Bin(BinOp::Mul, a, b) => {
                Ok(QuasiPoly::from_expr(a)?.mul(&QuasiPoly::from_expr(b)?))
            }
            Expr::Bin(BinOp::Div, a, b) => {
                if b.has_var() {
                    return Err(outside("a division by an expression in x"));
                }
                let d = to_atom(b);
                Ok(QuasiPoly::from_expr(a)?.scale(&(Atom::num(1) / d)))
            }
            Expr::Bin(BinOp::Pow, a, b) => {
                if b.has_var() {
                    if matches!(**a, Expr::Const(efftrade_model::Constant::E)) {
                        return exponential(b).ok_or_else(|| {
                            outside("e^(...) needs an exponent linear in x with a rational slope")
                        });
                    }
                    return Err(outside("a power with x in the exponent"));
                }
                match b.eval_rational(None) {
                    Some(k) if k.is_integer() && !k.is_negative() => {
                        let k = k
                            .to_integer()
                            .to_u32()
                            .ok_or_else(|| outside("a power too large"))?;
                        Ok(QuasiPoly::from_expr(a)?.pow(k))
                    }
                    _ => Err(outside(
                        "a power of an expression in x that is not a non-negative integer",
                    )),
                }
            }
            Expr::Call(Func::Exp, a) => exponential(a)
                .ok_or_else(|| outside("exp needs an argument linear in x with a rational slope")),
            Expr::Call(f @ (Func::Cos | Func::Sin), a) => {
                let (w, phi) = linear(a).ok_or_else(|| {
                    outside("cos and sin need an argument linear in x with a rational slope")
                })?;
                // cos(wx + phi) = cos phi cos wx - sin phi sin wx,
                // sin(wx + phi) = sin phi cos wx + cos phi sin wx.
                let (cp, sp) = if phi.is_zero() {
                    (Atom::num(1), Atom::num(0))
                } else {
                    (call("cos", &phi), call("sin", &phi))
                };
                let (c_cos, c_sin) = match f {
                    Func::Cos => (cp, -sp),
                    _ => (sp, cp),
                };
                let mut q = QuasiPoly::zero();
                let shape = |wave| Shape {
                    power: 0,
                    rate: BigRational::zero(),
                    freq: w.clone(),
                    wave,
                };
                q.add_term(shape(Wave::Cos), c_cos);
                q.add_term(shape(Wave::Sin), c_sin);
                Ok(q)
            }
            Expr::Call(f, _) => Err(outside(&format!(
                "{} of an expression in x has no closed-form integral here",
                f.name()
            ))),
            Expr::Num(_) | Expr::Const(_) => unreachable!("constants are handled above"),
        }
    }
}

/// `e^(lambda x + phi)` for a linear exponent.
fn exponential(arg: &Expr) -> Option<QuasiPoly> {
    let (lambda, phi) = linear(arg)?;
    let mut q = QuasiPoly::zero();
    let c = if phi.is_zero() {
        Atom::num(1)
    } else {
        call("exp", &phi)
    };
    q.add_term(
        Shape {
            power: 0,
            rate: lambda,
            freq: BigRational::zero(),
            wave: Wave::Cos,
        },
        c,
    );
    Some(q)
}

/// `arg = slope x + intercept` with a rational slope, or `None`.
fn linear(arg: &Expr) -> Option<(BigRational, Atom)> {
    let d = arg.derivative();
    if d.has_var() {
        return None;
    }
    let slope = d.eval_rational(None)?;
    let intercept = to_atom(&arg.substitute(&Expr::int(0))).expand();
    Some((slope, intercept))
}

/// A complex rational, for the integration formula.
#[derive(Clone, Debug)]
struct Complex {
    re: BigRational,
    im: BigRational,
}

impl Complex {
    fn mul(&self, o: &Complex) -> Complex {
        Complex {
            re: &self.re * &o.re - &self.im * &o.im,
            im: &self.re * &o.im + &self.im * &o.re,
        }
    }

    fn inverse(&self) -> Complex {
        let norm = &self.re * &self.re + &self.im * &self.im;
        Complex {
            re: &self.re / &norm,
            im: -&self.im / &norm,
        }
    }
}

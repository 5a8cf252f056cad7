//! Real algebraic numbers: a root of a polynomial with rational coefficients, given by its
//! minimal polynomial over the rationals and an isolating interval with rational ends.
//!
//! A critical type `v_i*` solves `F(v)^(n-1) = r_i` (Theorem 1). When `F` is a polynomial with
//! rational coefficients and `r_i` is rational, `v_i*` is a root of the rational polynomial
//! `P(v) = F(v)^(n-1) - r_i`, and its minimal polynomial is the irreducible factor of `P` that
//! vanishes at it (the factorisation over the rationals is Symbolica's). `F` is non-decreasing
//! and not constant on any interval (a polynomial), so `P` has exactly one root in `[a, b]`;
//! hence exactly one irreducible factor of `P` vanishes in `[a, b]`, and there its root is
//! simple (an irreducible polynomial is square-free), so the factor changes sign across it. The
//! support `[a, b]` is therefore already an isolating interval, which bisection on the factor's
//! sign narrows to any width: the number is known exactly, and evaluated to any number of digits
//! from rationals alone, independently of the numeric engine.

use efftrade_model::BigRational;
use efftrade_model::distribution::polynomial::{self as poly, Poly};
use efftrade_numeric::program::to_rug;
use num_traits::{One, Signed, Zero};
use rug::Float as Mpfr;
use symbolica::atom::{Atom, AtomCore, AtomView};

use crate::SymbolicError;

/// Bisections of the support when the isolating interval is printed: the interval shown is
/// `2^-PRINTED_BISECTIONS` of the support wide.
const PRINTED_BISECTIONS: u32 = 16;

/// A real algebraic number: the unique root of `minimal` in `[low, high]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AlgebraicNumber {
    minimal: Poly,
    low: BigRational,
    high: BigRational,
}

/// `p` written in the variable `var`, highest power first, in Symbolica's (and the expression
/// grammar's) input syntax: `x^3-3/2*x^2+1/8`.
pub fn poly_text(p: &Poly, var: &str) -> String {
    let mut out = String::new();
    for (i, c) in p.iter().enumerate().rev() {
        if c.is_zero() {
            continue;
        }
        let sign = if c.is_negative() { "-" } else { "+" };
        if !out.is_empty() || c.is_negative() {
            out.push_str(sign);
        }
        let m = c.abs();
        let power = match i {
            0 => String::new(),
            1 => var.to_string(),
            _ => format!("{var}^{i}"),
        };
        if i == 0 {
            out.push_str(&m.to_string());
        } else if m.is_one() {
            out.push_str(&power);
        } else {
            out.push_str(&format!("{m}*{power}"));
        }
    }
    if out.is_empty() { "0".into() } else { out }
}

/// `p` divided by its leading coefficient.
fn monic(p: &Poly) -> Poly {
    match p.last() {
        Some(lead) => p.iter().map(|c| c / lead).collect(),
        None => Vec::new(),
    }
}

/// The sign of `p(x)`: -1, 0 or 1.
fn sign_at(p: &Poly, x: &BigRational) -> i32 {
    let v = poly::eval(p, x);
    if v.is_zero() {
        0
    } else if v.is_positive() {
        1
    } else {
        -1
    }
}

/// The irreducible factors over the rationals of a non-constant `p` (monic, without
/// multiplicity), by Symbolica's factorisation.
pub fn irreducible_factors(p: &Poly) -> Result<Vec<Poly>, SymbolicError> {
    let atom = crate::parse_atom(&poly_text(p, crate::VARIABLE)).factor();
    let mut texts = Vec::new();
    let mut push = |view: AtomView<'_>| {
        let base = match view {
            AtomView::Pow(pw) => pw.get_base_exp().0.to_owned(),
            other => other.to_owned(),
        };
        texts.push(base.to_string());
    };
    match atom.as_view() {
        AtomView::Mul(m) => m.iter().for_each(&mut push),
        other => push(other),
    }
    let mut out = Vec::new();
    for text in texts {
        let factor = efftrade_model::parse(&text)
            .ok()
            .and_then(|e| poly::rational_polynomial(&e))
            .ok_or_else(|| SymbolicError::Evaluation {
                what: format!("the factor {text} of {}", poly_text(p, "x")),
                reason: "not a rational polynomial in x".into(),
            })?;
        if factor.len() > 1 {
            out.push(monic(&factor));
        }
    }
    Ok(out)
}

impl AlgebraicNumber {
    /// The root in `[low, high]` of `p`, a polynomial with exactly one root there (counted
    /// without multiplicity): its minimal polynomial is the one irreducible factor of `p` that
    /// vanishes in `[low, high]`.
    pub fn root_in(
        p: &Poly,
        low: &BigRational,
        high: &BigRational,
    ) -> Result<AlgebraicNumber, SymbolicError> {
        let factors = irreducible_factors(p)?;
        let mut found = factors.into_iter().filter_map(|m| {
            let (sl, sh) = (sign_at(&m, low), sign_at(&m, high));
            if sl == 0 {
                Some(AlgebraicNumber::rational(low))
            } else if sh == 0 {
                Some(AlgebraicNumber::rational(high))
            } else if sl != sh {
                Some(AlgebraicNumber {
                    minimal: m,
                    low: low.clone(),
                    high: high.clone(),
                })
            } else {
                None
            }
        });
        let first = found.next().ok_or_else(|| SymbolicError::Evaluation {
            what: format!("the root of {} in [{low}, {high}]", poly_text(p, "x")),
            reason: "no factor changes sign there".into(),
        })?;
        if found.next().is_some() {
            return Err(SymbolicError::Evaluation {
                what: format!("the root of {} in [{low}, {high}]", poly_text(p, "x")),
                reason: "more than one root there".into(),
            });
        }
        let width =
            (high - low) / BigRational::from_integer(2.into()).pow(PRINTED_BISECTIONS as i32);
        let (low, high) = first.refine(&width);
        Ok(AlgebraicNumber { low, high, ..first })
    }

    /// The rational number `q`.
    pub fn rational(q: &BigRational) -> AlgebraicNumber {
        AlgebraicNumber {
            minimal: vec![-q.clone(), BigRational::one()],
            low: q.clone(),
            high: q.clone(),
        }
    }

    /// The monic minimal polynomial (coefficients of `x^0, x^1, ...`).
    pub fn minimal(&self) -> &Poly {
        &self.minimal
    }

    /// The degree of the number over the rationals.
    pub fn degree(&self) -> usize {
        self.minimal.len() - 1
    }

    /// The number itself when it is rational.
    pub fn as_rational(&self) -> Option<BigRational> {
        (self.degree() == 1).then(|| -&self.minimal[0])
    }

    /// The isolating interval `[low, high]`.
    pub fn interval(&self) -> (&BigRational, &BigRational) {
        (&self.low, &self.high)
    }

    /// An isolating interval at most `width` wide, by bisection on the sign of the minimal
    /// polynomial (which changes sign across its simple root).
    pub fn refine(&self, width: &BigRational) -> (BigRational, BigRational) {
        let (mut lo, mut hi) = (self.low.clone(), self.high.clone());
        if self.degree() == 1 {
            return (lo, hi);
        }
        let two = BigRational::from_integer(2.into());
        let s_lo = sign_at(&self.minimal, &lo);
        while &hi - &lo > *width {
            let mid = (&lo + &hi) / &two;
            match sign_at(&self.minimal, &mid) {
                0 => return (mid.clone(), mid),
                s if s == s_lo => lo = mid,
                _ => hi = mid,
            }
        }
        (lo, hi)
    }

    /// The number at `prec` bits: the isolating interval is narrowed, from rationals alone, below
    /// `2^-(prec + 8)` times the smaller of the number's magnitude (at least `2^-10`) and 1, and
    /// its midpoint rounded.
    pub fn to_float(&self, prec: u32) -> Mpfr {
        if let Some(q) = self.as_rational() {
            return Mpfr::with_val(prec, to_rug(&q));
        }
        let magnitude = self.low.abs().max(self.high.abs()).max(BigRational::one());
        let smallest = self
            .low
            .abs()
            .min(self.high.abs())
            .max(BigRational::new(1.into(), 1024.into()));
        let scale = BigRational::from_integer(2.into()).pow(-((prec + 8) as i32));
        let width = scale * smallest.min(magnitude);
        let (lo, hi) = self.refine(&width);
        let mid = (lo + hi) / BigRational::from_integer(2.into());
        Mpfr::with_val(prec, to_rug(&mid))
    }

    /// `p(theta)` for this number `theta`, reduced to a polynomial of degree below the degree of
    /// `theta` (the remainder of `p` modulo the minimal polynomial).
    pub fn reduce(&self, p: &Poly) -> Poly {
        poly::div_rem(p, &self.minimal).1
    }

    /// The inverse of `p(theta)` as a reduced polynomial in `theta`, by the extended Euclidean
    /// algorithm against the minimal polynomial (irreducible, so any `p(theta) != 0` is
    /// invertible); `None` when `p(theta) = 0`.
    pub fn inverse(&self, p: &Poly) -> Option<Poly> {
        // Invariant: s * p == r (mod minimal).
        let (mut r0, mut r1) = (self.minimal.clone(), self.reduce(p));
        let (mut s0, mut s1): (Poly, Poly) = (Vec::new(), vec![BigRational::one()]);
        while !r1.is_empty() {
            let (q, r) = poly::div_rem(&r0, &r1);
            let s = poly::sub(&s0, &poly::mul(&q, &s1));
            (r0, r1) = (r1, r);
            (s0, s1) = (s1, s);
        }
        // r0 is the gcd, a non-zero constant when p(theta) != 0.
        (r0.len() == 1).then(|| {
            let c = &r0[0];
            self.reduce(&s0.iter().map(|x| x / c).collect())
        })
    }

    /// How the number is printed: the rational itself, or `the root of m(x) in [low, high]`.
    pub fn describe(&self) -> String {
        match self.as_rational() {
            Some(q) => q.to_string(),
            None => format!(
                "the root of {} in [{}, {}] (degree {})",
                poly_text(&self.minimal, "x"),
                self.low,
                self.high,
                self.degree()
            ),
        }
    }

    /// The number as a Symbolica atom when it is rational.
    pub fn rational_atom(&self) -> Option<Atom> {
        self.as_rational()
            .map(|q| crate::parse_atom(&format!("({})/({})", q.numer(), q.denom())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn polynomials_print_in_the_grammar() {
        assert_eq!(
            poly_text(&vec![q(1, 8), q(0, 1), q(-3, 2), q(1, 1)], "x"),
            "x^3-3/2*x^2+1/8"
        );
        assert_eq!(poly_text(&vec![q(-1, 2), q(1, 1)], "v"), "v-1/2");
        assert_eq!(poly_text(&Vec::new(), "x"), "0");
    }

    #[test]
    fn inverse_in_the_field_of_sqrt_two() {
        // theta = sqrt(2): 1/(1 + theta) = theta - 1.
        let theta = AlgebraicNumber {
            minimal: vec![q(-2, 1), q(0, 1), q(1, 1)],
            low: q(1, 1),
            high: q(2, 1),
        };
        assert_eq!(
            theta.inverse(&vec![q(1, 1), q(1, 1)]),
            Some(vec![q(-1, 1), q(1, 1)])
        );
        // theta^3 = 2 theta.
        assert_eq!(
            theta.reduce(&vec![q(0, 1), q(0, 1), q(0, 1), q(1, 1)]),
            vec![q(0, 1), q(2, 1)]
        );
        let v = theta.to_float(200);
        let err = Mpfr::with_val(200, v.square_ref()) - 2u32;
        assert!(err.abs() < Mpfr::with_val(200, 1e-58));
    }
}

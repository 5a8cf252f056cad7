//! `T1` and `beta*` with the critical types filled in exactly.
//!
//! [`crate::closed`] writes `T1` and `beta*` in the symbols `v1, v2, ...` of the critical types
//! `v_c*`, the roots of `F(v)^(n-1) = r_c` (Theorem 1). When `F` is a polynomial with rational
//! coefficients on a rational support, each `v_c*` is an algebraic number
//! ([`AlgebraicNumber`]): its minimal polynomial is found by factoring `F(v)^(n-1) - r_c` over the
//! rationals. Then
//! - a root of degree 1 is a rational number, substituted as such (Beta(2, 2) with `n = 2`:
//!   `v* = 1/2`, `T1 = 33/560`, `beta* = 22/13`);
//! - for the uniform and power families `F = ((x - a)/(b - a))^k` it is the radical
//!   `v_c* = a + (b - a) r_c^(1/(k(n-1)))`, substituted as such;
//! - otherwise it stays a symbol standing for the root of its minimal polynomial in an isolating
//!   interval, and `T1`, a polynomial in it, is reduced modulo the minimal polynomial (degree
//!   below the number's degree). With one such class `beta* = -n T1/(T1 + T2)` is reduced too: the
//!   inverse of `T1 + T2` in the field the number generates comes from the extended Euclidean
//!   algorithm.
//!
//! `T1` is a sum of one polynomial per class (`T1 = b + (n-1) Int F^n - sum_c count_c (r_c v_c +
//! Int_(v_c)^b F^(n-1))`), so each class is reduced on its own; that the parts add up to `T1` is
//! checked exactly.

use efftrade_model::distribution::polynomial::{self as poly, Poly};
use efftrade_model::{BigRational, Distribution, Family, UpperEnd};
use efftrade_numeric::Certified;
use num_traits::{One, Zero};
use symbolica::atom::{Atom, AtomCore};

use crate::algebraic::{AlgebraicNumber, poly_text};
use crate::closed::{MarketForms, normaliser};
use crate::eval::{Bindings, certified};
use crate::{SymbolicError, parse_atom};

/// The exact value of one class's critical type.
#[derive(Clone, Debug)]
pub struct ExactCritical {
    /// The symbol it replaces (`v1`, ...).
    pub symbol: String,
    /// The algebraic number (minimal polynomial and isolating interval).
    pub number: AlgebraicNumber,
    /// The radical form, for the uniform and power families when not rational.
    pub radical: Option<Atom>,
}

impl ExactCritical {
    /// Whether the number stays a symbol in the exact forms (irrational and not a radical).
    pub fn is_symbolic(&self) -> bool {
        self.radical.is_none() && self.number.as_rational().is_none()
    }

    /// One line: `v1 = 1/2`, `v1 = (3/10)^(1/2)`, or `v1 = the root of ... in [l, h]`, each with
    /// the minimal polynomial when irrational.
    pub fn describe(&self) -> String {
        match (&self.radical, self.number.as_rational()) {
            (_, Some(q)) => format!("{} = {q}", self.symbol),
            (Some(r), None) => format!("{} = {r}, {}", self.symbol, self.number.describe()),
            (None, None) => format!("{} = {}", self.symbol, self.number.describe()),
        }
    }
}

/// `T1` and `beta*` with the critical types exact.
#[derive(Clone, Debug)]
pub struct ExactForms {
    /// Each class's critical type (classes with share 0 or 1 have none: `a` or `b` exactly).
    pub critical: Vec<ExactCritical>,
    /// `T1`: a rational, a radical expression, or a reduced polynomial in the symbols of the
    /// critical types that are neither.
    pub t1: Atom,
    /// `beta* = -n T1/(T1 + T2)`, reduced likewise.
    pub beta_star: Atom,
}

/// A rational support `[a, b]` and `F` as a rational polynomial, when the distribution is one.
fn rational_setting(dist: &Distribution) -> Option<(Poly, BigRational, BigRational)> {
    if normaliser(dist).is_some() {
        return None;
    }
    let UpperEnd::Given(upper) = dist.upper() else {
        return None;
    };
    let a = dist.lower().eval_rational(None)?;
    let b = upper.eval_rational(None)?;
    let f = poly::rational_polynomial(&dist.cdf())?;
    Some((f, a, b))
}

/// The exponent `k(n-1)` of the power family's critical types, when `dist` is that family with
/// an integer `k` (the uniform is `k = 1`).
fn power_exponent(dist: &Distribution, n: u32) -> Option<BigRational> {
    let k = match dist.family() {
        Some(Family::Uniform) => BigRational::one(),
        Some(Family::Power { k }) if k.is_integer() => k.clone(),
        _ => return None,
    };
    Some(k * BigRational::from_integer((n - 1).into()))
}

fn q_atom(q: &BigRational) -> String {
    format!("({})/({})", q.numer(), q.denom())
}

/// An atom that is a polynomial in `var` with rational coefficients, as one (`None` otherwise).
fn atom_poly(atom: &Atom, var: &str) -> Option<Poly> {
    let text = atom
        .replace(parse_atom(var))
        .with(parse_atom("x"))
        .to_string();
    poly::rational_polynomial(&efftrade_model::parse(&text).ok()?)
}

/// The exact forms of `forms`, when the critical types are algebraic numbers (a polynomial `F`
/// with rational coefficients on a rational support); `None` otherwise.
pub fn exact_forms(
    dist: &Distribution,
    forms: &MarketForms,
) -> Result<Option<ExactForms>, SymbolicError> {
    let Some((f, a, b)) = rational_setting(dist) else {
        return Ok(None);
    };
    let n = forms.n;
    let mut f_n1: Poly = vec![BigRational::one()];
    for _ in 1..n {
        f_n1 = poly::mul(&f_n1, &f);
    }
    let symbols: Vec<String> = forms
        .classes
        .iter()
        .filter(|c| c.is_symbol)
        .map(|c| c.critical.to_string())
        .collect();
    let zero_all = |atom: &Atom, keep: Option<&str>| {
        let mut out = atom.clone();
        for s in symbols.iter().filter(|s| Some(s.as_str()) != keep) {
            out = out.replace(parse_atom(s)).with(Atom::num(0));
        }
        out.expand()
    };
    let bad = |what: &str| SymbolicError::Evaluation {
        what: what.to_string(),
        reason: "not a rational polynomial".into(),
    };
    let constant = atom_poly(&zero_all(&forms.t1, None), "x").ok_or_else(|| bad("T1 at 0"))?;
    let constant = constant.first().cloned().unwrap_or_else(BigRational::zero);
    let t2 = atom_poly(&forms.t2, "x")
        .ok_or_else(|| bad("T2"))?
        .first()
        .cloned()
        .unwrap_or_else(BigRational::zero);

    let mut critical = Vec::new();
    // T1 = constant + sum of the classes' parts; rational parts are folded into `rational`.
    let mut rational = constant.clone();
    let mut parts = Vec::new();
    let mut check = parse_atom(&q_atom(&constant));
    let mut symbolic_parts: Vec<(usize, Poly)> = Vec::new();
    for c in forms.classes.iter().filter(|c| c.is_symbol) {
        let symbol = c.critical.to_string();
        let mut part = atom_poly(&zero_all(&forms.t1, Some(&symbol)), &symbol)
            .ok_or_else(|| bad(&format!("T1 in {symbol}")))?;
        if let Some(c0) = part.first_mut() {
            *c0 -= &constant;
        }
        let part = poly::trim(part);
        check += parse_atom(&poly_text(&part, &symbol));
        let mut p = f_n1.clone();
        if p.is_empty() {
            p.push(BigRational::zero());
        }
        p[0] -= &c.share;
        let number = AlgebraicNumber::root_in(&poly::trim(p), &a, &b)?;
        let radical = match (number.as_rational(), power_exponent(dist, n)) {
            (None, Some(e)) => Some(
                parse_atom(&format!(
                    "{}+({}-{})*({})^(1/({}))",
                    q_atom(&a),
                    q_atom(&b),
                    q_atom(&a),
                    q_atom(&c.share),
                    q_atom(&e)
                ))
                .expand(),
            ),
            _ => None,
        };
        let exact = ExactCritical {
            symbol: symbol.clone(),
            number,
            radical,
        };
        if let Some(q) = exact.number.as_rational() {
            rational += poly::eval(&part, &q);
        } else if let Some(r) = &exact.radical {
            let at = parse_atom(&poly_text(&part, &symbol))
                .replace(parse_atom(&symbol))
                .with(r.clone())
                .expand();
            parts.push(at);
        } else {
            symbolic_parts.push((critical.len(), exact.number.reduce(&part)));
        }
        critical.push(exact);
    }
    if !(check - &forms.t1).expand().is_zero() {
        return Err(SymbolicError::Evaluation {
            what: format!("T1 = {} split into one part per class", forms.t1),
            reason: "the parts do not add up to T1".into(),
        });
    }
    let nn = BigRational::from_integer(n.into());
    let (t1, beta_star) = match (symbolic_parts.as_slice(), parts.is_empty()) {
        // One algebraic class: T1 and beta* in the field it generates.
        ([(i, reduced)], true) => {
            let theta = &critical[*i];
            let mut t1 = reduced.clone();
            if t1.is_empty() {
                t1.push(BigRational::zero());
            }
            t1[0] += &rational;
            let t1 = poly::trim(t1);
            let mut sum = t1.clone();
            if sum.is_empty() {
                sum.push(BigRational::zero());
            }
            sum[0] += &t2;
            let star = theta
                .number
                .inverse(&poly::trim(sum))
                .map(|inv| {
                    let p = theta.number.reduce(&poly::mul(&t1, &inv));
                    p.iter().map(|c| -(c * &nn)).collect::<Poly>()
                })
                .ok_or_else(|| SymbolicError::Evaluation {
                    what: "beta*".into(),
                    reason: "T1 + T2 = 0".into(),
                })?;
            (
                parse_atom(&poly_text(&t1, &theta.symbol)),
                parse_atom(&poly_text(&poly::trim(star), &theta.symbol)),
            )
        }
        _ => {
            let mut t1 = parse_atom(&q_atom(&rational));
            for p in &parts {
                t1 += p;
            }
            for (i, reduced) in &symbolic_parts {
                t1 += parse_atom(&poly_text(reduced, &critical[*i].symbol));
            }
            let t1 = t1.expand();
            let beta_star = -(parse_atom(&q_atom(&nn)) * &t1) / (&t1 + parse_atom(&q_atom(&t2)));
            (t1, beta_star)
        }
    };
    Ok(Some(ExactForms {
        critical,
        t1,
        beta_star,
    }))
}

impl ExactForms {
    /// The values of the symbols that stay in the forms, at `prec` bits, from the algebraic
    /// numbers alone (not from the numeric engine).
    pub fn bindings(&self, prec: u32) -> Bindings {
        self.critical
            .iter()
            .filter(|c| c.is_symbolic())
            .map(|c| (c.symbol.clone(), c.number.to_float(prec)))
            .collect()
    }

    /// `atom` (one of these forms) to `digits` certified digits.
    pub fn value(&self, atom: &Atom, digits: u32) -> Result<Certified, SymbolicError> {
        certified(atom, digits, |prec| Ok(self.bindings(prec)))
    }
}

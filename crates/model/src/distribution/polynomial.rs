//! An exact certificate that a polynomial density is non-negative on `[a, b]`, for CDFs that are
//! polynomials with rational coefficients on a rational support (the uniform, power with integer
//! `k`, integer-shape Beta and Kumaraswamy families, smootherstep, ...).
//!
//! Interval bounds of a density cannot prove `f >= 0` next to a zero of `f` (the bound of any
//! interval around the zero reaches below it), so the interval certificate of
//! [`super::monotone`] needs a tolerance there. Over the rationals no tolerance is needed: the
//! distinct real roots of `f` in `(a, b)` are isolated by Sturm's theorem applied to the
//! square-free part `g = f / gcd(f, f')` (the number of distinct roots of `g` in `(l, h]` is
//! `V(l) - V(h)`, `V` counting sign changes along the Sturm sequence; Basu, Pollack and Roy,
//! "Algorithms in Real Algebraic Geometry", Theorem 2.50), and `f`'s sign is constant between
//! consecutive roots, where it is evaluated exactly at a rational point. A zero of any order is
//! then no obstacle, and any decrease, however small, is found with the stretch where it occurs.

use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::expr::{BinOp, Expr};

/// Coefficients of `x^0, x^1, ...`, without trailing zeros (the zero polynomial is empty).
pub type Poly = Vec<BigRational>;

/// Densities of higher degree are left to the interval certificate (Sturm sequences of rational
/// polynomials grow quickly in their coefficients' sizes).
pub const MAX_DEGREE: usize = 60;

/// Bisections of an isolating interval when locating a root for a message.
const REFINEMENTS: u32 = 48;

/// `e` as a polynomial in `x` with rational coefficients, if it is one of degree at most
/// [`MAX_DEGREE`].
pub fn rational_polynomial(e: &Expr) -> Option<Poly> {
    let p = match e {
        Expr::Num(q) => vec![q.clone()],
        Expr::Var => vec![BigRational::zero(), BigRational::one()],
        Expr::Const(_) | Expr::Call(..) => return None,
        Expr::Neg(a) => rational_polynomial(a)?.into_iter().map(|c| -c).collect(),
        Expr::Bin(op, a, b) => match op {
            BinOp::Add => add(&rational_polynomial(a)?, &rational_polynomial(b)?),
            BinOp::Sub => sub(&rational_polynomial(a)?, &rational_polynomial(b)?),
            BinOp::Mul => mul(&rational_polynomial(a)?, &rational_polynomial(b)?),
            BinOp::Div => {
                let d = b.eval_rational(None).filter(|d| !d.is_zero())?;
                rational_polynomial(a)?
                    .into_iter()
                    .map(|c| c / &d)
                    .collect()
            }
            BinOp::Pow => {
                let k = b
                    .eval_rational(None)
                    .filter(|k| k.is_integer() && !k.is_negative())?
                    .to_integer()
                    .to_usize()
                    .filter(|&k| k <= MAX_DEGREE)?;
                let base = rational_polynomial(a)?;
                let mut p = vec![BigRational::one()];
                for _ in 0..k {
                    p = mul(&p, &base);
                    if p.len() > MAX_DEGREE + 1 {
                        return None;
                    }
                }
                p
            }
        },
    };
    let p = trim(p);
    (p.len() <= MAX_DEGREE + 1).then_some(p)
}

/// `p` without its trailing zero coefficients.
pub fn trim(mut p: Poly) -> Poly {
    while p.last().is_some_and(Zero::is_zero) {
        p.pop();
    }
    p
}

/// `a + b`.
pub fn add(a: &Poly, b: &Poly) -> Poly {
    let n = a.len().max(b.len());
    let at = |p: &Poly, i: usize| p.get(i).cloned().unwrap_or_else(BigRational::zero);
    trim((0..n).map(|i| at(a, i) + at(b, i)).collect())
}

/// `a - b`.
pub fn sub(a: &Poly, b: &Poly) -> Poly {
    add(a, &b.iter().map(|c| -c).collect())
}

/// `a b`.
pub fn mul(a: &Poly, b: &Poly) -> Poly {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![BigRational::zero(); a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    trim(out)
}

/// `p'`.
pub fn derivative(p: &Poly) -> Poly {
    trim(
        p.iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| c * BigRational::from_integer(i.into()))
            .collect(),
    )
}

/// `p(x)` by Horner's rule.
pub fn eval(p: &Poly, x: &BigRational) -> BigRational {
    p.iter()
        .rev()
        .fold(BigRational::zero(), |acc, c| acc * x + c)
}

/// Quotient and remainder of `a / b`, `b` not zero.
pub fn div_rem(a: &Poly, b: &Poly) -> (Poly, Poly) {
    let mut r = a.clone();
    let lead = b.last().expect("a non-zero divisor");
    let mut q = vec![BigRational::zero(); a.len().saturating_sub(b.len()) + 1];
    while r.len() >= b.len() && !r.is_empty() {
        let shift = r.len() - b.len();
        let c = r.last().expect("not empty") / lead;
        for (i, bc) in b.iter().enumerate() {
            r[shift + i] -= &c * bc;
        }
        q[shift] = c;
        r = trim(r);
    }
    (trim(q), r)
}

/// The monic greatest common divisor of `a` and `b` (empty when both are zero).
pub fn gcd(a: &Poly, b: &Poly) -> Poly {
    let (mut a, mut b) = (a.clone(), b.clone());
    while !b.is_empty() {
        let r = div_rem(&a, &b).1;
        a = b;
        b = r;
    }
    // Monic, so that the quotient below stays small.
    match a.last().cloned() {
        Some(lead) => a.into_iter().map(|c| c / &lead).collect(),
        None => a,
    }
}

/// The Sturm sequence of a square-free `g`: `g, g', -rem(g, g'), ...`.
fn sturm(g: &Poly) -> Vec<Poly> {
    let mut seq = vec![g.clone(), derivative(g)];
    while let [.., p, q] = &seq[..] {
        if q.is_empty() {
            seq.pop();
            break;
        }
        let r: Poly = div_rem(p, q).1.into_iter().map(|c| -c).collect();
        if r.is_empty() {
            break;
        }
        seq.push(r);
    }
    seq
}

/// Sign changes along the Sturm sequence at `x` (zeros skipped).
fn variations(seq: &[Poly], x: &BigRational) -> usize {
    let signs: Vec<bool> = seq
        .iter()
        .map(|p| eval(p, x))
        .filter(|v| !v.is_zero())
        .map(|v| v.is_positive())
        .collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// What the exact certificate found.
#[derive(Debug, PartialEq)]
pub(super) enum Verdict {
    /// `f >= 0` on `[a, b]`.
    NonNegative,
    /// `f < 0` between the consecutive roots (or ends) `from` and `to`, with `f(at) = value`.
    Negative {
        /// Start of the stretch (a root of `f`, or `a`).
        from: f64,
        /// Its end (a root of `f`, or `b`).
        to: f64,
        /// A point of the stretch.
        at: f64,
        /// `f` there.
        value: f64,
    },
}

/// Decides `f >= 0` on `[a, b]` exactly (`a < b`).
pub(super) fn non_negative(f: &Poly, a: &BigRational, b: &BigRational) -> Verdict {
    if f.is_empty() {
        return Verdict::NonNegative;
    }
    let g = div_rem(f, &gcd(f, &derivative(f))).0;
    let seq = sturm(&g);
    // Isolate the distinct roots of g in (a, b): intervals (l, h] holding one root each.
    let mut open = vec![(a.clone(), b.clone())];
    let mut roots: Vec<(BigRational, BigRational)> = Vec::new();
    let two = BigRational::from_integer(2.into());
    while let Some((l, h)) = open.pop() {
        let mut count = variations(&seq, &l) - variations(&seq, &h);
        if h == *b && eval(&g, b).is_zero() {
            count -= 1; // the root at b itself bounds the last stretch
        }
        match count {
            0 => {}
            1 if !(h == *b && eval(&g, b).is_zero()) => roots.push((l, h)),
            _ => {
                let m = (&l + &h) / &two;
                open.push((l, m.clone()));
                open.push((m, h));
            }
        }
    }
    roots.sort();
    // Each root located to REFINEMENTS halvings, for the stretch's ends.
    let located: Vec<(BigRational, BigRational)> = roots
        .into_iter()
        .map(|(mut l, mut h)| {
            for _ in 0..REFINEMENTS {
                let m = (&l + &h) / &two;
                if variations(&seq, &l) - variations(&seq, &m) == 1 {
                    h = m;
                } else {
                    l = m;
                }
            }
            (l, h)
        })
        .collect();
    // The stretches between consecutive roots, f's sign at a rational point inside each.
    let mut ends: Vec<(BigRational, BigRational)> = vec![(a.clone(), a.clone())];
    ends.extend(located);
    ends.push((b.clone(), b.clone()));
    let to_f64 = |q: &BigRational| crate::expr::rational_to_f64(q);
    for w in ends.windows(2) {
        let (from, to) = (&w[0].1, &w[1].0);
        let mut at = (from + to) / &two;
        if eval(f, &at).is_zero() {
            // `at` is the root that ends the previous stretch: step right, short of the next.
            let mut m = (&at + &w[1].1) / &two;
            while variations(&seq, &at) != variations(&seq, &m) {
                m = (&at + &m) / &two;
            }
            at = m;
        }
        let value = eval(f, &at);
        if value.is_negative() {
            return Verdict::Negative {
                from: to_f64(&((&w[0].0 + &w[0].1) / &two)),
                to: to_f64(&((&w[1].0 + &w[1].1) / &two)),
                at: to_f64(&at),
                value: to_f64(&value),
            };
        }
    }
    Verdict::NonNegative
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    fn verdict(density: &str, a: BigRational, b: BigRational) -> Verdict {
        let p = rational_polynomial(&parse(density).unwrap()).unwrap();
        non_negative(&p, &a, &b)
    }

    #[test]
    fn zeros_of_any_order_are_no_obstacle() {
        // Beta(3, 3), Beta(4, 4) and smootherstep: zeros of order 2 and 3 at both ends.
        for density in [
            "30*x^2*(1 - x)^2",
            "140*x^3*(1 - x)^3",
            "30*x^2 - 60*x^3 + 30*x^4",
            "(x - 1/2)^2",
            "(x - 1/3)^4*(x - 2/3)^2",
        ] {
            assert_eq!(
                verdict(density, q(0, 1), q(1, 1)),
                Verdict::NonNegative,
                "{density}"
            );
        }
    }

    #[test]
    fn every_decrease_is_found_with_its_stretch() {
        // A dip of depth 1e-30 between the roots 1/2 - 1e-15 and 1/2 + 1e-15.
        let Verdict::Negative {
            from, to, value, ..
        } = verdict("(x - 1/2)^2 - 1/10^30", q(0, 1), q(1, 1))
        else {
            panic!("a decrease");
        };
        assert!(
            (from - 0.5).abs() < 1e-14 && (to - 0.5).abs() < 1e-14,
            "{from} {to}"
        );
        assert!((-1e-30..0.0).contains(&value), "{value}");
        // A sign change at an odd root.
        let Verdict::Negative { from, to, .. } = verdict("x - 1/3", q(0, 1), q(1, 1)) else {
            panic!("a decrease");
        };
        assert_eq!(from, 0.0);
        assert!((to - 1.0 / 3.0).abs() < 1e-14, "{to}");
    }

    #[test]
    fn only_polynomials_of_moderate_degree_are_taken() {
        assert!(rational_polynomial(&parse("x^2*(3 - 2*x)/7").unwrap()).is_some());
        assert!(rational_polynomial(&parse("sin(x)").unwrap()).is_none());
        assert!(rational_polynomial(&parse("pi*x").unwrap()).is_none());
        assert!(rational_polynomial(&parse("x^0.5").unwrap()).is_none());
        assert!(rational_polynomial(&parse("x^1000000").unwrap()).is_none());
    }
}

//! Lemma 3 in exact form: `alpha`, `c`, `A1`, `A2` and Watson's expansion of `Int_a^b F^N dp`.
//!
//! Near `b`, `1 - F(b - h) = sum_k s_k h^k` with `s_k = (-1)^(k+1) F^(k)(b)/k!`; `alpha` is the
//! first `k` with `s_k != 0` and `c = s_alpha` (L3-1). With `phi(h) = -log F(b - h)
//! = c h^alpha (1 + e_1 h + ...)`, substituting `s = phi(h)` gives (Watson's lemma)
//!
//! `Int_a^b F^N dp ~ sum_(k>=1) a_k Gamma(1 + k/alpha) N^(-k/alpha)`,
//!
//! where `h = sum_k a_k s^(k/alpha)` is the reversion of `s^(1/alpha) = c^(1/alpha) h (1 + e_1 h +
//! ...)^(1/alpha)`. The leading term is `A2 = Gamma(1 + 1/alpha) c^(-1/alpha)` (L3-2), and
//! `A1 = c^(-1/alpha)` (L3-1). The paper's proof of (L3-2) arrives instead at
//! `sum_(k>=1) e^(-c k^alpha)` (a unit-step Riemann sum of `Int_0^inf e^(-c s^alpha) ds`), which is
//! `1/(e^c - 1)` for `alpha = 1`; [`Watson::paper_a2`] keeps it for comparison.

use efftrade_model::Distribution;
use efftrade_numeric::Certified;
use symbolica::atom::{Atom, AtomCore};
use symbolica::parse;

use crate::SymbolicError;
use crate::closed::cdf_parts;
use crate::eval::{Bindings, certified};

/// The highest derivative order searched for `alpha`.
pub const MAX_ALPHA: u32 = 24;

/// How a derivative `F^(k)(b)` was found to vanish or not.
#[derive(Clone, Debug, PartialEq)]
pub enum ZeroTest {
    /// The exact expression is zero.
    ExactlyZero,
    /// The exact expression is non-zero: its value has certified digits.
    NonZero,
    /// Not zero as an expression, but its value is below `2^-bits` at every precision tried:
    /// treated as zero (this is the stated tolerance of the test).
    NumericallyZero {
        /// The tolerance exponent.
        bits: u32,
    },
}

/// Lemma 3's constants and expansion, exactly.
#[derive(Clone, Debug)]
pub struct Lemma3Forms {
    /// `F^(k)(b)` for `k = 1..=alpha`, with how each was tested against zero.
    pub derivatives: Vec<(Atom, ZeroTest)>,
    /// The order `alpha`.
    pub alpha: u32,
    /// `c`, `A1`, `A2`, the paper's `A2` and Watson's expansion, from the Taylor coefficients of
    /// `1 - F(b - h)`.
    pub watson: Watson,
}

/// `Gamma(1 + k/alpha)` in closed form where elementary (`alpha` 1 or 2), else `gamma(p/q)`.
fn gamma_one_plus(k: u32, alpha: u32, used: &mut Vec<(u32, u32)>) -> Atom {
    let (p, q) = reduce(alpha + k, alpha);
    if q == 1 {
        // Gamma(p) = (p-1)!.
        let mut f = Atom::num(1);
        for i in 2..p {
            f *= Atom::num(i64::from(i));
        }
        return f;
    }
    if q == 2 {
        // Gamma(m + 1/2) = (2m)! / (4^m m!) sqrt(pi), p = 2m + 1.
        let m = (p - 1) / 2;
        let mut num = Atom::num(1);
        for i in (m + 1)..=(2 * m) {
            num *= Atom::num(i64::from(i));
        }
        return num / parse!(&format!("4^{m}")) * parse!("𝜋^(1/2)");
    }
    if !used.contains(&(p, q)) {
        used.push((p, q));
    }
    parse!(&format!("gamma({p}/{q})"))
}

fn reduce(p: u32, q: u32) -> (u32, u32) {
    let (mut x, mut y) = (p, q);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    (p / x, q / x)
}

/// Truncated power series with atom coefficients (index = power).
fn series_mul(x: &[Atom], y: &[Atom], len: usize) -> Vec<Atom> {
    let mut out = vec![Atom::num(0); len];
    for (i, a) in x.iter().enumerate() {
        if a.is_zero() {
            continue;
        }
        for (j, b) in y.iter().enumerate() {
            if i + j < len && !b.is_zero() {
                out[i + j] = (&out[i + j] + a * b).expand();
            }
        }
    }
    out
}

/// Derives Lemma 3's constants for `dist` and Watson's expansion to `order` terms; `bind` gives
/// the numeric value of `b` (when solved) for the zero tests.
pub fn derive<B>(dist: &Distribution, order: u32, mut bind: B) -> Result<Lemma3Forms, SymbolicError>
where
    B: FnMut(u32) -> Result<Bindings, SymbolicError>,
{
    let (f, _a, b) = cdf_parts(dist)?;
    let mut derivatives = Vec::new();
    let mut d = f.clone();
    let mut alpha = None;
    for k in 1..=MAX_ALPHA {
        d = d.derivative();
        let value = d.at(&b);
        let test = zero_test(&value, &mut bind)?;
        let nonzero = test == ZeroTest::NonZero;
        derivatives.push((value, test));
        if nonzero {
            alpha = Some(k);
            break;
        }
    }
    let alpha = alpha.ok_or_else(|| {
        SymbolicError::Lemma3(format!(
            "the first {MAX_ALPHA} derivatives of F vanish at b: F is too flat at b"
        ))
    })?;
    // Taylor coefficients s_k of 1 - F(b - h), k = 0..alpha+order-1.
    let len = (alpha + order) as usize;
    let mut s = vec![Atom::num(0); len];
    let mut fact = Atom::num(1);
    let mut dk = f.clone();
    for (k, slot) in s.iter_mut().enumerate().skip(1) {
        dk = dk.derivative();
        fact *= Atom::num(k as i64);
        let sign = if k % 2 == 1 { 1 } else { -1 };
        *slot = (Atom::num(sign) * dk.at(&b) / &fact).expand();
    }
    Ok(Lemma3Forms {
        derivatives,
        alpha,
        watson: watson(s, alpha, order),
    })
}

/// Lemma 3's constants and Watson's expansion from the Taylor coefficients `s_k` of
/// `1 - F(b - h) = sum_k s_k h^k` (index = power; at least `alpha + order` of them, those below
/// `alpha` zero or treated as zero), `alpha` the first non-vanishing order.
#[derive(Clone, Debug)]
pub struct Watson {
    /// `c = s_alpha`.
    pub c: Atom,
    /// `A1 = c^(-1/alpha)`.
    pub a1: Atom,
    /// `A2 = Gamma(1 + 1/alpha) c^(-1/alpha)`.
    pub a2: Atom,
    /// The value the paper's proof of (L3-2) arrives at: `1/(e^c - 1)` for `alpha = 1`, else
    /// `sum_(k>=1) e^(-c k^alpha)` written as a function `paper_sum(c, alpha)`.
    pub paper_a2: Atom,
    /// Watson's expansion `sum_(k=1)^order a_k Gamma(1 + k/alpha) N^(-k/alpha)` in the symbol `N`.
    pub expansion: Atom,
    /// Its coefficients `a_k Gamma(1 + k/alpha)` of `N^(-k/alpha)`, `k = 1..=order`.
    pub coefficients: Vec<Atom>,
    /// `Gamma` values the expressions contain (as `gamma(p/q)`), bound numerically when evaluated.
    pub gammas: Vec<(u32, u32)>,
}

/// Derives [`Watson`] from the Taylor coefficients `s` of `1 - F(b - h)` (see the module docs).
pub fn watson(mut s: Vec<Atom>, alpha: u32, order: u32) -> Watson {
    let len = (alpha + order) as usize;
    s.resize(len, Atom::num(0));
    // Below alpha the derivatives vanish (exactly or to the stated tolerance).
    for slot in s.iter_mut().take(alpha as usize) {
        *slot = Atom::num(0);
    }
    let c = s[alpha as usize].clone();
    // phi = -log(1 - s) = sum_m s^m / m.
    let mut phi = vec![Atom::num(0); len];
    let mut s_pow = s.clone();
    for m in 1..len {
        for (p, t) in phi.iter_mut().zip(&s_pow) {
            *p = (&*p + t / &Atom::num(m as i64)).expand();
        }
        s_pow = series_mul(&s_pow, &s, len);
    }
    // psi = phi / (c h^alpha) = 1 + e_1 h + ..., degree < order.
    let k_len = order as usize;
    let psi: Vec<Atom> = (0..k_len)
        .map(|j| (&phi[alpha as usize + j] / &c).expand())
        .collect();
    // psi^(1/alpha) = sum_m binom(1/alpha, m) (psi - 1)^m.
    let mut y = psi.clone();
    y[0] = Atom::num(0);
    let inv_alpha = Atom::num(1) / Atom::num(i64::from(alpha));
    let mut root = vec![Atom::num(0); k_len];
    root[0] = Atom::num(1);
    let mut y_pow = vec![Atom::num(0); k_len];
    y_pow[0] = Atom::num(1);
    let mut binom = Atom::num(1);
    for m in 1..k_len {
        binom = (binom * (&inv_alpha - Atom::num(m as i64 - 1)) / Atom::num(m as i64)).expand();
        y_pow = series_mul(&y_pow, &y, k_len);
        for (r, t) in root.iter_mut().zip(&y_pow) {
            *r = (&*r + &binom * t).expand();
        }
    }
    // g(h) = h psi^(1/alpha) = h + g_2 h^2 + ... (index = power, length order + 1).
    let mut g = vec![Atom::num(0); k_len + 1];
    for (j, r) in root.iter().enumerate() {
        g[j + 1] = r.clone();
    }
    // Reversion: h = w - sum_(j>=2) g_j h^j, iterated.
    let mut h = vec![Atom::num(0); k_len + 1];
    h[1] = Atom::num(1);
    for _ in 0..order {
        let mut next = vec![Atom::num(0); k_len + 1];
        next[1] = Atom::num(1);
        let mut h_pow = h.clone();
        for gj in g.iter().skip(2) {
            h_pow = series_mul(&h_pow, &h, k_len + 1);
            for (nx, t) in next.iter_mut().zip(&h_pow) {
                *nx = (&*nx - gj * t).expand();
            }
        }
        h = next;
    }
    let mut gammas = Vec::new();
    let mut coefficients = Vec::new();
    let mut expansion = Atom::num(0);
    for (k, hk) in h.iter().enumerate().skip(1) {
        let k = k as u32;
        let c_pow = parse!(&format!("({c})^(-{k}/{alpha})"));
        let coeff = hk * c_pow * gamma_one_plus(k, alpha, &mut gammas);
        expansion += &coeff * parse!(&format!("N^(-{k}/{alpha})"));
        coefficients.push(coeff);
    }
    let a1 = parse!(&format!("({c})^(-1/{alpha})"));
    let a2 = &a1 * gamma_one_plus(1, alpha, &mut gammas);
    let paper_a2 = if alpha == 1 {
        Atom::num(1) / (parse!(&format!("exp({c})")) - Atom::num(1))
    } else {
        parse!(&format!("paper_sum({c}, {alpha})"))
    };
    Watson {
        c,
        a1,
        a2,
        paper_a2,
        expansion,
        coefficients,
        gammas,
    }
}

/// Decides whether `value` (a constant expression, with `b` bound numerically when solved) is
/// zero: exactly when it expands to zero, as non-zero when a certified digit shows, otherwise
/// zero to the tolerance `2^-bits` of the evaluation.
fn zero_test<B>(value: &Atom, bind: &mut B) -> Result<ZeroTest, SymbolicError>
where
    B: FnMut(u32) -> Result<Bindings, SymbolicError>,
{
    if value.expand().is_zero() {
        return Ok(ZeroTest::ExactlyZero);
    }
    let digits = 60;
    let v = certified(value, digits, &mut *bind)?;
    if v.digits() > 0 && !v.value().is_zero() {
        Ok(ZeroTest::NonZero)
    } else {
        Ok(ZeroTest::NumericallyZero {
            bits: efftrade_numeric::bits_for_digits(digits, 0),
        })
    }
}

/// Bindings for the values `gamma(p/q)` of `gammas` at `prec` bits.
pub fn gamma_bindings(gammas: &[(u32, u32)], prec: u32) -> Bindings {
    gammas
        .iter()
        .map(|&(p, q)| {
            let x = rug::Float::with_val(prec, p) / rug::Float::with_val(prec, q);
            (format!("gamma({p}/{q})"), x.gamma())
        })
        .collect()
}

impl Lemma3Forms {
    /// Bindings for the `gamma(p/q)` values the forms contain, at `prec` bits.
    pub fn gamma_bindings(&self, prec: u32) -> Bindings {
        gamma_bindings(&self.watson.gammas, prec)
    }

    /// `expr` (one of the forms, in `b` and `N`) to `digits` certified digits, with `b` from
    /// `bind` and `N` as given.
    pub fn value<B>(
        &self,
        expr: &Atom,
        n: Option<&str>,
        digits: u32,
        mut bind: B,
    ) -> Result<Certified, SymbolicError>
    where
        B: FnMut(u32) -> Result<Bindings, SymbolicError>,
    {
        certified(expr, digits, |prec| {
            let mut b = bind(prec)?;
            b.extend(self.gamma_bindings(prec));
            if let Some(n) = n {
                let value = rug::Float::with_val(
                    prec,
                    rug::Float::parse(n).map_err(|e| SymbolicError::Evaluation {
                        what: format!("N = {n}"),
                        reason: e.to_string(),
                    })?,
                );
                b.push(("N".to_string(), value));
            }
            Ok(b)
        })
    }
}

//! Lemma 3 in the parameters of a family: `alpha`, `c`, `A1`, `A2` and the first terms of
//! Watson's expansion of `Int_a^b F^N` as expressions in the family's parameters.
//!
//! Each family gives the Taylor coefficients `s_k` of `1 - F(b - h)` in `h` with its parameters
//! as symbols (Symbolica's derivatives in `h` at `h = 0`), and [`crate::lemma3::watson`] does the
//! rest, as for a single distribution:
//! - power `F = ((x - a)/(b - a))^k`, `k > 0` a symbol: `F(b - h) = (1 - h/(b - a))^k`, so
//!   `alpha = 1`;
//! - Beta(p, q) for a fixed integer `q` with `p > 0` a symbol, on `[0, 1]`:
//!   `1 - F(1 - h) = Int_0^h t^(q-1) (1 - t)^(p-1) dt / B(p, q)` with
//!   `1/B(p, q) = Gamma(p + q)/(Gamma(p) Gamma(q)) = p (p + 1) ... (p + q - 1)/(q - 1)!`
//!   (a polynomial in `p` for integer `q`), so `alpha = q`;
//! - Kumaraswamy(s, m) `F = 1 - (1 - x^s)^m` for a fixed integer `m` with `s > 0` a symbol, on
//!   `[0, 1]`: `1 - F(1 - h) = (1 - (1 - h)^s)^m`, so `alpha = m`.

use symbolica::atom::{Atom, AtomCore};
use symbolica::symbol;

use crate::eval::{Bindings, certified};
use crate::lemma3::{Watson, gamma_bindings, watson};
use crate::{SymbolicError, parse_atom};
use efftrade_numeric::Certified;

/// Lemma 3 for a family, in its parameters.
pub struct FamilyLemma3 {
    /// The family, e.g. `power` or `Beta(p, 2)`.
    pub family: String,
    /// Its CDF in `x` and the parameters.
    pub cdf: Atom,
    /// Its support `[a, b]` as text.
    pub support: [String; 2],
    /// The parameters left as symbols.
    pub parameters: Vec<String>,
    /// The order `alpha`.
    pub alpha: u32,
    /// `c`, `A1`, `A2` and Watson's expansion.
    pub forms: Watson,
}

/// The Taylor coefficients of `g` in `h` at 0, `len` of them, by Symbolica's derivatives.
fn taylor(g: &Atom, len: usize) -> Vec<Atom> {
    let mut out = Vec::with_capacity(len);
    let mut d = g.clone();
    let mut factorial = Atom::num(1);
    for k in 0..len {
        if k > 0 {
            d = d.derivative(symbol!("h"));
            factorial *= Atom::num(k as i64);
        }
        // 1^e = 1 for the symbolic exponents the parameters leave.
        let at0 = d
            .replace(parse_atom("h"))
            .with(Atom::num(0))
            .replace(parse_atom("1^p_"))
            .with(Atom::num(1))
            .expand();
        out.push((at0 / &factorial).expand());
    }
    out
}

/// The power family in `k`, `a`, `b`.
pub fn power(order: u32) -> FamilyLemma3 {
    let alpha = 1;
    let s = taylor(
        &parse_atom("1 - (1 - h/(b - a))^k"),
        (alpha + order) as usize,
    );
    FamilyLemma3 {
        family: "power".into(),
        cdf: parse_atom("((x - a)/(b - a))^k"),
        support: ["a".into(), "b".into()],
        parameters: vec!["k".into(), "a".into(), "b".into()],
        alpha,
        forms: watson(s, alpha, order),
    }
}

/// Beta(p, q) in `p`, for the integer `q >= 1`.
pub fn beta(q: u32, order: u32) -> FamilyLemma3 {
    let len = (q + order) as usize;
    // (1 - t)^(p-1) = sum_j d_j t^j; Int_0^h t^(q-1+j) dt = h^(q+j)/(q+j).
    let d = taylor(&parse_atom("(1 - h)^(p - 1)"), len);
    let mut scale = Atom::num(1);
    for i in 0..q {
        scale *= parse_atom(&format!("(p + {i})"));
    }
    let mut fact = Atom::num(1);
    for i in 2..q {
        fact *= Atom::num(i64::from(i));
    }
    let scale = scale / fact;
    let mut s = vec![Atom::num(0); len];
    for (j, dj) in d.iter().enumerate() {
        let power = q as usize + j;
        if power < len {
            s[power] = (&scale * dj / Atom::num(power as i64)).expand();
        }
    }
    FamilyLemma3 {
        family: format!("Beta(p, {q})"),
        cdf: parse_atom(&format!("betainc(p, {q}, x)")),
        support: ["0".into(), "1".into()],
        parameters: vec!["p".into()],
        alpha: q,
        forms: watson(s, q, order),
    }
}

/// Kumaraswamy(s, m) in `s`, for the integer `m >= 1`.
pub fn kumaraswamy(m: u32, order: u32) -> FamilyLemma3 {
    let s = taylor(
        &parse_atom(&format!("(1 - (1 - h)^s)^{m}")),
        (m + order) as usize,
    );
    FamilyLemma3 {
        family: format!("Kumaraswamy(s, {m})"),
        cdf: parse_atom(&format!("1 - (1 - x^s)^{m}")),
        support: ["0".into(), "1".into()],
        parameters: vec!["s".into()],
        alpha: m,
        forms: watson(s, m, order),
    }
}

impl FamilyLemma3 {
    /// `form` (one of [`FamilyLemma3::forms`]) at the parameter values `at` (name, exact text)
    /// and `N` when given, to `digits` certified digits.
    pub fn value(
        &self,
        form: &Atom,
        at: &[(&str, &str)],
        n: Option<&str>,
        digits: u32,
    ) -> Result<Certified, SymbolicError> {
        let mut substituted = form.clone();
        for (name, value) in at {
            substituted = substituted
                .replace(parse_atom(name))
                .with(parse_atom(&format!("({value})")));
        }
        if let Some(n) = n {
            substituted = substituted.replace(parse_atom("N")).with(parse_atom(n));
        }
        certified(
            &substituted,
            digits,
            |prec| -> Result<Bindings, SymbolicError> {
                Ok(gamma_bindings(&self.forms.gammas, prec))
            },
        )
    }
}

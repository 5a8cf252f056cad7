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
//!   `[0, 1]`: `1 - F(1 - h) = (1 - (1 - h)^s)^m`, so `alpha = m`;
//! - Beta(p, q) with both shapes symbols (a real `q`): the leading term only,
//!   `1 - F(1 - h) = h^q/(q B(p, q)) (1 + O(h))`, so `alpha = q`, `c = 1/(q B(p, q))
//!   = Gamma(p + q)/(q Gamma(p) Gamma(q))` (L3-1), `A1 = c^(-1/q)`, `A2 = Gamma(1 + 1/q) A1`
//!   (L3-2) and Watson's leading term `A2 N^(-1/q)`.
//!
//! [`for_distribution`] picks the forms that describe a spec's distribution, with its parameter
//! values, for `efftrade derive`.

use efftrade_model::{BigRational, Distribution, Family};
use num_traits::{Signed, ToPrimitive};
use serde::Serialize;
use symbolica::atom::{Atom, AtomCore};
use symbolica::symbol;

use crate::eval::{Bindings, certified};
use crate::lemma3::{Watson, gamma_bindings, watson};
use crate::report::{Printed, Quantity, quantity};
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
    /// The order `alpha`: a number, or the symbol `q` of Beta(p, q) with a real `q`.
    pub alpha: Atom,
    /// `c`, `A1`, `A2` and Watson's expansion.
    pub forms: Watson,
    /// The arguments `z` of the calls `gamma(z)` in the forms that contain the parameters; each
    /// is bound numerically once the parameters are numbers.
    pub gamma_arguments: Vec<Atom>,
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
        alpha: Atom::num(i64::from(alpha)),
        forms: watson(s, alpha, order),
        gamma_arguments: Vec::new(),
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
        alpha: Atom::num(i64::from(q)),
        forms: watson(s, q, order),
        gamma_arguments: Vec::new(),
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
        alpha: Atom::num(i64::from(m)),
        forms: watson(s, m, order),
        gamma_arguments: Vec::new(),
    }
}

/// Beta(p, q) in `p` and a real `q`: the leading term of Lemma 3 (see the module docs).
pub fn beta_real() -> FamilyLemma3 {
    let c = parse_atom("gamma(p + q)/(q*gamma(p)*gamma(q))");
    let a1 = parse_atom(&format!("({c})^(-1/q)"));
    let a2 = parse_atom("gamma(1 + 1/q)") * &a1;
    let expansion = &a2 * parse_atom("N^(-1/q)");
    FamilyLemma3 {
        family: "Beta(p, q)".into(),
        cdf: parse_atom("betainc(p, q, x)"),
        support: ["0".into(), "1".into()],
        parameters: vec!["p".into(), "q".into()],
        alpha: parse_atom("q"),
        forms: Watson {
            paper_a2: parse_atom(&format!("paper_sum({c}, q)")),
            c,
            a1,
            a2: a2.clone(),
            expansion,
            coefficients: vec![a2],
            gammas: Vec::new(),
        },
        gamma_arguments: ["p + q", "p", "q", "1 + 1/q"]
            .iter()
            .map(|z| parse_atom(z))
            .collect(),
    }
}

/// Shapes up to this integer get the forms to `order` terms (Beta's second, Kumaraswamy's second);
/// a larger or non-integer second shape of Beta gets [`beta_real`], of Kumaraswamy none.
pub const MAX_INTEGER_SHAPE: u32 = 12;

fn integer_shape(q: &BigRational) -> Option<u32> {
    (q.is_integer() && q.is_positive())
        .then(|| q.to_integer().to_u32())
        .flatten()
        .filter(|&q| q <= MAX_INTEGER_SHAPE)
}

/// The family forms that describe `dist`, with the values of their parameters (name, exact
/// text): the power family, Beta(p, q) and Kumaraswamy(s, m) with an integer `m`, the last two on
/// `[0, 1]`; `None` for any other distribution.
pub fn for_distribution(
    dist: &Distribution,
    order: u32,
) -> Option<(FamilyLemma3, Vec<(String, String)>)> {
    let [a, b] = crate::report::support(dist);
    let unit = a == "0" && b == "1";
    match dist.family()? {
        Family::Power { k } => Some((
            power(order),
            vec![
                ("k".into(), k.to_string()),
                ("a".into(), a),
                ("b".into(), b),
            ],
        )),
        Family::Beta { p, q } if unit => {
            let forms = match integer_shape(q) {
                Some(q) => beta(q, order),
                None => beta_real(),
            };
            let mut at = vec![("p".to_string(), p.to_string())];
            if forms.parameters.len() == 2 {
                at.push(("q".into(), q.to_string()));
            }
            Some((forms, at))
        }
        Family::Kumaraswamy { alpha, beta } if unit => integer_shape(beta)
            .map(|m| (kumaraswamy(m, order), vec![("s".into(), alpha.to_string())])),
        _ => None,
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
        let substitute = |form: &Atom| {
            let mut substituted = form.clone();
            for (name, value) in at {
                substituted = substituted
                    .replace(parse_atom(name))
                    .with(parse_atom(&format!("({value})")));
            }
            substituted
        };
        let mut substituted = substitute(form);
        if let Some(n) = n {
            substituted = substituted.replace(parse_atom("N")).with(parse_atom(n));
        }
        // gamma(z) at the parameters' values: z a rational number.
        let mut arguments = Vec::new();
        for z in &self.gamma_arguments {
            let z = substitute(z).expand().to_string();
            let q =
                rug::Rational::from_str_radix(&z, 10).map_err(|e| SymbolicError::Evaluation {
                    what: format!("gamma({z})"),
                    reason: format!("the argument is not a rational number: {e}"),
                })?;
            arguments.push((format!("gamma({z})"), q));
        }
        certified(
            &substituted,
            digits,
            |prec| -> Result<Bindings, SymbolicError> {
                let mut bindings = gamma_bindings(&self.forms.gammas, prec);
                for (name, z) in &arguments {
                    bindings.push((name.clone(), rug::Float::with_val(prec, z).gamma()));
                }
                Ok(bindings)
            },
        )
    }
}

/// Lemma 3 in the parameters of a spec's family, with the forms' values at the spec's
/// parameters beside the numeric engine's.
#[derive(Clone, Debug, Serialize)]
pub struct FamilyLemma3Report {
    /// The family, e.g. `Beta(p, 2)`.
    pub family: String,
    /// Its CDF in `x` and the parameters.
    pub cdf: Printed,
    /// Its support `[a, b]` as text.
    pub support: [String; 2],
    /// The spec's parameter values, as `name = value`.
    pub parameters: Vec<String>,
    /// `alpha` in the parameters.
    pub alpha: Printed,
    /// `c`, `A1` and `A2` in the parameters, each with its value at the spec's parameters and the
    /// numeric engine's.
    pub quantities: Vec<Quantity>,
    /// Watson's expansion of `Int F^N` in the parameters and `N`.
    pub expansion: Printed,
}

/// The report of the family forms that describe `dist` ([`for_distribution`]), or `None`.
pub fn family_report(
    dist: &Distribution,
    order: u32,
    digits: u32,
) -> Result<Option<FamilyLemma3Report>, SymbolicError> {
    let Some((family, at)) = for_distribution(dist, order) else {
        return Ok(None);
    };
    let engine = efftrade_numeric::lemma3::expansion(dist, digits)?;
    let pairs: Vec<(&str, &str)> = at.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let w = &family.forms;
    let mut quantities = Vec::new();
    for (name, form, reference) in [
        ("c", &w.c, &engine.c),
        ("A1", &w.a1, &engine.a1),
        ("A2", &w.a2, &engine.a2),
    ] {
        let value = family.value(form, &pairs, None, digits)?;
        quantities.push(quantity(name, form, &value, Some(reference)));
    }
    Ok(Some(FamilyLemma3Report {
        family: family.family.clone(),
        cdf: Printed::of(&family.cdf),
        support: family.support.clone(),
        parameters: at.iter().map(|(n, v)| format!("{n} = {v}")).collect(),
        alpha: Printed::of(&family.alpha),
        quantities,
        expansion: Printed::of(&w.expansion),
    }))
}

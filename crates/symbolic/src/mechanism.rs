//! Lemma 1's mechanism verified exactly, as polynomial identities, for a polynomial `F` with
//! rational coefficients on a rational support.
//!
//! The transfers are those of `efftrade_mechanism::transfer` (the appendix's construction with
//! its numbered repairs), written here as Symbolica expressions in the reports `y1, ..., yn`
//! and in `beta` (a symbol: every identity below holds for all `beta` at once):
//!
//! `t̂_i = κ_i - psi(y_i) + (1/(n-1)) Σ_{j≠i} psi(y_j) + e_i - x_i + (1/(n-1)) Σ_{j≠i} (x_j - e_j)`,
//!
//! `psi(z) = (1 + beta/n)(z G(z) - Int_a^z G)` (L4), `G = F^(n-1)`,
//! `e_j = (beta/n)(Σ_{k≠j} y_k)(1 - F(max_{k≠j} y_k))`, `x_j = (beta/n)(Σ_{k≠j} y_k) s_j`,
//! `κ_i = r_i (beta (n-1)/n) mu + psi(v_i*) - E psi - E e + D/n` and
//! `D = -Σ_i psi(v_i*) + n E psi + n E e - beta (n-1)/n mu`.
//!
//! On each ordering of the reports the winner and every `max` are fixed, so each transfer is a
//! polynomial there: the transfers are piecewise polynomials with one piece per ordering. Then:
//!
//! - **budget balance**: `Σ_i t̂_i` expands to 0 on every one of the `n!` orderings;
//! - **interim utilities**: `U_i(u | w) = E_{-i}[t̂_i(w, y_-i) + s_i(w, y_-i)((1 + beta/n) u +
//!   (beta/n) Σ_{j≠i} y_j)]` (Section 2) is integrated exactly against `Π_{j≠i} f(y_j)` over each
//!   ordering of `w` and the others' types (iterated integrals of polynomials with polynomial
//!   limits), a polynomial in `u`, `w` and `beta`;
//! - **Lemma 4**: the gain `U_i(u | w) - U_i(u | u)` equals `-(1 + beta/n) Int_w^u (u - p) dG(p)`
//!   as a polynomial identity in `u`, `w`, `beta`; since `G` is non-decreasing (the density's
//!   sign on `[a, b]` is certified exactly when the spec is validated), the integral has the sign
//!   of `(u - w)^2`: no misreport pays;
//! - **IR (Lemma 5)**: the slack `U_i(u | u) - r_i((1 + beta/n) u + beta (n-1)/n mu)` has
//!   derivative `(1 + beta/n)(G(u) - r_i)` exactly, which changes sign from negative to positive
//!   at `v_i*` (`G(v_i*) = r_i`): its minimum is at `v_i*`, where it equals (L5)'s left-hand side
//!   and `D/n`; and `D = (1 + beta/n) T1 + (beta/n) T2` (Theorem 1, with `T1` from
//!   [`crate::closed`]).
//!
//! Critical types that are rational are substituted as numbers; the others stay symbols and an
//! identity involving them is decided modulo their minimal polynomials ([`crate::algebraic`]).

use efftrade_model::distribution::polynomial as poly;
use efftrade_model::{BigRational, Distribution, Market};
use num_traits::{ToPrimitive, Zero};
use symbolica::atom::{Atom, AtomCore};

use crate::algebraic::AlgebraicNumber;
use crate::closed::{self, MarketForms};
use crate::exact::{self, ExactForms};
use crate::{SymbolicError, parse_atom, to_atom};

/// The largest market verified: the interim expectations integrate over `n!` orderings.
pub const MAX_AGENTS: u32 = 4;

/// Highest degree in one variable that [`integrate`] accepts.
const MAX_DEGREE: usize = 120;

/// What was verified for one market, each item an exact identity (true) or not (false).
#[derive(Clone, Debug, serde::Serialize)]
pub struct MechanismCheck {
    /// The number of agents.
    pub n: u32,
    /// Each agent's share.
    pub shares: Vec<String>,
    /// The critical types, exactly.
    pub critical: Vec<String>,
    /// Orderings of the reports on which budget balance was checked (`n!`).
    pub orderings: usize,
    /// `Σ_i t̂_i = 0` on every ordering, as polynomials in the reports and `beta`.
    pub budget_balance: bool,
    /// Per share class: the gain `U(u | w) - U(u | u)` equals Lemma 4's
    /// `-(1 + beta/n) Int_w^u (u - p) dG(p)` as a polynomial identity.
    pub lemma4: bool,
    /// Per share class: `d/du` of the IR slack equals `(1 + beta/n)(G(u) - r_i)`.
    pub slack_derivative: bool,
    /// Per share class: (L5)'s left-hand side equals the IR slack at `v_i*`.
    pub lemma5: bool,
    /// Per share class: the IR slack at `v_i*` equals `D/n`.
    pub slack_at_critical: bool,
    /// `D = (1 + beta/n) T1 + (beta/n) T2` (Theorem 1's left-hand side).
    pub theorem1: bool,
    /// The smallest IR slack `D/n = ((1 + beta/n) T1 + (beta/n) T2)/n`, exactly, in `beta`.
    pub slack: String,
}

impl MechanismCheck {
    /// Whether every identity holds.
    pub fn holds(&self) -> bool {
        self.budget_balance
            && self.lemma4
            && self.slack_derivative
            && self.lemma5
            && self.slack_at_critical
            && self.theorem1
    }
}

fn num(q: &BigRational) -> Atom {
    parse_atom(&format!("({})/({})", q.numer(), q.denom()))
}

fn sym(name: &str) -> Atom {
    parse_atom(name)
}

/// `atom` with the symbol `var` replaced by `value`.
fn at(atom: &Atom, var: &str, value: &Atom) -> Atom {
    atom.replace(sym(var)).with(value.clone())
}

/// The coefficients of `atom`, a polynomial in `var`, by Taylor's formula at 0 (index = power).
fn coefficients(atom: &Atom, var: &str) -> Result<Vec<Atom>, SymbolicError> {
    let zero = Atom::num(0);
    let mut d = atom.expand();
    let mut out = Vec::new();
    let mut factorial = Atom::num(1);
    for m in 0..=MAX_DEGREE {
        if m > 0 {
            factorial *= Atom::num(m as i64);
            d = d.derivative(symbolica::symbol!(var)).expand();
        }
        if d.is_zero() {
            return Ok(out);
        }
        out.push((at(&d, var, &zero) / &factorial).expand());
    }
    Err(SymbolicError::TooLarge(format!(
        "a polynomial of degree above {MAX_DEGREE} in {var}"
    )))
}

/// `Int_lo^hi atom d var` for `atom` a polynomial in `var`.
fn integrate(atom: &Atom, var: &str, lo: &Atom, hi: &Atom) -> Result<Atom, SymbolicError> {
    let mut out = Atom::num(0);
    for (m, c) in coefficients(atom, var)?.iter().enumerate() {
        let p = Atom::num(m as i64 + 1);
        out += c * (hi.pow(p.clone()) - lo.pow(p.clone())) / &p;
    }
    Ok(out.expand())
}

/// One share class's critical type: a rational number, or a symbol with its algebraic number.
#[derive(Clone)]
struct Critical {
    atom: Atom,
    number: Option<(String, AlgebraicNumber)>,
}

/// The market's fixed pieces, with `beta` a symbol.
struct Setting {
    n: usize,
    a: Atom,
    f_cdf: Atom,
    density: Atom,
    g: Atom,
    mu: Atom,
    one_plus: Atom,
    b_over_n: Atom,
    shares: Vec<BigRational>,
    critical: Vec<Critical>,
    kappa: Vec<Atom>,
    surplus: Atom,
}

impl Setting {
    fn cdf(&self, z: &Atom) -> Atom {
        at(&self.f_cdf, "x", z)
    }

    /// `psi(z) = (1 + beta/n)(z G(z) - Int_a^z G)`.
    fn psi(&self, z: &Atom) -> Result<Atom, SymbolicError> {
        let int_g = integrate(&self.g, "x", &self.a, z)?;
        Ok((&self.one_plus * (z * at(&self.g, "x", z) - int_g)).expand())
    }

    /// Every agent's transfer at reports `y` on the ordering `order` (ascending agent indices),
    /// with `psi` of each report given.
    fn transfers(&self, y: &[Atom], psi: &[Atom], order: &[usize]) -> Vec<Atom> {
        let n = self.n;
        let winner = order[n - 1];
        let runner = order[n - 2];
        let nm1 = Atom::num(n as i64 - 1);
        let total: Atom = y.iter().fold(Atom::num(0), |acc, v| acc + v);
        let e: Vec<Atom> = (0..n)
            .map(|j| {
                let top = if j == winner { &y[runner] } else { &y[winner] };
                &self.b_over_n * (&total - &y[j]) * (Atom::num(1) - self.cdf(top))
            })
            .collect();
        let x: Vec<Atom> = (0..n)
            .map(|j| {
                if j == winner {
                    &self.b_over_n * (&total - &y[j])
                } else {
                    Atom::num(0)
                }
            })
            .collect();
        let psi_total: Atom = psi.iter().fold(Atom::num(0), |acc, p| acc + p);
        let g_total: Atom = (0..n).fold(Atom::num(0), |acc, j| acc + &x[j] - &e[j]);
        (0..n)
            .map(|i| {
                let others = (&psi_total - &psi[i]) / &nm1;
                let g = (&g_total - &x[i] + &e[i]) / &nm1;
                &self.kappa[i] - &psi[i] + others + &e[i] - &x[i] + g
            })
            .collect()
    }
}

/// All orderings of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for pos in 0..=p.len() {
            let mut q = p.clone();
            q.insert(pos, n - 1);
            out.push(q);
        }
    }
    out
}

/// Whether `expr`, an expression in `beta` and the critical types, vanishes: exactly after the
/// rational critical types are substituted, or else with each irrational one reduced modulo its
/// minimal polynomial (the expression must be a sum of one polynomial per critical type for
/// each power of `beta`, as every expression of this module is).
fn vanishes(expr: &Atom, critical: &[Critical]) -> Result<bool, SymbolicError> {
    let e = expr.expand();
    if e.is_zero() {
        return Ok(true);
    }
    let symbols: Vec<&(String, AlgebraicNumber)> =
        critical.iter().filter_map(|c| c.number.as_ref()).collect();
    if symbols.is_empty() {
        return Ok(false);
    }
    let as_poly = |a: &Atom, var: &str| -> Option<poly::Poly> {
        let text = a.replace(sym(var)).with(sym("x")).to_string();
        poly::rational_polynomial(&efftrade_model::parse(&text).ok()?)
    };
    for c in coefficients(&e, "beta")? {
        let zeroed = |keep: Option<&str>| {
            let mut out = c.clone();
            for (s, _) in symbols.iter().map(|p| (&p.0, &p.1)) {
                if Some(s.as_str()) != keep {
                    out = at(&out, s, &Atom::num(0));
                }
            }
            out.expand()
        };
        let c0 = zeroed(None);
        let Some(mut total) = as_poly(&c0, "x").map(|p| p.first().cloned().unwrap_or_default())
        else {
            return Ok(false);
        };
        let mut rebuilt = c0.clone();
        for (s, number) in symbols.iter().map(|p| (&p.0, &p.1)) {
            let part = (zeroed(Some(s)) - &c0).expand();
            rebuilt += &part;
            let Some(p) = as_poly(&part, s) else {
                return Ok(false);
            };
            let reduced = number.reduce(&p);
            if reduced.len() > 1 {
                return Ok(false);
            }
            total += reduced.first().cloned().unwrap_or_else(BigRational::zero);
        }
        if !(rebuilt - &c).expand().is_zero() || !total.is_zero() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Verifies Lemma 1's mechanism for `market` under `dist` exactly; `None` when `F` is not a
/// polynomial with rational coefficients on a rational support.
pub fn verify(
    dist: &Distribution,
    market: &Market,
) -> Result<Option<MechanismCheck>, SymbolicError> {
    let n = market
        .n()
        .to_u32()
        .filter(|&n| n <= MAX_AGENTS)
        .ok_or_else(|| {
            SymbolicError::TooLarge(format!(
                "the exact mechanism is verified for at most {MAX_AGENTS} agents"
            ))
        })?;
    let forms: MarketForms = closed::derive(dist, market, MAX_AGENTS)?;
    let Some(exact): Option<ExactForms> = exact::exact_forms(dist, &forms)? else {
        return Ok(None);
    };
    let nn = n as usize;
    let (_, a, b) = closed::cdf_parts(dist)?;
    let f_cdf = to_atom(&dist.cdf()).expand();
    let density = f_cdf.derivative(symbolica::symbol!("x")).expand();
    let g = f_cdf.pow(Atom::num(i64::from(n) - 1)).expand();
    let n_atom = Atom::num(i64::from(n));
    let b_over_n = sym("beta") / &n_atom;
    let one_plus = Atom::num(1) + &b_over_n;
    let mu = (&b - integrate(&f_cdf, "x", &a, &b)?).expand();

    // Critical types per class, then per agent.
    let mut critical = Vec::new();
    let mut shares = Vec::new();
    let mut agent_critical = Vec::new();
    let mut numbers = exact.critical.iter();
    let mut descriptions = Vec::new();
    for class in &forms.classes {
        let c = if class.is_symbol {
            let e = numbers.next().ok_or_else(|| SymbolicError::Evaluation {
                what: "critical types".into(),
                reason: "fewer exact critical types than classes".into(),
            })?;
            descriptions.push(e.describe());
            match e.number.as_rational() {
                Some(q) => Critical {
                    atom: num(&q),
                    number: None,
                },
                None => Critical {
                    atom: sym(&e.symbol),
                    number: Some((e.symbol.clone(), e.number.clone())),
                },
            }
        } else {
            Critical {
                atom: class.critical.clone(),
                number: None,
            }
        };
        for _ in 0..class.count {
            shares.push(class.share.clone());
            agent_critical.push(c.clone());
        }
        critical.push(c);
    }
    let mut setting = Setting {
        n: nn,
        a: a.clone(),
        f_cdf,
        density,
        g,
        mu,
        one_plus,
        b_over_n,
        shares,
        critical: agent_critical,
        kappa: Vec::new(),
        surplus: Atom::num(0),
    };
    // E psi = (1 + beta/n) Int (1 - F) p dG, E e = (beta/n)(mu - Int p F^(n-1) dF).
    let dg = setting.g.derivative(symbolica::symbol!("x"));
    let x = sym("x");
    let e_psi =
        &setting.one_plus * integrate(&((Atom::num(1) - &setting.f_cdf) * &x * &dg), "x", &a, &b)?;
    let e_e = &setting.b_over_n
        * (&setting.mu - integrate(&(&x * &setting.g * &setting.density), "x", &a, &b)?);
    let outside_mu = &sym("beta") * Atom::num(i64::from(n) - 1) / &n_atom * &setting.mu;
    let psi_critical: Vec<Atom> = setting
        .critical
        .iter()
        .map(|c| setting.psi(&c.atom))
        .collect::<Result<_, _>>()?;
    let mut surplus = &n_atom * (&e_psi + &e_e) - &outside_mu;
    for p in &psi_critical {
        surplus -= p;
    }
    let surplus = surplus.expand();
    setting.kappa = (0..nn)
        .map(|i| {
            (num(&setting.shares[i]) * &outside_mu + &psi_critical[i] - &e_psi - &e_e
                + &surplus / &n_atom)
                .expand()
        })
        .collect();
    setting.surplus = surplus.clone();

    // Budget balance on every ordering of the reports.
    let ys: Vec<Atom> = (1..=nn).map(|j| sym(&format!("y{j}"))).collect();
    let psi_y: Vec<Atom> = ys
        .iter()
        .map(|y| setting.psi(y))
        .collect::<Result<_, _>>()?;
    let orderings = permutations(nn);
    let mut budget_balance = true;
    for order in &orderings {
        let t = setting.transfers(&ys, &psi_y, order);
        let total = t.iter().fold(Atom::num(0), |acc, x| acc + x);
        budget_balance &= total.expand().is_zero();
    }

    // Theorem 1: D = (1 + beta/n) T1 + (beta/n) T2, T1 in the critical types' symbols.
    let mut t1 = forms.t1.clone();
    for (class, c) in forms.classes.iter().zip(&critical) {
        if class.is_symbol && c.number.is_none() {
            t1 = t1.replace(class.critical.clone()).with(c.atom.clone());
        }
    }
    let theorem1_lhs = &setting.one_plus * &t1 + &setting.b_over_n * &forms.t2;
    let theorem1 = vanishes(&(&surplus - &theorem1_lhs), &critical)?;

    // Interim utilities of one agent per class.
    let (mut lemma4, mut slack_derivative, mut lemma5, mut slack_at_critical) =
        (true, true, true, true);
    let mut first = 0;
    for (ci, class) in forms.classes.iter().enumerate() {
        let i = first;
        first += class.count as usize;
        let (u, w) = (sym("u"), sym("w"));
        let mut reports = ys.clone();
        reports[i] = w.clone();
        let mut psi_r = psi_y.clone();
        psi_r[i] = setting.psi(&w)?;
        // T(w) = E t̂_i(w, .), S(w) = E s_i(w, .), X(w) = E[s_i(w, .) Σ_{j≠i} y_j].
        let (mut t_w, mut s_w, mut x_w) = (Atom::num(0), Atom::num(0), Atom::num(0));
        for order in &orderings {
            let t = setting.transfers(&reports, &psi_r, order);
            let wins = order[nn - 1] == i;
            let others: Atom = (0..nn)
                .filter(|&j| j != i)
                .fold(Atom::num(0), |acc, j| acc + &reports[j]);
            let mut pieces = [
                t[i].clone(),
                Atom::num(i64::from(wins)),
                if wins { others } else { Atom::num(0) },
            ];
            // Integrate the others' types in ascending order: each from the report below it
            // (w, or a) to the item above it (or b).
            for (pos, &j) in order.iter().enumerate() {
                if j == i {
                    continue;
                }
                let lo = if order[..pos].contains(&i) {
                    w.clone()
                } else {
                    a.clone()
                };
                let hi = order
                    .get(pos + 1)
                    .map_or(b.clone(), |&k| reports[k].clone());
                let var = format!("y{}", j + 1);
                let weight = at(&setting.density, "x", &reports[j]);
                for p in &mut pieces {
                    *p = integrate(&(&*p * &weight), &var, &lo, &hi)?;
                }
            }
            let [pt, ps, px] = pieces;
            t_w += pt;
            s_w += ps;
            x_w += px;
        }
        let utility = |report: &Atom| -> Atom {
            let sub = |e: &Atom| at(e, "w", report);
            (sub(&t_w) + &setting.one_plus * &u * sub(&s_w) + &setting.b_over_n * sub(&x_w))
                .expand()
        };
        let gain = utility(&w) - utility(&u);
        let lemma4_form = -(&setting.one_plus) * integrate(&((&u - &x) * &dg), "x", &w, &u)?;
        lemma4 &= (gain - lemma4_form).expand().is_zero();
        let r = num(&setting.shares[i]);
        let slack = utility(&u) - &r * (&setting.one_plus * &u + &outside_mu);
        let derivative = slack.derivative(symbolica::symbol!("u"));
        let expected = &setting.one_plus * (at(&setting.g, "x", &u) - &r);
        slack_derivative &= (derivative - expected).expand().is_zero();
        let v_star = &critical[ci].atom;
        let slack_star = at(&slack, "u", v_star);
        let l5 =
            at(&t_w, "w", v_star) + &setting.b_over_n * at(&x_w, "w", v_star) - &r * &outside_mu;
        lemma5 &= vanishes(&(l5 - &slack_star), &critical)?;
        slack_at_critical &= vanishes(&(slack_star - &surplus / &n_atom), &critical)?;
    }
    let slack_exact =
        ((&setting.one_plus * &exact.t1 + &setting.b_over_n * &forms.t2) / &n_atom).expand();
    Ok(Some(MechanismCheck {
        n,
        shares: setting.shares.iter().map(ToString::to_string).collect(),
        critical: descriptions,
        orderings: orderings.len(),
        budget_balance,
        lemma4,
        slack_derivative,
        lemma5,
        slack_at_critical,
        theorem1,
        slack: slack_exact.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqrt2() -> Vec<Critical> {
        let q = |n: i64| BigRational::from_integer(n.into());
        let p = vec![q(-2), q(0), q(1)];
        let number = AlgebraicNumber::root_in(&p, &q(0), &q(2)).unwrap();
        vec![Critical {
            atom: sym("v1"),
            number: Some(("v1".into(), number)),
        }]
    }

    #[test]
    fn identities_modulo_a_minimal_polynomial_can_fail() {
        let c = sqrt2();
        assert!(vanishes(&parse_atom("v1^3 - 2*v1 + beta*(v1^2 - 2)"), &c).unwrap());
        assert!(!vanishes(&parse_atom("v1^2 - 3"), &c).unwrap());
        assert!(!vanishes(&parse_atom("beta*(v1^2 - 2) + v1"), &c).unwrap());
    }

    #[test]
    fn polynomials_integrate_exactly() {
        let i = integrate(&parse_atom("3*y^2 + 2*y*w"), "y", &Atom::num(0), &sym("w")).unwrap();
        assert!((i - parse_atom("2*w^3")).expand().is_zero());
        assert_eq!(permutations(3).len(), 6);
    }
}

//! Closed forms of a market's quantities for a fixed number of agents.
//!
//! For a CDF in the class of [`crate::quasi`] and a market of `n` agents with share classes
//! `(r_c, count_c)`:
//! - `mu = b - Int_a^b F dp` and `E[max] = b - Int_a^b F^n dp` (docs/MATH.md, 1-D forms);
//! - `T2 = mu - E[max]` (Lemma 2), also computed from its definition (Theorem 1,
//!   `n(n-1) Int F^(n-2) (Int_a^v x f(x) dx) dF(v) - (n-1) mu`) and compared;
//! - `T1 = b - sum_c count_c [ r_c v_c + Int_(v_c)^b F^(n-1) dp ] + (n-1) Int_a^b F^n dp`, an
//!   expression in the critical types `v_c` (symbols `v1, v2, ...`, roots of
//!   `F(v) = r_c^(1/(n-1))`), also computed from its definition (T1-1) and compared as a function
//!   of `v` after `r_c = F(v_c)^(n-1)`;
//! - `beta* = -n T1 / (T1 + T2)`.
//!
//! When `b` is solved from `F(b) = 1` it stays the symbol `b`. A polynomial `F` on a rational
//! support gives `mu`, `E[max]` and `T2` as rational numbers.

use efftrade_model::{BigRational, Distribution, Market, UpperEnd};
use efftrade_numeric::Certified;
use efftrade_numeric::engine::Engine;
use efftrade_numeric::quantities::critical_type;
use efftrade_numeric::support::upper_end;
use num_traits::{One, ToPrimitive, Zero};
use symbolica::atom::{Atom, AtomCore};
use symbolica::parse;

use crate::eval::{Bindings, certified};
use crate::quasi::QuasiPoly;
use crate::{SymbolicError, to_atom};

/// The largest number of agents for which closed forms are written out by default: beyond it
/// the expressions (for an oscillating F, with about n^2 terms) are too long to read.
pub const DEFAULT_MAX_AGENTS: u32 = 12;

/// A share class and the symbol of its critical type.
#[derive(Clone, Debug)]
pub struct ClassForm {
    /// The share `r_c` of each agent of the class.
    pub share: BigRational,
    /// How many agents hold it.
    pub count: u32,
    /// The critical type: a symbol `v1, v2, ...`, or `a` (share 0) or `b` (share 1) exactly.
    pub critical: Atom,
    /// Whether `critical` is a free symbol whose value is the root of `F(v) = r^(1/(n-1))`.
    pub is_symbol: bool,
}

/// Exact closed forms of a market's quantities (fixed `n`).
#[derive(Clone, Debug)]
pub struct MarketForms {
    /// The number of agents.
    pub n: u32,
    /// The share classes, each with its critical type.
    pub classes: Vec<ClassForm>,
    /// The lower end `a`.
    pub a: Atom,
    /// The upper end: a number or constant, or the symbol `b` when solved from `F(b) = 1`.
    pub b: Atom,
    /// `mu = E[v]`.
    pub mu: Atom,
    /// `Int_a^b F^n dp`.
    pub int_f_n: Atom,
    /// `E[max of n]`.
    pub e_max: Atom,
    /// `T2`.
    pub t2: Atom,
    /// `T1` in the critical types.
    pub t1: Atom,
    /// `beta* = -n T1/(T1 + T2)` in the critical types.
    pub beta_star: Atom,
    /// `T2` from its definition equals `mu - E[max]` (Lemma 2): exactly, or `None` when the
    /// difference does not reduce to zero by expansion alone (it involves `F(b) = 1` for a solved
    /// `b`, or a normalising constant); then [`MarketForms::check_numerically`] decides.
    pub lemma2_exact: Option<bool>,
    /// `T1` from its definition (T1-1) equals the one-dimensional form, exactly, or `None` as
    /// for `lemma2_exact`.
    pub t1_forms_exact: Option<bool>,
    t2_definition: Atom,
    t1_definition: Atom,
}

/// Certified values of a market's closed forms.
#[derive(Clone, Debug)]
pub struct MarketValues {
    /// `mu`.
    pub mu: Certified,
    /// `E[max]`.
    pub e_max: Certified,
    /// `T1`.
    pub t1: Certified,
    /// `T2`.
    pub t2: Certified,
    /// `beta*`, when `T1 >= 0`.
    pub beta_star: Option<Certified>,
    /// The definitional `T2` (Lemma 2's left side), for the numeric check of Lemma 2.
    pub t2_definition: Certified,
    /// The definitional `T1` (T1-1), for the numeric check of the one-dimensional form.
    pub t1_definition: Certified,
}

fn rational(q: &BigRational) -> Atom {
    parse!(&format!("({})/({})", q.numer(), q.denom()))
}

/// Whether `x - y` expands to zero; `None` when it does not but may still vanish by a relation
/// expansion does not know (decided numerically instead).
fn exact_equal(x: &Atom, y: &Atom, decidable: bool) -> Option<bool> {
    if (x - y).expand().is_zero() {
        Some(true)
    } else if decidable {
        Some(false)
    } else {
        None
    }
}

/// The normalising constant `F(b)` of a renormalised CDF, when it is not a rational number:
/// kept as the symbol `Z` so that the closed forms stay short (its value is bound numerically).
pub fn normaliser(dist: &Distribution) -> Option<efftrade_model::Expr> {
    match (dist.upper(), dist.renormalize()) {
        (UpperEnd::Given(b), true) => {
            let z = dist.cdf_as_written().substitute(b);
            z.eval_rational(None).is_none().then_some(z)
        }
        _ => None,
    }
}

/// The CDF of `dist` as an exponential polynomial, with its support ends as atoms. A solved
/// upper end is the symbol `b`; a normalising constant that is not rational is the symbol `Z`.
pub fn cdf_parts(dist: &Distribution) -> Result<(QuasiPoly, Atom, Atom), SymbolicError> {
    let f = match normaliser(dist) {
        Some(_) => {
            QuasiPoly::from_expr(dist.cdf_as_written())?.scale(&(Atom::num(1) / parse!("Z")))
        }
        None => QuasiPoly::from_expr(&dist.cdf())?,
    };
    let a = to_atom(dist.lower()).expand();
    let b = match dist.upper() {
        UpperEnd::Given(e) => to_atom(e).expand(),
        UpperEnd::Solve => parse!("b"),
    };
    Ok((f, a, b))
}

/// Values at `prec` bits of the constants [`cdf_parts`] keeps as symbols: `b` when solved from
/// `F(b) = 1`, `Z` when it is a renormalised CDF's constant.
pub fn constants(dist: &Distribution, prec: u32) -> Result<Bindings, SymbolicError> {
    let mut out = Vec::new();
    if dist.upper_is_solved() {
        out.push(("b".to_string(), upper_end(dist, prec)?));
    }
    if let Some(z) = normaliser(dist) {
        out.push((
            "Z".to_string(),
            efftrade_numeric::Program::constant(&z, prec),
        ));
    }
    Ok(out)
}

/// Derives the closed forms of `market` under `dist`, refusing more than `max_agents` agents.
pub fn derive(
    dist: &Distribution,
    market: &Market,
    max_agents: u32,
) -> Result<MarketForms, SymbolicError> {
    let n = market
        .n()
        .to_u32()
        .filter(|&n| n <= max_agents)
        .ok_or_else(|| {
            SymbolicError::TooLarge(format!(
                "closed forms are written for at most {max_agents} agents (this market has {}); \
                 raise the limit with --max-agents, or use `efftrade solve` for the values",
                market.n()
            ))
        })?;
    let (f_cdf, a, b) = cdf_parts(dist)?;
    let density = f_cdf.derivative();
    // Expansion alone decides equalities when F is a polynomial on a rational support.
    let decidable = f_cdf.is_polynomial() && !dist.upper_is_solved() && normaliser(dist).is_none();

    let int_f = f_cdf.integral(&a, &b);
    let mu = (&b - &int_f).expand();
    let f_n = f_cdf.pow(n);
    let int_f_n = f_n.integral(&a, &b);
    let e_max = (&b - &int_f_n).expand();
    let t2 = (&mu - &e_max).expand();

    // T2 from its definition: n(n-1) Int F^(n-2) h(v) f(v) dv - (n-1) mu_def, with
    // h(v) = Int_a^v x f(x) dx and mu_def = Int_a^b x f(x) dx.
    let x_f = QuasiPoly::x().mul(&density);
    let h_anti = x_f.antiderivative();
    let h = h_anti.sub(&QuasiPoly::constant(h_anti.at(&a)));
    let mu_def = x_f.integral(&a, &b);
    let nn = Atom::num(i64::from(n));
    let n1 = Atom::num(i64::from(n) - 1);
    let inner = f_cdf.pow(n - 2).mul(&h).mul(&density);
    let t2_definition = (&nn * &n1 * inner.integral(&a, &b) - &n1 * &mu_def).expand();
    let lemma2_exact = exact_equal(&t2_definition, &t2, decidable);

    // T1 in the critical types.
    let f_n1 = f_cdf.pow(n - 1);
    let p_anti = f_n1.antiderivative();
    let p_b = p_anti.at(&b);
    // The definitional integrand pieces: p dG = p (n-1) F^(n-2) f dp.
    let dg = f_cdf.pow(n - 2).mul(&density).scale(&n1);
    let upper_piece = QuasiPoly::constant(Atom::num(1))
        .sub(&f_cdf)
        .mul(&QuasiPoly::x())
        .mul(&dg)
        .antiderivative();
    let lower_piece = f_cdf.mul(&QuasiPoly::x()).mul(&dg).antiderivative();

    let mut classes = Vec::new();
    let mut t1 = b.clone() + &n1 * &int_f_n;
    let mut t1_definition = Atom::num(0);
    let mut symbol = 0;
    for class in market.classes() {
        let count = class
            .count()
            .to_u32()
            .expect("n fits in u32, so does a count");
        let (critical, is_symbol) = if class.share().is_zero() {
            (a.clone(), false)
        } else if class.share().is_one() {
            (b.clone(), false)
        } else {
            symbol += 1;
            (parse!(&format!("v{symbol}")), true)
        };
        let cnt = Atom::num(i64::from(count));
        let r = rational(class.share());
        t1 -= &cnt * (&r * &critical + &p_b - p_anti.at(&critical));
        let upper = upper_piece.at(&b) - upper_piece.at(&critical);
        let lower = lower_piece.at(&critical) - lower_piece.at(&a);
        t1_definition += &cnt * (upper - lower);
        classes.push(ClassForm {
            share: class.share().clone(),
            count,
            critical,
            is_symbol,
        });
    }
    let t1 = t1.expand();
    let t1_definition = t1_definition.expand();
    let t1_forms_exact = t1_forms_agree(
        &int_f_n,
        &f_n1,
        &upper_piece,
        &lower_piece,
        &p_anti,
        &a,
        &b,
        n,
        decidable,
    );
    let beta_star = -(&nn * &t1) / (&t1 + &t2);
    Ok(MarketForms {
        n,
        classes,
        a,
        b,
        mu,
        int_f_n,
        e_max,
        t2,
        t1,
        beta_star,
        lemma2_exact,
        t1_forms_exact,
        t2_definition,
        t1_definition,
    })
}

/// The definitional and one-dimensional `T1` of one agent, as functions of its critical type
/// `v` with `r = F(v)^(n-1)` substituted, compared as exponential polynomials in `v` (where
/// trigonometric identities are built in): the per-agent term of (T1-1) is
/// `U(b) - U(v) - L(v) + L(a)` and the one-dimensional one is
/// `b/n - F(v)^(n-1) v - P(b) + P(v) + ((n-1)/n) Int_a^b F^n`.
#[allow(clippy::too_many_arguments)]
fn t1_forms_agree(
    int_f_n: &Atom,
    f_n1: &QuasiPoly,
    upper: &QuasiPoly,
    lower: &QuasiPoly,
    p_anti: &QuasiPoly,
    a: &Atom,
    b: &Atom,
    n: u32,
    decidable: bool,
) -> Option<bool> {
    let nn = Atom::num(i64::from(n));
    let constants = (upper.at(b) + lower.at(a) - b / &nn + p_anti.at(b)
        - (Atom::num(i64::from(n) - 1) / &nn) * int_f_n)
        .expand();
    // definition - one-dimensional, as a function of v:
    let as_function = upper
        .scale(&Atom::num(-1))
        .sub(lower)
        .add(&f_n1.mul(&QuasiPoly::x()))
        .sub(p_anti)
        .add(&QuasiPoly::constant(constants));
    if as_function.is_zero() {
        Some(true)
    } else if decidable {
        Some(false)
    } else {
        None
    }
}

impl MarketForms {
    /// The free symbols of the forms and their values at `prec` bits: `b` when solved, and each
    /// class's critical type.
    pub fn bindings(&self, dist: &Distribution, prec: u32) -> Result<Bindings, SymbolicError> {
        let mut out = constants(dist, prec)?;
        if self.classes.iter().any(|c| c.is_symbol) {
            let mut engine = Engine::new(dist, prec)?;
            for c in &self.classes {
                if c.is_symbol {
                    let v = critical_type(&mut engine, &c.share, u128::from(self.n))?;
                    out.push((c.critical.to_string(), v));
                }
            }
        }
        Ok(out)
    }

    /// Every closed form evaluated to `digits` certified digits.
    pub fn values(&self, dist: &Distribution, digits: u32) -> Result<MarketValues, SymbolicError> {
        let eval = |atom: &Atom| certified(atom, digits, |prec| self.bindings(dist, prec));
        let t1 = eval(&self.t1)?;
        let nonnegative = !t1.value().is_sign_negative() || t1.value().is_zero();
        Ok(MarketValues {
            mu: eval(&self.mu)?,
            e_max: eval(&self.e_max)?,
            t2: eval(&self.t2)?,
            beta_star: if nonnegative && t1.digits() > 0 {
                Some(eval(&self.beta_star)?)
            } else {
                None
            },
            t1,
            t2_definition: eval(&self.t2_definition)?,
            t1_definition: eval(&self.t1_definition)?,
        })
    }
}

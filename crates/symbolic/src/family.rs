//! The power family `F(x) = ((x - a)/(b - a))^k` with `n`, `k`, `a`, `b` and the shares as
//! symbols (the uniform is `k = 1`).
//!
//! Derivation: substitute `x = a + (b - a) t` (`dx = (b - a) dt`, `F = t^k`), rewrite
//! `(t^k)^m = t^(k m)` (valid for `t >= 0`), integrate by the power rule
//! `Int t^p dt = t^(p+1)/(p+1)` (a Symbolica pattern rewrite; `p > -1`, so the lower limit 0
//! contributes nothing), and use the critical types' defining relation
//! `t_i^(k(n-1)) = r_i` (`F(v_i*)^(n-1) = r_i`, Theorem 1) to write
//! `t_i^(k(n-1)+1) = r_i t_i`. The shares enter `T1` only through
//! `S = sum_i r_i t_i = sum_i r_i^(1 + 1/(k(n-1)))`; with equal shares `S = n^(-1/(k(n-1)))`.

use symbolica::atom::{Atom, AtomCore};
use symbolica::parse;

/// Closed forms for the power family in the symbols `n, k, a, b, S`.
#[derive(Clone, Debug)]
pub struct FamilyForms {
    /// `mu`.
    pub mu: Atom,
    /// `E[max of n]`.
    pub e_max: Atom,
    /// `T2`.
    pub t2: Atom,
    /// `T1` in terms of `S = sum_i r_i^(1 + 1/(k(n-1)))`.
    pub t1: Atom,
    /// `beta*` in terms of `S`.
    pub beta_star: Atom,
    /// `T1` for equal shares `r_i = 1/n`.
    pub t1_equal: Atom,
    /// `beta*(n)` for equal shares: one expression in `n`, `k`.
    pub beta_star_equal: Atom,
    /// Whether the expanded `T1` and `T2` were checked equal to `(b - a)` times their forms on
    /// `[0, 1]` (the factored forms reported here).
    pub scaling_checked: bool,
}

/// `Int_0^1 integrand dt` for an integrand `c t^p` (power rule as a pattern rewrite).
fn integrate_0_1(integrand: &Atom) -> Atom {
    let anti = power_rule(integrand);
    anti.replace(parse!("t")).with(parse!("1")).expand()
}

/// The antiderivative in `t` of `c t^p` by the power rule.
fn power_rule(integrand: &Atom) -> Atom {
    // (t^p)^q = t^(p q) for t >= 0, then t^p -> t^(p+1)/(p+1).
    let flat = integrand
        .replace(parse!("(t^p_)^q_"))
        .with(parse!("t^(p_*q_)"));
    flat.replace(parse!("t^p_")).with(parse!("t^(p_+1)/(p_+1)"))
}

/// Derives the power family's closed forms.
pub fn power_family() -> FamilyForms {
    let width = parse!("b - a");
    let f = parse!("t^k");
    // mu = b - Int_a^b F dx.
    let mu = parse!("b") - &width * integrate_0_1(&f);
    // E[max] = b - Int_a^b F^n dx.
    let f_n = parse!("(t^k)^n");
    let int_f_n = &width * integrate_0_1(&f_n);
    let e_max = parse!("b") - &int_f_n;
    let t2 = (&mu - &e_max).expand();

    // One agent's Int_(v_i)^b F^(n-1) dx = (b - a) [P(1) - P(t_i)], P the power-rule
    // antiderivative of t^(k(n-1)); then t_i^(k(n-1)+1) = r_i t_i = rho.
    let p = power_rule(&parse!("(t^k)^(n-1)"));
    let p_at_1 = p.replace(parse!("t")).with(parse!("1"));
    let p_at_ti = p
        .replace(parse!("t"))
        .with(parse!("τ"))
        .replace(parse!("τ^(k*(n-1)+1)"))
        .with(parse!("ρ"));
    let j_i = (&width * (p_at_1 - p_at_ti)).expand();
    // Sum over agents: constants times n, rho summed to S.
    let j_const = j_i.replace(parse!("ρ")).with(parse!("0"));
    let j_rho = (j_i.replace(parse!("ρ")).with(parse!("1")) - &j_const).expand();
    let sum_j = parse!("n") * j_const + j_rho * parse!("S");
    // T1 = b - sum r_i v_i - sum J_i + (n-1) Int F^n, with sum r_i v_i = a + (b - a) S.
    let t1 = (parse!("b") - (parse!("a") + &width * parse!("S")) - sum_j
        + parse!("n - 1") * &int_f_n)
        .expand();
    // T1 and T2 scale with the width b - a, and beta* does not depend on a, b at all: present
    // them as (b - a) times the forms on [0, 1], checked to be the same expressions.
    let unit = |e: &Atom| {
        e.replace(parse!("a"))
            .with(Atom::num(0))
            .replace(parse!("b"))
            .with(Atom::num(1))
            .expand()
    };
    let (t1_unit, t2_unit) = (unit(&t1), unit(&t2));
    let scaled_t1 = &width * &t1_unit;
    let scaled_t2 = &width * &t2_unit;
    let scaling_checked =
        (&scaled_t1 - &t1).expand().is_zero() && (&scaled_t2 - &t2).expand().is_zero();
    let beta_star = -(parse!("n") * &t1_unit) / (&t1_unit + &t2_unit);
    let equal = parse!("n^(-1/(k*(n-1)))");
    let t1_equal = &width * t1_unit.replace(parse!("S")).with(equal.clone());
    let beta_star_equal = beta_star.replace(parse!("S")).with(equal);
    let (t1, t2) = (scaled_t1, scaled_t2);
    FamilyForms {
        mu: mu.expand(),
        e_max: e_max.expand(),
        t2,
        t1,
        beta_star,
        t1_equal,
        beta_star_equal,
        scaling_checked,
    }
}

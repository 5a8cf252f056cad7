//! The efficient allocation and the ex-post budget-balanced transfers of the proof of Lemma 1
//! (Appendix A.1, "If" part), for any market `(n, r, F)` and `beta >= 0`, at working precision.
//!
//! # The construction
//!
//! Write `G = F^(n-1)` (the interim share `S_i` of the efficient allocation (D1)) and
//!
//! * `psi(x) = (1 + beta/n) ∫_a^x p dG(p) = (1 + beta/n) (x G(x) - ∫_a^x G)`, the integral of
//!   (L4);
//! * `x_i(v) = (beta/n) Σ_{j≠i} v_j s_i(v)`, the part of agent i's value of its share that comes
//!   from the others' types;
//! * `e_i(v_-i) = ∫ x_i(p, v_-i) dF(p) = (beta/n) (Σ_{j≠i} v_j) (1 - F(max_{j≠i} v_j))`, its
//!   expectation over agent i's own type;
//! * `g_i(v) = (1/(n-1)) Σ_{j≠i} [x_j(v) - e_j(v_-j)]` (the paper's `g_i`).
//!
//! The paper's transfer (first display of the "If" part) is
//!
//! `t_i(v) = c_i - psi(v_i) + (1/(n-1)) Σ_{j≠i} psi(v_j) + [e_i(v_-i) - x_i(v)] + g_i(v)`,
//!
//! and the final mechanism is `t̂_i = t_i - d_i + D/n` with `D = Σ_j d_j`. Here every term is
//! evaluated from its definition: `psi` by quadrature of `G` (tabulated once, see [`Psi`]), the
//! others in closed form from `F`.
//!
//! # The constants, and where the paper needs repair
//!
//! With `K_i = -psi(v_i*) + E psi + E e - X_i` (`E psi = (1 + beta/n) ∫ (1 - F) p dG`, the
//! expectation of `psi(v_j)`; `E e = E_{-i}[e_i] = (beta/n) (mu - ∫ p F^(n-1) dF)`;
//! `X_i = E_{-i}[x_i(v_i*, v_-i)] = (beta/n) (n-1) F(v_i*)^(n-2) ∫_a^{v_i*} x dF`), the paper's
//! `T_i(v_i*) = c_i + K_i` ((L1-2) at `v̂_i = v_i*`), and:
//!
//! 1. **`c_i` is garbled.** The paper writes
//!    `c_i = (1/n) Σ_{i=1}^n { -(1 + β/n) ∫ p dS_i ... } + (1 + β/n) ∫_a^{v_i*} p dS_i(p) - ...`,
//!    using `i` both as the summation index and as the free index. Read with a fresh summation
//!    index it is `c_i = (1/n) Σ_k K_k - K_i` ([`Lemma1::c`]), and `Σ c_i = 0` as the paper says.
//! 2. **`A_i` and `d_i`.** Lemma 5 (L5) asks `T_i(v_i*) >= A_i` with
//!    `A_i = r_i (beta (n-1)/n) mu - X_i`; the paper sets `d_i = T_i(v_i*) - A_i`
//!    ([`Lemma1::d`]). Then `D = Σ d_i` is exactly the left-hand side of (L1-1), which for the
//!    efficient allocation is Theorem 1's `(1 + beta/n) T1 + (beta/n) T2` ((T1-1)); it is
//!    computed here from the construction's own terms,
//!    `D = -Σ_i psi(v_i*) + n E psi + n E e - beta (n-1)/n mu` ([`Lemma1::surplus`]).
//! 3. **The shifted interim transfer.** The paper defines
//!    `T̂_i(v_i) := E_{-i}[t_i(v_i, v_-i)] = T_i(v_i) - d_i + Σ d_i / n`: the expectation must be
//!    of `t̂_i`, not `t_i`.
//! 4. **The inequality cited.** "by inequality (L1-3)" must read "by inequality (L1-1)": (L1-3)
//!    is the identity for `Σ T_i(v_i*)`, (L1-1) the hypothesis of Lemma 1.
//! 5. **Ties in (D1).** (D1) gives `s_i = 1` to every agent whose type equals the maximum, so at
//!    a tie `Σ s_i = 2`, against the share balance of Section 2. Ties have probability zero and
//!    change no interim term; [`efficient_allocation`] splits the good equally among tied agents.
//! 6. **Dummy variables.** In the budget-balance display and in (L1-3) the own type integrated
//!    against `dF(v_i)` shadows the true type `v_i`; it is a fresh variable `p` (others fixed),
//!    i.e. the term is `e_i(v_-i) - x_i(v)`.
//! 7. **"Integration by parts".** The paper says the `psi` terms of `Σ_i t_i` cancel "by
//!    integration by parts"; they cancel identically, since
//!    `Σ_i Σ_{j≠i} psi(v_j) = (n-1) Σ_j psi(v_j)`.
//! 8. **Which incentive compatibility.** Section 2 calls the mechanism incentive compatible "if
//!    truthful reporting is a dominant strategy", but its displayed constraint, and Lemma 4, are
//!    interim (Bayesian). The constructed mechanism is Bayesian IC only: `psi(v̂_i)` is an
//!    interim payment and `g_i` depends on agent i's own report ex post (the test
//!    `the_construction_is_not_dominant_strategy_ic` exhibits a profitable ex-post misreport).
//! 9. **Smaller slips.** (L1-1) ends "for all i ∈ I" although no free `i` is left in it (it is one
//!    inequality for the market); the statement of Lemma 1 asks for a mechanism that is
//!    "incentive compatible and individually rational" where the proof (and the text after it)
//!    delivers, and needs, one that is also ex-post budget balanced; the proof of Lemma 4 says
//!    "simplifies to equation (1)", meaning (L4), and in its "If" part `U_i(v_i) - U_i(w)` is the
//!    utility of type `v_i` truthful minus that of type `v_i` reporting `w`, not the interim
//!    utility of type `w`.
//!
//! Combining the constants, `t̂_i = κ_i - psi(v_i) + (1/(n-1)) Σ_{j≠i} psi(v_j) + e_i - x_i + g_i`
//! with `κ_i = c_i - d_i + D/n = r_i (beta (n-1)/n) mu + psi(v_i*) - E psi - E e + D/n`
//! ([`Lemma1::kappa`]): the `X_i` cancel. A consequence the paper does not state: every agent's
//! interim IR slack is smallest at its critical type `v_i*` (Lemma 5) and there equals `D/n`
//! exactly, the same for every agent. So the mechanism is IR iff `D >= 0`, iff (T1-1) holds.
//!
//! The repaired forms are tested in `tests/lemma1.rs`: `Σ c_i = 0`, `Σ d_i = D` and
//! `κ_i = c_i - d_i + D/n` (repairs 1-3, `the_paper_constants_recombine_into_the_transfer`);
//! budget balance at random profiles (repairs 6-7); the IR slack `D/n` at every `v_i*` against
//! Theorem 1's left-hand side from the numeric engine, and its failure just above `beta*`;
//! dropping the shift `-d_i + D/n` breaks IR (`broken_transfers_are_caught`); ties (repair 5,
//! `ties_split_the_good` below); Bayesian but not dominant-strategy IC (repair 8).

use efftrade_model::{BigRational, Distribution, Market};
use efftrade_numeric::NumericError;
use efftrade_numeric::engine::Engine;
use efftrade_numeric::program::to_rug;
use efftrade_numeric::quantities::{critical_type, mu_definition};
use rug::Float;
use rug::ops::Pow;

mod psi;
pub use psi::Psi;

/// Largest number of agents for which the construction is built agent by agent.
pub const MAX_AGENTS: u128 = 64;

/// Why the construction or its verification could not be carried out.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MechanismError {
    /// The engine failed (an integral, an inverse CDF).
    #[error("{0}")]
    Numeric(#[from] NumericError),
    /// An input outside what the construction accepts.
    #[error("{0}")]
    Input(String),
}

/// The efficient allocation (D1), with ties split equally (repair 5 of the module docs): the
/// whole good to the highest report.
pub fn efficient_allocation(reports: &[Float]) -> Vec<Float> {
    let prec = reports.first().map_or(64, Float::prec);
    let Some(top) = reports.iter().max_by(|x, y| x.total_cmp(y)) else {
        return Vec::new();
    };
    let winners = reports.iter().filter(|v| *v == top).count() as u32;
    reports
        .iter()
        .map(|v| {
            if v == top {
                Float::with_val(prec, 1u32) / winners
            } else {
                Float::new(prec)
            }
        })
        .collect()
}

/// The terms of one agent's transfer at one profile of reports, as in the paper's display.
#[derive(Clone, Debug)]
pub struct Parts {
    /// `κ_i = c_i - d_i + D/n`.
    pub constant: Float,
    /// `-psi(v̂_i)`.
    pub own: Float,
    /// `(1/(n-1)) Σ_{j≠i} psi(v̂_j)`.
    pub others: Float,
    /// `e_i(v̂_-i) - x_i(v̂)`.
    pub externality: Float,
    /// `g_i(v̂)`.
    pub g: Float,
}

impl Parts {
    /// The transfer `t̂_i`, the sum of the parts.
    pub fn total(&self) -> Float {
        let mut t = self.constant.clone();
        t += &self.own;
        t += &self.others;
        t += &self.externality;
        t += &self.g;
        t
    }
}

/// Lemma 1's mechanism for one market and one beta, at one working precision.
#[derive(Clone, Debug)]
pub struct Lemma1 {
    engine: Engine,
    psi: Psi,
    n: usize,
    beta: Float,
    shares: Vec<Float>,
    critical: Vec<Float>,
    mu: Float,
    expected_psi: Float,
    expected_e: Float,
    externality_at_critical: Vec<Float>,
    psi_at_critical: Vec<Float>,
    surplus: Float,
    kappa: Vec<Float>,
}

impl Lemma1 {
    /// Builds the mechanism of `market` (at most [`MAX_AGENTS`] agents) with types from `dist`
    /// and interdependence `beta >= 0`, at `prec` bits.
    pub fn new(
        dist: &Distribution,
        market: &Market,
        beta: &BigRational,
        prec: u32,
    ) -> Result<Lemma1, MechanismError> {
        let n = market.n();
        if n > MAX_AGENTS {
            return Err(MechanismError::Input(format!(
                "the mechanism is built agent by agent for at most {MAX_AGENTS} agents (this market has {n})"
            )));
        }
        if *beta < BigRational::from_integer(0.into()) {
            return Err(MechanismError::Input(
                "beta must be at least 0 (Section 2)".into(),
            ));
        }
        if !(32..=100_000).contains(&prec) {
            return Err(MechanismError::Input(format!(
                "a working precision of {prec} bits: choose between 32 and 100000"
            )));
        }
        let mut engine = Engine::new(dist, prec)?;
        let nu = n as u32;
        let beta = Float::with_val(prec, to_rug(beta));
        let b_over_n = Float::with_val(prec, &beta / nu);
        let one_plus = Float::with_val(prec, &b_over_n + 1u32);
        let mut shares = Vec::with_capacity(n as usize);
        let mut critical = Vec::with_capacity(n as usize);
        for class in market.classes() {
            let v = critical_type(&mut engine, class.share(), n)?;
            for _ in 0..class.count() {
                shares.push(Float::with_val(prec, to_rug(class.share())));
                critical.push(v.clone());
            }
        }
        let psi = Psi::new(&engine, nu)?;
        let (a, b) = (engine.a.clone(), engine.b.clone());
        let mu = mu_definition(&mut engine)?.value;
        // E psi = (1 + beta/n) ∫_a^b (1 - F(p)) p dG(p), dG = (n-1) F^(n-2) f dp.
        let dg = move |cdf: &mut efftrade_numeric::Program,
                       f: &mut efftrade_numeric::Program,
                       x: &Float|
              -> Float {
            let fx = cdf.eval(x).clone();
            Float::with_val(prec, Float::with_val(prec, fx.pow(nu - 2)) * (nu - 1)) * f.eval(x)
        };
        let e_psi0 = engine
            .integrate(
                |cdf, f, x| {
                    let w = dg(cdf, f, x);
                    let tail = Float::with_val(prec, 1u32 - cdf.eval(x));
                    Float::with_val(prec, tail * x) * w
                },
                &a,
                &b,
            )?
            .value;
        let expected_psi = Float::with_val(prec, &one_plus * &e_psi0);
        // E e = (beta/n) (mu - ∫ p F^(n-1) dF).
        let top = engine
            .integrate(
                |cdf, f, x| {
                    let g = Float::with_val(prec, cdf.eval(x).pow(nu - 1));
                    Float::with_val(prec, g * x) * f.eval(x)
                },
                &a,
                &b,
            )?
            .value;
        let expected_e = Float::with_val(prec, &b_over_n * Float::with_val(prec, &mu - &top));
        // X_i = (beta/n)(n-1) F(v*)^(n-2) ∫_a^{v*} x dF.
        let mut externality_at_critical = Vec::with_capacity(critical.len());
        let mut psi_at_critical = Vec::with_capacity(critical.len());
        let mut psi_table = psi.clone();
        for v in &critical {
            let m1 = engine
                .integrate(|_, f, x| Float::with_val(prec, x * f.eval(x)), &a, v)?
                .value;
            let fv = engine.cdf(v);
            let x = Float::with_val(prec, fv.pow(nu - 2)) * m1 * (nu - 1);
            externality_at_critical.push(Float::with_val(prec, &b_over_n * x));
            psi_at_critical.push(Float::with_val(prec, &one_plus * psi_table.eval(v)?));
        }
        // D = -Σ psi(v_i*) + n E psi + n E e - beta (n-1)/n mu.
        let outside_mu = Float::with_val(prec, &b_over_n * (nu - 1)) * &mu;
        let mut surplus = Float::with_val(
            prec,
            Float::with_val(prec, &expected_psi + &expected_e) * nu,
        );
        surplus -= &outside_mu;
        for p in &psi_at_critical {
            surplus -= p;
        }
        let kappa = shares
            .iter()
            .zip(&psi_at_critical)
            .map(|(r, p)| {
                let mut k = Float::with_val(prec, r * &outside_mu);
                k += p;
                k -= &expected_psi;
                k -= &expected_e;
                k += Float::with_val(prec, &surplus / nu);
                k
            })
            .collect();
        Ok(Lemma1 {
            engine,
            psi,
            n: n as usize,
            beta,
            shares,
            critical,
            mu,
            expected_psi,
            expected_e,
            externality_at_critical,
            psi_at_critical,
            surplus,
            kappa,
        })
    }

    /// Number of agents.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The working precision in bits.
    pub fn prec(&self) -> u32 {
        self.engine.prec()
    }

    /// beta at the working precision.
    pub fn beta(&self) -> &Float {
        &self.beta
    }

    /// Agent i's share `r_i`.
    pub fn shares(&self) -> &[Float] {
        &self.shares
    }

    /// The critical types `v_i*` (`G(v_i*) = r_i`).
    pub fn critical(&self) -> &[Float] {
        &self.critical
    }

    /// `mu = E[v]`.
    pub fn mu(&self) -> &Float {
        &self.mu
    }

    /// `D = Σ d_i`, the left-hand side of (L1-1) for the efficient allocation, from the
    /// construction's own terms; Theorem 1 says it equals `(1 + beta/n) T1 + (beta/n) T2`.
    pub fn surplus(&self) -> &Float {
        &self.surplus
    }

    /// `κ_i = c_i - d_i + D/n`, the constant of `t̂_i`.
    pub fn kappa(&self) -> &[Float] {
        &self.kappa
    }

    /// `K_i = T_i(v_i*) - c_i = -psi(v_i*) + E psi + E e - X_i` (repair 1 of the module docs).
    fn k_term(&self, i: usize) -> Float {
        let prec = self.prec();
        Float::with_val(prec, &self.expected_psi - &self.psi_at_critical[i]) + &self.expected_e
            - &self.externality_at_critical[i]
    }

    fn outside_mu(&self) -> Float {
        let prec = self.prec();
        Float::with_val(prec, &self.beta * (self.n as u32 - 1)) / self.n as u32 * &self.mu
    }

    /// The paper's `c_i = (1/n) Σ_k K_k - K_i` (repaired), which sum to zero.
    pub fn c(&self) -> Vec<Float> {
        let prec = self.prec();
        let ks: Vec<Float> = (0..self.n).map(|i| self.k_term(i)).collect();
        let mean = Float::with_val(prec, Float::sum(ks.iter())) / self.n as u32;
        ks.iter()
            .map(|k| Float::with_val(prec, &mean - k))
            .collect()
    }

    /// The paper's IR shifts `d_i = T_i(v_i*) - A_i`, with `T_i(v_i*) = (1/n) Σ_k K_k` and
    /// `A_i = r_i (beta (n-1)/n) mu - X_i`; they sum to `D`.
    pub fn d(&self) -> Vec<Float> {
        let prec = self.prec();
        let ks: Vec<Float> = (0..self.n).map(|i| self.k_term(i)).collect();
        let mean = Float::with_val(prec, Float::sum(ks.iter())) / self.n as u32;
        (0..self.n)
            .map(|i| {
                let a = Float::with_val(prec, &self.shares[i] * self.outside_mu())
                    - &self.externality_at_critical[i];
                Float::with_val(prec, &mean - a)
            })
            .collect()
    }

    /// `psi(x) = (1 + beta/n) ∫_a^x p dG(p)`.
    pub fn psi(&mut self, x: &Float) -> Result<Float, MechanismError> {
        let prec = self.prec();
        let one_plus = Float::with_val(prec, &self.beta / self.n as u32) + 1u32;
        Ok(one_plus * self.psi.eval(x)?)
    }

    /// `e_i(v_-i) = (beta/n) (Σ_{j≠i} v_j) (1 - F(max_{j≠i} v_j))`.
    fn expected_externality(&mut self, i: usize, v: &[Float]) -> Float {
        let prec = self.prec();
        let mut sum = Float::new(prec);
        let mut top: Option<&Float> = None;
        for (j, x) in v.iter().enumerate() {
            if j != i {
                sum += x;
                if top.is_none_or(|t| x > t) {
                    top = Some(x);
                }
            }
        }
        let top = top.cloned().unwrap_or_else(|| self.engine.a.clone());
        let tail = Float::with_val(prec, 1u32 - self.engine.cdf(&top));
        Float::with_val(prec, &self.beta / self.n as u32) * sum * tail
    }

    /// `x_i(v) = (beta/n) Σ_{j≠i} v_j s_i(v)`.
    fn realized_externality(&self, i: usize, v: &[Float], s: &[Float]) -> Float {
        let prec = self.prec();
        if s[i].is_zero() {
            return Float::new(prec);
        }
        let mut sum = Float::new(prec);
        for (j, x) in v.iter().enumerate() {
            if j != i {
                sum += x;
            }
        }
        Float::with_val(prec, &self.beta / self.n as u32) * sum * &s[i]
    }

    fn check(&self, reports: &[Float]) -> Result<(), MechanismError> {
        if reports.len() != self.n {
            return Err(MechanismError::Input(format!(
                "a profile of {} reports for {} agents",
                reports.len(),
                self.n
            )));
        }
        if let Some(v) = reports
            .iter()
            .find(|v| !v.is_finite() || **v < self.engine.a || **v > self.engine.b)
        {
            return Err(MechanismError::Input(format!(
                "a report {} outside the support [{}, {}]",
                v.to_f64(),
                self.engine.a.to_f64(),
                self.engine.b.to_f64()
            )));
        }
        Ok(())
    }

    /// `psi`, `e` and `x` of every agent at a profile of reports.
    fn terms(&mut self, reports: &[Float]) -> Result<Terms, MechanismError> {
        self.check(reports)?;
        let s = efficient_allocation(reports);
        let mut psi = Vec::with_capacity(self.n);
        let mut e = Vec::with_capacity(self.n);
        let mut x = Vec::with_capacity(self.n);
        for (j, v) in reports.iter().enumerate() {
            psi.push(self.psi(v)?);
            e.push(self.expected_externality(j, reports));
            x.push(self.realized_externality(j, reports, &s));
        }
        Ok(Terms { psi, e, x })
    }

    fn parts_from(&self, i: usize, t: &Terms) -> Parts {
        let prec = self.prec();
        let others_count = (self.n - 1) as u32;
        let mut others = Float::new(prec);
        let mut g = Float::new(prec);
        for j in (0..self.n).filter(|&j| j != i) {
            others += &t.psi[j];
            g += &t.x[j];
            g -= &t.e[j];
        }
        Parts {
            constant: self.kappa[i].clone(),
            own: Float::with_val(prec, -&t.psi[i]),
            others: others / others_count,
            externality: Float::with_val(prec, &t.e[i] - &t.x[i]),
            g: g / others_count,
        }
    }

    /// The terms of agent `i`'s transfer `t̂_i` at the profile of reports.
    pub fn parts(&mut self, i: usize, reports: &[Float]) -> Result<Parts, MechanismError> {
        if i >= self.n {
            return Err(MechanismError::Input(format!(
                "no agent {i} among {}",
                self.n
            )));
        }
        let t = self.terms(reports)?;
        Ok(self.parts_from(i, &t))
    }

    /// The terms of every agent's transfer at the profile of reports.
    pub fn all_parts(&mut self, reports: &[Float]) -> Result<Vec<Parts>, MechanismError> {
        let t = self.terms(reports)?;
        Ok((0..self.n).map(|i| self.parts_from(i, &t)).collect())
    }

    /// Every agent's transfer `t̂_i` at the profile of reports.
    pub fn transfers(&mut self, reports: &[Float]) -> Result<Vec<Float>, MechanismError> {
        Ok(self.all_parts(reports)?.iter().map(Parts::total).collect())
    }
}

/// `psi(v_j)`, `e_j(v_-j)` and `x_j(v)` at one profile.
struct Terms {
    psi: Vec<Float>,
    e: Vec<Float>,
    x: Vec<Float>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_split_the_good() {
        let prec = 64;
        let v = [
            Float::with_val(prec, 0.5),
            Float::with_val(prec, 0.9),
            Float::with_val(prec, 0.9),
        ];
        let s = efficient_allocation(&v);
        assert_eq!(s[0], 0);
        assert_eq!(s[1], 0.5);
        assert_eq!(s[2], 0.5);
    }
}

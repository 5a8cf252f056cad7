//! The largest admissible beta by linear programming, independent of the paper's formulas.
//!
//! Types are discretised on `k` quantile midpoints `w_a = F^-1((a - 1/2)/k)`, each of mass `1/k`.
//! The allocation is the efficient one (the whole good to the highest report, ties split
//! equally), so its interim terms are computed exactly from the discrete distribution:
//!
//! * `S_a`, the probability-weighted share of an agent reporting `w_a`;
//! * `q_a`, the coefficient of `beta` in `E[(beta/N) Σ_{j≠i} v_j s_i(w_a, v_-i)]`.
//!
//! The unknowns are the interim transfers `T_c(a)` of each share class `c` (agents of one class
//! are interchangeable, and averaging a feasible mechanism over their permutations keeps it
//! feasible, so one schedule per class loses nothing) and `beta` itself. With utility
//! `T(w) + (1 + beta/N) v S(w) + beta q(w)` for type `v` reporting `w`, every constraint is
//! linear in `(T, beta)` jointly:
//!
//! * Bayesian IC between neighbouring types (with `S` increasing and utility supermodular in
//!   `(v, S)`, local IC implies global IC; the solution is re-checked against every pair);
//! * interim IR against the outside option `r_c [(1 + beta/N) v + beta (N-1)/N mu]` of the
//!   paper's IR constraint (Section 2);
//! * budget balance in expectation, `Σ_c count_c E[T_c] <= 0`: with independent types any such
//!   interim transfers are the interims of ex-post budget-balanced transfers
//!   (`t_i(v) = T_i(v_i) - (1/(N-1)) Σ_{j≠i} (T_j(v_j) - E T_j)`, plus an equal share of any
//!   surplus), so this is the ex-post BB of the paper;
//!
//! and the LP maximises `beta`. Nothing here uses T1, T2 or Theorem 1.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};
use efftrade_model::{Distribution, Market};
use efftrade_numeric::NumericError;
use efftrade_numeric::certified::Certified;
use efftrade_numeric::engine::Engine;
use rug::Float;

/// Largest number of agents the discrete model accepts (its interim terms sum over ties).
pub const MAX_AGENTS: u128 = 64;

/// Largest number of discretisation points.
pub const MAX_POINTS: usize = 4096;

/// A bound on beta that keeps the LP bounded; reaching it means "every beta up to here".
pub const BETA_MAX: f64 = 1e6;

/// Why the LP could not be set up or solved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LpError {
    /// The discretisation could not be computed.
    #[error("discretising F: {0}")]
    Numeric(#[from] NumericError),
    /// A market or a number of points outside what the discrete model handles.
    #[error("{0}")]
    Unsupported(String),
    /// The solver stopped without a usable answer.
    #[error("the LP solver stopped with status {0}")]
    Solver(String),
}

/// Types on `k` quantile midpoints, each of mass `1/k`.
#[derive(Clone, Debug)]
pub struct Discretization {
    /// The points `w_a`, increasing.
    pub points: Vec<f64>,
    /// Their masses.
    pub masses: Vec<f64>,
}

impl Discretization {
    /// `w_a = F^-1((a - 1/2)/k)`, computed at 96 bits and rounded.
    pub fn quantile_midpoints(dist: &Distribution, k: usize) -> Result<Discretization, LpError> {
        if !(2..=MAX_POINTS).contains(&k) {
            return Err(LpError::Unsupported(format!(
                "{k} discretisation points: choose between 2 and {MAX_POINTS}"
            )));
        }
        let prec = 96;
        let mut engine = Engine::new(dist, prec)?;
        let mut points = Vec::with_capacity(k);
        for a in 0..k {
            // tail = 1 - (a + 1/2)/k = (2k - 2a - 1) / (2k)
            let tail = Float::with_val(prec, (2 * (k - a) - 1) as u64) / (2 * k) as u64;
            points.push(engine.inverse(&tail)?.to_f64());
        }
        Ok(Discretization {
            points,
            masses: vec![1.0 / k as f64; k],
        })
    }

    /// The mean of the discrete distribution.
    pub fn mean(&self) -> f64 {
        self.points
            .iter()
            .zip(&self.masses)
            .map(|(w, p)| w * p)
            .sum()
    }
}

/// `Σ_{m=0}^{K} C(K, m) p^m q^(K-m) / (m + c)`: the expected `1/(c + ties)` when `K` others each
/// tie with probability `p` and lose with probability `q` (and everyone else wins).
fn tie_weight(k: u32, p: f64, q: f64, c: f64) -> f64 {
    let mut sum = 0.0;
    let mut binomial = 1.0;
    for m in 0..=k {
        if m > 0 {
            binomial *= f64::from(k - m + 1) / f64::from(m);
        }
        sum += binomial * p.powi(m as i32) * q.powi((k - m) as i32) / (f64::from(m) + c);
    }
    sum
}

/// The interim terms of the efficient allocation on a discretisation, for `n` agents.
#[derive(Clone, Debug)]
pub struct Interim {
    /// `S_a`: expected share of an agent reporting `w_a`.
    pub share: Vec<f64>,
    /// `q_a`: the coefficient of beta in `E[(beta/n) Σ_{j≠i} v_j s_i(w_a, v_-i)]`.
    pub externality: Vec<f64>,
}

impl Interim {
    /// Exact (up to rounding) for the discrete model with ties split equally.
    pub fn efficient(d: &Discretization, n: u32) -> Interim {
        let k = d.points.len();
        let mut share = Vec::with_capacity(k);
        let mut externality = Vec::with_capacity(k);
        let mut below = 0.0; // P(v < w_a)
        let mut below_mean = 0.0; // E[v 1{v < w_a}]
        for a in 0..k {
            let (w, p) = (d.points[a], d.masses[a]);
            share.push(tie_weight(n - 1, p, below, 1.0));
            // E[v_j s_i] for one other agent j: j below w_a, or j tied at w_a.
            let e = below_mean * tie_weight(n - 2, p, below, 1.0)
                + w * p * tie_weight(n - 2, p, below, 2.0);
            externality.push(f64::from(n - 1) * e / f64::from(n));
            below += p;
            below_mean += w * p;
        }
        Interim { share, externality }
    }
}

/// The LP's answer for one discretisation.
#[derive(Clone, Debug)]
pub struct Cutoff {
    /// Points of the discretisation.
    pub k: usize,
    /// The largest beta, certified by two solver tolerances; `None` when no `beta >= 0` is
    /// feasible.
    pub beta: Option<Certified>,
    /// Whether beta reached [`BETA_MAX`] (every beta up to it is feasible).
    pub unbounded: bool,
    /// The largest violation of IC over all pairs of types, IR and BB at the solution (a check of
    /// the local-IC reduction and of the solver).
    pub max_violation: f64,
}

struct Lp {
    columns: Vec<Vec<(usize, f64)>>,
    rhs: Vec<f64>,
}

impl Lp {
    fn row(&mut self, entries: &[(usize, f64)], rhs: f64) {
        let r = self.rhs.len();
        for &(col, v) in entries {
            if v != 0.0 {
                self.columns[col].push((r, v));
            }
        }
        self.rhs.push(rhs);
    }

    fn matrix(&self) -> CscMatrix<f64> {
        let mut colptr = vec![0];
        let mut rowval = Vec::new();
        let mut nzval = Vec::new();
        for col in &self.columns {
            for &(r, v) in col {
                rowval.push(r);
                nzval.push(v);
            }
            colptr.push(rowval.len());
        }
        CscMatrix::new(self.rhs.len(), self.columns.len(), colptr, rowval, nzval)
    }
}

/// The data of one market on one discretisation.
struct Problem<'a> {
    d: &'a Discretization,
    interim: Interim,
    /// `(share, count)` per class.
    classes: Vec<(f64, f64)>,
    n: f64,
    mu: f64,
}

impl Problem<'_> {
    fn k(&self) -> usize {
        self.d.points.len()
    }

    fn beta_column(&self) -> usize {
        self.classes.len() * self.k()
    }

    /// `U(type x, report y) = T(y) + w_x S_y + beta (w_x S_y / N + q_y)`: the constant and the
    /// beta coefficient (without the transfer).
    fn utility(&self, x: usize, y: usize) -> (f64, f64) {
        let w = self.d.points[x];
        let s = self.interim.share[y];
        (w * s, w * s / self.n + self.interim.externality[y])
    }

    /// The outside option of class `c` at type `a`: constant and beta coefficient.
    fn outside(&self, c: usize, a: usize) -> (f64, f64) {
        let (r, w) = (self.classes[c].0, self.d.points[a]);
        (r * w, r * (w / self.n + (self.n - 1.0) * self.mu / self.n))
    }

    fn build(&self) -> Lp {
        let k = self.k();
        let beta = self.beta_column();
        let mut lp = Lp {
            columns: vec![Vec::new(); beta + 1],
            rhs: Vec::new(),
        };
        for c in 0..self.classes.len() {
            let t = |a: usize| c * k + a;
            for a in 0..k {
                // IC with each neighbour: U(a; a) >= U(a; y), i.e.
                // -T(a) + T(y) - beta [b(a,a) - b(a,y)] <= u(a,a) - u(a,y).
                for y in [a.wrapping_sub(1), a + 1] {
                    if y >= k {
                        continue;
                    }
                    let (ua, ba) = self.utility(a, a);
                    let (uy, by) = self.utility(a, y);
                    lp.row(&[(t(a), -1.0), (t(y), 1.0), (beta, by - ba)], ua - uy);
                }
                // IR: U(a; a) >= outside option.
                let (u, b) = self.utility(a, a);
                let (o, ob) = self.outside(c, a);
                lp.row(&[(t(a), -1.0), (beta, ob - b)], u - o);
            }
        }
        // Budget balance in expectation.
        let bb: Vec<(usize, f64)> = (0..self.classes.len())
            .flat_map(|c| (0..k).map(move |a| (c, a)))
            .map(|(c, a)| (c * k + a, self.classes[c].1 * self.d.masses[a]))
            .collect();
        lp.row(&bb, 0.0);
        lp.row(&[(beta, -1.0)], 0.0);
        lp.row(&[(beta, 1.0)], BETA_MAX);
        lp
    }

    /// The largest violation of global IC, IR and BB by transfers `x` at `x[beta]`.
    fn violation(&self, x: &[f64]) -> f64 {
        let k = self.k();
        let beta = x[self.beta_column()];
        let mut worst: f64 = 0.0;
        let mut budget = 0.0;
        for c in 0..self.classes.len() {
            let total = |a: usize, y: usize| {
                let (u, b) = self.utility(a, y);
                x[c * k + y] + u + beta * b
            };
            for a in 0..k {
                let truthful = total(a, a);
                for y in 0..k {
                    worst = worst.max(total(a, y) - truthful);
                }
                let (o, ob) = self.outside(c, a);
                worst = worst.max(o + beta * ob - truthful);
                budget += self.classes[c].1 * self.d.masses[a] * x[c * k + a];
            }
        }
        worst.max(budget)
    }

    /// Solves at one tolerance: `Ok(Some((beta, x)))`, or `Ok(None)` when infeasible.
    #[allow(clippy::type_complexity)]
    fn solve(&self, tolerance: f64) -> Result<Option<(f64, Vec<f64>)>, LpError> {
        let lp = self.build();
        let a = lp.matrix();
        let columns = lp.columns.len();
        let p = CscMatrix::zeros((columns, columns));
        let mut q = vec![0.0; columns];
        q[self.beta_column()] = -1.0;
        let cones = [SupportedConeT::NonnegativeConeT(lp.rhs.len())];
        let settings = DefaultSettingsBuilder::default()
            .verbose(false)
            .tol_gap_abs(tolerance)
            .tol_gap_rel(tolerance)
            .tol_feas(tolerance)
            .max_iter(400)
            .build()
            .map_err(|e| LpError::Solver(format!("settings: {e}")))?;
        let mut solver = DefaultSolver::new(&p, &q, &a, &lp.rhs, &cones, settings)
            .map_err(|e| LpError::Solver(format!("setup: {e}")))?;
        solver.solve();
        match solver.solution.status {
            SolverStatus::Solved => {
                let x = solver.solution.x.clone();
                Ok(Some((x[self.beta_column()], x)))
            }
            SolverStatus::PrimalInfeasible => Ok(None),
            other => Err(LpError::Solver(format!("{other:?}"))),
        }
    }
}

/// The solver's tolerances for the tight solve, tightest first: where the interior-point method
/// cannot reach one (clarabel stops with `AlmostSolved` when rounding limits the last digits), the
/// next is tried. The cutoff's digits are those on which the tight and the loose solve agree, so
/// a looser tolerance shows as fewer certified digits, never as wrong ones.
const TIGHT: [f64; 3] = [1e-11, 1e-10, 1e-9];

/// The tolerances of the loose solve, tightest first (each looser than every tight one).
const LOOSE: [f64; 2] = [1e-8, 1e-7];

impl Problem<'_> {
    /// [`Problem::solve`] at the first of `tolerances` the solver reaches.
    #[allow(clippy::type_complexity)]
    fn solve_at_first(&self, tolerances: &[f64]) -> Result<Option<(f64, Vec<f64>)>, LpError> {
        let mut status = String::new();
        for &tolerance in tolerances {
            match self.solve(tolerance) {
                Err(LpError::Solver(s)) => status = s,
                reached => return reached,
            }
        }
        Err(LpError::Solver(status))
    }
}

/// The largest beta for which the efficient allocation of `market` on `k` quantile midpoints of
/// `dist` admits Bayesian IC, interim IR and budget-balanced transfers.
pub fn cutoff(dist: &Distribution, market: &Market, k: usize) -> Result<Cutoff, LpError> {
    let n = market.n();
    if n > MAX_AGENTS {
        return Err(LpError::Unsupported(format!(
            "the LP handles markets of at most {MAX_AGENTS} agents (this one has {n})"
        )));
    }
    let d = Discretization::quantile_midpoints(dist, k)?;
    let classes = market
        .classes()
        .iter()
        .map(|c| {
            let share = efftrade_model::expr::rational_to_f64(c.share());
            (share, c.count() as f64)
        })
        .collect();
    let problem = Problem {
        interim: Interim::efficient(&d, n as u32),
        mu: d.mean(),
        d: &d,
        classes,
        n: n as f64,
    };
    let loose = problem.solve_at_first(&LOOSE)?;
    let tight = problem.solve_at_first(&TIGHT)?;
    Ok(match (loose, tight) {
        (Some((b1, _)), Some((b2, x))) => {
            let digits =
                Certified::from_pair(&Float::with_val(64, b1), &Float::with_val(64, b2), 15);
            Cutoff {
                k,
                unbounded: b2 >= BETA_MAX * (1.0 - 1e-6),
                max_violation: problem.violation(&x),
                beta: Some(digits),
            }
        }
        (None, None) => Cutoff {
            k,
            beta: None,
            unbounded: false,
            max_violation: 0.0,
        },
        _ => {
            return Err(LpError::Solver(
                "feasible at one tolerance and infeasible at the other".into(),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_numeric::Provenance;

    #[test]
    fn tie_weights_match_their_closed_forms() {
        // Σ C(K,m) p^m q^(K-m) / (m+1) = ((p+q)^(K+1) - q^(K+1)) / ((K+1) p).
        for (k, p, q) in [(0u32, 0.1f64, 0.3f64), (3, 0.2, 0.5), (7, 0.01, 0.9)] {
            let want = ((p + q).powi(k as i32 + 1) - q.powi(k as i32 + 1)) / (f64::from(k + 1) * p);
            let got = tie_weight(k, p, q, 1.0);
            assert!((got - want).abs() < 1e-14, "{k}: {got} vs {want}");
        }
    }

    fn cutoffs(values: &[(usize, f64)]) -> Vec<Cutoff> {
        values
            .iter()
            .map(|&(k, v)| {
                let x = Float::with_val(64, v);
                Cutoff {
                    k,
                    beta: Some(Certified::from_pair(&x, &x, 15)),
                    unbounded: false,
                    max_violation: 0.0,
                }
            })
            .collect()
    }

    #[test]
    fn richardson_digits_are_those_two_estimates_share() {
        // Too few cutoffs, or k that do not double: no extrapolation.
        assert!(richardson(&cutoffs(&[(10, 2.5)])).1.is_none());
        assert!(
            richardson(&cutoffs(&[(10, 2.5), (20, 2.2), (30, 2.1)]))
                .1
                .is_none()
        );
        // c(k) = 2 + 5/k + 40/k^2: the limit 2 is approached at order 1 with a second-order term.
        let c = |k: f64| 2.0 + 5.0 / k + 40.0 / (k * k);
        let four = cutoffs(&[80, 160, 320, 640].map(|k| (k, c(k as f64))));
        let (order, limit) = richardson(&four);
        let limit = limit.unwrap();
        assert!((order.unwrap() - 1.0).abs() < 0.2);
        assert_eq!(limit.provenance(), Provenance::Extrapolated);
        // The estimates from (80, 160, 320) and (160, 320, 640) differ by about 1e-3: the digits
        // shown are those both round to, and they are right.
        assert_eq!(limit.to_decimal(), "2.00");
        // From the last three alone the error is the step from c(640), 7.6e-3: fewer digits,
        // still right.
        let (_, three) = richardson(&four[1..]);
        assert_eq!(three.unwrap().to_decimal(), "2.0");
        // Cutoffs converging at order 3 are not in the first-order regime: no digit.
        let cubic = cutoffs(&[80, 160, 320].map(|k| (k, 2.0 + 5e5 / (k as f64).powi(3))));
        let (order, limit) = richardson(&cubic);
        assert!((order.unwrap() - 3.0).abs() < 1e-6);
        assert_eq!(limit.unwrap().to_decimal(), "?");
    }

    #[test]
    fn interim_share_sums_to_one_over_agents() {
        // Each agent's ex-ante expected share is 1/n.
        let d = Discretization {
            points: (0..7).map(|a| f64::from(a) / 6.0).collect(),
            masses: vec![1.0 / 7.0; 7],
        };
        for n in [2u32, 3, 5] {
            let i = Interim::efficient(&d, n);
            let total: f64 = i.share.iter().zip(&d.masses).map(|(s, p)| s * p).sum();
            assert!((total - 1.0 / f64::from(n)).abs() < 1e-14, "{n}: {total}");
        }
    }
}

/// LP cutoffs on successively doubled discretisations and what they say about the limit.
#[derive(Clone, Debug)]
pub struct Convergence {
    /// One cutoff per `k`, in increasing `k`.
    pub cutoffs: Vec<Cutoff>,
    /// The observed order `p` in `cutoff(k) = limit + C k^-p`, from the last three `k` when
    /// they double: `log2((c(k) - c(2k)) / (c(2k) - c(4k)))`.
    pub order: Option<f64>,
    /// Richardson's estimate of the limit from the last two cutoffs and the observed order,
    /// `c(2k) + (c(2k) - c(k)) / (2^p - 1)`: an estimate (provenance
    /// [`Provenance::Extrapolated`](efftrade_numeric::Provenance)), shown to the digits on which
    /// it agrees with the estimate one step coarser (see `richardson`).
    pub extrapolated: Option<Certified>,
}

/// Richardson's extrapolation from three cutoffs at `k`, `2k` and `4k`: the observed order `p`
/// with `2^p = (c(k) - c(2k)) / (c(2k) - c(4k))` and the limit `c(4k) + (c(4k) - c(2k)) / (2^p - 1)`.
fn richardson_step(c: &[&Cutoff]) -> Option<(f64, f64)> {
    if !(c.len() == 3 && c[1].k == 2 * c[0].k && c[2].k == 2 * c[1].k) {
        return None;
    }
    let v: Vec<f64> = c
        .iter()
        .map(|c| c.beta.as_ref().map(|b| b.value().to_f64()))
        .collect::<Option<_>>()?;
    let ratio = (v[0] - v[1]) / (v[1] - v[2]);
    (ratio.is_finite() && ratio > 1.0).then(|| (ratio.log2(), v[2] + (v[2] - v[1]) / (ratio - 1.0)))
}

/// How far the observed order may be from the discretisation's first order before the
/// extrapolation is trusted with no digit.
const MAX_ORDER_DEVIATION: f64 = 0.5;

/// The observed order and the extrapolated limit from the last three cutoffs, when their `k`
/// double. The limit is an estimate ([`Certified::extrapolated`]); its digits are those on which
/// it agrees, to within their difference, with the estimate from the three cutoffs before
/// (when the `k` double back that far), or else with the last cutoff itself; never more than
/// the cutoffs' own, and none when the observed order is more than [`MAX_ORDER_DEVIATION`]
/// from 1.
fn richardson(cutoffs: &[Cutoff]) -> (Option<f64>, Option<Certified>) {
    let all: Vec<&Cutoff> = cutoffs.iter().collect();
    let last = &all[all.len().saturating_sub(3)..];
    let Some((order, value)) = richardson_step(last) else {
        return (None, None);
    };
    let before = all
        .len()
        .checked_sub(4)
        .and_then(|i| richardson_step(&all[i..i + 3]).map(|(_, v)| v));
    let reference =
        before.unwrap_or_else(|| last[2].beta.as_ref().map_or(value, |b| b.value().to_f64()));
    let own = last[1..]
        .iter()
        .map(|c| c.beta.as_ref().map_or(0, Certified::digits))
        .min()
        .unwrap_or(0);
    let error = Float::with_val(64, (value - reference).abs());
    let agreed = Certified::within(&Float::with_val(64, value), &error, own.min(6), false);
    // The discretisation's error is of first order in 1/k; an observed order far from 1 means
    // the cutoffs are not yet in that regime, and the extrapolation certifies no digit.
    let digits = if (order - 1.0).abs() <= MAX_ORDER_DEVIATION {
        agreed.digits()
    } else {
        0
    };
    (
        Some(order),
        Some(Certified::extrapolated(Float::with_val(64, value), digits)),
    )
}

/// Cutoffs for each `k` in `ks` (sorted, distinct), with the observed order and the
/// extrapolated limit when the last three double.
pub fn convergence(
    dist: &Distribution,
    market: &Market,
    ks: &[usize],
) -> Result<Convergence, LpError> {
    let mut ks = ks.to_vec();
    ks.sort_unstable();
    ks.dedup();
    let cutoffs = ks
        .iter()
        .map(|&k| cutoff(dist, market, k))
        .collect::<Result<Vec<_>, _>>()?;
    let (order, extrapolated) = richardson(&cutoffs);
    Ok(Convergence {
        cutoffs,
        order,
        extrapolated,
    })
}

//! Direct verification of a mechanism from its payoffs: ex-post budget balance, interim
//! incentive compatibility and interim individual rationality (Section 2), for the efficient
//! allocation (D1) and any transfer rule.
//!
//! Nothing here uses the construction's constants or Theorem 1: the verifier knows the market,
//! beta and the rule's transfers at profiles of reports, and integrates the ex-post utility of
//! Section 2,
//!
//! `u_i = t_i(w, v_-i) + s_i(w, v_-i) (v_i + (beta/n) (v_i + Σ_{j≠i} v_j))`
//!
//! (type `v_i`, report `w`, the others truthful), over the others' types.
//!
//! * **Budget balance:** `|Σ_i t_i(v)|` at seeded pseudo-random profiles (splitmix64), uniform on
//!   the support, together with the largest `|t_i|` seen (the scale of the rounding noise).
//! * **Interim IC:** for each share class (agents of one class are interchangeable) and each
//!   report `w` of a grid, the expectations `E t_i(w, ·)`, `E s_i(w, ·)` and
//!   `E[s_i(w, ·) Σ_{j≠i} v_j]` over the others' types; the interim utility of type `v` reporting
//!   `w` is then, by linearity of `u_i` in the true type,
//!   `U(v | w) = E t + (1 + beta/n) v E s + (beta/n) E[s Σ v_j]` (the IC display of Section 2).
//!   The largest `U(v | w) - U(v | v)` over grid pairs `w ≠ v` is reported: negative means no
//!   profitable misreport.
//! * **Interim IR:** `U(v | v) - r_i [(1 + beta/n) v + beta (n-1)/n mu]` (the IR display of
//!   Section 2) over the grid, which contains each critical type `v_i*`.
//!
//! For two and three agents the expectations are nested Gauss-Legendre quadratures, split at every
//! point where the integrand has a kink or a jump (the report `w` and the other agents' types:
//! the allocation and the `max` inside the transfer change there), so each piece is smooth. Every
//! expectation is computed at two quadrature orders; their difference is the reported error bar.
//! For four agents or more, the expectations are randomised quasi-Monte Carlo (Halton points,
//! independent Cranley-Patterson shifts, types by the inverse CDF), with the standard error over
//! the shifts as the error bar.

use efftrade_model::{BigRational, Distribution, Market};
use efftrade_numeric::engine::Engine;
use efftrade_numeric::program::to_rug;
use efftrade_numeric::quantities::{critical_type, mu_definition};
use rug::Float;

use crate::transfer::{Lemma1, MechanismError};

mod interim;
use interim::{Moments, aggregate, nested, qmc};

/// A transfer rule: agent `i`'s transfer at a profile of reports.
pub trait Rule {
    /// Number of agents.
    fn n(&self) -> usize;
    /// Agent `i`'s transfer at `reports`.
    fn transfer(&mut self, i: usize, reports: &[Float]) -> Result<Float, MechanismError>;
    /// Every agent's transfer at `reports`.
    fn transfers(&mut self, reports: &[Float]) -> Result<Vec<Float>, MechanismError> {
        (0..self.n()).map(|i| self.transfer(i, reports)).collect()
    }
}

impl Rule for Lemma1 {
    fn n(&self) -> usize {
        Lemma1::n(self)
    }

    fn transfer(&mut self, i: usize, reports: &[Float]) -> Result<Float, MechanismError> {
        Ok(self.parts(i, reports)?.total())
    }

    fn transfers(&mut self, reports: &[Float]) -> Result<Vec<Float>, MechanismError> {
        Lemma1::transfers(self, reports)
    }
}

/// How thoroughly to check.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Equally spaced types (and reports) on `[a, b]`; the critical types are added.
    pub grid: usize,
    /// Pseudo-random profiles for budget balance.
    pub profiles: usize,
    /// Seed of the profiles (and of the quasi-Monte Carlo shifts).
    pub seed: u64,
    /// Gauss-Legendre nodes per panel of the coarser quadrature (the finer has half as many
    /// again).
    pub order: usize,
    /// Panels per support width in the nested quadrature.
    pub panels: usize,
    /// Quasi-Monte Carlo points per shift (four agents or more).
    pub qmc_points: usize,
    /// Quasi-Monte Carlo shifts.
    pub qmc_shifts: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            grid: 9,
            profiles: 256,
            seed: 0x5eed_0001,
            order: 14,
            panels: 4,
            qmc_points: 512,
            qmc_shifts: 8,
        }
    }
}

/// The checks for one share class (one representative agent).
#[derive(Clone, Debug)]
pub struct AgentCheck {
    /// The representative agent's index.
    pub agent: usize,
    /// Its share `r_i`.
    pub share: Float,
    /// Its critical type `v_i*`, computed by the verifier (`F^-1(r_i^(1/(n-1)))`).
    pub critical: Float,
    /// The grid of types and reports (increasing, with `v_i*`).
    pub types: Vec<Float>,
    /// `U(v | v)`, interim utility of truth-telling, on the grid.
    pub utility: Vec<Float>,
    /// IR slack on the grid.
    pub slack: Vec<Float>,
    /// The largest gain from misreporting, `max_{w ≠ v} U(v | w) - U(v | v)`, and where
    /// (type, report).
    pub ic_max_gain: (Float, Float, Float),
    /// `gains[v][w] = U(v | w) - U(v | v)` for every pair of grid types (zero on the diagonal).
    pub gains: Vec<Vec<Float>>,
    /// The smallest IR slack and the type where it is attained.
    pub ir_min: (Float, Float),
    /// The IR slack at the critical type.
    pub slack_at_critical: Float,
    /// The largest error bar of the reported gains and slacks (difference of two quadrature
    /// orders, or three standard errors of the quasi-Monte Carlo mean over the shifts).
    pub error: Float,
}

/// The verification of one mechanism.
#[derive(Clone, Debug)]
pub struct Report {
    /// Largest `|Σ_i t_i|` at the random profiles.
    pub bb_max_residual: Float,
    /// Largest `|t_i|` at the random profiles (the scale of the residual).
    pub bb_scale: Float,
    /// One check per share class, in class order.
    pub agents: Vec<AgentCheck>,
    /// How the expectations were computed.
    pub method: Method,
}

/// How the interim expectations were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Nested Gauss-Legendre quadrature (two or three agents).
    Nested,
    /// Randomised quasi-Monte Carlo (four agents or more).
    QuasiMonteCarlo,
}

impl Report {
    /// The largest gain from misreporting over all classes: (gain, class index, type, report).
    pub fn ic_max_gain(&self) -> (Float, usize, Float, Float) {
        let (k, c) = self
            .agents
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.ic_max_gain.0.total_cmp(&y.1.ic_max_gain.0))
            .expect("at least one class");
        let (g, v, w) = c.ic_max_gain.clone();
        (g, k, v, w)
    }

    /// The smallest IR slack over all classes: (slack, class index, type).
    pub fn ir_min_slack(&self) -> (Float, usize, Float) {
        let (k, c) = self
            .agents
            .iter()
            .enumerate()
            .min_by(|x, y| x.1.ir_min.0.total_cmp(&y.1.ir_min.0))
            .expect("at least one class");
        (c.ir_min.0.clone(), k, c.ir_min.1.clone())
    }

    /// The largest error bar of the expectations.
    pub fn error(&self) -> Float {
        self.agents
            .iter()
            .map(|a| a.error.clone())
            .max_by(|x, y| x.total_cmp(y))
            .expect("at least one class")
    }
}

/// splitmix64 (Steele, Lea and Flood 2014): a small, seeded, reproducible generator.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)` with `prec` random bits (whole 64-bit words).
    pub fn uniform(&mut self, prec: u32) -> Float {
        let words = prec.div_ceil(64).max(1);
        let mut x = Float::new(prec + 64);
        for k in 0..words {
            x += Float::with_val(prec + 64, self.next_u64()) >> (64 * (k + 1));
        }
        Float::with_val(prec, x)
    }
}

/// The verifier's view of the market: its own engine, beta, shares, mu and critical types.
struct MarketView {
    engine: Engine,
    n: usize,
    beta: Float,
    shares: Vec<Float>,
    /// Index of the first agent of each class.
    representatives: Vec<usize>,
    critical: Vec<Float>,
    mu: Float,
}

/// Verifies `rule` with the efficient allocation in `market` (types from `dist`, interdependence
/// `beta`) at `prec` bits.
pub fn verify(
    rule: &mut dyn Rule,
    dist: &Distribution,
    market: &Market,
    beta: &BigRational,
    prec: u32,
    settings: &Settings,
) -> Result<Report, MechanismError> {
    let n = market.n();
    if n as usize != rule.n() || n > crate::transfer::MAX_AGENTS {
        return Err(MechanismError::Input(format!(
            "a rule for {} agents in a market of {n}",
            rule.n()
        )));
    }
    if !(32..=100_000).contains(&prec) {
        return Err(MechanismError::Input(format!(
            "a working precision of {prec} bits: choose between 32 and 100000"
        )));
    }
    if settings.grid < 2 || settings.grid > 1000 {
        return Err(MechanismError::Input(format!(
            "a grid of {} types: choose between 2 and 1000",
            settings.grid
        )));
    }
    if settings.order < 2 || settings.order > 200 || settings.panels == 0 || settings.panels > 64 {
        return Err(MechanismError::Input(
            "quadrature settings out of range (order 2..=200, panels 1..=64)".into(),
        ));
    }
    let mut engine = Engine::new(dist, prec)?;
    let mut shares = Vec::new();
    let mut representatives = Vec::new();
    let mut critical = Vec::new();
    for class in market.classes() {
        representatives.push(shares.len());
        critical.push(critical_type(&mut engine, class.share(), n)?);
        for _ in 0..class.count() {
            shares.push(Float::with_val(prec, to_rug(class.share())));
        }
    }
    let mu = mu_definition(&mut engine)?.value;
    let mut m = MarketView {
        engine,
        n: n as usize,
        beta: Float::with_val(prec, to_rug(beta)),
        shares,
        representatives,
        critical,
        mu,
    };
    let (bb_max_residual, bb_scale) = budget_balance(rule, &mut m, settings)?;
    let method = if m.n <= 3 {
        Method::Nested
    } else {
        Method::QuasiMonteCarlo
    };
    let mut agents = Vec::new();
    for c in 0..m.representatives.len() {
        agents.push(check_agent(rule, &mut m, c, settings, method)?);
    }
    Ok(Report {
        bb_max_residual,
        bb_scale,
        agents,
        method,
    })
}

fn budget_balance(
    rule: &mut dyn Rule,
    m: &mut MarketView,
    settings: &Settings,
) -> Result<(Float, Float), MechanismError> {
    let prec = m.engine.prec();
    let mut rng = SplitMix64::new(settings.seed);
    let width = Float::with_val(prec, &m.engine.b - &m.engine.a);
    let mut worst = Float::new(prec);
    let mut scale = Float::new(prec);
    for _ in 0..settings.profiles {
        let profile: Vec<Float> = (0..m.n)
            .map(|_| {
                Float::with_val(
                    prec,
                    &m.engine.a + Float::with_val(prec, &width * rng.uniform(prec)),
                )
            })
            .collect();
        let t = rule.transfers(&profile)?;
        let sum = Float::with_val(prec, Float::sum(t.iter()));
        worst = worst.max(&sum.abs());
        for x in &t {
            scale = scale.max(&Float::with_val(prec, x.abs_ref()));
        }
    }
    Ok((worst, scale))
}

fn check_agent(
    rule: &mut dyn Rule,
    m: &mut MarketView,
    class: usize,
    settings: &Settings,
    method: Method,
) -> Result<AgentCheck, MechanismError> {
    let prec = m.engine.prec();
    let i = m.representatives[class];
    let (a, b) = (m.engine.a.clone(), m.engine.b.clone());
    let width = Float::with_val(prec, &b - &a);
    let mut types: Vec<Float> = (0..settings.grid)
        .map(|k| {
            Float::with_val(
                prec,
                &a + Float::with_val(prec, &width * k as u32) / (settings.grid - 1) as u32,
            )
        })
        .collect();
    let critical = m.critical[class].clone();
    types.push(critical.clone());
    types.sort_by(|x, y| x.total_cmp(y));
    types.dedup();
    let n = m.n as u32;
    let b_over_n = Float::with_val(prec, &m.beta / n);
    let one_plus = Float::with_val(prec, &b_over_n + 1u32);
    // Moments at each report: [run][report].
    let runs: Vec<Vec<Moments>> = match method {
        Method::Nested => {
            let slots: Vec<usize> = (0..m.n).filter(|&j| j != i).collect();
            let mut coarse = Vec::new();
            let mut fine = Vec::new();
            let order = settings.order;
            for w in &types {
                let mut profile = vec![a.clone(); m.n];
                profile[i] = w.clone();
                coarse.push(nested(
                    rule,
                    m,
                    i,
                    &mut profile,
                    &slots,
                    0,
                    order,
                    settings.panels,
                )?);
                fine.push(nested(
                    rule,
                    m,
                    i,
                    &mut profile,
                    &slots,
                    0,
                    order + order / 2,
                    settings.panels,
                )?);
            }
            vec![coarse, fine]
        }
        Method::QuasiMonteCarlo => qmc(rule, m, i, &types, settings)?,
    };
    let utility = |x: &Moments, v: &Float| -> Float {
        let mut u = x[0].clone();
        u += Float::with_val(prec, &one_plus * v) * &x[1];
        u += Float::with_val(prec, &b_over_n * &x[2]);
        u
    };
    let mut error = Float::new(prec);
    let mut best = (
        Float::with_val(prec, f64::NEG_INFINITY),
        a.clone(),
        a.clone(),
    );
    let mut table = vec![vec![Float::new(prec); types.len()]; types.len()];
    for (vi, v) in types.iter().enumerate() {
        for (wi, w) in types.iter().enumerate() {
            if wi == vi {
                continue;
            }
            let gains: Vec<Float> = runs
                .iter()
                .map(|run| Float::with_val(prec, utility(&run[wi], v) - utility(&run[vi], v)))
                .collect();
            let (gain, err) = aggregate(&gains, method);
            error = error.max(&err);
            table[vi][wi] = gain.clone();
            if gain > best.0 {
                best = (gain, v.clone(), w.clone());
            }
        }
    }
    let r = m.shares[i].clone();
    let outside_mu = Float::with_val(prec, &b_over_n * (n - 1)) * &m.mu;
    let mut utilities = Vec::new();
    let mut slack = Vec::new();
    let mut ir_min = (Float::with_val(prec, f64::INFINITY), a.clone());
    let mut slack_at_critical = Float::new(prec);
    for (vi, v) in types.iter().enumerate() {
        let outside = Float::with_val(
            prec,
            &r * Float::with_val(prec, Float::with_val(prec, &one_plus * v) + &outside_mu),
        );
        let us: Vec<Float> = runs.iter().map(|run| utility(&run[vi], v)).collect();
        let (u, _) = aggregate(&us, method);
        let slacks: Vec<Float> = us
            .iter()
            .map(|u| Float::with_val(prec, u - &outside))
            .collect();
        let (s, err) = aggregate(&slacks, method);
        error = error.max(&err);
        if s < ir_min.0 {
            ir_min = (s.clone(), v.clone());
        }
        if *v == critical {
            slack_at_critical = s.clone();
        }
        utilities.push(u);
        slack.push(s);
    }
    Ok(AgentCheck {
        agent: i,
        share: r,
        critical,
        types,
        utility: utilities,
        slack,
        ic_max_gain: best,
        gains: table,
        ir_min,
        slack_at_critical,
        error,
    })
}

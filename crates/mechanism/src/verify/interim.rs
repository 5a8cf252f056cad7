//! The interim expectations of the verifier: an agent's transfer, share and the others' values
//! it receives, integrated over the others' types by nested Gauss-Legendre quadrature split at
//! every kink (two and three agents) or by shifted Halton quasi-Monte Carlo (more), and the error
//! bar of each method (see the parent module's docs).

use efftrade_numeric::quad::gauss_legendre;
use rug::Float;

use super::{MarketView, Method, Rule, Settings, SplitMix64};
use crate::transfer::{MechanismError, efficient_allocation};

/// `[E t, E s, E s Σ v_j]` of agent `i` reporting `w`.
pub(super) type Moments = [Float; 3];

fn integrand(rule: &mut dyn Rule, i: usize, reports: &[Float]) -> Result<Moments, MechanismError> {
    let prec = reports[0].prec();
    let s = efficient_allocation(reports);
    let t = rule.transfer(i, reports)?;
    let mut others = Float::new(prec);
    for (j, v) in reports.iter().enumerate() {
        if j != i {
            others += v;
        }
    }
    let ext = Float::with_val(prec, &s[i] * &others);
    Ok([t, s[i].clone(), ext])
}

fn add_scaled(acc: &mut Moments, x: &Moments, w: &Float) {
    for (a, v) in acc.iter_mut().zip(x) {
        *a += Float::with_val(a.prec(), v * w);
    }
}

/// The nested quadrature of agent `i`'s moments when reporting `w`, over the others' types
/// `others[depth..]`, the earlier ones fixed in `profile`.
#[allow(clippy::too_many_arguments)]
pub(super) fn nested(
    rule: &mut dyn Rule,
    m: &mut MarketView,
    i: usize,
    profile: &mut Vec<Float>,
    slots: &[usize],
    depth: usize,
    order: usize,
    panels: usize,
) -> Result<Moments, MechanismError> {
    let prec = m.engine.prec();
    if depth == slots.len() {
        return integrand(rule, i, profile);
    }
    let (a, b) = (m.engine.a.clone(), m.engine.b.clone());
    // Breakpoints: the ends, the report and every type fixed so far.
    let mut cuts = vec![a.clone(), b.clone(), profile[i].clone()];
    for &s in &slots[..depth] {
        cuts.push(profile[s].clone());
    }
    cuts.sort_by(|x, y| x.total_cmp(y));
    cuts.dedup();
    let width = Float::with_val(prec, &b - &a);
    let rule_gl = gauss_legendre(order, prec);
    let mut acc: Moments = [Float::new(prec), Float::new(prec), Float::new(prec)];
    for piece in cuts.windows(2) {
        let (lo, hi) = (&piece[0], &piece[1]);
        let len = Float::with_val(prec, hi - lo);
        let count = ((len.to_f64() / width.to_f64()) * panels as f64)
            .ceil()
            .max(1.0) as u32;
        let step = Float::with_val(prec, &len / count);
        for p in 0..count {
            let l = Float::with_val(prec, lo + Float::with_val(prec, &step * p));
            let half = Float::with_val(prec, &step / 2u32);
            let center = Float::with_val(prec, &l + &half);
            for (node, weight) in rule_gl.nodes.iter().zip(&rule_gl.weights) {
                let x = Float::with_val(prec, &center + Float::with_val(prec, &half * node));
                let density = m.engine.density(&x);
                let w = Float::with_val(prec, weight * &half) * density;
                profile[slots[depth]] = x;
                let inner = nested(rule, m, i, profile, slots, depth + 1, order, panels)?;
                add_scaled(&mut acc, &inner, &w);
            }
        }
    }
    Ok(acc)
}

/// The Halton sequence's radical inverse of `k` in base `p`.
fn radical_inverse(mut k: u64, p: u64) -> f64 {
    let mut inv = 1.0 / p as f64;
    let mut x = 0.0;
    while k > 0 {
        x += (k % p) as f64 * inv;
        k /= p;
        inv /= p as f64;
    }
    x
}

const PRIMES: [u64; 64] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193,
    197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307,
    311,
];

/// Moments of agent `i` at every report of `reports` by randomised QMC: one run per shift
/// (`[shift][report]`), each the mean over the points. The same points serve every report (common
/// random numbers), so differences between reports are estimated with less noise.
pub(super) fn qmc(
    rule: &mut dyn Rule,
    m: &mut MarketView,
    i: usize,
    reports: &[Float],
    settings: &Settings,
) -> Result<Vec<Vec<Moments>>, MechanismError> {
    let prec = m.engine.prec();
    let d = m.n - 1;
    if d > PRIMES.len() {
        return Err(MechanismError::Input(format!(
            "quasi-Monte Carlo in {d} dimensions (at most {})",
            PRIMES.len()
        )));
    }
    let mut rng = SplitMix64::new(settings.seed ^ 0x0a1c_u64.wrapping_mul(i as u64 + 1));
    let shifts = settings.qmc_shifts.max(2);
    let points = settings.qmc_points.max(1);
    let zero = || [Float::new(prec), Float::new(prec), Float::new(prec)];
    let one = Float::with_val(prec, 1u32);
    let mut runs = Vec::with_capacity(shifts);
    for _ in 0..shifts {
        let shift: Vec<f64> = (0..d).map(|_| rng.uniform(64).to_f64()).collect();
        let mut sums: Vec<Moments> = (0..reports.len()).map(|_| zero()).collect();
        for k in 1..=points as u64 {
            let mut others = Vec::with_capacity(d);
            for (dim, s) in shift.iter().enumerate() {
                let u = (radical_inverse(k, PRIMES[dim]) + s).fract();
                // Types by the inverse CDF of u (the tail 1 - u passed separately).
                let tail = Float::with_val(prec, 1.0 - u);
                others.push(m.engine.inverse(&tail)?);
            }
            for (r, w) in reports.iter().enumerate() {
                let mut it = others.iter();
                let profile: Vec<Float> = (0..m.n)
                    .map(|j| {
                        if j == i {
                            w.clone()
                        } else {
                            it.next().expect("n - 1 others").clone()
                        }
                    })
                    .collect();
                let x = integrand(rule, i, &profile)?;
                add_scaled(&mut sums[r], &x, &one);
            }
        }
        runs.push(
            sums.into_iter()
                .map(|s| s.map(|x| x / points as u32))
                .collect(),
        );
    }
    Ok(runs)
}

/// A value and its error bar from several runs: for nested quadrature (two runs, coarse then
/// fine) the fine value and the difference; for quasi-Monte Carlo the mean and three standard
/// errors of the mean.
pub(super) fn aggregate(runs: &[Float], method: Method) -> (Float, Float) {
    let prec = runs[0].prec();
    match method {
        Method::Nested => {
            let fine = runs[runs.len() - 1].clone();
            let err = Float::with_val(prec, &fine - &runs[0]).abs();
            (fine, err)
        }
        Method::QuasiMonteCarlo => {
            let k = runs.len() as u32;
            let mean = Float::with_val(prec, Float::sum(runs.iter())) / k;
            let mut var = Float::new(prec);
            for x in runs {
                var += Float::with_val(prec, x - &mean).square();
            }
            var /= k * (k - 1);
            (mean, var.sqrt() * 3u32)
        }
    }
}

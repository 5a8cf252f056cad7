//! Gauss-Legendre rules on `[-1, 1]` at any working precision.
//!
//! The `n`-point rule integrates polynomials of degree up to `2n - 1` exactly. Its nodes are the
//! roots of the Legendre polynomial `P_n`, found by Newton's method on the three-term recurrence
//! from Tricomi's asymptotic guess `cos(pi (4i + 3) / (4n + 2))` (polished in double precision),
//! each Newton step at about twice the previous step's correct bits; the weights are
//! `w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)`.
//!
//! **Accuracy.** Newton's iteration runs with 32 guard bits and stops when its step is below
//! `2^-(prec + 24)`; nodes and weights are then rounded to the working precision, so each is
//! within a few units in the last place (the tests sum `x^k`, `k <= 2n - 1`, to within
//! `2^-(prec - 10)` of `2 / (k + 1)`). Rules are cached per (degree, precision); a rule cached at
//! a higher precision is rounded rather than recomputed.
//!
//! **Error of a rule** on an integrand is not bounded here: the adaptive integrator estimates it
//! from the rule on two halves ([`super::Quadrature::integrate_shared`]), the bounded one from
//! the integrand's analytic continuation ([`super::Quadrature::integrate_analytic`]).
//!
//! Sources: G. H. Golub and J. H. Welsch, "Calculation of Gauss quadrature rules", Math. Comp. 23
//! (1969) for the rules; F. G. Tricomi (1950) for the initial values; F. Johansson and
//! M. Mezzarobba, "Fast and rigorous arbitrary-precision computation of Gauss-Legendre quadrature
//! nodes and weights", SIAM J. Sci. Comput. 40 (2018) for Newton's iteration with doubling
//! precision.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rug::{Assign, Float};

/// A quadrature rule on `[-1, 1]`: nodes and weights.
#[derive(Debug)]
pub struct Rule {
    /// Nodes.
    pub nodes: Vec<Float>,
    /// Weights.
    pub weights: Vec<Float>,
}

type Cache = Mutex<HashMap<(usize, u32), Arc<Rule>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The `degree`-point Gauss-Legendre rule at `prec` bits (cached). A rule cached at a higher
/// precision is rounded rather than recomputed.
pub fn gauss_legendre(degree: usize, prec: u32) -> Arc<Rule> {
    let key = (degree, prec);
    let higher = {
        let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rule) = cache.get(&key) {
            return Arc::clone(rule);
        }
        cache
            .iter()
            .filter(|((d, p), _)| *d == degree && *p > prec)
            .min_by_key(|((_, p), _)| *p)
            .map(|(_, rule)| Arc::clone(rule))
    };
    let rule = Arc::new(match higher {
        Some(rule) => Rule {
            nodes: rule
                .nodes
                .iter()
                .map(|x| Float::with_val(prec, x))
                .collect(),
            weights: rule
                .weights
                .iter()
                .map(|w| Float::with_val(prec, w))
                .collect(),
        },
        None => compute_gauss_legendre(degree, prec),
    });
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::clone(&rule));
    rule
}

/// `n! P_n(x)` and `n! P_n'(x)` by the three-term recurrence, in place, on `Q_k = k! P_k`:
/// `Q_k = (2k - 1) x Q_{k-1} - (k - 1)^2 Q_{k-2}` needs no division per step. Newton's step
/// `P_n / P_n'` does not see the common factor `n!`; the weights divide it out once per rule.
fn legendre(n: usize, x: &Float, prec: u32) -> (Float, Float) {
    let mut q0 = Float::with_val(prec, 1);
    let mut q1 = Float::with_val(prec, x);
    let mut t = Float::new(prec);
    for k in 2..=n {
        t.assign(x * &q1);
        t *= (2 * k - 1) as u32;
        q0 *= ((k - 1) * (k - 1)) as u64;
        t -= &q0;
        std::mem::swap(&mut q0, &mut q1);
        std::mem::swap(&mut q1, &mut t);
    }
    // n! P_{n-1} = n Q_{n-1}; P_n'(x) = n (x P_n - P_{n-1}) / (x^2 - 1).
    q0 *= n as u32;
    let mut d = Float::with_val(prec, x * &q1);
    d -= &q0;
    d *= n as u32;
    let denom = Float::with_val(prec, x.clone().square() - 1u32);
    d /= denom;
    (q1, d)
}

/// `P_n(x)` and `P_n'(x)` in double precision.
fn legendre_f64(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let k = k as f64;
        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    (p1, n as f64 * (x * p1 - p0) / (x * x - 1.0))
}

fn compute_gauss_legendre(n: usize, prec: u32) -> Rule {
    let work = prec + 32;
    let half = n.div_ceil(2);
    let mut nodes = vec![Float::new(prec); n];
    let mut weights = vec![Float::new(prec); n];
    let eps = Float::with_val(work, Float::i_exp(1, -(work as i32) + 8));
    let factorial = Float::with_val(work, Float::factorial(n as u32));
    for i in 0..half {
        // Tricomi's guess cos(pi (i + 3/4) / (n + 1/2)), polished in double precision; then each
        // Newton step at the working precision doubles the correct bits.
        let mut guess = (std::f64::consts::PI * (4 * i + 3) as f64 / (4 * n + 2) as f64).cos();
        for _ in 0..8 {
            let (p, d) = legendre_f64(n, guess);
            guess -= p / d;
        }
        // Newton's method doubles the correct bits at each step, so each step works at twice the
        // previous one's precision (plus guard bits) until the full working precision.
        let mut correct = 40u32;
        let mut x = Float::with_val(work, guess);
        // P_n'(x) at the final node, carried over from the last step at the full precision.
        let mut derivative = None;
        for _ in 0..64 {
            let step_prec = (2 * correct + 32).min(work);
            let at = Float::with_val(step_prec, &x);
            let (p, d) = legendre(n, &at, step_prec);
            let dx = Float::with_val(step_prec, &p / &d);
            x -= &dx;
            correct = correct.saturating_mul(2);
            if step_prec == work && (dx.clone().abs() <= eps || correct >= work) {
                // P_n'(x - dx) = P_n'(x) - P_n''(x) dx + O(dx^2), with P_n'' from Legendre's
                // equation (1 - x^2) P'' = 2x P' - n(n+1) P: the step is at most 2^-(work/2)
                // relative, so its square is below the working precision and the recurrence
                // need not run again for the weight.
                let one_minus = Float::with_val(work, 1u32 - at.clone().square());
                let second = Float::with_val(
                    work,
                    Float::with_val(work, &at * &d) * 2u32
                        - Float::with_val(work, &p * (n * (n + 1)) as u32),
                ) / one_minus;
                derivative = Some(Float::with_val(
                    work,
                    &d - Float::with_val(work, second * &dx),
                ));
                break;
            }
        }
        let d = derivative.unwrap_or_else(|| legendre(n, &x, work).1) / &factorial;
        // w = 2 / ((1 - x^2) P_n'(x)^2)
        let one_minus = Float::with_val(work, 1u32 - x.clone().square());
        let w = Float::with_val(work, 2u32 / Float::with_val(work, one_minus * d.square()));
        nodes[i] = Float::with_val(prec, &x);
        weights[i] = Float::with_val(prec, &w);
        nodes[n - 1 - i] = Float::with_val(prec, -x);
        weights[n - 1 - i] = Float::with_val(prec, w);
    }
    Rule { nodes, weights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        let rule = gauss_legendre(10, 300);
        // ∫_{-1}^{1} x^18 dx = 2/19: degree 18 <= 2*10 - 1.
        let mut s = Float::new(300);
        for (x, w) in rule.nodes.iter().zip(&rule.weights) {
            s += Float::with_val(300, rug::ops::Pow::pow(x.clone(), 18u32) * w);
        }
        let exact = Float::with_val(300, 2u32) / 19u32;
        assert!(
            Float::with_val(300, &s - &exact).abs() < Float::with_val(64, Float::i_exp(1, -290))
        );
    }

    #[test]
    fn high_degree_rules_are_exact_to_the_working_precision() {
        // The weights use P_n' carried over from the last Newton step (Legendre's equation):
        // check them where it matters, a degree-89 rule at 402 bits.
        let (n, prec) = (89usize, 402u32);
        let rule = gauss_legendre(n, prec);
        for k in [0u32, 2, 40, 176] {
            let mut s = Float::new(prec);
            for (x, w) in rule.nodes.iter().zip(&rule.weights) {
                s += Float::with_val(prec, rug::ops::Pow::pow(x.clone(), k) * w);
            }
            // ∫_{-1}^{1} x^k = 2/(k+1), exact for k <= 2n - 1.
            let exact = Float::with_val(prec, 2u32) / (k + 1);
            let err = Float::with_val(prec, &s - &exact).abs();
            assert!(
                err < Float::with_val(64, Float::i_exp(1, -392)),
                "x^{k}: {err}"
            );
        }
    }
}

//! The boundary layer of `F^m` below `b` for large `m`, by Laplace's method made exact.
//!
//! For `m` in the millions and beyond, `∫ F^m` lives in a layer of width about `1/(m f(b))` below
//! `b` (Lemma 3, (L3-2)). There, with `x = b - D u` for a layer width `D` and `u` in `[0, 1]`,
//!
//! * `φ(u) = -log F(b - D u) = Σ_k p_k u^k` is a Taylor series whose terms fall by a factor of
//!   about `D` per order (`p_1 = D f(b)/F(b) > 0` when `F` has a positive density at `b`, the case
//!   `alpha = 1` of Lemma 3);
//! * `F^m = exp(-m φ) = e^(-X u) E(u)` with `X = m p_1` and `E(u) = exp(-m (φ(u) - p_1 u)) =
//!   Σ_k e_k u^k`, whose exponent is of order `m p_2`, about `L^2 / m` for a layer where `F^m`
//!   falls to `e^-L`: `E` is a rapidly convergent series;
//! * so `∫_(b - D w)^b F^m dx = D Σ_k e_k g_k` with `g_k = ∫_0^w u^k e^(-X u) du`, lower incomplete
//!   gamma functions `γ(k + 1, X w) / X^(k + 1)`, each a few operations by recurrence.
//!
//! The series of `F` comes from Taylor arithmetic on the compiled expression ([`crate::taylor`]);
//! `log` and `exp` of series are the classical recurrences. A layer that costs the quadrature
//! hundreds of evaluations of `F` and `F^m` costs one series here, and the work does not depend
//! on `m`. Where `F` has no Taylor series at `b` but a generalized one (`1 - F ~ c d^alpha` with a
//! rational `alpha`, beyond the paper), [`crate::fractional_layer`] integrates the layer. Where the
//! series does not converge fast (small `m`, a vanishing density at `b` with an integer order
//! above 1) the engine integrates by quadrature instead.
//!
//! Error: the terms `t_k = |e_k| g_k` fall geometrically once the series converges; the sum
//! stops at `K` terms and takes four times the larger of the last two as the bound of what it
//! leaves out (it is accepted only when that is below the tolerance). Like the quadrature's
//! bounds, which sample `F` on ellipses, this is an estimate from the terms themselves, not a
//! proof. Below the layer, `F^m <= F(b - D)^m` bounds what is dropped. Rounding is certified as
//! everywhere else, by a second run at a higher working precision (which also takes more terms).
//! Against closed forms (`F = x`, `x^3`, `N` from `10^6` to `10^30`, in the tests) the sums agree
//! to the working precision, with bounds a few digits above the error.
//!
//! Sources: Laplace's method and Watson's lemma (F. W. J. Olver, *Asymptotics and Special
//! Functions*, 1974, Chapter 3); the incomplete gamma function's series and recurrence (NIST
//! DLMF, Sections 8.7 and 8.8).

use efftrade_model::Expr;
use rug::{Float, Integer};

use crate::quad::Estimate;
use crate::taylor::{self, Series};

/// Most terms worth taking: beyond this, quadrature is cheaper.
const MAX_TERMS: usize = 96;

/// The layer integrals of one market size `N`: `I_N = ∫_a^b F^N` and
/// `J_k = ∫_(v_k)^b F^(N-1)` for each critical type `v_k` (see [`crate::engine::Powers`]).
#[derive(Clone, Debug)]
pub struct LayerIntegrals {
    /// `∫_a^b F^N`.
    pub i_n: Estimate,
    /// `∫_(v_k)^b F^(N-1)`, one per critical type.
    pub j: Vec<Estimate>,
    /// The number of series terms used.
    pub terms: usize,
}

/// `I_N` and the `J_k` from the series of the layer, each to relative accuracy `2^-bits`, or
/// `None` when the series does not converge within 96 terms (then quadrature serves).
///
/// `cdf` is `F`, `[a, b]` the support at the working precision (that of `b`), `n` the number of
/// agents and `critical` the critical types `v_k` in `[a, b]`.
pub fn layer_integrals(
    cdf: &Expr,
    a: &Float,
    b: &Float,
    n: &Integer,
    critical: &[Float],
    bits: u32,
) -> Option<LayerIntegrals> {
    let prec = b.prec();
    let m_low = Integer::from(n - 1u32);
    if m_low < 2u32 {
        return None;
    }
    // p_1 and p_2 of φ at the unit scale: whether the series can converge, and how fast. Double
    // precision serves: they only choose the number of terms and the width D, and the series
    // below is exact for any D.
    let Ok(probe) = taylor::series(cdf, &Float::with_val(64, b), &Float::with_val(64, -1), 3)
    else {
        // No Taylor series at b: the layer of 1 - F ~ c d^alpha with a rational alpha.
        return crate::fractional_layer::layer_integrals(cdf, a, b, n, critical, bits);
    };
    let phi = negated(taylor::log(&probe, cdf).ok()?);
    let (p1, p2) = (phi[1].to_f64(), phi[2].to_f64());
    if !(p1 > 0.0 && p1.is_finite() && p2.is_finite()) {
        return None;
    }
    let m = m_low.to_f64();
    let terms = predicted_terms(p2.abs() / (m * p1 * p1), bits)?;
    // The layer: F^(N-1) <= e^-L below b - D, with L leaving 2^-(bits + 16) of the integral.
    let l = (f64::from(bits) + 16.0 + f64::from(m_low.significant_bits())) * std::f64::consts::LN_2;
    let width = Float::with_val(prec, l / (m * p1));
    let span = Float::with_val(prec, b - a);
    for len in [terms, (terms * 3 / 2).min(MAX_TERMS)] {
        let scaled = taylor::series(cdf, b, &Float::with_val(prec, -&width), len).ok()?;
        let phi = negated(taylor::log(&scaled, cdf).ok()?);
        let upper = Layer::new(&width, &phi, &span, n).integral(b, a, bits);
        let lower = Layer::new(&width, &phi, &span, &m_low);
        let j: Option<Vec<Estimate>> = critical
            .iter()
            .map(|v| lower.integral(b, v, bits))
            .collect();
        if let (Some(i_n), Some(j)) = (upper, j) {
            return Some(LayerIntegrals { i_n, j, terms: len });
        }
        if len == MAX_TERMS {
            break;
        }
    }
    None
}

fn negated(s: Series) -> Series {
    s.into_iter().map(|c| -c).collect()
}

/// The number of terms for `bits` bits when `ε = |p_2| / (m p_1^2)` (unit scale): the even terms
/// of `E` fall like `(k ε)^(k/2)` against `g_k`, so the smallest even `K` with
/// `(K/2) log2(1 / (4 K ε)) >= bits + 8`, with four more for the test of the tail, or `None` past
/// [`MAX_TERMS`].
fn predicted_terms(epsilon: f64, bits: u32) -> Option<usize> {
    let want = f64::from(bits) + 8.0;
    (6..=MAX_TERMS - 4)
        .step_by(2)
        .find(|&k| {
            let x = 4.0 * k as f64 * epsilon;
            x < 0.5 && (k as f64 / 2.0) * (1.0 / x).log2() >= want
        })
        .map(|k| k + 4)
}

/// `F^m = e^(-X u) E(u)` on the layer `x = b - width u`, `u` in `[0, 1]`.
struct Layer<'a> {
    width: &'a Float,
    /// `b - a`: a bound on the length of what lies below the layer.
    span: &'a Float,
    /// `X = m φ_1`.
    x: Float,
    /// The coefficients of `E(u) = exp(-m (φ(u) - φ_1 u))`.
    e: Series,
}

impl<'a> Layer<'a> {
    /// The layer of `F^m` where `-log F(b - width u) = Σ phi_k u^k`.
    fn new(width: &'a Float, phi: &Series, span: &'a Float, m: &Integer) -> Layer<'a> {
        let prec = width.prec();
        let mut exponent: Series = phi
            .iter()
            .map(|c| Float::with_val(prec, c * m) * -1i32)
            .collect();
        exponent[1] = Float::new(prec);
        Layer {
            width,
            span,
            x: Float::with_val(prec, &phi[1] * m),
            e: taylor::exp(&exponent),
        }
    }

    /// `∫_lo^b F^m`, or `None` when the terms have not fallen below `2^-bits` of the sum.
    fn integral(&self, b: &Float, lo: &Float, bits: u32) -> Option<Estimate> {
        let prec = b.prec();
        let (e, x) = (&self.e, &self.x);
        let len = e.len();
        // The integral runs over u in [0, w]; below the layer (w capped at 1) F^m <= F(b - D)^m.
        let depth = Float::with_val(prec, b - lo);
        if !depth.is_sign_positive() || depth.is_zero() {
            return Some(Estimate {
                value: Float::new(prec),
                error: Float::new(prec),
            });
        }
        let reach = Float::with_val(prec, &depth / self.width);
        let w = if reach > 1u32 {
            Float::with_val(prec, 1)
        } else {
            reach
        };
        let g = gamma_moments(x, &w, len);
        let below = (depth > *self.width).then_some(self.span);
        layer_sum(e, &g, x, self.width, below, bits)
    }
}

/// `scale Σ_k e_k g_k` with its error bound, or `None` when the terms have not fallen below
/// `2^-bits` of the sum: four times the larger of the last two terms bounds what the sum leaves
/// out; when the integral reaches below the layer (`below` is then `b - a`),
/// `F(b - D)^m = e^-X E(1) <= e^-X Σ |e_k|` over at most `b - a` is added. Shared by the layer of
/// `alpha = 1` and that of a rational `alpha` ([`crate::fractional_layer`]), whose moments `g_k`
/// differ.
pub(crate) fn layer_sum(
    e: &Series,
    g: &[Float],
    x: &Float,
    scale: &Float,
    below: Option<&Float>,
    bits: u32,
) -> Option<Estimate> {
    let prec = x.prec();
    let mut sum = Float::new(prec);
    let mut terms = Vec::with_capacity(g.len());
    for (ek, gk) in e.iter().zip(g) {
        let t = Float::with_val(prec, ek * gk);
        terms.push(Float::with_val(53, t.abs_ref()));
        sum += t;
    }
    let len = terms.len();
    if len < 2 {
        return None;
    }
    let last = terms[len - 2..]
        .iter()
        .fold(Float::new(53), |m, t| if *t > m { t.clone() } else { m });
    let tail = Float::with_val(53, &last * 4u32);
    let tolerance =
        Float::with_val(53, sum.abs_ref()) * Float::with_val(53, Float::i_exp(1, -(bits as i32)));
    if !sum.is_finite() || sum.is_zero() || tail > tolerance {
        return None;
    }
    let mut error = Float::with_val(prec, &tail * scale);
    if let Some(span) = below {
        // F(b - D)^m = e^-X E(1) <= e^-X Σ |e_k|, over at most b - a.
        let at_edge = e.iter().fold(Float::new(prec), |s, c| {
            s + Float::with_val(prec, c.abs_ref())
        });
        let fall = Float::with_val(prec, -x).exp();
        error += Float::with_val(prec, at_edge * fall) * span;
    }
    Some(Estimate {
        value: sum * scale,
        error,
    })
}

/// `g_k = ∫_0^w u^k e^(-X u) du = γ(k + 1, X w) / X^(k + 1)` for `k < len`, `X > 0`, `w > 0`.
///
/// With `Y = X w`: forward, `g_0 = -expm1(-Y) / X` and `g_k = (k g_(k-1) - w^k e^-Y) / X`, when
/// `Y >= len` (each step loses no more than it subtracts); else backward from the series
/// `g_(len-1) = w^len e^-Y Σ_j Y^j / (len (len + 1) ... (len + j))` by
/// `g_(k-1) = (X g_k + w^k e^-Y) / k`, a sum of positive terms. Either way no step cancels, so
/// each `g_k` is within a few units of `2^-prec` relative of its value (tested against closed
/// forms at twice the precision on both sides of the switch).
pub fn gamma_moments(x: &Float, w: &Float, len: usize) -> Vec<Float> {
    let prec = x.prec();
    let y = Float::with_val(prec, x * w);
    let fall = Float::with_val(prec, -&y).exp();
    // w^k e^-Y for k = 0..=len.
    let mut edge = Vec::with_capacity(len + 1);
    edge.push(fall.clone());
    for k in 1..=len {
        let next = Float::with_val(prec, &edge[k - 1] * w);
        edge.push(next);
    }
    let mut g = vec![Float::new(prec); len];
    if y >= len as u32 {
        g[0] = Float::with_val(prec, -Float::with_val(prec, -&y).exp_m1()) / x;
        for k in 1..len {
            let t = Float::with_val(prec, &g[k - 1] * k as u32) - &edge[k];
            g[k] = t / x;
        }
    } else {
        let top = len as u32;
        let mut term = Float::with_val(prec, 1u32) / top;
        let mut sum = term.clone();
        let mut j = 1u32;
        while term > Float::with_val(prec, &sum >> (prec + 4)) {
            term *= &y;
            term /= top + j;
            sum += &term;
            j += 1;
        }
        g[len - 1] = sum * &edge[len];
        for k in (1..len).rev() {
            let t = Float::with_val(prec, &g[k] * x) + &edge[k];
            g[k - 1] = t / k as u32;
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::parse;
    use rug::ops::Pow;

    #[test]
    fn gamma_moments_match_closed_forms_on_both_sides_of_the_switch() {
        let prec = 300;
        // ∫_0^w u^k e^-Xu du for k = 0, 1, 2 in closed form, evaluated at twice the precision
        // (the closed forms cancel when X w is small).
        for (x, w) in [
            (0.5, 1.0),
            (3.0, 0.25),
            (40.0, 1.0),
            (200.0, 0.01),
            (1e-3, 2.0),
        ] {
            let g = gamma_moments(&Float::with_val(prec, x), &Float::with_val(prec, w), 12);
            let prec = 2 * prec;
            let (x, w) = (Float::with_val(prec, x), Float::with_val(prec, w));
            let y = Float::with_val(prec, &x * &w);
            let e = Float::with_val(prec, -&y).exp();
            let g0 = Float::with_val(prec, 1u32 - &e) / &x;
            let g1 = (Float::with_val(prec, 1u32 - &e) - Float::with_val(prec, &y * &e))
                / Float::with_val(prec, x.square_ref());
            // g_2 = (2 - e^-Y (Y^2 + 2Y + 2)) / X^3.
            let poly =
                Float::with_val(prec, y.square_ref()) + Float::with_val(prec, &y * 2u32) + 2u32;
            let g2 = (Float::with_val(prec, 2u32) - Float::with_val(prec, &e * &poly))
                / Float::with_val(prec, x.clone().pow(3u32));
            for (got, want) in g.iter().zip([g0, g1, g2]) {
                let rel = Float::with_val(prec, Float::with_val(prec, got - &want) / &want).abs();
                assert!(
                    rel < Float::with_val(53, Float::i_exp(1, -280)),
                    "{x} {w}: {rel}"
                );
            }
        }
    }

    #[test]
    fn power_layers_match_their_closed_forms_from_10_to_the_6_to_10_to_the_30() {
        // F = x^k on [0, 1]: ∫_0^1 x^(kN) = 1/(kN + 1) and
        // ∫_v^1 x^(k(N-1)) = (1 - v^(k(N-1)+1)) / (k(N-1) + 1), with v^(k(N-1)) = 1/2 and with
        // v below the layer (v = 0.9, all of (0, 0.9) dropped but for its bound).
        let prec = 400;
        let (a, b) = (Float::with_val(prec, 0), Float::with_val(prec, 1));
        for (src, k) in [("x", 1u32), ("x^3", 3)] {
            let cdf = parse(src).unwrap();
            for n in [
                Integer::from(10u64.pow(6)),
                Integer::from(10u64.pow(9)),
                Integer::from(10u64.pow(12)),
                Integer::from(10u128.pow(20)),
                Integer::from(10u128.pow(30)),
            ] {
                let p_n = Float::with_val(prec, Integer::from(&n * k));
                let p_j = Float::with_val(prec, Integer::from(&n - 1u32) * k);
                let half = Float::with_val(prec, Float::with_val(prec, 0.5).ln() / &p_j).exp();
                let low = Float::with_val(prec, 0.9);
                let got = layer_integrals(&cdf, &a, &b, &n, &[half.clone(), low.clone()], 330)
                    .unwrap_or_else(|| panic!("{src}, N = {n}: the series converges"));
                let moment = |p: &Float, v: &Float| {
                    let q = Float::with_val(prec, p + 1u32);
                    let vq = Float::with_val(prec, Float::with_val(prec, v.ln_ref()) * &q).exp();
                    Float::with_val(prec, 1u32 - vq) / q
                };
                let want = [
                    Float::with_val(prec, Float::with_val(prec, &p_n + 1u32).recip()),
                    moment(&p_j, &half),
                    moment(&p_j, &low),
                ];
                for (est, want) in [&got.i_n, &got.j[0], &got.j[1]].into_iter().zip(want) {
                    let rel =
                        Float::with_val(prec, Float::with_val(prec, &est.value - &want) / &want)
                            .abs();
                    assert!(
                        rel < Float::with_val(53, Float::i_exp(1, -320)),
                        "{src} N = {n}: {rel}"
                    );
                    let bound = Float::with_val(prec, &est.error / &want);
                    assert!(
                        bound < Float::with_val(53, Float::i_exp(1, -320)),
                        "{bound}"
                    );
                }
            }
        }
    }

    #[test]
    fn small_markets_and_vanishing_densities_are_left_to_quadrature() {
        let prec = 200;
        let (a, b) = (Float::with_val(prec, 0), Float::with_val(prec, 1));
        // Too few agents for the series to converge.
        assert!(
            layer_integrals(&parse("x").unwrap(), &a, &b, &Integer::from(50), &[], 180).is_none()
        );
        // alpha = 3: f(b) = 0.
        let flat = parse("1 - (1 - x)^3").unwrap();
        assert!(layer_integrals(&flat, &a, &b, &Integer::from(10u64.pow(12)), &[], 180).is_none());
    }
}

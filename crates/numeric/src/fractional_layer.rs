//! The boundary layer of `F^m` below `b` when `F` has no Taylor series at `b` but
//! `1 - F(b - d) = c d^alpha (1 + o(1))` with a rational `alpha = K/q` (Lemma 3 beyond the paper:
//! `1 - sqrt(1 - x)`, Kumaraswamy with a non-integer second shape).
//!
//! Quadrature in `x` fails there for large `m`: near `b` the density is infinite (or vanishes to a
//! fractional order), and the rounding of `x` itself, amplified by the density, leaves `F^m` too
//! noisy for the integrator's tolerance (measured: `∫ (1 - sqrt(1 - x))^m` does not converge
//! from `m = 10^8` at 300 bits). The layer is instead integrated from its series, as
//! [`crate::boundary`] does for `alpha = 1`:
//!
//! * with `x = b - D s^q` for a layer width `D`, `φ(s) = -log F(b - D s^q) = Σ_k φ_k s^k` is a
//!   power series in `s` (the generalized series of [`crate::puiseux`], whose exponents are
//!   multiples of `1/q`), starting at `φ_K s^K` with `φ_K = c D^alpha > 0`;
//! * `F^m = e^(-X s^K) E(s)` with `X = m φ_K` and `E(s) = exp(-m (φ(s) - φ_K s^K)) = Σ_j e_j s^j`;
//! * `∫_(b - D w^q)^b F^m dx = D q Σ_j e_j G_j`, `G_j = ∫_0^w s^(q-1+j) e^(-X s^K) ds
//!   = γ(a_j, X w^K) / (K X^(a_j))` with `a_j = (q + j)/K`, the lower incomplete gamma function by
//!   its series `γ(a, y) = y^a e^-y Σ_n y^n / (a (a+1) ... (a+n))` (NIST DLMF 8.7.1), whose terms
//!   are positive.
//!
//! `D` is chosen so that `X = L`, `L = (t + 16 + max(1, 1/alpha) log2 m) ln 2` for the relative
//! tolerance `2^-t` (the integral is about `m^(-1/alpha)`): below the layer `F^m <= e^-X Σ |e_j|`
//! bounds what is dropped. The error of the sum is taken as
//! four times the larger of its last two terms, accepted only below the tolerance, as in
//! [`crate::boundary`] (an estimate from the terms, not a proof); rounding is certified by the
//! second working precision. When the series does not converge (small `m`) the engine's
//! quadrature serves, which is accurate there (tested against the closed form of
//! `∫ (1 - sqrt(1 - x))^m = 2/((m+1)(m+2))`).

use efftrade_model::Expr;
use rug::ops::Pow;
use rug::{Float, Integer};

use crate::boundary::{LayerIntegrals, layer_sum};
use crate::puiseux::layer_log;
use crate::quad::Estimate;
use crate::taylor::{self, Series};

/// Series lengths tried, in powers of `s`.
const LENGTHS: [usize; 2] = [40, 96];

/// `I_N` and the `J_k` from the layer's generalized series, each to relative accuracy `2^-bits`,
/// or `None` when `F` has no such series at `b` or it does not converge (then quadrature serves).
/// The arguments are those of [`crate::boundary::layer_integrals`].
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
    // The leading term at unit width, in double-ish precision: K, q and c choose D alone.
    let probe_prec = 128;
    let (q, unit) = layer_log(
        cdf,
        &Float::with_val(probe_prec, b),
        &Float::with_val(probe_prec, 1),
        8,
        48,
    )
    .ok()?;
    let k_lead = unit.iter().position(|c| !c.is_zero())?;
    let c = unit[k_lead].to_f64();
    if k_lead == 0 || !(c > 0.0 && c.is_finite()) {
        return None;
    }
    let m = m_low.to_f64();
    // The integral is about m^(-1/alpha) of the support: what is dropped below the layer,
    // e^-L (b - a), must be 2^-(bits + 16) of that.
    let inv_alpha = (q as f64 / k_lead as f64).max(1.0);
    let l = (f64::from(bits) + 16.0 + f64::from(m_low.significant_bits()) * inv_alpha)
        * std::f64::consts::LN_2;
    // c D^(K/q) m = L.
    let width = (l / (m * c)).powf(q as f64 / k_lead as f64);
    if !(width > 0.0 && width.is_finite()) {
        return None;
    }
    let width = Float::with_val(prec, width);
    let span = Float::with_val(prec, b - a);
    for len in LENGTHS {
        let (_, phi) = layer_log(cdf, b, &width, len, prec / 2).ok()?;
        if phi.iter().position(|c| !c.is_zero()) != Some(k_lead) {
            return None;
        }
        let shape = Shape {
            width: &width,
            span: &span,
            q,
            k: k_lead as u32,
        };
        let upper = Layer::new(&shape, &phi, n).integral(b, a, bits);
        let lower = Layer::new(&shape, &phi, &m_low);
        let j: Option<Vec<Estimate>> = critical
            .iter()
            .map(|v| lower.integral(b, v, bits))
            .collect();
        if let (Some(i_n), Some(j)) = (upper, j) {
            return Some(LayerIntegrals { i_n, j, terms: len });
        }
    }
    None
}

/// The substitution `x = b - width s^q` and the leading power `s^k` of `-log F`.
struct Shape<'a> {
    width: &'a Float,
    span: &'a Float,
    q: u32,
    k: u32,
}

/// `F^m = e^(-X s^K) E(s)` on the layer.
struct Layer<'a> {
    shape: &'a Shape<'a>,
    x: Float,
    e: Series,
}

impl<'a> Layer<'a> {
    fn new(shape: &'a Shape<'a>, phi: &Series, m: &Integer) -> Layer<'a> {
        let prec = shape.width.prec();
        let k = shape.k as usize;
        let mut exponent: Series = phi
            .iter()
            .map(|c| Float::with_val(prec, c * m) * -1i32)
            .collect();
        exponent[k] = Float::new(prec);
        Layer {
            shape,
            x: Float::with_val(prec, &phi[k] * m),
            e: taylor::exp(&exponent),
        }
    }

    /// `∫_lo^b F^m`, or `None` when the terms have not fallen below `2^-bits` of the sum.
    fn integral(&self, b: &Float, lo: &Float, bits: u32) -> Option<Estimate> {
        let prec = b.prec();
        let s = self.shape;
        let depth = Float::with_val(prec, b - lo);
        if !depth.is_sign_positive() || depth.is_zero() {
            return Some(Estimate {
                value: Float::new(prec),
                error: Float::new(prec),
            });
        }
        // s runs over [0, w], w = min(1, (depth / width)^(1/q)).
        let reach = Float::with_val(prec, &depth / s.width);
        let w = if reach >= 1u32 {
            Float::with_val(prec, 1)
        } else {
            reach.root(s.q)
        };
        let y = Float::with_val(prec, &self.x * Float::with_val(prec, w.clone().pow(s.k)));
        let g = (0..self.e.len())
            .map(|j| {
                // G_j = γ(a, y) / (K X^a), a = (q + j)/K.
                let a = Float::with_val(prec, s.q + j as u32) / s.k;
                Some(lower_gamma(&a, &y)? / Float::with_val(prec, self.x.clone().pow(&a)) / s.k)
            })
            .collect::<Option<Vec<Float>>>()?;
        let scale = Float::with_val(prec, s.width * s.q);
        let below = (depth > *s.width).then_some(s.span);
        layer_sum(&self.e, &g, &self.x, &scale, below, bits)
    }
}

/// `γ(a, y) = y^a e^-y Σ_n y^n / (a (a+1) ... (a+n))` for `a > 0`, `y >= 0` (DLMF 8.7.1): positive
/// terms, summed until one is below `2^-(prec + 8)` of the sum past its peak (`n > y`).
pub fn lower_gamma(a: &Float, y: &Float) -> Option<Float> {
    let prec = a.prec();
    if y.is_zero() {
        return Some(Float::new(prec));
    }
    let mut term = Float::with_val(prec, a.recip_ref());
    let mut sum = term.clone();
    let mut n = 0u32;
    let limit = y.to_f64() * 4.0 + f64::from(prec) + 64.0;
    loop {
        n += 1;
        term *= y;
        term /= Float::with_val(prec, a + n);
        sum += &term;
        if f64::from(n) > y.to_f64() && term < Float::with_val(prec, &sum >> (prec + 8)) {
            break;
        }
        if f64::from(n) > limit {
            return None;
        }
    }
    let log_front = Float::with_val(prec, y.ln_ref()) * a - y;
    Some(sum * log_front.exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::parse;

    #[test]
    fn lower_gamma_matches_closed_forms() {
        // γ(1, y) = 1 - e^-y and γ(1/2, y) = sqrt(pi) erf(sqrt(y)).
        let prec = 300;
        for y in [0.25, 3.0, 40.0, 300.0] {
            let y = Float::with_val(prec, y);
            let one = lower_gamma(&Float::with_val(prec, 1), &y).unwrap();
            let want = -Float::with_val(prec, -&y).exp_m1();
            let half = lower_gamma(&(Float::with_val(prec, 1) / 2u32), &y).unwrap();
            let pi = Float::with_val(prec, rug::float::Constant::Pi);
            let want_half = pi.sqrt() * Float::with_val(prec, y.sqrt_ref()).erf();
            for (got, want) in [(one, want), (half, want_half)] {
                let rel = Float::with_val(prec, (got - &want) / &want).abs();
                assert!(
                    rel < Float::with_val(53, Float::i_exp(1, -290)),
                    "{y}: {rel}"
                );
            }
        }
    }

    #[test]
    fn the_square_root_end_matches_its_closed_form_to_10_to_the_30() {
        // F = 1 - sqrt(1 - x): ∫_0^1 F^N = 2/((N+1)(N+2)) (u = sqrt(1 - x)), and
        // ∫_v^1 F^(N-1) with F(v)^(N-1) = 1/2: u_v = 1 - 2^(-1/(N-1)),
        // ∫_0^(u_v) (1 - u)^(N-1) 2u du = 2 [(1 - T^N)/N - (1 - T^(N+1))/(N+1)] with T = 1 - u_v,
        // at twice the precision (the two terms cancel to about u_v^2).
        let prec = 500;
        let cdf = parse("1 - sqrt(1 - x)").unwrap();
        let (a, b) = (Float::with_val(prec, 0), Float::with_val(prec, 1));
        for k in [8u32, 12, 20, 30] {
            let n = Integer::from(Integer::u_pow_u(10, k));
            let wide = 2 * prec;
            let nf = Float::with_val(wide, &n);
            let m = Float::with_val(wide, &nf - 1u32);
            // 1 - u_v = 2^(-1/(N-1)).
            let one_minus = Float::with_val(wide, Float::with_val(wide, 0.5).ln() / &m).exp();
            let u = Float::with_val(wide, 1u32 - &one_minus);
            let v = Float::with_val(prec, 1u32 - Float::with_val(wide, u.square_ref()));
            let got = layer_integrals(&cdf, &a, &b, &n, std::slice::from_ref(&v), 400)
                .unwrap_or_else(|| panic!("N = 10^{k}: the series converges"));
            let i_n = Float::with_val(wide, 2u32)
                / Float::with_val(wide, &nf + 1u32)
                / Float::with_val(wide, &nf + 2u32);
            // The J integral in the exact u at which v was rounded: recompute u from v.
            let u_v = Float::with_val(wide, Float::with_val(wide, 1u32 - &v).sqrt());
            let p = |e: &Float| {
                Float::with_val(wide, Float::with_val(wide, (1u32 - u_v.clone()).ln()) * e).exp()
            };
            let np1 = Float::with_val(wide, &nf + 1u32);
            let j = Float::with_val(wide, 2u32)
                * (Float::with_val(wide, 1u32 - p(&nf)) / &nf
                    - Float::with_val(wide, 1u32 - p(&np1)) / &np1);
            for (est, want) in [(&got.i_n, i_n), (&got.j[0], j)] {
                let rel =
                    Float::with_val(wide, (Float::with_val(wide, &est.value) - &want) / &want)
                        .abs();
                assert!(
                    rel < Float::with_val(53, Float::i_exp(1, -380)),
                    "N = 10^{k}: {rel}"
                );
                // The bound includes e^-X over the whole support below the layer.
                let bound = Float::with_val(wide, &est.error / &want);
                assert!(
                    bound < Float::with_val(53, Float::i_exp(1, -360)),
                    "{bound}"
                );
            }
        }
    }
}

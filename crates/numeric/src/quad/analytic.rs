//! Gauss-Legendre with an a-priori error bound, for the powers of an entire CDF.
//!
//! **Bound.** For `g` analytic inside the Bernstein ellipse `E_rho` of `[l, r]` with `|g| <= M`
//! there, the `n`-point rule errs by at most
//!
//! `(64/15) M rho^(-2n) / (rho^2 - 1) * (r - l)/2`
//!
//! (L. N. Trefethen, "Is Gauss quadrature better than Clenshaw-Curtis?", SIAM Review 50 (2008),
//! Theorem 4.5). When `F` is entire, so is `F^m`, and `M = max |F|^m` on the ellipse, which
//! [`crate::envelope`] samples in complex double precision. The bound used here is four times
//! the theorem's, a margin for the sampled maximum, and an ellipse is not used where the samples
//! at two resolutions differ by more than a factor `e^(0.25/m)` in `max |F|`.
//!
//! **Method.** Each segment starts as one piece. Its bound is evaluated at the ellipse
//! parameters `rho` in `{1.1, 1.25, ..., 16}` (a larger ellipse buys `rho^(-2n)` and costs `M`,
//! so the excess over the tolerance is unimodal in `rho`): walking downhill from where the last
//! accepted piece's walk ended, the piece is accepted at the first `rho` where every active
//! component's bound is within its share of the tolerance
//! (`2^-(tolerance_bits + cancellation_c)` relative to the component's magnitude, per unit
//! length), and halved otherwise, at most 30 times. The tolerance is asked of the truncation alone: rounding is what
//! the second working precision certifies.
//!
//! **Error.** Rigorous for the rule's truncation given `M`; `M` itself is sampled, not bounded,
//! so the whole is an estimate with a margin of four. Where the bound does not serve (a segment
//! too narrow for double precision to place the ellipse, a maximum the samples do not resolve,
//! `F` not finite) the integrator returns `Ok(None)` and the caller integrates adaptively
//! (`super::adaptive`).

use nalgebra::Complex;
use rug::Float;

use super::Quadrature;
use super::gauss_legendre::gauss_legendre;
use super::plan::{Method, Piece};
use super::shared::{Components, Scratch, Segment, SharedEstimate, Table};
use crate::NumericError;
use crate::envelope::Envelope;

impl Quadrature {
    /// A shared integration ([`Quadrature::integrate_shared`]) of the powers `F^(m_c)` of an
    /// entire `F`, one Gauss-Legendre rule per piece with the a-priori bound of
    /// [`crate::envelope`] as its error: a piece is accepted when, for some ellipse parameter
    /// `rho`, every component's bound is within its share of the tolerance, and halved otherwise.
    /// `f` must return `F^(powers[c])` as component `c`. `Ok(None)` (nothing recorded) where the
    /// bound does not serve: a segment too narrow for double precision to place the ellipse, a
    /// maximum the samples do not resolve, `F` not finite, or too many halvings; the caller then
    /// integrates adaptively.
    pub fn integrate_analytic<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        components: &Components,
        powers: &[f64],
        envelope: &Envelope,
        pieces: &mut Vec<Piece>,
    ) -> Result<Option<SharedEstimate>, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        // Ellipse parameters tried, in increasing order.
        const RHOS: [f64; 9] = [1.1, 1.25, 1.5, 2.0, 3.0, 4.5, 7.0, 11.0, 16.0];
        const MAX_DEPTH: u32 = 30;
        const SAMPLES: usize = 64;
        let prec = self.prec;
        let width = powers.len();
        let d = self.degree;
        // Each component's magnitude (a midpoint sum in double precision) and total length.
        let mut magnitude = vec![0f64; width];
        let mut length = vec![0f64; width];
        for seg in segments {
            let (l, r) = (seg.lo.to_f64(), seg.hi.to_f64());
            if seg.lo == seg.hi {
                continue;
            }
            // The width from the working-precision ends: a layer near b can be narrower than
            // the spacing of doubles there.
            let span = Float::with_val(64, &seg.hi - &seg.lo).to_f64();
            let Some(view) = envelope.view(&seg.lo, &seg.hi) else {
                return Ok(None);
            };
            for k in 0..SAMPLES {
                let d = -1.0 + (2 * k + 1) as f64 / SAMPLES as f64;
                let v = envelope.log_abs(&view, l, r, Complex::new(d, 0.0));
                if v.is_nan() || v == f64::INFINITY {
                    return Ok(None);
                }
                for c in (0..width).filter(|&c| seg.active[c]) {
                    magnitude[c] += span / SAMPLES as f64 * (powers[c] * v).exp();
                }
            }
            for c in (0..width).filter(|&c| seg.active[c]) {
                length[c] += span;
            }
        }
        // ln of each component's tolerance per unit length. The bound is on the rule's truncation
        // error alone (rounding is what the second working precision certifies), so the full
        // tolerance is asked of it.
        let log_density: Vec<f64> = (0..width)
            .map(|c| {
                let m = magnitude[c].max(components.scales[c].to_f64());
                let bits = self.tolerance_bits + components.cancellation[c];
                m.ln() - f64::from(bits) * std::f64::consts::LN_2 - length[c].ln()
            })
            .collect();
        if log_density.iter().any(|x| x.is_nan()) {
            return Ok(None);
        }
        let rule = gauss_legendre(d, prec);
        let mut scratch = Scratch::new(prec, width);
        let zeros = || vec![Float::new(prec); width];
        let mut value: Table = segments.iter().map(|_| zeros()).collect();
        let mut error: Table = segments.iter().map(|_| zeros()).collect();
        let mut accepted = Vec::new();
        // Where the walk over rho starts: where the last accepted piece ended it (neighbouring
        // pieces want much the same ellipse).
        let mut start = RHOS.len() / 2;
        for (s, seg) in segments.iter().enumerate() {
            if seg.lo == seg.hi {
                continue;
            }
            let seg_length = Float::with_val(prec, &seg.hi - &seg.lo);
            let mut stack = vec![(seg.lo.clone(), seg.hi.clone(), 0u32)];
            while let Some((l, r, depth)) = stack.pop() {
                let (l64, r64) = (l.to_f64(), r.to_f64());
                let width_f = Float::with_val(64, &r - &l).to_f64();
                let half = width_f / 2.0;
                // The first parameter rho whose bounds fit (else the closest), and those bounds.
                // The bounds at one rho, and by how much (in ln) the worst exceeds its share;
                // None where the samples do not resolve the maximum or F is not finite.
                let Some(view) = envelope.view(&l, &r) else {
                    return Ok(None);
                };
                let at = |rho: f64| -> Option<(f64, Vec<f64>)> {
                    let (most, coarser) = envelope.log_max(&view, l64, r64, rho)?;
                    let active = (0..width).filter(|&c| seg.active[c]);
                    if active.clone().any(|c| powers[c] * (most - coarser) > 0.25) {
                        return None;
                    }
                    let common = (64.0f64 / 15.0 * 4.0).ln() + half.ln()
                        - 2.0 * d as f64 * rho.ln()
                        - (rho * rho - 1.0).ln();
                    let mut bounds = vec![f64::NEG_INFINITY; width];
                    let mut excess = f64::NEG_INFINITY;
                    for c in active {
                        bounds[c] = common + powers[c] * most;
                        excess = excess.max(bounds[c] - log_density[c] - width_f.ln());
                    }
                    Some((excess, bounds))
                };
                // The excess is unimodal in rho (a larger ellipse buys rho^(-2d) and costs M):
                // from where the last piece's walk ended, walk downhill until the bounds fit or it
                // rises.
                let mut i = start;
                let mut best = at(RHOS[i]);
                if best.as_ref().is_some_and(|(e, _)| *e > 0.0) {
                    let worse =
                        |x: &Option<(f64, Vec<f64>)>, y: &Option<(f64, Vec<f64>)>| match (x, y) {
                            (Some((a, _)), Some((b, _))) => a >= b,
                            (None, _) => true,
                            (_, None) => false,
                        };
                    let down = if i > 0 { at(RHOS[i - 1]) } else { None };
                    let step: isize = if worse(&down, &best) { 1 } else { -1 };
                    if step < 0 {
                        best = down;
                        i -= 1;
                    }
                    while best.as_ref().is_some_and(|(e, _)| *e > 0.0) {
                        let j = i as isize + step;
                        if j < 0 || j >= RHOS.len() as isize {
                            break;
                        }
                        let next = at(RHOS[j as usize]);
                        if worse(&next, &best) {
                            break;
                        }
                        best = next;
                        i = j as usize;
                    }
                }
                match best {
                    Some((excess, bounds)) if excess <= 0.0 => {
                        start = i;
                        let values = self.apply(&rule, &mut f, &seg.active, &l, &r, &mut scratch);
                        for c in (0..width).filter(|&c| seg.active[c]) {
                            value[s][c] += &values[c];
                            error[s][c] += Float::with_val(prec, bounds[c].exp());
                        }
                        let fraction = |x: &Float| {
                            Float::with_val(prec, Float::with_val(prec, x - &seg.lo) / &seg_length)
                        };
                        accepted.push(Piece {
                            segment: s,
                            lo: fraction(&l),
                            hi: fraction(&r),
                            method: Method::Bounded { degree: d },
                        });
                    }
                    _ if depth < MAX_DEPTH => {
                        let mid = Float::with_val(prec, &l + &r) / 2u32;
                        stack.push((mid.clone(), r, depth + 1));
                        stack.push((l, mid, depth + 1));
                    }
                    _ => return Ok(None),
                }
            }
        }
        pieces.extend(accepted);
        Ok(Some(SharedEstimate { value, error }))
    }
}

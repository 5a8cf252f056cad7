//! `∫F`, `∫F^N` and `∫F^(N-1)` over the support and its upper parts, at a cost that does not grow
//! with `N`.
//!
//! **Method.** For large `m`, `F^m` is negligible except in a boundary layer below `b`: below the
//! point `c` where `F(c)^m = e^-L`, `L = (t + 16 + log2 m) ln 2` for the relative tolerance
//! `2^-t`, the integral is dropped and `(c - lo) e^-L` is added to its error bound. The support is
//! cut at the start of `F^N`'s layer and at each critical type, and the vector integrand
//! `(F, F^N, F^(N-1))` is integrated on the segments where each component is wanted
//! ([`crate::quad`]): one evaluation of `F` and one chain of squarings per node. Powers of an
//! entire `F` get Gauss-Legendre with an a-priori bound; the rest is adaptive. In large markets
//! where `F` has a positive density at `b`, `I_N` and the `J_k` come instead from the layer's
//! series ([`crate::boundary`]), at a cost independent of `N`.
//!
//! **Error.** The reported bound of each integral is the quadrature's (see the integrator that
//! produced it) plus the bound on the part dropped below the layer. Raising `F`, rounded to
//! `prec` bits, to the power `m` costs a relative error of about `m 2^-prec`; the working
//! precision carries twice the bits of `N` for it and for the cancellation in `T1`
//! ([`crate::quantities::working_precision`]).

use rug::ops::Pow;
use rug::{Assign, Float, Integer};

use super::{Engine, Powers};
use crate::NumericError;
use crate::quad::{Components, Estimate, Quadrature, Segment};

impl Engine {
    /// Where `F^m` stops being negligible above `lo` (for `m = 1` too: a CDF such as `x^1000000`
    /// is itself a boundary layer, which quadrature nodes spread over `[a, b]` would not see):
    /// the point `c >= lo` below which `F^m <= e^-L`, with `L = (t + 16 + log2 m) ln 2` for the relative tolerance `2^-t` of the
    /// quadrature, and a bound `(c - lo) e^-L` on the integral dropped below it. The cut is made
    /// only when `c` lies above `worth` (at least `lo`): a cut just above `lo` saves nothing.
    fn layer(
        &mut self,
        m: &Integer,
        lo: &Float,
        worth: &Float,
    ) -> Result<(Float, Float), NumericError> {
        let prec = self.prec;
        let mut start = lo.clone();
        let mut dropped = Float::new(prec);
        if *m >= 1u32 {
            let log2m = f64::from(m.significant_bits());
            let l = (f64::from(self.quad.tolerance_bits) + 16.0 + log2m) * std::f64::consts::LN_2;
            // u = exp(-L/m), tail = 1 - u = -expm1(-L/m).
            let ratio = Float::with_val(prec, Float::with_val(prec, l) / m);
            let tail = Float::with_val(prec, -Float::with_val(prec, -&ratio).exp_m1());
            let u = Float::with_val(prec, 1u32 - &tail);
            let probe = if worth > lo { worth } else { lo };
            if self.cdf(probe) < u {
                let c = self.inverse(&tail)?;
                if c > start {
                    dropped = Float::with_val(prec, &c - &start) * Float::with_val(prec, -l).exp();
                    start = c;
                }
            }
        }
        Ok((start, dropped))
    }

    /// `I_1`, `I_N` and `J_k` for the critical types `critical` (each in `[a, b]`), from one
    /// evaluation of `F` per quadrature node: the support is cut at the start of `F^N`'s layer
    /// (see [`Engine::power_integral`]) and at each `v_k`, and on every segment the integrand
    /// `(F, F^N, F^(N-1))` is integrated where each part is wanted. `F^(N-1)` and `F^N` come from
    /// one chain of squarings. In large markets where `F` has a positive density at `b`, `I_N` and
    /// the `J_k` come instead from the series of the layer below `b` ([`crate::boundary`]), at a
    /// cost independent of `N`, and quadrature integrates `F` alone.
    pub fn powers(&mut self, n: &Integer, critical: &[Float]) -> Result<Powers, NumericError> {
        let prec = self.prec;
        let (a, b) = (self.a.clone(), self.b.clone());
        // T1 = b - Σ k r v* - Σ k J + (N - 1) I_N can be N times smaller than its terms, and the
        // working precision already carries 2 log2 N bits for it.
        let cancellation = 2 * n.significant_bits();
        let series = self.layer_series.then(|| {
            crate::boundary::layer_integrals(
                &self.expr,
                &a,
                &b,
                n,
                critical,
                self.quad.tolerance_bits + cancellation,
            )
        });
        // A layer that starts in the lowest quarter of the support is not worth a segment of its
        // own.
        let quarter = Float::with_val(prec, &a + Float::with_val(prec, &b - &a) / 4u32);
        let (c_1, dropped_1) = self.layer(&Integer::from(1), &a, &quarter)?;
        if let Some(Some(layer)) = series {
            let scale = Float::with_val(prec, &b - &c_1)
                * Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
            let (segments, components) = crate::quad::single(&c_1, &b, &self.kinks, &scale);
            let cdf = &mut self.cdf;
            let est = Engine::run_powers(
                self.quad,
                &mut self.mode,
                |x: &Float, _: &[bool], out: &mut [Float]| out[0].assign(cdf.eval(x)),
                &segments,
                &components,
                &[1.0],
                self.envelope.as_ref(),
            )?;
            let mut i1 = est.sum(0, |_| true);
            i1.error += dropped_1;
            return Ok(Powers {
                i1,
                i_n: layer.i_n,
                j: layer.j,
                series_terms: Some(layer.terms),
            });
        }
        let n_minus_1 = Integer::from(n - 1u32);
        let (c_n, dropped_n) = self.layer(n, &a, &quarter)?;
        let starts = critical
            .iter()
            .map(|v| self.layer(&n_minus_1, v, &quarter))
            .collect::<Result<Vec<_>, _>>()?;
        let first_j = starts.iter().map(|(s, _)| s).min_by(|x, y| x.total_cmp(y));
        let mut points: Vec<Float> = std::iter::once(a.clone())
            .chain((c_1 > a).then(|| c_1.clone()))
            .chain(std::iter::once(c_n.clone()))
            .chain(starts.iter().map(|(s, _)| s.clone()))
            .chain(self.kinks.iter().cloned())
            .chain(std::iter::once(b.clone()))
            .map(|p| p.clamp(&a, &b))
            .collect();
        points.sort_by(|x, y| x.total_cmp(y));
        let segments: Vec<Segment> = points
            .windows(2)
            .map(|w| Segment {
                lo: w[0].clone(),
                hi: w[1].clone(),
                active: vec![
                    w[0] >= c_1,
                    w[0] >= c_n,
                    first_j.is_some_and(|j| w[0] >= *j),
                ],
            })
            .collect();
        let tiny = Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
        let scale = |lo: &Float| Float::with_val(prec, &b - lo) * &tiny;
        let bits = |m: &Integer| m.significant_bits() as i32;
        let components = Components {
            scales: vec![scale(&c_1), scale(&c_n), scale(first_j.unwrap_or(&b))],
            noise: vec![1, bits(n), bits(&n_minus_1)],
            cancellation: vec![0, cancellation, cancellation],
        };
        let cdf = &mut self.cdf;
        let mut scratch = Float::new(prec);
        let integrand = |x: &Float, active: &[bool], out: &mut [Float]| {
            let fx = cdf.eval(x);
            out[0].assign(fx);
            if active[1] || active[2] {
                let below = if active[2] { &mut out[2] } else { &mut scratch };
                power_chain(fx, &n_minus_1, below);
                if active[1] {
                    let (low, high) = out.split_at_mut(2);
                    let below = if active[2] { &high[0] } else { &scratch };
                    low[1].assign(below * fx);
                }
            }
        };
        let powers = [1.0, n.to_f64(), n_minus_1.to_f64()];
        let est = Engine::run_powers(
            self.quad,
            &mut self.mode,
            integrand,
            &segments,
            &components,
            &powers,
            self.envelope.as_ref(),
        )?;
        let mut i_n = est.sum(1, |s| segments[s].active[1]);
        i_n.error += dropped_n;
        let j = starts
            .into_iter()
            .map(|(start, dropped)| {
                let mut j = est.sum(2, |s| segments[s].active[2] && segments[s].lo >= start);
                j.error += dropped;
                j
            })
            .collect();
        let mut i1 = est.sum(0, |s| segments[s].active[0]);
        i1.error += dropped_1;
        Ok(Powers {
            i1,
            i_n,
            j,
            series_terms: None,
        })
    }

    /// `∫_lo^b F(p)^m dp` for any `m >= 1`.
    ///
    /// For large `m`, `F^m` is negligible except in a boundary layer below `b`: the integral is
    /// taken over `[c, b]` where `F(c)^m = e^-L` with `L = (t + 16 + log2 m) ln 2` for the relative
    /// tolerance `2^-t` of the quadrature, and the part
    /// dropped, at most `(c - lo) e^-L`, is added to the error bound.
    pub fn power_integral(&mut self, m: &Integer, lo: &Float) -> Result<Estimate, NumericError> {
        let prec = self.prec;
        let b = self.b.clone();
        let (start, dropped) = self.layer(m, lo, lo)?;
        // F rounded to prec bits gives F^m a relative error of about m 2^-prec.
        let quad = Quadrature {
            noise_bits: self.quad.noise_bits + m.significant_bits() as i32,
            ..self.quad
        };
        let scale = Float::with_val(prec, &b - &start)
            * Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
        let cdf = &mut self.cdf;
        let mut est = Engine::run(
            quad,
            &mut self.mode,
            |x| Float::with_val(prec, cdf.eval(x).pow(m)),
            &start,
            &b,
            &self.kinks,
            &scale,
        )?;
        est.error += dropped;
        Ok(est)
    }
}

/// `out = x^k` by left-to-right binary powering at `out`'s precision. Each squaring doubles the
/// relative error carried in, so the result has a relative error of about `k 2^-prec`: what
/// rounding `x` itself already costs `x^k`.
fn power_chain(x: &Float, k: &Integer, out: &mut Float) {
    if *k == 0u32 {
        out.assign(1u32);
        return;
    }
    out.assign(x);
    for bit in (0..k.significant_bits() - 1).rev() {
        out.square_mut();
        if k.get_bit(bit) {
            *out *= x;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::engine;

    use super::*;

    #[test]
    fn power_integrals_of_the_uniform_have_closed_forms() {
        let prec = 256;
        let mut e = engine("x", "[0, 1]", prec);
        for m in [1u64, 2, 7, 1000, 10u64.pow(12), 10u64.pow(18)] {
            let est = e
                .power_integral(&Integer::from(m), &Float::new(prec))
                .unwrap_or_else(|err| panic!("m = {m}: {err}"));
            let exact =
                Float::with_val(prec, 1u32) / Float::with_val(prec, Integer::from(m) + 1u32);
            let rel =
                Float::with_val(prec, Float::with_val(prec, &est.value - &exact) / &exact).abs();
            // Rounding F to prec bits costs F^m a relative error of about m 2^-prec.
            let lost = 64 - m.leading_zeros() as i32;
            assert!(
                rel < Float::with_val(64, Float::i_exp(1, -240 + lost)),
                "m = {m}: {rel}"
            );
        }
    }

    #[test]
    fn the_power_chain_agrees_with_mpfr() {
        let prec = 200;
        let x = Float::with_val(prec, Float::parse("0.99999999999731").unwrap());
        for k in [0u64, 1, 2, 3, 59, 1000, 10u64.pow(12) + 7] {
            let mut got = Float::new(prec);
            power_chain(&x, &Integer::from(k), &mut got);
            let want = Float::with_val(prec, x.clone().pow(k));
            let rel = Float::with_val(prec, Float::with_val(prec, &got - &want) / &want).abs();
            // Each squaring doubles the relative error carried in: about k 2^-prec in all.
            let bound = Float::with_val(64, Float::i_exp(1, 2 - prec as i32)) * (k.max(1) as f64);
            assert!(rel <= bound, "k = {k}: {rel}");
        }
    }

    #[test]
    fn bounded_pieces_integrate_powers_of_the_uniform_exactly() {
        // F = x on [0, 1]: I_1 = 1/2, I_N = 1/(N+1), J = (1 - v^N)/N.
        let prec = 256;
        let mut e = engine("x", "[0, 1]", prec);
        let v = Float::with_val(prec, 0.75);
        for n in [2u32, 9, 60] {
            let p = e
                .powers(&Integer::from(n), std::slice::from_ref(&v))
                .unwrap();
            let one = Float::with_val(prec, 1u32);
            let checks = [
                (&p.i1, Float::with_val(prec, &one / 2u32)),
                (&p.i_n, Float::with_val(prec, &one / (n + 1))),
                (
                    &p.j[0],
                    Float::with_val(prec, (one.clone() - v.clone().pow(n)) / n),
                ),
            ];
            for (est, exact) in checks {
                let err = Float::with_val(prec, &est.value - &exact).abs();
                assert!(err <= est.error.clone() + Float::with_val(64, Float::i_exp(1, -240)));
                assert!(
                    err < Float::with_val(64, Float::i_exp(1, -230)),
                    "n = {n}: {err}"
                );
            }
        }
    }

    #[test]
    fn the_layer_series_agrees_with_quadrature_where_both_apply() {
        // The sine market of Example 1 (b solved): I_N and J by the boundary layer's series and
        // by Gauss-Legendre quadrature of F^N, two independent methods, for N from a million to
        // 10^15, at 300 bits.
        let prec = 300;
        let sine = engine("0.1*x + 0.1*(1 - cos(x))", "[0, solve]", prec);
        for n in [
            1_000_000u64,
            100_000_000,
            1_000_000_000_000,
            1_000_000_000_000_000,
        ] {
            let n = Integer::from(n);
            // v* for the share 1/2: F(v*)^(N-1) = 1/2.
            let exponent = Float::with_val(prec, Float::with_val(prec, 0.5).ln())
                / Float::with_val(prec, Integer::from(&n - 1u32));
            let tail = Float::with_val(prec, -exponent.exp_m1());
            let mut e = sine.clone();
            let v = e.inverse(&tail).unwrap();
            let series = e.powers(&n, std::slice::from_ref(&v)).unwrap();
            assert!(series.series_terms.is_some(), "N = {n}");
            let mut q = sine.clone().without_layer_series();
            let quad = q.powers(&n, std::slice::from_ref(&v)).unwrap();
            assert!(quad.series_terms.is_none());
            for (s, g) in [
                (&series.i1, &quad.i1),
                (&series.i_n, &quad.i_n),
                (&series.j[0], &quad.j[0]),
            ] {
                let rel =
                    Float::with_val(prec, Float::with_val(prec, &s.value - &g.value) / &g.value)
                        .abs();
                // Rounding costs the quadrature's F^N about log2 N bits (the series far less).
                let bound = Float::i_exp(1, n.significant_bits() as i32 - 286);
                assert!(rel < Float::with_val(64, bound), "N = {n}: {rel}");
            }
        }
        // At a hundred agents the series would not converge: quadrature serves.
        let mut e = sine.clone();
        let b = e.b.clone();
        assert!(
            e.powers(&Integer::from(100), &[b])
                .unwrap()
                .series_terms
                .is_none()
        );
    }
}

//! A distribution at one working precision: `F`, `f`, the support, the inverse CDF and the
//! integrals of powers of `F` from which every quantity of the paper is built.

use efftrade_model::{Distribution, Expr};
use rug::ops::Pow;
use rug::{Assign, Float, Integer};

use crate::NumericError;
use crate::envelope::{Double, Envelope};
use crate::program::Program;
use crate::quad::{Components, Estimate, Piece, Quadrature, Segment, SharedEstimate, Table};

/// One integration of a run as recorded: which components were active on each segment, the
/// accepted pieces, and the error bounds `error[s][c]`.
#[derive(Clone, Debug)]
pub struct Recorded {
    active: Vec<Vec<bool>>,
    pieces: Vec<Piece>,
    error: Table,
}

/// The subdivisions of a run's integrals, in the order they were computed, with their error
/// bounds: recorded at one working precision, replayed at another.
pub type Plan = Vec<Recorded>;

/// `I_1 = ∫_a^b F`, `I_N = ∫_a^b F^N` and `J_k = ∫_{v_k}^b F^(N-1)` for each critical type
/// `v_k`: the integrals behind `mu`, `E[max]`, `T1` and `T2` (see [`crate::quantities`]).
#[derive(Clone, Debug)]
pub struct Powers {
    /// `∫_a^b F`.
    pub i1: Estimate,
    /// `∫_a^b F^N`.
    pub i_n: Estimate,
    /// `∫_{v_k}^b F^(N-1)`, one per critical type.
    pub j: Vec<Estimate>,
    /// The number of terms of the boundary layer's series when `I_N` and the `J_k` came from it
    /// ([`crate::boundary`]); `None` when they came from quadrature.
    pub series_terms: Option<usize>,
}

#[derive(Clone, Debug, Default)]
enum Mode {
    /// Integrate adaptively.
    #[default]
    Free,
    /// Integrate adaptively and record each integral's pieces.
    Record(Plan),
    /// Reuse recorded pieces, in order.
    Replay(std::collections::VecDeque<Recorded>),
}
use crate::support::{bracketed_newton, upper_end};

/// `F`, `f` and `[a, b]` compiled at one working precision.
#[derive(Clone, Debug)]
pub struct Engine {
    prec: u32,
    /// `F` as an expression (its Taylor series serve the boundary layer of large markets).
    expr: Expr,
    cdf: Program,
    density: Program,
    /// `F` in double precision, for starting points.
    cdf_double: Double,
    /// `F` in complex double precision, when entire (a-priori quadrature bounds).
    envelope: Option<Envelope>,
    /// Lower end of the support.
    pub a: Float,
    /// Upper end of the support.
    pub b: Float,
    quad: Quadrature,
    mode: Mode,
    /// Whether the boundary layer of large markets may come from its series.
    layer_series: bool,
}

impl Engine {
    /// Compiles `dist` at `prec` bits (solving `F(b) = 1` when the spec asks), integrating to the
    /// full working precision.
    pub fn new(dist: &Distribution, prec: u32) -> Result<Engine, NumericError> {
        Engine::with_tolerance(dist, prec, prec)
    }

    /// Compiles `dist` at `prec` bits, integrating to relative tolerance `2^-tolerance_bits`.
    pub fn with_tolerance(
        dist: &Distribution,
        prec: u32,
        tolerance_bits: u32,
    ) -> Result<Engine, NumericError> {
        let cdf = dist.cdf();
        let b = upper_end(dist, prec)?;
        Ok(Engine {
            prec,
            density: Program::new(&cdf.derivative(), prec),
            cdf: Program::new(&cdf, prec),
            envelope: Envelope::new(&cdf),
            expr: cdf.clone(),
            cdf_double: Double::new(&cdf),
            a: Program::constant(dist.lower(), prec),
            b,
            quad: Quadrature::with_tolerance(prec, tolerance_bits),
            mode: Mode::Free,
            layer_series: true,
        })
    }

    /// From now on, records the subdivision of every integral (see [`Engine::take_plan`]).
    pub fn recording(mut self) -> Engine {
        self.mode = Mode::Record(Vec::new());
        self
    }

    /// From now on, integrates on the recorded subdivisions of `plan`, in order (integrals beyond
    /// the plan are adaptive again). The recorded error bounds are reported.
    pub fn replaying(mut self, plan: Plan) -> Engine {
        self.mode = Mode::Replay(plan.into());
        self
    }

    /// From now on, integrates the boundary layer of large markets by quadrature, never by its
    /// series ([`crate::boundary`]): the second method that checks the first.
    pub fn without_layer_series(mut self) -> Engine {
        self.layer_series = false;
        self
    }

    /// The subdivisions recorded so far.
    pub fn take_plan(&mut self) -> Plan {
        match std::mem::take(&mut self.mode) {
            Mode::Record(plan) => plan,
            _ => Vec::new(),
        }
    }

    /// The working precision in bits.
    pub fn prec(&self) -> u32 {
        self.prec
    }

    /// `F(x)`.
    pub fn cdf(&mut self, x: &Float) -> Float {
        self.cdf.eval(x).clone()
    }

    /// `f(x)`.
    pub fn density(&mut self, x: &Float) -> Float {
        self.density.eval(x).clone()
    }

    /// The quadrature settings.
    pub fn quadrature(&self) -> Quadrature {
        self.quad
    }

    /// `F^{-1}(u)` for `u = 1 - tail` (the tail is passed separately so that `u` within `2^-prec`
    /// of 1 keeps its digits). Bracketed Newton's method; where the density vanishes or Newton
    /// leaves the bracket, bisection (geometric in the distance to the nearer end when the bracket
    /// spans orders of magnitude, so targets within `1e-30` of `b` take few steps).
    pub fn inverse(&mut self, tail: &Float) -> Result<Float, NumericError> {
        let prec = self.prec;
        if *tail < 0u32 || *tail > 1u32 {
            return Err(NumericError::NoBracket {
                what: format!("F^-1(u) for u = 1 - {}", tail.to_f64()),
                lo: self.a.to_f64(),
                hi: self.b.to_f64(),
            });
        }
        if tail.is_zero() {
            return Ok(self.b.clone());
        }
        if *tail == 1u32 {
            return Ok(self.a.clone());
        }
        let near_top = *tail < 0.5f64;
        // g(x) = F(x) - u, as (F(x) - 1) + tail near the top.
        let u = Float::with_val(prec, 1u32 - tail);
        let g = |e: &mut Engine, x: &Float| -> Float {
            let fx = e.cdf(x);
            if near_top {
                Float::with_val(prec, Float::with_val(prec, fx - 1u32) + tail)
            } else {
                Float::with_val(prec, fx - &u)
            }
        };
        let (lo, hi) = (self.a.clone(), self.b.clone());
        let width = Float::with_val(prec, &hi - &lo);
        let tol = Float::with_val(
            prec,
            &width * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 2)),
        );
        let start = self
            .start_f64(tail)
            .unwrap_or_else(|| if near_top { hi.clone() } else { lo.clone() });
        let (a, b) = (self.a.clone(), self.b.clone());
        bracketed_newton(
            |x| (g(self, x), self.density(x)),
            (lo, hi),
            start,
            &tol,
            |lo, hi| split(&a, &b, lo, hi, near_top),
            "the inverse CDF",
        )
    }
}

impl Engine {
    /// `F^-1(1 - tail)` in double precision by bisection, as Newton's starting point: `None` when
    /// doubles cannot resolve `1 - tail` or `F` is not finite there.
    fn start_f64(&self, tail: &Float) -> Option<Float> {
        let t = tail.to_f64();
        if !(1e-12..=1.0 - 1e-12).contains(&t) {
            return None;
        }
        let u = 1.0 - t;
        let (mut lo, mut hi) = (self.a.to_f64(), self.b.to_f64());
        for _ in 0..64 {
            let mid = 0.5 * (lo + hi);
            let v = self.cdf_double.real(mid);
            if !v.is_finite() {
                return None;
            }
            if v < u {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(Float::with_val(self.prec, 0.5 * (lo + hi)))
    }
}

/// A point inside `(lo, hi)`, within the support `[a, b]`: the midpoint, or, when the target is
/// near one end and the bracket's distances to that end differ by orders of magnitude, the end
/// moved by the geometric mean of those distances.
fn split(a: &Float, b: &Float, lo: &Float, hi: &Float, near_top: bool) -> Float {
    let prec = lo.prec();
    let (end, far, near) = if near_top {
        (
            b,
            Float::with_val(prec, b - lo),
            Float::with_val(prec, b - hi),
        )
    } else {
        (
            a,
            Float::with_val(prec, hi - a),
            Float::with_val(prec, lo - a),
        )
    };
    if near.is_sign_positive() && !near.is_zero() && far > Float::with_val(prec, &near * 16u32) {
        let d = Float::with_val(prec, &far * &near).sqrt();
        if near_top {
            Float::with_val(prec, end - d)
        } else {
            Float::with_val(prec, end + d)
        }
    } else {
        Float::with_val(prec, lo + hi) / 2u32
    }
}

impl Engine {
    /// A shared integration in the engine's mode: adaptive (and recorded), or replayed on the
    /// recorded pieces when the recorded segments match these (else adaptive again).
    fn run_shared<G: FnMut(&Float, &[bool], &mut [Float])>(
        quad: Quadrature,
        mode: &mut Mode,
        mut g: G,
        segments: &[Segment],
        components: &Components,
    ) -> Result<SharedEstimate, NumericError> {
        let active: Vec<Vec<bool>> = segments.iter().map(|s| s.active.clone()).collect();
        match mode {
            Mode::Free => quad.integrate_shared(g, segments, components, &mut Vec::new()),
            Mode::Record(plan) => {
                let mut pieces = Vec::new();
                let est = quad.integrate_shared(g, segments, components, &mut pieces)?;
                plan.push(Recorded {
                    active,
                    pieces,
                    error: est.error.clone(),
                });
                Ok(est)
            }
            Mode::Replay(plan) => match plan.pop_front() {
                Some(recorded) if recorded.active == active => {
                    let value =
                        quad.replay_shared(&mut g, segments, &components.noise, &recorded.pieces)?;
                    let error = recorded
                        .error
                        .iter()
                        .map(|row| row.iter().map(|e| Float::with_val(quad.prec, e)).collect())
                        .collect();
                    Ok(SharedEstimate { value, error })
                }
                _ => quad.integrate_shared(g, segments, components, &mut Vec::new()),
            },
        }
    }

    /// [`Engine::run_shared`] for components `F^(powers[c])`: with a-priori bounds when `F` is
    /// entire and they serve ([`Quadrature::integrate_analytic`]), adaptively otherwise. A replay
    /// follows the recorded pieces whichever way they were found.
    fn run_powers<G: FnMut(&Float, &[bool], &mut [Float])>(
        quad: Quadrature,
        mode: &mut Mode,
        mut g: G,
        segments: &[Segment],
        components: &Components,
        powers: &[f64],
        envelope: Option<&Envelope>,
    ) -> Result<SharedEstimate, NumericError> {
        if let (Some(envelope), false) = (envelope, matches!(mode, Mode::Replay(_))) {
            let mut pieces = Vec::new();
            let analytic = quad.integrate_analytic(
                &mut g,
                segments,
                components,
                powers,
                envelope,
                &mut pieces,
            )?;
            if let Some(est) = analytic {
                if let Mode::Record(plan) = mode {
                    plan.push(Recorded {
                        active: segments.iter().map(|s| s.active.clone()).collect(),
                        pieces,
                        error: est.error.clone(),
                    });
                }
                return Ok(est);
            }
        }
        Engine::run_shared(quad, mode, g, segments, components)
    }

    fn run<G: FnMut(&Float) -> Float>(
        quad: Quadrature,
        mode: &mut Mode,
        mut g: G,
        lo: &Float,
        hi: &Float,
        scale: &Float,
    ) -> Result<Estimate, NumericError> {
        let (segments, components) = crate::quad::single(lo, hi, scale);
        let est = Engine::run_shared(
            quad,
            mode,
            |x, _, out| out[0] = g(x),
            &segments,
            &components,
        )?;
        Ok(est.sum(0, |_| true))
    }

    /// Where `F^m` stops being negligible above `lo`: the point `c >= lo` below which
    /// `F^m <= e^-L`, with `L = (t + 16 + log2 m) ln 2` for the relative tolerance `2^-t` of the
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
        if *m > 1u32 {
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
        if let Some(Some(layer)) = series {
            let scale = Float::with_val(prec, &b - &a)
                * Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
            let (segments, components) = crate::quad::single(&a, &b, &scale);
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
            return Ok(Powers {
                i1: est.sum(0, |_| true),
                i_n: layer.i_n,
                j: layer.j,
                series_terms: Some(layer.terms),
            });
        }
        let n_minus_1 = Integer::from(n - 1u32);
        // A layer that starts in the lowest quarter of the support is not worth a segment of its
        // own.
        let quarter = Float::with_val(prec, &a + Float::with_val(prec, &b - &a) / 4u32);
        let (c_n, dropped_n) = self.layer(n, &a, &quarter)?;
        let starts = critical
            .iter()
            .map(|v| self.layer(&n_minus_1, v, &quarter))
            .collect::<Result<Vec<_>, _>>()?;
        let first_j = starts.iter().map(|(s, _)| s).min_by(|x, y| x.total_cmp(y));
        let mut points: Vec<Float> = std::iter::once(a.clone())
            .chain(std::iter::once(c_n.clone()))
            .chain(starts.iter().map(|(s, _)| s.clone()))
            .chain(std::iter::once(b.clone()))
            .map(|p| p.clamp(&a, &b))
            .collect();
        points.sort_by(|x, y| x.total_cmp(y));
        let segments: Vec<Segment> = points
            .windows(2)
            .map(|w| Segment {
                lo: w[0].clone(),
                hi: w[1].clone(),
                active: vec![true, w[0] >= c_n, first_j.is_some_and(|j| w[0] >= *j)],
            })
            .collect();
        let tiny = Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
        let scale = |lo: &Float| Float::with_val(prec, &b - lo) * &tiny;
        let bits = |m: &Integer| m.significant_bits() as i32;
        let components = Components {
            scales: vec![scale(&a), scale(&c_n), scale(first_j.unwrap_or(&b))],
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
        Ok(Powers {
            i1: est.sum(0, |_| true),
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
            &scale,
        )?;
        est.error += dropped;
        Ok(est)
    }

    /// `∫_lo^hi g(p) dp` for an integrand built from `F` and `f`.
    pub fn integrate<G>(
        &mut self,
        mut g: G,
        lo: &Float,
        hi: &Float,
    ) -> Result<Estimate, NumericError>
    where
        G: FnMut(&mut Program, &mut Program, &Float) -> Float,
    {
        let quad = self.quad;
        let prec = self.prec;
        let scale =
            Float::with_val(prec, hi - lo) * Float::with_val(prec, Float::i_exp(1, -(prec as i32)));
        let (cdf, density) = (&mut self.cdf, &mut self.density);
        Engine::run(quad, &mut self.mode, |x| g(cdf, density, x), lo, hi, &scale)
    }
}

/// `out = x^k` by left-to-right binary powering at `out`'s precision. Each squaring doubles the
/// relative error carried in, so the result has a relative error of about `k 2^-prec`: what
/// rounding `x` itself already costs `x^k`.
pub fn power_chain(x: &Float, k: &Integer, out: &mut Float) {
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
    use super::*;
    use crate::program::to_rug;
    use efftrade_model::{BigRational, Spec};

    fn engine(cdf: &str, support: &str, prec: u32) -> Engine {
        let src = format!(
            "description: t\ndistribution: {{cdf: \"{cdf}\", support: {support}}}\nmarket: {{n: 2, shares: symmetric}}\n"
        );
        Engine::new(Spec::from_yaml(&src, None).unwrap().distribution(), prec).unwrap()
    }

    #[test]
    fn inverse_of_the_uniform_and_of_a_flat_top() {
        let prec = 300;
        let mut e = engine("x", "[0, 1]", prec);
        let tail = Float::with_val(prec, Float::parse("1e-40").unwrap());
        let x = e.inverse(&tail).unwrap();
        let expected = Float::with_val(prec, 1u32 - &tail);
        assert!(
            Float::with_val(prec, &x - &expected).abs()
                < Float::with_val(64, Float::i_exp(1, -290))
        );
        // 1 - F = (1 - x)^3: the density vanishes at b, and F^-1(1 - 1e-45) = 1 - 1e-15.
        let mut e = engine("1 - (1 - x)^3", "[0, 1]", prec);
        let tail = Float::with_val(prec, Float::parse("1e-45").unwrap());
        let x = e.inverse(&tail).unwrap();
        let d = Float::with_val(prec, 1u32 - &x);
        let target = Float::with_val(prec, Float::parse("1e-15").unwrap());
        let rel = Float::with_val(prec, Float::with_val(prec, d - &target) / &target).abs();
        // F rounded to 300 bits near 1 - 1e-45 knows (1 - x)^3 to 2^-300 / 1e-45, about 2^-150
        // relative: the cancellation the engine's precision policy pays for with extra bits.
        assert!(rel < Float::with_val(64, Float::i_exp(1, -145)), "{rel}");
    }

    #[test]
    fn the_sine_density_vanishing_at_three_pi_over_two_is_no_obstacle() {
        let prec = 200;
        let mut e = engine("0.1*x + 0.1*(1 - cos(x))", "[0, solve]", prec);
        // u = F(3 pi / 2), where f = 0.
        let x0 = Float::with_val(prec, rug::float::Constant::Pi) * 3u32 / 2u32;
        let u = e.cdf(&x0);
        let x = e.inverse(&Float::with_val(prec, 1u32 - u)).unwrap();
        // f vanishes there to second order, so F - u is cubic in x - x0 and F^-1 is good to about
        // a third of the bits.
        assert!(
            Float::with_val(prec, &x - &x0).abs() < Float::with_val(64, Float::i_exp(1, -60)),
            "{x}"
        );
    }

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
    fn entire_cdfs_get_a_priori_bounds_and_others_the_adaptive_halves() {
        let prec = 200;
        for (cdf, support, entire) in [
            ("0.1*x + 0.1*(1 - cos(x))", "[0, solve]", true),
            ("x^0.5", "[0, 1]", false),
        ] {
            let mut e = engine(cdf, support, prec).recording();
            let v = e.inverse(&Float::with_val(prec, 0.3)).unwrap();
            let p = e.powers(&Integer::from(5), &[v]).unwrap();
            assert!(
                p.i1.error < Float::with_val(64, Float::i_exp(1, -180)),
                "{cdf}"
            );
            let plan = e.take_plan();
            let bounded = plan
                .iter()
                .flat_map(|r| &r.pieces)
                .all(|piece| piece.degree.is_some());
            assert_eq!(bounded, entire, "{cdf}");
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

    #[test]
    fn the_inverse_of_a_flat_top_converges_where_rounding_hides_the_root() {
        // F = 1 - (1 - x)^3 and u = 1 - tail with tail about 2e-24: the root 1 - 1.26e-8 is known
        // only to 2^-prec / f ~ 1e-73, far coarser than the bracket's 2^-prec tolerance, so the
        // iteration stops on the noise in F (this share once exhausted it at 292 bits).
        let prec = 292;
        let mut e = engine("1 - (1 - x)^3", "[0, 1]", prec);
        let n: u128 = 30_000_000_000_000_000_000_000_000;
        let share: BigRational = "1/20000000000000000000000000".parse().unwrap();
        let v = crate::quantities::critical_type(&mut e, &share, n).unwrap();
        let exponent = Float::with_val(prec, Float::with_val(prec, to_rug(&share)).ln())
            / Float::with_val(prec, n - 1);
        let tail = Float::with_val(prec, -exponent.exp_m1());
        let cube = Float::with_val(prec, Float::with_val(prec, 1u32 - &v).pow(3u32));
        let rel = Float::with_val(prec, Float::with_val(prec, cube - &tail) / &tail).abs();
        assert!(rel < Float::with_val(64, Float::i_exp(1, -200)), "{rel}");
    }
}

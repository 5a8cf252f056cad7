//! A distribution at one working precision: `F`, `f`, the support, the inverse CDF and the
//! integrals of powers of `F` from which every quantity of the paper is built.
//!
//! * This module: the compiled distribution ([`Engine`]) and the mode its integrals run in:
//!   adaptive, recorded at one working precision, or replayed at another ([`Plan`]), so that two
//!   precisions differ by rounding alone and their agreement certifies digits
//!   ([`crate::certified`]).
//! * `inverse`: `F^-1` by bracketed Newton's method ([`Engine::inverse`]).
//! * `powers`: `∫F`, `∫F^N` and `∫F^(N-1)` from one evaluation of `F` per node, with the
//!   boundary layer of large markets cut off or taken from its series ([`Engine::powers`],
//!   [`Engine::power_integral`]).

mod inverse;
mod powers;

use efftrade_model::{Distribution, Expr};
use rug::Float;

use crate::NumericError;
use crate::envelope::{Double, Envelope};
use crate::program::Program;
use crate::quad::{Components, Estimate, Piece, Quadrature, Segment, SharedEstimate, Table};
use crate::support::upper_end;

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
    /// The breakpoints of a piecewise `F` inside the support, increasing: every integral is
    /// split there.
    kinks: Vec<Float>,
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
        let kinks: Vec<Float> = dist
            .breakpoints()
            .iter()
            .map(|t| Float::with_val(prec, crate::program::to_rug(t)))
            .collect();
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
            // The layer's series is that of the last piece; quadrature, split at the
            // breakpoints, needs no assumption on where the layer starts.
            layer_series: kinks.is_empty(),
            kinks,
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
        kinks: &[Float],
        scale: &Float,
    ) -> Result<Estimate, NumericError> {
        let (segments, components) = crate::quad::single(lo, hi, kinks, scale);
        let est = Engine::run_shared(
            quad,
            mode,
            |x, _, out| out[0] = g(x),
            &segments,
            &components,
        )?;
        Ok(est.sum(0, |_| true))
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
        let kinks = &self.kinks;
        Engine::run(
            quad,
            &mut self.mode,
            |x| g(cdf, density, x),
            lo,
            hi,
            kinks,
            &scale,
        )
    }
}

#[cfg(test)]
mod tests {
    use rug::Integer;

    use crate::testing::engine;

    use super::*;

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
                .all(|piece| matches!(piece.method, crate::quad::Method::Bounded { .. }));
            assert_eq!(bounded, entire, "{cdf}");
        }
    }
}

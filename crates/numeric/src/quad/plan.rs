//! The plan of an integration: the pieces a run accepted and how it integrated each, so that the
//! same integral can be replayed at another working precision.
//!
//! Digits are certified by computing every quantity at two working precisions
//! ([`crate::certified`]). The coarser run finds the subdivision
//! ([`Quadrature::integrate_shared`], [`Quadrature::integrate_analytic`]) and records it; the
//! finer run replays it ([`Quadrature::replay_shared`]): the same rule on the same pieces, so the
//! two runs differ by rounding alone and their agreement measures it. The truncation error bound
//! is the recorded run's, reported alongside.
//!
//! A piece is stored as fractions of its segment, so that a replay maps it onto segments whose
//! ends are the same points at another precision.

use rug::Float;

use super::Quadrature;
use super::gauss_legendre::gauss_legendre;
use super::shared::{Scratch, Segment, Table};
use super::tanh_sinh::tanh_sinh;
use crate::NumericError;

/// How a piece was integrated, and so how a replay integrates it again.
#[derive(Clone, Debug)]
pub enum Method {
    /// Gauss-Legendre of this degree on the whole piece, its truncation error bounded a priori
    /// ([`Quadrature::integrate_analytic`]).
    Bounded {
        /// Degree of the rule.
        degree: usize,
    },
    /// Gauss-Legendre of the quadrature's degree on the piece's two halves: the value the
    /// adaptive test accepted ([`Quadrature::integrate_shared`]).
    Halves,
    /// tanh-sinh, each active component to its own absolute tolerance.
    TanhSinh {
        /// One tolerance per component.
        tolerances: Vec<Float>,
    },
}

/// A piece of an integration range accepted by an integrator, as fractions of its segment, and
/// the method that integrated it.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The segment the piece belongs to (see [`Segment`]).
    pub segment: usize,
    /// Start, as a fraction of the segment.
    pub lo: Float,
    /// End, as a fraction of the segment.
    pub hi: Float,
    /// How the piece was integrated.
    pub method: Method,
}

impl Quadrature {
    /// A shared integration ([`Quadrature::integrate_shared`]) on the pieces a recorded run
    /// accepted, mapped onto these segments: `value[s][c]`. `noise` is the recorded run's
    /// [`Components::noise`](super::Components::noise).
    pub fn replay_shared<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        noise: &[i32],
        pieces: &[Piece],
    ) -> Result<Table, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        let prec = self.prec;
        let width = noise.len();
        let rule = gauss_legendre(self.degree, prec);
        let mut table: Table = segments
            .iter()
            .map(|_| vec![Float::new(prec); width])
            .collect();
        let mut scratch = Scratch::new(prec, width);
        let mut count = 0usize;
        for piece in pieces {
            let seg = segments
                .get(piece.segment)
                .ok_or_else(|| NumericError::NotConverged {
                    what: "a replayed integral (its plan names a segment it does not have)".into(),
                })?;
            let active = &seg.active;
            let length = Float::with_val(prec, &seg.hi - &seg.lo);
            let at =
                |t: &Float| Float::with_val(prec, &seg.lo + Float::with_val(prec, &length * t));
            let (l, r) = (at(&piece.lo), at(&piece.hi));
            match &piece.method {
                Method::TanhSinh { tolerances } => {
                    for c in (0..width).filter(|&c| active[c]) {
                        let est = tanh_sinh(
                            &mut |x: &Float| scratch.point(&mut f, active, x, c),
                            &l,
                            &r,
                            &tolerances[c],
                            prec,
                            self.noise_bits + noise[c],
                            &mut count,
                            self.max_evaluations,
                        )?;
                        table[piece.segment][c] += est.value;
                    }
                }
                Method::Bounded { degree } => {
                    let rule = gauss_legendre(*degree, prec);
                    let whole = self.apply(&rule, &mut f, active, &l, &r, &mut scratch);
                    for c in (0..width).filter(|&c| active[c]) {
                        table[piece.segment][c] += &whole[c];
                    }
                }
                Method::Halves => {
                    let mid = Float::with_val(prec, &l + &r) / 2u32;
                    for half in [
                        self.apply(&rule, &mut f, active, &l, &mid, &mut scratch),
                        self.apply(&rule, &mut f, active, &mid, &r, &mut scratch),
                    ] {
                        for c in (0..width).filter(|&c| active[c]) {
                            table[piece.segment][c] += &half[c];
                        }
                    }
                }
            }
        }
        Ok(table)
    }
}

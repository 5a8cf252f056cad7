//! Adaptive subdivision with Gauss-Legendre rules, for integrands of any smoothness.
//!
//! **Method.** Each segment starts as one piece, integrated by the `n`-point rule `Q`. A piece
//! `P = [l, r]` with halves `P_1`, `P_2` is accepted when, for every active component `c`,
//!
//! `|Q(P_1) + Q(P_2) - Q(P)| <= max(eps_c |r - l|, 2^(noise_c - prec) |Q(P_1) + Q(P_2)|)`,
//!
//! where `eps_c` is the component's tolerance per unit length (relative tolerance
//! `2^-tolerance_bits` times the larger of the component's magnitude on the initial rules and its
//! scale, over its total length) and the second term is the floor set by rounding. An accepted
//! piece contributes `Q(P_1) + Q(P_2)`; otherwise both halves are refined. A piece that still
//! fails after `max_depth` bisections, or after `ENDPOINT_DEPTH` (8) bisections at an end of its
//! segment (where an endpoint singularity makes bisection converge only geometrically), goes to
//! tanh-sinh (`super::tanh_sinh`) component by component, each to its share of the tolerance.
//!
//! **Error.** The reported bound of a component is the sum over accepted pieces of
//! `|Q(P_1) + Q(P_2) - Q(P)|` (plus tanh-sinh's estimates). For an integrand analytic near the
//! piece, the error of the halves is smaller than that of the whole by about `2^(2n)`, so the
//! difference bounds the error of the accepted value with a wide margin; it is an estimate, not a
//! rigorous bound (an integrand may deceive any rule that samples it at finitely many points).
//! The sum of the bounds is at most the tolerance, `2^-tolerance_bits` relative. An integrand
//! that is not finite at a node, or more than `max_evaluations` evaluations, is
//! [`NumericError::NotConverged`].
//!
//! Source: the classical adaptive scheme (R. Piessens et al., *QUADPACK*, Springer 1983), with the
//! difference of a rule on a piece and on its halves as the local error estimate (Gander and
//! Gautschi, "Adaptive quadrature - revisited", BIT 40 (2000)).

use rug::Float;

use super::Quadrature;
use super::gauss_legendre::gauss_legendre;
use super::plan::{Method, Piece};
use super::shared::{Components, Scratch, Segment, SharedEstimate, Table};
use super::tanh_sinh::tanh_sinh;
use crate::NumericError;

/// Bisections toward an end of the interval after which the end piece goes to tanh-sinh (an
/// endpoint singularity makes bisection converge only geometrically there).
const ENDPOINT_DEPTH: u32 = 8;

/// A piece waiting to be refined: its segment, ends, the rule's values on it and its depth.
struct Pending {
    segment: usize,
    lo: Float,
    hi: Float,
    values: Vec<Float>,
    depth: u32,
}

impl Quadrature {
    /// The integrals of every component of a vector integrand over every segment, adaptively,
    /// recording the accepted pieces (for [`Quadrature::replay_shared`]).
    ///
    /// `f(x, active, out)` writes the active components of the integrand at `x` into `out`. Each
    /// component is integrated to relative tolerance `2^-tolerance_bits` of its total over the
    /// segments where it is active (or of its scale, when larger); a piece is accepted when the
    /// rule on it agrees with the rule on its halves for every active component, and the
    /// differences are the error bounds.
    pub fn integrate_shared<F>(
        &self,
        mut f: F,
        segments: &[Segment],
        components: &Components,
        pieces: &mut Vec<Piece>,
    ) -> Result<SharedEstimate, NumericError>
    where
        F: FnMut(&Float, &[bool], &mut [Float]),
    {
        let prec = self.prec;
        let width = components.scales.len();
        let zeros = || vec![Float::new(prec); width];
        let mut value: Table = segments.iter().map(|_| zeros()).collect();
        let mut error: Table = segments.iter().map(|_| zeros()).collect();
        let rule = gauss_legendre(self.degree, prec);
        let mut scratch = Scratch::new(prec, width);
        let mut evaluations = 0usize;
        // The rule on each whole segment: the stack of pieces to refine, and each component's
        // magnitude and total length, from which its tolerance per unit length follows.
        let mut stack = Vec::with_capacity(2 * segments.len());
        let mut magnitude = zeros();
        let mut length = zeros();
        for (s, seg) in segments.iter().enumerate() {
            if seg.lo == seg.hi {
                continue;
            }
            let whole = self.apply(&rule, &mut f, &seg.active, &seg.lo, &seg.hi, &mut scratch);
            evaluations += rule.nodes.len();
            let span = Float::with_val(prec, &seg.hi - &seg.lo);
            for c in (0..width).filter(|&c| seg.active[c]) {
                magnitude[c] += &whole[c];
                length[c] += &span;
            }
            stack.push(Pending {
                segment: s,
                lo: seg.lo.clone(),
                hi: seg.hi.clone(),
                values: whole,
                depth: 0,
            });
        }
        stack.reverse();
        let epsilon = Float::with_val(prec, Float::i_exp(1, -(self.tolerance_bits as i32)));
        // Tolerance per unit length of each component.
        let density: Vec<Float> = (0..width)
            .map(|c| {
                if length[c].is_zero() {
                    return Float::new(prec);
                }
                let m = Float::with_val(prec, magnitude[c].abs_ref()).max(&components.scales[c]);
                Float::with_val(prec, &m * &epsilon) / &length[c]
            })
            .collect();
        let floors: Vec<Float> = components
            .noise
            .iter()
            .map(|n| Float::with_val(prec, Float::i_exp(1, -(prec as i32) + self.noise_bits + n)))
            .collect();
        while let Some(Pending {
            segment: s,
            lo: l,
            hi: r,
            values,
            depth,
        }) = stack.pop()
        {
            let seg = &segments[s];
            let active = &seg.active;
            let mid = Float::with_val(prec, &l + &r) / 2u32;
            let left = self.apply(&rule, &mut f, active, &l, &mid, &mut scratch);
            let right = self.apply(&rule, &mut f, active, &mid, &r, &mut scratch);
            evaluations += 2 * rule.nodes.len();
            let span = Float::with_val(prec, &r - &l);
            let mut accepted = true;
            let mut diffs = zeros();
            let mut shares = zeros();
            for c in (0..width).filter(|&c| active[c]) {
                let halves = Float::with_val(prec, &left[c] + &right[c]);
                let diff = Float::with_val(prec, &halves - &values[c]).abs();
                if !diff.is_finite() || !halves.is_finite() {
                    return Err(NumericError::NotConverged {
                        what: format!(
                            "an integral (the integrand is not finite near {})",
                            mid.to_f64()
                        ),
                    });
                }
                // Rounding noise of the rule sets a floor under the tolerance: a few bits above
                // 2^-prec relative to the piece itself.
                let floor = Float::with_val(prec, &halves * &floors[c]).abs();
                let share = Float::with_val(prec, &density[c] * &span).max(&floor);
                accepted &= diff <= share;
                diffs[c] = diff;
                shares[c] = share;
            }
            let length = Float::with_val(prec, &seg.hi - &seg.lo);
            let fraction =
                |x: &Float| Float::with_val(prec, Float::with_val(prec, x - &seg.lo) / &length);
            if accepted {
                for c in (0..width).filter(|&c| active[c]) {
                    value[s][c] += &left[c];
                    value[s][c] += &right[c];
                    error[s][c] += &diffs[c];
                }
                pieces.push(Piece {
                    segment: s,
                    lo: fraction(&l),
                    hi: fraction(&r),
                    method: Method::Halves,
                });
            } else if depth >= self.max_depth
                || (depth >= ENDPOINT_DEPTH && (l == seg.lo || r == seg.hi))
            {
                // Each component on its own, to its own tolerance.
                for c in (0..width).filter(|&c| active[c]) {
                    let piece = tanh_sinh(
                        &mut |x: &Float| scratch.point(&mut f, active, x, c),
                        &l,
                        &r,
                        &shares[c],
                        prec,
                        self.noise_bits + components.noise[c],
                        &mut evaluations,
                        self.max_evaluations,
                    )?;
                    value[s][c] += &piece.value;
                    error[s][c] += &piece.error;
                }
                pieces.push(Piece {
                    segment: s,
                    lo: fraction(&l),
                    hi: fraction(&r),
                    method: Method::TanhSinh { tolerances: shares },
                });
            } else {
                stack.push(Pending {
                    segment: s,
                    lo: mid.clone(),
                    hi: r,
                    values: right,
                    depth: depth + 1,
                });
                stack.push(Pending {
                    segment: s,
                    lo: l,
                    hi: mid,
                    values: left,
                    depth: depth + 1,
                });
            }
            if evaluations > self.max_evaluations {
                return Err(NumericError::NotConverged {
                    what: format!(
                        "an integral over [{}, {}] within {} evaluations",
                        seg.lo.to_f64(),
                        seg.hi.to_f64(),
                        self.max_evaluations
                    ),
                });
            }
        }
        Ok(SharedEstimate { value, error })
    }
}

#[cfg(test)]
mod tests {
    use rug::float::Constant;

    use super::*;

    fn f(prec: u32, v: f64) -> Float {
        Float::with_val(prec, v)
    }

    #[test]
    fn smooth_integrals_to_100_digits() {
        let prec = 360;
        let q = Quadrature::new(prec);
        // ∫_0^{pi} sin = 2
        let pi = Float::with_val(prec, Constant::Pi);
        let r = q
            .integrate(|x| x.clone().sin(), &f(prec, 0.0), &pi, &f(prec, 1.0))
            .unwrap();
        let err = Float::with_val(prec, &r.value - 2u32).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -340)), "{err}");
        // ∫_0^1 exp(-1000 x) = (1 - e^-1000)/1000: a boundary layer.
        let r = q
            .integrate(
                |x| Float::with_val(prec, x * -1000i32).exp(),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1e-3),
            )
            .unwrap();
        let exact = Float::with_val(prec, 1u32 - Float::with_val(prec, -1000i32).exp()) / 1000u32;
        let rel = Float::with_val(prec, Float::with_val(prec, &r.value - &exact) / &exact).abs();
        assert!(rel < Float::with_val(64, Float::i_exp(1, -340)), "{rel}");
    }

    #[test]
    fn endpoint_singularities_go_to_tanh_sinh() {
        let prec = 200;
        let q = Quadrature::new(prec);
        // ∫_0^1 x^(-1/2) dx = 2 and ∫_0^1 sqrt(x) log(x) dx = -4/9.
        let r = q
            .integrate(
                |x| x.clone().sqrt().recip(),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1.0),
            )
            .unwrap();
        let err = Float::with_val(prec, &r.value - 2u32).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -180)), "{err}");
        let r = q
            .integrate(
                |x| Float::with_val(prec, x.clone().sqrt() * x.clone().ln()),
                &f(prec, 0.0),
                &f(prec, 1.0),
                &f(prec, 1.0),
            )
            .unwrap();
        let exact = Float::with_val(prec, -4i32) / 9u32;
        let err = Float::with_val(prec, &r.value - &exact).abs();
        assert!(err < Float::with_val(64, Float::i_exp(1, -180)), "{err}");
    }

    #[test]
    fn a_divergent_integral_is_an_error() {
        let prec = 100;
        let q = Quadrature {
            max_evaluations: 200_000,
            ..Quadrature::new(prec)
        };
        let r = q.integrate(
            |x| x.clone().recip(),
            &f(prec, 0.0),
            &f(prec, 1.0),
            &f(prec, 1.0),
        );
        assert!(matches!(r, Err(NumericError::NotConverged { .. })), "{r:?}");
    }
}

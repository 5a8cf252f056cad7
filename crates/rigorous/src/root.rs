//! Roots enclosed and proved unique by the interval Newton method.
//!
//! **Theorem** (R. E. Moore, *Interval Analysis*, 1966; A. Neumaier, *Interval Methods for
//! Systems of Equations*, 1990, Thm. 5.1.7). Let `g` be continuously differentiable on the
//! interval `X`, `m` a point of `X`, and `G'` an enclosure of `g'` on `X` that does not contain
//! zero. If `N(X) = m - g(m) / G'` lies in the interior of `X`, then `X` contains exactly one
//! root of `g`, and it lies in `N(X)`.
//!
//! The starting point comes from the fast engine (a guess: nothing rests on it). The ball `X`
//! around it is widened until the theorem applies, then `N(X) ∩ X` is iterated while it shrinks.
//! Where `g'` may vanish on every candidate `X` (a root at a zero of the density), existence is
//! proved instead by a sign change of the monotone `g` at the ends of `X`: the root set of a
//! non-decreasing function is then an interval inside `X`, and every digit `X` proves holds for
//! each of its points.

use efftrade_arb::{Arb, Prec};
use rug::Float;

/// How a root's enclosure was proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootProof {
    /// Interval Newton: exactly one root in the ball.
    Unique,
    /// A sign change of a non-decreasing function: the roots form an interval inside the ball.
    SignChange,
    /// The root is an exact number (an end of the support).
    Exact,
}

/// A ball holding a root, and how that was proved.
#[derive(Clone, Debug)]
pub struct Root {
    /// The enclosure.
    pub ball: Arb,
    /// The proof.
    pub proof: RootProof,
}

/// The root of `g` near `guess`, inside `[lo, hi]`, for `g` non-decreasing there: `g` and its
/// derivative `dg` are evaluated on real balls. `None` when neither proof succeeds at `prec` bits.
pub fn enclose_root(
    mut g: impl FnMut(&Arb) -> Arb,
    mut dg: impl FnMut(&Arb) -> Arb,
    guess: &Float,
    lo: &Float,
    hi: &Float,
    prec: Prec,
) -> Option<Root> {
    let bracket = Arb::from_interval(lo, hi, prec);
    let scale = Float::with_val(64, guess.abs_ref()).max(&Float::with_val(64, hi - lo));
    // Start a little wider than the working precision resolves.
    let mut radius = Float::with_val(64, &scale >> (prec as i32 - 24).max(8));
    let center = Arb::from_float(guess);
    for _ in 0..24 {
        let r = Arb::from_float(&radius);
        let x = center
            .add_error(&r)
            .intersection(&bracket, prec)
            .unwrap_or_else(|| bracket.clone());
        if let Some(root) = newton(&mut g, &mut dg, &x, prec) {
            return Some(root);
        }
        if let Some(root) = sign_change(&mut g, &x, prec) {
            return Some(root);
        }
        radius <<= 6;
    }
    None
}

/// The interval Newton test on `x`, then its iteration while the ball shrinks.
fn newton(
    g: &mut impl FnMut(&Arb) -> Arb,
    dg: &mut impl FnMut(&Arb) -> Arb,
    x: &Arb,
    prec: Prec,
) -> Option<Root> {
    let step = |x: &Arb, g: &mut dyn FnMut(&Arb) -> Arb, dg: &mut dyn FnMut(&Arb) -> Arb| {
        let slope = dg(x);
        if !slope.is_finite() || slope.contains_zero() {
            return None;
        }
        let m = x.mid();
        let n = m.sub(&g(&m).div(&slope, prec), prec);
        n.is_finite().then_some(n)
    };
    let n = step(x, g, dg)?;
    if !strictly_inside(&n, x) {
        return None;
    }
    let mut best = n;
    for _ in 0..8 {
        let Some(next) = step(&best, g, dg) else {
            break;
        };
        let Some(next) = next.intersection(&best, prec) else {
            break;
        };
        if next.rel_accuracy_bits() <= best.rel_accuracy_bits() {
            break;
        }
        best = next;
    }
    Some(Root {
        ball: best,
        proof: RootProof::Unique,
    })
}

/// Whether every point of `inner` lies strictly inside `outer`.
fn strictly_inside(inner: &Arb, outer: &Arb) -> bool {
    match (inner.bounds(), outer.bounds()) {
        (Some((a, b)), Some((c, d))) => a > c && b < d,
        _ => false,
    }
}

/// Existence by a sign change of the non-decreasing `g` at the ends of `x`, each tested on an
/// exact point: `g < 0` at the lower end and `g > 0` at the upper end.
fn sign_change(g: &mut impl FnMut(&Arb) -> Arb, x: &Arb, prec: Prec) -> Option<Root> {
    let (a, b) = x.bounds()?;
    let (a, b) = (Arb::from_float(&a), Arb::from_float(&b));
    (g(&a).is_negative() && g(&b).is_positive()).then(|| Root {
        ball: a.union(&b, prec),
        proof: RootProof::SignChange,
    })
}

//! T1, T2, beta*, Theorem 1's left-hand side and the verdict, each a ball.
//!
//! The one-dimensional forms of [`efftrade_numeric::quantities`] (Lemma 2 for `T2`; (T1) by
//! integration by parts), in ball arithmetic:
//! `mu = b - I_1`, `E[max] = b - I_N`, `T2 = I_N - I_1`,
//! `T1 = b - Σ k r v* - Σ k J + (N - 1) I_N` with `J = ∫_{v*}^b F^(N-1)`,
//! `beta* = -N T1 / (T1 + T2)` and `(1 + beta/N) T1 + (beta/N) T2` ((T1-1)).
//!
//! **Guarantee.** Every ball contains the exact quantity of the market (the spec's `F` on its
//! support): each operation is Arb's, each integral Arb's rigorous integrator, each root proved
//! by interval Newton or a sign change ([`crate::root`]), and the part of an integral below the
//! boundary layer bounded using that `F` is non-decreasing, which validation proved. The digits
//! printed are those on which both ends of the ball agree ([`Certified::from_ball`]). A verdict
//! is given only when the ball of its quantity excludes zero; otherwise the precision is raised,
//! up to a limit, and then the verdict is undecided with the reason.

use efftrade_arb::Arb;
use efftrade_model::{BigRational, Distribution, Market};
use efftrade_numeric::certified::Certified;
use efftrade_numeric::quantities::{Solution, Verdict};
use rug::Integer;

use crate::RigorousError;
use crate::ball::rational_ball;
use crate::engine::BallEngine;
use crate::root::RootProof;

/// A quantity's ball, by name, for the JSON key `balls`.
#[derive(Clone, Debug)]
pub struct NamedBall {
    /// The quantity's key in the output (`t1`, `beta_star`, `critical[0]`, ...).
    pub name: String,
    /// The ball.
    pub ball: Arb,
}

/// The market's quantities proved by ball arithmetic.
#[derive(Clone, Debug)]
pub struct BallSolution {
    /// The certified digits of each quantity (provenance: a rigorous ball), in the layout of the
    /// fast engine's solution; `digits` is the fewest any of them has.
    pub solution: Solution,
    /// Each printed quantity's ball.
    pub balls: Vec<NamedBall>,
    /// How each critical type was proved.
    pub root_proofs: Vec<RootProof>,
    /// Why a verdict or a digit asked for is missing, when one is.
    pub undecided: Option<String>,
}

/// Raise the precision this many times (by half each time) before giving up on a verdict.
const RAISES: u32 = 5;

/// The quantities of `market` as balls, to `digits` digits where the balls prove them.
pub fn solve(
    dist: &Distribution,
    market: &Market,
    beta: Option<&BigRational>,
    digits: u32,
) -> Result<BallSolution, RigorousError> {
    let n = market.n();
    let start = i64::from(efftrade_numeric::quantities::working_precision(digits, n)) + 32;
    let mut prec = start;
    let mut last = None;
    for _ in 0..=RAISES {
        let solved = at_precision(dist, market, beta, digits, prec)?;
        if solved.undecided.is_none() {
            return Ok(solved);
        }
        last = Some(solved);
        prec += prec / 2;
    }
    Ok(last.expect("at least one attempt"))
}

/// One attempt at `prec` bits.
fn at_precision(
    dist: &Distribution,
    market: &Market,
    beta: Option<&BigRational>,
    digits: u32,
    prec: i64,
) -> Result<BallSolution, RigorousError> {
    let mut e = BallEngine::new(dist, prec)?;
    let n = market.n();
    let big_n = Integer::from(n);
    let b = e.b.ball.clone();
    let mut roots = Vec::new();
    for class in market.classes() {
        roots.push(e.critical_type(class.share(), n)?);
    }
    let a = e.a.clone();
    let i1 = e.power_integral(&Integer::from(1), &a)?;
    let i_n = e.power_integral(&big_n, &a)?;
    let mut t1 = b.clone();
    for (class, root) in market.classes().iter().zip(&roots) {
        let k = Integer::from(class.count());
        let r = rational_ball(class.share(), prec);
        let j = e.power_integral(&Integer::from(n - 1), &root.ball)?;
        t1 = t1.sub(&r.mul(&root.ball, prec).mul_integer(&k, prec), prec);
        t1 = t1.sub(&j.mul_integer(&k, prec), prec);
    }
    t1 = t1.add(&i_n.mul_integer(&Integer::from(n - 1), prec), prec);
    let mu = b.sub(&i1, prec);
    let e_max = b.sub(&i_n, prec);
    let t2 = i_n.sub(&i1, prec);

    let mut balls = vec![
        named("mu", &mu),
        named("e_max", &e_max),
        named("t1", &t1),
        named("t2", &t2),
    ];
    let mut undecided = None;
    let sign_known = t1.is_positive() || t1.is_negative() || (t1.is_exact() && t1.contains_zero());
    if !sign_known {
        undecided = Some(format!(
            "the sign of T1 is not decided: its ball {} contains 0",
            t1.to_arb_string(10)
        ));
    }
    let nonnegative = t1.is_nonnegative();
    let star = (sign_known && nonnegative).then(|| {
        let sum = t1.add(&t2, prec);
        t1.neg().mul_integer(&big_n, prec).div(&sum, prec)
    });
    if let Some(s) = &star {
        balls.push(named("beta_star", s));
    }
    let lhs = beta.map(|beta| {
        let bn = rational_ball(beta, prec).div_integer(&big_n, prec);
        let one = Arb::from_i64(1);
        one.add(&bn, prec)
            .mul(&t1, prec)
            .add(&bn.mul(&t2, prec), prec)
    });
    let efficient = lhs.as_ref().and_then(|l| {
        if l.is_nonnegative() {
            Some(true)
        } else if l.is_negative() {
            Some(false)
        } else {
            undecided.get_or_insert_with(|| {
                format!(
                    "Theorem 1's left-hand side is not decided: its ball {} contains 0",
                    l.to_arb_string(10)
                )
            });
            None
        }
    });
    if let Some(l) = &lhs {
        balls.push(named("lhs", l));
    }
    for (i, root) in roots.iter().enumerate() {
        balls.push(named(&format!("critical[{i}]"), &root.ball));
    }
    let cert = |x: &Arb| certified(x, digits);
    let critical: Vec<Certified> = roots.iter().map(|r| cert(&r.ball)).collect();
    let (mu_c, e_max_c, t1_c, t2_c) = (cert(&mu), cert(&e_max), cert(&t1), cert(&t2));
    let star_c = star.as_ref().map(cert);
    let lhs_c = lhs.as_ref().map(cert);
    let least = [&mu_c, &e_max_c, &t1_c, &t2_c]
        .into_iter()
        .chain(star_c.iter())
        .chain(critical.iter())
        .chain(lhs_c.iter().filter(|_| efficient.is_some()))
        .map(Certified::digits)
        .min()
        .unwrap_or(0);
    if least < digits && undecided.is_none() {
        undecided = Some(format!(
            "only {least} of the {digits} digits asked for are proved at {prec} bits"
        ));
    }
    let solution = Solution {
        mu: mu_c,
        e_max: e_max_c,
        t1: t1_c,
        t2: t2_c,
        beta_star: star_c,
        critical,
        lhs: lhs_c,
        efficient,
        verdict: if !sign_known {
            Verdict::Undecided
        } else if nonnegative {
            Verdict::EfficientUpTo
        } else {
            Verdict::NoBeta
        },
        digits: least.min(digits),
        prec: u32::try_from(prec).unwrap_or(u32::MAX),
    };
    Ok(BallSolution {
        solution,
        balls,
        root_proofs: roots.iter().map(|r| r.proof).collect(),
        undecided,
    })
}

fn named(name: &str, ball: &Arb) -> NamedBall {
    NamedBall {
        name: name.to_string(),
        ball: ball.clone(),
    }
}

/// The digits of `x` that its ball proves, at most `digits`.
pub fn certified(x: &Arb, digits: u32) -> Certified {
    match (x.mid_float(), x.bounds()) {
        (Some(mid), Some((lo, hi))) => Certified::from_ball(mid, &lo, &hi, digits),
        _ => Certified::from_ball(
            rug::Float::with_val(2, rug::float::Special::Nan),
            &rug::Float::with_val(2, rug::float::Special::Nan),
            &rug::Float::with_val(2, rug::float::Special::Nan),
            digits,
        ),
    }
}

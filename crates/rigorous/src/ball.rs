//! Complex balls as a scalar of the expression core, and expressions compiled for them.
//!
//! [`Ball`] implements the core's [`Scalar`] over Arb's complex balls, so that a CDF written in
//! the spec's grammar is evaluated on a ball with a result that encloses the function's value
//! at every point of the ball. This is the holomorphic extension of `F` that Arb's integrator
//! needs ([`efftrade_arb::integrate`]): with [`BallContext::analytic`] set, every function with a
//! branch cut (`log`, `sqrt`, real powers, the incomplete beta and gamma functions) returns a
//! non-finite ball when its argument meets the cut, so a finite result also proves the function
//! holomorphic on the ball.
//!
//! A piecewise function (the spec's `piecewise` and `empirical` CDFs) is evaluated on the piece
//! that holds the ball's real part; a ball that meets a breakpoint gets the union of the pieces
//! it meets when holomorphy is not asked, and a non-finite value when it is (a kink is not
//! holomorphic). Integrals split at the breakpoints and set [`BallContext::piece_at`] to the
//! segment being integrated, so that each segment sees the holomorphic extension of its own
//! piece.

use efftrade_arb::{Acb, Arb, Prec};
use efftrade_model::expr::{Code, DomainError, Scalar, Shapes};
use efftrade_model::{BigRational, BinOp, Constant, Expr, Func};
use rug::Integer;

/// A complex ball, as a scalar of the expression core, with the working precision and the
/// holomorphy flag of the evaluation it belongs to (the core's arithmetic takes no context, so
/// the operands carry it).
#[derive(Clone, Debug)]
pub struct Ball {
    /// The value.
    pub z: Acb,
    prec: Prec,
    analytic: bool,
}

impl Ball {
    fn new(z: Acb, cx: &BallContext) -> Ball {
        Ball {
            z,
            prec: cx.prec,
            analytic: cx.analytic,
        }
    }

    /// The precision and holomorphy flag of an operation on `self` and `other`.
    fn join(&mut self, other: &Ball) -> (Prec, bool) {
        self.prec = self.prec.max(other.prec);
        self.analytic |= other.analytic;
        (self.prec, self.analytic)
    }
}

/// What evaluating on balls needs besides the operands.
#[derive(Clone, Debug)]
pub struct BallContext {
    /// Working precision in bits.
    pub prec: Prec,
    /// Whether functions must be holomorphic on their argument (see the module documentation).
    pub analytic: bool,
    /// A point strictly inside the segment being integrated: a piecewise function is then
    /// evaluated on the piece holding it, whatever the ball.
    pub piece_at: Option<BigRational>,
}

impl BallContext {
    /// Evaluation at `prec` bits, holomorphy not asked, pieces located by the argument.
    pub fn new(prec: Prec) -> BallContext {
        BallContext {
            prec,
            analytic: false,
            piece_at: None,
        }
    }
}

/// The exact rational `q` as a real ball at `prec` bits.
pub fn rational_ball(q: &BigRational, prec: Prec) -> Arb {
    let parse = |s: String| s.parse::<Integer>().expect("a BigInt prints as an integer");
    Arb::from_ratio(
        &parse(q.numer().to_string()),
        &parse(q.denom().to_string()),
        prec,
    )
}

fn real(x: Arb, cx: &BallContext) -> Ball {
    Ball::new(Acb::from_real(&x), cx)
}

fn finite(b: &Ball) -> Result<(), DomainError> {
    if b.z.is_finite() {
        Ok(())
    } else {
        Err(DomainError::Unrepresentable)
    }
}

impl Scalar<BallContext> for Ball {
    fn rational(q: &BigRational, cx: &BallContext) -> Ball {
        real(rational_ball(q, cx.prec), cx)
    }

    fn constant(c: Constant, cx: &BallContext) -> Result<Ball, DomainError> {
        let value = match c {
            Constant::Pi => Arb::pi(cx.prec),
            Constant::E => Arb::e(cx.prec),
        };
        Ok(real(value, cx))
    }

    fn negate(&mut self) -> Result<(), DomainError> {
        self.z.neg_assign();
        Ok(())
    }

    /// Arithmetic on balls; `Pow` is the principal branch, which is not holomorphic where the
    /// base meets the negative real axis (an exact integer exponent is compiled to
    /// [`Scalar::pow_int`] instead).
    fn binary(&mut self, op: BinOp, rhs: &Ball) -> Result<(), DomainError> {
        let (prec, analytic) = self.join(rhs);
        match op {
            BinOp::Add => self.z.add_assign(&rhs.z, prec),
            BinOp::Sub => self.z.sub_assign(&rhs.z, prec),
            BinOp::Mul => self.z.mul_assign(&rhs.z, prec),
            BinOp::Div => self.z.div_assign(&rhs.z, prec),
            BinOp::Pow => self.z.pow_assign(&rhs.z, analytic, prec),
        }
        finite(self)
    }

    fn binary_from(&mut self, op: BinOp, lhs: &Ball) -> Result<(), DomainError> {
        let (prec, analytic) = self.join(lhs);
        match op {
            BinOp::Add => self.z.add_assign(&lhs.z, prec),
            BinOp::Sub => self.z.sub_from(&lhs.z, prec),
            BinOp::Mul => self.z.mul_assign(&lhs.z, prec),
            BinOp::Div => self.z.div_from(&lhs.z, prec),
            BinOp::Pow => self.z.pow_from(&lhs.z, analytic, prec),
        }
        finite(self)
    }

    fn pow_int(&mut self, k: i32) -> Result<(), DomainError> {
        self.z.pow_si(i64::from(k), self.prec);
        finite(self)
    }

    fn call(&mut self, f: &Func, cx: &mut BallContext) -> Result<(), DomainError> {
        let (prec, analytic) = (cx.prec, cx.analytic);
        let z = &mut self.z;
        match f {
            Func::Sin => z.sin(prec),
            Func::Cos => z.cos(prec),
            Func::Tan => z.tan(prec),
            Func::Exp => z.exp(prec),
            Func::Log => z.log(analytic, prec),
            Func::Sqrt => z.sqrt(analytic, prec),
            Func::Erf => z.erf(prec),
            Func::Erfc => z.erfc(prec),
            Func::BetaInc(s) => {
                let (p, q) = (shape(s, 0, prec), shape(s, 1, prec));
                z.betainc(&p, &q, analytic, prec);
            }
            Func::GammaInc(s) => z.gammainc(&shape(s, 0, prec), analytic, prec),
            Func::BetaPdf(s) => betapdf(z, s, analytic, prec),
            Func::GammaPdf(s) => gammapdf(z, s, analytic, prec),
            Func::Piecewise(p) => {
                let value = piecewise(self, p, cx)?;
                *self = value;
            }
        }
        finite(self)
    }
}

/// Parameter `i` of a special function as a ball.
fn shape(s: &Shapes, i: usize, prec: Prec) -> Acb {
    Acb::from_real(&rational_ball(&s.exact()[i], prec))
}

/// `z^e` for an exact rational exponent `e`: an integer power when `e` is an integer (entire),
/// else the principal branch.
fn power(z: &Acb, e: &BigRational, analytic: bool, prec: Prec) -> Acb {
    let mut out = z.clone();
    match efftrade_model::expr::special::small_int(e) {
        Some(k) => out.pow_si(i64::from(k), prec),
        None => out.pow_assign(&Acb::from_real(&rational_ball(e, prec)), analytic, prec),
    }
    out
}

/// The beta density `z^(p-1) (1-z)^(q-1) / B(p, q)`.
fn betapdf(z: &mut Acb, s: &Shapes, analytic: bool, prec: Prec) {
    let one = Acb::from_real(&Arb::from_i64(1));
    let mut w = one.clone();
    w.sub_assign(z, prec);
    let mut value = power(z, &s.minus_one(0), analytic, prec);
    value.mul_assign(&power(&w, &s.minus_one(1), analytic, prec), prec);
    // 1 / B(p, q) = Gamma(p + q) / (Gamma(p) Gamma(q)).
    let (p, q) = (shape(s, 0, prec), shape(s, 1, prec));
    let mut pq = p.clone();
    pq.add_assign(&q, prec);
    pq.gamma(prec);
    let (mut gp, mut gq) = (p, q);
    gp.gamma(prec);
    gq.gamma(prec);
    value.mul_assign(&pq, prec);
    value.div_assign(&gp, prec);
    value.div_assign(&gq, prec);
    *z = value;
}

/// The gamma density `z^(s-1) e^(-z) / Gamma(s)`.
fn gammapdf(z: &mut Acb, s: &Shapes, analytic: bool, prec: Prec) {
    let mut value = power(z, &s.minus_one(0), analytic, prec);
    let mut e = z.clone();
    e.neg_assign();
    e.exp(prec);
    value.mul_assign(&e, prec);
    let mut g = shape(s, 0, prec);
    g.gamma(prec);
    value.div_assign(&g, prec);
    *z = value;
}

/// A piecewise function on a ball (see the module documentation).
fn piecewise(
    u: &Ball,
    p: &efftrade_model::expr::Pieces,
    cx: &mut BallContext,
) -> Result<Ball, DomainError> {
    let breaks = p.breaks();
    if let Some(at) = cx.piece_at.clone() {
        let i = p.index(|k| at >= breaks[k]);
        return p.pieces()[i].eval(u, cx).map_err(|e| e.fault);
    }
    let Some((lo, hi)) = u.z.real().bounds() else {
        return Err(DomainError::Unrepresentable);
    };
    let rational = |k: usize| efftrade_numeric::program::to_rug(&breaks[k]);
    // The pieces holding the ends of the ball's real part.
    let first = p.index(|k| lo >= rational(k));
    let last = p.index(|k| hi >= rational(k));
    if first == last {
        return p.pieces()[first].eval(u, cx).map_err(|e| e.fault);
    }
    if cx.analytic || !u.z.is_real() {
        return Err(DomainError::Unrepresentable);
    }
    // A real ball across breakpoints: the union of the pieces it meets (each on the whole ball,
    // which contains its part).
    let mut hull: Option<Arb> = None;
    for piece in &p.pieces()[first..=last] {
        let v = piece.eval(u, cx).map_err(|e| e.fault)?;
        if !v.z.is_real() {
            return Err(DomainError::Unrepresentable);
        }
        let v = v.z.real();
        hull = Some(match hull {
            None => v,
            Some(h) => h.union(&v, cx.prec),
        });
    }
    hull.map(|h| real(h, cx))
        .ok_or(DomainError::Unrepresentable)
}

/// An expression compiled for evaluation on balls at one working precision.
#[derive(Clone, Debug)]
pub struct BallProgram {
    code: Code<Ball>,
    stack: Vec<Ball>,
    cx: BallContext,
}

impl BallProgram {
    /// Compiles `expr` at `prec` bits (constant subexpressions folded into balls once).
    pub fn new(expr: &Expr, prec: Prec) -> BallProgram {
        let mut cx = BallContext::new(prec);
        let code = Code::new(expr, &mut cx);
        let stack = (0..code.depth())
            .map(|_| Ball::new(Acb::zero(), &cx))
            .collect();
        BallProgram { code, stack, cx }
    }

    /// The working precision in bits.
    pub fn prec(&self) -> Prec {
        self.cx.prec
    }

    /// Makes later evaluations pick the piece of a piecewise function holding `at` (the
    /// segment being integrated), or locate pieces by the argument (`None`).
    pub fn set_piece_at(&mut self, at: Option<BigRational>) {
        self.cx.piece_at = at;
    }

    /// The value on the ball `z`: a ball enclosing `f(z)`, non-finite where the expression is
    /// undefined on `z` or, with `analytic`, not holomorphic on it.
    pub fn eval(&mut self, z: &Acb, analytic: bool) -> Acb {
        self.cx.analytic = analytic;
        let x = Ball::new(z.clone(), &self.cx);
        let result = self.code.run(&mut self.stack, &x, &mut self.cx);
        result.map(|v| v.z.clone()).unwrap_or_else(|_| {
            let mut bad = Acb::zero();
            bad.set_indeterminate();
            bad
        })
    }

    /// The value on a real ball.
    pub fn eval_real(&mut self, x: &Arb) -> Arb {
        let v = self.eval(&Acb::from_real(x), false);
        if v.is_finite() && v.imag().contains_zero() {
            v.real()
        } else {
            let mut bad = Arb::zero();
            bad.set_indeterminate();
            bad
        }
    }
}

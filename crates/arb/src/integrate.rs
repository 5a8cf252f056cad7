//! Rigorous integration (Arb's `acb_calc_integrate`).
//!
//! **Method and guarantee** (F. Johansson, "Numerical integration in arbitrary-precision ball
//! arithmetic", ICMS 2018). The path `[a, b]` is bisected adaptively; on each piece Gauss-Legendre
//! quadrature of some degree is used with the error bound of the Bernstein ellipse: when `f` is
//! holomorphic on the ellipse `E_rho` around the piece and `|f| <= M` there (both checked by
//! evaluating `f` on complex balls covering the ellipse), the error of degree `n` is at most
//! `M rho^(-2n) 64 / (15 (rho^2 - 1))` times half the piece's length. The result is a ball that
//! contains the integral, whatever happens: when the goal is not met within the limits the ball is
//! merely wide, and [`Integral::converged`] says so.
//!
//! The integrand is a closure `f(out, z, analytic, prec)` that stores `f(z)` in `out`; when
//! `analytic` is set it must also check that `f` is holomorphic on the ball `z` and make `out`
//! non-finite otherwise (the `analytic` flag of [`crate::Acb::log`], [`crate::Acb::sqrt`] and
//! the like does exactly that for branch cuts).

use std::any::Any;
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use flint3_sys as sys;

use crate::{Acb, Arb, Prec};

/// Limits of Arb's integrator; zero means Arb's default (see the Arb documentation of
/// `acb_calc_integrate`: degree `0.5 prec + 60`, `1000 prec + prec^2` evaluations, depth
/// `2 prec` pieces).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IntegrationOptions {
    /// Largest Gauss-Legendre degree on one piece.
    pub deg_limit: i64,
    /// Largest total number of evaluations of the integrand.
    pub eval_limit: i64,
    /// Largest number of pieces kept waiting for bisection.
    pub depth_limit: i64,
}

/// The value of an integral: a ball that contains it, and whether the goal was met.
#[derive(Clone, Debug)]
pub struct Integral {
    /// A ball containing the exact integral (always; wide when not converged).
    pub value: Acb,
    /// Whether the relative goal or absolute tolerance was met within the limits.
    pub converged: bool,
}

/// The integrand and a panic raised inside it, carried across the C frames.
struct State<'f, F> {
    f: &'f mut F,
    panic: Option<Box<dyn Any + Send>>,
}

/// Calls the closure of `param` for Arb: `order` 1 asks for a holomorphy check.
///
/// # Safety
/// `param` must point to a live `State<F>`, `out` and `inp` to initialised, distinct balls
/// (Arb's integrator guarantees the latter).
unsafe extern "C" fn trampoline<F>(
    out: *mut sys::acb_struct,
    inp: *const sys::acb_struct,
    param: *mut c_void,
    order: sys::slong,
    prec: sys::slong,
) -> std::os::raw::c_int
where
    F: FnMut(&mut Acb, &Acb, bool, Prec),
{
    // SAFETY: by this function's contract; `Acb` is a transparent wrapper of `acb_struct`.
    let (state, out, inp) = unsafe {
        (
            &mut *param.cast::<State<'_, F>>(),
            &mut *out.cast::<Acb>(),
            &*inp.cast::<Acb>(),
        )
    };
    if state.panic.is_some() {
        out.set_indeterminate();
        return 0;
    }
    let f = &mut *state.f;
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(out, inp, order != 0, prec))) {
        // A panic must not unwind through C: keep it, finish the integration quickly with
        // non-finite values, and resume it afterwards.
        state.panic = Some(panic);
        out.set_indeterminate();
    }
    0
}

/// `∫_a^b f(x) dx` along the real segment from `a` to `b`, with relative accuracy goal
/// `rel_goal` bits, absolute tolerance `2^abs_tol_log2`, at working precision `prec`.
///
/// The returned ball contains the integral (see the module documentation); a panic inside `f`
/// is resumed after Arb returns.
pub fn integrate<F>(
    mut f: F,
    a: &Arb,
    b: &Arb,
    rel_goal: i64,
    abs_tol_log2: i64,
    options: IntegrationOptions,
    prec: Prec,
) -> Integral
where
    F: FnMut(&mut Acb, &Acb, bool, Prec),
{
    let mut state = State {
        f: &mut f,
        panic: None,
    };
    let (a, b) = (Acb::from_real(a), Acb::from_real(b));
    let mut value = Acb::zero();
    let mut tol = sys::mag_struct::default();
    let mut opt = sys::acb_calc_integrate_opt_struct::default();
    // SAFETY: `tol` and `opt` are initialised before use and `tol` cleared after; `state` lives
    // until `acb_calc_integrate` returns and is only accessed through `param` meanwhile; the
    // trampoline is instantiated for the closure type `F` that `state` holds.
    let status = unsafe {
        sys::mag_init(&mut tol);
        sys::mag_set_ui_2exp_si(&mut tol, 1, abs_tol_log2);
        sys::acb_calc_integrate_opt_init(&mut opt);
        opt.deg_limit = options.deg_limit;
        opt.eval_limit = options.eval_limit;
        opt.depth_limit = options.depth_limit;
        let status = sys::acb_calc_integrate(
            &mut value.0,
            Some(trampoline::<F>),
            (&mut state as *mut State<'_, F>).cast(),
            &a.0,
            &b.0,
            rel_goal,
            &tol,
            &opt,
            prec,
        );
        sys::mag_clear(&mut tol);
        status
    };
    if let Some(panic) = state.panic {
        resume_unwind(panic);
    }
    Integral {
        value,
        converged: status == 0,
    }
}

//! Complex balls (`acb_t`), with in-place operations for integrands evaluated many times.

use std::fmt;

use flint3_sys as sys;
use rug::Integer;

use crate::convert::Fmpz;
use crate::{Arb, Prec};

/// A complex ball: a real ball for each of the real and the imaginary part (an owned `acb_t`).
///
/// The operations work in place (`self = self op rhs`, `self = f(self)`), rounding to `prec`
/// bits: an integrand evaluated at thousands of nodes reuses its storage. Each encloses the exact
/// result on the operand balls; an undefined one is non-finite ([`Acb::is_finite`]).
///
/// The functions with a branch cut (`log`, `sqrt`, real powers, the incomplete beta and gamma
/// functions) take a flag `analytic`: when set, a ball that meets the branch cut gives a
/// non-finite result, as a rigorous integrator needs (the function must be holomorphic on the
/// ball, not merely defined).
#[repr(transparent)]
pub struct Acb(pub(crate) sys::acb_struct);

/// `self = self op rhs`.
macro_rules! assign {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, rhs: &Acb, prec: Prec) {
            let z: *mut sys::acb_struct = &mut self.0;
            // SAFETY: both balls are initialised; Arb allows the output to alias an input.
            unsafe { sys::$f(z, z, &rhs.0, prec) };
        }
    )*};
}

/// `self = f(self)` (Arb's functions accept an output aliasing their input).
macro_rules! apply {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, prec: Prec) {
            let z: *mut sys::acb_struct = &mut self.0;
            // SAFETY: the ball is initialised; Arb allows the output to alias the input.
            unsafe { sys::$f(z, z, prec) };
        }
    )*};
}

/// `self = f(self)` holomorphic off a branch cut.
macro_rules! apply_analytic {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, analytic: bool, prec: Prec) {
            let z: *mut sys::acb_struct = &mut self.0;
            // SAFETY: the ball is initialised; Arb allows the output to alias the input.
            unsafe { sys::$f(z, z, i32::from(analytic), prec) };
        }
    )*};
}

impl Acb {
    /// The exact zero.
    pub fn zero() -> Acb {
        let mut raw = sys::acb_struct::default();
        // SAFETY: `acb_init` initialises the zeroed struct to the exact zero.
        unsafe { sys::acb_init(&mut raw) };
        Acb(raw)
    }

    /// The complex ball with real part `re` and imaginary part zero.
    pub fn from_real(re: &Arb) -> Acb {
        let mut z = Acb::zero();
        // SAFETY: both are initialised.
        unsafe { sys::acb_set_arb(&mut z.0, &re.0) };
        z
    }

    /// The complex ball `re + i im`.
    pub fn from_parts(re: &Arb, im: &Arb) -> Acb {
        let mut z = Acb::zero();
        // SAFETY: all are initialised.
        unsafe { sys::acb_set_arb_arb(&mut z.0, &re.0, &im.0) };
        z
    }

    /// The real part.
    pub fn real(&self) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: both are initialised.
        unsafe { sys::acb_get_real(&mut z.0, &self.0) };
        z
    }

    /// The imaginary part.
    pub fn imag(&self) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: both are initialised.
        unsafe { sys::acb_get_imag(&mut z.0, &self.0) };
        z
    }

    /// Stores `value` in `self`.
    pub fn set(&mut self, value: &Acb) {
        // SAFETY: both are initialised.
        unsafe { sys::acb_set(&mut self.0, &value.0) }
    }

    /// Makes the ball non-finite (Arb's "indeterminate").
    pub fn set_indeterminate(&mut self) {
        // SAFETY: the ball is initialised.
        unsafe { sys::acb_indeterminate(&mut self.0) }
    }

    /// Whether both parts are finite.
    pub fn is_finite(&self) -> bool {
        // SAFETY: the ball is initialised and only read.
        unsafe { sys::acb_is_finite(&self.0) != 0 }
    }

    /// Whether the imaginary part is exactly zero.
    pub fn is_real(&self) -> bool {
        // SAFETY: the ball is initialised and only read.
        unsafe { sys::acb_is_real(&self.0) != 0 }
    }

    assign! {
        /// `self = self + rhs`.
        add_assign => acb_add,
        /// `self = self - rhs`.
        sub_assign => acb_sub,
        /// `self = self * rhs`.
        mul_assign => acb_mul,
        /// `self = self / rhs` (non-finite when `rhs` contains zero).
        div_assign => acb_div,
    }

    /// `self = lhs - self`.
    pub fn sub_from(&mut self, lhs: &Acb, prec: Prec) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: both balls are initialised; the output may alias the second input.
        unsafe { sys::acb_sub(z, &lhs.0, z, prec) };
    }

    /// `self = lhs / self`.
    pub fn div_from(&mut self, lhs: &Acb, prec: Prec) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: both balls are initialised; the output may alias the second input.
        unsafe { sys::acb_div(z, &lhs.0, z, prec) };
    }

    /// `self = lhs ^ self` (see [`Acb::pow_assign`]).
    pub fn pow_from(&mut self, lhs: &Acb, analytic: bool, prec: Prec) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: both balls are initialised; the output may alias the second input.
        unsafe { sys::acb_pow_analytic(z, &lhs.0, z, i32::from(analytic), prec) };
    }

    /// `self = self ^ rhs`, the principal branch `exp(rhs log self)` (an exact integer exponent
    /// is an integer power, defined everywhere).
    pub fn pow_assign(&mut self, rhs: &Acb, analytic: bool, prec: Prec) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: both balls are initialised; the output may alias the first input.
        unsafe { sys::acb_pow_analytic(z, z, &rhs.0, i32::from(analytic), prec) };
    }

    /// `self = self ^ k` for an integer `k`.
    pub fn pow_si(&mut self, k: i64, prec: Prec) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: the ball is initialised; the output may alias the input.
        unsafe { sys::acb_pow_si(z, z, k, prec) };
    }

    /// `self = -self`, exactly.
    pub fn neg_assign(&mut self) {
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: the ball is initialised; the output may alias the input.
        unsafe { sys::acb_neg(z, z) };
    }

    /// `self = self * n` for an integer `n`.
    pub fn mul_integer(&mut self, n: &Integer, prec: Prec) {
        let n = Fmpz::from_integer(n);
        let z: *mut sys::acb_struct = &mut self.0;
        // SAFETY: the ball and `n` are initialised; the output may alias the input.
        unsafe { sys::acb_mul_fmpz(z, z, n.as_ptr(), prec) };
    }

    apply! {
        /// `self = exp(self)`.
        exp => acb_exp,
        /// `self = sin(self)`.
        sin => acb_sin,
        /// `self = cos(self)`.
        cos => acb_cos,
        /// `self = tan(self)` (non-finite near a pole).
        tan => acb_tan,
        /// `self = erf(self)`.
        erf => acb_hypgeom_erf,
        /// `self = erfc(self)`.
        erfc => acb_hypgeom_erfc,
        /// `self = Gamma(self)`.
        gamma => acb_gamma,
    }

    apply_analytic! {
        /// `self = log(self)`, the principal branch (cut along the negative real axis).
        log => acb_log_analytic,
        /// `self = sqrt(self)`, the principal branch (cut along the negative real axis).
        sqrt => acb_sqrt_analytic,
    }

    /// `self = I_self(p, q)`, the regularized incomplete beta function (Arb's
    /// `acb_hypgeom_beta_lower`). Its branch cuts are `(-inf, 0]` (unless `p` is a positive
    /// integer) and `[1, inf)` (unless `q` is): with `analytic` set, a ball meeting a cut gives a
    /// non-finite result.
    pub fn betainc(&mut self, p: &Acb, q: &Acb, analytic: bool, prec: Prec) {
        if analytic && (self.meets_cut(p, 0, false) || self.meets_cut(q, 1, true)) {
            self.set_indeterminate();
            return;
        }
        // Right of 1/2 the series of I_z(p, q) converges slowly: use I_z(p, q) = 1 - I_(1-z)(q, p)
        // (DLMF 8.17.4), whose argument is then below 1/2.
        let half = Arb::from_ratio(&Integer::from(1), &Integer::from(2), 8);
        let reflect = half.lt(&self.real().mid());
        let mut out = Acb::zero();
        if reflect {
            let mut w = Acb::from_real(&Arb::from_i64(1));
            w.sub_assign(self, prec);
            // SAFETY: all balls are initialised and distinct; `regularized = 1` selects the
            // regularized function.
            unsafe { sys::acb_hypgeom_beta_lower(&mut out.0, &q.0, &p.0, &w.0, 1, prec) };
            out.sub_from(&Acb::from_real(&Arb::from_i64(1)), prec);
        } else {
            // SAFETY: as above.
            unsafe { sys::acb_hypgeom_beta_lower(&mut out.0, &p.0, &q.0, &self.0, 1, prec) };
        }
        *self = out;
    }

    /// `self = P(s, self) = gamma(s, self) / Gamma(s)`, the regularized lower incomplete gamma
    /// function (Arb's `acb_hypgeom_gamma_lower`, regularized). Its branch cut is `(-inf, 0]`
    /// unless `s` is a positive integer.
    pub fn gammainc(&mut self, s: &Acb, analytic: bool, prec: Prec) {
        if analytic && self.meets_cut(s, 0, false) {
            self.set_indeterminate();
            return;
        }
        let mut out = Acb::zero();
        // SAFETY: all balls are initialised and distinct; `regularized = 1` selects P(s, z).
        unsafe { sys::acb_hypgeom_gamma_lower(&mut out.0, &s.0, &self.0, 1, prec) };
        *self = out;
    }

    /// Whether the ball meets the half-line cut `(-inf, at]` (`right = false`) or `[at, inf)`
    /// (`right = true`) of a power with exponent `e`, unless `e` is an exact positive integer.
    fn meets_cut(&self, e: &Acb, at: i64, right: bool) -> bool {
        let e_re = e.real();
        let integer = e.is_real() && e_re.is_exact() && {
            let k = e_re.mid_float();
            k.is_some_and(|k| k.is_integer() && k > 0)
        };
        if integer {
            return false;
        }
        let re = self.real();
        let at = Arb::from_i64(at);
        let beyond = if right { !re.lt(&at) } else { !at.lt(&re) };
        beyond && self.imag().contains_zero()
    }
}

impl Clone for Acb {
    fn clone(&self) -> Acb {
        let mut z = Acb::zero();
        z.set(self);
        z
    }
}

impl Drop for Acb {
    fn drop(&mut self) {
        // SAFETY: the ball was initialised by `acb_init` and is cleared once.
        unsafe { sys::acb_clear(&mut self.0) }
    }
}

// SAFETY: an `acb_t` owns its heap data exclusively, so it may move to another thread; `&Acb`
// only reads it.
unsafe impl Send for Acb {}
// SAFETY: as above: shared references only read.
unsafe impl Sync for Acb {}

impl fmt::Debug for Acb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:?}) + ({:?})i", self.real(), self.imag())
    }
}

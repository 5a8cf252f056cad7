//! Real balls (`arb_t`).

use std::ffi::CStr;
use std::fmt;

use flint3_sys as sys;
use rug::float::Round;
use rug::{Float, Integer};

use crate::Prec;
use crate::convert::Fmpz;

/// A real ball `[m ± r]`: an owned `arb_t`.
///
/// Every operation encloses the exact result on its operand balls (Arb's guarantee); an
/// undefined result (the logarithm of a ball that meets zero, say) is a non-finite ball, tested
/// by [`Arb::is_finite`].
#[repr(transparent)]
pub struct Arb(pub(crate) sys::arb_struct);

/// A binary operation `z = x op y` rounded to `prec` bits.
macro_rules! binary {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&self, rhs: &Arb, prec: Prec) -> Arb {
            let mut z = Arb::zero();
            // SAFETY: `z`, `self` and `rhs` are initialised balls; Arb allows the output to be
            // any ball, and reads the inputs only.
            unsafe { sys::$f(&mut z.0, &self.0, &rhs.0, prec) };
            z
        }
    )*};
}

/// A function `z = f(x)` rounded to `prec` bits.
macro_rules! unary {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&self, prec: Prec) -> Arb {
            let mut z = Arb::zero();
            // SAFETY: `z` and `self` are initialised balls.
            unsafe { sys::$f(&mut z.0, &self.0, prec) };
            z
        }
    )*};
}

/// A predicate of one ball.
macro_rules! predicate {
    ($($(#[$doc:meta])* $name:ident => $f:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> bool {
            // SAFETY: `self` is an initialised ball, only read.
            unsafe { sys::$f(&self.0) != 0 }
        }
    )*};
}

impl Arb {
    /// The exact ball `[0 ± 0]`.
    pub fn zero() -> Arb {
        let mut raw = sys::arb_struct::default();
        // SAFETY: `arb_init` initialises the zeroed struct to the exact zero.
        unsafe { sys::arb_init(&mut raw) };
        Arb(raw)
    }

    /// The exact integer `n`.
    pub fn from_i64(n: i64) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: `z` is initialised.
        unsafe { sys::arb_set_si(&mut z.0, n) };
        z
    }

    /// The ball of `num/den` at `prec` bits (exact when the quotient is a short dyadic).
    ///
    /// # Panics
    /// If `den` is zero.
    pub fn from_ratio(num: &Integer, den: &Integer, prec: Prec) -> Arb {
        assert!(*den != 0, "a rational has a non-zero denominator");
        let (p, q) = (Fmpz::from_integer(num), Fmpz::from_integer(den));
        let mut z = Arb::zero();
        // SAFETY: `z` is initialised, `p` and `q` are initialised and `q` is not zero.
        unsafe { sys::arb_fmpz_div_fmpz(&mut z.0, p.as_ptr(), q.as_ptr(), prec) };
        z
    }

    /// The exact value of an MPFR float (a non-finite float gives a non-finite ball).
    pub fn from_float(x: &Float) -> Arb {
        let mut z = Arb::zero();
        if x.is_zero() {
            return z;
        }
        let Some((man, exp)) = x.to_integer_exp() else {
            z.set_indeterminate();
            return z;
        };
        let (man, exp) = (
            Fmpz::from_integer(&man),
            Fmpz::from_integer(&Integer::from(exp)),
        );
        // SAFETY: `z`, `man` and `exp` are initialised; the result `man * 2^exp` is exact.
        unsafe { sys::arb_set_fmpz_2exp(&mut z.0, man.as_ptr(), exp.as_ptr()) };
        z
    }

    /// A ball containing the interval `[lo, hi]` (its end points exact floats), at `prec` bits.
    pub fn from_interval(lo: &Float, hi: &Float, prec: Prec) -> Arb {
        Arb::from_float(lo).union(&Arb::from_float(hi), prec)
    }

    /// `π` at `prec` bits.
    pub fn pi(prec: Prec) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: `z` is initialised.
        unsafe { sys::arb_const_pi(&mut z.0, prec) };
        z
    }

    /// `e` at `prec` bits.
    pub fn e(prec: Prec) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: `z` is initialised.
        unsafe { sys::arb_const_e(&mut z.0, prec) };
        z
    }

    /// Makes the ball the whole extended real line (Arb's "indeterminate").
    pub fn set_indeterminate(&mut self) {
        // SAFETY: `self` is initialised.
        unsafe { sys::arb_indeterminate(&mut self.0) }
    }

    binary! {
        /// `self + rhs`.
        add => arb_add,
        /// `self - rhs`.
        sub => arb_sub,
        /// `self * rhs`.
        mul => arb_mul,
        /// `self / rhs` (non-finite when `rhs` contains zero).
        div => arb_div,
        /// `self ^ rhs` for a real exponent (non-finite unless `self > 0` or the exponent is an
        /// exact integer).
        pow => arb_pow,
        /// The smallest ball containing both balls.
        union => arb_union,
    }

    unary! {
        /// `exp(self)`.
        exp => arb_exp,
        /// `exp(self) - 1`, accurate near zero.
        expm1 => arb_expm1,
        /// `log(self)` (non-finite unless `self > 0`).
        log => arb_log,
        /// `log(1 + self)`, accurate near zero.
        log1p => arb_log1p,
        /// `sqrt(self)` (non-finite unless `self >= 0`).
        sqrt => arb_sqrt,
        /// `sin(self)`.
        sin => arb_sin,
        /// `cos(self)`.
        cos => arb_cos,
    }

    predicate! {
        /// Whether midpoint and radius are finite.
        is_finite => arb_is_finite,
        /// Whether the ball contains zero.
        contains_zero => arb_contains_zero,
        /// Whether every point of the ball is positive.
        is_positive => arb_is_positive,
        /// Whether every point of the ball is negative.
        is_negative => arb_is_negative,
        /// Whether every point of the ball is non-negative.
        is_nonnegative => arb_is_nonnegative,
        /// Whether the radius is zero.
        is_exact => arb_is_exact,
    }

    /// `-self`, exactly.
    pub fn neg(&self) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: both balls are initialised.
        unsafe { sys::arb_neg(&mut z.0, &self.0) };
        z
    }

    /// `self * n` for an integer `n`, at `prec` bits.
    pub fn mul_integer(&self, n: &Integer, prec: Prec) -> Arb {
        let n = Fmpz::from_integer(n);
        let mut z = Arb::zero();
        // SAFETY: `z`, `self` and `n` are initialised.
        unsafe { sys::arb_mul_fmpz(&mut z.0, &self.0, n.as_ptr(), prec) };
        z
    }

    /// `self / n` for an integer `n`, at `prec` bits.
    pub fn div_integer(&self, n: &Integer, prec: Prec) -> Arb {
        let n = Fmpz::from_integer(n);
        let mut z = Arb::zero();
        // SAFETY: `z`, `self` and `n` are initialised (a zero `n` gives a non-finite ball).
        unsafe { sys::arb_div_fmpz(&mut z.0, &self.0, n.as_ptr(), prec) };
        z
    }

    /// The intersection of two balls, or `None` when they are disjoint.
    pub fn intersection(&self, other: &Arb, prec: Prec) -> Option<Arb> {
        let mut z = Arb::zero();
        // SAFETY: the three balls are initialised.
        let meets = unsafe { sys::arb_intersection(&mut z.0, &self.0, &other.0, prec) };
        (meets != 0).then_some(z)
    }

    /// Whether every point of `other` lies in `self`.
    pub fn contains(&self, other: &Arb) -> bool {
        // SAFETY: both balls are initialised and only read.
        unsafe { sys::arb_contains(&self.0, &other.0) != 0 }
    }

    /// Whether the exact value `x` lies in the ball.
    pub fn contains_float(&self, x: &Float) -> bool {
        self.contains(&Arb::from_float(x))
    }

    /// Whether the balls share a point.
    pub fn overlaps(&self, other: &Arb) -> bool {
        // SAFETY: both balls are initialised and only read.
        unsafe { sys::arb_overlaps(&self.0, &other.0) != 0 }
    }

    /// Whether every point of `self` is less than every point of `other`.
    pub fn lt(&self, other: &Arb) -> bool {
        // SAFETY: both balls are initialised and only read.
        unsafe { sys::arb_lt(&self.0, &other.0) != 0 }
    }

    /// The midpoint as an exact ball.
    pub fn mid(&self) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: both balls are initialised.
        unsafe { sys::arb_get_mid_arb(&mut z.0, &self.0) };
        z
    }

    /// The ball widened by `err`'s magnitude bound: contains `x + e` for every `x` in `self` and
    /// `|e| <= |err|`.
    pub fn add_error(&self, err: &Arb) -> Arb {
        let mut z = self.clone();
        // SAFETY: both balls are initialised.
        unsafe { sys::arb_add_error(&mut z.0, &err.0) };
        z
    }

    /// The relative accuracy in bits: about `-log2(r / |m|)` (large for exact balls).
    pub fn rel_accuracy_bits(&self) -> i64 {
        // SAFETY: `self` is initialised and only read.
        unsafe { sys::arb_rel_accuracy_bits(&self.0) }
    }

    /// The midpoint, exactly (`None` when it is not finite or its exponent is beyond MPFR's).
    pub fn mid_float(&self) -> Option<Float> {
        arf_to_float(&self.0.mid)
    }

    /// The radius rounded up to a float (`None` when it is not finite).
    pub fn rad_float(&self) -> Option<Float> {
        let mut r = Arb::zero();
        // SAFETY: both balls are initialised; the radius is set exactly as a midpoint.
        unsafe { sys::arb_get_rad_arb(&mut r.0, &self.0) };
        arf_to_float(&r.0.mid)
    }

    /// Lower and upper bounds of the ball, `mid - rad` and `mid + rad`: exact unless they need
    /// more than `2^20` bits (a radius far below the midpoint's last bit), then rounded outward
    /// (`None` when the ball is not finite).
    pub fn bounds(&self) -> Option<(Float, Float)> {
        let (mid, rad) = (self.mid_float()?, self.rad_float()?);
        if rad.is_zero() {
            return Some((mid.clone(), mid));
        }
        if mid.is_zero() {
            return Some((Float::with_val(rad.prec(), -&rad), rad));
        }
        // Every bit of mid ± rad lies between the higher top bit (plus a carry) and the lower
        // last bit of the two.
        let (em, er) = (i64::from(mid.get_exp()?), i64::from(rad.get_exp()?));
        let top = em.max(er) + 1;
        let last = (em - i64::from(mid.prec())).min(er - i64::from(rad.prec()));
        let bits = u32::try_from((top - last + 1).clamp(2, 1 << 20)).unwrap_or(1 << 20);
        let lo = Float::with_val_round(bits, &mid - &rad, Round::Down).0;
        let hi = Float::with_val_round(bits, &mid + &rad, Round::Up).0;
        Some((lo, hi))
    }

    /// Arb's own decimal form with up to `digits` digits of the midpoint, and the radius.
    pub fn to_arb_string(&self, digits: i64) -> String {
        // SAFETY: `self` is initialised; the returned string is allocated by FLINT, copied, and
        // released with `flint_free`.
        unsafe {
            let ptr = sys::arb_get_str(&self.0, digits, 0);
            let text = CStr::from_ptr(ptr).to_string_lossy().into_owned();
            sys::flint_free(ptr.cast());
            text
        }
    }
}

/// An `arf_t` (a binary float of any size) as an exact MPFR float.
fn arf_to_float(x: &sys::arf_struct) -> Option<Float> {
    // SAFETY: `x` is an initialised arf, only read.
    let special = unsafe { sys::arf_is_special(x) } != 0;
    if special {
        // SAFETY: as above.
        let zero = unsafe { sys::arf_is_zero(x) } != 0;
        return zero.then(|| Float::new(2));
    }
    let mut man = Fmpz::zero();
    let mut exp = Fmpz::zero();
    // SAFETY: `man` and `exp` are initialised; `x` is a finite non-zero arf.
    unsafe { sys::arf_get_fmpz_2exp(man.as_mut_ptr(), exp.as_mut_ptr(), x) };
    let man = man.to_integer();
    let exp = exp.to_integer().to_i32()?;
    let bits = man.significant_bits().max(2);
    let value = Float::with_val(bits, man);
    // The product by 2^exp is exact (MPFR's exponent range permitting): reject otherwise.
    let scaled = value << exp;
    scaled.is_normal().then_some(scaled)
}

impl Clone for Arb {
    fn clone(&self) -> Arb {
        let mut z = Arb::zero();
        // SAFETY: both balls are initialised.
        unsafe { sys::arb_set(&mut z.0, &self.0) };
        z
    }
}

impl Drop for Arb {
    fn drop(&mut self) {
        // SAFETY: the ball was initialised by `arb_init` and is cleared once.
        unsafe { sys::arb_clear(&mut self.0) }
    }
}

// SAFETY: an `arb_t` owns its heap data exclusively (no shared or thread-local state), so it may
// move to another thread; `&Arb` only reads it.
unsafe impl Send for Arb {}
// SAFETY: as above: shared references only read.
unsafe impl Sync for Arb {}

impl fmt::Debug for Arb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_arb_string(20))
    }
}

impl fmt::Display for Arb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_arb_string(20))
    }
}

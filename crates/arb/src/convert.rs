//! Exact conversions between FLINT's integers and `rug`'s.
//!
//! Through hexadecimal strings: FLINT's bindings do not expose GMP's types, and the conversions
//! run once per constant or result, never inside an integrand.

use std::ffi::{CStr, CString};

use flint3_sys as sys;
use rug::Integer;

/// An owned FLINT integer (`fmpz_t`).
pub(crate) struct Fmpz(sys::fmpz);

impl Fmpz {
    /// The integer `n`, exactly.
    pub(crate) fn from_integer(n: &Integer) -> Fmpz {
        let mut f: sys::fmpz = 0;
        let text = CString::new(n.to_string_radix(16)).expect("hex digits have no NUL byte");
        // SAFETY: `f` is a valid fmpz once initialised; `text` is a NUL-terminated string of
        // hexadecimal digits with an optional sign, which `fmpz_set_str` parses in base 16.
        let status = unsafe {
            sys::fmpz_init(&mut f);
            sys::fmpz_set_str(&mut f, text.as_ptr(), 16)
        };
        debug_assert_eq!(status, 0, "rug prints a parseable integer");
        Fmpz(f)
    }

    /// The value as a `rug` integer, exactly.
    pub(crate) fn to_integer(&self) -> Integer {
        // SAFETY: `self.0` is an initialised fmpz; with a null buffer `fmpz_get_str` allocates
        // the string with FLINT's allocator, which `flint_free` releases after it is copied.
        unsafe {
            let ptr = sys::fmpz_get_str(std::ptr::null_mut(), 16, &self.0);
            let text = CStr::from_ptr(ptr).to_string_lossy().into_owned();
            sys::flint_free(ptr.cast());
            Integer::from_str_radix(&text, 16).expect("FLINT prints a parseable integer")
        }
    }

    /// A pointer for FLINT's input arguments.
    pub(crate) fn as_ptr(&self) -> *const sys::fmpz {
        &self.0
    }

    /// A pointer for FLINT's output arguments.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::fmpz {
        &mut self.0
    }

    /// Zero.
    pub(crate) fn zero() -> Fmpz {
        let mut f: sys::fmpz = 0;
        // SAFETY: initialises `f` to zero.
        unsafe { sys::fmpz_init(&mut f) };
        Fmpz(f)
    }
}

impl Drop for Fmpz {
    fn drop(&mut self) {
        // SAFETY: `self.0` was initialised by `fmpz_init` and is cleared once.
        unsafe { sys::fmpz_clear(&mut self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_exactly() {
        for text in [
            "0",
            "-1",
            "4611686018427387903",
            "4611686018427387904",
            "-340282366920938463463374607431768211457",
        ] {
            let n: Integer = text.parse().unwrap();
            assert_eq!(Fmpz::from_integer(&n).to_integer(), n, "{text}");
        }
    }
}

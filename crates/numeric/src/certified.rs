//! Values with certified digits, and how they were certified.
//!
//! A [`Certified`] is a value with the number of its leading significant decimal digits known to
//! be correct and its [`Provenance`]: how those digits were established. The fields are private:
//! a certified value can only come from one of the constructors below, each of which states its
//! guarantee, so no caller can claim digits it has not shown.
//!
//! - [`Certified::from_pair`], [`Certified::from_pair_on_support`]: the engine's default. A result
//!   is computed at two working precisions; the digits on which both agree (after rounding each
//!   to the same number of significant digits) are certified. Rounding is monotone, so when both
//!   computations round to one decimal, every value between them does too. The quadrature's error
//!   bound is applied on top by [`Certified::capped`].
//! - [`Certified::within`]: the digits an error bar leaves (two quadrature orders, the spread of
//!   quasi-Monte Carlo shifts).
//! - [`Certified::exact`]: an exact number rounded to the digits asked for.
//! - [`Certified::extrapolated`]: a limit estimated by extrapolation (Richardson's, a
//!   least-squares fit): its digits are an estimate, not a bound.
//! - [`Certified::derived`]: arithmetic on certified values, with the digits the caller has
//!   shown to survive it; the provenance is the weakest of the inputs'.
//!
//! Digits of a value that is not certified at all (a grid point named in a message, an estimate
//! shown to two digits) are printed by [`round_decimal`], never through a `Certified`.

use std::fmt;

use rug::Float;

/// Largest number of significant decimal digits a user may request.
pub const MAX_DIGITS: u32 = 10_000;

/// How the digits of a [`Certified`] value were established, from the strongest to the weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provenance {
    /// Exact algebra: an exact number rounded to the digits shown.
    Exact,
    /// A rigorous ball (Arb's midpoint-radius arithmetic): the digits on which both ends of a
    /// ball proved to contain the value agree.
    Ball,
    /// Computed at two working precisions, with the quadrature's a-priori or adaptive error
    /// bound: the digits on which both agree and which the bound leaves intact.
    TwoPrecisions,
    /// The digits an error bar leaves: two quadrature orders, or the spread of shifted
    /// quasi-Monte Carlo estimates.
    ErrorBar,
    /// A limit estimated by extrapolation (Richardson's, a least-squares fit): an estimate.
    Extrapolated,
}

impl Provenance {
    /// How the digits were certified, in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Provenance::Exact => "exact algebra",
            Provenance::Ball => "a rigorous ball (Arb's ball arithmetic)",
            Provenance::TwoPrecisions => "two working precisions with the quadrature's error bound",
            Provenance::ErrorBar => {
                "an error bar (two quadrature orders, or the spread of quasi-Monte Carlo shifts)"
            }
            Provenance::Extrapolated => "extrapolated (an estimate, not a bound)",
        }
    }

    /// The weaker of two provenances: what a value computed from both can claim.
    pub fn weakest(self, other: Provenance) -> Provenance {
        self.max(other)
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A value, the number of its leading significant decimal digits known to be correct, and how
/// they were established.
#[derive(Clone, Debug, PartialEq)]
pub struct Certified {
    /// The value at the higher working precision.
    value: Float,
    /// Certified significant decimal digits (0: not even the first digit is certain).
    digits: u32,
    /// How the digits were certified.
    provenance: Provenance,
}

/// `log10 |x|` for a finite non-zero `x` in double precision, from its binary exponent and
/// mantissa (any exponent MPFR allows, without MPFR's logarithm).
pub(crate) fn log10_abs(x: &Float) -> f64 {
    let (mantissa, exp) = x.to_f64_exp();
    mantissa.abs().log10() + f64::from(exp) * std::f64::consts::LOG10_2
}

/// Significant digits and decimal exponent of `x` rounded to `d` digits: `0.DIGITS x 10^exp`.
fn rounded(x: &Float, d: u32) -> (bool, String, Option<i32>) {
    x.to_sign_string_exp(10, Some(d as usize))
}

impl Certified {
    /// Certifies the digits on which `coarse` and `fine` (the same quantity at a lower and a higher
    /// working precision) agree, up to `max_digits`.
    pub fn from_pair(coarse: &Float, fine: &Float, max_digits: u32) -> Certified {
        let certified = |digits| Certified {
            value: fine.clone(),
            digits,
            provenance: Provenance::TwoPrecisions,
        };
        if !coarse.is_finite() || !fine.is_finite() {
            return certified(0);
        }
        if coarse.is_zero() && fine.is_zero() {
            return certified(max_digits);
        }
        // Start from the digits the difference allows, then step down until both round alike.
        let diff = Float::with_val(fine.prec(), coarse - fine);
        let scale = fine.clone().abs().max(&coarse.clone().abs());
        let estimate = if diff.is_zero() {
            max_digits
        } else {
            let ratio = log10_abs(&Float::with_val(64, &diff / &scale));
            let e = (-ratio).floor() + 2.0;
            e.clamp(0.0, f64::from(max_digits)) as u32
        };
        let mut d = estimate.min(max_digits);
        while d > 0 && rounded(coarse, d) != rounded(fine, d) {
            d -= 1;
        }
        certified(d)
    }

    /// The digits, up to `max_digits`, on which the ends `lo <= hi` of a ball proved to contain
    /// the value agree after rounding; `mid` (between them) is the value kept. Rounding is
    /// monotone, so every point of the ball, the exact value among them, rounds to the digits
    /// shown. A ball that is exactly zero is 0 with every digit; a ball that meets zero
    /// otherwise has none.
    pub fn from_ball(mid: Float, lo: &Float, hi: &Float, max_digits: u32) -> Certified {
        let digits = if lo.is_zero() && hi.is_zero() {
            max_digits
        } else if !lo.is_finite()
            || !hi.is_finite()
            || (lo.is_sign_negative() != hi.is_sign_negative() && !lo.is_zero() && !hi.is_zero())
        {
            0
        } else {
            Certified::from_pair(lo, hi, max_digits).digits
        };
        Certified {
            value: mid,
            digits,
            provenance: Provenance::Ball,
        }
    }

    /// Like [`Certified::from_pair`], for a point of the support `[a, b]` whose natural accuracy is
    /// absolute: when both values lie within the coarser precision's rounding noise of zero on
    /// the support's scale `scale = max(|a|, |b|)`, the point is zero to that accuracy and is
    /// reported as exactly 0 (relative digits of a value that is zero up to rounding do not
    /// exist, so `from_pair` would certify none).
    pub fn from_pair_on_support(
        coarse: &Float,
        fine: &Float,
        scale: &Float,
        max_digits: u32,
    ) -> Certified {
        let relative = Certified::from_pair(coarse, fine, max_digits);
        if relative.digits >= max_digits || scale.is_zero() {
            return relative;
        }
        let noise = Float::with_val(
            64,
            Float::with_val(64, scale.clone().abs()) >> (coarse.prec().saturating_sub(8) as i32),
        );
        let small = |x: &Float| Float::with_val(64, x.clone().abs()) <= noise;
        if small(coarse) && small(fine) {
            Certified {
                value: Float::new(fine.prec()),
                digits: max_digits,
                provenance: Provenance::TwoPrecisions,
            }
        } else {
            relative
        }
    }

    /// An exact rational rounded to `digits` significant digits (all of them certified).
    pub fn exact(q: &efftrade_model::BigRational, digits: u32) -> Certified {
        let prec = bits_for_digits(digits, 16);
        Certified {
            value: Float::with_val(prec, crate::program::to_rug(q)),
            digits,
            provenance: Provenance::Exact,
        }
    }

    /// A value known to within `error` (an error bar, not a rounding error): the digits, up to
    /// `max_digits`, on which `value - e` and `value + e` agree, where `e` is `error` plus the
    /// rounding noise of `value`'s precision. When `zero_within_error` is set (a small,
    /// deterministic error bar) a value that is zero within `e` is reported as 0 with
    /// `max_digits` digits; otherwise such a value has no certified digit.
    pub fn within(
        value: &Float,
        error: &Float,
        max_digits: u32,
        zero_within_error: bool,
    ) -> Certified {
        let prec = value.prec();
        let noise = Float::with_val(prec, value.clone().abs() + 1u32)
            * Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 16));
        let e = Float::with_val(prec, error + &noise);
        if zero_within_error && Float::with_val(prec, value.abs_ref()) <= e {
            return Certified {
                value: Float::new(prec),
                digits: max_digits,
                provenance: Provenance::ErrorBar,
            };
        }
        let ends = Certified::from_pair(
            &Float::with_val(prec, value - &e),
            &Float::with_val(prec, value + &e),
            max_digits,
        );
        Certified {
            value: value.clone(),
            digits: ends.digits,
            provenance: Provenance::ErrorBar,
        }
    }

    /// A limit estimated by extrapolation, shown to the `digits` its estimate of the error
    /// leaves: an estimate, not a bound.
    pub fn extrapolated(value: Float, digits: u32) -> Certified {
        Certified {
            value,
            digits,
            provenance: Provenance::Extrapolated,
        }
    }

    /// A value computed from the certified `inputs` (a quotient, a difference) with the
    /// `digits` the caller has shown to survive the operation; its provenance is the weakest of
    /// the inputs'.
    pub fn derived(value: Float, digits: u32, inputs: &[&Certified]) -> Certified {
        let provenance = inputs
            .iter()
            .map(|c| c.provenance)
            .fold(Provenance::Exact, Provenance::weakest);
        let digits = inputs.iter().map(|c| c.digits).fold(digits, u32::min);
        Certified {
            value,
            digits,
            provenance,
        }
    }

    /// `n` times the value: multiplying by an exact integer keeps every certified digit (the
    /// product is rounded once, at the value's precision).
    pub fn times_integer(&self, n: &rug::Integer) -> Certified {
        let prec = self.value.prec();
        Certified {
            value: Float::with_val(prec, &self.value * n),
            digits: self.digits,
            provenance: self.provenance,
        }
    }

    /// The value with at most `digits` certified digits (a cap from an error bound, or the
    /// digits a report prints).
    pub fn capped(self, digits: u32) -> Certified {
        Certified {
            digits: self.digits.min(digits),
            ..self
        }
    }

    /// The value at the working precision that certified it.
    pub fn value(&self) -> &Float {
        &self.value
    }

    /// Certified significant decimal digits (0: not even the first digit is certain).
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// How the digits were certified.
    pub fn provenance(&self) -> Provenance {
        self.provenance
    }

    /// The certified digits as a plain decimal (`8.4437944912944`, `-0.16666`, `1.25e-40`).
    pub fn to_decimal(&self) -> String {
        if self.value.is_zero() {
            return "0".to_string();
        }
        if self.digits == 0 || !self.value.is_finite() {
            return "?".to_string();
        }
        round_decimal(&self.value, self.digits)
    }

    /// The value rounded to at most `digits` of its certified digits.
    pub fn to_decimal_at(&self, digits: u32) -> String {
        self.clone().capped(digits).to_decimal()
    }
}

/// `x` rounded to `digits` significant digits (at least one), in the layout of
/// [`format_decimal`]; `0` for zero. For numbers that are not certified (a grid point named in a
/// message, an estimate shown beside its error bar): nothing about their correctness is claimed.
pub fn round_decimal(x: &Float, digits: u32) -> String {
    if x.is_zero() {
        return "0".to_string();
    }
    if !x.is_finite() {
        return "?".to_string();
    }
    let (negative, digits, exp) = rounded(x, digits.max(1));
    format_decimal(negative, &digits, exp.unwrap_or(0))
}

/// Writes `0.DIGITS x 10^exp` by efftrade's one layout rule for numbers,
/// [`efftrade_model::digits::layout_decimal`]: fixed notation when it shows exactly these
/// digits (no padding zeros, at most six zeros after the point), else scientific notation with
/// one digit before the point.
pub fn format_decimal(negative: bool, digits: &str, exp: i32) -> String {
    efftrade_model::digits::layout_decimal(negative, digits, exp)
}

/// A certified value serialises as its decimal string of certified digits.
impl serde::Serialize for Certified {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_decimal())
    }
}

impl fmt::Display for Certified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal())
    }
}

/// Working precision in bits for `digits` decimal digits plus `guard` guard bits.
pub fn bits_for_digits(digits: u32, guard: u32) -> u32 {
    (f64::from(digits) * std::f64::consts::LOG2_10).ceil() as u32 + guard
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(prec: u32, s: &str) -> Float {
        Float::with_val(prec, Float::parse(s).unwrap())
    }

    #[test]
    fn agreeing_digits_only() {
        let c = Certified::from_pair(
            &f(200, "8.44379449129445001"),
            &f(200, "8.44379449129444999"),
            50,
        );
        assert_eq!(c.digits, 17);
        assert_eq!(c.to_decimal(), "8.4437944912944500");
        let c = Certified::from_pair(&f(200, "0.149999"), &f(200, "0.150001"), 50);
        // Both ends are within 5e-6 of 0.15: five digits, 0.15000, are certified.
        assert_eq!(c.to_decimal(), "0.15000");
        let c = Certified::from_pair(&f(200, "-1.25e-40"), &f(200, "-1.25e-40"), 3);
        assert_eq!(c.to_decimal(), "-1.25e-40");
        let c = Certified::from_pair(&f(200, "1"), &f(200, "2"), 30);
        assert_eq!(c.digits, 0);
        assert_eq!(c.to_decimal(), "?");
    }

    #[test]
    fn decimal_layout() {
        assert_eq!(format_decimal(false, "123", 1), "1.23");
        assert_eq!(format_decimal(true, "5", 0), "-0.5");
        assert_eq!(format_decimal(false, "12", 5), "1.2e4");
        assert_eq!(format_decimal(false, "12345", 5), "12345");
        assert_eq!(format_decimal(false, "12", -7), "1.2e-8");
        assert_eq!(format_decimal(false, "12", 60), "1.2e59");
    }
}

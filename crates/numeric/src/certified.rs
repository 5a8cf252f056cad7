//! Values with certified digits.
//!
//! A result is computed at two working precisions; the digits on which both agree (after
//! rounding each to the same number of significant digits) are certified and are the only ones
//! ever printed. Rounding is monotone, so when both computations round to one decimal, every
//! value between them does too.

use std::fmt;

use rug::Float;

/// Largest number of significant decimal digits a user may request.
pub const MAX_DIGITS: u32 = 10_000;

/// A value and the number of its leading significant decimal digits known to be correct.
#[derive(Clone, Debug, PartialEq)]
pub struct Certified {
    /// The value at the higher working precision.
    pub value: Float,
    /// Certified significant decimal digits (0: not even the first digit is certain).
    pub digits: u32,
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
        let value = fine.clone();
        if !coarse.is_finite() || !fine.is_finite() {
            return Certified { value, digits: 0 };
        }
        if coarse.is_zero() && fine.is_zero() {
            return Certified {
                value,
                digits: max_digits,
            };
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
        Certified { value, digits: d }
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
        }
    }

    /// The certified digits as a plain decimal (`8.4437944912944`, `-0.16666`, `1.25e-40`).
    pub fn to_decimal(&self) -> String {
        if self.value.is_zero() {
            return "0".to_string();
        }
        if self.digits == 0 || !self.value.is_finite() {
            return "?".to_string();
        }
        let (negative, digits, exp) = rounded(&self.value, self.digits);
        let exp = exp.unwrap_or(0);
        format_decimal(negative, &digits, exp)
    }

    /// The value rounded to at most `digits` of its certified digits.
    pub fn to_decimal_at(&self, digits: u32) -> String {
        Certified {
            value: self.value.clone(),
            digits: self.digits.min(digits),
        }
        .to_decimal()
    }
}

/// Writes `0.DIGITS x 10^exp` as a person would: plainly for moderate exponents, else in
/// e-notation with one digit before the point.
pub fn format_decimal(negative: bool, digits: &str, exp: i32) -> String {
    let sign = if negative { "-" } else { "" };
    let n = digits.len() as i32;
    let body = if (-6..=0).contains(&exp) {
        format!("0.{}{}", "0".repeat((-exp) as usize), digits)
    } else if exp > 0 && exp <= 40 {
        if exp >= n {
            format!("{digits}{}", "0".repeat((exp - n) as usize))
        } else {
            format!("{}.{}", &digits[..exp as usize], &digits[exp as usize..])
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{}", exp - 1)
    };
    format!("{sign}{body}")
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
        assert_eq!(format_decimal(false, "12", 5), "12000");
        assert_eq!(format_decimal(false, "12", -7), "1.2e-8");
        assert_eq!(format_decimal(false, "12", 60), "1.2e59");
    }
}

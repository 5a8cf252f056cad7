//! Printing numbers with only their certified digits: the one layout rule of every number
//! efftrade prints.
//!
//! [`layout_decimal`] writes significant digits `0.DIGITS x 10^exp` and is used by every printer
//! of a computed value (the MPFR engine's certified values through
//! `efftrade_numeric::certified::format_decimal`, and [`certified_decimal`] here), so one value
//! is spelled alike in JSON, CSV, aligned text, LaTeX and Markdown. Its rule: every digit
//! printed is one of the significant digits given, so a number is written in fixed notation
//! only when that needs no padding zeros (its integer part has at most as many digits as are
//! certified) and at most [`MAX_LEADING_ZEROS`] zeros after the point; otherwise in scientific
//! notation with one digit before the point (`6.20583967575e20`, never
//! `620583967575000000000`; `1.25e-40`). That form is what siunitx's `S` columns parse.
//!
//! A value known to lie in `[lo, hi]` is printed by [`certified_decimal`] with the largest
//! number of significant digits `d` for which `lo` and `hi` round to the same `d`-digit
//! decimal: since rounding is monotone, every number between them rounds to that decimal too,
//! so each printed digit is certified.

/// The most zeros a fixed-notation number may show between its point and its first
/// significant digit (`0.000000123`); a smaller number is written as `1.23e-8`.
pub const MAX_LEADING_ZEROS: i32 = 6;

/// Writes the significant digits `digits` of `0.DIGITS x 10^exp` (sign apart) as efftrade
/// prints every number: in fixed notation when that shows exactly these digits, with at most
/// [`MAX_LEADING_ZEROS`] zeros after the point and no padding zeros before it (`123.45`,
/// `0.0012`, `620`), else in scientific notation with one digit before the point
/// (`6.20583967575e20`, `1.2e-8`). `digits` must be a non-empty string of ASCII digits.
pub fn layout_decimal(negative: bool, digits: &str, exp: i32) -> String {
    let sign = if negative { "-" } else { "" };
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let body = if (-MAX_LEADING_ZEROS..=0).contains(&exp) {
        format!("0.{}{}", "0".repeat(exp.unsigned_abs() as usize), digits)
    } else if exp > 0 && exp <= n {
        let point = exp as usize;
        if point == digits.len() {
            digits.to_string()
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    } else {
        let split = digits
            .char_indices()
            .nth(1)
            .map_or(digits.len(), |(i, _)| i);
        let (first, rest) = digits.split_at(split);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{}", i64::from(exp) - 1)
    };
    format!("{sign}{body}")
}

/// The digits of a value enclosed in `[lo, hi]` that both ends agree on, with at most
/// `max_digits` significant digits. When not even one digit is certain, the enclosure itself is
/// printed as `[lo, hi]`.
pub fn certified_decimal(lo: f64, hi: f64, max_digits: usize) -> String {
    if lo == hi && lo == 0.0 {
        return "0".to_string();
    }
    for d in (1..=max_digits.clamp(1, 17)).rev() {
        let a = format!("{:.*e}", d - 1, lo);
        let b = format!("{:.*e}", d - 1, hi);
        if a == b {
            return plain(&a);
        }
    }
    format!(
        "[{}, {}]",
        plain(&format!("{lo:.3e}")),
        plain(&format!("{hi:.3e}"))
    )
}

/// `x` rounded to `digits` significant digits (at least one) and laid out by
/// [`layout_decimal`]: for an estimate shown to a few digits (a relative difference, a
/// violation), whose digits are not certified; `0` for zero.
pub fn round_f64(x: f64, digits: usize) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if !x.is_finite() {
        return x.to_string();
    }
    plain(&format!("{:.*e}", digits.clamp(1, 17) - 1, x))
}

/// Lays out Rust's `1.2345e2` by [`layout_decimal`] (here `123.45`).
fn plain(sci: &str) -> String {
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci.to_string();
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return sci.to_string();
    };
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return sci.to_string();
    }
    layout_decimal(negative, &digits, exp.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_agreeing_digits_are_printed() {
        // 8.4438061 and 8.4438063 differ in the 8th digit; both round to 8.443806.
        assert_eq!(certified_decimal(8.443_806_1, 8.443_806_3, 17), "8.443806");
        assert_eq!(certified_decimal(0.999_997_3, 0.999_997_3, 6), "0.999997");
        assert_eq!(certified_decimal(1.0, 1.0, 17), "1.0000000000000000");
        assert_eq!(certified_decimal(-2.5e-7, -2.5e-7, 2), "-0.00000025");
        assert_eq!(certified_decimal(-2.5e-8, -2.5e-8, 2), "-2.5e-8");
        assert_eq!(certified_decimal(123.0, 123.0, 3), "123");
        assert_eq!(certified_decimal(0.0, 0.0, 5), "0");
        assert!(certified_decimal(-1e-17, 1e-17, 10).starts_with('['));
        // Two certified digits of 123 are 1.2e2, never the padded 120.
        assert_eq!(certified_decimal(123.0, 123.0, 2), "1.2e2");
        assert_eq!(certified_decimal(6.2e-7, 6.2e-7, 2), "0.00000062");
        assert_eq!(certified_decimal(6.2e-8, 6.2e-8, 2), "6.2e-8");
    }

    #[test]
    fn estimates_are_laid_out_by_the_same_rule() {
        assert_eq!(round_f64(0.003_791, 2), "0.0038");
        assert_eq!(round_f64(-3.2e-9, 2), "-3.2e-9");
        assert_eq!(round_f64(1234.5, 2), "1.2e3");
        assert_eq!(round_f64(0.0, 3), "0");
    }

    #[test]
    fn fixed_notation_only_without_padding_or_many_leading_zeros() {
        assert_eq!(layout_decimal(false, "123", 1), "1.23");
        assert_eq!(layout_decimal(true, "5", 0), "-0.5");
        assert_eq!(layout_decimal(false, "620", 3), "620");
        assert_eq!(layout_decimal(false, "12", 5), "1.2e4");
        assert_eq!(
            layout_decimal(false, "620583967575", 21),
            "6.20583967575e20"
        );
        assert_eq!(layout_decimal(false, "12", -6), "0.00000012");
        assert_eq!(layout_decimal(false, "12", -7), "1.2e-8");
        assert_eq!(layout_decimal(true, "1", 60), "-1e59");
        // Every printed digit is one of those given, in either notation.
        for exp in -12..=30 {
            let s = layout_decimal(false, "1234567", exp);
            let significant: String = s
                .split('e')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .trim_start_matches('0')
                .to_string();
            assert_eq!(significant, "1234567", "{s}");
        }
    }
}

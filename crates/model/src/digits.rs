//! Printing an enclosed value with only its certified digits.
//!
//! A value known to lie in `[lo, hi]` is printed with the largest number of significant digits
//! `d` for which `lo` and `hi` round to the same `d`-digit decimal: since rounding is monotone,
//! every number between them rounds to that decimal too, so each printed digit is certified.

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

/// Turns Rust's `1.2345e2` into `123.45` when the exponent is moderate, else `1.2345e2`.
fn plain(sci: &str) -> String {
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci.to_string();
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return sci.to_string();
    };
    if !(-5..=15).contains(&exp) {
        return sci.to_string();
    }
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let point = 1 + exp; // digits before the decimal point
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    if negative { format!("-{body}") } else { body }
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
        assert_eq!(certified_decimal(-2.5e-7, -2.5e-7, 2), "-2.5e-7");
        assert_eq!(certified_decimal(123.0, 123.0, 3), "123");
        assert_eq!(certified_decimal(0.0, 0.0, 5), "0");
        assert!(certified_decimal(-1e-17, 1e-17, 10).starts_with('['));
    }
}

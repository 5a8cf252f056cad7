//! The strict number grammar that decides which cells siunitx may parse, and the
//! `table-format` of an `S` column.

use std::fmt::Write as _;

/// The widest number of an `S` column, which sets its `table-format`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnFormat {
    sign: bool,
    int: usize,
    dec: usize,
    /// `(negative, digit count)` of the exponent.
    exp: Option<(bool, usize)>,
}

impl ColumnFormat {
    /// The widest number among `cells` (sign, digits, exponent taken separately over the
    /// parsable cells); `None` when none parses.
    pub(crate) fn of<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let mut f: Option<ColumnFormat> = None;
        for cell in cells {
            let Some(n) = parse_number(cell.trim()) else {
                continue;
            };
            let g = f.get_or_insert(ColumnFormat {
                sign: false,
                int: 1,
                dec: 0,
                exp: None,
            });
            g.sign |= n.sign;
            g.int = g.int.max(n.int_digits);
            g.dec = g.dec.max(n.frac_digits);
            if let Some((neg, digits)) = n.exponent {
                let (old_neg, old_digits) = g.exp.unwrap_or((false, 1));
                g.exp = Some((old_neg || neg, old_digits.max(digits)));
            }
        }
        f
    }

    /// The `table-format` value, e.g. `-1.39e-2`.
    pub(crate) fn table_format(&self) -> String {
        let mut f = String::new();
        if self.sign {
            f.push('-');
        }
        let _ = write!(f, "{}", self.int);
        if self.dec > 0 {
            let _ = write!(f, ".{}", self.dec);
        }
        if let Some((neg, digits)) = self.exp {
            f.push('e');
            if neg {
                f.push('-');
            }
            let _ = write!(f, "{digits}");
        }
        f
    }

    /// Typeset width in digit widths: digits, thin spaces between groups of three, the sign,
    /// and `\times 10^{e}`.
    pub(crate) fn width_chars(&self) -> usize {
        let groups = |d: usize| if d >= 5 { (d - 1) / 3 } else { 0 };
        usize::from(self.sign)
            + self.int
            + usize::from(self.dec > 0)
            + self.dec
            + (groups(self.int) + groups(self.dec)) / 2
            + self.exp.map_or(0, |(neg, d)| 4 + usize::from(neg) + d)
    }
}

/// The shape of a number cell that siunitx can parse.
pub(crate) struct NumberShape {
    sign: bool,
    int_digits: usize,
    frac_digits: usize,
    /// `(negative, digit count)` of the exponent.
    exponent: Option<(bool, usize)>,
}

/// Whether `s` is a number every siunitx version reads:
/// `[+-]? digits [. digits] ([eE] [+-]? digits)?` (no bare leading or trailing decimal point).
pub fn is_siunitx_number(s: &str) -> bool {
    parse_number(s).is_some()
}

/// Parses `[+-]? digits [. digits] ([eE] [+-]? digits)?`: the forms every siunitx version
/// reads, nothing more.
pub(crate) fn parse_number(s: &str) -> Option<NumberShape> {
    let b = s.as_bytes();
    let mut i = 0;
    let sign = matches!(b.first(), Some(b'+' | b'-'));
    if sign {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = digits(&mut i);
        if frac_digits == 0 {
            return None;
        }
    }
    if int_digits == 0 {
        return None;
    }
    let mut exponent = None;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let neg = i < b.len() && b[i] == b'-';
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let n = digits(&mut i);
        if n == 0 {
            return None;
        }
        exponent = Some((neg, n));
    }
    (i == b.len()).then_some(NumberShape {
        sign,
        int_digits,
        frac_digits,
        exponent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_number_grammar() {
        for ok in [
            "0",
            "-1.5",
            "+1.25",
            "1.5e-30",
            "2E+7",
            "12345678901234567890.5",
        ] {
            assert!(is_siunitx_number(ok), "{ok}");
        }
        for bad in [
            "", "-", ".", ".5", "3.", "e5", "1e", "1.5e-", "NaN", "inf", "1,5", "< 1e-29",
            "1.2(3)", "1 2",
        ] {
            assert!(!is_siunitx_number(bad), "{bad}");
        }
    }

    #[test]
    fn table_format_takes_each_part_from_the_widest_cell() {
        let f = ColumnFormat::of(["2", "-0.125", "3.5e12", "n/a", "1.25E-7"]).unwrap();
        assert_eq!(f.table_format(), "-1.3e-2");
        assert_eq!(ColumnFormat::of(["12", "7"]).unwrap().table_format(), "2");
        assert_eq!(ColumnFormat::of(["+3.25"]).unwrap().table_format(), "-1.2");
        assert!(ColumnFormat::of(["NaN", "--", ""]).is_none());
        // 2 digits, the point, 6 decimals (one thin space between their groups, half a digit
        // width, rounded down to none), and `\times 10^{-2}` (4 + the sign + 2 digits).
        let w = ColumnFormat::of(["12.123456e-10"]).unwrap();
        assert_eq!(w.table_format(), "2.6e-2");
        assert_eq!(w.width_chars(), 16);
    }
}

//! The exponent `alpha` of `1 - F(b - d) ~ c d^alpha` (Lemma 3): a positive rational, an integer
//! when `F` is analytic at `b` as the paper assumes.

use std::fmt;

use rug::Float;
use rug::ops::Pow;
use serde::{Serialize, Serializer};

/// A positive rational exponent `num / den` in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Alpha {
    num: u32,
    den: u32,
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Alpha {
    /// `num / den` in lowest terms, or `None` unless both are positive.
    pub fn new(num: u32, den: u32) -> Option<Alpha> {
        (num > 0 && den > 0).then(|| {
            let g = gcd(num, den);
            Alpha {
                num: num / g,
                den: den / g,
            }
        })
    }

    /// The numerator.
    pub fn num(self) -> u32 {
        self.num
    }

    /// The denominator (1 for an integer).
    pub fn den(self) -> u32 {
        self.den
    }

    /// The integer value, when `alpha` is one (the paper's case).
    pub fn integer(self) -> Option<u32> {
        (self.den == 1).then_some(self.num)
    }

    /// `alpha` rounded to `prec` bits.
    pub fn to_float(self, prec: u32) -> Float {
        Float::with_val(prec, self.num) / self.den
    }

    /// `1 / alpha` rounded to `prec` bits.
    pub fn inverse(self, prec: u32) -> Float {
        Float::with_val(prec, self.den) / self.num
    }

    /// `x^(1/alpha)` for `x >= 0`: `x^den` then its `num`-th root (for an integer `alpha` the root
    /// alone, as the paper's case has always been computed).
    pub fn root_of(self, x: &Float) -> Float {
        let prec = x.prec();
        if self.den == 1 {
            Float::with_val(prec, x.clone().root(self.num))
        } else {
            Float::with_val(prec, x.clone().pow(self.den)).root(self.num)
        }
    }

    /// `x^alpha` for `x >= 0`: `x^num` then its `den`-th root.
    pub fn power_of(self, x: &Float) -> Float {
        let prec = x.prec();
        let p = Float::with_val(prec, x.clone().pow(self.num));
        if self.den == 1 { p } else { p.root(self.den) }
    }
}

impl From<u32> for Alpha {
    fn from(k: u32) -> Alpha {
        Alpha {
            num: k.max(1),
            den: 1,
        }
    }
}

impl PartialEq<u32> for Alpha {
    fn eq(&self, k: &u32) -> bool {
        self.den == 1 && self.num == *k
    }
}

impl fmt::Display for Alpha {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// An integer `alpha` is a JSON number (as it always was); any other is the string `"num/den"`.
impl Serialize for Alpha {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.integer() {
            Some(k) => serializer.serialize_u32(k),
            None => serializer.collect_str(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_is_reduced_printed_and_powers_agree_with_mpfr() {
        let a = Alpha::new(10, 4).unwrap();
        assert_eq!((a.num(), a.den(), a.to_string()), (5, 2, "5/2".to_string()));
        assert_eq!(Alpha::from(3).to_string(), "3");
        assert!(Alpha::new(0, 1).is_none());
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"5/2\"");
        assert_eq!(serde_json::to_string(&Alpha::from(2)).unwrap(), "2");
        // 7^(2/5) and 7^(5/2) against MPFR's pow.
        let prec = 200;
        let x = Float::with_val(prec, 7);
        let (two_fifths, five_halves) = (
            Float::with_val(prec, 2) / 5u32,
            Float::with_val(prec, 5) / 2u32,
        );
        for (got, e) in [(a.root_of(&x), two_fifths), (a.power_of(&x), five_halves)] {
            let want = Float::with_val(prec, x.clone().pow(&e));
            let rel = Float::with_val(prec, (got - &want) / &want).abs();
            assert!(rel < Float::with_val(53, Float::i_exp(1, -195)), "{rel}");
        }
    }
}

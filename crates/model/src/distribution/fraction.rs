//! Fractions of big integers that are reduced only when they grow: the ends of
//! [`super::rational_interval::RationalInterval`].
//!
//! `num_rational::BigRational` reduces by a gcd after every operation and orders by continued
//! fractions, which is correct but makes a validation with rational ends slow; here a product is
//! two multiplications, a sum three, an order two, and the gcd is taken only when a numerator or
//! denominator passes a size (by [`Q::reduced`], called by the interval's rounding).

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};

/// The fraction `n / d` with `d > 0`, not necessarily in lowest terms.
#[derive(Clone, Debug)]
pub struct Q {
    n: BigInt,
    d: BigInt,
}

impl Q {
    /// `n / d`; `d` must not be zero.
    pub fn new(n: BigInt, d: BigInt) -> Q {
        if d.is_negative() {
            Q { n: -n, d: -d }
        } else {
            Q { n, d }
        }
    }

    /// The integer `n`.
    pub fn from_integer(n: BigInt) -> Q {
        Q {
            n,
            d: BigInt::one(),
        }
    }

    /// `0`.
    pub fn zero() -> Q {
        Q::from_integer(BigInt::zero())
    }

    /// `1`.
    pub fn one() -> Q {
        Q::from_integer(BigInt::one())
    }

    /// The double `x` exactly, or `None` for an infinity or NaN.
    pub fn from_f64(x: f64) -> Option<Q> {
        BigRational::from_f64(x).map(|q| Q::from(&q))
    }

    /// The nearest double (or an infinity).
    pub fn to_f64(&self) -> Option<f64> {
        self.to_ratio().to_f64()
    }

    /// The same number as a reduced `BigRational`.
    pub fn to_ratio(&self) -> BigRational {
        BigRational::new(self.n.clone(), self.d.clone())
    }

    /// The same number in lowest terms.
    pub fn reduced(&self) -> Q {
        let g = self.n.gcd(&self.d);
        if g.is_one() || g.is_zero() {
            self.clone()
        } else {
            Q {
                n: &self.n / &g,
                d: &self.d / &g,
            }
        }
    }

    /// The numerator (of this representation).
    pub fn numer(&self) -> &BigInt {
        &self.n
    }

    /// The denominator (positive, of this representation).
    pub fn denom(&self) -> &BigInt {
        &self.d
    }

    /// Whether the number is 0.
    pub fn is_zero(&self) -> bool {
        self.n.is_zero()
    }

    /// Whether the number is 1.
    pub fn is_one(&self) -> bool {
        self.n == self.d
    }

    /// Whether the number is above 0.
    pub fn is_positive(&self) -> bool {
        self.n.is_positive()
    }

    /// Whether the number is below 0.
    pub fn is_negative(&self) -> bool {
        self.n.is_negative()
    }

    /// `|self|`.
    pub fn abs(&self) -> Q {
        Q {
            n: self.n.abs(),
            d: self.d.clone(),
        }
    }

    /// `1 / self`; `self` must not be 0.
    pub fn recip(&self) -> Q {
        Q::new(self.d.clone(), self.n.clone())
    }

    /// `self + o`.
    pub fn add(&self, o: &Q) -> Q {
        if self.d == o.d {
            Q {
                n: &self.n + &o.n,
                d: self.d.clone(),
            }
        } else {
            Q {
                n: &self.n * &o.d + &o.n * &self.d,
                d: &self.d * &o.d,
            }
        }
    }

    /// `self * o`.
    pub fn mul(&self, o: &Q) -> Q {
        Q {
            n: &self.n * &o.n,
            d: &self.d * &o.d,
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Q {
        Q {
            n: -&self.n,
            d: self.d.clone(),
        }
    }

    /// `self^k` (exact).
    pub fn pow(&self, k: u32) -> Q {
        Q {
            n: self.n.pow(k),
            d: self.d.pow(k),
        }
    }
}

impl From<&BigRational> for Q {
    fn from(q: &BigRational) -> Q {
        Q {
            n: q.numer().clone(),
            d: q.denom().clone(),
        }
    }
}

impl PartialEq for Q {
    fn eq(&self, o: &Q) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Q {}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    /// By cross-multiplication (denominators are positive).
    fn cmp(&self, o: &Q) -> Ordering {
        if self.d == o.d {
            self.n.cmp(&o.n)
        } else {
            (&self.n * &o.d).cmp(&(&o.n * &self.d))
        }
    }
}

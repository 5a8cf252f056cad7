//! Sine and cosine of MPFR floats by fixed-point arithmetic on 64-bit words.
//!
//! The CDFs of the paper's examples (Example 1's `0.1 x + 0.1 (1 - cos x)`) spend most of an
//! integrand evaluation in the cosine. MPFR computes each cosine with its general machinery
//! (allocating, with a rounding test); here the working precision is fixed, so the cosine is a
//! short computation on a few words, in the manner of Arb's fixed-point elementary functions:
//!
//! 1. `x = q pi/2 + r` with `|r| <= pi/4` (`q` from double precision, `r` at 64 bits beyond the
//!    working precision);
//! 2. `|r| = j/128 + t` with `0 <= t < 1/128`: `j` is the top seven bits of `|r|` as a fixed-point
//!    number, and `cos(j/128)`, `sin(j/128)` come from a table computed once per word count;
//! 3. `sin t` and `1 - cos t` by their Taylor series in `t^2` (Horner's rule, every partial sum
//!    positive, so unsigned words suffice);
//! 4. `cos |r| = cos(j/128) - [cos(j/128) (1 - cos t) + sin(j/128) sin t]` and
//!    `sin |r| = sin(j/128) + cos(j/128) sin t - sin(j/128) (1 - cos t)`, then the quadrant.
//!
//! Numbers carry `f` fraction words (at least 24 bits beyond the working precision) and one
//! integer word. Each operation truncates at most a few units of the last word, so the result is
//! within a few dozen units of `2^(-64 f)` before its rounding to the working precision: correct
//! to the working precision but for the rare value within `2^-16` ulp of a rounding boundary. Results
//! smaller than `2^-40` (where that absolute error would be a larger relative one), arguments
//! beyond `2^20` and precisions beyond 960 bits go to MPFR.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rug::float::Constant;
use rug::integer::Order;
use rug::ops::NegAssign;
use rug::{Assign, Float, Integer};

/// Bits carried beyond the working precision.
const GUARD: usize = 24;
/// Most fraction words (precisions up to 1000 bits use fixed point).
const MAX_FRACTION: usize = 16;
/// Words of a fixed-point number: the fraction words and one integer word.
const WORDS: usize = MAX_FRACTION + 1;
/// Bits of `|r|` that index the table: `j = floor(128 |r|)`.
const TABLE_BITS: u32 = 7;
/// Table entries: `j = 0 ..= 103` covers `|r| < 104/128`, beyond `pi/4`.
const TABLE_LEN: usize = 104;
/// Arguments at least this large go to MPFR (the reduction by `pi/2` keeps its accuracy below).
const MAX_ARGUMENT: f64 = 1048576.0;

/// A fixed-point number: `Σ w[i] 2^(64 (i - f))` for `f` fraction words; word `f` is the integer
/// part.
type Fixed = [u64; WORDS];

/// What the fixed-point sine and cosine need at one word count: `pi/2`, the table and the
/// Taylor coefficients.
#[derive(Debug)]
struct Tables {
    /// Fraction words.
    f: usize,
    /// `pi/2` at `64 f + 128` bits.
    half_pi: Float,
    /// `(cos(j/128), sin(j/128))`.
    table: Vec<(Fixed, Fixed)>,
    /// `1/k!` for `k = 0 ..= terms`.
    inverse_factorials: Vec<Fixed>,
    /// Terms of `sin t` (`t^1, t^3, ...`) and of `1 - cos t` (`t^2, t^4, ...`): `k = 0 .. terms`.
    terms: usize,
}

fn tables(f: usize) -> Arc<Tables> {
    type Cache = Mutex<HashMap<usize, Arc<Tables>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(t) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&f) {
        return Arc::clone(t);
    }
    let built = Arc::new(Tables::new(f));
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(f)
        .or_insert(built)
        .clone()
}

impl Tables {
    fn new(f: usize) -> Tables {
        let bits = 64 * f as u32 + 80;
        let mut int = Integer::new();
        let fixed = |v: &Float, int: &mut Integer| to_fixed(v, f, int);
        // (cos, sin)((j+1)/128) from (cos, sin)(j/128) by the addition formulas: each step adds a
        // few units of 2^-bits, far below the last fraction word after 103 steps.
        let (s1, c1) = (Float::with_val(bits, 1u32) >> TABLE_BITS).sin_cos(Float::new(bits));
        let (mut c, mut s) = (Float::with_val(bits, 1u32), Float::new(bits));
        let mut table = Vec::with_capacity(TABLE_LEN);
        for _ in 0..TABLE_LEN {
            table.push((fixed(&c, &mut int), fixed(&s, &mut int)));
            let next_c = Float::with_val(bits, &c * &c1) - Float::with_val(bits, &s * &s1);
            s = Float::with_val(bits, &s * &c1) + Float::with_val(bits, &c * &s1);
            c = next_c;
        }
        // Terms until (2^-7)^k / k! < 2^-(64 f - 8): the series' tails are 2^-16 below the last
        // bit of any precision served (at most 64 f - GUARD bits).
        let target = -(64.0 * f as f64 - 8.0);
        let mut k = 1usize;
        let mut log2_term = -f64::from(TABLE_BITS);
        while log2_term > target {
            k += 1;
            log2_term += -f64::from(TABLE_BITS) - (k as f64).log2();
        }
        // k is the first power below the target; sin needs odd powers < k, 1 - cos even ones.
        let terms = k / 2 + 1;
        let inverse_factorials = (0..=2 * terms + 1)
            .map(|k| {
                let factorial = Float::with_val(bits, Integer::from(Integer::factorial(k as u32)));
                fixed(&Float::with_val(bits, factorial.recip_ref()), &mut int)
            })
            .collect();
        Tables {
            f,
            half_pi: Float::with_val(64 * f as u32 + 128, Constant::Pi) / 2u32,
            table,
            inverse_factorials,
            terms,
        }
    }
}

/// `v` (in `[0, 2)`) as a fixed-point number with `f` fraction words, truncated.
fn to_fixed(v: &Float, f: usize, int: &mut Integer) -> Fixed {
    let mut w = [0u64; WORDS];
    if v.is_zero() {
        return w;
    }
    let exp = v
        .to_integer_exp_in_place(int)
        .expect("a finite value converts");
    *int <<= exp + 64 * f as i32;
    int.abs_mut();
    int.write_digits(&mut w[..=f], Order::Lsf);
    w
}

/// The first `N` words of `a`.
fn take<const N: usize>(a: &Fixed) -> [u64; N] {
    let mut out = [0u64; N];
    out.copy_from_slice(&a[..N]);
    out
}

/// `a + b`.
fn add<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut carry = false;
    for i in 0..N {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        out[i] = s;
        carry = c1 || c2;
    }
    out
}

/// `a - b` (`a >= b`).
fn sub<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut borrow = false;
    for i in 0..N {
        let (s, b1) = a[i].overflowing_sub(b[i]);
        let (s, b2) = s.overflowing_sub(u64::from(borrow));
        out[i] = s;
        borrow = b1 || b2;
    }
    out
}

/// `a b` with `N - 1` fraction words, truncated: the partial products below word `N - 2` of the
/// double-length product are skipped (together they are less than `N` units of the last word).
fn mul<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    // Words N - 2 ..= 2N - 1 of the product, at offset N - 2.
    let mut product = [0u64; WORDS + 2];
    let low = N.saturating_sub(2);
    for (i, &ai) in a.iter().enumerate() {
        if ai == 0 {
            continue;
        }
        let mut carry = 0u64;
        let first = low.saturating_sub(i);
        for (j, &bj) in b.iter().enumerate().skip(first) {
            let k = i + j - low;
            let t = u128::from(ai) * u128::from(bj) + u128::from(product[k]) + u128::from(carry);
            product[k] = t as u64;
            carry = (t >> 64) as u64;
        }
        let mut k = i + N - low;
        while carry != 0 && k < N + 2 {
            let (s, c) = product[k].overflowing_add(carry);
            product[k] = s;
            carry = u64::from(c);
            k += 1;
        }
    }
    let mut out = [0u64; N];
    out.copy_from_slice(&product[N - 1 - low..2 * N - 1 - low]);
    out
}

/// `Σ_k (-1)^k c_k u^k` by Horner's rule over the coefficients given (highest last); they
/// decrease fast enough (`u < 2^-14`) that every partial sum is positive.
fn alternating<const N: usize>(u: &[u64; N], coefficients: &[&Fixed]) -> [u64; N] {
    let mut acc = [0u64; N];
    for c in coefficients.iter().rev() {
        acc = sub(&take(c), &mul(u, &acc));
    }
    acc
}

/// `(cos |r|, sin |r|)` for `|r| < 104/128` with `N - 1` fraction words.
fn cos_sin<const N: usize>(t: &Tables, r: &Fixed) -> (Fixed, Fixed) {
    let f = N - 1;
    // |r| = j/128 + s.
    let j = (r[f - 1] >> (64 - TABLE_BITS)) as usize;
    let mut s: [u64; N] = take(r);
    s[f - 1] &= u64::MAX >> TABLE_BITS;
    let u = mul(&s, &s);
    let mut odd = [&t.inverse_factorials[0]; 64];
    let mut even = [&t.inverse_factorials[0]; 64];
    for k in 0..t.terms {
        odd[k] = &t.inverse_factorials[2 * k + 1];
        even[k] = &t.inverse_factorials[2 * k + 2];
    }
    let sin_s = mul(&s, &alternating(&u, &odd[..t.terms]));
    let vers_s = mul(&u, &alternating(&u, &even[..t.terms]));
    let (c, sn) = (&take::<N>(&t.table[j].0), &take::<N>(&t.table[j].1));
    let cos_r = sub(c, &add(&mul(c, &vers_s), &mul(sn, &sin_s)));
    let sin_r = sub(&add(sn, &mul(c, &sin_s)), &mul(sn, &vers_s));
    let widen = |a: [u64; N]| {
        let mut w = [0u64; WORDS];
        w[..N].copy_from_slice(&a);
        w
    };
    (widen(cos_r), widen(sin_r))
}

/// Sine and cosine at one working precision, with reusable scratch space.
#[derive(Clone, Debug)]
pub struct Trig {
    tables: Arc<Tables>,
    r: Float,
    int: Integer,
}

/// Which function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// `sin`.
    Sin,
    /// `cos`.
    Cos,
}

impl Trig {
    /// Sine and cosine for results at `prec` bits, or `None` beyond the fixed-point range.
    pub fn new(prec: u32) -> Option<Trig> {
        let f = (prec as usize + GUARD).div_ceil(64);
        (f <= MAX_FRACTION).then(|| Trig {
            tables: tables(f),
            r: Float::new(64 * f as u32 + 64),
            int: Integer::new(),
        })
    }

    /// Replaces `x` by `sin x` or `cos x`, rounded to `x`'s precision.
    pub fn apply(&mut self, which: Which, x: &mut Float) {
        if !self.fixed(which, x) {
            match which {
                Which::Sin => x.sin_mut(),
                Which::Cos => x.cos_mut(),
            };
        }
    }

    /// The fixed-point path; `false` (with `x` untouched) where it does not apply.
    fn fixed(&mut self, which: Which, x: &mut Float) -> bool {
        let t = &*self.tables;
        let f = t.f;
        if !x.is_finite() || x.is_zero() || x.prec() as usize + GUARD > 64 * f {
            return false;
        }
        let approx = x.to_f64();
        if approx.abs() >= MAX_ARGUMENT {
            return false;
        }
        // x = q pi/2 + r.
        let q = (approx * std::f64::consts::FRAC_2_PI).round() as i32;
        self.r.assign(&t.half_pi * q);
        self.r -= &*x;
        // r now holds q pi/2 - x = -r.
        let r_negative = self.r.is_sign_positive();
        let fixed_r = to_fixed(&self.r, f, &mut self.int);
        let n = f + 1;
        if fixed_r[f] != 0 || (fixed_r[f - 1] >> (64 - TABLE_BITS)) as usize >= TABLE_LEN {
            return false;
        }
        let (cos_r, sin_r) = match n {
            2 => cos_sin::<2>(t, &fixed_r),
            3 => cos_sin::<3>(t, &fixed_r),
            4 => cos_sin::<4>(t, &fixed_r),
            5 => cos_sin::<5>(t, &fixed_r),
            6 => cos_sin::<6>(t, &fixed_r),
            7 => cos_sin::<7>(t, &fixed_r),
            8 => cos_sin::<8>(t, &fixed_r),
            9 => cos_sin::<9>(t, &fixed_r),
            10 => cos_sin::<10>(t, &fixed_r),
            11 => cos_sin::<11>(t, &fixed_r),
            12 => cos_sin::<12>(t, &fixed_r),
            13 => cos_sin::<13>(t, &fixed_r),
            14 => cos_sin::<14>(t, &fixed_r),
            15 => cos_sin::<15>(t, &fixed_r),
            16 => cos_sin::<16>(t, &fixed_r),
            _ => cos_sin::<17>(t, &fixed_r),
        };
        // sin(r) = ± sin|r|; cos(r) = cos|r|; then the quadrant q mod 4.
        let (value, negative) = match (which, q.rem_euclid(4)) {
            (Which::Cos, 0) => (cos_r, false),
            (Which::Cos, 1) => (sin_r, !r_negative),
            (Which::Cos, 2) => (cos_r, true),
            (Which::Cos, _) => (sin_r, r_negative),
            (Which::Sin, 0) => (sin_r, r_negative),
            (Which::Sin, 1) => (cos_r, false),
            (Which::Sin, 2) => (sin_r, !r_negative),
            (Which::Sin, _) => (cos_r, true),
        };
        // Below 2^-40 the absolute error would cost relative digits: MPFR instead.
        if value[f] == 0 && value[f - 1] < 1 << 24 {
            return false;
        }
        self.int.assign_digits(&value[..n], Order::Lsf);
        x.assign(&self.int);
        *x >>= 64 * f as u32;
        if negative {
            x.neg_assign();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ulps;

    #[test]
    fn agrees_with_mpfr_to_the_last_bit() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut worst = 0.0f64;
        for prec in [53u32, 64, 113, 128, 133, 200, 263, 302, 400, 700, 896] {
            let mut trig = Trig::new(prec).expect("within the fixed-point range");
            for i in 0..400 {
                // Arguments across [-40, 40], near multiples of pi/2, and tiny ones.
                let raw = (next() >> 11) as f64 / (1u64 << 53) as f64;
                let x = match i % 4 {
                    0 => Float::with_val(prec, raw * 80.0 - 40.0),
                    1 => {
                        let k = (next() % 25) as i32 - 12;
                        let pi_2 = Float::with_val(prec + 64, Constant::Pi) / 2u32;
                        Float::with_val(prec, pi_2 * k) + raw * 1e-9
                    }
                    2 => Float::with_val(prec, raw * 1e-3),
                    _ => Float::with_val(prec, (raw - 0.5) * 2e6),
                };
                for which in [Which::Sin, Which::Cos] {
                    let mut got = x.clone();
                    // The fixed-point path serves every argument here but the rare result below
                    // 2^-40.
                    let fixed = trig.fixed(which, &mut got);
                    assert!(
                        fixed || i % 4 == 1 || i % 4 == 2,
                        "{which:?}({x}) fell back"
                    );
                    if !fixed {
                        trig.apply(which, &mut got);
                    }
                    let want = match which {
                        Which::Sin => Float::with_val(prec, x.sin_ref()),
                        Which::Cos => Float::with_val(prec, x.cos_ref()),
                    };
                    let e = ulps(&got, &want);
                    assert!(e <= 1.0, "{which:?}({x}) at {prec} bits: {got} vs {want}");
                    worst = worst.max(e);
                }
            }
        }
        // Correct rounding but for the rare halfway case.
        assert!(worst <= 1.0);
    }

    #[test]
    fn special_values_and_large_precisions_fall_back() {
        let mut trig = Trig::new(100).unwrap();
        let mut z = Float::new(100);
        trig.apply(Which::Cos, &mut z);
        assert_eq!(z, 1);
        let mut inf = Float::with_val(100, f64::INFINITY);
        trig.apply(Which::Sin, &mut inf);
        assert!(inf.is_nan());
        assert!(Trig::new(2000).is_none());
    }
}

//! The monotone form of a sign proof, for densities that touch zero at an end or at another
//! exact point, where no enclosure of the density itself can be non-negative on a piece around
//! the zero (`e^x - 1 - x` on `[0, h]` encloses as `[-h, e^h - 1]`, however small `h`).
//!
//! On a piece `[l, h]` where the next derivative `g' >= 0` is proved, `g` is non-decreasing, so
//! `g >= g(l)` there and `g <= g(h)`; where `g' <= 0`, `g >= g(h)` and `g <= g(l)`. So `g >= 0` on
//! the piece follows from an enclosure of `g` alone, or from the sign of `g'` on the piece and of
//! `g` at one end: a point, where an exact value (`e^0 = 1`) gives an exact bound. Applied to the
//! density and its derivatives up to [`ORDERS`], this proves `f >= 0` at zeros of any order up to
//! `ORDERS + 1` that fall on an end of a piece (the support's ends, and the dyadic points the
//! bisection makes, `1/2` among them).
//!
//! Every step is an implication between proved facts, so a piece it accepts has `f >= 0`
//! everywhere; it never accepts a density that dips below zero.

use super::rational_interval::{RationalInterval, RationalIntervalExpr, Working};
use crate::expr::{BinOp, Expr};
use crate::interval::{Interval, IntervalExpr};

/// Derivatives of the density used (zeros of order up to `ORDERS + 1`).
pub const ORDERS: usize = 3;

/// Functions enclosed as series, to about 160 bits.
const SERIES: Working = Working { series: true };

/// `(u c) / c` and `(c u) / c`, with `c` free of the variable, as `u`, everywhere in `e`: the
/// chain rule leaves such quotients in a density (`sin(6 pi x) / (6 pi)` gives
/// `cos(6 pi x) (6 pi) / (6 pi)`), and their enclosures, never exactly 1, would hide the density's
/// touching zeros (`1 + cos(6 pi x)` at `x = 1/6`) from the certificate. The quotient equals `u`
/// wherever it is defined (`c` is the same constant above and below).
pub fn cancel_constant_divisors(e: &Expr) -> Expr {
    match e {
        Expr::Num(_) | Expr::Var | Expr::Const(_) => e.clone(),
        Expr::Neg(u) => Expr::Neg(Box::new(cancel_constant_divisors(u))),
        Expr::Call(f, u) => Expr::Call(f.clone(), Box::new(cancel_constant_divisors(u))),
        Expr::Bin(op, a, b) => {
            let (a, b) = (cancel_constant_divisors(a), cancel_constant_divisors(b));
            if let (BinOp::Div, Expr::Bin(BinOp::Mul, u, c)) = (op, &a)
                && !b.has_var()
            {
                if **c == b {
                    return (**u).clone();
                }
                if **u == b {
                    return (**c).clone();
                }
            }
            Expr::Bin(*op, Box::new(a), Box::new(b))
        }
    }
}

/// The density and its first [`ORDERS`] derivatives, compiled for both kinds of enclosure.
pub struct MonotoneForm {
    levels: Vec<(IntervalExpr, RationalIntervalExpr)>,
}

impl MonotoneForm {
    /// Compiles `density` and its derivatives.
    pub fn new(density: &Expr) -> MonotoneForm {
        let mut g = density.clone();
        let mut levels = Vec::with_capacity(ORDERS + 1);
        for _ in 0..=ORDERS {
            levels.push((IntervalExpr::compile(&g), RationalIntervalExpr::compile(&g)));
            g = cancel_constant_divisors(&g.derivative());
        }
        MonotoneForm { levels }
    }

    /// Whether `f >= 0` is proved on `[lo, hi]`.
    pub fn non_negative(&self, lo: f64, hi: f64) -> bool {
        self.signed(0, lo, hi, true)
    }

    /// Whether `g_k >= 0` (`up`) or `g_k <= 0` (not `up`) is proved on `[lo, hi]`, `g_k` the
    /// `k`-th derivative of the density.
    fn signed(&self, k: usize, lo: f64, hi: f64, up: bool) -> bool {
        if self.enclosed(k, lo, hi, up) {
            return true;
        }
        if k + 1 >= self.levels.len() {
            return false;
        }
        // g_k non-decreasing: least at lo, greatest at hi; non-increasing: the reverse.
        if self.signed(k + 1, lo, hi, true) {
            let end = if up { lo } else { hi };
            return self.enclosed(k, end, end, up);
        }
        if self.signed(k + 1, lo, hi, false) {
            let end = if up { hi } else { lo };
            return self.enclosed(k, end, end, up);
        }
        false
    }

    /// Whether an enclosure of `g_k` on `[lo, hi]` proves its sign: in doubles, then with
    /// rational ends (at a point, with `exp`, `sin`, `cos` and `sqrt` as series, where an exact
    /// or a 160-bit value decides what doubles cannot; on a piece without, which is cheaper).
    fn enclosed(&self, k: usize, lo: f64, hi: f64, up: bool) -> bool {
        let (fast, sharp) = &self.levels[k];
        if let Ok(v) = fast.eval(Interval::new(lo, hi)) {
            if (up && v.lo >= 0.0) || (!up && v.hi <= 0.0) {
                return true;
            }
            // Wrong-signed throughout: nothing sharper will help.
            if (up && v.hi < 0.0) || (!up && v.lo > 0.0) {
                return false;
            }
        }
        let x = RationalInterval::of_f64(lo, hi);
        let v = if lo == hi {
            sharp.eval_with(&x, SERIES)
        } else {
            sharp.eval(&x)
        };
        match v {
            Ok(v) if v.is_bounded() => {
                if up {
                    v.is_non_negative()
                } else {
                    v.is_non_positive()
                }
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn density(cdf: &str) -> Expr {
        cancel_constant_divisors(&parse(cdf).unwrap().derivative())
    }

    #[test]
    fn constant_divisors_cancel_and_nothing_else_changes() {
        assert_eq!(
            density("x + sin(6*pi*x)/(6*pi)").to_string(),
            "1 + cos(6*pi*x)"
        );
        for src in ["x^2/3", "(x + 1)*(2*x)/(2*x)", "sin(x)/(2*pi)"] {
            let e = parse(src).unwrap();
            assert_eq!(cancel_constant_divisors(&e), e, "{src}");
        }
    }

    #[test]
    fn zeros_at_the_ends_of_pieces_are_proved() {
        // Zeros of order 2 (e^x - 1 - x at 0, 1 - cos(2 pi x) at 0, 1 - cos(2 pi (x - 1/2)) at
        // 1/2 from either side) and 4 (x^4 at 0, behind an exp that keeps it from being a
        // polynomial).
        for (cdf, lo, hi) in [
            ("(exp(x) - 1 - x - x^2/2)/(exp(1) - 5/2)", 0.0, 1.0 / 64.0),
            ("x - sin(2*pi*x)/(2*pi)", 0.0, 1.0 / 64.0),
            ("x - sin(2*pi*(x - 1/2))/(2*pi)", 0.5 - 1.0 / 64.0, 0.5),
            ("x - sin(2*pi*(x - 1/2))/(2*pi)", 0.5, 0.5 + 1.0 / 64.0),
            ("exp(0*x)*x^5/5", 0.0, 1.0 / 64.0),
        ] {
            let form = MonotoneForm::new(&density(cdf));
            assert!(form.non_negative(lo, hi), "{cdf} on [{lo}, {hi}]");
        }
    }

    #[test]
    fn a_dip_is_never_accepted() {
        // Each density dips below zero just after 0: e^x - 1 - x - x^2/2 - 1e-30,
        // x^2 - 1e-20 and 1 - (1 + 1e-15) cos(2 pi x).
        for (cdf, lo, hi) in [
            ("exp(x) - x - x^2/2 - x^3/6 - x/10^30", 0.0, 1.0 / 64.0),
            ("x^3/3 - x/10^20 + 0*exp(x)", 0.0, 1.0 / 64.0),
            ("x - (1 + 1/10^15)*sin(2*pi*x)/(2*pi)", 0.0, 1.0 / 64.0),
        ] {
            let form = MonotoneForm::new(&density(cdf));
            assert!(!form.non_negative(lo, hi), "{cdf} on [{lo}, {hi}]");
        }
    }
}

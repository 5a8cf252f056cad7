//! Printing in the grammar's own syntax: decimals when they terminate, the fewest parentheses
//! that read back to the same tree.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::Expr;
use super::grammar::BinOp;

/// Precedence of unary minus: tighter than `*`, looser than `^` (so `-x^2` is `-(x^2)`).
const NEG_PRECEDENCE: u8 = 3;
/// Precedence of atoms (numbers, names, calls, parenthesised groups).
const ATOM_PRECEDENCE: u8 = 5;

impl Expr {
    /// Prints the expression with `var` as the name of the variable.
    pub fn display_with<'a>(&'a self, var: &'a str) -> impl fmt::Display + 'a {
        DisplayWith { expr: self, var }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Num(q) if q.is_negative() => NEG_PRECEDENCE,
            Expr::Num(q) if !q.is_integer() && decimal_digits(q).is_none() => {
                BinOp::Div.precedence()
            }
            Expr::Neg(_) => NEG_PRECEDENCE,
            Expr::Bin(op, ..) => op.precedence(),
            _ => ATOM_PRECEDENCE,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, var: &str) -> fmt::Result {
        match self {
            Expr::Num(q) => write_rational(f, q),
            Expr::Var => f.write_str(var),
            Expr::Const(c) => f.write_str(c.name()),
            Expr::Neg(e) => {
                f.write_str("-")?;
                // `--x` would not read back as written: parenthesise a negative operand.
                write_operand(
                    f,
                    e,
                    NEG_PRECEDENCE + u8::from(e.precedence() == NEG_PRECEDENCE),
                    var,
                )
            }
            Expr::Call(crate::expr::Func::Piecewise(p), e) => {
                // piecewise(x; piece for x < t1; ...; last piece), the pieces in `var`; beyond
                // four pieces the first and the last, with the count of those between.
                f.write_str("piecewise(")?;
                e.write(f, var)?;
                let count = p.pieces().len();
                for (i, piece) in p.pieces().iter().enumerate() {
                    if count > 4 && i > 0 && i + 1 < count {
                        if i == 1 {
                            write!(f, "; ... {} more pieces", count - 2)?;
                        }
                        continue;
                    }
                    f.write_str("; ")?;
                    piece.write(f, var)?;
                    if let Some(t) = p.breaks().get(i) {
                        write!(f, " for {var} < ")?;
                        write_rational(f, t)?;
                    }
                }
                f.write_str(")")
            }
            Expr::Call(func, e) => {
                write!(f, "{}(", func.name())?;
                for q in func.parameters() {
                    write_rational(f, q)?;
                    f.write_str(", ")?;
                }
                e.write(f, var)?;
                f.write_str(")")
            }
            Expr::Bin(op, a, b) => {
                let p = op.precedence();
                // Left associative operators need a tighter right operand, `^` a tighter left one.
                let (pa, pb) = match op {
                    BinOp::Pow => (p + 1, p),
                    _ => (p, p + 1),
                };
                write_operand(f, a, pa, var)?;
                match op {
                    BinOp::Pow | BinOp::Mul | BinOp::Div => f.write_str(op.symbol())?,
                    _ => write!(f, " {} ", op.symbol())?,
                }
                write_operand(f, b, pb, var)
            }
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, e: &Expr, min: u8, var: &str) -> fmt::Result {
    if e.precedence() < min {
        f.write_str("(")?;
        e.write(f, var)?;
        f.write_str(")")
    } else {
        e.write(f, var)
    }
}

struct DisplayWith<'a> {
    expr: &'a Expr,
    var: &'a str,
}

impl fmt::Display for DisplayWith<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.write(f, self.var)
    }
}

impl fmt::Display for Expr {
    /// Prints the expression in the grammar's own syntax, with `x` as the variable, so that
    /// parsing the output gives back the same tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, "x")
    }
}

/// The decimal expansion of `q` when it terminates: plain up to 40 places, else in e-notation.
fn decimal_digits(q: &BigRational) -> Option<String> {
    let mut den = q.denom().clone();
    let (two, five) = (BigInt::from(2), BigInt::from(5));
    let (mut twos, mut fives) = (0u32, 0u32);
    while (&den % &two).is_zero() {
        den /= &two;
        twos += 1;
    }
    while (&den % &five).is_zero() {
        den /= &five;
        fives += 1;
    }
    let places = twos.max(fives);
    if !den.is_one() || places > crate::parse::MAX_EXPONENT as u32 {
        return None;
    }
    if places > 40 {
        // Tiny numbers such as 1e-322 read better, and read back exactly, in e-notation.
        let scaled = (q * BigRational::from_integer(BigInt::from(10).pow(places))).to_integer();
        return Some(format!("{scaled}e-{places}"));
    }
    let scaled = (q.abs() * BigRational::from_integer(BigInt::from(10).pow(places))).to_integer();
    let mut digits = scaled.to_string();
    if places > 0 {
        let places = places as usize;
        if digits.len() <= places {
            digits = format!("{}{}", "0".repeat(places + 1 - digits.len()), digits);
        }
        digits.insert(digits.len() - places, '.');
    }
    if q.is_negative() {
        digits.insert(0, '-');
    }
    Some(digits)
}

/// Writes a rational the way a person would: as a decimal when it terminates, else as `p/q`.
fn write_rational(f: &mut fmt::Formatter<'_>, q: &BigRational) -> fmt::Result {
    match decimal_digits(q) {
        Some(d) => f.write_str(&d),
        None => write!(f, "{}/{}", q.numer(), q.denom()),
    }
}

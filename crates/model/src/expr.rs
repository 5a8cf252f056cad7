//! Expressions in one variable: the language of CDFs and share formulas.
//!
//! An [`Expr`] is the abstract syntax tree of a formula such as `0.1*x + 0.1*(1 - cos(x))`. It is
//! what the rest of the toolkit consumes: `efftrade-numeric` compiles it for MPFR evaluation,
//! `efftrade-symbolic` converts it into exact algebra, and this crate uses it to validate a
//! distribution (by interval arithmetic, see [`crate::interval`]).
//!
//! Numbers are exact rationals: the decimal `0.1` is stored as `1/10`, never as the nearest double,
//! so that a computation at 100 digits sees the number the user wrote.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The elementary functions of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Natural exponential.
    Exp,
    /// Natural logarithm.
    Log,
    /// Square root.
    Sqrt,
}

impl Func {
    /// Every function, in the order the grammar lists them.
    pub const ALL: [Func; 6] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Exp,
        Func::Log,
        Func::Sqrt,
    ];

    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
        }
    }

    /// The function with this name, if any.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Evaluates the function in double precision.
    pub fn apply_f64(self, v: f64) -> f64 {
        match self {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan(),
            Func::Exp => v.exp(),
            Func::Log => v.ln(),
            Func::Sqrt => v.sqrt(),
        }
    }
}

/// The named constants of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Constant {
    /// The circle constant.
    Pi,
    /// Euler's number, the base of the natural logarithm.
    E,
}

impl Constant {
    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Constant::Pi => "pi",
            Constant::E => "e",
        }
    }

    /// The constant rounded to double precision.
    pub fn to_f64(self) -> f64 {
        match self {
            Constant::Pi => std::f64::consts::PI,
            Constant::E => std::f64::consts::E,
        }
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (right associative)
    Pow,
}

impl BinOp {
    /// The operator as written in formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }

    /// Binding strength when printing: larger binds tighter.
    fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div => 2,
            BinOp::Pow => 4,
        }
    }
}

/// Precedence of unary minus: tighter than `*`, looser than `^` (so `-x^2` is `-(x^2)`).
const NEG_PRECEDENCE: u8 = 3;
/// Precedence of atoms (numbers, names, calls, parenthesised groups).
const ATOM_PRECEDENCE: u8 = 5;

/// An expression in one variable (written `x` in a CDF, `r` in a share formula).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// An exact rational number.
    Num(BigRational),
    /// The variable.
    Var,
    /// A named constant.
    Const(Constant),
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// A function applied to an argument.
    Call(Func, Box<Expr>),
}

impl Expr {
    /// The number `n`.
    pub fn int(n: i64) -> Expr {
        Expr::Num(BigRational::from_integer(BigInt::from(n)))
    }

    /// The exact rational `num/den`.
    ///
    /// # Panics
    /// If `den` is zero.
    pub fn ratio(num: i64, den: i64) -> Expr {
        Expr::Num(BigRational::new(BigInt::from(num), BigInt::from(den)))
    }

    /// `self ^ rhs`, folding exponents zero and one.
    pub fn pow(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (_, Expr::Num(z)) if z.is_zero() => Expr::int(1),
            (e, Expr::Num(o)) if o.is_one() => e,
            (a, b) => Expr::Bin(BinOp::Pow, Box::new(a), Box::new(b)),
        }
    }

    /// `f(self)`.
    pub fn call(self, f: Func) -> Expr {
        Expr::Call(f, Box::new(self))
    }

    /// Whether the variable occurs in the expression.
    pub fn has_var(&self) -> bool {
        match self {
            Expr::Var => true,
            Expr::Num(_) | Expr::Const(_) => false,
            Expr::Neg(e) | Expr::Call(_, e) => e.has_var(),
            Expr::Bin(_, a, b) => a.has_var() || b.has_var(),
        }
    }

    /// Whether the expression is a polynomial in the variable with rational coefficients
    /// (only `+ - *`, numbers, and non-negative integer powers).
    pub fn is_polynomial(&self) -> bool {
        match self {
            Expr::Num(_) | Expr::Var => true,
            Expr::Const(_) | Expr::Call(..) => false,
            Expr::Neg(e) => e.is_polynomial(),
            Expr::Bin(BinOp::Div, a, b) => {
                a.is_polynomial() && matches!(b.eval_rational(None), Some(q) if !q.is_zero())
            }
            Expr::Bin(BinOp::Pow, a, b) => {
                a.is_polynomial()
                    && matches!(b.eval_rational(None), Some(q) if q.is_integer() && !q.is_negative())
            }
            Expr::Bin(_, a, b) => a.is_polynomial() && b.is_polynomial(),
        }
    }

    /// The expression with the variable replaced by `value`.
    pub fn substitute(&self, value: &Expr) -> Expr {
        match self {
            Expr::Var => value.clone(),
            Expr::Num(_) | Expr::Const(_) => self.clone(),
            Expr::Neg(e) => Expr::Neg(Box::new(e.substitute(value))),
            Expr::Call(f, e) => Expr::Call(*f, Box::new(e.substitute(value))),
            Expr::Bin(op, a, b) => Expr::Bin(
                *op,
                Box::new(a.substitute(value)),
                Box::new(b.substitute(value)),
            ),
        }
    }

    /// The derivative with respect to the variable, by the rules of calculus on the tree, with
    /// light folding of zeros and ones. Used for the density `f = F'` of a CDF.
    pub fn derivative(&self) -> Expr {
        match self {
            Expr::Num(_) | Expr::Const(_) => Expr::int(0),
            Expr::Var => Expr::int(1),
            Expr::Neg(e) => e.derivative().neg(),
            Expr::Bin(op, a, b) => {
                let (da, db) = (a.derivative(), b.derivative());
                let (a, b) = ((**a).clone(), (**b).clone());
                match op {
                    BinOp::Add => da.add(db),
                    BinOp::Sub => da.sub(db),
                    // Constant factors and divisors stay outside: (c u)' = c u', (u / c)' = u' / c.
                    BinOp::Mul if !a.has_var() => a.mul(db),
                    BinOp::Mul if !b.has_var() => da.mul(b),
                    BinOp::Mul => da.mul(b.clone()).add(a.mul(db)),
                    BinOp::Div if !b.has_var() => da.div(b),
                    BinOp::Div => da.mul(b.clone()).sub(a.mul(db)).div(b.pow(Expr::int(2))),
                    BinOp::Pow if !b.has_var() => {
                        // (u^c)' = c u^(c-1) u'
                        let c_minus_1 = match &b {
                            Expr::Num(c) => Expr::Num(c - BigRational::one()),
                            c => c.clone().sub(Expr::int(1)),
                        };
                        b.mul(a.pow(c_minus_1)).mul(da)
                    }
                    BinOp::Pow if !a.has_var() => {
                        // (c^v)' = c^v log(c) v'
                        let this = a.clone().pow(b);
                        this.mul(a.call(Func::Log)).mul(db)
                    }
                    BinOp::Pow => {
                        // (u^v)' = u^v (v' log u + v u' / u)
                        let this = a.clone().pow(b.clone());
                        let inner = db.mul(a.clone().call(Func::Log)).add(b.mul(da).div(a));
                        this.mul(inner)
                    }
                }
            }
            Expr::Call(f, u) => {
                let du = u.derivative();
                let u = (**u).clone();
                let outer = match f {
                    Func::Sin => u.call(Func::Cos),
                    Func::Cos => u.call(Func::Sin).neg(),
                    Func::Tan => Expr::int(1).add(u.call(Func::Tan).pow(Expr::int(2))),
                    Func::Exp => u.call(Func::Exp),
                    Func::Log => Expr::int(1).div(u),
                    Func::Sqrt => Expr::int(1).div(Expr::int(2).mul(u.call(Func::Sqrt))),
                };
                outer.mul(du)
            }
        }
    }

    /// Evaluates in double precision at `x`. Domain errors give NaN or an infinity, as IEEE does.
    pub fn eval_f64(&self, x: f64) -> f64 {
        match self {
            Expr::Num(q) => rational_to_f64(q),
            Expr::Var => x,
            Expr::Const(c) => c.to_f64(),
            Expr::Neg(e) => -e.eval_f64(x),
            Expr::Call(f, e) => f.apply_f64(e.eval_f64(x)),
            Expr::Bin(op, a, b) => {
                let (a, b) = (a.eval_f64(x), b.eval_f64(x));
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    BinOp::Pow => pow_f64(a, b),
                }
            }
        }
    }

    /// Evaluates exactly over the rationals at `x` (or with no variable when `x` is `None`).
    ///
    /// Returns `None` when the value is not a rational the grammar can reach exactly: a named
    /// constant, an elementary function, a division by zero, a non-integer power, or an integer
    /// power with exponent beyond ±100000.
    pub fn eval_rational(&self, x: Option<&BigRational>) -> Option<BigRational> {
        match self {
            Expr::Num(q) => Some(q.clone()),
            Expr::Var => x.cloned(),
            Expr::Const(_) | Expr::Call(..) => None,
            Expr::Neg(e) => e.eval_rational(x).map(|v| -v),
            Expr::Bin(op, a, b) => {
                let a = a.eval_rational(x)?;
                let b = b.eval_rational(x)?;
                match op {
                    BinOp::Add => Some(a + b),
                    BinOp::Sub => Some(a - b),
                    BinOp::Mul => Some(a * b),
                    BinOp::Div => (!b.is_zero()).then(|| a / b),
                    BinOp::Pow => {
                        if !b.is_integer() {
                            return None;
                        }
                        let k = b.to_integer().to_i32().filter(|k| k.abs() <= 100_000)?;
                        if k < 0 && a.is_zero() {
                            return None;
                        }
                        Some(num_traits::pow::Pow::pow(&a, k))
                    }
                }
            }
        }
    }

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
            Expr::Call(func, e) => {
                write!(f, "{}(", func.name())?;
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

impl std::ops::Add for Expr {
    type Output = Expr;

    /// `self + rhs`, folding zeros and numbers.
    fn add(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a + b),
            (e, Expr::Num(b)) | (Expr::Num(b), e) if b.is_zero() => e,
            (a, Expr::Neg(b)) => Expr::Bin(BinOp::Sub, Box::new(a), b),
            (a, b) => Expr::Bin(BinOp::Add, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;

    /// `self - rhs`, folding zeros and numbers.
    fn sub(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a - b),
            (e, Expr::Num(b)) if b.is_zero() => e,
            (Expr::Num(a), e) if a.is_zero() => e.neg(),
            (a, b) => Expr::Bin(BinOp::Sub, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;

    /// `self * rhs`, folding zeros, ones and numbers.
    fn mul(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) => Expr::Num(a * b),
            (Expr::Num(z), _) | (_, Expr::Num(z)) if z.is_zero() => Expr::Num(z),
            (e, Expr::Num(o)) | (Expr::Num(o), e) if o.is_one() => e,
            (e, Expr::Num(m)) | (Expr::Num(m), e) if (-m.clone()).is_one() => e.neg(),
            (Expr::Neg(a), b) => a.mul(b).neg(),
            (a, b) => Expr::Bin(BinOp::Mul, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Div for Expr {
    type Output = Expr;

    /// `self / rhs`, folding numbers and division by one.
    fn div(self, rhs: Expr) -> Expr {
        match (self, rhs) {
            (Expr::Num(a), Expr::Num(b)) if !b.is_zero() => Expr::Num(a / b),
            (e, Expr::Num(o)) if o.is_one() => e,
            (Expr::Num(z), _) if z.is_zero() => Expr::Num(z),
            (a, b) => Expr::Bin(BinOp::Div, Box::new(a), Box::new(b)),
        }
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;

    /// `-self`, folding numbers and double negation.
    fn neg(self) -> Expr {
        match self {
            Expr::Num(a) => Expr::Num(-a),
            Expr::Neg(e) => *e,
            e => Expr::Neg(Box::new(e)),
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

/// A rational rounded to the nearest double.
pub fn rational_to_f64(q: &BigRational) -> f64 {
    q.to_f64().unwrap_or(f64::NAN)
}

/// `a^b` in double precision with integer exponents handled exactly in sign.
fn pow_f64(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= i32::MAX as f64 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn derivative_of_the_sine_market_is_its_density() {
        let cdf = parse("0.1*x + 0.1*(1 - cos(x))").unwrap();
        let f = cdf.derivative();
        for &x in &[0.0, 1.0, 2.5, 4.712_388_98, 8.4] {
            let expected = 0.1 + 0.1 * f64::sin(x);
            assert!((f.eval_f64(x) - expected).abs() < 1e-15, "{f} at {x}");
        }
    }

    #[test]
    fn derivatives_agree_with_central_differences() {
        let cases = [
            "x^3 - 2*x + 1",
            "exp(-2*x)*sin(3*x)",
            "sqrt(1 + x^2)/(2 + cos(x))",
            "log(1 + x)*tan(x/3)",
            "2^x + x^x",
            "(1 - exp(-1.5*x))/(1 - exp(-1.5))",
        ];
        for src in cases {
            let e = parse(src).unwrap();
            let d = e.derivative();
            for &x in &[0.3, 0.7, 1.1] {
                let h = 1e-5;
                let numeric = (e.eval_f64(x + h) - e.eval_f64(x - h)) / (2.0 * h);
                let exact = d.eval_f64(x);
                assert!(
                    (numeric - exact).abs() < 1e-8 * (1.0 + exact.abs()),
                    "{src}: d/dx = {d} gives {exact}, differences give {numeric} at {x}"
                );
            }
        }
    }

    #[test]
    fn printing_uses_decimals_when_they_terminate() {
        assert_eq!(Expr::ratio(1, 10).to_string(), "0.1");
        assert_eq!(Expr::ratio(-3, 8).to_string(), "-0.375");
        assert_eq!(Expr::ratio(1, 3).to_string(), "1/3");
        assert_eq!(Expr::int(42).to_string(), "42");
        assert_eq!(parse("1e-322").unwrap().to_string(), "1e-322");
        assert_eq!(parse("2.5e-50").unwrap().to_string(), "25e-51");
    }

    #[test]
    fn printing_reads_back_to_the_same_tree() {
        for src in [
            "-x^2",
            "(-x)^2",
            "2^3^x",
            "(2^3)^x",
            "x - (1 - x)",
            "x/(2*x)",
            "(1/3)^x",
            "-(-x)",
            "1 - -x",
            "sin(x)^2 + cos(x)^2",
        ] {
            let e = parse(src).unwrap();
            let printed = e.to_string();
            assert_eq!(parse(&printed).unwrap(), e, "{src} printed as {printed}");
        }
    }

    #[test]
    fn exact_evaluation_keeps_decimals_exact() {
        let e = parse("0.1 + 0.2").unwrap();
        assert_eq!(
            e.eval_rational(None),
            Some(BigRational::new(3.into(), 10.into()))
        );
        let share = parse("1 - r").map(|_| ()).is_err();
        assert!(share, "`r` is not the CDF variable");
        assert_eq!(parse("sin(0)").unwrap().eval_rational(None), None);
        assert_eq!(
            parse("1/(x - 1)")
                .unwrap()
                .eval_rational(Some(&BigRational::one())),
            None
        );
    }

    #[test]
    fn polynomials_are_recognised() {
        assert!(parse("3*x^2 - 2*x^3").unwrap().is_polynomial());
        assert!(parse("(x - 1)/2").unwrap().is_polynomial());
        assert!(!parse("x^0.5").unwrap().is_polynomial());
        assert!(!parse("1/x").unwrap().is_polynomial());
        assert!(!parse("x*pi").unwrap().is_polynomial());
    }
}

//! The grammar's operations, named constants and functions, with every fact a walker needs about
//! each: one definition per function, read by the parser, the printer, differentiation, the
//! evaluators and the symbolic conversion.

use super::Expr;

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
    /// The error function `erf(z) = (2/sqrt(pi)) ∫_0^z e^(-t^2) dt`.
    Erf,
    /// The complementary error function `erfc(z) = 1 - erf(z)`, accurate where `erf` is near 1.
    Erfc,
}

/// What the toolkit knows about one function of the grammar.
#[derive(Clone, Copy, Debug)]
pub struct Definition {
    /// The name used in formulas (and by Symbolica).
    pub name: &'static str,
    /// Whether the function is entire (analytic on the whole complex plane), so that a
    /// composition of entire functions is too (see the envelope of `efftrade-numeric`).
    pub entire: bool,
    /// The real arguments where the function is defined, in words.
    pub domain: &'static str,
    /// The derivative `f'(u)` of the function, at the argument `u`.
    pub derivative: fn(Expr) -> Expr,
}

impl Func {
    /// Every function, in the order the grammar lists them.
    pub const ALL: [Func; 8] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Exp,
        Func::Log,
        Func::Sqrt,
        Func::Erf,
        Func::Erfc,
    ];

    /// The definition of the function: its name, analyticity, domain and derivative.
    pub fn definition(self) -> &'static Definition {
        match self {
            Func::Sin => &SIN,
            Func::Cos => &COS,
            Func::Tan => &TAN,
            Func::Exp => &EXP,
            Func::Log => &LOG,
            Func::Sqrt => &SQRT,
            Func::Erf => &ERF,
            Func::Erfc => &ERFC,
        }
    }

    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        self.definition().name
    }

    /// The function with this name, if any.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the function is entire.
    pub fn is_entire(self) -> bool {
        self.definition().entire
    }

    /// `f'(u)`: the derivative of the function at the argument `u`.
    pub fn derivative_at(self, u: Expr) -> Expr {
        (self.definition().derivative)(u)
    }

    /// Evaluates the function in double precision.
    pub fn apply_f64(self, v: f64) -> f64 {
        let mut v = v;
        match super::Scalar::call(&mut v, self, &mut ()) {
            Ok(()) => v,
            Err(_) => f64::NAN,
        }
    }
}

const SIN: Definition = Definition {
    name: "sin",
    entire: true,
    domain: "every real",
    derivative: |u| u.call(Func::Cos),
};

const COS: Definition = Definition {
    name: "cos",
    entire: true,
    domain: "every real",
    derivative: |u| -u.call(Func::Sin),
};

const TAN: Definition = Definition {
    name: "tan",
    entire: false,
    domain: "every real but the poles pi/2 + k pi",
    derivative: |u| Expr::int(1) + u.call(Func::Tan).pow(Expr::int(2)),
};

const EXP: Definition = Definition {
    name: "exp",
    entire: true,
    domain: "every real",
    derivative: |u| u.call(Func::Exp),
};

const LOG: Definition = Definition {
    name: "log",
    entire: false,
    domain: "the positive reals",
    derivative: |u| Expr::int(1) / u,
};

const SQRT: Definition = Definition {
    name: "sqrt",
    entire: false,
    domain: "the non-negative reals (analytic on the positive ones)",
    derivative: |u| Expr::int(1) / (Expr::int(2) * u.call(Func::Sqrt)),
};

/// `(2/sqrt(pi)) e^(-u^2)`, the derivative of `erf` at `u`.
fn gaussian_density(u: Expr) -> Expr {
    Expr::int(2) / Expr::Const(Constant::Pi).call(Func::Sqrt)
        * (-u.pow(Expr::int(2))).call(Func::Exp)
}

const ERF: Definition = Definition {
    name: "erf",
    entire: true,
    domain: "every real",
    derivative: gaussian_density,
};

const ERFC: Definition = Definition {
    name: "erfc",
    entire: true,
    domain: "every real",
    derivative: |u| -gaussian_density(u),
};

/// The named constants of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Constant {
    /// The circle constant.
    Pi,
    /// Euler's number, the base of the natural logarithm.
    E,
}

impl Constant {
    /// Every named constant.
    pub const ALL: [Constant; 2] = [Constant::Pi, Constant::E];

    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Constant::Pi => "pi",
            Constant::E => "e",
        }
    }

    /// The constant with this name, if any.
    pub fn from_name(name: &str) -> Option<Constant> {
        Constant::ALL.into_iter().find(|c| c.name() == name)
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
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div => 2,
            BinOp::Pow => 4,
        }
    }
}

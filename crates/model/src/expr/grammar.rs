//! The grammar's operations, named constants and functions, with every fact a walker needs about
//! each: one definition per function, read by the parser, the printer, differentiation, the
//! evaluators and the symbolic conversion.

use num_rational::BigRational;

use super::Expr;
use super::piecewise::Pieces;
use super::special::{self, Shapes};

/// The functions of the grammar: the elementary ones of one argument, and the special functions
/// whose first arguments are constant parameters ([`Shapes`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    /// `betainc(p, q, u)`: the regularized incomplete beta function `I_u(p, q)`, the CDF of
    /// Beta(p, q) (DLMF 8.17.2).
    BetaInc(Shapes),
    /// `betapdf(p, q, u) = u^(p-1) (1-u)^(q-1) / B(p, q)`: the density of Beta(p, q), the
    /// derivative of `betainc`.
    BetaPdf(Shapes),
    /// `gammainc(s, u)`: the regularized lower incomplete gamma function `P(s, u)`, the CDF of
    /// Gamma(s, 1) (DLMF 8.2.4).
    GammaInc(Shapes),
    /// `gammapdf(s, u) = u^(s-1) e^(-u) / Γ(s)`: the density of Gamma(s, 1), the derivative of
    /// `gammainc`.
    GammaPdf(Shapes),
    /// A function defined in pieces between exact breakpoints (a piecewise or empirical CDF);
    /// written in specs as `distribution.piecewise`, not in formulas.
    Piecewise(Pieces),
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
    /// The derivative `f'(u)` of a function of one argument, at the argument `u` (`None` for
    /// the special functions, whose derivatives depend on their parameters: see
    /// [`Func::derivative_at`]).
    pub derivative: Option<fn(Expr) -> Expr>,
}

impl Func {
    /// Every function of one argument, in the order the grammar lists them.
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

    /// The names of the special functions with their parameter counts, in the order the
    /// grammar lists them: `betainc(p, q, x)`, `betapdf(p, q, x)`, `gammainc(s, x)`,
    /// `gammapdf(s, x)`.
    pub const SPECIAL: [(&'static str, usize); 4] = [
        ("betainc", 2),
        ("betapdf", 2),
        ("gammainc", 1),
        ("gammapdf", 1),
    ];

    /// The special function `name` with the constant parameters `parameters` (each a positive
    /// exact rational), or why not.
    pub fn with_parameters(name: &str, parameters: Vec<BigRational>) -> Result<Func, String> {
        let Some(&(_, count)) = Func::SPECIAL.iter().find(|(n, _)| *n == name) else {
            return Err(format!("`{name}` is not a function with parameters"));
        };
        if parameters.len() != count {
            let shape = if count == 2 { "p, q, x" } else { "s, x" };
            return Err(format!(
                "`{name}` takes {count} constant parameter{} before its argument: `{name}({shape})`",
                if count == 1 { "" } else { "s" }
            ));
        }
        if !special::all_positive(&parameters) {
            return Err(format!(
                "the parameters of `{name}` must be positive numbers"
            ));
        }
        let shapes = Shapes::new(parameters);
        Ok(match name {
            "betainc" => Func::BetaInc(shapes),
            "betapdf" => Func::BetaPdf(shapes),
            "gammainc" => Func::GammaInc(shapes),
            _ => Func::GammaPdf(shapes),
        })
    }

    /// The constant parameters (none for a function of one argument).
    pub fn parameters(&self) -> &[BigRational] {
        self.shapes().map_or(&[], Shapes::exact)
    }

    /// The parameters of a special function.
    pub fn shapes(&self) -> Option<&Shapes> {
        match self {
            Func::BetaInc(s) | Func::BetaPdf(s) | Func::GammaInc(s) | Func::GammaPdf(s) => Some(s),
            _ => None,
        }
    }

    /// The definition of the function: its name, analyticity, domain and derivative.
    pub fn definition(&self) -> &'static Definition {
        match self {
            Func::Sin => &SIN,
            Func::Cos => &COS,
            Func::Tan => &TAN,
            Func::Exp => &EXP,
            Func::Log => &LOG,
            Func::Sqrt => &SQRT,
            Func::Erf => &ERF,
            Func::Erfc => &ERFC,
            Func::BetaInc(_) => &BETAINC,
            Func::BetaPdf(_) => &BETAPDF,
            Func::GammaInc(_) => &GAMMAINC,
            Func::GammaPdf(_) => &GAMMAPDF,
            Func::Piecewise(_) => &PIECEWISE,
        }
    }

    /// The name used in formulas.
    pub fn name(&self) -> &'static str {
        self.definition().name
    }

    /// The function with this name, if any.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the function is entire.
    pub fn is_entire(&self) -> bool {
        self.definition().entire
    }

    /// `f'(u)`: the derivative of the function at the argument `u`. The special functions'
    /// are their densities, and the densities' are `betapdf(p, q, u) ((p-1)/u - (q-1)/(1-u))`
    /// and `gammapdf(s, u) ((s-1)/u - 1)`.
    pub fn derivative_at(&self, u: Expr) -> Expr {
        match self {
            Func::BetaInc(s) => u.call(Func::BetaPdf(s.clone())),
            Func::GammaInc(s) => u.call(Func::GammaPdf(s.clone())),
            Func::BetaPdf(s) => {
                let rate = Expr::Num(s.minus_one(0)) / u.clone()
                    - Expr::Num(s.minus_one(1)) / (Expr::int(1) - u.clone());
                u.call(self.clone()) * rate
            }
            Func::GammaPdf(s) => {
                let rate = Expr::Num(s.minus_one(0)) / u.clone() - Expr::int(1);
                u.call(self.clone()) * rate
            }
            // Piece by piece (at a breakpoint the derivative from the right).
            Func::Piecewise(p) => u.call(Func::Piecewise(p.map(Expr::derivative))),
            _ => match self.definition().derivative {
                Some(rule) => rule(u),
                None => Expr::Call(self.clone(), Box::new(u)),
            },
        }
    }

    /// Evaluates the function in double precision.
    pub fn apply_f64(&self, v: f64) -> f64 {
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
    derivative: Some(|u| u.call(Func::Cos)),
};

const COS: Definition = Definition {
    name: "cos",
    entire: true,
    domain: "every real",
    derivative: Some(|u| -u.call(Func::Sin)),
};

const TAN: Definition = Definition {
    name: "tan",
    entire: false,
    domain: "every real but the poles pi/2 + k pi",
    derivative: Some(|u| Expr::int(1) + u.call(Func::Tan).pow(Expr::int(2))),
};

const EXP: Definition = Definition {
    name: "exp",
    entire: true,
    domain: "every real",
    derivative: Some(|u| u.call(Func::Exp)),
};

const LOG: Definition = Definition {
    name: "log",
    entire: false,
    domain: "the positive reals",
    derivative: Some(|u| Expr::int(1) / u),
};

const SQRT: Definition = Definition {
    name: "sqrt",
    entire: false,
    domain: "the non-negative reals (analytic on the positive ones)",
    derivative: Some(|u| Expr::int(1) / (Expr::int(2) * u.call(Func::Sqrt))),
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
    derivative: Some(gaussian_density),
};

const ERFC: Definition = Definition {
    name: "erfc",
    entire: true,
    domain: "every real",
    derivative: Some(|u| -gaussian_density(u)),
};

const BETAINC: Definition = Definition {
    name: "betainc",
    entire: false,
    domain: "0 <= x <= 1",
    derivative: None,
};

const BETAPDF: Definition = Definition {
    name: "betapdf",
    entire: false,
    domain: "0 <= x <= 1 (0 < x < 1 where an exponent is negative)",
    derivative: None,
};

const GAMMAINC: Definition = Definition {
    name: "gammainc",
    entire: false,
    domain: "x >= 0",
    derivative: None,
};

const GAMMAPDF: Definition = Definition {
    name: "gammapdf",
    entire: false,
    domain: "x >= 0 (x > 0 where s < 1)",
    derivative: None,
};

const PIECEWISE: Definition = Definition {
    name: "piecewise",
    entire: false,
    domain: "where the piece holding x is defined",
    derivative: None,
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

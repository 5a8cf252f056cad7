//! Differentiation on the tree: the density `f = F'` of a CDF.

use num_rational::BigRational;
use num_traits::One;

use super::Expr;
use super::grammar::{BinOp, Func};

impl Expr {
    /// The derivative with respect to the variable, by the rules of calculus on the tree (each
    /// function's own rule from its [`Definition`](super::Definition)), with light folding of
    /// zeros and ones. Used for the density `f = F'` of a CDF.
    pub fn derivative(&self) -> Expr {
        match self {
            Expr::Num(_) | Expr::Const(_) => Expr::int(0),
            Expr::Var => Expr::int(1),
            Expr::Neg(e) => -e.derivative(),
            Expr::Bin(op, a, b) => {
                let (da, db) = (a.derivative(), b.derivative());
                let (a, b) = ((**a).clone(), (**b).clone());
                match op {
                    BinOp::Add => da + db,
                    BinOp::Sub => da - db,
                    // Constant factors and divisors stay outside: (c u)' = c u', (u / c)' = u' / c.
                    BinOp::Mul if !a.has_var() => a * db,
                    BinOp::Mul if !b.has_var() => da * b,
                    BinOp::Mul => da * b.clone() + a * db,
                    BinOp::Div if !b.has_var() => da / b,
                    BinOp::Div => (da * b.clone() - a * db) / b.pow(Expr::int(2)),
                    BinOp::Pow if !b.has_var() => {
                        // (u^c)' = c u^(c-1) u'
                        let c_minus_1 = match &b {
                            Expr::Num(c) => Expr::Num(c - BigRational::one()),
                            c => c.clone() - Expr::int(1),
                        };
                        b * a.pow(c_minus_1) * da
                    }
                    BinOp::Pow if !a.has_var() => {
                        // (c^v)' = c^v log(c) v'
                        let this = a.clone().pow(b);
                        this * a.call(Func::Log) * db
                    }
                    BinOp::Pow => {
                        // (u^v)' = u^v (v' log u + v u' / u)
                        let this = a.clone().pow(b.clone());
                        let inner = db * a.clone().call(Func::Log) + b * da / a;
                        this * inner
                    }
                }
            }
            Expr::Call(f, u) => f.derivative_at((**u).clone()) * u.derivative(),
        }
    }
}

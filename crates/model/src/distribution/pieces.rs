//! Distributions whose CDF is defined in pieces (`distribution.piecewise`, empirical CDFs): the
//! breakpoints inside the support, where the numeric engine splits its integrals, and the exact
//! certificate of monotonicity applied piece by piece when every piece's density is a
//! polynomial with rational coefficients.

use num_rational::BigRational;

use super::{Distribution, DistributionError, UpperEnd, polynomial};
use crate::expr::{Expr, Func, Pieces};

/// The piecewise function `F` calls on the variable, if `F` is one (or one divided by a
/// constant, as a renormalised CDF is).
pub(super) fn pieces_of(e: &Expr) -> Option<&Pieces> {
    match e {
        Expr::Call(Func::Piecewise(p), arg) if **arg == Expr::Var => Some(p),
        Expr::Bin(crate::expr::BinOp::Div, a, b) if !b.has_var() => pieces_of(a),
        _ => None,
    }
}

impl Distribution {
    /// The breakpoints of a piecewise CDF strictly inside the support, increasing (none for a
    /// CDF written in one piece): where `F` may have kinks.
    pub fn breakpoints(&self) -> Vec<BigRational> {
        let Some(p) = pieces_of(self.cdf_as_written()) else {
            return Vec::new();
        };
        let (a, b) = (self.a(), self.b());
        p.breaks()
            .iter()
            .filter(|t| {
                let t = crate::expr::rational_to_f64(t);
                t > a.hi && t < b.lo
            })
            .cloned()
            .collect()
    }
}

/// The exact certificate of monotonicity for a density defined in pieces, each a polynomial with
/// rational coefficients, on a rational support: each piece on its stretch of `[a, b]`. `None`
/// when it does not apply (the interval certificate then decides).
pub(super) fn exactly_non_decreasing(
    density: &Expr,
    lower: &Expr,
    upper: &UpperEnd,
) -> Option<Result<(), DistributionError>> {
    let p = pieces_of(density)?;
    let a = lower.eval_rational(None)?;
    let UpperEnd::Given(upper) = upper else {
        return None;
    };
    let b = upper.eval_rational(None)?;
    let polys = p
        .pieces()
        .iter()
        .map(polynomial::rational_polynomial)
        .collect::<Option<Vec<_>>>()?;
    for (i, f) in polys.iter().enumerate() {
        let lo = match i {
            0 => a.clone(),
            _ => p.breaks()[i - 1].clone().max(a.clone()),
        };
        let hi = p
            .breaks()
            .get(i)
            .cloned()
            .unwrap_or(b.clone())
            .min(b.clone());
        if lo >= hi {
            continue;
        }
        if let polynomial::Verdict::Negative {
            from,
            to,
            at,
            value,
        } = polynomial::non_negative(f, &lo, &hi)
        {
            return Some(Err(DistributionError::Decreasing {
                from: from.to_string(),
                to: to.to_string(),
                density: p.pieces()[i].to_string(),
                min: format!("{value:e}"),
                at: at.to_string(),
                more: String::new(),
            }));
        }
    }
    Some(Ok(()))
}

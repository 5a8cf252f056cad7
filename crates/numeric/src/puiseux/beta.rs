//! The regularized incomplete beta function at its upper end, as a generalized series.

use rug::{Float, Rational};

use super::Puiseux;
use efftrade_model::expr::DomainError;

impl Puiseux {
    /// The sum of the known terms at `d > 0` (for tests and checks against other evaluations).
    pub fn sum_at(&self, d: &Float) -> Float {
        let prec = d.prec().max(self.prec());
        let step = Float::with_val(prec, d.ln_ref()) / self.den;
        self.coeffs
            .iter()
            .enumerate()
            .fold(Float::new(prec), |acc, (i, c)| {
                let power = Float::with_val(prec, &step * (self.start + i as i64)).exp();
                acc + Float::with_val(prec, c * power)
            })
    }

    /// The regularized incomplete beta function `I_x(p, q)` of a series `x` that tends to 1 at
    /// `b` (`u = 1 - x` of positive valuation and positive leading coefficient): by symmetry and
    /// the hypergeometric series (NIST DLMF 8.17.7, 8.17.4),
    /// `I_x(p, q) = 1 - I_u(q, p) = 1 - u^q / B(p, q) Σ_k (1 - p)_k u^k / (k! (q + k))`,
    /// so `1 - I_x(p, q) ~ u^q / (q B(p, q))`: a Beta(p, q) CDF has `alpha = q` at `b = 1`. This is
    /// the kernel of `betainc` at its upper end; anywhere else it is analytic and its Taylor
    /// kernel serves.
    pub fn beta_near_one(&self, p: &Rational, q: &Rational) -> Result<Puiseux, DomainError> {
        let prec = self.prec();
        let mut one =
            Puiseux::constant(Float::with_val(prec, 1), self.den, self.top, self.zero_bits);
        one.exact = Some(Rational::from(1));
        let u = one.add(self, true)?;
        let vu = u.valuation();
        if vu <= 0 || vu >= u.top || *q <= 0 || *p <= 0 {
            return Err(DomainError::Unrepresentable);
        }
        let (pf, qf) = (Float::with_val(prec, p), Float::with_val(prec, q));
        // t_k = (1 - p)_k / (k! (q + k)), with (1 - p)_k / k! by its ratio.
        let terms = (u.top + vu - 1) / vu + 1;
        let mut rising = Float::with_val(prec, 1);
        let mut t = Vec::new();
        for k in 0..terms {
            if k > 0 {
                rising *= Float::with_val(prec, 1u32 - &pf) + (k - 1);
                rising /= k as u32;
            }
            t.push(Float::with_val(
                prec,
                &rising / Float::with_val(prec, &qf + k),
            ));
        }
        let beta = Float::with_val(prec, pf.gamma_ref()) * Float::with_val(prec, qf.gamma_ref())
            / Float::with_val(prec, Float::with_val(prec, &pf + &qf).gamma_ref());
        let mut tail = u
            .pow_rational(q, DomainError::Unrepresentable)?
            .mul(&Puiseux::compose(&t, &u, u.top)?)?;
        tail.coeffs.iter_mut().for_each(|c| *c /= &beta);
        one.add(&tail, true)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Generalized;
    use super::*;

    fn at_upper_end(prec: u32) -> Puiseux {
        let cx = Generalized {
            prec,
            horizon: 12,
            zero_bits: prec / 2,
        };
        Puiseux::upper_end(&Float::with_val(prec, 1), &Float::with_val(prec, 1), &cx)
    }

    #[test]
    fn the_incomplete_beta_at_its_upper_end_matches_closed_forms_and_mpmath() {
        let prec = 300;
        let x = at_upper_end(prec);
        let r = |n: i32, d: u32| Rational::from((n, d));
        // Beta(1, 5/2): I_x = 1 - (1 - x)^(5/2), so 1 - I_(1-d) = d^(5/2) exactly.
        let i = x.beta_near_one(&r(1, 1), &r(5, 2)).unwrap();
        let mut one = Puiseux::constant(Float::with_val(prec, 1), 1, 12, prec / 2);
        one.exact = Some(Rational::from(1));
        let tail = one.add(&i, true).unwrap();
        assert_eq!((tail.valuation(), tail.den), (5, 2));
        assert_eq!(tail.at(5).unwrap().to_f64(), 1.0);
        assert!(
            tail.coeffs
                .iter()
                .skip_while(|c| c.is_zero())
                .skip(1)
                .all(Float::is_zero)
        );
        // Beta(5/2, 7/2): alpha = 7/2, c = 1/(q B(p, q)), and 1 - I at x = 0.99 and 0.9
        // against mpmath's betainc (50 digits).
        let i = x.beta_near_one(&r(5, 2), &r(7, 2)).unwrap();
        let tail = one.add(&i, true).unwrap();
        assert_eq!((tail.valuation(), tail.den), (7, 2));
        let c = Float::with_val(
            prec,
            Float::parse("7.7606981774333725632065225568311765106326989161061").unwrap(),
        );
        let rel = |got: &Float, want: &Float| {
            Float::with_val(prec, (got.clone() - want) / want)
                .abs()
                .to_f64()
        };
        assert!(rel(tail.at(7).unwrap(), &c) < 1e-45);
        for (d, want) in [
            (
                "0.01",
                "0.00000076703421592058174436525700272642203094160788603681",
            ),
            (
                "0.1",
                "0.0021737728427270772199043207627080202873239690804279",
            ),
        ] {
            let d = Float::with_val(prec, Float::parse(d).unwrap());
            let want = Float::with_val(prec, Float::parse(want).unwrap());
            // Known to O(d^12): at d = 0.1 that is 1e-12 of a value of 2e-3.
            let tolerance = if d.to_f64() > 0.05 { 1e-8 } else { 1e-18 };
            assert!(rel(&tail.sum_at(&d), &want) < tolerance, "{d}");
        }
    }
}

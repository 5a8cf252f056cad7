//! `Σ_(k>=1) e^(-c k^alpha)`, the value the paper's proof of (L3-2) arrives at for `A2`, for any
//! positive rational `alpha`.

use rug::Float;

use super::alpha::Alpha;
use crate::NumericError;

/// `Σ_{k>=1} e^(-c k^alpha)` at `prec` bits, the value the paper's proof of (L3-2) arrives at.
///
/// * `alpha = 1`: the geometric series, `1 / (e^c - 1)`.
/// * Terms up to about `((prec + 8) ln 2 / c)^(1/alpha)` when that is at most [`DIRECT_TERMS`]:
///   summed one by one until a term is below `2^-(prec + 8)` of the sum.
/// * Otherwise (`c` so small that thousands of terms count): the expansion of the sum in powers
///   of `c` (Euler-Maclaurin from 0, or the residues of the Mellin transform
///   `Γ(s) c^(-s) ζ(alpha s)`, valid for any `alpha > 0`),
///   `Σ = Γ(1 + 1/alpha) c^(-1/alpha) + Σ_(i >= 0) ζ(-alpha i) (-c)^i / i!`; the terms where
///   `alpha i` is an even integer vanish (for even `alpha` every term after `ζ(0) = -1/2`). For
///   `alpha < 1` the series converges for every `c` (its terms fall like `Γ(alpha i + 1) /
///   (i! (2 pi)^(alpha i))`); for `alpha > 1` it is asymptotic. It is summed until a term is below
///   `2^-(prec + 8)` of the sum; should its terms grow first, the sum is refused rather than
///   guessed.
pub(crate) fn paper_sum(c: &Float, alpha: Alpha, prec: u32) -> Result<Float, NumericError> {
    if alpha == 1 {
        return Ok(Float::with_val(prec, c.exp_m1_ref()).recip());
    }
    let small = Float::with_val(prec, Float::i_exp(1, -(prec as i32) - 8));
    let alpha_f64 = f64::from(alpha.num()) / f64::from(alpha.den());
    let log_sum = (-c.to_f64().ln() / alpha_f64).max(0.0);
    let reach = ((f64::from(prec + 8) * std::f64::consts::LN_2 + log_sum) / c.to_f64())
        .powf(1.0 / alpha_f64);
    if reach <= DIRECT_TERMS as f64 {
        let mut sum = Float::new(prec);
        for k in 1..=2 * DIRECT_TERMS {
            let power = alpha.power_of(&Float::with_val(prec, k));
            let term = Float::with_val(prec, -Float::with_val(prec, c * power)).exp();
            sum += &term;
            if term < Float::with_val(prec, &sum * &small) {
                return Ok(sum);
            }
        }
    } else {
        let inv_alpha = alpha.inverse(prec);
        let leading = Float::with_val(prec, &inv_alpha + 1u32).gamma() / alpha.root_of(c);
        let mut sum = Float::with_val(prec, leading - 0.5f64);
        if alpha.integer().is_some_and(|a| a.is_multiple_of(2)) {
            return Ok(sum);
        }
        // (-c)^i / i!
        let mut power = Float::with_val(prec, 1);
        let mut last: Option<Float> = None;
        for i in 1..=400u32 {
            power *= Float::with_val(prec, -c);
            power /= i;
            // alpha i = n / den.
            let n = u64::from(alpha.num()) * u64::from(i);
            let den = u64::from(alpha.den());
            if n.is_multiple_of(den) && (n / den).is_multiple_of(2) {
                continue;
            }
            let zeta = if n.is_multiple_of(den) {
                Float::with_val(prec, -((n / den) as i64)).zeta()
            } else {
                (Float::with_val(prec, -(n as i64)) / den).zeta()
            };
            let term = Float::with_val(prec, &zeta * &power);
            sum += &term;
            let size = Float::with_val(prec, term.abs_ref());
            if size < Float::with_val(prec, sum.abs_ref()) * &small {
                return Ok(sum);
            }
            if last.as_ref().is_some_and(|l| size > *l) {
                break;
            }
            last = Some(size);
        }
    }
    Err(NumericError::NotConverged {
        what: format!(
            "the sum Σ e^(-c k^{alpha}) of the paper's proof of (L3-2) with c = {:.6e}",
            c.to_f64()
        ),
    })
}

/// Most terms of the paper's sum taken one by one ([`paper_sum`]).
pub(crate) const DIRECT_TERMS: u64 = 4096;

#[cfg(test)]
mod tests {
    use super::*;
    use rug::Integer;
    use rug::ops::Pow;

    fn close(got: &Float, want: &Float, bits: i32) {
        let prec = want.prec();
        let rel = Float::with_val(prec, Float::with_val(prec, got - want) / want).abs();
        assert!(
            rel < Float::with_val(53, Float::i_exp(1, -bits)),
            "{got} vs {want}: {rel}"
        );
    }
    #[test]
    fn the_papers_sum_for_tiny_c_comes_from_its_expansion_and_matches_references() {
        let prec = 300;
        // alpha = 1: the geometric series 1/(e^c - 1), even for c = 1e-17 (10^19 terms).
        let c = Float::with_val(prec, Float::parse("1e-17").unwrap());
        let want = Float::with_val(prec, c.exp_m1_ref()).recip();
        close(&paper_sum(&c, Alpha::from(1), prec).unwrap(), &want, 295);
        // alpha = 2: by Poisson summation Σ_(k>=1) e^(-c k^2) = (sqrt(pi/c) - 1)/2 up to
        // e^(-pi^2/c), nothing at c = 1e-6.
        let c = Float::with_val(prec, Float::parse("1e-6").unwrap());
        let pi = Float::with_val(prec, rug::float::Constant::Pi);
        let want = (Float::with_val(prec, pi / &c).sqrt() - 1u32) / 2u32;
        close(&paper_sum(&c, Alpha::from(2), prec).unwrap(), &want, 290);
        // alpha = 3, c = 1e-9: the expansion (about 7000 terms would count) against the terms
        // summed one by one.
        let c = Float::with_val(prec, Float::parse("1e-9").unwrap());
        let mut want = Float::new(prec);
        let mut k = 1u32;
        loop {
            let e = Float::with_val(
                prec,
                -Float::with_val(prec, &c * Integer::from(k).pow(3u32)),
            )
            .exp();
            want += &e;
            if e < Float::with_val(prec, &want >> 310) {
                break;
            }
            k += 1;
        }
        assert!(k > DIRECT_TERMS as u32, "the expansion is what serves here");
        close(&paper_sum(&c, Alpha::from(3), prec).unwrap(), &want, 280);
    }

    #[test]
    fn the_papers_sum_for_a_real_alpha_and_tiny_c_matches_the_terms_summed() {
        // alpha = 3/2, c = 1e-4: the expansion in c, with zeta at the non-integers -3i/2, against
        // the terms summed one by one (about 14000 count).
        let prec = 300;
        let alpha = Alpha::new(3, 2).unwrap();
        let c = Float::with_val(prec, Float::parse("1e-4").unwrap());
        let mut want = Float::new(prec);
        let mut k = 1u32;
        loop {
            let power = Float::with_val(prec, k).pow(Float::with_val(prec, 1.5));
            let e = Float::with_val(prec, -Float::with_val(prec, &c * power)).exp();
            want += &e;
            if e < Float::with_val(prec, &want >> 310) {
                break;
            }
            k += 1;
        }
        assert!(k > DIRECT_TERMS as u32, "the expansion is what serves here");
        close(&paper_sum(&c, alpha, prec).unwrap(), &want, 280);
        // Its leading terms by hand: Gamma(5/3) c^(-2/3) - 1/2 = 418.5 (mpmath's nsum: 418.5172...).
        assert!((want.to_f64() - 418.517_249_684_316_9).abs() < 1e-12);
    }
}

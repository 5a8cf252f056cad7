//! Lemma 3 and Theorem 3 beyond the paper: `1 - F(b - d) ~ c d^alpha` with a non-integer `alpha`
//! (the paper assumes `F` analytic, so its `alpha` is an integer). `alpha` and `c` come from the
//! generalized series of `F` at `b` (`efftrade_numeric::puiseux`); the convergence tables and the
//! growth of `beta*` are computed as for the paper's markets.

use efftrade_model::digits::round_f64;
use efftrade_numeric::Provenance;
use efftrade_numeric::lemma3::{beta_star_growth, expansion};

use super::lemma3::{EXPONENTS, Study, not_computed, study};
use super::markets::{self, REPLICATED_KUMARASWAMY_REAL, REPLICATED_SQRT_END};
use super::show;
use super::theorem3::{TOLERANCE, beta_star_points};
use crate::claim::{Case, Claim, Evidence, Verdict, judge};
use crate::context::{Context, DIGITS, Kind};

/// The distributions with a non-integer alpha examined: (kind, label).
pub const DISTRIBUTIONS: [(Kind, &str); 2] = [
    (REPLICATED_SQRT_END, "1 - sqrt(1 - x) (alpha = 1/2)"),
    (
        REPLICATED_KUMARASWAMY_REAL,
        "Kumaraswamy(2, 5/2) (alpha = 5/2)",
    ),
];

/// One replication family's growth of `beta*` against the law with a real alpha.
#[derive(Clone, Debug)]
pub struct RealGrowth {
    /// `alpha` as a number.
    pub alpha: f64,
    /// `(N, beta*)` in increasing N.
    pub points: Vec<(u128, f64)>,
    /// Relative gap between the fitted and the predicted slope.
    pub relative_difference: f64,
}

impl RealGrowth {
    /// The law's slope is met, and beta* moves the way `N^(1 - 1/alpha) (log N)^(1/alpha)` does
    /// over the larger half of the N: up for `alpha >= 1`, down for `alpha < 1`.
    pub fn follows_the_law(&self) -> bool {
        let tail = &self.points[self.points.len() / 2..];
        let monotone = tail.windows(2).all(|w| {
            if self.alpha >= 1.0 {
                w[1].1 > w[0].1
            } else {
                w[1].1 < w[0].1
            }
        });
        self.points.len() >= 3 && monotone && self.relative_difference < TOLERANCE
    }
}

fn growth(ctx: &Context, kind: &Kind, label: &str) -> Case<RealGrowth> {
    let Some(s) = ctx.find(kind) else {
        return Case::failed(label, format!("no spec holds {}", kind.what));
    };
    let (pts, mu) = beta_star_points(s);
    let fitted = match (expansion(s.spec.distribution(), DIGITS), mu) {
        (Ok(e), Some(mu)) => beta_star_growth(&e, &mu, &pts, DIGITS)
            .map(|g| (e, g))
            .ok_or_else(|| "the growth law could not be fitted".to_string()),
        (Err(e), _) => Err(format!("the expansion at b failed: {e}")),
        (_, None) => Err("no replication was solved".to_string()),
    };
    Case::from_result(
        label,
        fitted.map(|(e, g)| RealGrowth {
            alpha: f64::from(e.alpha.num()) / f64::from(e.alpha.den()),
            points: pts.iter().map(|(n, b)| (*n, b.to_f64())).collect(),
            relative_difference: g.relative_difference,
        }),
    )
}

/// The two claims beyond the paper.
pub fn check(ctx: &Context) -> Vec<Claim> {
    let (distributions, missing) = markets::distributions(ctx, &DISTRIBUTIONS, 0);
    let studies: Vec<Case<Study>> = distributions.iter().map(|(l, d)| study(l, d)).collect();
    let mut ev_lemma: Vec<Evidence> = studies
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .map(|s| {
            let e = &s.l.expansion;
            let dev = |d: &[f64]| {
                d.iter()
                    .map(|d| round_f64(*d, 2))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Evidence::Finding(format!(
                "{}: alpha = {} (exact, from the generalized series at b), c = {}, A1 = {}, \
                 A2 = {}, the paper's sum = {}; relative deviation at N = 10^{:?} of the scaled \
                 gap from A1: {}; of N^(1/alpha) Int F^N from A2: {}{}",
                s.label,
                e.alpha,
                show(&e.c),
                show(&e.a1),
                show(&e.a2),
                show(&e.a2_paper),
                EXPONENTS,
                dev(&s.gaps),
                dev(&s.ints),
                s.l.fitted.as_ref().map_or_else(String::new, |f| format!(
                    "; alpha fitted from the table: {}",
                    show(&f.alpha)
                ))
            ))
        })
        .collect();
    ev_lemma.extend(not_computed(&studies, &missing));
    let growths: Vec<Case<RealGrowth>> = DISTRIBUTIONS
        .iter()
        .map(|(kind, label)| growth(ctx, kind, label))
        .collect();
    let ev_growth: Vec<Evidence> = growths
        .iter()
        .map(|c| match &c.result {
            Ok(g) => Evidence::Finding(format!(
                "{}: beta* at N = {:?}: {}; fitted slope of beta*/N^(1-1/alpha) against \
                 (log N)^(1/alpha) differs from A1/(b - mu) by {} relative",
                c.label,
                g.points.iter().map(|p| p.0).collect::<Vec<_>>(),
                g.points
                    .iter()
                    .map(|p| round_f64(p.1, 4))
                    .collect::<Vec<_>>()
                    .join(", "),
                round_f64(g.relative_difference, 2)
            )),
            Err(_) => c.failure().unwrap_or(Evidence::Missing {
                what: c.label.clone(),
            }),
        })
        .collect();
    vec![
        Claim {
            certified: vec![Provenance::TwoPrecisions],
            id: "lemma3-real-alpha".to_string(),
            title: "Lemma 3 beyond the paper: real alpha".to_string(),
            statement: "Extension, not in the paper (which assumes F analytic, so alpha is an \
                        integer): when 1 - F(b - d) = c d^alpha (1 + o(1)) with a real alpha > 0, \
                        (L3-1) and (L3-2) hold with A1 = c^(-1/alpha) and A2 = Gamma(1 + 1/alpha) \
                        c^(-1/alpha)."
                .to_string(),
            method: "alpha (an exact rational) and c from the generalized series of F at b in \
                     rational powers of b - x; the scaled gap and N^(1/alpha) Int F^N at N = \
                     10^2 .. 10^30 to 30 certified digits, the layer of F^N from its series in \
                     (b - x)^(1/q); the deviations must shrink below 5% and 1e-6 as for the \
                     paper's markets."
                .to_string(),
            evidence: ev_lemma,
            verdict: judge(
                &studies,
                |s| s.gap_converges() && s.integral_converges(),
                Verdict::numerically(
                    "the limits need alpha and c of a series in rational powers of b - x, which \
                     the fast engine finds with a zero test (an estimate): a ball of a \
                     derivative at b is not finite without a Taylor series, so no ball decides \
                     them, and without them Laplace's method cannot be applied to a proof; the \
                     rows are finitely many.",
                ),
                "the tables do not converge to A1 and A2; see the evidence",
            ),
        },
        Claim {
            certified: vec![Provenance::TwoPrecisions, Provenance::Extrapolated],
            id: "theorem3-real-alpha".to_string(),
            title: "Theorem 3 beyond the paper: real alpha".to_string(),
            statement: "Extension, not in the paper: with 1 - F ~ c (b - x)^alpha for a real \
                        alpha > 0, beta* of the m-fold replications follows beta* ~ s N^(1 - \
                        1/alpha) (log N)^(1/alpha) with s = A1/(b - mu). So beta* grows without \
                        bound when alpha >= 1 (Theorem 3's conclusion), and tends to 0 when \
                        alpha < 1: an infinite density at b makes large markets inefficient for \
                        every beta > 0."
                .to_string(),
            method: "beta* of the replications of shares (1, 0) to N = 2 10^30, 30 certified \
                     digits; the law fitted by least squares over the larger half of the N \
                     against Lemma 3's slope (within 1%), and beta* rising (alpha >= 1) or \
                     falling (alpha < 1) over that half."
                .to_string(),
            evidence: ev_growth,
            verdict: judge(
                &growths,
                RealGrowth::follows_the_law,
                Verdict::numerically(
                    "the growth law is a limit in N, fitted by least squares (an estimate) at \
                     finitely many N; it rests on the real-alpha Lemma 3, itself not proved.",
                ),
                "beta* does not follow the law with real alpha; see the evidence",
            ),
        },
    ]
}

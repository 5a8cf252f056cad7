//! Theorem 3: beta* of the m-fold replication of any market tends to infinity, at the rate
//! Lemma 3 predicts: `beta* / N^(1 - 1/alpha) ~ (A1 / (b - mu)) (log N)^(1/alpha)`.

use efftrade_numeric::lemma3::{beta_star_growth, expansion};
use efftrade_numeric::{Certified, Provenance};
use rug::Float;

use super::markets::{
    REPLICATED_A, REPLICATED_B, REPLICATED_FLAT_TOP, REPLICATED_MS, REPLICATED_THREE, REPLICATION,
};
use super::show;
use crate::claim::{Case, Claim, Evidence, Verdict, judge};
use crate::context::{Artefacts, Context, DIGITS, Kind, SeriesData, SolvedSpec, TableData};
use crate::tables::math_text;

/// The paper's replication families: (kind, label, short column header).
pub const FAMILIES: [(Kind, &str, &str); 5] = [
    (REPLICATED_MS, "Myerson-Satterthwaite, uniform", "MS"),
    (REPLICATED_B, "Example 1 B (uniform), n = 2", "B"),
    (REPLICATED_A, "Example 1 A (sine), n = 2", "A"),
    (
        REPLICATED_THREE,
        "three agents (0.5, 0.3, 0.2), uniform",
        "3 agents",
    ),
    (
        REPLICATED_FLAT_TOP,
        "Myerson-Satterthwaite, F = 1 - (1 - x)^3",
        "MS, alpha = 3",
    ),
];

/// The replication specs to study, `(spec, label, short label)`: the paper's families the
/// specs hold, else every replication spec (labelled by file); and the families they lack.
fn chosen_families(ctx: &Context) -> (Vec<(&SolvedSpec, String, String)>, Vec<Evidence>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (kind, label, short) in &FAMILIES {
        match ctx.find(kind) {
            Some(s) => found.push((s, label.to_string(), short.to_string())),
            None => missing.push(Evidence::Missing {
                what: kind.what.to_string(),
            }),
        }
    }
    if found.is_empty() {
        found = ctx
            .find_all(&REPLICATION)
            .map(|s| (s, s.name.clone(), s.name.clone()))
            .collect();
    }
    (found, missing)
}

/// Largest relative gap between the fitted and the predicted growth slope accepted.
pub const TOLERANCE: f64 = 0.01;

/// One family's growth.
#[derive(Clone, Debug)]
pub struct FamilyGrowth {
    /// The label.
    pub label: String,
    /// `(N, beta*)` in increasing N.
    pub points: Vec<(u128, f64)>,
    /// Relative gap between the fitted and predicted slope.
    pub relative_difference: f64,
}

/// Whether beta* increases over the larger half of the N (Theorem 3 is a limit: beta* may
/// first fall, as it does for the sine market from m = 1 to m = 10).
pub fn eventually_increasing(points: &[(u128, f64)]) -> bool {
    let tail = &points[points.len() / 2..];
    points.len() >= 3 && tail.windows(2).all(|w| w[1].1 > w[0].1)
}

/// The verdict: every family's beta* eventually increases with N and grows at Lemma 3's rate.
/// A family whose beta* or growth fit could not be computed leaves the theorem not checked.
pub fn verdict(families: &[Case<FamilyGrowth>]) -> Verdict {
    judge(
        families,
        |f| eventually_increasing(&f.points) && f.relative_difference < TOLERANCE,
        Verdict::numerically(
            "beta* -> infinity is a limit in m, and finitely many replications, however large, \
             cannot decide a limit; the growth law is a least-squares fit (an estimate). A proof \
             would bound T1 below by a multiple of N^(-1/alpha) (log N)^(1/alpha) for every \
             large N, which the tables and the balls at finitely many N do not give.",
        ),
        "beta* of some replication does not grow at Lemma 3's rate; see the evidence",
    )
}

/// The certified `(N, beta*)` of a replication spec in increasing `N`, and the distribution's
/// mean (from the first solved point).
pub(crate) fn beta_star_points(s: &SolvedSpec) -> (Vec<(u128, Float)>, Option<Certified>) {
    let mut pts: Vec<(u128, Float)> = s
        .solved
        .iter()
        .filter_map(|x| {
            let r = x.result.as_ref().ok()?;
            let b = r.beta_star.as_ref()?;
            (b.digits() > 0).then(|| (x.point.market().n(), b.value().clone()))
        })
        .collect();
    pts.sort_by_key(|p| p.0);
    let mu = s
        .solved
        .iter()
        .find_map(|x| x.result.as_ref().ok().map(|r| r.mu.clone()));
    (pts, mu)
}

/// Theorem 3's claim.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<Claim> {
    let mut families = Vec::new();
    let mut evidence = Vec::new();
    // beta* by m for each family: the table has a row per m and a column per family.
    let mut by_m: Vec<(u128, Vec<String>)> = Vec::new();
    let mut short_labels: Vec<String> = Vec::new();
    let (chosen, missing) = chosen_families(ctx);
    for (s, label, short) in &chosen {
        let failed: Vec<String> = s
            .solved
            .iter()
            .filter_map(|x| {
                let e = x.result.as_ref().err()?;
                Some(format!("N = {}: {e}", x.point.market().n()))
            })
            .collect();
        let (pts, mu) = beta_star_points(s);
        let growth: Result<_, String> = if !failed.is_empty() {
            Err(format!(
                "beta* could not be computed at {}",
                failed.join("; ")
            ))
        } else if pts.len() < 3 {
            Err(format!(
                "beta* exists at {} replication(s); the growth law needs at least three",
                pts.len()
            ))
        } else {
            match (expansion(s.spec.distribution(), DIGITS), mu) {
                (Ok(e), Some(mu)) => beta_star_growth(&e, &mu, &pts, DIGITS)
                    .ok_or_else(|| "the growth law could not be fitted".to_string()),
                (Err(e), _) => Err(format!("the expansion at b failed: {e}")),
                (_, None) => Err("no replication was solved".to_string()),
            }
        };
        let last = s
            .solved
            .iter()
            .filter_map(|x| {
                Some((
                    x.point.market().n(),
                    x.result.as_ref().ok()?.beta_star.clone()?,
                ))
            })
            .max_by_key(|p| p.0);
        if let Ok(g) = &growth {
            evidence.push(Evidence::Finding(format!(
                "{label}: beta* at N = {}: {}; fitted slope of beta*/N^(1-1/alpha) against \
                 (log N)^(1/alpha): {} vs A1/(b - mu) = {} (relative difference {}, alpha = \
                 {})",
                last.as_ref().map_or_else(String::new, |l| l.0.to_string()),
                last.as_ref().map_or_else(String::new, |l| show(&l.1)),
                g.line.slope,
                g.predicted_slope,
                efftrade_model::digits::round_f64(g.relative_difference, 3),
                g.alpha
            )));
        }
        let column = short_labels.len();
        short_labels.push(short.clone());
        for x in &s.solved {
            let Some((_, m)) = x.point.replication() else {
                continue;
            };
            let star = x
                .result
                .as_ref()
                .ok()
                .and_then(|r| r.beta_star.as_ref())
                .map_or_else(|| "--".to_string(), |b| b.to_decimal_at(b.digits().min(12)));
            let row = match by_m.iter().position(|r| r.0 == m) {
                Some(i) => i,
                None => {
                    by_m.push((m, Vec::new()));
                    by_m.len() - 1
                }
            };
            let cells = &mut by_m[row].1;
            cells.resize(column, "--".to_string());
            cells.push(star);
        }
        let falls: Vec<String> = pts
            .windows(2)
            .filter(|w| w[1].1 <= w[0].1)
            .map(|w| format!("N = {} to {}", w[0].0, w[1].0))
            .collect();
        if !falls.is_empty() {
            evidence.push(Evidence::Finding(format!(
                "{label}: beta* falls before it grows ({}): Theorem 3 is a statement about the \
                 limit, not monotonicity",
                falls.join(", ")
            )));
        }
        let points: Vec<(u128, f64)> = pts.iter().map(|(n, b)| (*n, b.to_f64())).collect();
        // The figure shows beta* over the growth Lemma 3 predicts, which tends to 1.
        if let Ok(g) = &growth {
            let inv_alpha = f64::from(g.alpha.den()) / f64::from(g.alpha.num());
            let s = g.predicted_slope.value().to_f64();
            art.replications.push(SeriesData {
                label: label.clone(),
                label_tex: math_text(label),
                points: points
                    .iter()
                    .map(|&(n, b)| {
                        let n = n as f64;
                        (
                            n,
                            b / (s * n.powf(1.0 - inv_alpha) * n.ln().powf(inv_alpha)),
                        )
                    })
                    .collect(),
            });
        }
        families.push(Case::from_result(
            label.clone(),
            growth.map(|g| FamilyGrowth {
                label: label.clone(),
                points,
                relative_difference: g.relative_difference,
            }),
        ));
    }
    evidence.extend(families.iter().filter_map(Case::failure));
    evidence.extend(missing);
    by_m.sort_by_key(|r| r.0);
    let rows = by_m
        .into_iter()
        .map(|(m, mut cells)| {
            cells.resize(short_labels.len(), "--".to_string());
            let exponent = (m as f64).log10().round() as u32;
            let m_text = if 10u128.pow(exponent) == m {
                format!("1e{exponent}")
            } else {
                m.to_string()
            };
            std::iter::once(m_text).chain(cells).collect()
        })
        .collect();
    let mut headers = vec!["m".to_string()];
    headers.extend(short_labels.iter().cloned());
    let numeric = std::iter::once(false)
        .chain(std::iter::repeat_n(true, short_labels.len()))
        .collect();
    if !short_labels.is_empty() {
        art.tables.push(TableData {
            stem: "theorem3-replications".to_string(),
            caption: format!(
                "Theorem 3: $\\beta^*$ of $m$-fold replications ($N = m n$ agents): {}",
                chosen
                    .iter()
                    .map(|(_, l, short)| format!("{} = {}", math_text(short), math_text(l)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            headers,
            numeric,
            rows,
        });
    }
    vec![Claim {
        certified: vec![Provenance::TwoPrecisions],
        id: "theorem3".to_string(),
        title: "Theorem 3".to_string(),
        statement: "For any market (n, r, F), beta* of its m-fold replication tends to +infinity \
                    as m grows."
            .to_string(),
        method: format!(
            "beta* of replications to m = 10^30 (N to 3e30) with 30 certified digits; the growth \
             law beta* / N^(1 - 1/alpha) = s (log N)^(1/alpha) + t fitted by least squares \
             (nalgebra, re-fitted in MPFR) over the larger N, its slope compared with A1/(b - mu) \
             derived from Lemma 3 (tolerance {TOLERANCE} relative); beta* must increase over the larger half of the N."
        ),
        evidence,
        verdict: if chosen.is_empty() {
            Verdict::missing(REPLICATION.what)
        } else {
            verdict(&families)
        },
    }]
}

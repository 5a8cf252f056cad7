//! Example 1 (Figure 1): beta*(n) with equal shares for market A (density 0.1 + 0.1 sin x on
//! [0, 8.4438]) and market B (uniform on [0, 1]); the paper says beta* is not monotone in n for A.

use super::markets::{EXAMPLE1_A, EXAMPLE1_A_PRINTED, EXAMPLE1_B};
use crate::claim::{Claim, Evidence, Verdict, findings};
use crate::context::{Artefacts, Context, Kind, TableData};
use efftrade_numeric::Provenance;

/// Where a sequence rises and falls: maximal runs `(first n, last n, rising)`.
pub fn runs(points: &[(u32, f64)]) -> Vec<(u32, u32, bool)> {
    let mut out: Vec<(u32, u32, bool)> = Vec::new();
    for w in points.windows(2) {
        let rising = w[1].1 > w[0].1;
        match out.last_mut() {
            Some(last) if last.2 == rising => last.1 = w[1].0,
            _ => out.push((w[0].0, w[1].0, rising)),
        }
    }
    out
}

/// The verdict on the paper's statement that beta*(n) of market A is not monotone, from the
/// values computed (`market_a`) and the markets whose beta* could not be (`failed`, with the
/// errors' messages). A rise and a fall among the values computed decide it (they are a rise and
/// a fall of the whole curve); a monotone curve refutes it only when no value is missing.
pub fn verdict(market_a: &[(u32, f64)], failed: &[String]) -> Verdict {
    if runs(market_a).len() > 1 {
        return Verdict::Holds;
    }
    if !failed.is_empty() {
        return Verdict::NotChecked {
            why: format!("beta* could not be computed at {}", failed.join("; ")),
        };
    }
    if market_a.len() < 3 {
        return Verdict::NotChecked {
            why: "too few markets solved".to_string(),
        };
    }
    Verdict::FailsAsPrinted {
        corrected: "beta*(n) of market A is monotone on the range computed".to_string(),
    }
}

/// beta*(n) of the spec of kind `kind` (empty without one), and the markets that failed.
fn series(ctx: &Context, kind: &Kind) -> (Vec<(u32, f64)>, Vec<String>) {
    let mut points = Vec::new();
    let mut failed = Vec::new();
    for x in ctx.find(kind).into_iter().flat_map(|s| s.solved.iter()) {
        let n = x.point.market().n();
        match (&x.result, u32::try_from(n)) {
            (Ok(r), Ok(n)) => points.extend(r.beta_star.as_ref().map(|b| (n, b.value().to_f64()))),
            (Err(e), _) => failed.push(format!("n = {n}: {e}")),
            (_, Err(_)) => failed.push(format!("n = {n}: too many agents to plot")),
        }
    }
    (points, failed)
}

fn describe(runs: &[(u32, u32, bool)]) -> String {
    runs.iter()
        .map(|(a, b, up)| {
            format!(
                "{} from n = {a} to {b}",
                if *up { "rises" } else { "falls" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Example 1's claims.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<Claim> {
    let (a, a_failed) = series(ctx, &EXAMPLE1_A);
    let (a_printed, a_printed_failed) = series(ctx, &EXAMPLE1_A_PRINTED);
    let (b, b_failed) = series(ctx, &EXAMPLE1_B);
    let (ra, rb) = (runs(&a), runs(&b));
    let mut evidence = findings([
        format!("market A (b solved from F(b) = 1): beta* {}", describe(&ra)),
        format!("market B (uniform): beta* {}", describe(&rb)),
    ]);
    if let (Some(max_a), Some(max_p)) = (
        a.iter().map(|p| p.1).reduce(f64::max),
        a_printed.iter().map(|p| p.1).reduce(f64::max),
    ) {
        evidence.push(Evidence::Finding(format!(
            "market A on the printed support [0, 8.4438], F renormalised: largest beta* {max_p:.10} \
             vs {max_a:.10} with b solved ({} shape: {})",
            if runs(&a_printed).len() == ra.len() { "same" } else { "different" },
            describe(&runs(&a_printed))
        )));
    }
    if let Some(line) = uniform_closed_form(ctx) {
        evidence.push(Evidence::Finding(line));
    }
    for (label, s) in [("A", &a), ("B", &b)] {
        let show: Vec<String> = s
            .iter()
            .filter(|p| [2, 3, 4, 5, 10, 20, 40, 60].contains(&p.0))
            .map(|p| format!("n = {}: {:.6}", p.0, p.1))
            .collect();
        evidence.push(Evidence::Finding(format!(
            "market {label}: {}",
            show.join(", ")
        )));
    }
    for (kind, failed) in [
        (&EXAMPLE1_A, &a_failed),
        (&EXAMPLE1_A_PRINTED, &a_printed_failed),
        (&EXAMPLE1_B, &b_failed),
    ] {
        if ctx.find(kind).is_none() {
            evidence.push(Evidence::Missing {
                what: kind.what.to_string(),
            });
        }
        evidence.extend(failed.iter().map(|why| Evidence::Failed {
            what: kind.what.to_string(),
            why: why.clone(),
        }));
    }
    let rows: Vec<Vec<String>> = a
        .iter()
        .map(|(n, x)| {
            let y = b.iter().find(|p| p.0 == *n).map(|p| p.1);
            vec![
                n.to_string(),
                format!("{x:.12}"),
                y.map_or_else(|| "--".to_string(), |y| format!("{y:.12}")),
            ]
        })
        .collect();
    if !rows.is_empty() {
        art.tables.push(TableData {
            stem: "example1-beta-star".to_string(),
            caption: "Example 1: $\\beta^*$ against $n$ with equal shares, market A (density \
                 $0.1 + 0.1 \\sin x$, $b$ solved from $F(b) = 1$) and market B (uniform)"
                .to_string(),
            headers: vec!["n".into(), "beta* (A)".into(), "beta* (B)".into()],
            numeric: vec![false, true, true],
            rows,
        });
    }
    if !a.is_empty() || !b.is_empty() {
        art.figure1 = Some((a.clone(), b.clone()));
    }
    vec![Claim {
        certified: vec![Provenance::TwoPrecisions],
        id: "example1".to_string(),
        title: "Example 1 and Figure 1".to_string(),
        statement: "With equal shares, beta* is not monotone in n for market A (density 0.1 + 0.1 \
                    sin x on [0, 8.4438]); Figure 1 plots beta*(n) for A and for B (uniform)."
            .to_string(),
        method: "beta* for n = 2..60 to 30 certified digits for both markets (A with b solved \
                 from F(b) = 1, and on the printed support renormalised), and the runs where it \
                 rises and falls."
            .to_string(),
        verdict: if ctx.find(&EXAMPLE1_A).is_none() {
            Verdict::missing(EXAMPLE1_A.what)
        } else {
            verdict(&a, &a_failed)
        },
        evidence,
    }]
}

/// Market B's beta*(n) against the power family's closed form at k = 1 (the symbolic crate),
/// at every n solved.
#[cfg(feature = "symbolic")]
fn uniform_closed_form(ctx: &Context) -> Option<String> {
    use efftrade_symbolic::eval::certified;
    use efftrade_symbolic::family::power_family;
    let spec = ctx.find(&EXAMPLE1_B)?;
    let form = power_family().beta_star_equal;
    let mut agree = 0;
    let mut total = 0;
    let mut least = u32::MAX;
    for x in &spec.solved {
        let Some(star) = x.result.as_ref().ok().and_then(|r| r.beta_star.clone()) else {
            continue;
        };
        let n = u32::try_from(x.point.market().n()).ok()?;
        let closed = certified(&form, star.digits(), |p| {
            Ok(vec![
                ("n".to_string(), rug::Float::with_val(p, n)),
                ("k".to_string(), rug::Float::with_val(p, 1)),
            ])
        })
        .ok()?;
        total += 1;
        let d = star.digits().min(closed.digits());
        if d > 0 && closed.to_decimal_at(d) == star.to_decimal_at(d) {
            agree += 1;
            least = least.min(d);
        }
    }
    let at_k1 = efftrade_symbolic::substitute(&form, "k", "1");
    Some(format!(
        "market B against the closed form beta*(n) = `{at_k1}` (the power family at k = 1, \
         derived by the symbolic crate): {agree} of {total} values agree{}",
        if agree > 0 {
            format!(" to at least {least} digits")
        } else {
            String::new()
        }
    ))
}

#[cfg(not(feature = "symbolic"))]
fn uniform_closed_form(_ctx: &Context) -> Option<String> {
    None
}

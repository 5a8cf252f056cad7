//! The special cases the paper says its results contain: Myerson and Satterthwaite (1983) and
//! Cramton, Gibbons and Klemperer (1987), both with `beta = 0` and uniform types.

use efftrade_model::{BigInt, BigRational, Distribution, Market};
use efftrade_numeric::Provenance;
use efftrade_numeric::quantities::solve;
use efftrade_numeric::{Certified, round_decimal};
use rug::Float;

use super::markets::{CRAMTON_GIBBONS_KLEMPERER, MYERSON_SATTERTHWAITE};
use super::show;
use crate::claim::{Claim, Evidence, Verdict, findings};
use crate::context::{Artefacts, Context, Kind, SolvedSpec, TableData};

/// Digits of the Myerson-Satterthwaite check.
const MS_DIGITS: u32 = 60;
/// Digits of the CGK interval.
const CGK_DIGITS: u32 = 40;

/// The verdict for Myerson-Satterthwaite from `T1` of the market `(1, 0)`: Theorem 2 reproduces
/// it when `T1` is (certifiably) negative, so that no beta, in particular not 0, admits trade.
/// A `T1` without a certified digit decides nothing: not checked.
pub fn ms_verdict(t1: &Certified) -> Verdict {
    if t1.digits() == 0 && !t1.value().is_zero() {
        Verdict::NotChecked {
            why: "T1 of the market (1, 0) has no certified digit".to_string(),
        }
    } else if t1.value().is_sign_negative() && !t1.value().is_zero() {
        Verdict::Holds
    } else {
        Verdict::FailsAsPrinted {
            corrected: "T1 of the market (1, 0) is not negative: Theorem 2 would allow trade"
                .to_string(),
        }
    }
}

const MS_STATEMENT: &str = "With n = 2, shares (1, 0), beta = 0 and uniform types (a seller and a \
                            buyer), no efficient, IC, IR, budget-balanced mechanism exists \
                            (Theorem 1 contains Myerson and Satterthwaite's theorem).";

fn myerson_satterthwaite(ctx: &Context) -> Claim {
    let method = format!("T1 of the market computed to {MS_DIGITS} certified digits.");
    let Some(spec) = ctx.find(&MYERSON_SATTERTHWAITE) else {
        return not_checked(
            "myerson-satterthwaite",
            "Special case: Myerson and Satterthwaite",
            MS_STATEMENT,
            method,
            &MYERSON_SATTERTHWAITE,
        );
    };
    let dist = &spec.spec.distribution();
    let market = spec.spec.markets()[0].market();
    let zero = BigRational::from_integer(BigInt::from(0));
    let (verdict, evidence) =
        match solve(dist, market, Some(&zero), MS_DIGITS) {
            Ok(s) => {
                let sixth = Certified::exact(
                    &BigRational::new(BigInt::from(-1), BigInt::from(6)),
                    MS_DIGITS,
                );
                let agree = s.t1.to_decimal() == sixth.to_decimal();
                (
                    ms_verdict(&s.t1),
                    findings([
                    format!("T1 = {} ({} digits)", show(&s.t1), s.t1.digits()),
                    format!(
                        "-1/6 = {}: {}",
                        sixth.to_decimal(),
                        if agree { "equal to every digit" } else { "different" }
                    ),
                    format!("T2 = {}", show(&s.t2)),
                    "T1 < 0, so by Theorem 2 no beta >= 0 admits efficient trade; with beta = 0 \
                     this is Myerson and Satterthwaite's impossibility"
                        .to_string(),
                ]),
                )
            }
            Err(e) => (
                Verdict::NotChecked {
                    why: format!("the engine failed: {e}"),
                },
                vec![Evidence::Failed {
                    what: "T1 of the market".to_string(),
                    why: e.to_string(),
                }],
            ),
        };
    Claim {
        certified: vec![Provenance::Exact, Provenance::TwoPrecisions],
        id: "myerson-satterthwaite".to_string(),
        title: "Special case: Myerson and Satterthwaite".to_string(),
        statement: MS_STATEMENT.to_string(),
        method,
        evidence,
        verdict,
    }
}

/// A claim not checked because it needs a market of kind `kind` that no spec is.
fn not_checked(id: &str, title: &str, statement: &str, method: String, kind: &Kind) -> Claim {
    Claim {
        certified: Vec::new(),
        id: id.to_string(),
        title: title.to_string(),
        statement: statement.to_string(),
        method,
        evidence: vec![Evidence::Missing {
            what: kind.what.to_string(),
        }],
        verdict: Verdict::missing(kind.what),
    }
}

/// T1 of the market `(r, 1 - r)` with `r` the exact rational value of `x`.
fn t1_at(dist: &Distribution, x: &Float) -> Result<Float, String> {
    let r = x.to_rational().ok_or("the share is not a finite number")?;
    let parse = |z: &rug::Integer| {
        z.to_string()
            .parse::<BigInt>()
            .map_err(|e| format!("the share {r} cannot be converted: {e}"))
    };
    let share = BigRational::new(parse(r.numer())?, parse(r.denom())?);
    let one = BigRational::from_integer(BigInt::from(1));
    let market = Market::from_shares(&[share.clone(), one - share]).map_err(|e| e.to_string())?;
    solve(dist, &market, None, CGK_DIGITS + 5)
        .map(|s| s.t1.value().clone())
        .map_err(|e| format!("T1 at r = {}: {e}", x.to_f64()))
}

/// The root of `T1(r)` in `[lo, hi]` by the secant method on exact shares, or why it was not
/// found.
pub fn t1_root(dist: &Distribution, lo: f64, hi: f64) -> Result<Float, String> {
    let prec = 200;
    let (mut x0, mut x1) = (Float::with_val(prec, lo), Float::with_val(prec, hi));
    let (mut f0, mut f1) = (t1_at(dist, &x0)?, t1_at(dist, &x1)?);
    for _ in 0..60 {
        let slope = Float::with_val(prec, &f1 - &f0) / Float::with_val(prec, &x1 - &x0);
        let x2 = Float::with_val(prec, &x1 - Float::with_val(prec, &f1 / &slope));
        let step = Float::with_val(prec, &x2 - &x1).abs();
        (x0, f0) = (x1, f1);
        x1 = x2;
        f1 = t1_at(dist, &x1)?;
        if step < Float::with_val(prec, Float::i_exp(1, -150)) {
            return Ok(x1);
        }
    }
    Err("the secant iteration did not converge".to_string())
}

fn decimal(x: &Float, digits: u32) -> String {
    round_decimal(x, digits)
}

const CGK_STATEMENT: &str = "With n = 2, shares (r, 1 - r), beta = 0 and uniform types, a \
                             partnership can be dissolved efficiently iff r lies in [1/2 - \
                             sqrt(3)/6, 1/2 + sqrt(3)/6] (Theorem 1 contains their result).";

fn cramton_gibbons_klemperer(ctx: &Context, art: &mut Artefacts) -> Claim {
    let method = format!(
        "The ends of the set where T1 >= 0 found by the secant method on T1(r) (each T1 to {} \
         certified digits), compared with the closed form to {CGK_DIGITS} digits.",
        CGK_DIGITS + 5
    );
    let Some(grid) = ctx.find(&CRAMTON_GIBBONS_KLEMPERER) else {
        return not_checked(
            "cramton-gibbons-klemperer",
            "Special case: Cramton, Gibbons and Klemperer",
            CGK_STATEMENT,
            method,
            &CRAMTON_GIBBONS_KLEMPERER,
        );
    };
    let dist = &grid.spec.distribution();
    let prec = 200;
    let sqrt3_6 = Float::with_val(prec, 3u32).sqrt() / 6u32;
    let closed = [
        Float::with_val(prec, 0.5) - &sqrt3_6,
        Float::with_val(prec, 0.5) + &sqrt3_6,
    ];
    let roots = [t1_root(dist, 0.1, 0.4), t1_root(dist, 0.6, 0.9)];
    let mut evidence = Vec::new();
    let mut agree = true;
    let mut failed = Vec::new();
    let mut rows = Vec::new();
    for (side, (root, exact)) in ["lower", "upper"].iter().zip(roots.iter().zip(&closed)) {
        match root {
            Ok(r) => {
                let same = decimal(r, CGK_DIGITS) == decimal(exact, CGK_DIGITS);
                agree &= same;
                evidence.push(Evidence::Finding(format!(
                    "{side} end: root of T1(r) = {}; 1/2 {} sqrt(3)/6 = {}: {}",
                    decimal(r, CGK_DIGITS),
                    if *side == "lower" { "-" } else { "+" },
                    decimal(exact, CGK_DIGITS),
                    if same {
                        "all 40 digits agree"
                    } else {
                        "they differ"
                    }
                )));
                rows.push(vec![
                    side.to_string(),
                    decimal(r, CGK_DIGITS),
                    decimal(exact, CGK_DIGITS),
                ]);
            }
            Err(why) => {
                failed.push(format!("the {side} end: {why}"));
                evidence.push(Evidence::Failed {
                    what: format!("the {side} end"),
                    why: why.clone(),
                });
            }
        }
    }
    // The spec's grid of r: efficient at beta = 0 exactly inside the interval.
    let mut consistent = 0;
    let mut total = 0;
    for s in &grid.solved {
        let Some(r) = &s.point.r() else { continue };
        let sol = match &s.result {
            Ok(sol) => sol,
            Err(e) => {
                let r = efftrade_model::expr::rational_to_f64(r);
                failed.push(format!("r = {r}: {e}"));
                continue;
            }
        };
        total += 1;
        let r = efftrade_model::expr::rational_to_f64(r);
        let inside = r >= closed[0].to_f64() && r <= closed[1].to_f64();
        if sol.efficient == Some(inside) {
            consistent += 1;
        }
    }
    agree &= consistent == total;
    evidence.push(Evidence::Finding(format!(
        "on the spec's grid r = {}: the Theorem 1 verdict at beta = 0 matches membership of the \
         interval at {consistent} of {total} points",
        grid_range(grid)
    )));
    if !rows.is_empty() {
        art.tables.push(TableData {
            stem: "cgk-interval".to_string(),
            caption: "Cramton, Gibbons and Klemperer: the ends of the share interval of efficient \
                      dissolution ($n = 2$, uniform types, $\\beta = 0$), as roots of $T_1$ and \
                      in closed form"
                .to_string(),
            headers: vec!["end".into(), "root of T1".into(), "1/2 -+ sqrt(3)/6".into()],
            numeric: vec![false, true, true],
            rows,
        });
    }
    Claim {
        certified: vec![Provenance::TwoPrecisions],
        id: "cramton-gibbons-klemperer".to_string(),
        title: "Special case: Cramton, Gibbons and Klemperer".to_string(),
        statement: CGK_STATEMENT.to_string(),
        method,
        evidence,
        verdict: if !agree {
            Verdict::FailsAsPrinted {
                corrected: "the interval of T1 >= 0 differs from CGK's; see the evidence"
                    .to_string(),
            }
        } else if !failed.is_empty() {
            Verdict::NotChecked {
                why: format!("the computation failed for {}", failed.join("; ")),
            }
        } else {
            Verdict::Holds
        },
    }
}

/// Both special cases.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<crate::claim::Claim> {
    vec![
        myerson_satterthwaite(ctx),
        cramton_gibbons_klemperer(ctx, art),
    ]
}

/// The spec's values of r as the report writes them (`0, 0.01, ..., 1`).
fn grid_range(spec: &SolvedSpec) -> String {
    let rs: Vec<f64> = spec
        .spec
        .markets()
        .iter()
        .filter_map(|c| c.r().map(efftrade_model::expr::rational_to_f64))
        .collect();
    match rs.as_slice() {
        [first, second, .., last] => format!("{first}, {second}, ..., {last}"),
        _ => rs.iter().map(f64::to_string).collect::<Vec<_>>().join(", "),
    }
}

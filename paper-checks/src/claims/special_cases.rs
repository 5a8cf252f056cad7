//! The special cases the paper says its results contain: Myerson and Satterthwaite (1983) and
//! Cramton, Gibbons and Klemperer (1987), both with `beta = 0` and uniform types.

use efftrade_model::{BigInt, BigRational, Market, Spec};
use efftrade_numeric::Certified;
use efftrade_numeric::quantities::solve;
use rug::Float;

use super::show;
use crate::claim::{Claim, Verdict};
use crate::context::{Artefacts, Context, TableData};

/// Digits of the Myerson-Satterthwaite check.
const MS_DIGITS: u32 = 60;
/// Digits of the CGK interval.
const CGK_DIGITS: u32 = 40;

/// The verdict for Myerson-Satterthwaite from `T1` of the market `(1, 0)`: Theorem 2 reproduces
/// it when `T1` is (certifiably) negative, so that no beta, in particular not 0, admits trade.
pub fn ms_verdict(t1: &Certified) -> Verdict {
    if t1.digits > 0 && t1.value.is_sign_negative() && !t1.value.is_zero() {
        Verdict::Holds
    } else {
        Verdict::FailsAsPrinted {
            corrected: "T1 of the market (1, 0) is not negative: Theorem 2 would allow trade"
                .to_string(),
        }
    }
}

fn uniform() -> Spec {
    Spec::from_yaml(
        "description: uniform\ndistribution: {family: uniform}\nmarket: {n: 2, shares: symmetric}\n",
        None,
    )
    .expect("a valid built-in spec")
}

fn myerson_satterthwaite() -> Claim {
    let dist = uniform().distribution().clone();
    let one = BigRational::from_integer(BigInt::from(1));
    let zero = BigRational::from_integer(BigInt::from(0));
    let market = Market::from_shares(&[one, zero.clone()]).expect("valid shares");
    let (verdict, evidence) =
        match solve(&dist, &market, Some(&zero), MS_DIGITS) {
            Ok(s) => {
                let sixth = Certified::exact(
                    &BigRational::new(BigInt::from(-1), BigInt::from(6)),
                    MS_DIGITS,
                );
                let agree = s.t1.to_decimal() == sixth.to_decimal();
                (
                    ms_verdict(&s.t1),
                    vec![
                    format!("T1 = {} ({} digits)", show(&s.t1), s.t1.digits),
                    format!(
                        "-1/6 = {}: {}",
                        sixth.to_decimal(),
                        if agree { "equal to every digit" } else { "different" }
                    ),
                    format!("T2 = {}", show(&s.t2)),
                    "T1 < 0, so by Theorem 2 no beta >= 0 admits efficient trade; with beta = 0 \
                     this is Myerson and Satterthwaite's impossibility"
                        .to_string(),
                ],
                )
            }
            Err(e) => (
                Verdict::NotChecked {
                    why: format!("the engine failed: {e}"),
                },
                vec![],
            ),
        };
    Claim {
        id: "myerson-satterthwaite".to_string(),
        title: "Special case: Myerson and Satterthwaite".to_string(),
        statement: "With n = 2, shares (1, 0), beta = 0 and uniform types (a seller and a buyer), \
                    no efficient, IC, IR, budget-balanced mechanism exists (Theorem 1 contains \
                    Myerson and Satterthwaite's theorem)."
            .to_string(),
        method: format!("T1 of the market computed to {MS_DIGITS} certified digits."),
        evidence,
        verdict,
    }
}

/// T1 of the uniform market `(r, 1 - r)` with `r` the exact rational value of `x`.
fn t1_at(x: &Float) -> Option<Float> {
    let r = x.to_rational()?;
    let share = BigRational::new(
        r.numer().to_string().parse::<BigInt>().ok()?,
        r.denom().to_string().parse::<BigInt>().ok()?,
    );
    let one = BigRational::from_integer(BigInt::from(1));
    let market = Market::from_shares(&[share.clone(), one - share]).ok()?;
    solve(uniform().distribution(), &market, None, CGK_DIGITS + 5)
        .ok()
        .map(|s| s.t1.value)
}

/// The root of `T1(r)` in `[lo, hi]` by the secant method on exact shares.
pub fn t1_root(lo: f64, hi: f64) -> Option<Float> {
    let prec = 200;
    let (mut x0, mut x1) = (Float::with_val(prec, lo), Float::with_val(prec, hi));
    let (mut f0, mut f1) = (t1_at(&x0)?, t1_at(&x1)?);
    for _ in 0..60 {
        let slope = Float::with_val(prec, &f1 - &f0) / Float::with_val(prec, &x1 - &x0);
        let x2 = Float::with_val(prec, &x1 - Float::with_val(prec, &f1 / &slope));
        let step = Float::with_val(prec, &x2 - &x1).abs();
        (x0, f0) = (x1, f1);
        x1 = x2;
        f1 = t1_at(&x1)?;
        if step < Float::with_val(prec, Float::i_exp(1, -150)) {
            return Some(x1);
        }
    }
    None
}

fn decimal(x: &Float, digits: u32) -> String {
    Certified {
        value: x.clone(),
        digits,
    }
    .to_decimal()
}

fn cramton_gibbons_klemperer(ctx: &Context, art: &mut Artefacts) -> Claim {
    let prec = 200;
    let sqrt3_6 = Float::with_val(prec, 3u32).sqrt() / 6u32;
    let closed = [
        Float::with_val(prec, 0.5) - &sqrt3_6,
        Float::with_val(prec, 0.5) + &sqrt3_6,
    ];
    let roots = [t1_root(0.1, 0.4), t1_root(0.6, 0.9)];
    let mut evidence = Vec::new();
    let mut agree = true;
    let mut rows = Vec::new();
    for (side, (root, exact)) in ["lower", "upper"].iter().zip(roots.iter().zip(&closed)) {
        match root {
            Some(r) => {
                let same = decimal(r, CGK_DIGITS) == decimal(exact, CGK_DIGITS);
                agree &= same;
                evidence.push(format!(
                    "{side} end: root of T1(r) = {}; 1/2 {} sqrt(3)/6 = {}: {}",
                    decimal(r, CGK_DIGITS),
                    if *side == "lower" { "-" } else { "+" },
                    decimal(exact, CGK_DIGITS),
                    if same {
                        "all 40 digits agree"
                    } else {
                        "they differ"
                    }
                ));
                rows.push(vec![
                    side.to_string(),
                    decimal(r, CGK_DIGITS),
                    decimal(exact, CGK_DIGITS),
                ]);
            }
            None => {
                agree = false;
                evidence.push(format!("{side} end: the secant iteration did not converge"));
            }
        }
    }
    // The spec's grid r = 0, 0.01, ..., 1: efficient at beta = 0 exactly inside the interval.
    if let Some(grid) = ctx.spec("cramton-gibbons-klemperer.yaml") {
        let mut consistent = 0;
        let mut total = 0;
        for s in &grid.solved {
            let (Some(r), Ok(sol)) = (s.point.r(), &s.result) else {
                continue;
            };
            total += 1;
            let r = efftrade_model::expr::rational_to_f64(r);
            let inside = r >= closed[0].to_f64() && r <= closed[1].to_f64();
            if sol.efficient == Some(inside) {
                consistent += 1;
            }
        }
        agree &= consistent == total;
        evidence.push(format!(
            "on the spec's grid r = 0, 0.01, ..., 1: the Theorem 1 verdict at beta = 0 matches \
             membership of the interval at {consistent} of {total} points"
        ));
    }
    art.tables.push(TableData {
        stem: "cgk-interval".to_string(),
        caption: "Cramton, Gibbons and Klemperer: the ends of the share interval of efficient \
                  dissolution (n = 2, uniform types, beta = 0), as roots of T1 and in closed form"
            .to_string(),
        headers: vec!["end".into(), "root of T1".into(), "1/2 -+ sqrt(3)/6".into()],
        numeric: vec![false, true, true],
        rows,
    });
    Claim {
        id: "cramton-gibbons-klemperer".to_string(),
        title: "Special case: Cramton, Gibbons and Klemperer".to_string(),
        statement: "With n = 2, shares (r, 1 - r), beta = 0 and uniform types, a partnership can \
                    be dissolved efficiently iff r lies in [1/2 - sqrt(3)/6, 1/2 + sqrt(3)/6] \
                    (Theorem 1 contains their result)."
            .to_string(),
        method: format!(
            "The ends of the set where T1 >= 0 found by the secant method on T1(r) (each T1 to \
             {} certified digits), compared with the closed form to {CGK_DIGITS} digits.",
            CGK_DIGITS + 5
        ),
        evidence,
        verdict: if agree {
            Verdict::Holds
        } else {
            Verdict::FailsAsPrinted {
                corrected: "the interval of T1 >= 0 differs from CGK's; see the evidence"
                    .to_string(),
            }
        },
    }
}

/// Both special cases.
pub fn check(ctx: &Context, art: &mut Artefacts) -> Vec<crate::claim::Claim> {
    vec![myerson_satterthwaite(), cramton_gibbons_klemperer(ctx, art)]
}

//! The engine against independent references: closed forms, published results, and the paper's
//! own definitions evaluated as written.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]
mod common;

use std::path::Path;

use efftrade_model::{BigRational, Market, Spec};
use efftrade_numeric::certified::Certified;
use efftrade_numeric::engine::Engine;
use efftrade_numeric::quantities::{
    Verdict, mu_definition, nested_out_of_reach, raw_quantities, solve, t1_definition,
    t2_definition, working_precision,
};
use rug::Float;

use common::{q, shown, uniform, uniform_closed_forms};

const PREC: u32 = 600;

#[test]
fn uniform_closed_forms_to_50_digits() {
    let mut cases: Vec<Vec<BigRational>> = vec![
        vec![q(1, 2), q(1, 2)],
        vec![q(1, 1), q(0, 1)],
        vec![q(1, 3), q(2, 3)],
        vec![q(1, 2), q(3, 10), q(1, 5)],
        vec![q(7, 10), q(1, 10), q(1, 10), q(1, 10)],
        vec![q(1, 4), q(1, 4), q(1, 4), q(1, 4), q(0, 1)],
    ];
    for n in [6u32, 11, 30, 60] {
        cases.push((0..n).map(|_| q(1, i64::from(n))).collect());
        // One owner holds half, the rest share the other half.
        let mut v = vec![q(1, 2)];
        v.extend((1..n).map(|_| q(1, 2 * i64::from(n - 1))));
        cases.push(v);
    }
    for shares in cases {
        let market = Market::from_shares(&shares).unwrap();
        let s = solve(&uniform(), &market, None, 50).unwrap();
        let (t1, t2, _) = uniform_closed_forms(&market, PREC);
        let label = format!("{shares:?}");
        assert_eq!(s.t1.to_decimal(), shown(t1, 50), "T1 {label}");
        assert_eq!(s.t2.to_decimal(), shown(t2, 50), "T2 {label}");
        assert_eq!(s.mu.to_decimal(), shown(Float::with_val(PREC, 0.5), 50));
    }
}

#[test]
fn myerson_satterthwaite_has_t1_minus_one_sixth_and_no_efficient_beta() {
    let market = Market::from_shares(&[q(1, 1), q(0, 1)]).unwrap();
    let s = solve(&uniform(), &market, Some(&q(0, 1)), 60).unwrap();
    assert_eq!(
        s.t1.to_decimal(),
        shown(Float::with_val(PREC, -1) / 6u32, 60)
    );
    assert_eq!(s.verdict, Verdict::NoBeta);
    assert_eq!(s.efficient, Some(false));
}

/// T1 of the two-agent uniform market with shares (r, 1 - r), r exact from a float.
fn t1_at(r: &Float) -> Float {
    let exact = r.to_rational().unwrap();
    let share: BigRational = BigRational::new(
        exact.numer().to_string().parse().unwrap(),
        exact.denom().to_string().parse().unwrap(),
    );
    let market =
        Market::from_shares(&[share.clone(), BigRational::from_integer(1.into()) - share]).unwrap();
    solve(&uniform(), &market, None, 45)
        .unwrap()
        .t1
        .value()
        .clone()
}

#[test]
fn cramton_gibbons_klemperer_interval_by_root_finding_to_40_digits() {
    // CGK (1987): with beta = 0, n = 2 and uniform types, a partnership (r, 1 - r) can be
    // dissolved efficiently iff r lies in [1/2 - sqrt(3)/6, 1/2 + sqrt(3)/6]: T1 changes sign there.
    let prec = 200;
    let sqrt3_6 = Float::with_val(prec, 3u32).sqrt() / 6u32;
    for (bracket, edge) in [
        ((0.1, 0.4), Float::with_val(prec, 0.5) - &sqrt3_6),
        ((0.6, 0.9), Float::with_val(prec, 0.5) + &sqrt3_6),
    ] {
        // Secant iteration on T1(r), on shares made exact from each iterate.
        let (mut x0, mut x1) = (
            Float::with_val(prec, bracket.0),
            Float::with_val(prec, bracket.1),
        );
        let (mut f0, mut f1) = (t1_at(&x0), t1_at(&x1));
        for _ in 0..40 {
            let slope = Float::with_val(prec, &f1 - &f0) / Float::with_val(prec, &x1 - &x0);
            let x2 = Float::with_val(prec, &x1 - Float::with_val(prec, &f1 / &slope));
            let step = Float::with_val(prec, &x2 - &x1).abs();
            (x0, f0) = (x1, f1);
            x1 = x2;
            f1 = t1_at(&x1);
            if step < Float::with_val(prec, Float::i_exp(1, -150)) {
                break;
            }
        }
        assert_eq!(shown(x1, 40), shown(edge, 40));
    }
}

fn spec_points() -> Vec<(String, Spec)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut v: Vec<(String, Spec)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                Spec::load(&p).unwrap(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn definitions_agree_with_one_dimensional_forms_for_every_spec_with_n_at_most_4() {
    const DIGITS: u32 = 24;
    let mut checked = 0;
    for (name, spec) in spec_points() {
        // Their one-dimensional forms are checked against mpmath in `tests/families.rs`.
        if nested_out_of_reach(spec.distribution()).is_some() {
            continue;
        }
        let mut seen = std::collections::HashSet::new();
        // T2 and mu do not depend on the shares: one double integral per spec and n.
        let mut t2_by_n = std::collections::HashMap::new();
        for point in spec.points() {
            let n = point.market().n();
            if n > 4 || !seen.insert(point.market().clone()) {
                continue;
            }
            let prec = working_precision(DIGITS, n);
            let mut engine = Engine::new(spec.distribution(), prec).unwrap();
            let raw = raw_quantities(&mut engine, point.market()).unwrap();
            let t1 = t1_definition(&mut engine, point.market()).unwrap();
            let mut checks = vec![("T1", t1.value, raw.t1.value.clone())];
            if let std::collections::hash_map::Entry::Vacant(slot) = t2_by_n.entry(n) {
                let t2 = t2_definition(&mut engine, n).unwrap();
                let mu = mu_definition(&mut engine).unwrap();
                checks.push(("T2 (Lemma 2)", t2.value, raw.t2.value.clone()));
                checks.push(("mu", mu.value, raw.mu.value.clone()));
                slot.insert(());
            }
            for (what, def, one_d) in checks {
                let c = Certified::from_pair(&def, &one_d, DIGITS);
                assert!(
                    c.digits() >= DIGITS - 4,
                    "{name} {}: {what} definition {def} vs one-dimensional {one_d}",
                    point.market()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} markets checked");
}

#[test]
fn theorem_2_t1_plus_t2_is_negative_across_the_spec_grids() {
    let mut checked = 0;
    for (name, spec) in spec_points() {
        for point in spec.points() {
            let s = solve(spec.distribution(), point.market(), None, 10)
                .unwrap_or_else(|e| panic!("{name} {}: {e}", point.market()));
            let sum = Float::with_val(s.prec, s.t1.value() + s.t2.value());
            assert!(
                sum.is_sign_negative() && !sum.is_zero(),
                "{name} {}: T1 + T2 = {sum}",
                point.market()
            );
            checked += 1;
        }
    }
    assert!(checked > 400);
}

#[test]
fn bad_cases_are_clear_errors() {
    use efftrade_numeric::NumericError;
    let market = Market::symmetric(3).unwrap();
    // A precision outside 1..=MAX_DIGITS.
    assert!(matches!(
        solve(&uniform(), &market, None, 0),
        Err(NumericError::Precision { .. })
    ));
    assert!(matches!(
        solve(&uniform(), &market, None, 1_000_000),
        Err(NumericError::Precision { .. })
    ));
    // An inverse CDF asked for a level outside [0, 1] cannot bracket.
    let mut engine = Engine::new(&uniform(), 128).unwrap();
    let err = engine.inverse(&Float::with_val(128, 2)).unwrap_err();
    assert!(matches!(err, NumericError::NoBracket { .. }), "{err}");
    assert!(err.to_string().contains("could not bracket"));
    // A quadrature that cannot converge (a non-integrable singularity) says so.
    let q = efftrade_numeric::quad::Quadrature {
        max_evaluations: 100_000,
        ..efftrade_numeric::quad::Quadrature::new(128)
    };
    let zero = Float::new(128);
    let one = Float::with_val(128, 1);
    let err = q
        .integrate(|x| x.clone().recip(), &zero, &one, &one)
        .unwrap_err();
    assert!(err.to_string().contains("did not converge"), "{err}");
}

#[test]
fn a_critical_type_at_zero_is_certified_on_the_support_scale() {
    // Uniform on [-1, 2] with shares (1/3, 2/3): v* = -1 + 3 r = 0 for r = 1/3, which has no
    // relative digits to certify; it is 0 to the support's accuracy, and T1 is unaffected.
    let spec = Spec::from_yaml(
        "description: u\ndistribution: {family: uniform, support: [-1, 2]}\nmarket: {shares: [1/3, 2/3]}\n",
        None,
    )
    .unwrap();
    let market = spec.point(0).unwrap().market().clone();
    let s = solve(spec.distribution(), &market, None, 40).unwrap();
    assert_eq!(s.critical[0].to_decimal(), "0");
    assert_eq!(s.critical[1].to_decimal_at(5), "1.0000");
    // T1 = (b - a) [(n-1)/(n+1) - ((n-1)/n) sum r^(n/(n-1))] = 3 (1/3 - (1/2)(1/9 + 4/9)) = 1/6.
    let sixth = Certified::exact(&BigRational::new(1.into(), 6.into()), 40);
    assert_eq!(s.t1.to_decimal(), sixth.to_decimal());
}

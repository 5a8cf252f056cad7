//! Every Symbolica check of the crate: conversion, closed forms, the power family, Lemma 3 and
//! the paper's identities, with each derived expression pinned by an insta snapshot (in the
//! top-level `snapshots/`) and each evaluated and compared with the numeric engine to at least
//! 40 digits, so that no snapshot can pin a wrong expression.
//!
//! All of it runs in this one test binary, from one test function on one thread: unlicensed
//! Symbolica allows one process, and one Symbolica thread, at a time.

use std::path::Path;

use rug::ops::Pow;

use efftrade_model::{BigRational, Market, Spec, parse};
use efftrade_numeric::Certified;
use efftrade_numeric::quantities::solve;
use efftrade_symbolic::family::power_family;
use efftrade_symbolic::identities::{Verdict, check_all};
use efftrade_symbolic::report::{
    Options, agreement, family_report, identities_text, spec_report, to_text,
};
use efftrade_symbolic::{derivative, derivatives_agree, eval, lemma3, to_atom};
use symbolica::atom::{Atom, AtomCore};

/// Digits every closed form must share with the numeric engine.
const DIGITS: u32 = 40;

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../../../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The specs whose CDF is outside the exact integrator's class (exponential polynomials): a
/// square root (the real-alpha Kumaraswamy spec is written with one), the `erfc` of the
/// truncated normal and lognormal, `betainc` (Beta with real shapes, the arcsine law) and the
/// CDFs in pieces (piecewise and empirical).
fn outside_the_class(file: &str) -> bool {
    file.contains("sqrt")
        || file.contains("truncated-normal")
        || file.contains("lognormal")
        || file.contains("real-alpha")
        || file.contains("beta-real")
        || file.contains("arcsine")
        || file.contains("piecewise")
        || file.contains("empirical")
}

fn options(max_agents: u32) -> Options {
    Options {
        max_agents,
        digits: DIGITS,
        order: 3,
    }
}

fn spec(yaml: &str) -> Spec {
    Spec::from_yaml(yaml, None).unwrap_or_else(|e| panic!("{yaml}: {e}"))
}

/// The file names in `specs/`, sorted.
fn spec_names() -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir("../../specs")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

fn spec_file(name: &str) -> Spec {
    Spec::load(&Path::new("../../specs").join(name)).unwrap()
}

#[test]
fn symbolica_checks_on_one_thread() {
    densities_of_the_papers_markets_agree_with_symbolica();
    a_wrong_derivative_is_detected();
    exact_numbers_survive_conversion();
    closed_forms_agree_with_the_engine_and_are_pinned();
    every_spec_agrees_with_the_engine();
    power_family_in_n_and_k();
    lemma3_constants_and_watson_expansion();
    identities_verdicts();
}

fn densities_of_the_papers_markets_agree_with_symbolica() {
    for cdf in [
        "0.1*x + 0.1*(1 - cos(x))",
        "x",
        "x^2",
        "3*x^2 - 2*x^3",
        "((x - 1)/2)^4",
        "(1 - exp(-2*(x - 0)))/(1 - exp(-2))",
        "x*log(1 + x) - sqrt(x)",
        "sin(x)^2 + exp(x/3)*cos(2*x)",
        "pi*x + e^x",
    ] {
        let e = parse(cdf).unwrap();
        assert!(
            derivatives_agree(&e),
            "{cdf}: ours {} vs Symbolica {}",
            e.derivative(),
            derivative(&e)
        );
    }
}

fn a_wrong_derivative_is_detected() {
    // The check can fail: x^3 and 3x^2 + 1 differ.
    let ours = to_atom(&parse("3*x^2 + 1").unwrap());
    let theirs = derivative(&parse("x^3").unwrap());
    assert!(!(ours - theirs).expand().is_zero());
}

fn exact_numbers_survive_conversion() {
    let a = to_atom(&parse("0.1*x + 1/3 - x/10").unwrap()).expand();
    assert_eq!(a.to_string(), "1/3");
}

/// The markets whose closed forms are pinned: uniform (equal and unequal shares), the power
/// family k = 1..4, Beta(2,2), and Example 1's sine market, each for n = 2, 3.
fn pinned_specs() -> Vec<(&'static str, Spec)> {
    let mut out = vec![
        (
            "closed_uniform",
            spec(
                "description: uniform, n = 2, 3\ndistribution: {family: uniform}\nmarket: {n: {from: 2, to: 3}, shares: symmetric}\n",
            ),
        ),
        (
            "closed_uniform_unequal",
            spec(
                "description: uniform, shares (1/4, 3/4)\ndistribution: {family: uniform}\nmarket: {shares: [0.25, 0.75]}\n",
            ),
        ),
        (
            "closed_uniform_three",
            spec(
                "description: uniform, shares (1/2, 3/10, 1/5)\ndistribution: {family: uniform}\nmarket: {shares: [0.5, 0.3, 0.2]}\n",
            ),
        ),
        (
            "closed_beta22",
            spec(
                "description: Beta(2, 2), n = 2, 3\ndistribution: {family: beta, shape: [2, 2]}\nmarket: {n: {from: 2, to: 3}, shares: symmetric}\n",
            ),
        ),
        (
            "closed_sine",
            spec(
                "description: Example 1's sine market, b solved, n = 2, 3\ndistribution: {cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}\nmarket: {n: {from: 2, to: 3}, shares: symmetric}\n",
            ),
        ),
    ];
    for k in 1..=4 {
        out.push((
            ["closed_power_k1", "closed_power_k2", "closed_power_k3", "closed_power_k4"][k - 1],
            spec(&format!(
                "description: power family k = {k} on [-1, 2], n = 2, 3\ndistribution: {{family: power, k: {k}, support: [-1, 2]}}\nmarket: {{n: {{from: 2, to: 3}}, shares: symmetric}}\n"
            )),
        ));
    }
    out
}

fn closed_forms_agree_with_the_engine_and_are_pinned() {
    for (name, spec) in pinned_specs() {
        let report = spec_report(&spec, options(12)).unwrap();
        assert!(!report.markets.is_empty(), "{name}");
        for m in &report.markets {
            for q in &m.quantities {
                assert!(
                    q.agreeing_digits.unwrap_or(0) >= DIGITS,
                    "{name} n = {}: {} = {} vs engine {:?}",
                    m.n,
                    q.name,
                    q.value,
                    q.engine
                );
            }
            assert!(
                m.lemma2.starts_with("holds"),
                "{name}: Lemma 2 {}",
                m.lemma2
            );
            assert!(
                m.t1_forms.starts_with("holds"),
                "{name}: T1 forms {}",
                m.t1_forms
            );
        }
        snapshot(name, &to_text(&report));
    }
    // Polynomial markets on a rational support are decided exactly, not numerically.
    let uniform = spec_report(&pinned_specs()[0].1, options(12)).unwrap();
    assert!(uniform.markets.iter().all(|m| m.lemma2 == "holds exactly"));
    // Uniform, n = 3: mu, E[max], T2 are the rationals 1/2, 3/4, -1/4 (docs/MATH.md).
    let n3 = &uniform.markets[1];
    let texts: Vec<&str> = n3.quantities.iter().map(|q| q.form.text.as_str()).collect();
    assert_eq!(&texts[..3], &["1/2", "3/4", "-1/4"]);
}

/// Every spec in `specs/` (markets of up to four agents, every point of the grid: the
/// Cramton-Gibbons-Klemperer grid alone has 101): closed forms and engine agree to 40 digits.
fn every_spec_agrees_with_the_engine() {
    let files = spec_names();
    let mut markets = 0;
    for file in files {
        match spec_report(&spec_file(&file), options(4)) {
            Ok(report) => {
                for m in &report.markets {
                    markets += 1;
                    for q in &m.quantities {
                        assert!(
                            q.agreeing_digits.unwrap_or(0) >= DIGITS,
                            "{file} n = {}: {} = {} vs engine {:?}",
                            m.n,
                            q.name,
                            q.value,
                            q.engine
                        );
                    }
                    assert!(m.lemma2.starts_with("holds"), "{file}: {}", m.lemma2);
                    assert!(m.t1_forms.starts_with("holds"), "{file}: {}", m.t1_forms);
                }
            }
            Err(e) => assert!(outside_the_class(&file), "{file}: {e}"),
        }
    }
    assert!(markets > 120, "only {markets} markets compared");
}

/// Evaluates a power-family form at numbers.
fn family_value(form: &Atom, n: u32, k: u32, a: i64, b: i64, s: &rug::Float) -> Certified {
    let prec_of = |p: u32| -> Result<eval::Bindings, efftrade_symbolic::SymbolicError> {
        Ok(vec![
            ("n".into(), rug::Float::with_val(p, n)),
            ("k".into(), rug::Float::with_val(p, k)),
            ("a".into(), rug::Float::with_val(p, a)),
            ("b".into(), rug::Float::with_val(p, b)),
            ("S".into(), rug::Float::with_val(p, s)),
        ])
    };
    eval::certified(form, DIGITS, prec_of).unwrap()
}

fn power_family_in_n_and_k() {
    let f = power_family();
    assert!(f.scaling_checked);
    snapshot("family_power", &{
        let r = family_report();
        r.quantities
            .iter()
            .map(|(n, p)| format!("{n} = {}\n  latex: {}\n", p.text, p.latex))
            .collect::<String>()
    });
    // Numeric agreement with the engine for k = 1..4, n = 2..5, equal and unequal shares, on
    // [-1, 3].
    for k in 1..=4u32 {
        for n in 2..=5u32 {
            let dist = spec(&format!(
                "description: p\ndistribution: {{family: power, k: {k}, support: [-1, 3]}}\nmarket: {{n: {n}, shares: symmetric}}\n"
            ))
            .distribution().clone();
            let shares: Vec<BigRational> = if n == 2 {
                vec![
                    BigRational::new(1.into(), 3.into()),
                    BigRational::new(2.into(), 3.into()),
                ]
            } else {
                vec![BigRational::new(1.into(), (n as i64).into()); n as usize]
            };
            let market = Market::from_shares(&shares).unwrap();
            let engine = solve(&dist, &market, None, DIGITS).unwrap();
            let prec = 256;
            let exponent = rug::Float::with_val(prec, 1)
                + rug::Float::with_val(prec, 1) / rug::Float::with_val(prec, k * (n - 1));
            let s = shares.iter().fold(rug::Float::with_val(prec, 0), |acc, r| {
                let r = rug::Float::with_val(prec, r.numer().to_string().parse::<u32>().unwrap())
                    / rug::Float::with_val(prec, r.denom().to_string().parse::<u32>().unwrap());
                acc + r.pow(&exponent)
            });
            for (form, reference, what) in [
                (&f.mu, &engine.mu, "mu"),
                (&f.e_max, &engine.e_max, "E[max]"),
                (&f.t2, &engine.t2, "T2"),
                (&f.t1, &engine.t1, "T1"),
            ] {
                let v = family_value(form, n, k, -1, 3, &s);
                assert!(
                    agreement(&v, reference) >= DIGITS,
                    "k = {k}, n = {n}: {what} {} vs {}",
                    v.to_decimal(),
                    reference.to_decimal()
                );
            }
            if let Some(star) = &engine.beta_star {
                let v = family_value(&f.beta_star, n, k, -1, 3, &s);
                assert!(agreement(&v, star) >= DIGITS, "k = {k}, n = {n}: beta*");
            }
        }
    }
    // The uniform (k = 1 on [0, 1]) reduces exactly to docs/MATH.md's public closed form
    // T1 = (n-1)/(n+1) - ((n-1)/n) S, T2 = 1/(n+1) - 1/2, for n = 2..12.
    for n in 2..=12 {
        let sub = |a: &Atom| {
            a.replace(efftrade_symbolic::parse_atom("k"))
                .with(Atom::num(1))
                .replace(efftrade_symbolic::parse_atom("a"))
                .with(Atom::num(0))
                .replace(efftrade_symbolic::parse_atom("b"))
                .with(Atom::num(1))
                .replace(efftrade_symbolic::parse_atom("n"))
                .with(Atom::num(n))
                .expand()
        };
        let t1 = efftrade_symbolic::parse_atom(&format!("({n}-1)/({n}+1) - ({n}-1)/{n}*S"));
        let t2 = efftrade_symbolic::parse_atom(&format!("1/({n}+1) - 1/2"));
        assert!(
            (sub(&f.t1) - &t1).expand().is_zero(),
            "uniform T1, n = {n}: {} vs {t1}",
            sub(&f.t1)
        );
        assert!((sub(&f.t2) - t2).expand().is_zero(), "uniform T2, n = {n}");
    }
}

fn lemma3_constants_and_watson_expansion() {
    let mut all = String::new();
    let files = spec_names();
    for file in files {
        let spec = spec_file(&file);
        let report = efftrade_symbolic::report::lemma3_report(&spec, 3, DIGITS);
        match report {
            Ok(l) => {
                for q in &l.quantities {
                    if let Some(d) = q.agreeing_digits {
                        assert!(
                            d >= DIGITS,
                            "{file}: {} = {} vs {:?}",
                            q.name,
                            q.value,
                            q.engine
                        );
                    }
                }
                assert!(!l.paper_a2_agrees, "{file}: the paper's A2 should differ");
                all += &format!(
                    "{file}: alpha = {}\n{}\n  Int F^N ~ {}\n\n",
                    l.alpha,
                    l.quantities
                        .iter()
                        .map(|q| format!("  {} = {} = {}", q.name, q.form.text, q.value))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    l.expansion.text
                );
            }
            // The specs outside the class (F = x^0.5, and the truncated normal's erfc) are refused
            // with the reason.
            Err(e) => {
                assert!(outside_the_class(&file), "{file}: {e}");
                all += &format!("{file}: {e}\n\n");
            }
        }
    }
    snapshot("lemma3_constants", &all);

    // Watson's expansion to five terms against the engine's N Int F^N at N = 10^12 (alpha = 1:
    // the truncation error is O(N^-5), far below 40 digits).
    let sine = spec_file("example1-sine-solved.yaml")
        .distribution()
        .clone();
    let bind = |p: u32| -> Result<eval::Bindings, efftrade_symbolic::SymbolicError> {
        Ok(vec![(
            "b".into(),
            efftrade_numeric::support::upper_end(&sine, p)?,
        )])
    };
    let forms = lemma3::derive(&sine, 5, bind).unwrap();
    assert_eq!(forms.alpha, 1);
    let scaled = (&forms.expansion * efftrade_symbolic::parse_atom("N")).expand();
    let ours = forms.value(&scaled, Some("1e12"), DIGITS, bind).unwrap();
    let row = efftrade_numeric::lemma3::row(&sine, 1, 12, DIGITS).unwrap();
    assert!(
        agreement(&ours, &row.scaled_integral) >= DIGITS,
        "Watson {} vs engine {}",
        ours.to_decimal(),
        row.scaled_integral.to_decimal()
    );
    // Beta(2, 2): alpha = 2, c = 3, A2 = Gamma(3/2)/sqrt(3) = sqrt(pi/12).
    let beta = spec_file("family-beta22.yaml").distribution().clone();
    let forms = lemma3::derive(&beta, 3, |_| Ok(Vec::new())).unwrap();
    assert_eq!((forms.alpha, forms.c.to_string().as_str()), (2, "3"));
    let a2 = forms
        .value(&forms.a2, None, DIGITS, |_| Ok(Vec::new()))
        .unwrap();
    let pi12 = forms
        .value(
            &efftrade_symbolic::parse_atom("(𝜋/12)^(1/2)"),
            None,
            DIGITS,
            |_| Ok(Vec::new()),
        )
        .unwrap();
    assert!(agreement(&a2, &pi12) >= DIGITS);
}

fn identities_verdicts() {
    let checks = check_all();
    for c in &checks {
        if c.label == "T2-5" {
            // As printed, (T2-5) integrates F^n over [a, v*]; the right range is [a, b].
            assert_eq!(c.verdict, Verdict::FailsAsPrinted);
            assert!(c.correction.as_ref().is_some_and(|f| f.holds));
        } else {
            assert_eq!(c.verdict, Verdict::Holds, "{}: {:?}", c.label, c.residual);
        }
    }
    snapshot("identities", &identities_text(&checks));
    // The checker can fail: (T2-3) with n/(n-1) in place of (n-1)/n is caught, with a residual.
    let wrong = efftrade_symbolic::identities::identity(
        "T2-3 (altered)",
        "Int F p dG = n/(n-1) [b - Int F^n]",
        |c| c.int(&c.f.mul(&c.x()).mul(&c.dg()), &c.a, &c.b),
        |c| &c.nn() / &c.n1() * (&c.b - c.int(&c.fp(c.n), &c.a, &c.b)),
    );
    assert_eq!(wrong.verdict, Verdict::FailsAsPrinted);
    assert!(wrong.residual.is_some());
}

//! Property tests: no input panics the spec loader, the expression parser or the constructors
//! that build distributions, markets and specs without YAML.

use efftrade_model::{BigRational, Distribution, Expr, Family, MarketGrid, Spec, UpperEnd, parse};
use proptest::prelude::*;
use serde_json::{Map as Mapping, Value};

const KEYS: &[&str] = &[
    "description",
    "distribution",
    "market",
    "beta",
    "cdf",
    "family",
    "support",
    "renormalize",
    "k",
    "shape",
    "lambda",
    "n",
    "shares",
    "r",
    "replicate",
    "m",
    "from",
    "to",
    "step",
    "base",
    "exponents",
    "uniform",
    "power",
    "symmetric",
    "solve",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        any::<f64>().prop_map(Value::from),
        (0u32..5).prop_map(|i| Value::Number(i.into())),
        prop::sample::select(KEYS).prop_map(|s| Value::String(s.to_string())),
        expression().prop_map(Value::String),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                let mut m = Mapping::new();
                for (k, v) in kv {
                    m.insert(k.to_string(), v);
                }
                Value::Object(m)
            }),
        ]
    })
}

/// Token soup biased towards the grammar, so that many strings parse and many almost do.
fn expression() -> impl Strategy<Value = String> {
    let token = prop::sample::select(
        &[
            "x",
            "r",
            "pi",
            "e",
            "1",
            "0.1",
            "2",
            "1e-3",
            "1e400",
            "+",
            "-",
            "*",
            "/",
            "^",
            "(",
            ")",
            "sin(",
            "cos(",
            "tan(",
            "exp(",
            "log(",
            "sqrt(",
            " ",
            "--",
            "**",
            ".",
            "9999999999999",
        ][..],
    );
    prop::collection::vec(token, 0..24).prop_map(|t| t.concat())
}

/// A spec-shaped document: the top-level keys present, with random contents.
fn spec_document() -> impl Strategy<Value = String> {
    (value(), value(), value(), prop::option::of(value())).prop_map(|(d, dist, market, beta)| {
        let mut m = Mapping::new();
        m.insert("description".into(), d);
        m.insert("distribution".into(), dist);
        m.insert("market".into(), market);
        if let Some(b) = beta {
            m.insert("beta".into(), b);
        }
        serde_saphyr::to_string(&Value::Object(m)).unwrap_or_default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Spec::from_yaml(&text, Some("fuzz.yaml"));
    }

    #[test]
    fn random_yaml_never_panics_the_loader(doc in spec_document()) {
        if let Err(e) = Spec::from_yaml(&doc, Some("fuzz.yaml")) {
            // Every error renders, with a location line.
            prop_assert!(e.to_string().starts_with("fuzz.yaml"));
        }
    }

    #[test]
    fn random_expressions_never_panic_the_parser(src in expression()) {
        if let Ok(e) = parse(&src) {
            // What parses prints back to the same tree, and differentiates and evaluates.
            prop_assert_eq!(parse(&e.to_string()).unwrap(), e.clone());
            let _ = e.derivative().eval_f64(0.5);
            let _ = e.eval_rational(None);
        }
    }

    #[test]
    fn random_text_never_panics_the_parser(src in "\\PC{0,40}") {
        let _ = parse(&src);
    }
}

#[test]
fn well_formed_markets_with_random_cdfs_validate_or_fail_cleanly() {
    // A spec whose CDF is an arbitrary formula must be accepted or rejected, never panic.
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&expression(), |cdf| {
            let doc = format!(
                "description: fuzz\ndistribution: {{cdf: {cdf:?}, support: [0, solve]}}\nmarket: {{n: 2, shares: symmetric}}\n"
            );
            let _ = Spec::from_yaml(&doc, None);
            Ok(())
        })
        .unwrap();
}

/// Exact rationals, small and extreme, of either sign (zero included).
fn rational() -> impl Strategy<Value = BigRational> {
    prop_oneof![
        (-4i64..5, 1i64..5).prop_map(|(n, d)| BigRational::new(n.into(), d.into())),
        (any::<i64>(), 1i64..=i64::MAX).prop_map(|(n, d)| BigRational::new(n.into(), d.into())),
    ]
}

fn family() -> impl Strategy<Value = Family> {
    prop_oneof![
        Just(Family::Uniform),
        rational().prop_map(|k| Family::Power { k }),
        (rational(), rational()).prop_map(|(p, q)| Family::Beta { p, q }),
        rational().prop_map(|lambda| Family::TruncatedExponential { lambda }),
    ]
}

/// Any expression that parses (constant or not), or a number.
fn expr() -> impl Strategy<Value = Expr> {
    prop_oneof![
        expression().prop_filter_map("parses", |s| parse(&s).ok()),
        rational().prop_map(Expr::Num),
    ]
}

proptest! {
    // A valid random distribution costs a full monotonicity certificate: fewer cases.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_families_never_panic_the_constructor(
        family in family(),
        support in prop::option::of((expr(), expr())),
    ) {
        if let Err(e) = Distribution::from_family(family, support) {
            prop_assert!(e.position.is_none() && e.path.is_none());
            prop_assert!(e.to_string().starts_with("<spec>: "));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_cdfs_never_panic_the_constructor(
        cdf in expr(),
        lower in expr(),
        upper in prop::option::of(expr()),
        renormalize in any::<bool>(),
    ) {
        let upper = upper.map_or(UpperEnd::Solve, UpperEnd::Given);
        let _ = Distribution::from_cdf(cdf, lower, upper, renormalize);
    }

    #[test]
    fn random_markets_never_panic_the_constructors(
        shares in prop::collection::vec(rational(), 0..5),
        formulas in prop::collection::vec(expr(), 0..4),
        rs in prop::option::of(prop::collection::vec(rational(), 0..4)),
        ns in prop::collection::vec(prop_oneof![0u128..5, any::<u128>()], 0..4),
        ms in prop::collection::vec(prop_oneof![0u128..5, any::<u128>()], 0..4),
        description in "\\PC{0,12}",
        betas in prop::collection::vec(rational(), 0..4),
    ) {
        let _ = MarketGrid::from_shares(&shares);
        let _ = MarketGrid::listed(formulas, rs);
        if let Ok(grid) = MarketGrid::symmetric(&ns) {
            let grid = grid.clone().replicate(&ms).unwrap_or(grid);
            let uniform = Distribution::from_family(Family::Uniform, None).unwrap();
            if let Ok(spec) = Spec::new(&description, uniform, grid, betas) {
                // Every point of a valid grid exists, and none past it.
                prop_assert_eq!(spec.points().count(), spec.len());
                prop_assert!(spec.point(spec.len()).is_none());
            }
        }
    }
}

//! Property tests: no input panics the spec loader or the expression parser.

use efftrade_model::{Spec, parse};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

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
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        (0u32..5).prop_map(|i| Value::Number(i.into())),
        prop::sample::select(KEYS).prop_map(|s| Value::String(s.to_string())),
        expression().prop_map(Value::String),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Sequence),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                let mut m = Mapping::new();
                for (k, v) in kv {
                    m.insert(Value::String(k.to_string()), v);
                }
                Value::Mapping(m)
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
        serde_yaml::to_string(&Value::Mapping(m)).unwrap_or_default()
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

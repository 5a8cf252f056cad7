//! Hostile YAML is refused quickly, with a located error: an alias bomb ("billion laughs"),
//! deeply nested lists and mappings, and more than one document. The bounds are generous (a
//! second, where the parser takes milliseconds); before the budgets, deep nesting took the old
//! parser tens of seconds.

use std::time::{Duration, Instant};

use efftrade_model::spec::{MAX_ALIAS_VALUES, MAX_NESTING};
use efftrade_model::{ErrorKind, Spec, SpecError};

const HEAD: &str = "description: hostile\ndistribution: {family: uniform}\nmarket: {n: 2}\n";

/// Loads `src`, asserting that it fails within a second; the error and the time taken.
fn refused(src: &str) -> (SpecError, Duration) {
    let started = Instant::now();
    let result = Spec::from_yaml(src, Some("hostile.yaml"));
    let took = started.elapsed();
    let err = match result {
        Ok(_) => panic!("accepted a hostile document"),
        Err(e) => e,
    };
    assert!(took < Duration::from_secs(1), "took {took:?}: {err}");
    (err, took)
}

/// Nine levels of ten aliases each: 10^9 strings once expanded.
fn billion_laughs() -> String {
    let mut doc =
        format!("{HEAD}beta:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        doc.push_str(&format!("  - &a{i} [{refs}]\n"));
    }
    doc
}

#[test]
fn an_alias_bomb_is_refused_at_its_line() {
    let (err, took) = refused(&billion_laughs());
    let shown = err.to_string();
    assert_eq!(err.kind, ErrorKind::Syntax, "{shown}");
    let needle = format!("aliases repeat more than {MAX_ALIAS_VALUES} values");
    assert!(shown.contains(&needle), "{shown}");
    // The expansion runs out inside the anchors' lines (5 to 13), and the report shows the line.
    let line = err.position.map(|p| p.line).unwrap_or(0);
    assert!((5..=13).contains(&line), "line {line}: {shown}");
    assert!(
        shown.starts_with(&format!("hostile.yaml:{line}:")),
        "{shown}"
    );
    assert!(shown.contains(" | "), "no source line: {shown}");
    assert!(
        err.help.as_deref().unwrap_or("").contains("aliases"),
        "{shown}"
    );
    eprintln!("billion laughs refused in {took:?}");
}

#[test]
fn deep_nesting_is_refused_at_the_level_that_exceeds_the_budget() {
    // Flow lists, flow mappings and block lists, each 100 000 (block: 500) levels deep.
    let depth = 100_000;
    let flow_list = format!("{HEAD}beta: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let flow_map = format!(
        "{HEAD}beta: {}1{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    let block: String = (1..=500)
        .map(|i| format!("{}-\n", "  ".repeat(i)))
        .collect();
    let block_list = format!("{HEAD}beta:\n{block}");
    for (what, src) in [
        ("flow lists", flow_list),
        ("flow mappings", flow_map),
        ("block lists", block_list),
    ] {
        let (err, took) = refused(&src);
        let shown = err.to_string();
        assert_eq!(err.kind, ErrorKind::Syntax, "{what}: {shown}");
        let needle = format!("more than {MAX_NESTING} levels deep");
        assert!(shown.contains(&needle), "{what}: {shown}");
        let p = err
            .position
            .unwrap_or_else(|| panic!("{what}: no position: {shown}"));
        // Line 4 for the flow forms; block lists run out near line 4 + MAX_NESTING.
        match what {
            "block lists" => assert!(
                (MAX_NESTING..=MAX_NESTING + 8).contains(&p.line),
                "{what}: {shown}"
            ),
            _ => assert_eq!(p.line, 4, "{what}: {shown}"),
        }
        eprintln!("{what}: refused in {took:?} at {p:?}");
    }
    // Twenty levels are within the budget: the spec is refused by its own rules, not the parser.
    let nested = format!("{HEAD}beta: {}0.5{}\n", "[".repeat(20), "]".repeat(20));
    let err = Spec::from_yaml(&nested, Some("hostile.yaml")).err();
    let kind = err.as_ref().map(|e| e.kind);
    assert!(kind.is_some() && kind != Some(ErrorKind::Syntax), "{err:?}");
}

#[test]
fn a_second_document_is_named() {
    let (err, _) = refused(&format!("{HEAD}---\nbeta: 1\n"));
    let shown = err.to_string();
    assert!(shown.contains("a spec is one YAML document"), "{shown}");
    assert_eq!(err.position.map(|p| p.line), Some(5), "{shown}");
}

#[test]
fn the_lock_file_holds_no_unmaintained_yaml_crate() {
    // serde_yaml is archived and its backend unsafe-libyaml unmaintained (RUSTSEC-2024-0449).
    let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = std::fs::read_to_string(&lock).expect("the workspace's Cargo.lock");
    for name in ["unsafe-libyaml", "serde_yaml"] {
        assert!(
            !text.contains(&format!("name = \"{name}\"")),
            "{name} is back in Cargo.lock"
        );
    }
    assert!(text.contains("name = \"serde-saphyr\""));
}

//! What the end-to-end tests of `efftrade` share: running the binary, the workspace and its
//! specs, scratch directories, and reading JSON lines.

#![allow(
    dead_code,
    reason = "each test binary uses a part of the shared helpers"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `efftrade ARGS` in the workspace.
pub fn efftrade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_efftrade"))
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("efftrade runs")
}

/// Asserts that a run of `efftrade` succeeded, showing its standard error when not.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The paper's specs, `specs/*.yaml`, sorted.
pub fn specs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(workspace().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// A fresh directory under the system temporary directory for this process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("efftrade-cli-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The JSON lines of a command's standard output.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A decimal string of a JSON record as a double.
pub fn number(v: &serde_json::Value) -> f64 {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal string: {v}"))
        .parse()
        .unwrap()
}

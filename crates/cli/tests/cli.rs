//! The `efftrade` command end to end: every spec of the paper validates, a broken copy of each
//! fails with a located, useful message and exit code 2, and the README's specs stay valid.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn efftrade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_efftrade"))
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("efftrade runs")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn specs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(workspace().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("efftrade-cli-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_spec_of_the_paper_validates() {
    let specs = specs();
    assert!(specs.len() >= 10, "specs/ holds the paper's markets");
    let args: Vec<String> = specs.iter().map(|p| p.display().to_string()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = efftrade(&[&["validate"], &args[..]].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches(": valid").count(), specs.len());
    // The solved upper end of Example 1's sine market is shown with its certified digits.
    let b = stdout
        .split("b = ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert_eq!(b.len(), 41, "40 significant digits: {b}");
    // An independent check of the printed digits: F(b) = 1 to the precision printed.
    let x: f64 = b.parse().unwrap();
    assert!((0.1 * x + 0.1 * (1.0 - x.cos()) - 1.0).abs() < 1e-15, "{b}");
}

#[test]
fn a_broken_copy_of_each_spec_fails_with_a_located_message() {
    let dir = scratch("broken");
    for spec in specs() {
        let text = fs::read_to_string(&spec).unwrap();
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let breakages = [
            (
                "unknown-key",
                format!("{text}unexpected: 1\n"),
                "unknown field `unexpected`",
            ),
            (
                "negative-beta",
                if text.contains("\nbeta:") {
                    text.replace("\nbeta: ", "\nbeta: -1 #")
                } else {
                    format!("{text}beta: -1\n")
                },
                "beta = -1 is negative",
            ),
            (
                "no-market",
                text.replace("market:", "markets:"),
                "unknown field `markets`",
            ),
        ];
        for (kind, broken, needle) in breakages {
            let path = dir.join(format!("{kind}-{name}"));
            fs::write(&path, &broken).unwrap();
            let out = efftrade(&["validate", path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{kind} {name}: {stderr}");
            assert!(stderr.contains(needle), "{kind} {name}: {stderr}");
            let located = format!("{}:", path.display());
            assert!(
                stderr.contains(&located),
                "{kind} {name}: no file:line in {stderr}"
            );
            assert!(
                stderr.contains(" | "),
                "{kind} {name}: no source line in {stderr}"
            );
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_readme_specs_are_valid() {
    let readme = fs::read_to_string(workspace().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 3);
    let dir = scratch("readme");
    for (i, block) in blocks.iter().enumerate() {
        let path = dir.join(format!("readme-{i}.yaml"));
        fs::write(&path, block).unwrap();
        let out = efftrade(&["validate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "README block {i}:\n{block}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The first block is the spec file the README says it is.
    let three = fs::read_to_string(workspace().join("specs/three-agents-uniform.yaml")).unwrap();
    assert_eq!(blocks[0], three);
    fs::remove_dir_all(&dir).unwrap();
}

/// Every command that uses Symbolica, one after another in one test: unlicensed Symbolica allows
/// one process at a time, and the other tests of this binary run in parallel (none of them
/// touches Symbolica).
#[test]
fn symbolic_commands_one_at_a_time() {
    paper_checks_every_claim_and_writes_the_report();
    derive_writes_closed_forms_in_the_format_of_the_extension();
    derive_refuses_a_cdf_outside_the_class_with_exit_2();
    identities_reports_each_verdict();
}

fn paper_checks_every_claim_and_writes_the_report() {
    let out_dir = scratch("paper");
    let out = efftrade(&["paper", "--out", out_dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = specs().len();
    assert!(
        stdout.contains(&format!("{n} of {n} specs valid")),
        "{stdout}"
    );
    // One line per claim, with its verdict.
    assert!(
        stdout.contains("fails as printed   Equation (T2-5)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("holds              Special case: Myerson and Satterthwaite"),
        "{stdout}"
    );
    let inventory = fs::read_to_string(out_dir.join("SPECS.md")).unwrap();
    assert_eq!(inventory.matches("| valid |").count(), n);
    // The report written is the committed one.
    let report = fs::read_to_string(out_dir.join("REPORT.md")).unwrap();
    let committed = fs::read_to_string(workspace().join("paper-checks/REPORT.md")).unwrap();
    assert_eq!(report, committed);
    fs::remove_dir_all(&out_dir).unwrap();
}

fn derive_writes_closed_forms_in_the_format_of_the_extension() {
    let dir = scratch("derive");
    for (ext, marker) in [
        ("txt", "T2 = -1/4"),
        ("tex", "\\begin{align*}"),
        ("yaml", "quantities:"),
    ] {
        let file = dir.join(format!("uniform.{ext}"));
        let out = efftrade(&[
            "derive",
            "specs/three-agents-uniform.yaml",
            "--digits",
            "40",
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(marker), "{ext}: {text}");
    }
    // The YAML is machine-readable: every quantity agrees with the engine to 40 digits.
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(dir.join("uniform.yaml")).unwrap()).unwrap();
    let quantities = yaml["markets"][0]["quantities"].as_sequence().unwrap();
    assert!(quantities.len() >= 5);
    for q in quantities {
        assert!(q["agreeing_digits"].as_u64().unwrap() >= 40, "{q:?}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

fn derive_refuses_a_cdf_outside_the_class_with_exit_2() {
    let dir = scratch("derive-bad");
    let file = dir.join("sqrt.txt");
    let out = efftrade(&[
        "derive",
        "specs/family-power-sqrt.yaml",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no closed form for x^0.5"), "{err}");
    // A missing --out is a usage error.
    assert_eq!(
        efftrade(&["derive", "specs/myerson-satterthwaite.yaml"])
            .status
            .code(),
        Some(2)
    );
    fs::remove_dir_all(&dir).unwrap();
}

fn identities_reports_each_verdict() {
    let dir = scratch("identities");
    let file = dir.join("identities.yaml");
    let out = efftrade(&["identities", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let items = yaml.as_sequence().unwrap();
    let verdict = |label: &str| {
        items
            .iter()
            .find(|i| i["label"] == label)
            .map(|i| i["verdict"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("T2-5").as_deref(), Some("fails as printed"));
    assert_eq!(verdict("T2-6").as_deref(), Some("holds"));
    assert!(items.len() >= 9);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(efftrade(&["validate"]).status.code(), Some(2));
    assert_eq!(efftrade(&["frobnicate"]).status.code(), Some(2));
    let out = efftrade(&["validate", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no/such/file.yaml: cannot read the file")
    );
}

#[test]
fn solve_prints_json_lines_with_certified_digits() {
    let out = efftrade(&[
        "solve",
        "specs/three-agents-uniform.yaml",
        "--digits",
        "25",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    for key in [
        "description",
        "n",
        "shares",
        "beta",
        "mu",
        "e_max",
        "t1",
        "t2",
        "beta_star",
        "efficient",
        "digits",
    ] {
        assert!(line.get(key).is_some(), "missing {key}: {line}");
    }
    assert_eq!(line["n"], "3");
    assert_eq!(
        line["shares"],
        serde_json::json!([["0.5", "1"], ["0.3", "1"], ["0.2", "1"]])
    );
    // Uniform (docs/MATH.md): T2 = 1/4 - 1/2, and T1 > 0 with beta* = -3 T1 / (T1 + T2).
    assert_eq!(line["t2"], "-0.2500000000000000000000000");
    assert_eq!(line["mu"], "0.5000000000000000000000000");
    let t1: f64 = line["t1"].as_str().unwrap().parse().unwrap();
    let t1_exact = 0.5 - (2.0 / 3.0) * (0.5f64.powf(1.5) + 0.3f64.powf(1.5) + 0.2f64.powf(1.5));
    assert!((t1 - t1_exact).abs() < 1e-15);
    assert_eq!(line["efficient"], true);
    assert_eq!(line["digits"], 25);
    // 25 significant digits: "0.0" then 25 digits.
    let t1 = line["t1"].as_str().unwrap();
    assert_eq!(t1.trim_start_matches("0.0").len(), 25, "{t1}");
}

#[test]
fn solve_rejects_bad_arguments_with_exit_2() {
    let out = efftrade(&["solve", "specs/three-agents-uniform.yaml", "--digits", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = efftrade(&[
        "solve",
        "specs/three-agents-uniform.yaml",
        "--digits",
        "99999999",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = efftrade(&["solve", "specs/three-agents-uniform.yaml", "--beta=-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("beta must be at least 0"));
    let out = efftrade(&["solve", "specs/three-agents-uniform.yaml", "--beta", "x+"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn solve_formats_a_grid_as_csv_latex_and_table() {
    let csv = efftrade(&[
        "solve",
        "specs/ms-replications-x2.yaml",
        "--digits",
        "12",
        "--format",
        "csv",
    ]);
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(
        text.lines()
            .nth(4)
            .unwrap()
            .contains(",2000000000000,1000000000000,"),
        "{text}"
    );
    let latex = efftrade(&[
        "solve",
        "specs/myerson-satterthwaite.yaml",
        "--digits",
        "12",
        "--format",
        "latex",
    ]);
    let text = String::from_utf8_lossy(&latex.stdout);
    assert!(
        text.contains("\\toprule")
            && text.contains("S[table-format=-1.12]")
            && text.contains(" & -0.166666666667 & ")
            && text.contains("no \\ensuremath{\\beta}"),
        "{text}"
    );
    let table = efftrade(&[
        "solve",
        "specs/myerson-satterthwaite.yaml",
        "--digits",
        "12",
    ]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("not efficient at this beta"));
}

/// A grid of 10,000 two-agent uniform markets.
const TEN_THOUSAND: &str = "description: uniform two-agent markets over a grid of 10,000 shares
distribution: {family: uniform}
market:
  n: 2
  shares: [r, 1 - r]
  r: {from: 0, to: 0.9999, step: 0.0001}
";

#[test]
fn a_sweep_sharded_four_ways_and_merged_equals_the_unsharded_sweep_byte_for_byte() {
    let dir = scratch("shards");
    let spec = dir.join("grid.yaml");
    fs::write(&spec, TEN_THOUSAND).unwrap();
    let spec = spec.display().to_string();
    for (format, ext) in [("csv", "csv"), ("json", "jsonl")] {
        let whole = dir.join(format!("whole.{ext}"));
        let out = efftrade(&[
            "sweep",
            &spec,
            "--digits",
            "12",
            "--format",
            format,
            "--out",
            &whole.display().to_string(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut shards = Vec::new();
        for k in 1..=4 {
            let file = dir.join(format!("shard{k}.{ext}"));
            let out = efftrade(&[
                "sweep",
                &spec,
                "--digits",
                "12",
                "--format",
                format,
                "--shard",
                &format!("{k}/4"),
                "--out",
                &file.display().to_string(),
            ]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            shards.push(file.display().to_string());
        }
        // Merge in a scrambled order.
        let merged = dir.join(format!("merged.{ext}"));
        let mut args = vec!["merge".to_string()];
        args.extend([&shards[2], &shards[0], &shards[3], &shards[1]].map(String::clone));
        args.extend(["--out".to_string(), merged.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = efftrade(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let whole = fs::read(&whole).unwrap();
        assert!(whole.len() > 1_000_000, "10,000 points of output");
        assert!(
            fs::read(&merged).unwrap() == whole,
            "{format}: merged != unsharded"
        );
        // A missing shard is reported, not silently merged.
        let out = efftrade(&["merge", &shards[0], &shards[1], &shards[2]]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("2500 of 10000 points are missing"));
    }
}

#[test]
fn slurm_job_arrays_pick_their_shard_and_bad_shards_are_refused() {
    let spec = "specs/example1-uniform.yaml";
    let run = |id: &str| {
        Command::new(env!("CARGO_BIN_EXE_efftrade"))
            .args(["sweep", spec, "--digits", "10", "--format", "json"])
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .current_dir(workspace())
            .output()
            .unwrap()
    };
    let out = run("2");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let indices: Vec<u64> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["index"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(
        !indices.is_empty() && indices.iter().all(|i| i % 3 == 1),
        "{indices:?}"
    );
    assert_eq!(run("7").status.code(), Some(2));
    for bad in ["0/3", "4/3", "x/3", "2"] {
        let out = efftrade(&["sweep", spec, "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--shard K/S"));
    }
}

#[test]
fn replicate_reports_m_and_n_and_the_growth_law() {
    let out = efftrade(&[
        "replicate",
        "specs/theorem3-uniform-symmetric.yaml",
        "--digits",
        "20",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last_point = lines.iter().rev().find(|l| l.get("N").is_some()).unwrap();
    let n: u128 = last_point["N"].as_str().unwrap().parse().unwrap();
    let m: u128 = last_point["m"].as_str().unwrap().parse().unwrap();
    assert_eq!(n, 2 * m);
    assert!(n >= 10u128.pow(30));
    // Uniform, equal shares: beta* = 2 (log m + log 2 - 1) + O(log N / N) (docs/MATH.md).
    let beta: f64 = last_point["beta_star"].as_str().unwrap().parse().unwrap();
    let want = 2.0 * ((m as f64).ln() + 2f64.ln() - 1.0);
    assert!((beta - want).abs() < 1e-9, "{beta} vs {want}");
    let growth = &lines.last().unwrap()["growth"];
    let slope: f64 = growth["slope"].as_str().unwrap().parse().unwrap();
    let predicted: f64 = growth["predicted_slope"].as_str().unwrap().parse().unwrap();
    assert!((slope - 2.0).abs() < 1e-9 && (predicted - 2.0).abs() < 1e-15);
    // A market that is not replicated is bad input.
    let out = efftrade(&["replicate", "specs/example1-uniform.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("replicate:"));
}

/// The literal block (lines indented by four spaces) after `heading` in `text`, dedented.
fn literal_block(text: &str, heading: &str) -> String {
    let after = text.split(heading).nth(1).expect("the heading is shown");
    after
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with("    "))
        .map(|l| format!("{}\n", &l[4..]))
        .collect()
}

#[test]
fn the_replication_example_in_the_help_is_a_valid_spec() {
    let help = efftrade(&["replicate", "--help"]);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    let example = literal_block(&help, "A replication spec (YAML):");
    assert!(
        example.contains("  replicate:\n    shares: [1, 0]\n"),
        "{example}"
    );
    let dir = scratch("replicate-help");
    let file = dir.join("example.yaml");
    fs::write(&file, &example).unwrap();
    let out = efftrade(&["validate", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{example}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("replicat"));
    // The error for a spec that is not a replication shows the same block.
    let out = efftrade(&["replicate", "specs/example1-uniform.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        literal_block(&stderr, "A replication spec (YAML):"),
        example
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lemma3_prints_the_constants_and_rows_in_every_format() {
    let out = efftrade(&[
        "lemma3",
        "specs/family-beta22.yaml",
        "--digits",
        "20",
        "--from",
        "2",
        "--to",
        "12",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["alpha"], 2);
    assert_eq!(v["c"], "3.0000000000000000000");
    assert_eq!(v["a2_paper_agrees"], false);
    assert_eq!(v["rows"].as_array().unwrap().len(), 11);
    // A2 = Gamma(3/2) / sqrt(3) = sqrt(pi / 12).
    let a2: f64 = v["a2"].as_str().unwrap().parse().unwrap();
    assert!((a2 - (std::f64::consts::PI / 12.0).sqrt()).abs() < 1e-15);
    for format in ["table", "csv", "latex"] {
        let out = efftrade(&[
            "lemma3",
            "specs/family-beta22.yaml",
            "--to",
            "6",
            "--format",
            format,
        ]);
        assert!(out.status.success(), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("0.51166"),
            "{format}"
        );
    }
    let out = efftrade(&[
        "lemma3",
        "specs/family-beta22.yaml",
        "--from",
        "9",
        "--to",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn mechanism_reports_lp_cutoffs_beside_beta_star() {
    let out = efftrade(&[
        "mechanism",
        "lp",
        "specs/cramton-gibbons-klemperer.yaml",
        "--lp",
        "20,40,80",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 101);
    let mut feasible = 0;
    for l in &lines {
        match (l["beta_star"].as_str(), l["lp_beta_cutoff"].as_str()) {
            // The discrete market admits at least what the continuous one does.
            (Some(star), Some(lp)) => {
                feasible += 1;
                assert!(lp.parse::<f64>().unwrap() >= star.parse::<f64>().unwrap() - 1e-6);
            }
            // No beta for the continuous market (T1 < 0); at share 0 or 1 the discrete one
            // cannot trade either.
            (None, _) => {}
            (Some(star), None) => panic!("beta* = {star} but the LP is infeasible: {l}"),
        }
        assert_eq!(l["lp_table"].as_array().unwrap().len(), 3);
    }
    // The CGK interval [1/2 - sqrt(3)/6, 1/2 + sqrt(3)/6] holds 57 of the 101 shares 0, 0.01, ...
    assert_eq!(feasible, 57);
    let end = &lines[0];
    assert!(
        end["beta_star"].is_null() && end["lp_beta_cutoff"].is_null(),
        "{end}"
    );
    // Markets the LP cannot take are bad input.
    for command in ["lp", "verify"] {
        let out = efftrade(&[
            "mechanism",
            command,
            "specs/theorem3-sine.yaml",
            "--beta",
            "1",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        if command == "verify" {
            assert!(stderr.contains("at most 64 agents"), "{stderr}");
        }
    }
    let out = efftrade(&["mechanism", "lp", "specs/theorem3-sine.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 64 agents"));
    let out = efftrade(&[
        "mechanism",
        "lp",
        "specs/example1-uniform.yaml",
        "--lp",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // One meaning per subcommand: the LP takes no beta, and the bare command is no longer both.
    for args in [
        vec![
            "mechanism",
            "lp",
            "specs/myerson-satterthwaite.yaml",
            "--beta",
            "1",
        ],
        vec![
            "mechanism",
            "specs/myerson-satterthwaite.yaml",
            "--beta",
            "1",
        ],
        vec!["mechanism", "verify", "specs/myerson-satterthwaite.yaml"],
    ] {
        let out = efftrade(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn number(v: &serde_json::Value) -> f64 {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal string: {v}"))
        .parse()
        .unwrap()
}

#[test]
fn mechanism_with_beta_verifies_lemma1_and_meets_theorem1() {
    let out = efftrade(&[
        "mechanism",
        "verify",
        "specs/three-agents-uniform.yaml",
        "--beta",
        "1/2",
        "--lp",
        "40",
        "--grid",
        "5",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let l = &lines[0];
    for key in ["bb_ok", "ic_ok", "ir_ok", "ir_min_at_critical"] {
        assert_eq!(l[key], true, "{key}: {l}");
    }
    assert!(number(&l["bb_max_residual"]) < 1e-30, "{l}");
    assert!(number(&l["ic_max_gain"]) < 0.0, "{l}");
    // The smallest IR slack is Theorem 1's left-hand side over n, to the digits printed.
    let slack = l["ir_min_slack"].as_str().unwrap();
    let predicted = l["ir_min_slack_predicted"].as_str().unwrap();
    assert!(
        slack.len() > 15 && slack == predicted,
        "{slack} vs {predicted}"
    );
    assert_eq!(l["ir_min_type"], l["ir_critical_type"]);
    // The shared --digits default: 30 certified digits of beta* = 1.8426071546057190120054...
    assert_eq!(l["beta_star"], "1.84260715460571901200541670017", "{l}");
    // The LP's discrete market admits more than the continuous one.
    assert!(
        number(&l["lp_beta_cutoff"]) > number(&l["beta_star"]),
        "{l}"
    );

    // Just above beta* (1.8426...) IR fails, by the predicted margin; just below it holds.
    for (beta, ok) in [("1.843", false), ("1.842", true)] {
        let out = efftrade(&[
            "mechanism",
            "verify",
            "specs/three-agents-uniform.yaml",
            "--beta",
            beta,
            "--grid",
            "3",
            "--format",
            "json",
        ]);
        let l = &json_lines(&out)[0];
        assert_eq!(l["ir_ok"], ok, "{l}");
        assert_eq!(number(&l["ir_min_slack"]) < 0.0, !ok, "beta {beta}: {l}");
        assert_eq!(l["ir_min_slack"], l["ir_min_slack_predicted"], "{l}");
    }
}

#[test]
fn mechanism_writes_the_transfer_rule_on_a_grid_and_refuses_bad_input() {
    let dir = scratch("grid-csv");
    let spec = dir.join("cgk.yaml");
    fs::write(
        &spec,
        "description: two agents\ndistribution: {family: uniform}\nmarket: {shares: [0.3, 0.7]}\n",
    )
    .unwrap();
    let csv = dir.join("grid.csv");
    let out = efftrade(&[
        "mechanism",
        "verify",
        spec.to_str().unwrap(),
        "--beta",
        "1",
        "--grid",
        "4",
        "--grid-csv",
        csv.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.starts_with("description,n,shares,beta,method,"),
        "{summary}"
    );
    let text = fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // 4^2 profiles of two agents.
    assert_eq!(rows.len(), 32);
    for pair in rows.chunks(2) {
        let sum: f64 = pair.iter().map(|r| r[8].parse::<f64>().unwrap()).sum();
        let shares: f64 = pair.iter().map(|r| r[7].parse::<f64>().unwrap()).sum();
        assert!(sum.abs() < 1e-15, "transfers {pair:?} do not balance");
        assert!((shares - 1.0).abs() < 1e-15);
    }
    // At beta = beta* = 26/37 exactly (T1 = 13/300, T2 = -1/6) the smallest slack vanishes, and
    // so does Theorem 1's left-hand side.
    let out = efftrade(&[
        "mechanism",
        "verify",
        spec.to_str().unwrap(),
        "--beta",
        "26/37",
        "--grid",
        "3",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = &json_lines(&out)[0];
    assert_eq!(l["ir_min_slack"], "0", "{l}");
    assert_eq!(l["ir_min_slack_predicted"], "0", "{l}");
    assert_eq!(l["ir_ok"], true);
    for args in [
        vec!["--beta=-1"],
        vec!["--beta", "x"],
        vec!["--grid-csv", "out.csv"],
        vec!["--beta", "1", "--grid", "1"],
    ] {
        let mut all = vec!["mechanism", "verify", "specs/myerson-satterthwaite.yaml"];
        all.extend(args.iter().copied());
        let out = efftrade(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let out = efftrade(&[
        "mechanism",
        "verify",
        "specs/example1-uniform.yaml",
        "--beta",
        "1",
        "--grid-csv",
        "out.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use a smaller --grid"));
}

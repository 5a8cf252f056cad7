//! `efftrade sweep` and `efftrade merge`: shards of a grid, from the command line or a Slurm job
//! array, merged into exactly the unsharded output.

mod common;

use std::fs;
use std::process::Command;

use common::{assert_success, efftrade, scratch, workspace};

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
        assert_success(&out);
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
            assert_success(&out);
            shards.push(file.display().to_string());
        }
        // Merge in a scrambled order.
        let merged = dir.join(format!("merged.{ext}"));
        let mut args = vec!["merge".to_string()];
        args.extend([&shards[2], &shards[0], &shards[3], &shards[1]].map(String::clone));
        args.extend(["--out".to_string(), merged.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = efftrade(&args);
        assert_success(&out);
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
    for bad in ["0/3", "4/3", "x/3", "2", "slice:4/3", "slice:", "hash:1/3"] {
        let out = efftrade(&["sweep", spec, "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--shard K/S"));
    }
    // cargo-nextest's spelling picks the same points as the Slurm task and as K/S.
    for shard in ["2/3", "slice:2/3"] {
        let out = efftrade(&[
            "sweep", spec, "--digits", "10", "--format", "json", "--shard", shard,
        ]);
        assert_eq!(out.status.code(), Some(0), "--shard {shard}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            stdout,
            "--shard {shard} differs from SLURM_ARRAY_TASK_ID=2"
        );
    }
}

//! Grids that outgrow one machine: a spec's grid split into shards, and the shards' outputs
//! joined again.
//!
//! A sweep evaluates the points of a spec's grid whose index `i` satisfies `i mod S = K - 1`
//! (shard `K` of `S`, round-robin so that every shard gets a share of the expensive corners of a
//! grid). Each output line carries the point's `index` and the grid's size `points` (see
//! [`PointRecord::in_sweep`](crate::record::PointRecord::in_sweep)), so [`merge`] can check that
//! the shards are complete and disjoint and write the lines in grid order: the merged file is
//! byte for byte the file an unsharded sweep writes.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::record::CSV_COLUMNS;

/// A deterministic slice of a grid: shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// The whole grid.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/S` with `1 <= K <= S`, or the same as cargo-nextest spells its round-robin
    /// partitions, `slice:K/S` (point `i` goes to slice `i mod S + 1`, as nextest deals tests).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let help = "write --shard K/S (or slice:K/S) with 1 <= K <= S, e.g. --shard 2/4";
        let body = match text.split_once(':') {
            None => text,
            Some((kind, rest)) if kind.trim() == "slice" => rest,
            Some((kind, _)) => {
                return Err(format!(
                    "--shard {text}: `{kind}:` is not a partition a sweep knows; its shards are \
                     round-robin slices of the grid, as nextest's `slice:`; {help}"
                ));
            }
        };
        let (k, s) = body
            .split_once('/')
            .ok_or_else(|| format!("--shard {text}: not of the form K/S; {help}"))?;
        let parse = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("--shard {text}: {v:?} is not a whole number; {help}"))
        };
        let (index, count) = (parse(k)?, parse(s)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!("--shard {text}: out of range; {help}"));
        }
        Ok(Shard { index, count })
    }

    /// The shard of a Slurm job array, from `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT` and
    /// `SLURM_ARRAY_TASK_MIN` (so `--array=0-3` and `--array=1-4` both give shards 1..4 of 4).
    /// `None` outside a job array.
    pub fn from_slurm(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let (Some(id), Some(count)) = (var("SLURM_ARRAY_TASK_ID"), var("SLURM_ARRAY_TASK_COUNT"))
        else {
            return Ok(None);
        };
        let min = var("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "0".into());
        let num = |name: &str, v: &str| {
            v.trim().parse::<u64>().map_err(|_| {
                format!("{name}={v:?} is not a whole number; pass --shard K/S explicitly")
            })
        };
        let (id, count, min) = (
            num("SLURM_ARRAY_TASK_ID", &id)?,
            num("SLURM_ARRAY_TASK_COUNT", &count)?,
            num("SLURM_ARRAY_TASK_MIN", &min)?,
        );
        let index = id.checked_sub(min).map(|k| k + 1).filter(|&k| k <= count);
        match index {
            Some(index) if count > 0 => Ok(Some(Shard { index, count })),
            _ => Err(format!(
                "SLURM_ARRAY_TASK_ID={id} with SLURM_ARRAY_TASK_MIN={min} and \
                 SLURM_ARRAY_TASK_COUNT={count} is not a shard; use a contiguous --array range \
                 or pass --shard K/S explicitly"
            )),
        }
    }

    /// Whether grid point `i` (0-based) belongs to this shard.
    pub fn contains(self, i: usize) -> bool {
        (i as u64) % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The two layouts of a sweep's output: CSV with the header [`csv_header`], or JSON lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Csv,
    Json,
}

/// The header line of a CSV sweep.
pub fn csv_header() -> String {
    format!("index,points,{}", CSV_COLUMNS.join(","))
}

/// Joins shard outputs (`(name, text)` pairs, all CSV or all JSON lines) into the output of an
/// unsharded sweep, checking that together they hold every point exactly once.
pub fn merge(files: &[(String, String)]) -> Result<String, String> {
    if files.is_empty() {
        return Err("nothing to merge: name the shard files".into());
    }
    let header = csv_header();
    let mut format: Option<Layout> = None;
    let mut points: Option<usize> = None;
    let mut lines: BTreeMap<usize, (String, &str)> = BTreeMap::new();
    for (name, text) in files {
        let mut body = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, first)) = body.clone().next() else {
            continue;
        };
        let this = if first.trim_start().starts_with('{') {
            Layout::Json
        } else if first == header {
            body.next();
            Layout::Csv
        } else {
            return Err(format!(
                "{name}:1: neither a CSV sweep (header `{header}`) nor JSON lines; merge the \
                 files that `efftrade sweep` wrote"
            ));
        };
        if *format.get_or_insert(this) != this {
            return Err(format!(
                "{name}: mixes formats with the files before it; merge CSV with CSV and JSON with JSON"
            ));
        }
        for (number, line) in body {
            let at = format!("{name}:{}", number + 1);
            let (index, total) = match this {
                Layout::Csv => {
                    let mut fields = line.splitn(3, ',');
                    let mut num = |what: &str| {
                        fields
                            .next()
                            .and_then(|v| v.parse::<usize>().ok())
                            .ok_or_else(|| format!("{at}: no {what} in the first columns"))
                    };
                    (num("index")?, num("points")?)
                }
                Layout::Json => {
                    let v: Value = serde_json::from_str(line)
                        .map_err(|e| format!("{at}: not a JSON object: {e}"))?;
                    let num = |key: &str| {
                        v.get(key)
                            .and_then(Value::as_u64)
                            .map(|x| x as usize)
                            .ok_or_else(|| format!("{at}: no whole-number \"{key}\" key"))
                    };
                    (num("index")?, num("points")?)
                }
            };
            if *points.get_or_insert(total) != total {
                return Err(format!(
                    "{at}: from a grid of {total} points, but earlier lines are from a grid of {}; \
                     merge the shards of one sweep",
                    points.unwrap_or(total)
                ));
            }
            if index >= total {
                return Err(format!(
                    "{at}: index {index} outside a grid of {total} points"
                ));
            }
            if let Some((other, _)) = lines.insert(index, (at.clone(), line)) {
                return Err(format!(
                    "{at}: point {index} is also in {other}; each shard must be merged once"
                ));
            }
        }
    }
    let total = points.unwrap_or(0);
    let missing: Vec<usize> = (0..total).filter(|i| !lines.contains_key(i)).collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(5).map(usize::to_string).collect();
        return Err(format!(
            "{} of {total} points are missing (indices {}{}); a shard is absent or incomplete",
            missing.len(),
            shown.join(", "),
            if missing.len() > 5 { ", ..." } else { "" }
        ));
    }
    let mut out = String::new();
    if format == Some(Layout::Csv) {
        out.push_str(&header);
        out.push('\n');
    }
    for (_, line) in lines.values() {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        // cargo-nextest's spelling of the same round-robin partition.
        assert_eq!(Shard::parse("slice:2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse("slice:1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in [
            "0/4",
            "5/4",
            "1/0",
            "a/2",
            "3",
            "-1/2",
            "slice:0/4",
            "slice:5/4",
            "slice:",
            "slice:2",
            "slice:2/4/8",
            ":2/4",
            "slices:2/4",
        ] {
            let err = Shard::parse(bad).unwrap_err();
            assert!(err.contains("--shard K/S (or slice:K/S)"), "{bad}: {err}");
        }
        // nextest's other partitions deal points differently: named, not guessed.
        for other in ["hash:1/2", "count:1/2"] {
            let err = Shard::parse(other).unwrap_err();
            assert!(err.contains("round-robin slices"), "{other}: {err}");
        }
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for i in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(i)).count(), 1);
        }
    }

    #[test]
    fn slurm_arrays_from_zero_or_one() {
        let env = |id: &'static str, min: &'static str| {
            move |k: &str| match k {
                "SLURM_ARRAY_TASK_ID" => Some(id.to_string()),
                "SLURM_ARRAY_TASK_COUNT" => Some("4".to_string()),
                "SLURM_ARRAY_TASK_MIN" => Some(min.to_string()),
                _ => None,
            }
        };
        assert_eq!(
            Shard::from_slurm(env("0", "0")),
            Ok(Some(Shard { index: 1, count: 4 }))
        );
        assert_eq!(
            Shard::from_slurm(env("4", "1")),
            Ok(Some(Shard { index: 4, count: 4 }))
        );
        assert!(Shard::from_slurm(env("9", "0")).is_err());
        assert_eq!(Shard::from_slurm(|_| None), Ok(None));
    }

    #[test]
    fn merge_refuses_gaps_duplicates_and_mixtures() {
        let h = csv_header();
        let a = (String::from("a.csv"), format!("{h}\n0,3,x\n2,3,z\n"));
        let b = (String::from("b.csv"), format!("{h}\n1,3,y\n"));
        assert_eq!(
            merge(&[b.clone(), a.clone()]).unwrap(),
            format!("{h}\n0,3,x\n1,3,y\n2,3,z\n")
        );
        assert!(
            merge(std::slice::from_ref(&a))
                .unwrap_err()
                .contains("missing (indices 1)")
        );
        assert!(
            merge(&[a.clone(), a.clone()])
                .unwrap_err()
                .contains("also in a.csv:2")
        );
        let j = (
            String::from("c.json"),
            "{\"index\":1,\"points\":3}\n".to_string(),
        );
        assert!(
            merge(&[a.clone(), j])
                .unwrap_err()
                .contains("mixes formats")
        );
        let other = (String::from("d.csv"), format!("{h}\n1,4,y\n"));
        assert!(merge(&[a, other]).unwrap_err().contains("grid of 4 points"));
        let junk = (String::from("e.txt"), "hello\n".to_string());
        assert!(merge(&[junk]).unwrap_err().starts_with("e.txt:1:"));
    }
}

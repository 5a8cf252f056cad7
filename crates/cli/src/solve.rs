//! `efftrade solve`, `efftrade sweep` and `efftrade merge`: a spec's grid solved by the library,
//! its [`PointRecord`]s rendered.

use std::path::{Path, PathBuf};

use efftrade_numeric::quantities::Verdict;
use efftrade_numeric::record::{CSV_COLUMNS, PointRecord, shares_compact};
use efftrade_numeric::shard::{Shard, csv_header, merge};
use efftrade_numeric::sweep::solve_points;

use crate::error::{CliError, Digits, emit, load_with_beta, with_progress};
use efftrade_numeric::record::verdict_text;
use efftrade_render::latex::comment;

use crate::output::{Format, aligned, csv, json_lines, or, tabular};

/// The arguments of `efftrade solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    /// The spec file (YAML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    #[command(flatten)]
    digits: Digits,
    /// The interdependence coefficient beta >= 0 (overrides the spec's); an exact number such
    /// as 0.5 or 1/3.
    #[arg(long, value_name = "B")]
    beta: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The arguments of `efftrade sweep`.
#[derive(clap::Args)]
pub struct SweepArgs {
    /// The spec file (YAML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    #[command(flatten)]
    digits: Digits,
    /// The interdependence coefficient beta >= 0 (overrides the spec's).
    #[arg(long, value_name = "B")]
    beta: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    format: SweepFormat,
    /// Evaluate only shard K of S (points i with i mod S = K - 1). Defaults from
    /// SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT / SLURM_ARRAY_TASK_MIN in a Slurm job array.
    #[arg(long, value_name = "K/S")]
    shard: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The arguments of `efftrade merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// Shard outputs (all CSV or all JSON lines), in any order.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The machine formats of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SweepFormat {
    /// CSV with a header: `index,points,` then `solve`'s columns.
    Csv,
    /// JSON lines: `solve`'s objects with `index` and `points` added.
    Json,
}

/// Loads a spec and solves the grid points `select` keeps, with a progress bar.
fn solved(
    path: &Path,
    digits: u32,
    beta: Option<&str>,
    select: impl Fn(usize) -> bool,
) -> Result<(String, Vec<PointRecord>, usize), CliError> {
    let (spec, beta) = load_with_beta(path, beta)?;
    let indices: Vec<usize> = (0..spec.len()).filter(|&i| select(i)).collect();
    let solved = with_progress(indices.len(), "points", |tick| {
        solve_points(&spec, &indices, digits, beta.as_ref(), tick)
    });
    let records = PointRecord::all(spec.description(), solved, digits);
    Ok((spec.description().to_string(), records, spec.len()))
}

/// `efftrade solve SPEC`.
pub fn solve(args: &SolveArgs) -> Result<(), CliError> {
    let (description, records, _) =
        solved(&args.spec, args.digits.value, args.beta.as_deref(), |_| {
            true
        })?;
    let text = match args.format {
        Format::Json => json_lines(&records)?,
        Format::Csv => csv(
            &CSV_COLUMNS.join(","),
            records.iter().map(|r| r.csv_fields()),
        ),
        Format::Table => table(&description, &records),
        Format::Latex => latex(&description, &records)?,
    };
    emit(&text, None)?;
    failures(&records)
}

/// `efftrade sweep SPEC`: the points of one shard, as CSV or JSON lines.
pub fn sweep(args: &SweepArgs) -> Result<(), CliError> {
    let shard = match args.shard.as_deref() {
        Some(text) => Shard::parse(text),
        None => Shard::from_slurm(|k| std::env::var(k).ok()).map(|s| s.unwrap_or(Shard::ALL)),
    }
    .map_err(CliError::BadInput)?;
    let (_, records, points) = solved(&args.spec, args.digits.value, args.beta.as_deref(), |i| {
        shard.contains(i)
    })?;
    if shard != Shard::ALL {
        eprintln!(
            "shard {shard}: {} of the {points} points of {}",
            records.len(),
            args.spec.display()
        );
    }
    let text = match args.format {
        SweepFormat::Json => json_lines(records.iter().map(|r| r.in_sweep(points)))?,
        SweepFormat::Csv => csv(
            &csv_header(),
            records.iter().map(|r| {
                let mut fields = vec![r.index.to_string(), points.to_string()];
                fields.extend(r.csv_fields());
                fields
            }),
        ),
    };
    emit(&text, args.out.as_deref())?;
    failures(&records)
}

/// `efftrade merge FILE...`.
pub fn merge_files(args: &MergeArgs) -> Result<(), CliError> {
    let texts = args
        .files
        .iter()
        .map(|f| match std::fs::read_to_string(f) {
            Ok(t) => Ok((f.display().to_string(), t)),
            Err(e) => Err(CliError::BadInput(format!(
                "cannot read {}: {e}",
                f.display()
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    emit(
        &merge(&texts).map_err(CliError::BadInput)?,
        args.out.as_deref(),
    )
}

/// Why any point failed (exit code 1 when one did).
pub fn failures<'a>(records: impl IntoIterator<Item = &'a PointRecord>) -> Result<(), CliError> {
    let failed: Vec<String> = records
        .into_iter()
        .filter_map(|r| {
            r.outcome
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", r.market))
        })
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Failed(failed.join("\nerror: ")))
    }
}

fn table(description: &str, records: &[PointRecord]) -> String {
    let header = ["N", "shares", "beta", "T1", "T2", "beta*", "verdict"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for r in records {
        let mut row = vec![
            r.n().to_string(),
            shares_compact(&r.market, 6),
            r.beta.clone().unwrap_or_else(|| "-".into()),
        ];
        match &r.outcome {
            Ok(x) => row.extend([
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                or(&x.beta_star, "-"),
                match x.efficient {
                    Some(true) => "efficient at this beta".into(),
                    Some(false) => "not efficient at this beta".into(),
                    None => verdict_text(x),
                },
            ]),
            Err(e) => row.extend([
                format!("error: {e}"),
                String::new(),
                String::new(),
                String::new(),
            ]),
        }
        rows.push(row);
    }
    format!("{description}\n{}", aligned(&rows))
}

/// The LaTeX tabular of `solve`: numbers in siunitx columns, text escaped (errors included).
fn latex(description: &str, records: &[PointRecord]) -> Result<String, CliError> {
    let columns = [
        ("N", "$N$", true),
        ("shares", "shares", false),
        ("T1", "$T_1$", true),
        ("T2", "$T_2$", true),
        ("beta*", "$\\beta^*$", true),
        ("verdict", "verdict", false),
    ];
    let rows = records.iter().map(|r| {
        let mut row = vec![
            r.n().to_string(),
            shares_compact(&r.market, 6).replace(" x ", " × "),
        ];
        match &r.outcome {
            Ok(x) => row.extend([
                x.t1.to_decimal(),
                x.t2.to_decimal(),
                or(&x.beta_star, "--"),
                match x.verdict {
                    Verdict::EfficientUpTo => "efficient up to β*",
                    Verdict::NoBeta => "no β",
                }
                .to_string(),
            ]),
            Err(e) => row.extend(["--".into(), "--".into(), "--".into(), format!("error: {e}")]),
        }
        row
    });
    Ok(format!(
        "{}{}",
        comment(description),
        tabular(&columns, rows)?
    ))
}

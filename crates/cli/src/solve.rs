//! `efftrade solve`, `efftrade sweep` and `efftrade merge`: a spec's grid solved by the library,
//! its [`PointRecord`]s rendered.

use std::path::PathBuf;

use efftrade_numeric::record::PointRecord;
use efftrade_numeric::shard::{Shard, merge};
use efftrade_views::solve::{solve as view, sweep_csv, sweep_json};

use crate::error::{CliError, Digits, Rigorous, emit, load_with_beta, with_progress};
use crate::output::Format;

/// What `solve` and `sweep` evaluate: a spec's points at the digits asked for.
#[derive(clap::Args)]
pub struct Points {
    /// The spec file (YAML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    #[command(flatten)]
    digits: Digits,
    /// The interdependence coefficient beta >= 0 (overrides the spec's); an exact number such
    /// as 0.5 or 1/3.
    #[arg(long, value_name = "B")]
    beta: Option<String>,
    #[command(flatten)]
    rigorous: Rigorous,
}

/// The arguments of `efftrade solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    #[command(flatten)]
    points: Points,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The arguments of `efftrade sweep`.
#[derive(clap::Args)]
pub struct SweepArgs {
    #[command(flatten)]
    points: Points,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    format: SweepFormat,
    /// Evaluate only shard K of S (points i with i mod S = K - 1); cargo-nextest's spelling
    /// slice:K/S is the same. Defaults from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT /
    /// SLURM_ARRAY_TASK_MIN in a Slurm job array.
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
    args: &Points,
    select: impl Fn(usize) -> bool,
) -> Result<(String, Vec<PointRecord>, usize), CliError> {
    let (spec, beta) = load_with_beta(&args.spec, args.beta.as_deref())?;
    let digits = args.digits.value;
    let indices: Vec<usize> = (0..spec.len()).filter(|&i| select(i)).collect();
    let records = with_progress(indices.len(), "points", |tick| {
        if args.rigorous.rigorous {
            efftrade_rigorous::record::solve_points(&spec, &indices, digits, beta.as_ref(), tick)
        } else {
            PointRecord::solve(&spec, &indices, digits, beta.as_ref(), tick)
        }
    });
    Ok((spec.description().to_string(), records, spec.len()))
}

/// `efftrade solve SPEC`.
pub fn solve(args: &SolveArgs) -> Result<(), CliError> {
    let (description, records, _) = solved(&args.points, |_| true)?;
    emit(&view(args.format.into(), &description, &records)?, None)?;
    failures(&records)
}

/// `efftrade sweep SPEC`: the points of one shard, as CSV or JSON lines.
pub fn sweep(args: &SweepArgs) -> Result<(), CliError> {
    let shard = match args.shard.as_deref() {
        Some(text) => Shard::parse(text),
        None => Shard::from_slurm(|k| std::env::var(k).ok()).map(|s| s.unwrap_or(Shard::ALL)),
    }
    .map_err(CliError::BadInput)?;
    let (_, records, points) = solved(&args.points, |i| shard.contains(i))?;
    if shard != Shard::ALL {
        eprintln!(
            "shard {shard}: {} of the {points} points of {}",
            records.len(),
            args.points.spec.display()
        );
    }
    let text = match args.format {
        SweepFormat::Json => sweep_json(&records, points)?,
        SweepFormat::Csv => sweep_csv(&records, points),
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
    PointRecord::failures(records).map_or(Ok(()), |failed| Err(CliError::Failed(failed)))
}

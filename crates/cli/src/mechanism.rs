//! `efftrade mechanism verify|lp`: parses the arguments, calls [`efftrade_mechanism::assess`]
//! (which computes and judges everything) and prints its records through
//! [`efftrade_views::mechanism`].

use std::path::{Path, PathBuf};

use clap::Subcommand;
use efftrade_mechanism::Settings;
use efftrade_mechanism::assess::{self, DEFAULT_LP_SIZES};
use efftrade_model::Spec;
use efftrade_views::mechanism as view;

use crate::error::{CliError, Digits, emit, load, parse_beta, with_progress};
use crate::output::Format;

/// The two meanings of `efftrade mechanism`.
#[derive(Subcommand)]
pub enum MechanismCommand {
    /// Lemma 1's budget-balanced mechanism at --beta for every market of the spec, verified from
    /// its payoffs (ex-post BB at random profiles, interim IC and IR on a grid of types), beside
    /// Theorem 1's predicted smallest IR slack.
    Verify(VerifyArgs),
    /// The largest beta for which the efficient allocation admits Bayesian IC, interim IR and
    /// budget-balanced transfers, by linear programming on K quantile points of F, beside beta*.
    Lp(LpArgs),
}

/// The arguments of `efftrade mechanism verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The spec file (markets of at most 64 agents).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// The interdependence coefficient beta >= 0 (an exact number such as 0.5 or 1/3).
    #[arg(long, value_name = "B")]
    beta: String,
    /// Types per agent on the verification grid (the critical types are added).
    #[arg(long, default_value_t = 9, value_parser = clap::value_parser!(u32).range(2..=200))]
    grid: u32,
    /// Quasi-Monte Carlo points per shift (eight shifts) for markets of four agents or more.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(16..=1_000_000))]
    qmc_points: u32,
    /// Write the transfer rule at every profile of grid types as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    grid_csv: Option<PathBuf>,
    /// Also the LP cutoffs on these discretisation sizes (2 to 4096 points each).
    #[arg(long, value_name = "K,K,...", value_delimiter = ',', value_parser = clap::value_parser!(u32).range(2..=4096))]
    lp: Option<Vec<u32>>,
    #[command(flatten)]
    digits: Digits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The arguments of `efftrade mechanism lp`.
#[derive(clap::Args)]
pub struct LpArgs {
    /// The spec file (markets of at most 64 agents).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// Discretisation sizes, comma-separated (2 to 4096 points each).
    #[arg(long, value_name = "K,K,...", value_delimiter = ',', default_values_t = DEFAULT_LP_SIZES.map(|k| k as u32), value_parser = clap::value_parser!(u32).range(2..=4096))]
    lp: Vec<u32>,
    #[command(flatten)]
    digits: Digits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs a mechanism subcommand.
pub fn run(command: &MechanismCommand) -> Result<(), CliError> {
    match command {
        MechanismCommand::Lp(args) => lp(args),
        MechanismCommand::Verify(args) => verify(args),
    }
}

fn lp(args: &LpArgs) -> Result<(), CliError> {
    let spec = checked(&args.spec)?;
    let ks: Vec<usize> = args.lp.iter().map(|&k| k as usize).collect();
    let digits = args.digits.value;
    let all = with_progress(spec.len(), "markets", |tick| {
        assess::lp_spec(&spec, &ks, digits, tick)
    });
    let text = view::lp(args.format.into(), spec.description(), &all, digits)?;
    emit(&text, None)?;
    failures(all.iter().filter(|a| a.failed()).count())
}

fn verify(args: &VerifyArgs) -> Result<(), CliError> {
    let spec = checked(&args.spec)?;
    let beta = parse_beta(&args.beta)?;
    let (grid, digits) = (args.grid as usize, args.digits.value);
    if args.grid_csv.is_some() {
        assess::check_grid(&spec, grid).map_err(|message| {
            CliError::BadInput(format!("{}: --grid-csv: {message}", args.spec.display()))
        })?;
    }
    let settings = Settings {
        grid,
        qmc_points: args.qmc_points as usize,
        ..Settings::default()
    };
    let ks: Option<Vec<usize>> = args
        .lp
        .as_ref()
        .map(|ks| ks.iter().map(|&k| k as usize).collect());
    let all = with_progress(spec.len(), "markets", |tick| {
        assess::assess_spec(&spec, &beta, ks.as_deref(), &settings, digits, tick)
    });
    emit(
        &view::verify(args.format.into(), spec.description(), &all, digits)?,
        None,
    )?;
    if let Some(file) = &args.grid_csv {
        let text = view::grid_csv(&spec, &beta, grid, digits).map_err(CliError::Failed)?;
        emit(&text, Some(file))?;
    }
    failures(all.iter().filter(|a| a.failed()).count())
}

/// Loads a spec, refusing markets the mechanism cannot take (bad input).
fn checked(path: &Path) -> Result<Spec, CliError> {
    let spec = load(path)?;
    assess::check_agents(&spec).map_err(|message| {
        CliError::BadInput(format!(
            "{}: {message}\nhelp: `efftrade solve` handles any number of agents",
            path.display()
        ))
    })?;
    Ok(spec)
}

/// A failure (exit code 1) when some market could not be evaluated.
fn failures(failed: usize) -> Result<(), CliError> {
    if failed == 0 {
        return Ok(());
    }
    Err(CliError::Failed(format!(
        "{failed} market(s) could not be evaluated (see the output)"
    )))
}

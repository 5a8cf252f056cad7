//! `efftrade`: validate, solve and check the markets of Pycia and Wang's "Efficient Trade with
//! Interdependent Values".
//!
//! This file holds the command line's definitions and dispatch; each command group lives in its
//! own module and calls the libraries, whose typed records it renders. Exit codes (one place,
//! [`error::CliError`]): 0 on success, 2 on bad input (an invalid spec, a bad argument), 1 when a
//! computation or a write fails.

mod error;
mod mechanism;
mod output;
mod paper;
mod solve;
mod study;
#[cfg(feature = "symbolic")]
mod symbolic;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use efftrade_model::{BigRational, Spec};
use efftrade_numeric::MAX_DIGITS;
use error::{BAD_INPUT, CliError, exit, progress};
use output::Format;

/// The end of `efftrade replicate --help`, also shown when a spec is not a replication: a
/// replication spec, indented as a literal block (a test parses it as a valid spec).
const REPLICATE_HELP: &str = "A replication spec (YAML):

    description: m-fold replications of Myerson-Satterthwaite, uniform types
    distribution: {family: uniform}
    market:
      replicate:
        shares: [1, 0]
        m: {base: 10, exponents: {from: 0, to: 30}}";

/// Efficient trade with interdependent values: executable checks of Pycia and Wang's paper.
#[derive(Parser)]
#[command(name = "efftrade", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate spec files and print each normalised market (or every error found).
    Validate {
        /// Spec files (YAML).
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
    },
    /// Compute mu, E[max], T1, T2, beta* and the Theorem 1 verdict for every point of a spec,
    /// with only certified digits printed.
    Solve(solve::SolveArgs),
    /// Evaluate every point of a spec's grid (or one shard of it) for a cluster run: CSV or JSON
    /// lines that carry each point's index, joined later by `efftrade merge`.
    Sweep(solve::SweepArgs),
    /// Join the shard outputs of `efftrade sweep` into the output of an unsharded sweep.
    Merge(solve::MergeArgs),
    /// Theorem 3: T1, N T1, T2 and beta* of m-fold replications (N beyond 10^30), with the growth
    /// of beta* fitted and compared with Lemma 3's prediction.
    #[command(after_long_help = REPLICATE_HELP)]
    Replicate(study::ReplicateArgs),
    /// Lemma 3: alpha, c, A1 and A2 of the spec's distribution, the convergence of
    /// N^(1/alpha) Int F^N and of the scaled gap b - v* for N = 10^FROM .. 10^TO, and the fit.
    Lemma3(study::Lemma3Args),
    /// Theorem 1 without its formula. With --beta: Lemma 1's budget-balanced mechanism for every
    /// market of the spec, verified from its payoffs (ex-post BB at random profiles, interim IC
    /// and IR on a grid of types), beside Theorem 1's predicted IR slack. Without --beta (or with
    /// --lp): the largest beta for which the efficient allocation admits Bayesian IC, interim IR
    /// and budget-balanced transfers, by linear programming on K quantile points of F.
    Mechanism {
        /// The spec file (markets of at most 64 agents).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// Build and verify Lemma 1's mechanism at this beta >= 0 (an exact number such as 0.5
        /// or 1/3).
        #[arg(long, value_name = "B")]
        beta: Option<String>,
        /// Discretisation sizes of the LP, comma-separated (2 to 4096 points each); without
        /// --beta the default is 10,20,40,80,160.
        #[arg(long, value_name = "K,K,...", value_delimiter = ',', value_parser = clap::value_parser!(u32).range(2..=4096))]
        lp: Option<Vec<u32>>,
        /// Types per agent on the verification grid (the critical types are added).
        #[arg(long, default_value_t = 9, value_parser = clap::value_parser!(u32).range(2..=200))]
        grid: u32,
        /// Quasi-Monte Carlo points per shift (eight shifts) for markets of four agents or more.
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(16..=1_000_000))]
        qmc_points: u32,
        /// With --beta: write the transfer rule on the grid (every profile of grid types) as CSV
        /// to FILE.
        #[arg(long, value_name = "FILE")]
        grid_csv: Option<PathBuf>,
        /// Significant digits of beta* and of the verification's numbers (at most those certified).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=MAX_DIGITS as i64))]
        digits: u32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Closed forms (Symbolica) of mu, E[max], T1, T2 and beta* for each market of a spec with
    /// few agents, the power family with n and k as symbols, and Lemma 3's constants with
    /// Watson's expansion; each evaluated and compared with the numeric engine. Written to a file.
    #[cfg(feature = "symbolic")]
    Derive(symbolic::DeriveArgs),
    /// The paper's integration-by-parts identities and sign facts, each checked exactly
    /// (Symbolica), with verdicts, residuals and corrected forms. Written to a file.
    #[cfg(feature = "symbolic")]
    Identities {
        /// The output file (.txt or .yaml).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Output format (default: from the extension of --out).
        #[arg(long, value_enum)]
        format: Option<symbolic::SymbolicFormat>,
    },
    /// Run the paper's checks on every spec in a directory and write the outputs.
    Paper {
        /// Directory of specs.
        #[arg(long, default_value = "specs", value_name = "DIR")]
        specs: PathBuf,
        /// Directory for the report, tables and figures.
        #[arg(long, default_value = "paper-checks/out", value_name = "DIR")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mechanism {
            spec,
            beta,
            lp,
            grid,
            qmc_points,
            grid_csv,
            digits,
            format,
        } => match beta {
            Some(beta) => verify_command(&VerifyArgs {
                path: &spec,
                beta: &beta,
                lp: lp.as_deref(),
                grid: grid as usize,
                qmc_points: qmc_points as usize,
                grid_csv: grid_csv.as_deref(),
                digits,
                format,
            }),
            None => {
                if grid_csv.is_some() {
                    eprintln!("error: --grid-csv writes Lemma 1's transfers, which need --beta B");
                    return ExitCode::from(BAD_INPUT);
                }
                let ks = lp.unwrap_or_else(|| vec![10, 20, 40, 80, 160]);
                mechanism_command(&spec, &ks, digits, format)
            }
        },
        command => exit(run(command)),
    }
}

/// Runs every command but `mechanism`.
fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Validate { specs } => paper::validate(&specs),
        Command::Paper { specs, out } => paper::paper(&specs, &out),
        #[cfg(feature = "symbolic")]
        Command::Derive(args) => symbolic::derive(&args),
        #[cfg(feature = "symbolic")]
        Command::Identities { out, format } => symbolic::identities(&out, format),
        Command::Solve(args) => solve::solve(&args),
        Command::Sweep(args) => solve::sweep(&args),
        Command::Merge(args) => solve::merge_files(&args),
        Command::Replicate(args) => study::replicate(&args),
        Command::Lemma3(args) => study::lemma3_command(&args),
        Command::Mechanism { .. } => unreachable!("main runs the mechanism command"),
    }
}

/// Loads a spec for the mechanism command, which reports through exit codes.
fn load(path: &std::path::Path) -> Result<Spec, ExitCode> {
    error::load(path).map_err(CliError::report)
}

/// Loads a spec and `--beta` for the mechanism command.
fn load_with_beta(
    path: &std::path::Path,
    beta: Option<&str>,
) -> Result<(Spec, Option<BigRational>), ExitCode> {
    error::load_with_beta(path, beta).map_err(CliError::report)
}

/// Writes the mechanism command's output.
fn emit(text: &str, path: Option<&std::path::Path>) -> Result<(), ExitCode> {
    error::emit(text, path).map_err(CliError::report)
}

/// Refuses a spec with a market the mechanism crate cannot take (exit code 2).
fn check_agents(path: &std::path::Path, spec: &Spec) -> Result<(), ExitCode> {
    if let Some(point) = spec
        .points()
        .find(|p| p.market().n() > efftrade_mechanism::lp::MAX_AGENTS)
    {
        eprintln!(
            "error: {}: `efftrade mechanism` handles markets of at most {} agents; {} has {}\n\
             help: use a spec without replications or large n (`efftrade solve` handles any N)",
            path.display(),
            efftrade_mechanism::lp::MAX_AGENTS,
            point.market(),
            point.market().n()
        );
        return Err(ExitCode::from(BAD_INPUT));
    }
    Ok(())
}

fn mechanism_command(path: &std::path::Path, ks: &[u32], digits: u32, format: Format) -> ExitCode {
    let spec = match load(path) {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    if let Err(code) = check_agents(path, &spec) {
        return code;
    }
    let ks: Vec<usize> = ks.iter().map(|&k| k as usize).collect();
    let bar = progress(spec.len(), "markets");
    let all = mechanism::evaluate(&spec, &ks, digits, &|| bar.inc(1));
    bar.finish_and_clear();
    if let Err(code) = emit(
        &mechanism::render(format, spec.description(), &all, digits),
        None,
    ) {
        return code;
    }
    let failed = all
        .iter()
        .filter(|e| e.lp.is_err() || e.beta_star.is_err())
        .count();
    if failed > 0 {
        eprintln!("error: {failed} market(s) could not be evaluated (see the output)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The arguments of `mechanism --beta`.
struct VerifyArgs<'a> {
    path: &'a std::path::Path,
    beta: &'a str,
    lp: Option<&'a [u32]>,
    grid: usize,
    qmc_points: usize,
    grid_csv: Option<&'a std::path::Path>,
    digits: u32,
    format: Format,
}

fn verify_command(args: &VerifyArgs) -> ExitCode {
    let (spec, beta) = match load_with_beta(args.path, Some(args.beta)) {
        Ok((spec, Some(beta))) => (spec, beta),
        Ok((_, None)) => unreachable!("a beta was given"),
        Err(code) => return code,
    };
    if let Err(code) = check_agents(args.path, &spec) {
        return code;
    }
    if args.grid_csv.is_some()
        && let Err(message) = verify::check_grid(&spec, args.grid)
    {
        eprintln!("error: {message}");
        return ExitCode::from(BAD_INPUT);
    }
    let settings = efftrade_mechanism::Settings {
        grid: args.grid,
        qmc_points: args.qmc_points,
        ..efftrade_mechanism::Settings::default()
    };
    let ks: Option<Vec<usize>> = args.lp.map(|ks| ks.iter().map(|&k| k as usize).collect());
    let bar = progress(spec.len(), "markets");
    let all = verify::evaluate(&spec, &beta, ks.as_deref(), &settings, args.digits, &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    if let Err(code) = emit(
        &verify::render(args.format, spec.description(), &all, args.digits),
        None,
    ) {
        return code;
    }
    if let Some(file) = args.grid_csv {
        match verify::grid_csv(&spec, &beta, args.grid, args.digits) {
            Ok(text) => {
                if let Err(code) = emit(&text, Some(file)) {
                    return code;
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(BAD_INPUT);
            }
        }
    }
    let failed = all
        .iter()
        .filter(|v| v.result.is_err() || matches!(v.lp, Some(Err(_))))
        .count();
    if failed > 0 {
        eprintln!("error: {failed} market(s) could not be evaluated (see the output)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

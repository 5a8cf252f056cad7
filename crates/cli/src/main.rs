//! `efftrade`: validate, solve and check the markets of Pycia and Wang's "Efficient Trade with
//! Interdependent Values".
//!
//! This file holds the command line's definitions and dispatch; each command group lives in its
//! own module, which parses its arguments, calls the libraries and prints their typed records
//! through `efftrade-views` (the binary computes and lays out nothing). Exit codes (one place,
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

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use error::{CliError, exit};

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
    /// Theorem 1 without its formula: `verify` checks Lemma 1's mechanism at a beta from its
    /// payoffs, beside Theorem 1's prediction; `lp` finds the largest beta admitting efficient
    /// trade by linear programming.
    Mechanism {
        #[command(subcommand)]
        command: mechanism::MechanismCommand,
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
    exit(run(Cli::parse().command))
}

/// Runs a command.
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
        Command::Mechanism { command } => mechanism::run(&command),
    }
}

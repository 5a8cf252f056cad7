//! `efftrade`: validate, solve and check the markets of Pycia and Wang's "Efficient Trade with
//! Interdependent Values".
//!
//! Exit codes: 0 on success, 2 on bad input (an invalid spec, a bad argument), 1 when the
//! toolkit itself fails (an unwritable output directory, say).

mod mechanism;
mod output;
mod study;
mod sweep;
#[cfg(feature = "symbolic")]
mod symbolic;
mod verify;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use efftrade_model::summary::summary;
use efftrade_model::{BigRational, Spec};
use efftrade_numeric::MAX_DIGITS;
use efftrade_numeric::lemma3::{expansion, lemma3};
use efftrade_numeric::support::certified_upper_end;
use efftrade_numeric::sweep::{solve_points, solve_spec};
use indicatif::{ProgressBar, ProgressStyle};
use output::{Format, render};
use sweep::{Shard, SweepFormat, merge, render_sweep};

/// Digits of a solved upper end shown by `validate`.
const SUMMARY_DIGITS: u32 = 40;

/// `--digits` of the commands that certify digits.
#[derive(clap::Args, Clone, Copy)]
struct Digits {
    /// Significant digits to certify (1 to 10000).
    #[arg(long = "digits", value_name = "DIGITS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=MAX_DIGITS as i64))]
    value: u32,
}

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
    Solve {
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
    },
    /// Evaluate every point of a spec's grid (or one shard of it) for a cluster run: CSV or JSON
    /// lines that carry each point's index, joined later by `efftrade merge`.
    Sweep {
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
    },
    /// Join the shard outputs of `efftrade sweep` into the output of an unsharded sweep.
    Merge {
        /// Shard outputs (all CSV or all JSON lines), in any order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Theorem 3: T1, N T1, T2 and beta* of m-fold replications (N beyond 10^30), with the growth
    /// of beta* fitted and compared with Lemma 3's prediction.
    Replicate {
        /// A spec with a `replicate` market.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        #[command(flatten)]
        digits: Digits,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Lemma 3: alpha, c, A1 and A2 of the spec's distribution, the convergence of
    /// N^(1/alpha) Int F^N and of the scaled gap b - v* for N = 10^FROM .. 10^TO, and the fit.
    Lemma3 {
        /// The spec file (its distribution is used).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        #[command(flatten)]
        digits: Digits,
        /// Smallest exponent k of N = 10^k.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=38))]
        from: u32,
        /// Largest exponent k of N = 10^k.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=38))]
        to: u32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
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
    Derive {
        /// The spec file (YAML).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// The output file; its extension (.txt, .tex, .yaml) chooses the format unless --format.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Output format (default: from the extension of --out).
        #[arg(long, value_enum)]
        format: Option<symbolic::SymbolicFormat>,
        /// Markets with more agents are skipped (their closed forms grow as n^2 terms).
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(2..=64))]
        max_agents: u32,
        /// Significant digits of each value (and of the comparison with the numeric engine).
        #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=1000))]
        digits: u32,
        /// Terms of Watson's expansion of Int F^N in powers of N^(-1/alpha).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=12))]
        order: u32,
    },
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

/// Exit code for bad input.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { specs } => validate(&specs),
        Command::Paper { specs, out } => paper(&specs, &out),
        #[cfg(feature = "symbolic")]
        Command::Derive {
            spec,
            out,
            format,
            max_agents,
            digits,
            order,
        } => symbolic::derive(
            &spec,
            &out,
            format,
            efftrade_symbolic::report::Options {
                max_agents,
                digits,
                order,
            },
        ),
        #[cfg(feature = "symbolic")]
        Command::Identities { out, format } => symbolic::identities(&out, format),
        Command::Solve {
            spec,
            digits,
            beta,
            format,
        } => solve(&spec, digits.value, beta.as_deref(), format),
        Command::Sweep {
            spec,
            digits,
            beta,
            format,
            shard,
            out,
        } => sweep_command(
            &spec,
            digits.value,
            beta.as_deref(),
            format,
            shard.as_deref(),
            out.as_deref(),
        ),
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
        Command::Merge { files, out } => merge_command(&files, out.as_deref()),
        Command::Replicate {
            spec,
            digits,
            format,
        } => replicate(&spec, digits.value, format),
        Command::Lemma3 {
            spec,
            digits,
            from,
            to,
            format,
        } => lemma3_command(&spec, digits.value, from, to, format),
    }
}

fn validate(paths: &[PathBuf]) -> ExitCode {
    let mut failed = 0usize;
    for path in paths {
        match Spec::load(path) {
            Ok(spec) => {
                // A solved upper end is shown to 40 certified digits by the MPFR engine.
                let b = spec
                    .distribution()
                    .upper_is_solved()
                    .then(|| certified_upper_end(spec.distribution(), SUMMARY_DIGITS).ok())
                    .flatten()
                    .map(|b| b.to_decimal());
                println!("{}: valid", path.display());
                println!("{}", summary(&spec, b.as_deref()));
            }
            Err(err) => {
                failed += 1;
                eprintln!("error: {err}");
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "{failed} of {} spec{} invalid",
            paths.len(),
            if paths.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// An exact, non-negative beta from the command line.
fn parse_beta(text: &str) -> Result<BigRational, String> {
    let e = efftrade_model::parse::parse_constant(text)
        .map_err(|e| format!("--beta {text}: {}\n{}", e.message, e.snippet()))?;
    let q = e
        .eval_rational(None)
        .ok_or_else(|| format!("--beta {text}: not an exact rational number (write 0.5 or 1/3)"))?;
    if q < BigRational::from_integer(0.into()) {
        return Err(format!("--beta {text}: beta must be at least 0"));
    }
    Ok(q)
}

fn solve(path: &std::path::Path, digits: u32, beta: Option<&str>, format: Format) -> ExitCode {
    let (spec, beta) = match load_with_beta(path, beta) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let bar = progress(spec.len(), "points");
    let solved = solve_spec(&spec, digits, beta.as_ref(), &|| bar.inc(1));
    bar.finish_and_clear();
    let text = render(format, spec.description(), &solved, digits);
    if let Err(code) = emit(&text, None) {
        return code;
    }
    report_failures(&solved)
}

/// Prints why any point failed; the exit code is 1 when one did.
fn report_failures(solved: &[efftrade_numeric::sweep::Solved]) -> ExitCode {
    let failures: Vec<String> = solved
        .iter()
        .filter_map(|s| {
            s.result
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", s.point.market()))
        })
        .collect();
    for f in &failures {
        eprintln!("error: {f}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A progress bar on stderr with an ETA, hidden for a single item.
fn progress(len: usize, what: &str) -> ProgressBar {
    let bar = if len > 1 {
        ProgressBar::new(len as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {{pos}}/{{len}} {what} [{{bar:30}}] {{elapsed}} (eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Writes `text` to `path`, or to stdout.
fn emit(text: &str, path: Option<&std::path::Path>) -> Result<(), ExitCode> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|_| ExitCode::FAILURE)
        }
    }
}

/// Loads a spec, or prints its errors (exit code 2).
fn load(path: &std::path::Path) -> Result<Spec, ExitCode> {
    Spec::load(path).map_err(|err| {
        eprintln!("error: {err}");
        ExitCode::from(BAD_INPUT)
    })
}

/// Loads a spec and the `--beta` override, or prints what is wrong (exit code 2).
fn load_with_beta(
    path: &std::path::Path,
    beta: Option<&str>,
) -> Result<(Spec, Option<BigRational>), ExitCode> {
    let spec = load(path)?;
    let beta = beta.map(parse_beta).transpose().map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(BAD_INPUT)
    })?;
    Ok((spec, beta))
}

fn sweep_command(
    path: &std::path::Path,
    digits: u32,
    beta: Option<&str>,
    format: SweepFormat,
    shard: Option<&str>,
    out: Option<&std::path::Path>,
) -> ExitCode {
    let (spec, beta) = match load_with_beta(path, beta) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let shard = match shard {
        Some(text) => Shard::parse(text),
        None => Shard::from_slurm(|k| std::env::var(k).ok()).map(|s| s.unwrap_or(Shard::ALL)),
    };
    let shard = match shard {
        Ok(shard) => shard,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let indices: Vec<usize> = (0..spec.len()).filter(|&i| shard.contains(i)).collect();
    if shard != Shard::ALL {
        eprintln!(
            "shard {shard}: {} of the {} points of {}",
            indices.len(),
            spec.len(),
            path.display()
        );
    }
    let bar = progress(indices.len(), "points");
    let solved = solve_points(&spec, &indices, digits, beta.as_ref(), &|| bar.inc(1));
    bar.finish_and_clear();
    let text = render_sweep(format, spec.description(), &solved, spec.len(), digits);
    if let Err(code) = emit(&text, out) {
        return code;
    }
    report_failures(&solved)
}

fn merge_command(files: &[PathBuf], out: Option<&std::path::Path>) -> ExitCode {
    let mut texts = Vec::with_capacity(files.len());
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push((f.display().to_string(), t)),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", f.display());
                return ExitCode::from(BAD_INPUT);
            }
        }
    }
    match merge(&texts) {
        Ok(text) => match emit(&text, out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

fn replicate(path: &std::path::Path, digits: u32, format: Format) -> ExitCode {
    let spec = match load(path) {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    if spec.replications().is_none() {
        eprintln!(
            "error: {}: the market is not replicated; write it as\n  market:\n    replicate:\n                   shares: [1, 0]\n      m: {{base: 10, exponents: {{from: 0, to: 30}}}}\n\
             help: `efftrade solve` evaluates markets that are not replicated",
            path.display()
        );
        return ExitCode::from(BAD_INPUT);
    }
    let expansion = match expansion(spec.distribution(), digits) {
        Ok(e) => Some(e),
        Err(e) => {
            eprintln!("note: no growth law is fitted: {e}");
            None
        }
    };
    let bar = progress(spec.len(), "replications");
    let solved = solve_spec(&spec, digits, None, &|| bar.inc(1));
    bar.finish_and_clear();
    let families = study::families(&solved, expansion.as_ref(), digits);
    let text = study::render_replicate(format, spec.description(), &families, digits);
    if let Err(code) = emit(&text, None) {
        return code;
    }
    report_failures(&solved)
}

fn lemma3_command(
    path: &std::path::Path,
    digits: u32,
    from: u32,
    to: u32,
    format: Format,
) -> ExitCode {
    let spec = match load(path) {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    if from > to {
        eprintln!(
            "error: --from {from} is above --to {to}; the table runs from N = 10^FROM up to N = 10^TO"
        );
        return ExitCode::from(BAD_INPUT);
    }
    let exponents: Vec<u32> = (from..=to).collect();
    let bar = progress(exponents.len(), "rows");
    let result = lemma3(spec.distribution(), &exponents, digits, &|| bar.inc(1));
    bar.finish_and_clear();
    match result {
        Ok(l) => match emit(&study::render_lemma3(format, spec.description(), &l), None) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
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

fn paper(specs: &std::path::Path, out: &std::path::Path) -> ExitCode {
    let started = std::time::Instant::now();
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let run = efftrade_paper_checks::run(specs, out, &|what| {
        spinner.set_message(format!("checking: {what}"));
    });
    spinner.finish_and_clear();
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            eprintln!(
                "error: cannot run the paper's checks on {} (writing to {}): {e}",
                specs.display(),
                out.display()
            );
            return ExitCode::FAILURE;
        }
    };
    for entry in &run.specs {
        if let Err(err) = &entry.result {
            eprintln!("invalid spec {err}");
        }
    }
    let valid = run.specs.iter().filter(|e| e.result.is_ok()).count();
    println!(
        "{valid} of {} specs valid; {} claims checked in {:.1} s",
        run.specs.len(),
        run.claims.len(),
        started.elapsed().as_secs_f64()
    );
    for claim in &run.claims {
        println!("{}", claim.line());
    }
    for file in &run.written {
        println!("wrote {}", file.display());
    }
    if run.all_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(BAD_INPUT)
    }
}

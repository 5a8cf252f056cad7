//! `efftrade`: validate, solve and check the markets of Pycia and Wang's "Efficient Trade with
//! Interdependent Values".
//!
//! Exit codes: 0 on success, 2 on bad input (an invalid spec, a bad argument), 1 when the
//! toolkit itself fails (an unwritable output directory, say).

mod output;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use efftrade_model::summary::summary;
use efftrade_model::{BigRational, Spec};
use efftrade_numeric::MAX_DIGITS;
use efftrade_numeric::support::certified_upper_end;
use efftrade_numeric::sweep::solve_spec;
use indicatif::{ProgressBar, ProgressStyle};
use output::{Format, render};

/// Digits of a solved upper end shown by `validate`.
const SUMMARY_DIGITS: u32 = 40;

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
        /// Significant digits to certify (1 to 10000).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=MAX_DIGITS as i64))]
        digits: u32,
        /// The interdependence coefficient beta >= 0 (overrides the spec's); an exact number such
        /// as 0.5 or 1/3.
        #[arg(long, value_name = "B")]
        beta: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
        Command::Solve {
            spec,
            digits,
            beta,
            format,
        } => solve(&spec, digits, beta.as_deref(), format),
    }
}

fn validate(paths: &[PathBuf]) -> ExitCode {
    let mut failed = 0usize;
    for path in paths {
        match Spec::load(path) {
            Ok(spec) => {
                // A solved upper end is shown to 40 certified digits by the MPFR engine.
                let b = spec
                    .distribution
                    .upper_is_solved()
                    .then(|| certified_upper_end(&spec.distribution, SUMMARY_DIGITS).ok())
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
    let spec = match Spec::load(path) {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let beta = match beta.map(parse_beta).transpose() {
        Ok(b) => b,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let bar = if spec.len() > 1 {
        ProgressBar::new(spec.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} solving {pos}/{len} points [{bar:30}] {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let solved = solve_spec(&spec, digits, beta.as_ref(), &|| bar.inc(1));
    bar.finish_and_clear();
    let text = render(format, &spec.description, &solved, digits);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    let failures: Vec<String> = solved
        .iter()
        .filter_map(|s| {
            s.result
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", s.point.market))
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

fn paper(specs: &std::path::Path, out: &std::path::Path) -> ExitCode {
    let run = match efftrade_paper_checks::run(specs, out) {
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
        match &entry.result {
            Ok(spec) => println!(
                "valid    {:<40} {:>7} point{}  {}",
                entry.path.display(),
                spec.len(),
                if spec.len() == 1 { " " } else { "s" },
                spec.description
            ),
            Err(err) => eprintln!("invalid  {err}"),
        }
    }
    let valid = run.specs.iter().filter(|e| e.result.is_ok()).count();
    println!("{valid} of {} specs valid", run.specs.len());
    for file in &run.written {
        println!("wrote {}", file.display());
    }
    if run.all_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(BAD_INPUT)
    }
}

//! `efftrade`: validate, solve and check the markets of Pycia and Wang's "Efficient Trade with
//! Interdependent Values".
//!
//! Exit codes: 0 on success, 2 on bad input (an invalid spec, a bad argument), 1 when the
//! toolkit itself fails (an unwritable output directory, say).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use efftrade_model::Spec;
use efftrade_model::summary::summary;
use efftrade_numeric::support::certified_upper_end;

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

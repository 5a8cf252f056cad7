//! The one error type of the command line, its exit codes, and the input and output every
//! command shares: loading a spec, an exact `--beta`, writing the result, a progress bar.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use efftrade_model::{BigRational, Spec};
use efftrade_numeric::MAX_DIGITS;
use indicatif::{ProgressBar, ProgressStyle};

/// `--digits` of the commands that certify digits.
#[derive(clap::Args, Clone, Copy)]
pub struct Digits {
    /// Significant digits to certify (1 to 10000).
    #[arg(long = "digits", value_name = "DIGITS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=MAX_DIGITS as i64))]
    pub value: u32,
}

/// `--rigorous` of the commands that can prove their digits by ball arithmetic.
#[derive(clap::Args, Clone, Copy)]
pub struct Rigorous {
    /// Prove every printed digit by ball arithmetic (FLINT's Arb) instead of certifying it by
    /// two working precisions: slower, and only the digits the balls prove are printed; JSON
    /// adds `"rigorous": true` and each quantity's ball under `balls`.
    #[arg(long)]
    pub rigorous: bool,
}

/// Exit code for bad input.
pub const BAD_INPUT: u8 = 2;

/// Why a command stopped. The message is printed after `error: ` on standard error.
#[derive(Debug)]
pub enum CliError {
    /// The input is wrong (a spec, an argument, a file to read): exit code 2.
    BadInput(String),
    /// The input is fine but a computation or a write failed: exit code 1.
    Failed(String),
}

impl CliError {
    /// The process exit code of this error.
    pub fn code(&self) -> ExitCode {
        match self {
            CliError::BadInput(_) => ExitCode::from(BAD_INPUT),
            CliError::Failed(_) => ExitCode::FAILURE,
        }
    }

    /// Prints the message and gives the exit code.
    pub fn report(self) -> ExitCode {
        let (CliError::BadInput(message) | CliError::Failed(message)) = &self;
        if !message.is_empty() {
            eprintln!("error: {message}");
        }
        self.code()
    }
}

/// The exit code of a command's result, its error printed.
pub fn exit(result: Result<(), CliError>) -> ExitCode {
    result.map_or_else(CliError::report, |()| ExitCode::SUCCESS)
}

/// Loads a spec (bad input when it is invalid).
pub fn load(path: &Path) -> Result<Spec, CliError> {
    Spec::load(path).map_err(|err| CliError::BadInput(err.to_string()))
}

/// An exact, non-negative beta from the command line.
pub fn parse_beta(text: &str) -> Result<BigRational, CliError> {
    efftrade_model::parse::parse_beta(text)
        .map_err(|message| CliError::BadInput(format!("--beta {text}: {message}")))
}

/// Loads a spec and the `--beta` override.
pub fn load_with_beta(
    path: &Path,
    beta: Option<&str>,
) -> Result<(Spec, Option<BigRational>), CliError> {
    Ok((load(path)?, beta.map(parse_beta).transpose()?))
}

/// Writes `text` to `path`, or to standard output.
pub fn emit(text: &str, path: Option<&Path>) -> Result<(), CliError> {
    match path {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|_| CliError::Failed(String::new()))
        }
    }
}

/// A progress bar on stderr with an ETA, hidden for a single item.
pub fn progress(len: usize, what: &str) -> ProgressBar {
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

/// Runs `work` with a progress bar over `len` items, cleared when done.
pub fn with_progress<T>(len: usize, what: &str, work: impl FnOnce(&(dyn Fn() + Sync)) -> T) -> T {
    let bar = progress(len, what);
    let out = work(&|| bar.inc(1));
    bar.finish_and_clear();
    out
}

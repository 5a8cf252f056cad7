//! `efftrade derive` and `efftrade identities`: the symbolic crate's closed forms and identity
//! verdicts, written to files (Symbolica prints its licence notice on standard output, so the
//! machine-readable output never goes there).

use std::path::{Path, PathBuf};

use efftrade_symbolic::SymbolicError;
use efftrade_symbolic::identities::check_all;
use efftrade_symbolic::report::{
    Options, identities_text, identity_records, spec_report, to_latex, to_text,
};

use crate::error::{CliError, Digits, emit, load};

/// Output formats of the symbolic commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SymbolicFormat {
    /// Plain text: each expression, its value and the numeric engine's.
    Text,
    /// A LaTeX fragment of `align*` blocks.
    Latex,
    /// YAML, for machines.
    Yaml,
}

/// The format named by `--format`, or by the output file's extension.
fn format_for(out: &Path, format: Option<SymbolicFormat>) -> SymbolicFormat {
    format.unwrap_or_else(|| match out.extension().and_then(|e| e.to_str()) {
        Some("tex") => SymbolicFormat::Latex,
        Some("yaml" | "yml") => SymbolicFormat::Yaml,
        _ => SymbolicFormat::Text,
    })
}

fn failure(e: SymbolicError) -> CliError {
    match e {
        SymbolicError::OutsideClass { .. } | SymbolicError::Lemma3(_) => {
            CliError::BadInput(e.to_string())
        }
        _ => CliError::Failed(e.to_string()),
    }
}

/// YAML of a report.
fn yaml<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_saphyr::to_string(value).map_err(|e| CliError::Failed(format!("cannot write YAML: {e}")))
}

/// The arguments of `efftrade derive`.
#[derive(clap::Args)]
pub struct DeriveArgs {
    /// The spec file (YAML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// The output file; its extension (.txt, .tex, .yaml) chooses the format unless --format.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Output format (default: from the extension of --out).
    #[arg(long, value_enum)]
    format: Option<SymbolicFormat>,
    /// Markets with more agents are skipped (their closed forms grow as n^2 terms).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(2..=64))]
    max_agents: u32,
    #[command(flatten)]
    digits: Digits,
    /// Terms of Watson's expansion of Int F^N in powers of N^(-1/alpha).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=12))]
    order: u32,
}

/// `efftrade derive SPEC --out FILE`.
pub fn derive(args: &DeriveArgs) -> Result<(), CliError> {
    let (spec_path, out, format) = (&args.spec, &args.out, args.format);
    let options = Options {
        max_agents: args.max_agents,
        digits: args.digits.value,
        order: args.order,
    };
    let spec = load(spec_path)?;
    let started = std::time::Instant::now();
    let report = spec_report(&spec, options).map_err(failure)?;
    let text = match format_for(out, format) {
        SymbolicFormat::Text => to_text(&report),
        SymbolicFormat::Latex => to_latex(&report),
        SymbolicFormat::Yaml => yaml(&report)?,
    };
    emit(&text, Some(out))?;
    eprintln!(
        "{}: closed forms for {} market{} ({} skipped), Lemma 3 {}, in {:.2} s -> {}",
        spec_path.display(),
        report.markets.len(),
        if report.markets.len() == 1 { "" } else { "s" },
        report.skipped.len(),
        match &report.lemma3 {
            Ok(l) => format!("alpha = {}", l.alpha),
            Err(e) => format!("not derived ({e})"),
        },
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// `efftrade identities --out FILE`.
pub fn identities(out: &Path, format: Option<SymbolicFormat>) -> Result<(), CliError> {
    let checks = check_all();
    let text = match format_for(out, format) {
        SymbolicFormat::Yaml => yaml(&identity_records(&checks))?,
        _ => identities_text(&checks),
    };
    emit(&text, Some(out))?;
    for c in &checks {
        eprintln!("({}) {:?}", c.label, c.verdict);
    }
    Ok(())
}

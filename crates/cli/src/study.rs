//! `efftrade replicate` (Theorem 3) and `efftrade lemma3` (Lemma 3): the library's study records
//! rendered as an aligned table, CSV, JSON lines and LaTeX (booktabs).

use std::path::PathBuf;

use efftrade_numeric::lemma3::lemma3;
use efftrade_numeric::study::{Lemma3Report, replication};

use crate::error::{CliError, Digits, Rigorous, emit, load, with_progress};
use crate::output::Format;
use crate::solve::failures;

/// The arguments of `efftrade replicate`.
#[derive(clap::Args)]
pub struct ReplicateArgs {
    /// A spec with a `replicate` market.
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    #[command(flatten)]
    digits: Digits,
    #[command(flatten)]
    rigorous: Rigorous,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The arguments of `efftrade lemma3`.
#[derive(clap::Args)]
pub struct Lemma3Args {
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
    #[command(flatten)]
    rigorous: Rigorous,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// `efftrade replicate SPEC`.
pub fn replicate(args: &ReplicateArgs) -> Result<(), CliError> {
    let (path, digits) = (&args.spec, args.digits.value);
    let spec = load(path)?;
    if spec.replications().is_none() {
        return Err(CliError::BadInput(format!(
            "{}: the market is not replicated. {}\n\
             help: `efftrade solve` evaluates markets that are not replicated",
            path.display(),
            crate::REPLICATE_HELP
        )));
    }
    let study = with_progress(spec.len(), "replications", |tick| {
        if args.rigorous.rigorous {
            efftrade_rigorous::record::replication(&spec, digits, tick)
        } else {
            replication(&spec, digits, tick)
        }
    });
    if let Err(e) = &study.expansion {
        eprintln!("note: no growth law is fitted: {e}");
    }
    let families = &study.families;
    let text = efftrade_views::study::replicate(args.format.into(), spec.description(), families)?;
    emit(&text, None)?;
    failures(families.iter().flat_map(|f| &f.points))
}

/// `efftrade lemma3 SPEC`: the rows `N = 10^from .. 10^to`.
pub fn lemma3_command(args: &Lemma3Args) -> Result<(), CliError> {
    let (path, digits, from, to) = (&args.spec, args.digits.value, args.from, args.to);
    let spec = load(path)?;
    if from > to {
        return Err(CliError::BadInput(format!(
            "--from {from} is above --to {to}; the table runs from N = 10^FROM up to N = 10^TO"
        )));
    }
    let exponents: Vec<u32> = (from..=to).collect();
    let failed = |e: &dyn std::fmt::Display| CliError::Failed(format!("{}: {e}", path.display()));
    let report = if args.rigorous.rigorous {
        let l = with_progress(exponents.len(), "rows", |tick| {
            efftrade_rigorous::lemma3::lemma3(spec.distribution(), &exponents, digits, tick)
        })
        .map_err(|e| failed(&e))?;
        if let Some(reason) = &l.rigor.undecided {
            eprintln!("note: {reason}");
        }
        Lemma3Report {
            description: spec.description().to_string(),
            lemma3: l.lemma3,
            rigor: Some(l.rigor),
        }
    } else {
        let l = with_progress(exponents.len(), "rows", |tick| {
            lemma3(spec.distribution(), &exponents, digits, tick)
        })
        .map_err(|e| failed(&e))?;
        Lemma3Report {
            description: spec.description().to_string(),
            lemma3: l,
            rigor: None,
        }
    };
    emit(
        &efftrade_views::study::lemma3(args.format.into(), &report)?,
        None,
    )
}

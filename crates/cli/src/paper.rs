//! `efftrade validate` (each spec normalised, or every error in it) and `efftrade paper` (the
//! paper's checks on a directory of specs).

use std::path::{Path, PathBuf};

use efftrade_model::Spec;
use efftrade_numeric::support::validated_summary;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{CliError, emit};

/// `efftrade validate SPEC...`.
pub fn validate(paths: &[PathBuf]) -> Result<(), CliError> {
    let mut failed = 0usize;
    for path in paths {
        match Spec::load(path) {
            Ok(spec) => {
                // Through `emit`: a closed pipe (`| head`) ends the command, not in a panic.
                emit(
                    &format!("{}: valid\n{}\n", path.display(), validated_summary(&spec)),
                    None,
                )?;
            }
            Err(err) => {
                failed += 1;
                eprintln!("error: {err}");
            }
        }
    }
    if failed == 0 {
        return Ok(());
    }
    Err(CliError::BadInput(format!(
        "{failed} of {} spec{} invalid",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" }
    )))
}

/// `efftrade paper --specs DIR --out DIR`.
pub fn paper(specs: &Path, out: &Path) -> Result<(), CliError> {
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
    let run = run.map_err(|e| {
        CliError::Failed(format!(
            "cannot run the paper's checks on {} (writing to {}): {e}",
            specs.display(),
            out.display()
        ))
    })?;
    for entry in &run.specs {
        if let Err(err) = &entry.result {
            eprintln!("invalid spec {err}");
        }
    }
    let valid = run.specs.iter().filter(|e| e.result.is_ok()).count();
    let mut text = format!(
        "{valid} of {} specs valid; {} claims checked in {:.1} s\n",
        run.specs.len(),
        run.claims.len(),
        started.elapsed().as_secs_f64()
    );
    for claim in &run.claims {
        text.push_str(&format!("{}\n", claim.line()));
    }
    for file in &run.written {
        text.push_str(&format!("wrote {}\n", file.display()));
    }
    emit(&text, None)?;
    if run.all_valid() {
        Ok(())
    } else {
        Err(CliError::BadInput(format!(
            "{} of {} specs invalid",
            run.specs.len() - valid,
            run.specs.len()
        )))
    }
}

//! `efftrade._efftrade`: the native module of the `efftrade` Python package.
//!
//! Each function loads a spec (a file, or YAML text), calls the same libraries as the command
//! line and returns what `efftrade solve|sweep|replicate|lemma3 --format json` prints: JSON lines
//! laid out by [`efftrade_views`], every number a decimal string of certified digits. The
//! package's Python layer (`python/efftrade/__init__.py`) parses them into records and raises its
//! exceptions; this module raises them too, for bad input (`efftrade.errors.SpecError`, with the
//! spec's file, line, column and help) and for failed computations (`ComputationError`).
//!
//! Computations run without the interpreter lock on rayon's threads; while they run, the calling
//! thread reports progress to an optional Python callable `progress(done, total)` about ten
//! times a second.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use efftrade_model::parse::parse_beta;
use efftrade_model::{BigRational, Spec, SpecError};
use efftrade_numeric::MAX_DIGITS;
use efftrade_numeric::lemma3::lemma3 as lemma3_rows;
use efftrade_numeric::record::{PointRecord, exact, shares};
use efftrade_numeric::shard::Shard;
use efftrade_numeric::study::{Lemma3Report, replication};
use efftrade_numeric::support::validated_summary;
use efftrade_views::{Format, ViewError, json_lines};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

/// The largest exponent `k` of a Lemma 3 row `N = 10^k` (as `efftrade lemma3 --to` takes it).
const MAX_EXPONENT: u32 = 38;

/// An instance of the exception `class` of `efftrade.errors`, made with `message` and `kwargs`.
fn raise(py: Python<'_>, class: &str, message: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyErr {
    let made = py
        .import("efftrade.errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call((message,), kwargs));
    match made {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// Bad input that has no place in a spec (an argument): `SpecError` with the message alone.
fn bad_input(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "SpecError", message, None)
}

/// A failed computation: `ComputationError`.
fn failed(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "ComputationError", message, None)
}

/// A spec's error as `SpecError`: the command line's full message (location, source line with a
/// caret, help) and its parts as attributes.
fn spec_error(py: Python<'_>, e: &SpecError) -> PyErr {
    let kwargs = PyDict::new(py);
    let filled = (|| -> PyResult<()> {
        kwargs.set_item("file", e.file.as_deref())?;
        kwargs.set_item("line", e.position.map(|p| p.line))?;
        kwargs.set_item("column", e.position.map(|p| p.column))?;
        kwargs.set_item("reason", e.message.as_str())?;
        kwargs.set_item("help", e.help.as_deref())?;
        Ok(())
    })();
    match filled {
        Ok(()) => raise(py, "SpecError", &e.to_string(), Some(&kwargs)),
        Err(err) => err,
    }
}

/// A view that could not be laid out: a defect, reported as a failed computation.
fn view_error(py: Python<'_>, e: &ViewError) -> PyErr {
    failed(py, &e.to_string())
}

/// Loads a spec: the file `spec` when `is_path`, else the YAML text `spec` (errors located in
/// `<spec>`; a relative data file is then read from the working directory).
fn load(py: Python<'_>, spec: &str, is_path: bool) -> PyResult<Spec> {
    let loaded = if is_path {
        Spec::load(std::path::Path::new(spec))
    } else {
        Spec::from_yaml(spec, None)
    };
    loaded.map_err(|e| spec_error(py, &e))
}

/// `digits` checked against the range the command line accepts.
fn checked_digits(py: Python<'_>, digits: u32) -> PyResult<u32> {
    if (1..=MAX_DIGITS).contains(&digits) {
        Ok(digits)
    } else {
        Err(bad_input(
            py,
            &format!("digits={digits}: the digits to certify run from 1 to {MAX_DIGITS}"),
        ))
    }
}

/// `beta` as an exact non-negative rational, when given.
fn checked_beta(py: Python<'_>, beta: Option<&str>) -> PyResult<Option<BigRational>> {
    beta.map(|text| parse_beta(text).map_err(|m| bad_input(py, &format!("beta={text:?}: {m}"))))
        .transpose()
}

/// Runs `work` (which calls its argument once per finished item) away from the interpreter lock,
/// telling `progress(done, total)` how far it is, about ten times a second and once at the end.
/// An exception raised by `progress`, or a signal such as Ctrl-C, is raised when the work is
/// done (the libraries' computations cannot be cut short).
fn with_progress<T: Send>(
    py: Python<'_>,
    total: usize,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> T + Send,
) -> PyResult<T> {
    let done = AtomicUsize::new(0);
    let tick = || {
        done.fetch_add(1, Ordering::Relaxed);
    };
    let Some(progress) = progress else {
        return Ok(py.detach(|| work(&tick)));
    };
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| work(&tick));
        let mut shown = None;
        let mut raised = None;
        loop {
            let finished = worker.is_finished();
            let now = done.load(Ordering::Relaxed);
            if raised.is_none() && shown != Some(now) {
                shown = Some(now);
                raised = progress.call1((now, total)).err();
            }
            if raised.is_none() {
                raised = py.check_signals().err();
            }
            if finished {
                break;
            }
            py.detach(|| std::thread::sleep(Duration::from_millis(100)));
        }
        let out = py
            .detach(|| worker.join())
            .map_err(|_| failed(py, "the computation stopped unexpectedly (a defect)"))?;
        raised.map_or(Ok(out), Err)
    })
}

/// The points of a spec solved: the JSON lines of `efftrade solve SPEC --format json`, or with
/// `sweep` those of `efftrade sweep SPEC --format json` for the points of `shard` (`"K/S"` as
/// `--shard` takes it; all when `None`) and, with `csv` too, the CSV that `efftrade sweep` writes;
/// last, why points failed (`None` when every point was solved).
#[pyfunction]
#[pyo3(signature = (spec, is_path, digits, beta=None, sweep=false, shard=None, csv=false, progress=None))]
#[allow(clippy::too_many_arguments)] // the keyword arguments of a Python function
fn solve(
    py: Python<'_>,
    spec: &str,
    is_path: bool,
    digits: u32,
    beta: Option<&str>,
    sweep: bool,
    shard: Option<&str>,
    csv: bool,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, Option<String>, Option<String>)> {
    let digits = checked_digits(py, digits)?;
    let beta = checked_beta(py, beta)?;
    let shard = match shard {
        Some(s) => Shard::parse(s).map_err(|m| bad_input(py, &format!("shard={s:?}: {m}")))?,
        None => Shard::ALL,
    };
    let spec = load(py, spec, is_path)?;
    let indices: Vec<usize> = (0..spec.len()).filter(|&i| shard.contains(i)).collect();
    let records = with_progress(py, indices.len(), progress, |tick| {
        PointRecord::solve(&spec, &indices, digits, beta.as_ref(), tick)
    })?;
    let points = spec.len();
    let lines = if sweep {
        efftrade_views::solve::sweep_json(&records, points)
    } else {
        efftrade_views::solve::solve(Format::Json, spec.description(), &records)
    }
    .map_err(|e| view_error(py, &e))?;
    let csv = (sweep && csv).then(|| efftrade_views::solve::sweep_csv(&records, points));
    Ok((lines, csv, PointRecord::failures(&records)))
}

/// The JSON lines of `efftrade replicate SPEC --format json`, the failures, and why no growth
/// law was fitted (the command line's note), if none was.
#[pyfunction]
#[pyo3(signature = (spec, is_path, digits, progress=None))]
fn replicate(
    py: Python<'_>,
    spec: &str,
    is_path: bool,
    digits: u32,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, Option<String>, Option<String>)> {
    let digits = checked_digits(py, digits)?;
    let spec = load(py, spec, is_path)?;
    if spec.replications().is_none() {
        return Err(bad_input(
            py,
            "the market is not replicated: replicate() needs a spec whose market is \
             `replicate: {shares: [...], m: [...]}`; solve() evaluates markets that are not \
             replicated",
        ));
    }
    let study = with_progress(py, spec.len(), progress, |tick| {
        replication(&spec, digits, tick)
    })?;
    let lines = efftrade_views::study::replicate(Format::Json, spec.description(), &study.families)
        .map_err(|e| view_error(py, &e))?;
    let failures = PointRecord::failures(study.families.iter().flat_map(|f| &f.points));
    let note = study.expansion.err().map(|e| e.to_string());
    Ok((lines, failures, note))
}

/// The JSON object of `efftrade lemma3 SPEC --from FROM --to TO --format json`.
#[pyfunction]
#[pyo3(signature = (spec, is_path, digits, from_exponent, to_exponent, progress=None))]
fn lemma3(
    py: Python<'_>,
    spec: &str,
    is_path: bool,
    digits: u32,
    from_exponent: u32,
    to_exponent: u32,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let digits = checked_digits(py, digits)?;
    if !(1..=MAX_EXPONENT).contains(&from_exponent)
        || !(1..=MAX_EXPONENT).contains(&to_exponent)
        || from_exponent > to_exponent
    {
        return Err(bad_input(
            py,
            &format!(
                "from_exponent={from_exponent}, to_exponent={to_exponent}: the table runs from \
                 N = 10^from_exponent up to N = 10^to_exponent, with \
                 1 <= from_exponent <= to_exponent <= {MAX_EXPONENT}"
            ),
        ));
    }
    let spec = load(py, spec, is_path)?;
    let exponents: Vec<u32> = (from_exponent..=to_exponent).collect();
    let l = with_progress(py, exponents.len(), progress, |tick| {
        lemma3_rows(spec.distribution(), &exponents, digits, tick)
    })?
    .map_err(|e| failed(py, &e.to_string()))?;
    let report = Lemma3Report {
        description: spec.description().to_string(),
        lemma3: l,
        rigor: None,
    };
    efftrade_views::study::lemma3(Format::Json, &report).map_err(|e| view_error(py, &e))
}

/// One point of a validated spec's grid: the inputs of a `solve` record, keys in the same
/// lexicographic order and written the same way.
#[derive(Serialize)]
struct GridPoint {
    beta: Option<String>,
    description: String,
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<String>,
    n: String,
    points: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<String>,
    shares: Vec<(String, String)>,
}

/// A validated spec: the JSON lines of its grid points (see [`GridPoint`]; non-terminating
/// decimals to `digits` digits) and the summary `efftrade validate` prints.
#[pyfunction]
#[pyo3(signature = (spec, is_path, digits))]
fn validate(py: Python<'_>, spec: &str, is_path: bool, digits: u32) -> PyResult<(String, String)> {
    let digits = checked_digits(py, digits)?;
    let spec = load(py, spec, is_path)?;
    let points = spec.points().map(|p| GridPoint {
        beta: p.beta().map(|b| exact(b, digits)),
        description: spec.description().to_string(),
        index: p.index(),
        m: p.replication().map(|(_, m)| m.to_string()),
        n: p.market().n().to_string(),
        points: spec.len(),
        r: p.r().map(|r| exact(r, digits)),
        shares: shares(p.market(), digits),
    });
    let lines = json_lines(points).map_err(|e| view_error(py, &e))?;
    Ok((lines, validated_summary(&spec)))
}

/// The module `efftrade._efftrade`.
#[pymodule]
fn _efftrade(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(replicate, m)?)?;
    m.add_function(wrap_pyfunction!(lemma3, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add("MAX_DIGITS", MAX_DIGITS)?;
    m.add("MAX_EXPONENT", MAX_EXPONENT)?;
    Ok(())
}

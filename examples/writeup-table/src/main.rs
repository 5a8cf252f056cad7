//! A write-up table and figure from solved points: the symmetric uniform markets with
//! `n = 2..=8` agents are solved to certified digits (Theorem 2's `T1`, `T2` and
//! `beta* = -n T1 / (T1 + T2)`), laid out as an efftrade-render `Table` and written as
//! `OUT/tables/uniform_beta_star.tex` (booktabs + siunitx) and `.csv` (RFC 4180), with
//! `beta*` against `n` drawn as `OUT/figures/uniform_beta_star.svg` (and `.png`).
//!
//! ```text
//! cargo run -p writeup-table -- OUT [DIGITS]
//! ```

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

use efftrade_model::{Distribution, Family, MarketGrid, Spec};
use efftrade_numeric::sweep::solve_spec;
use efftrade_render::figure::{self, Chart, Series, SeriesStyle};
use efftrade_render::{Column, Table};

#[cfg(test)]
mod tests;

/// Solves the grid to `digits` digits, writes the table and the figure under `out`, and returns
/// the table as aligned text.
fn run(out: &Path, digits: u32) -> Result<String, Box<dyn Error>> {
    let uniform = Distribution::from_family(Family::Uniform, None)?;
    let ns: Vec<u128> = (2..=8).collect();
    let spec = Spec::new(
        "symmetric uniform markets",
        uniform,
        MarketGrid::symmetric(&ns)?,
        vec![],
    )?;
    let columns = vec![
        Column::number("n"),
        Column::number("T1").with_header_tex("$T_1$"),
        Column::number("T2").with_header_tex("$T_2$"),
        Column::number("beta*").with_header_tex("$\\beta^*$"),
    ];
    let caption = "Theorem 2 for the symmetric uniform markets: beta* against n";
    let mut table = Table::titled(
        "uniform_beta_star",
        caption,
        "tab:uniform_beta_star",
        columns,
    )?;
    let mut points = Vec::new();
    for solved in solve_spec(&spec, digits, None, &|| ()) {
        let n = solved.point.market().n();
        let s = solved.result?;
        let beta_star = s.beta_star.map_or("--".to_string(), |b| b.to_decimal());
        points.push((n as f64, beta_star.parse::<f64>().unwrap_or(f64::NAN)));
        table.push_row([
            n.to_string(),
            s.t1.to_decimal(),
            s.t2.to_decimal(),
            beta_star,
        ])?;
    }
    table.write(out)?;
    let mut chart = Chart::new("beta* of the symmetric uniform market", "agents n", "beta*");
    chart.integer_x = true;
    let series = Series::new("uniform", points, SeriesStyle::LineWithMarkers);
    figure::save(out, "uniform_beta_star", caption, &chart, &[series])?;
    Ok(table.to_text())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let digits = args.get(1).map_or(Ok(30), |d| d.parse::<u32>());
    let (Some(out), Ok(digits)) = (args.first(), digits) else {
        eprintln!("usage: writeup-table OUT [DIGITS]");
        return ExitCode::from(2);
    };
    match run(Path::new(out), digits) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

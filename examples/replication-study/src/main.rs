//! A replication study (Theorem 3) to `N = 10^30` agents with its growth fit, from a
//! distribution built in code: `F(x) = 3x^2 - 2x^3` on `[0, 1]` (Beta(2, 2)), whose density
//! vanishes at `b = 1`, so Lemma 3's `alpha` is 2. The two-agent market with equal shares is
//! replicated m-fold (Definition 2) for `N = 10^3, 10^6, ..., 10^30`, each replication solved to
//! certified digits at a cost independent of `N`; the table shows `N`, `N T1` and `beta*`, and
//! the last line compares the fitted growth `beta* ~ s N^(1-1/alpha) (log N)^(1/alpha)` with
//! Lemma 3's slope `s = A1 / (b - mu)` (here `2/sqrt(3)`).
//!
//! ```text
//! cargo run -p replication-study -- [DIGITS]
//! ```

use std::error::Error;
use std::process::ExitCode;

use efftrade_model::{Distribution, Expr, MarketGrid, Spec, UpperEnd, parse};
use efftrade_numeric::study::{Replication, replication};
use efftrade_render::{Column, Table};

#[cfg(test)]
mod tests;

/// Solves the replications to `digits` digits and fits their growth.
fn study(digits: u32) -> Result<Replication, Box<dyn Error>> {
    let cdf = parse("3*x^2 - 2*x^3")?;
    let beta22 = Distribution::from_cdf(cdf, Expr::int(0), UpperEnd::Given(Expr::int(1)), false)?;
    // N = 2 m = 10^3, 10^6, ..., 10^30.
    let ms: Vec<u128> = (1..=10).map(|k| 10u128.pow(3 * k) / 2).collect();
    let grid = MarketGrid::symmetric(&[2])?.replicate(&ms)?;
    let spec = Spec::new(
        "replications of two agents, Beta(2, 2)",
        beta22,
        grid,
        vec![],
    )?;
    Ok(replication(&spec, digits, &|| ()))
}

/// The study as a table and the growth fit in one sentence.
fn run(digits: u32) -> Result<String, Box<dyn Error>> {
    let study = study(digits)?;
    let family = study
        .families
        .first()
        .ok_or("the grid has no replication")?;
    let columns = vec![
        Column::number("N"),
        Column::number("N T1"),
        Column::number("beta*"),
    ];
    let mut table = Table::new(columns)?;
    for point in &family.points {
        let s = point.outcome.as_ref().map_err(Clone::clone)?;
        let n_t1 = point.n_t1().map_or("--".into(), |t| t.to_decimal());
        let beta_star = s.beta_star.as_ref().map_or("--".into(), |b| b.to_decimal());
        table.push_row([point.n().to_string(), n_t1, beta_star])?;
    }
    let growth = family
        .growth
        .as_ref()
        .ok_or("too few beta* to fit the growth")?;
    Ok(format!("{}{}\n", table.to_text(), growth.sentence()))
}

fn main() -> ExitCode {
    let Ok(digits) = std::env::args().nth(1).map_or(Ok(30), |d| d.parse::<u32>()) else {
        eprintln!("usage: replication-study [DIGITS]");
        return ExitCode::from(2);
    };
    match run(digits) {
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

//! A person-readable summary of a validated spec: the normalised market, as `efftrade validate`
//! prints it.

use std::fmt::{self, Display, Write};

use crate::digits::certified_decimal;
use crate::distribution::UpperEnd;
use crate::expr::Expr;
use crate::spec::{SharesRule, Spec};

/// Lists at most `max` items: the first `max - 1`, an ellipsis and the last, with the count.
fn list<T: Display>(items: &[T], max: usize) -> String {
    let shown: Vec<String> = match items.last() {
        Some(last) if items.len() > max => {
            let head = items.iter().take(max.saturating_sub(1));
            let mut v: Vec<String> = head.map(ToString::to_string).collect();
            v.push("...".into());
            v.push(last.to_string());
            v
        }
        _ => items.iter().map(ToString::to_string).collect(),
    };
    let mut s = shown.join(", ");
    if items.len() > 1 {
        let _ = write!(s, " ({} values)", items.len());
    }
    s
}

/// The spec's distribution, markets and grid, one fact per line. A solved upper end is shown
/// with the digits its double-precision enclosure certifies, or as `solved_b` when the caller has
/// computed more (at higher precision).
pub fn summary(spec: &Spec, solved_b: Option<&str>) -> String {
    Summary(spec, solved_b).to_string()
}

struct Summary<'a>(&'a Spec, Option<&'a str>);

impl Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.0;
        let d = spec.distribution();
        writeln!(f, "  description   {}", spec.description())?;
        if let Some(family) = d.family() {
            writeln!(f, "  family        {family}")?;
        }
        writeln!(f, "  cdf           F(x) = {}", d.cdf_as_written())?;
        let b = self
            .1
            .map_or_else(|| certified_decimal(d.b().lo, d.b().hi, 15), str::to_string);
        match d.upper() {
            UpperEnd::Solve => writeln!(
                f,
                "  support       [{}, b], b = {b} (solved from F(b) = 1)",
                d.lower()
            )?,
            UpperEnd::Given(e) => writeln!(f, "  support       [{}, {e}]", d.lower())?,
        }
        if d.renormalize() {
            writeln!(
                f,
                "  renormalized  F(x) / F(b) with F(b) = {} on the printed support",
                certified_decimal(d.mass_at_b().lo, d.mass_at_b().hi, 15)
            )?;
        }
        writeln!(f, "  density       f(x) = {}", d.density())?;
        match spec.shares() {
            SharesRule::Symmetric => writeln!(f, "  shares        symmetric (1/n each)")?,
            SharesRule::Listed(formulas) => {
                let shown: Vec<String> = formulas
                    .iter()
                    .map(|e| e.display_with("r").to_string())
                    .collect();
                writeln!(f, "  shares        [{}]", shown.join(", "))?;
                let rs: Vec<Expr> = spec
                    .markets()
                    .iter()
                    .filter_map(|c| c.r().cloned())
                    .map(Expr::Num)
                    .collect();
                if !rs.is_empty() {
                    writeln!(f, "  r             {}", list(&rs, 6))?;
                }
            }
        }
        let markets: Vec<String> = spec
            .markets()
            .iter()
            .map(|c| c.market().to_string())
            .collect();
        let title = if spec.replications().is_some() {
            "base markets"
        } else {
            "markets"
        };
        writeln!(f, "  {title:<13} {}", list_lines(&markets, 4))?;
        if let Some(ms) = spec.replications() {
            writeln!(f, "  replications  m = {}", list(ms, 6))?;
            let ns: Vec<u128> = spec
                .markets()
                .iter()
                .flat_map(|c| ms.iter().map(move |m| c.market().n() * m))
                .collect();
            writeln!(f, "  agents        N = m n = {}", list(&ns, 6))?;
        }
        if !spec.betas().is_empty() {
            let betas: Vec<Expr> = spec.betas().iter().cloned().map(Expr::Num).collect();
            writeln!(f, "  beta          {}", list(&betas, 6))?;
        }
        write!(
            f,
            "  grid          {} point{}",
            spec.len(),
            if spec.len() == 1 { "" } else { "s" }
        )
    }
}

/// One market per line (indented), eliding the middle of long lists.
fn list_lines(items: &[String], max: usize) -> String {
    let indent = "\n                ";
    let Some(last) = items.last().filter(|_| items.len() > max) else {
        return items.join(indent);
    };
    let head: Vec<&str> = items
        .iter()
        .take(max.saturating_sub(1))
        .map(String::as_str)
        .collect();
    let mut s = head.join(indent);
    let elided = format!("... ({} markets in all)", items.len());
    let _ = write!(s, "{indent}{elided}{indent}{last}");
    s
}

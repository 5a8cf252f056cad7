//! In-process compute time of every market of a spec's grid, one after another on one thread, in
//! a fresh process: the first (cold) pass, which includes every one-time cost (Gauss-Legendre
//! nodes, sine tables) and excludes only start-up and reading the spec. The same measure as
//! `benches/mpmath_reference.py`'s "compute only". Run by `sh benches/run.sh`:
//!
//! `cargo bench --workspace --bench markets -- SPEC DIGITS`
//!
//! prints `n beta*` per market on stdout and the seconds on stderr.

use std::path::Path;
use std::time::Instant;

use efftrade_model::Spec;
use efftrade_numeric::quantities::solve;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(path), Some(digits)) = (args.first(), args.get(1).and_then(|d| d.parse().ok()))
    else {
        eprintln!("usage: markets SPEC DIGITS");
        std::process::exit(2);
    };
    let spec = Spec::load(Path::new(path)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let points: Vec<_> = spec.points().collect();
    let start = Instant::now();
    let solutions: Vec<_> = points
        .iter()
        .map(|p| solve(spec.distribution(), p.market(), None, digits).expect("the market solves"))
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    for (p, s) in points.iter().zip(&solutions) {
        let beta = s
            .beta_star
            .as_ref()
            .map(|b| b.to_decimal())
            .unwrap_or_default();
        println!("{} {beta}", p.market().n());
    }
    eprintln!("{seconds:.5}");
}

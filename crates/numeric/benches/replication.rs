//! In-process compute time of one Theorem 3 replication: beta* of Example 1's sine market (b
//! solved) replicated to N = 10^12 agents, at 50 certified digits. The same computation as
//! `benches/replication_mpmath.py` and `benches/replication_flint.py`, timed the same way (best of
//! several runs, excluding start-up and parsing). Run by `sh benches/run.sh`:
//!
//! `cargo bench --workspace --bench replication -- DIGITS N REPEAT`
//!
//! prints `N beta*` on stdout and the best time in seconds on stderr.

use std::time::Instant;

use efftrade_model::{Market, Spec};
use efftrade_numeric::quantities::solve;

const SPEC: &str = "description: sine
distribution:
  cdf: \"0.1*x + 0.1*(1 - cos(x))\"
  support: [0, solve]
market: {n: 2, shares: symmetric}
";

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize, default: u128| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let digits = arg(0, 50) as u32;
    let n = arg(1, 10u128.pow(12));
    let repeat = arg(2, 20) as usize;
    let dist = Spec::from_yaml(SPEC, None)
        .expect("the sine spec is valid")
        .distribution()
        .clone();
    let market = Market::symmetric(2)
        .and_then(|m| m.replicate(n / 2))
        .expect("an even N");
    let mut best = f64::INFINITY;
    let mut beta = String::new();
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let s = solve(&dist, &market, None, digits).expect("the replication solves");
        best = best.min(start.elapsed().as_secs_f64());
        beta = s.beta_star.map(|b| b.to_decimal()).unwrap_or_default();
    }
    println!("{n} {beta}");
    eprintln!("{best:.5}");
}

//! Loads a market spec and prints its share classes, point by point.
//!
//! ```text
//! cargo run -p market-summary -- specs/ms-replications-x2.yaml
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use efftrade_model::Spec;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: market-summary SPEC.yaml");
        return ExitCode::from(2);
    };
    let spec = match Spec::load(&path) {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    println!("{}", spec.description());
    for point in spec.points() {
        let m = point
            .replication()
            .map_or(String::new(), |(_, m)| format!("m = {m}, "));
        println!("{m}{}", point.market());
    }
    ExitCode::SUCCESS
}

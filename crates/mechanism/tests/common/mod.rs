//! Helpers shared by the integration tests: the specs' distributions by file name and exact
//! rationals from short literals.

use efftrade_model::{BigRational, Distribution, Spec};

/// The distribution of `specs/<name>`.
pub fn spec_dist(name: &str) -> Distribution {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(name);
    Spec::load(&path).unwrap().distribution().clone()
}

/// The rational `n/d`.
pub fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

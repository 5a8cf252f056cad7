//! Helpers shared by the unit tests: distributions and engines from short literals.

use efftrade_model::{Distribution, Spec};

use crate::engine::Engine;

/// The distribution of a spec whose `distribution:` entry is `yaml`.
pub(crate) fn dist(yaml: &str) -> Distribution {
    Spec::from_yaml(
        &format!("description: t\ndistribution: {yaml}\nmarket: {{n: 2, shares: symmetric}}\n"),
        None,
    )
    .unwrap()
    .distribution()
    .clone()
}

/// The engine of the CDF `cdf` on `support` (e.g. `[0, solve]`) at `prec` bits.
pub(crate) fn engine(cdf: &str, support: &str, prec: u32) -> Engine {
    Engine::new(
        &dist(&format!("{{cdf: \"{cdf}\", support: {support}}}")),
        prec,
    )
    .unwrap()
}

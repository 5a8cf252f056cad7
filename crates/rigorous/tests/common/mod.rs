//! Helpers shared by the rigorous engine's tests.

use efftrade_model::{Distribution, Spec};

/// The distribution of a spec whose `distribution:` is the YAML flow mapping `yaml`.
pub fn dist(yaml: &str) -> Distribution {
    Spec::from_yaml(
        &format!("description: t\ndistribution: {yaml}\nmarket: {{n: 2, shares: symmetric}}\n"),
        None,
    )
    .unwrap()
    .distribution()
    .clone()
}

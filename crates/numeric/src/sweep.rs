//! Every point of a spec's grid, solved in parallel (rayon), in grid order.

use efftrade_model::{BigRational, Distribution, Market, Point, Spec};
use rayon::prelude::*;

use crate::NumericError;
use crate::quantities::{Solution, solve};

/// One grid point and its solution.
#[derive(Debug)]
pub struct Solved {
    /// The point.
    pub point: Point,
    /// The beta used (the spec's, or the override).
    pub beta: Option<BigRational>,
    /// The quantities, or why they could not be certified.
    pub result: Result<Solution, NumericError>,
}

/// Solves every point of `spec` to `digits` certified digits. `beta` overrides the spec's betas.
/// `tick` is called once per finished point (for a progress bar).
pub fn solve_spec(
    spec: &Spec,
    digits: u32,
    beta: Option<&BigRational>,
    tick: &(dyn Fn() + Sync),
) -> Vec<Solved> {
    let all: Vec<usize> = (0..spec.len()).collect();
    solve_points(spec, &all, digits, beta, tick)
}

/// Solves the grid points with the given indices (each below `spec.len()`), in the order given.
pub fn solve_points(
    spec: &Spec,
    indices: &[usize],
    digits: u32,
    beta: Option<&BigRational>,
    tick: &(dyn Fn() + Sync),
) -> Vec<Solved> {
    solve_points_by(spec, indices, beta, tick, |dist, market, beta| {
        solve(dist, market, beta, digits)
    })
    .into_iter()
    .map(|(point, beta, result)| Solved {
        point,
        beta,
        result,
    })
    .collect()
}

/// Applies `solver` to the distribution, market and beta (`beta` overriding the point's) of the
/// grid points with the given indices, in parallel (rayon), returned in the order given with
/// each point and its beta. `tick` is called once per finished point. The one loop of the fast
/// engine's and the rigorous engine's sweeps.
pub fn solve_points_by<T: Send>(
    spec: &Spec,
    indices: &[usize],
    beta: Option<&BigRational>,
    tick: &(dyn Fn() + Sync),
    solver: impl Fn(&Distribution, &Market, Option<&BigRational>) -> T + Sync,
) -> Vec<(Point, Option<BigRational>, T)> {
    indices
        .par_iter()
        .filter_map(|&i| spec.point(i))
        .map(|point| {
            let beta = beta.cloned().or_else(|| point.beta().cloned());
            let result = solver(spec.distribution(), point.market(), beta.as_ref());
            tick();
            (point, beta, result)
        })
        .collect()
}

//! Facts decided by balls of Arb arithmetic ([`efftrade_rigorous`]): the finite checks that turn
//! a claim's evidence into a proof at the markets checked.

use efftrade_rigorous::BallSolution;
use rayon::prelude::*;

use crate::claim::Case;
use crate::context::Context;

/// Digits asked of the rigorous engine for the report's proofs.
pub const DIGITS: u32 = 30;

/// The rigorous solution of every grid point of every spec, labelled as the fast engine's
/// evidence is (`spec (N = ...)`), in spec and grid order; a failure keeps its message.
pub fn solve_all(ctx: &Context) -> Vec<Case<BallSolution>> {
    let jobs: Vec<_> = ctx
        .specs
        .iter()
        .flat_map(|s| s.solved.iter().map(move |solved| (s, solved)))
        .collect();
    jobs.par_iter()
        .map(|(s, solved)| {
            let market = solved.point.market();
            let label = format!("{} (N = {})", s.name, market.n());
            let result = efftrade_rigorous::solve(
                s.spec.distribution(),
                market,
                solved.beta.as_ref(),
                DIGITS,
            );
            Case::from_result(label, result)
        })
        .collect()
}

/// The ball of `name` in a rigorous solution.
pub fn ball<'s>(s: &'s BallSolution, name: &str) -> Option<&'s efftrade_arb::Arb> {
    s.balls.iter().find(|b| b.name == name).map(|b| &b.ball)
}

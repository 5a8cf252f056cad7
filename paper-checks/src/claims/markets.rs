//! The markets the paper's claims are checked on, by what they are: predicates on a validated
//! [`Spec`] (its distribution, shares and replication), never on a file name.
//!
//! A claim about every market is checked on the paper's markets of its kind when the specs hold
//! them, and otherwise on the user's own markets ([`Context::user_markets`]); a claim about one
//! market of the paper (Example 1, the special cases) needs that market and is not checked
//! without it, saying which market it needs.

use efftrade_model::{BigRational, Distribution, Market, SharesRule, Spec};

use crate::context::{Context, Kind};

/// `p / q`.
pub(crate) fn q(p: i64, d: i64) -> BigRational {
    BigRational::new(p.into(), d.into())
}

/// Whether `x` encloses the number `at` (to rounding).
fn near(lo: f64, hi: f64, at: f64) -> bool {
    (lo - at).abs() <= 1e-12 * (1.0 + at.abs()) && (hi - at).abs() <= 1e-12 * (1.0 + at.abs())
}

/// Whether the support of `d` is `[a, b]`.
fn support_is(d: &Distribution, a: f64, b: f64) -> bool {
    near(d.a().lo, d.a().hi, a) && near(d.b().lo, d.b().hi, b)
}

/// Whether the CDF of `d` as written agrees with `f` at nine points inside its support.
fn written_cdf_is(d: &Distribution, f: fn(f64) -> f64) -> bool {
    let (a, b) = (d.a().lo, d.b().hi);
    a.is_finite()
        && b.is_finite()
        && b > a
        && (1..10).all(|i| {
            let x = a + (b - a) * f64::from(i) / 10.0;
            (d.cdf_as_written().eval_f64(x) - f(x)).abs() <= 1e-12
        })
}

/// The sine market's CDF, `0.1 x + 0.1 (1 - cos x)`.
fn sine(x: f64) -> f64 {
    0.1 * x + 0.1 * (1.0 - x.cos())
}

/// Uniform F on [0, 1].
pub fn is_uniform(d: &Distribution) -> bool {
    support_is(d, 0.0, 1.0) && written_cdf_is(d, |x| x)
}

/// `F = 0.1 x + 0.1 (1 - cos x)` on `[0, b]` with `b` solved from `F(b) = 1` (Example 1, A).
pub fn is_sine_solved(d: &Distribution) -> bool {
    d.upper_is_solved() && near(d.a().lo, d.a().hi, 0.0) && written_cdf_is(d, sine)
}

/// The sine CDF on the printed support `[0, 8.4438]`, divided by `F(8.4438)`.
pub fn is_sine_printed(d: &Distribution) -> bool {
    d.renormalize() && support_is(d, 0.0, 8.4438) && written_cdf_is(d, sine)
}

/// Beta(2, 2): `F = 3 x^2 - 2 x^3` on `[0, 1]`.
pub fn is_beta22(d: &Distribution) -> bool {
    support_is(d, 0.0, 1.0) && written_cdf_is(d, |x| 3.0 * x * x - 2.0 * x * x * x)
}

/// `F = 1 - (1 - x)^3` on `[0, 1]` (alpha = 3 at b).
pub fn is_flat_top(d: &Distribution) -> bool {
    support_is(d, 0.0, 1.0) && written_cdf_is(d, |x| 1.0 - (1.0 - x).powi(3))
}

/// Whether the spec's markets are exactly one, with these shares, not replicated.
fn one_market(s: &Spec, shares: &[BigRational]) -> bool {
    s.replications().is_none()
        && s.markets().len() == 1
        && Market::from_shares(shares).is_ok_and(|m| *s.markets()[0].market() == m)
}

/// Whether the spec replicates one base market with these shares.
fn replicates(s: &Spec, shares: &[BigRational]) -> bool {
    s.replications().is_some()
        && s.markets().len() == 1
        && Market::from_shares(shares).is_ok_and(|m| *s.markets()[0].market() == m)
}

/// Whether the spec has equal shares over a range of n (at least three), not replicated.
fn equal_shares_over_n(s: &Spec) -> bool {
    s.replications().is_none() && *s.shares() == SharesRule::Symmetric && s.markets().len() >= 3
}

/// Whether the spec's markets are two agents with shares `(r, 1 - r)` over a range of `r`.
fn share_line(s: &Spec) -> bool {
    s.replications().is_none()
        && s.markets().len() >= 3
        && s.markets().iter().all(|c| {
            c.r().is_some_and(|r| {
                Market::from_shares(&[r.clone(), q(1, 1) - r]).is_ok_and(|m| *c.market() == m)
            })
        })
}

/// Any spec with uniform F on [0, 1].
pub const UNIFORM: Kind = Kind {
    what: "a market with uniform F on [0, 1]",
    test: |s| is_uniform(s.distribution()),
};

/// Any spec with the sine market's F and b solved.
pub const SINE: Kind = Kind {
    what: "a market with F = 0.1x + 0.1(1 - cos x) and b solved from F(b) = 1",
    test: |s| is_sine_solved(s.distribution()),
};

/// Any spec with Beta(2, 2) types.
pub const BETA22: Kind = Kind {
    what: "a market with F = 3x^2 - 2x^3 on [0, 1] (Beta(2, 2))",
    test: |s| is_beta22(s.distribution()),
};

/// Any spec with `F = 1 - (1 - x)^3` on [0, 1].
pub const FLAT_TOP: Kind = Kind {
    what: "a market with F = 1 - (1 - x)^3 on [0, 1]",
    test: |s| is_flat_top(s.distribution()),
};

/// Myerson and Satterthwaite's market.
pub const MYERSON_SATTERTHWAITE: Kind = Kind {
    what: "a market with uniform F on [0, 1], two agents, shares (1, 0)",
    test: |s| is_uniform(s.distribution()) && one_market(s, &[q(1, 1), q(0, 1)]),
};

/// Cramton, Gibbons and Klemperer's markets.
pub const CRAMTON_GIBBONS_KLEMPERER: Kind = Kind {
    what: "markets with uniform F on [0, 1], two agents, shares (r, 1 - r) over a range of r",
    test: |s| is_uniform(s.distribution()) && share_line(s),
};

/// Example 1's market A, b solved.
pub const EXAMPLE1_A: Kind = Kind {
    what: "markets with F = 0.1x + 0.1(1 - cos x), b solved, equal shares, n over a range \
           (Example 1's market A)",
    test: |s| is_sine_solved(s.distribution()) && equal_shares_over_n(s),
};

/// Example 1's market A on the printed support.
pub const EXAMPLE1_A_PRINTED: Kind = Kind {
    what: "markets with F = 0.1x + 0.1(1 - cos x) on the printed support [0, 8.4438] \
           renormalised, equal shares, n over a range",
    test: |s| is_sine_printed(s.distribution()) && equal_shares_over_n(s),
};

/// Example 1's market B.
pub const EXAMPLE1_B: Kind = Kind {
    what: "markets with uniform F on [0, 1], equal shares, n over a range (Example 1's market B)",
    test: |s| is_uniform(s.distribution()) && equal_shares_over_n(s),
};

/// Replications of Myerson and Satterthwaite's market.
pub const REPLICATED_MS: Kind = Kind {
    what: "replications of the market with uniform F on [0, 1], shares (1, 0)",
    test: |s| is_uniform(s.distribution()) && replicates(s, &[q(1, 1), q(0, 1)]),
};

/// Replications of Example 1's market B with two agents.
pub const REPLICATED_B: Kind = Kind {
    what: "replications of the market with uniform F on [0, 1], shares (1/2, 1/2)",
    test: |s| is_uniform(s.distribution()) && replicates(s, &[q(1, 2), q(1, 2)]),
};

/// Replications of Example 1's market A with two agents.
pub const REPLICATED_A: Kind = Kind {
    what: "replications of the market with F = 0.1x + 0.1(1 - cos x), b solved, shares (1/2, 1/2)",
    test: |s| is_sine_solved(s.distribution()) && replicates(s, &[q(1, 2), q(1, 2)]),
};

/// Replications of the uniform market with shares (0.5, 0.3, 0.2).
pub const REPLICATED_THREE: Kind = Kind {
    what: "replications of the market with uniform F on [0, 1], shares (0.5, 0.3, 0.2)",
    test: |s| is_uniform(s.distribution()) && replicates(s, &[q(1, 2), q(3, 10), q(1, 5)]),
};

/// Replications of Myerson and Satterthwaite's market with `F = 1 - (1 - x)^3`.
pub const REPLICATED_FLAT_TOP: Kind = Kind {
    what: "replications of the market with F = 1 - (1 - x)^3 on [0, 1], shares (1, 0)",
    test: |s| is_flat_top(s.distribution()) && replicates(s, &[q(1, 1), q(0, 1)]),
};

/// `F = 1 - sqrt(1 - x)` on [0, 1] (alpha = 1/2 at b, beyond the paper).
pub fn is_sqrt_end(d: &Distribution) -> bool {
    support_is(d, 0.0, 1.0) && written_cdf_is(d, |x| 1.0 - (1.0 - x).sqrt())
}

/// Kumaraswamy(2, 5/2), `F = 1 - (1 - x^2)^(5/2)` on [0, 1] (alpha = 5/2 at b, beyond the paper).
pub fn is_kumaraswamy_real(d: &Distribution) -> bool {
    support_is(d, 0.0, 1.0) && written_cdf_is(d, |x| 1.0 - (1.0 - x * x).powf(2.5))
}

/// Replications, shares (1, 0), with `F = 1 - sqrt(1 - x)`.
pub const REPLICATED_SQRT_END: Kind = Kind {
    what: "replications of the market with F = 1 - sqrt(1 - x) on [0, 1], shares (1, 0)",
    test: |s| is_sqrt_end(s.distribution()) && replicates(s, &[q(1, 1), q(0, 1)]),
};

/// Replications, shares (1, 0), with Kumaraswamy(2, 5/2) types.
pub const REPLICATED_KUMARASWAMY_REAL: Kind = Kind {
    what: "replications of the market with F = 1 - (1 - x^2)^(5/2) on [0, 1], shares (1, 0)",
    test: |s| is_kumaraswamy_real(s.distribution()) && replicates(s, &[q(1, 1), q(0, 1)]),
};

/// Any replication spec.
pub const REPLICATION: Kind = Kind {
    what: "a replication spec",
    test: |s| s.replications().is_some(),
};

/// Distributions for a claim about every distribution: those of `kinds` the specs hold, labelled
/// as given, and the kinds they lack; when they hold none, the user's own distributions
/// (labelled by spec file), one per distinct CDF and support, at most `limit`.
pub fn distributions(
    ctx: &Context,
    kinds: &[(Kind, &str)],
    limit: usize,
) -> (Vec<(String, Distribution)>, Vec<&'static str>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (kind, label) in kinds {
        match ctx.find(kind) {
            Some(s) => found.push((label.to_string(), s.spec.distribution().clone())),
            None => missing.push(kind.what),
        }
    }
    if found.is_empty() {
        found = ctx.user_distributions(limit);
    }
    (found, missing)
}

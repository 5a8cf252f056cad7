//! The constructors that build distributions, markets and specs without YAML: valid inputs give
//! the objects a spec file gives, and invalid ones the spec file's error (kind, message, help)
//! without a place in a file.

use efftrade_model::{
    BigRational, Distribution, ErrorKind, Expr, Family, Market, MarketError, MarketGrid, Spec,
    SpecError, UpperEnd, parse,
};

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(n.into(), d.into())
}

fn yaml(doc: &str) -> Result<Spec, SpecError> {
    Spec::from_yaml(doc, Some("s.yaml"))
}

fn yaml_err(doc: &str) -> SpecError {
    yaml(doc).expect_err("the spec is invalid")
}

/// The constructor's error is the spec file's, unplaced.
fn same_fault(built: SpecError, from_file: SpecError) {
    assert_eq!(built.kind, from_file.kind, "{built} vs {from_file}");
    assert_eq!(built.message, from_file.message);
    assert_eq!(built.help, from_file.help);
    assert_eq!(built.detail, from_file.detail);
    assert!(from_file.position.is_some(), "{from_file}");
    assert_eq!((built.path, built.position, built.file), (None, None, None));
}

const MARKET: &str = "market: {n: 2, shares: symmetric}\n";

fn dist_doc(distribution: &str) -> String {
    format!("description: d\ndistribution: {distribution}\n{MARKET}")
}

fn uniform() -> Distribution {
    Distribution::from_family(Family::Uniform, None).unwrap()
}

#[test]
fn families_build_the_distributions_of_spec_files() {
    let uniform = uniform();
    assert_eq!(uniform.cdf().to_string(), "x");
    assert_eq!(uniform.family(), Some(&Family::Uniform));
    assert_eq!((uniform.b().lo, uniform.b().hi), (1.0, 1.0));

    // Beta(2, 2) on [0, 2]: F(x) = 3 (x/2)^2 - 2 (x/2)^3, so F(1) = 3/4 - 1/4 = 1/2.
    let beta = Distribution::from_family(
        Family::Beta {
            p: q(2, 1),
            q: q(2, 1),
        },
        Some((Expr::int(0), Expr::int(2))),
    )
    .unwrap();
    assert!((beta.cdf().eval_f64(1.0) - 0.5).abs() < 1e-15);
    let file = yaml(&dist_doc("{family: beta, shape: [2, 2], support: [0, 2]}")).unwrap();
    assert_eq!(file.distribution().cdf(), beta.cdf());
    assert_eq!(file.distribution().lower(), beta.lower());
    assert_eq!(file.distribution().upper(), beta.upper());

    // Power k = 1/2: F(1/4) = 1/2.
    let power = Distribution::from_family(Family::Power { k: q(1, 2) }, None).unwrap();
    assert!((power.cdf().eval_f64(0.25) - 0.5).abs() < 1e-15);

    // Truncated exponential, lambda = 2 on [0, 1]: F(1/2) = (1 - e^-1) / (1 - e^-2).
    let exp =
        Distribution::from_family(Family::TruncatedExponential { lambda: q(2, 1) }, None).unwrap();
    let expected = (1.0 - (-1.0f64).exp()) / (1.0 - (-2.0f64).exp());
    assert!((exp.cdf().eval_f64(0.5) - expected).abs() < 1e-15);
}

#[test]
fn bad_family_parameters_are_the_spec_files_errors() {
    let cases: [(Family, &str, &str); 5] = [
        (
            Family::Power { k: q(0, 1) },
            "{family: power, k: 0}",
            "k = 0 must be positive",
        ),
        (
            Family::Power { k: q(-3, 2) },
            "{family: power, k: -1.5}",
            "k = -1.5 must be positive",
        ),
        (
            Family::Beta {
                p: q(0, 1),
                q: q(2, 1),
            },
            "{family: beta, shape: [0, 2]}",
            "shape parameter 0 must be positive",
        ),
        (
            Family::Beta {
                p: q(2, 1),
                q: q(-1, 2),
            },
            "{family: beta, shape: [2, -0.5]}",
            "shape parameter -0.5 must be positive",
        ),
        (
            Family::TruncatedExponential { lambda: q(0, 1) },
            "{family: truncated_exponential, lambda: 0}",
            "lambda = 0 is the uniform distribution",
        ),
    ];
    for (family, written, message) in cases {
        let err = Distribution::from_family(family, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadParameter);
        assert_eq!(err.message, message);
        same_fault(err, yaml_err(&dist_doc(written)));
    }
    let err = Distribution::from_family(Family::TruncatedExponential { lambda: q(0, 1) }, None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "<spec>: lambda = 0 is the uniform distribution\nhelp: use `family: uniform`"
    );
    // Huge integer shapes are not expanded into a polynomial of that degree: their CDF is the
    // incomplete beta function.
    let huge = Family::Beta {
        p: q(5000, 1),
        q: q(5000, 1),
    };
    assert_eq!(
        huge.cdf(&Expr::int(0), &Expr::int(1)).to_string(),
        "betainc(5000, 5000, x)"
    );
}

#[test]
fn bad_supports_are_the_spec_files_errors() {
    let inverted =
        Distribution::from_family(Family::Uniform, Some((Expr::int(1), Expr::int(0)))).unwrap_err();
    assert_eq!(inverted.kind, ErrorKind::InvertedSupport);
    assert_eq!(
        inverted.message,
        "the support [1, 0] is inverted: the lower end exceeds the upper end"
    );
    same_fault(
        inverted,
        yaml_err(&dist_doc("{family: uniform, support: [1, 0]}")),
    );
    let empty =
        Distribution::from_family(Family::Uniform, Some((Expr::int(2), Expr::int(2)))).unwrap_err();
    assert_eq!(empty.kind, ErrorKind::EmptySupport);
    same_fault(
        empty,
        yaml_err(&dist_doc("{family: uniform, support: [2, 2]}")),
    );
    let infinite = Distribution::from_cdf(
        parse("x").unwrap(),
        Expr::int(0),
        UpperEnd::Given(parse("log(0)").unwrap()),
        false,
    )
    .unwrap_err();
    assert_eq!(infinite.kind, ErrorKind::BadSupport);
    same_fault(
        infinite,
        yaml_err(&dist_doc("{cdf: x, support: [0, log(0)]}")),
    );
}

#[test]
fn cdfs_build_solve_and_renormalize() {
    // Example 1's sine market: b solves 0.1 b + 0.1 (1 - cos b) = 1, b = 8.4438 to five digits.
    let sine = parse("0.1*x + 0.1*(1 - cos(x))").unwrap();
    let solved =
        Distribution::from_cdf(sine.clone(), Expr::int(0), UpperEnd::Solve, false).unwrap();
    assert!(solved.upper_is_solved());
    let b = solved.b().mid();
    assert!((0.1 * b + 0.1 * (1.0 - b.cos()) - 1.0).abs() < 1e-14);
    assert_eq!(format!("{b:.4}"), "8.4438");
    let file = yaml(&dist_doc(
        "{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve]}",
    ))
    .unwrap();
    assert_eq!(file.distribution().b(), solved.b());

    // F(x) = x/2 on [0, 1] is not a CDF as printed, but is one renormalised: F(x)/F(1) = x.
    let half = parse("x/2").unwrap();
    let one = || UpperEnd::Given(Expr::int(1));
    let err = Distribution::from_cdf(half.clone(), Expr::int(0), one(), false).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UpperNotOne);
    same_fault(err, yaml_err(&dist_doc("{cdf: \"x/2\", support: [0, 1]}")));
    let renormalized = Distribution::from_cdf(half, Expr::int(0), one(), true).unwrap();
    assert!(renormalized.renormalize());
    assert!((renormalized.cdf().eval_f64(0.3) - 0.3).abs() < 1e-15);

    let both = Distribution::from_cdf(sine, Expr::int(0), UpperEnd::Solve, true).unwrap_err();
    assert_eq!(both.kind, ErrorKind::Conflict);
    assert_eq!(
        both.message,
        "`renormalize` and `solve` answer the same question two ways: choose one"
    );
    same_fault(
        both,
        yaml_err(&dist_doc(
            "{cdf: \"0.1*x + 0.1*(1 - cos(x))\", support: [0, solve], renormalize: true}",
        )),
    );
}

#[test]
fn bad_cdfs_are_the_spec_files_errors() {
    for (cdf, kind) in [
        ("x + 0.5", ErrorKind::LowerNotZero),
        ("x + 0.2*sin(8*x)", ErrorKind::Decreasing),
        ("log(x - 0.5) + 1", ErrorKind::Undefined),
    ] {
        let renormalize = kind != ErrorKind::LowerNotZero;
        let err = Distribution::from_cdf(
            parse(cdf).unwrap(),
            Expr::int(0),
            UpperEnd::Given(Expr::int(1)),
            renormalize,
        )
        .unwrap_err();
        assert_eq!(err.kind, kind, "{err}");
        same_fault(
            err,
            yaml_err(&dist_doc(&format!(
                "{{cdf: \"{cdf}\", support: [0, 1], renormalize: {renormalize}}}"
            ))),
        );
    }
    let err = Distribution::from_cdf(parse("-x").unwrap(), Expr::int(0), UpperEnd::Solve, false)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoUpperEnd);
}

fn spec_doc(market: &str) -> String {
    format!("description: d\ndistribution: {{family: uniform}}\nmarket: {market}\n")
}

#[test]
fn market_grids_are_the_spec_files_markets() {
    let grid = MarketGrid::symmetric(&[2, 3, 10]).unwrap();
    let ns: Vec<u128> = grid.markets().iter().map(|c| c.market().n()).collect();
    assert_eq!(ns, [2, 3, 10]);
    assert_eq!(grid.markets()[2].market().to_string(), "N = 10: 10 x 0.1");

    let one = MarketGrid::from_shares(&[q(1, 2), q(3, 10), q(1, 5)]).unwrap();
    assert_eq!(
        one.markets()[0].market().to_string(),
        "N = 3: 1 x 0.5, 1 x 0.3, 1 x 0.2"
    );

    // Shares r and 1 - r at r = 0, 1/4, 1/2 (the variable of a share formula is r).
    let formulas = vec![Expr::Var, parse("1 - x").unwrap()];
    let grid = MarketGrid::listed(formulas, Some(vec![q(0, 1), q(1, 4), q(1, 2)])).unwrap();
    let file = yaml(&spec_doc("{shares: [r, 1 - r], r: [0, 0.25, 0.5]}")).unwrap();
    assert_eq!(grid.markets(), file.markets());
    assert_eq!(grid.shares(), file.shares());
    assert_eq!(grid.markets()[1].r(), Some(&q(1, 4)));

    let replicated = MarketGrid::from_shares(&[q(1, 1), q(0, 1)])
        .unwrap()
        .replicate(&[1, 10u128.pow(30)])
        .unwrap();
    assert_eq!(replicated.replications(), Some(&[1, 10u128.pow(30)][..]));
    let spec = Spec::new(
        "Myerson-Satterthwaite, replicated",
        uniform(),
        replicated,
        vec![q(1, 2)],
    )
    .unwrap();
    let big = spec.point(1).unwrap();
    assert_eq!(big.market().n(), 2 * 10u128.pow(30));
    assert_eq!(big.replication().map(|(_, m)| m), Some(10u128.pow(30)));
    assert_eq!(big.beta(), Some(&q(1, 2)));
    assert!(spec.point(2).is_none());
    assert!(spec.point(usize::MAX).is_none());
}

#[test]
fn bad_markets_are_the_spec_files_errors() {
    let sum = MarketGrid::from_shares(&[q(1, 2), q(2, 5)]).unwrap_err();
    assert_eq!(sum.kind, ErrorKind::SharesSum);
    assert_eq!(
        sum.message,
        "the shares sum to 0.9, not 1 (they differ from 1 by -0.1)"
    );
    same_fault(sum, yaml_err(&spec_doc("{shares: [0.5, 0.4]}")));

    let negative = MarketGrid::from_shares(&[q(3, 2), q(-1, 2)]).unwrap_err();
    assert_eq!(negative.kind, ErrorKind::NegativeShare);
    same_fault(negative, yaml_err(&spec_doc("{shares: [1.5, -0.5]}")));

    let few = MarketGrid::symmetric(&[2, 1]).unwrap_err();
    assert_eq!(few.message, "a market needs at least 2 agents, got n = 1");
    same_fault(few, yaml_err(&spec_doc("{n: [2, 1], shares: symmetric}")));

    let empty = MarketGrid::symmetric(&[]).unwrap_err();
    assert_eq!(empty.kind, ErrorKind::Grid);
    same_fault(empty, yaml_err(&spec_doc("{n: [], shares: symmetric}")));

    let half = || Expr::Num(q(1, 2));
    let unused = MarketGrid::listed(vec![half(), half()], Some(vec![q(0, 1)])).unwrap_err();
    same_fault(unused, yaml_err(&spec_doc("{shares: [0.5, 0.5], r: 0}")));
    let missing = MarketGrid::listed(vec![Expr::Var, parse("1 - x").unwrap()], None).unwrap_err();
    same_fault(missing, yaml_err(&spec_doc("{shares: [r, 1 - r]}")));
    let at_r = MarketGrid::listed(vec![Expr::Var, Expr::Var], Some(vec![q(1, 3)])).unwrap_err();
    assert_eq!(
        at_r.message,
        "at r = 1/3: the shares sum to 2/3, not 1 (they differ from 1 by -1/3)"
    );
    same_fault(at_r, yaml_err(&spec_doc("{shares: [r, r], r: 1/3}")));
    let roots = vec![parse("sqrt(x)").unwrap(), parse("1 - sqrt(x)").unwrap()];
    let inexact = MarketGrid::listed(roots, Some(vec![q(1, 2)])).unwrap_err();
    same_fault(
        inexact,
        yaml_err(&spec_doc("{shares: [sqrt(r), 1 - sqrt(r)], r: 0.5}")),
    );

    let base = MarketGrid::symmetric(&[3]).unwrap();
    let zero = base.clone().replicate(&[0]).unwrap_err();
    assert_eq!(zero.kind, ErrorKind::ZeroReplication);
    same_fault(
        zero,
        yaml_err(&spec_doc("{replicate: {n: 3, shares: symmetric, m: [0]}}")),
    );
    let huge = base.clone().replicate(&[u128::MAX]).unwrap_err();
    assert_eq!(huge.kind, ErrorKind::TooManyAgents);
    let twice = base.replicate(&[2]).unwrap().replicate(&[2]).unwrap_err();
    assert_eq!(twice.kind, ErrorKind::Conflict);

    let from_market: SpecError = Market::from_shares(&[q(1, 1)]).unwrap_err().into();
    assert_eq!(from_market.kind, ErrorKind::TooFewAgents);
    assert_eq!(
        from_market.help.as_deref(),
        Some("the paper's markets have n >= 2 agents")
    );
    assert_eq!(
        Market::from_shares(&[q(1, 1)]).unwrap_err(),
        MarketError::TooFewAgents { n: 1 }
    );
}

#[test]
fn specs_built_by_hand_equal_spec_files() {
    let file = yaml(
        "description: three agents, unequal shares, uniform types, two betas\n\
         distribution: {family: uniform}\n\
         market: {shares: [0.5, 0.3, 0.2]}\n\
         beta: [0, 0.5]\n",
    )
    .unwrap();
    let built = Spec::new(
        "  three agents, unequal shares, uniform types, two betas ",
        uniform(),
        MarketGrid::from_shares(&[q(1, 2), q(3, 10), q(1, 5)]).unwrap(),
        vec![q(0, 1), q(1, 2)],
    )
    .unwrap();
    assert_eq!(built.description(), file.description());
    assert_eq!(built.len(), 2);
    assert!(built.points().eq(file.points()));
    assert_eq!(built.distribution().cdf(), file.distribution().cdf());

    let grid = || MarketGrid::symmetric(&[2]).unwrap();
    let blank = Spec::new(" ", uniform(), grid(), vec![]).unwrap_err();
    assert_eq!(blank.message, "the description must be one non-empty line");
    same_fault(
        blank,
        yaml_err(&format!(
            "description: ' '\ndistribution: {{family: uniform}}\n{MARKET}"
        )),
    );
    let two_lines = Spec::new("a\nb", uniform(), grid(), vec![]).unwrap_err();
    assert_eq!(two_lines.kind, ErrorKind::WrongType);

    let negative = Spec::new("d", uniform(), grid(), vec![q(1, 1), q(-1, 2)]).unwrap_err();
    assert_eq!(negative.message, "beta = -0.5 is negative");
    same_fault(
        negative,
        yaml_err(&format!(
            "description: d\ndistribution: {{family: uniform}}\n{MARKET}beta: [1, -0.5]\n"
        )),
    );

    // 1001 markets x 1000 betas exceed the million points a spec may hold.
    let ns: Vec<u128> = (2..1003).collect();
    let betas: Vec<BigRational> = (0..1000).map(|i| q(i, 1)).collect();
    let grid = MarketGrid::symmetric(&ns).unwrap();
    let large = Spec::new("d", uniform(), grid, betas).unwrap_err();
    assert_eq!(large.kind, ErrorKind::Grid);
    assert_eq!(
        large.message,
        "the spec's grid has 1001000 points; at most 1000000 are allowed"
    );
}

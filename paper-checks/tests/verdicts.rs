//! Verdicts follow the evidence: each claim's verdict function, fed evidence that violates the
//! claim, flips from holding to failing; fed evidence that could not be computed, it says "not
//! checked" with the reason, never "fails as printed".

use efftrade_numeric::Certified;
use efftrade_paper_checks::Verdict;
use efftrade_paper_checks::claim::Case;
use efftrade_paper_checks::claims::{
    example1, lemma3, special_cases, theorem1, theorem2, theorem3,
};
use rug::Float;

/// `x` as if computed alike at two precisions, with `digits` certified digits.
fn certified(x: f64, digits: u32) -> Certified {
    let v = Float::with_val(128, x);
    Certified::from_pair(&v, &v, digits)
}

#[test]
fn theorem2_flips_on_a_market_with_t1_plus_t2_non_negative() {
    use theorem2::{Sign, sign_of_sum, verdict};
    assert_eq!(
        sign_of_sum(&certified(0.1, 20), &certified(-0.25, 20)),
        Sign::Negative
    );
    assert_eq!(
        sign_of_sum(&certified(0.3, 20), &certified(-0.25, 20)),
        Sign::NonNegative
    );
    // A sum within the last certified digit is undecided, not negative.
    assert_eq!(
        sign_of_sum(&certified(0.25, 2), &certified(-0.2500001, 2)),
        Sign::Undecided
    );
    let signs = |s: &[Sign]| -> Vec<Case<Sign>> { s.iter().map(|x| Case::ok("m", *x)).collect() };
    assert!(verdict(&signs(&[Sign::Negative; 5])).is_numerical());
    assert!(matches!(
        verdict(&signs(&[Sign::Negative, Sign::NonNegative])),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        verdict(&signs(&[Sign::Negative, Sign::Undecided])),
        Verdict::NotChecked { .. }
    ));
    // A market that could not be solved is not evidence either way.
    let mut with_failure = signs(&[Sign::Negative; 3]);
    with_failure.push(Case::failed("x.yaml (N = 4)", "T1 did not converge"));
    assert_eq!(
        verdict(&with_failure),
        Verdict::NotChecked {
            why: "the computation failed for x.yaml (N = 4): T1 did not converge".to_string()
        }
    );
    assert!(matches!(verdict(&[]), Verdict::NotChecked { .. }));
}

#[test]
fn example1_flips_on_a_monotone_curve() {
    let hump: Vec<(u32, f64)> = vec![(2, 1.0), (3, 2.0), (4, 3.0), (5, 2.5), (6, 2.0)];
    assert_eq!(example1::runs(&hump), vec![(2, 4, true), (4, 6, false)]);
    assert_eq!(example1::verdict(&hump, &[]), Verdict::Holds);
    let monotone: Vec<(u32, f64)> = (2..10).map(|n| (n, f64::from(n))).collect();
    assert!(matches!(
        example1::verdict(&monotone, &[]),
        Verdict::FailsAsPrinted { .. }
    ));
    // A monotone curve with a market missing does not refute: the missing beta* could be the
    // turn.
    let failed = vec!["n = 11: beta* did not converge".to_string()];
    assert_eq!(
        example1::verdict(&monotone, &failed),
        Verdict::NotChecked {
            why: "beta* could not be computed at n = 11: beta* did not converge".to_string()
        }
    );
    // A rise and a fall among the values computed decide it even with one missing.
    assert_eq!(example1::verdict(&hump, &failed), Verdict::Holds);
    assert!(matches!(
        example1::verdict(&[], &[]),
        Verdict::NotChecked { .. }
    ));
}

#[test]
fn theorem3_flips_on_a_bounded_or_slow_family() {
    use theorem3::{FamilyGrowth, verdict};
    let growing = FamilyGrowth {
        label: "g".into(),
        points: (1..8).map(|k| (10u128.pow(k), f64::from(k))).collect(),
        relative_difference: 1e-10,
    };
    let one = |f: FamilyGrowth| vec![Case::ok("g", f)];
    assert!(verdict(&one(growing.clone())).is_numerical());
    // Falling at first is allowed (the sine market does), falling at the end is not.
    let mut early_dip = growing.clone();
    early_dip.points[1].1 = 0.5;
    assert!(verdict(&one(early_dip)).is_numerical());
    let mut bounded = growing.clone();
    bounded.points[6].1 = 6.0;
    assert!(matches!(
        verdict(&one(bounded.clone())),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut wrong_rate = growing.clone();
    wrong_rate.relative_difference = 0.2;
    assert!(matches!(
        verdict(&one(wrong_rate)),
        Verdict::FailsAsPrinted { .. }
    ));
    // A family whose growth could not be fitted is not checked, not refuted; a family computed
    // and refuting still refutes beside it.
    let unfitted = Case::failed(
        "h",
        "the expansion at b failed: Lemma 3 does not apply: F is flat",
    );
    assert_eq!(
        verdict(&[Case::ok("g", growing), unfitted.clone()]),
        Verdict::NotChecked {
            why: "the computation failed for h: the expansion at b failed: Lemma 3 does not \
                  apply: F is flat"
                .to_string()
        }
    );
    assert!(matches!(
        verdict(&[Case::ok("g", bounded), unfitted]),
        Verdict::FailsAsPrinted { .. }
    ));
}

#[test]
fn theorem1_flips_when_the_lp_cutoff_misses_beta_star() {
    use theorem1::{Comparison, verdict};
    let hit = Comparison {
        label: "u".into(),
        beta_star: 2.0,
        cutoffs: vec![],
        extrapolated: Some(certified(2.001, 6)),
        max_violation: 1e-13,
    };
    let one = |c: Comparison| vec![Case::ok("u", c)];
    assert!(verdict(&one(hit.clone())).is_numerical());
    let mut miss = hit.clone();
    miss.extrapolated = Some(certified(2.5, 6));
    assert!(matches!(
        verdict(&one(miss)),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut violated = hit.clone();
    violated.max_violation = 1e-3;
    assert!(matches!(
        verdict(&one(violated)),
        Verdict::FailsAsPrinted { .. }
    ));
    // Linear programs that could not be solved are not a miss.
    let failed: Case<Comparison> = Case::failed("sine", "the linear programs failed: infeasible");
    assert_eq!(
        verdict(&[Case::ok("u", hit), failed]),
        Verdict::NotChecked {
            why: "the computation failed for sine: the linear programs failed: infeasible"
                .to_string()
        }
    );
    assert!(matches!(verdict(&[]), Verdict::NotChecked { .. }));
}

#[test]
fn lemma3_convergence_needs_shrinking_deviations() {
    assert!(lemma3::converges(&[1e-1, 1e-3, 1e-5, 1e-7], 1e-6));
    assert!(!lemma3::converges(&[1e-1, 1e-3, 1e-5, 1e-4], 1e-6));
    assert!(!lemma3::converges(&[1e-1, 1e-2, 1e-3], 1e-6));
}

#[test]
fn myerson_satterthwaite_flips_on_a_positive_t1() {
    assert_eq!(
        special_cases::ms_verdict(&certified(-1.0 / 6.0, 30)),
        Verdict::Holds
    );
    assert!(matches!(
        special_cases::ms_verdict(&certified(0.1, 30)),
        Verdict::FailsAsPrinted { .. }
    ));
    // A T1 without a certified digit decides nothing.
    assert!(matches!(
        special_cases::ms_verdict(&certified(-0.1, 0)),
        Verdict::NotChecked { .. }
    ));
}

#[test]
fn lemma1_4_5_flip_on_a_broken_mechanism() {
    use efftrade_paper_checks::claims::lemma1::{
        Check, lemma4_verdict, lemma5_verdict, printed_d1, verdict,
    };
    let good = Check {
        label: "m".into(),
        bb_relative: 1e-38,
        ic_max_gain: -1e-3,
        ir_min_slack: 6.25e-3,
        at_critical: true,
        predicted: 6.25e-3,
        error: 1e-37,
        above_beta_star: false,
        lemma4_deviation: 1e-37,
        slack_smallest_at_critical: true,
    };
    let one = |c: &Check| vec![Case::ok("m", c.clone())];
    assert!(verdict(&one(&good)).is_numerical());
    assert!(lemma4_verdict(&one(&good)).is_numerical());
    assert!(lemma5_verdict(&one(&good)).is_numerical());
    let mut unbalanced = good.clone();
    unbalanced.bb_relative = 1e-3;
    assert!(matches!(
        verdict(&one(&unbalanced)),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut misreport = good.clone();
    misreport.ic_max_gain = 1e-4;
    misreport.lemma4_deviation = 1e-4;
    assert!(matches!(
        verdict(&one(&misreport)),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        lemma4_verdict(&one(&misreport)),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut off = good.clone();
    off.predicted = 7e-3;
    assert!(matches!(
        verdict(&one(&off)),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut elsewhere = good.clone();
    elsewhere.at_critical = false;
    elsewhere.slack_smallest_at_critical = false;
    assert!(matches!(
        verdict(&one(&elsewhere)),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        lemma5_verdict(&one(&elsewhere)),
        Verdict::FailsAsPrinted { .. }
    ));
    // A verification that could not be run: the three lemmas are not checked, with the reason,
    // whatever the other markets show, unless one of them refutes.
    let broken: Case<Check> = Case::failed(
        "sine, beta = 1/2",
        "the verification failed: could not bracket the critical type in [0, 1]",
    );
    let why = "the computation failed for sine, beta = 1/2: the verification failed: could not \
               bracket the critical type in [0, 1]";
    type Judge = fn(&[Case<Check>]) -> Verdict;
    let verdicts: [Judge; 3] = [verdict, lemma4_verdict, lemma5_verdict];
    for v in verdicts {
        assert_eq!(
            v(&[Case::ok("m", good.clone()), broken.clone()]),
            Verdict::NotChecked {
                why: why.to_string()
            }
        );
        assert!(matches!(v(&[]), Verdict::NotChecked { .. }));
    }
    assert!(matches!(
        verdict(&[Case::ok("m", off), broken]),
        Verdict::FailsAsPrinted { .. }
    ));
    // (D1) as printed gives the good twice on a tie.
    assert_eq!(printed_d1(&[0.7, 0.7, 0.2]).iter().sum::<f64>(), 2.0);
    assert_eq!(printed_d1(&[0.7, 0.5, 0.2]).iter().sum::<f64>(), 1.0);
}

//! Verdicts follow the evidence: each claim's verdict function, fed evidence that violates the
//! claim, flips from holding to failing (or to not checked).

use efftrade_numeric::Certified;
use efftrade_paper_checks::Verdict;
use efftrade_paper_checks::claims::{
    example1, lemma3, special_cases, theorem1, theorem2, theorem3,
};
use rug::Float;

fn certified(x: f64, digits: u32) -> Certified {
    Certified {
        value: Float::with_val(128, x),
        digits,
    }
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
    assert_eq!(verdict(&[Sign::Negative; 5]), Verdict::HoldsNumerically);
    assert!(matches!(
        verdict(&[Sign::Negative, Sign::NonNegative]),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        verdict(&[Sign::Negative, Sign::Undecided]),
        Verdict::NotChecked { .. }
    ));
}

#[test]
fn example1_flips_on_a_monotone_curve() {
    let hump: Vec<(u32, f64)> = vec![(2, 1.0), (3, 2.0), (4, 3.0), (5, 2.5), (6, 2.0)];
    assert_eq!(example1::runs(&hump), vec![(2, 4, true), (4, 6, false)]);
    assert_eq!(example1::verdict(&hump), Verdict::Holds);
    let monotone: Vec<(u32, f64)> = (2..10).map(|n| (n, f64::from(n))).collect();
    assert!(matches!(
        example1::verdict(&monotone),
        Verdict::FailsAsPrinted { .. }
    ));
}

#[test]
fn theorem3_flips_on_a_bounded_or_slow_family() {
    use theorem3::{FamilyGrowth, verdict};
    let growing = FamilyGrowth {
        label: "g".into(),
        points: (1..8).map(|k| (10u128.pow(k), f64::from(k))).collect(),
        relative_difference: Some(1e-10),
    };
    assert_eq!(
        verdict(std::slice::from_ref(&growing)),
        Verdict::HoldsNumerically
    );
    // Falling at first is allowed (the sine market does), falling at the end is not.
    let mut early_dip = growing.clone();
    early_dip.points[1].1 = 0.5;
    assert_eq!(verdict(&[early_dip]), Verdict::HoldsNumerically);
    let mut bounded = growing.clone();
    bounded.points[6].1 = 6.0;
    assert!(matches!(
        verdict(&[bounded]),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut wrong_rate = growing;
    wrong_rate.relative_difference = Some(0.2);
    assert!(matches!(
        verdict(&[wrong_rate]),
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
    assert_eq!(
        verdict(std::slice::from_ref(&hit)),
        Verdict::HoldsNumerically
    );
    let mut miss = hit.clone();
    miss.extrapolated = Some(certified(2.5, 6));
    assert!(matches!(verdict(&[miss]), Verdict::FailsAsPrinted { .. }));
    let mut violated = hit;
    violated.max_violation = 1e-3;
    assert!(matches!(
        verdict(&[violated]),
        Verdict::FailsAsPrinted { .. }
    ));
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
    assert!(matches!(
        special_cases::ms_verdict(&certified(-0.1, 0)),
        Verdict::FailsAsPrinted { .. }
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
    assert_eq!(
        verdict(std::slice::from_ref(&good)),
        Verdict::HoldsNumerically
    );
    assert_eq!(
        lemma4_verdict(std::slice::from_ref(&good)),
        Verdict::HoldsNumerically
    );
    assert_eq!(
        lemma5_verdict(std::slice::from_ref(&good)),
        Verdict::HoldsNumerically
    );
    let mut unbalanced = good.clone();
    unbalanced.bb_relative = 1e-3;
    assert!(matches!(
        verdict(&[unbalanced]),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut misreport = good.clone();
    misreport.ic_max_gain = 1e-4;
    misreport.lemma4_deviation = 1e-4;
    assert!(matches!(
        verdict(std::slice::from_ref(&misreport)),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        lemma4_verdict(&[misreport]),
        Verdict::FailsAsPrinted { .. }
    ));
    let mut off = good.clone();
    off.predicted = 7e-3;
    assert!(matches!(verdict(&[off]), Verdict::FailsAsPrinted { .. }));
    let mut elsewhere = good;
    elsewhere.at_critical = false;
    elsewhere.slack_smallest_at_critical = false;
    assert!(matches!(
        verdict(std::slice::from_ref(&elsewhere)),
        Verdict::FailsAsPrinted { .. }
    ));
    assert!(matches!(
        lemma5_verdict(&[elsewhere]),
        Verdict::FailsAsPrinted { .. }
    ));
    // (D1) as printed gives the good twice on a tie.
    assert_eq!(printed_d1(&[0.7, 0.7, 0.2]).iter().sum::<f64>(), 2.0);
    assert_eq!(printed_d1(&[0.7, 0.5, 0.2]).iter().sum::<f64>(), 1.0);
}

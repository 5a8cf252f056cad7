//! The study run at 12 digits: Lemma 3's constants of Beta(2, 2) in closed form, and the fitted
//! growth of `beta*` against Lemma 3's slope.

use super::{run, study};

#[test]
fn the_growth_of_beta_star_follows_lemma_3() {
    let study = study(12).unwrap();
    // 1 - F(1 - t) = 3 t^2 - 2 t^3: alpha = 2, c = 3, A1 = c^(-1/2); b - mu = 1/2.
    let expansion = study.expansion.as_ref().unwrap();
    assert_eq!(expansion.alpha, 2);
    let family = &study.families[0];
    let ns: Vec<u128> = family.points.iter().map(|p| p.n()).collect();
    let expected: Vec<u128> = (1..=10).map(|k| 10u128.pow(3 * k)).collect();
    assert_eq!(ns, expected);
    let growth = family.growth.as_ref().unwrap();
    let predicted: f64 = growth.predicted_slope.to_decimal().parse().unwrap();
    assert!((predicted - 2.0 / 3f64.sqrt()).abs() < 1e-10, "{predicted}");
    // The fit over N = 10^18 .. 10^30 is within 2% of the slope Lemma 3 predicts (0.9% at 12
    // digits: the law's next term is smaller by a power of log N only).
    assert_eq!(growth.from, 10u128.pow(18));
    assert!(growth.relative_difference < 2e-2, "{}", growth.sentence());
    let fitted: f64 = growth.line.slope.to_decimal().parse().unwrap();
    assert!(
        (fitted / predicted - 1.0).abs() < 2e-2,
        "{fitted} vs {predicted}"
    );

    let text = run(12).unwrap();
    assert!(
        text.contains("\n1000000000000000000000000000000  "),
        "{text}"
    );
    assert!(
        text.contains("Lemma 3 predicts s = A1 / (b - mu) = 1.1547005384"),
        "{text}"
    );
}

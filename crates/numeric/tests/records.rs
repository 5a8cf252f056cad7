//! The JSON of the typed records, byte for byte as the command line has always printed it: each
//! expected line below is the output of `efftrade solve`, `sweep`, `replicate` or `lemma3 --format
//! json` before the records existed (keys in lexicographic order, numbers as certified decimals).

use efftrade_model::Spec;
use efftrade_numeric::NumericError;
use efftrade_numeric::lemma3::lemma3;
use efftrade_numeric::record::PointRecord;
use efftrade_numeric::study::{Lemma3Report, replication};
use efftrade_numeric::sweep::{solve_points, solve_spec};

const THREE_AGENTS: &str = "description: three agents, unequal shares, uniform types, one beta
distribution: {family: uniform}
market: {n: 3, shares: [0.5, 0.3, 0.2]}
beta: 0.5
";

fn spec(yaml: &str) -> Spec {
    Spec::from_yaml(yaml, None).unwrap()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn a_solved_point_serialises_as_solve_printed_it() {
    let s = spec(THREE_AGENTS);
    let solved = solve_spec(&s, 30, None, &|| {});
    let records = PointRecord::all(s.description(), solved, 30);
    assert_eq!(
        json(&records[0]),
        r#"{"beta":"0.5","beta_star":"1.84260715460571901200541670017","critical_types":["0.707106781186547524400844362105","0.547722557505166113456969782801","0.447213595499957939281834733746"],"description":"three agents, unequal shares, uniform types, one beta","digits":30,"e_max":"0.750000000000000000000000000000","efficient":true,"mu":"0.500000000000000000000000000000","n":"3","shares":[["0.5","1"],["0.3","1"],["0.2","1"]],"t1":"0.0951247487034565439374132915721","t2":"-0.250000000000000000000000000000","theorem1_lhs":"0.0693122068206993012603155068341","verdict":"efficient for beta in [0, 1.84260715460571901200541670017]"}"#
    );
}

#[test]
fn a_point_of_a_sweep_carries_its_index_and_the_grid_size() {
    let s = spec(
        "description: Cramton-Gibbons-Klemperer as the special case n = 2, shares (r, 1 - r), beta = 0, uniform types
distribution: {family: uniform}
market:
  shares: [r, 1 - r]
  r: {from: 0, to: 1, step: 0.01}
beta: 0
",
    );
    let solved = solve_points(&s, &[51], 20, None, &|| {});
    let record = PointRecord::new(s.description(), solved.into_iter().next().unwrap(), 20);
    assert_eq!(
        json(&record.in_sweep(s.len())),
        r#"{"beta":"0","beta_star":"1.9952057530962844586","critical_types":["0.51000000000000000000","0.49000000000000000000"],"description":"Cramton-Gibbons-Klemperer as the special case n = 2, shares (r, 1 - r), beta = 0, uniform types","digits":20,"e_max":"0.66666666666666666667","efficient":true,"index":51,"mu":"0.50000000000000000000","n":"2","points":101,"r":"0.51","shares":[["0.51","1"],["0.49","1"]],"t1":"0.083233333333333333333","t2":"-0.16666666666666666667","theorem1_lhs":"0.083233333333333333333","verdict":"efficient for beta in [0, 1.9952057530962844586]"}"#
    );
}

#[test]
fn a_failed_point_keeps_its_inputs_and_states_the_error() {
    let s = spec(THREE_AGENTS);
    let mut solved = solve_spec(&s, 10, None, &|| {});
    solved[0].result = Err(NumericError::NotConverged {
        what: "the critical type".into(),
    });
    let record = PointRecord::new(s.description(), solved.remove(0), 10);
    assert_eq!(
        json(&record),
        r#"{"beta":"0.5","description":"three agents, unequal shares, uniform types, one beta","error":"the critical type did not converge","n":"3","shares":[["0.5","1"],["0.3","1"],["0.2","1"]]}"#
    );
    assert_eq!(record.n_t1(), None);
}

#[test]
fn a_replication_family_serialises_its_points_and_growth_as_replicate_printed_them() {
    let s = spec(
        "description: m-fold replications of Myerson-Satterthwaite with F(x) = x^2
distribution: {cdf: \"x^2\", support: [0, 1]}
market:
  replicate: {shares: [1, 0], m: [1, 10, 1000, 1000000000000]}
",
    );
    let study = replication(&s, 30, &|| {});
    assert!(study.expansion.is_ok());
    let [family] = study.families.as_slice() else {
        panic!("one family: {:?}", study.families.len())
    };
    let mut lines: Vec<String> = family
        .points
        .iter()
        .map(|p| json(&p.replicated()))
        .collect();
    lines.extend(family.growth_line().map(|g| json(&g)));
    let expected = [
        r#"{"N":"2","beta":null,"beta_star":null,"critical_types":["1.00000000000000000000000000000","0"],"description":"m-fold replications of Myerson-Satterthwaite with F(x) = x^2","digits":30,"e_max":"0.800000000000000000000000000000","efficient":null,"m":"1","mu":"0.666666666666666666666666666667","n":"2","n_t1":"-0.266666666666666666666666666667","shares":[["1","1"],["0","1"]],"t1":"-0.133333333333333333333333333333","t2":"-0.133333333333333333333333333333","theorem1_lhs":null,"verdict":"no beta (T1 < 0)"}"#,
        r#"{"N":"20","beta":null,"beta_star":"2.43428632505465536611273572746","critical_types":["0.941204967268066765712931193957","0"],"description":"m-fold replications of Myerson-Satterthwaite with F(x) = x^2","digits":30,"e_max":"0.975609756097560975609756097561","efficient":null,"m":"10","mu":"0.666666666666666666666666666667","n":"20","n_t1":"0.670452295138861526194536583043","shares":[["0.1","10"],["0","10"]],"t1":"0.0335226147569430763097268291521","t2":"-0.308943089430894308943089430894","theorem1_lhs":null,"verdict":"efficient for beta in [0, 2.43428632505465536611273572746]"}"#,
        r#"{"N":"2000","beta":null,"beta_star":"8.90211898435354047516617524267","critical_types":["0.998273689070717759959004813323","0"],"description":"m-fold replications of Myerson-Satterthwaite with F(x) = x^2","digits":30,"e_max":"0.999750062484378905273681579605","efficient":null,"m":"1000","mu":"0.666666666666666666666666666667","n":"2000","n_t1":"2.95200845602263514282456193744","shares":[["0.001","1000"],["0","1000"]],"t1":"0.00147600422801131757141228096872","t2":"-0.333083395817712238607014912938","theorem1_lhs":null,"verdict":"efficient for beta in [0, 8.90211898435354047516617524267]"}"#,
        r#"{"N":"2000000000000","beta":null,"beta_star":"39.9465316745886052914134823991","critical_types":["0.999999999993092244721038267612","0"],"description":"m-fold replications of Myerson-Satterthwaite with F(x) = x^2","digits":30,"e_max":"0.999999999999750000000000062500","efficient":null,"m":"1000000000000","mu":"0.666666666666666666666666666667","n":"2000000000000","n_t1":"13.3155105579202608987532091316","shares":[["0.000000000001","1000000000000"],["0","1000000000000"]],"t1":"6.65775527896013044937660456579e-12","t2":"-0.333333333333083333333333395833","theorem1_lhs":null,"verdict":"efficient for beta in [0, 39.9465316745886052914134823991]"}"#,
        r#"{"base_shares":"1 x 1; 1 x 0","description":"m-fold replications of Myerson-Satterthwaite with F(x) = x^2","growth":{"alpha":1,"fitted_from_n":"20","intercept":"-2.1875204760776","points":3,"predicted_slope":"1.5000000000000000000000000000","relative_difference":"0.00918","slope":"1.486235994880681"}}"#,
    ];
    assert_eq!(lines, expected);
}

#[test]
fn lemma3_serialises_its_constants_rows_and_fit_as_lemma3_printed_them() {
    let s = spec(THREE_AGENTS);
    let l = lemma3(s.distribution(), &[2, 3, 4], 30, &|| {}).unwrap();
    let report = Lemma3Report {
        description: s.description().to_string(),
        lemma3: l,
        rigor: None,
    };
    assert_eq!(
        json(&report),
        r#"{"a1":"1.00000000000000000000000000000","a2":"1.00000000000000000000000000000","a2_paper":"0.581976706869326424385002005109","a2_paper_agrees":false,"alpha":1,"b":"1.00000000000000000000000000000","c":"1.00000000000000000000000000000","derivative":"1.00000000000000000000000000000","description":"three agents, unequal shares, uniform types, one beta","fit":{"a2":"0.99630881291025","alpha":"1.000390802869676","fitted_from_n":"1000","points":2},"rows":[{"N":"100","gap":"0.0387448339699749213936003878875","integral":"0.00990099009900990099009900990099","m":"50","scaled_gap":"0.980500001586192105435134412040","scaled_integral":"0.990099009900990099009900990099"},{"N":"1000","gap":"0.00620151963176756400542582817803","integral":"0.000999000999000999000999000999001","m":"500","scaled_gap":"0.996896025303463177650223462483","scaled_integral":"0.999000999000999000999000999001"},{"N":"10000","gap":"0.000851441817124315872864862836106","integral":"0.0000999900009999000099990000999900","m":"5000","scaled_gap":"0.999574218652940992359984995948","scaled_integral":"0.999900009999000099990000999900"}],"zero_test_bits":256}"#
    );
}

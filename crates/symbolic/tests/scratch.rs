use efftrade_model::{Spec, Market};
use efftrade_symbolic::*;
use std::path::Path;

#[test]
fn scratch() {
    let t0 = std::time::Instant::now();
    for (file, n) in [("specs/example1-uniform.yaml", 3u128), ("specs/example1-sine-solved.yaml", 2), ("specs/family-beta22.yaml", 3), ("specs/family-truncated-exponential.yaml", 2), ("specs/example1-sine-renormalized.yaml", 2)] {
        let spec = Spec::load(&Path::new("../..").join(file)).unwrap();
        let m = Market::symmetric(n).unwrap();
        let forms = closed::derive(&spec.distribution, &m, 12).unwrap();
        println!("{file} n={n}\n mu={}\n emax={}\n t2={}\n t1={}\n lemma2 {:?} t1forms {:?}", forms.mu, forms.e_max, forms.t2, forms.t1, forms.lemma2_exact, forms.t1_forms_exact);
        let v = forms.values(&spec.distribution, 40).unwrap();
        let sol = efftrade_numeric::quantities::solve(&spec.distribution, &m, None, 40).unwrap();
        println!(" t1 {} vs {}\n t2 {} vs {}\n t1def {} t2def {}", v.t1.to_decimal(), sol.t1.to_decimal(), v.t2.to_decimal(), sol.t2.to_decimal(), v.t1_definition.to_decimal(), v.t2_definition.to_decimal());
        let l3 = lemma3::derive(&spec.distribution, 3, |p| forms.bindings(&spec.distribution, p)).unwrap();
        println!(" alpha {} c {} a2 {} paper {}\n expansion {}", l3.alpha, l3.c, l3.a2, l3.paper_a2, l3.expansion);
        println!(" {:?}", t0.elapsed());
    }
    let fam = family::power_family();
    println!("family mu {}\n emax {}\n t2 {}\n t1 {}\n t1eq {}\n beq {}", fam.mu, fam.e_max, fam.t2, fam.t1, fam.t1_equal, fam.beta_star_equal);
    for c in identities::check_all() {
        println!("{} {:?} {} {:?} {:?}", c.label, c.verdict, c.cases, c.residual, c.correction.map(|c| c.holds));
    }
    println!(" {:?}", t0.elapsed());
}

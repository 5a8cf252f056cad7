//! What `efftrade derive` and `efftrade identities` write: every derived expression in
//! Symbolica's text form and in LaTeX, beside its value with certified digits and the numeric
//! engine's value for comparison; YAML for machines.

use std::fmt::Write as _;

use efftrade_model::{Family, Market, Spec};
use efftrade_numeric::Certified;
use efftrade_render::latex::{Equation, align_star, comment};
use serde::Serialize;
use symbolica::atom::{Atom, AtomCore};
use symbolica::printer::PrintOptions;

use crate::SymbolicError;
use crate::closed::{self, MarketForms, MarketValues};
use crate::family::{FamilyForms, power_family};
pub use crate::identities::{IdentityRecord, identities_text, identity_records};
use crate::lemma3::{self, Lemma3Forms, ZeroTest};
use crate::lemma3_family::FamilyLemma3Report;

/// An expression in text and LaTeX.
#[derive(Clone, Debug, Serialize)]
pub struct Printed {
    /// Symbolica's text form.
    pub text: String,
    /// LaTeX.
    pub latex: String,
}

impl Printed {
    /// Prints `atom`.
    pub fn of(atom: &Atom) -> Printed {
        Printed {
            text: atom.to_string(),
            latex: format!("{}", atom.printer(PrintOptions::latex())),
        }
    }
}

/// A derived quantity: its closed form, its certified value, and the numeric engine's.
#[derive(Clone, Debug, Serialize)]
pub struct Quantity {
    /// The name (`mu`, `T1`, ...).
    pub name: String,
    /// The closed form.
    pub form: Printed,
    /// The closed form's value, certified digits only.
    pub value: String,
    /// The numeric engine's value, certified digits only (when it computes this quantity).
    pub engine: Option<String>,
    /// Digits on which the two agree.
    pub agreeing_digits: Option<u32>,
}

/// Leading significant digits on which two certified values agree.
pub fn agreement(x: &Certified, y: &Certified) -> u32 {
    let most = x.digits().min(y.digits());
    (0..=most)
        .rev()
        .find(|&d| d == 0 || x.to_decimal_at(d) == y.to_decimal_at(d))
        .unwrap_or(0)
}

/// One market point's closed forms.
#[derive(Clone, Debug, Serialize)]
pub struct MarketReport {
    /// The number of agents.
    pub n: u32,
    /// The share classes as `share x count` with the symbol of the critical type.
    pub classes: Vec<String>,
    /// The critical types exactly, when they are algebraic numbers: `v1 = 1/2`, a radical, or
    /// the root of a minimal polynomial in an isolating interval.
    pub critical_types: Vec<String>,
    /// The quantities.
    pub quantities: Vec<Quantity>,
    /// Lemma 2 (definition of T2 = mu - E[max]): `exact`, `numeric (D digits)` or `fails`.
    pub lemma2: String,
    /// Definition (T1-1) = one-dimensional T1: as for `lemma2`.
    pub t1_forms: String,
}

/// The power family's symbolic forms.
#[derive(Clone, Debug, Serialize)]
pub struct FamilyReport {
    /// The quantities, in `n, k, a, b, S`.
    pub quantities: Vec<(String, Printed)>,
}

/// Lemma 3's exact constants.
#[derive(Clone, Debug, Serialize)]
pub struct Lemma3Report {
    /// `alpha`.
    pub alpha: u32,
    /// How the derivatives below `alpha` vanish.
    pub zero_tests: Vec<String>,
    /// `c`, `A1`, `A2`, the paper's A2, each with value and the numeric engine's value.
    pub quantities: Vec<Quantity>,
    /// Watson's expansion of `Int F^N` in `N`.
    pub expansion: Printed,
    /// Whether the paper's value of A2 agrees with Laplace's.
    pub paper_a2_agrees: bool,
}

/// Everything derived for one spec.
#[derive(Clone, Debug, Serialize)]
pub struct SpecReport {
    /// The spec's description.
    pub description: String,
    /// The CDF as written.
    pub cdf: Printed,
    /// The support `[a, b]` (`b` the symbol `b` when solved from `F(b) = 1`).
    pub support: [String; 2],
    /// What the constant symbols `b` and `Z` of the forms stand for, with their values.
    pub symbols: Vec<String>,
    /// Closed forms per market point (fixed n), or why none.
    pub markets: Vec<MarketReport>,
    /// Market points skipped, with the reason.
    pub skipped: Vec<String>,
    /// The power family's forms with `n` and `k` as symbols, for power-family and uniform specs.
    pub family: Option<FamilyReport>,
    /// Lemma 3, or why it could not be derived.
    pub lemma3: Result<Lemma3Report, String>,
    /// Lemma 3 in the parameters of the spec's family (power, Beta, Kumaraswamy), when it is one.
    pub family_lemma3: Option<FamilyLemma3Report>,
}

pub(crate) fn quantity(
    name: &str,
    form: &Atom,
    value: &Certified,
    engine: Option<&Certified>,
) -> Quantity {
    Quantity {
        name: name.to_string(),
        form: Printed::of(form),
        value: value.to_decimal(),
        engine: engine.map(Certified::to_decimal),
        agreeing_digits: engine.map(|e| agreement(value, e)),
    }
}

fn exactness(exact: Option<bool>, def: &Certified, one_d: &Certified) -> String {
    match exact {
        Some(true) => "holds exactly".to_string(),
        Some(false) => "fails exactly".to_string(),
        None => {
            let d = agreement(def, one_d);
            if d >= def.digits().min(one_d.digits()) && d > 0 {
                format!(
                    "holds to {d} digits (exact reduction needs F(b) = 1 or the normalising constant)"
                )
            } else {
                format!("differs after {d} digits")
            }
        }
    }
}

/// Derives one market's report, comparing with the numeric engine at `digits` digits.
pub fn market_report(
    spec: &Spec,
    market: &Market,
    max_agents: u32,
    digits: u32,
) -> Result<MarketReport, SymbolicError> {
    let dist = spec.distribution();
    let forms: MarketForms = closed::derive(dist, market, max_agents)?;
    let values: MarketValues = forms.values(dist, digits)?;
    let engine = efftrade_numeric::quantities::solve(dist, market, None, digits)?;
    let exact = crate::exact::exact_forms(dist, &forms)?;
    // With exact critical types, the forms in the symbols v1, v2, ... are named T1(v*) and
    // beta*(v*), and T1, beta* are the exact numbers.
    let (t1_name, star_name) = match &exact {
        Some(_) => ("T1(v*)", "beta*(v*)"),
        None => ("T1", "beta*"),
    };
    let mut quantities = vec![
        quantity("mu", &forms.mu, &values.mu, Some(&engine.mu)),
        quantity("E[max]", &forms.e_max, &values.e_max, Some(&engine.e_max)),
        quantity("T2", &forms.t2, &values.t2, Some(&engine.t2)),
        quantity(t1_name, &forms.t1, &values.t1, Some(&engine.t1)),
    ];
    if let Some(star) = &values.beta_star {
        quantities.push(quantity(
            star_name,
            &forms.beta_star,
            star,
            engine.beta_star.as_ref(),
        ));
    }
    let mut critical_types = Vec::new();
    if let Some(x) = &exact {
        let t1 = x.value(&x.t1, digits)?;
        quantities.push(quantity("T1", &x.t1, &t1, Some(&engine.t1)));
        if values.beta_star.is_some() {
            let star = x.value(&x.beta_star, digits)?;
            quantities.push(quantity(
                "beta*",
                &x.beta_star,
                &star,
                engine.beta_star.as_ref(),
            ));
        }
        for c in &x.critical {
            let value = x.value(&crate::parse_atom(&c.symbol), digits);
            let value = match (&c.radical, c.number.as_rational()) {
                (_, Some(_)) => String::new(),
                (Some(r), None) => format!(" = {}", x.value(r, digits)?.to_decimal()),
                (None, None) => format!(" = {}", value?.to_decimal()),
            };
            critical_types.push(format!("{}{value}", c.describe()));
        }
    }
    let classes = forms
        .classes
        .iter()
        .map(|c| format!("{} x {} (v* = {})", c.share, c.count, c.critical))
        .collect();
    Ok(MarketReport {
        n: forms.n,
        classes,
        critical_types,
        quantities,
        lemma2: exactness(forms.lemma2_exact, &values.t2_definition, &values.t2),
        t1_forms: exactness(forms.t1_forms_exact, &values.t1_definition, &values.t1),
    })
}

/// Derives Lemma 3's report for `spec`, with `order` terms of Watson's expansion.
pub fn lemma3_report(spec: &Spec, order: u32, digits: u32) -> Result<Lemma3Report, SymbolicError> {
    let dist = spec.distribution();
    let bind = |prec: u32| closed::constants(dist, prec);
    let forms: Lemma3Forms = lemma3::derive(dist, order, bind)?;
    let w = &forms.watson;
    let engine = efftrade_numeric::lemma3::expansion(dist, digits)?;
    let value = |a: &Atom| forms.value(a, None, digits, bind);
    let c = value(&w.c)?;
    let a1 = value(&w.a1)?;
    let a2 = value(&w.a2)?;
    let mut quantities = vec![
        quantity("c", &w.c, &c, Some(&engine.c)),
        quantity("A1", &w.a1, &a1, Some(&engine.a1)),
        quantity("A2", &w.a2, &a2, Some(&engine.a2)),
    ];
    // The paper's value: in closed form for alpha = 1, else the numeric engine's sum.
    if forms.alpha == 1 {
        let paper = value(&w.paper_a2)?;
        quantities.push(quantity(
            "A2 (paper's proof)",
            &w.paper_a2,
            &paper,
            Some(&engine.a2_paper),
        ));
    } else {
        quantities.push(Quantity {
            name: "A2 (paper's proof)".to_string(),
            form: Printed::of(&w.paper_a2),
            value: engine.a2_paper.to_decimal(),
            engine: Some(engine.a2_paper.to_decimal()),
            agreeing_digits: None,
        });
    }
    let zero_tests = forms
        .derivatives
        .iter()
        .enumerate()
        .map(|(k, (atom, test))| {
            let how = match test {
                ZeroTest::ExactlyZero => "exactly 0".to_string(),
                ZeroTest::NonZero => "non-zero (certified digits)".to_string(),
                ZeroTest::NumericallyZero { bits } => format!("below 2^-{bits}: taken as 0"),
            };
            format!("F^({})(b) = {atom}: {how}", k + 1)
        })
        .collect();
    Ok(Lemma3Report {
        alpha: forms.alpha,
        zero_tests,
        quantities,
        expansion: Printed::of(&w.expansion),
        paper_a2_agrees: engine.paper_a2_agrees(),
    })
}

/// The power family's report.
pub fn family_report() -> FamilyReport {
    let f: FamilyForms = power_family();
    FamilyReport {
        quantities: vec![
            ("mu".to_string(), Printed::of(&f.mu)),
            ("E[max]".to_string(), Printed::of(&f.e_max)),
            ("T2".to_string(), Printed::of(&f.t2)),
            ("T1".to_string(), Printed::of(&f.t1)),
            ("beta*".to_string(), Printed::of(&f.beta_star)),
            ("T1 (equal shares)".to_string(), Printed::of(&f.t1_equal)),
            (
                "beta* (equal shares)".to_string(),
                Printed::of(&f.beta_star_equal),
            ),
        ],
    }
}

/// What [`spec_report`] derives.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Markets with more agents are skipped.
    pub max_agents: u32,
    /// Significant digits of each value.
    pub digits: u32,
    /// Terms of Watson's expansion of `Int F^N`.
    pub order: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_agents: closed::DEFAULT_MAX_AGENTS,
            digits: 40,
            order: 3,
        }
    }
}

/// Derives everything for `spec`: closed forms for each distinct market point with at most
/// `max_agents` agents, the family forms, and Lemma 3.
pub fn spec_report(spec: &Spec, options: Options) -> Result<SpecReport, SymbolicError> {
    let Options {
        max_agents,
        digits,
        order,
    } = options;
    let cdf = crate::to_atom(&spec.distribution().cdf());
    let mut markets = Vec::new();
    let mut skipped = Vec::new();
    let mut seen: Vec<Market> = Vec::new();
    for point in spec.points() {
        let market = match point.replication() {
            Some((replicated, _)) => replicated.clone(),
            None => point.market().clone(),
        };
        if seen.contains(&market) {
            continue;
        }
        seen.push(market.clone());
        match market_report(spec, &market, max_agents, digits) {
            Ok(r) => markets.push(r),
            Err(SymbolicError::TooLarge(why)) => skipped.push(format!("n = {}: {why}", market.n())),
            Err(e) => return Err(e),
        }
    }
    let family = matches!(
        spec.distribution().family(),
        Some(Family::Uniform) | Some(Family::Power { .. })
    )
    .then(family_report);
    let lemma3 = lemma3_report(spec, order, digits).map_err(|e| e.to_string());
    let family_lemma3 = crate::lemma3_family::family_report(spec.distribution(), order, digits)?;
    let mut symbols = Vec::new();
    let dist = spec.distribution();
    let value = |e: &efftrade_model::Expr| -> Result<String, SymbolicError> {
        let c = crate::eval::certified(&crate::to_atom(e), digits, |p| closed::constants(dist, p))?;
        Ok(c.to_decimal())
    };
    if dist.upper_is_solved() {
        let b = crate::eval::certified(&crate::parse_atom("b"), digits, |p| {
            closed::constants(dist, p)
        })?;
        symbols.push(format!("b = the root of F(b) = 1 = {}", b.to_decimal()));
    }
    if let Some(z) = closed::normaliser(dist) {
        symbols.push(format!(
            "Z = F(b) as written = {} = {}",
            crate::to_atom(&z),
            value(&z)?
        ));
    }
    Ok(SpecReport {
        description: spec.description().to_string(),
        cdf: Printed::of(&cdf),
        support: support(dist),
        symbols,
        markets,
        skipped,
        family,
        lemma3,
        family_lemma3,
    })
}

/// The support `[a, b]` of `dist` as atom text, `b` when solved from `F(b) = 1`.
pub fn support(dist: &efftrade_model::Distribution) -> [String; 2] {
    let a = crate::to_atom(dist.lower()).expand().to_string();
    let b = match dist.upper() {
        efftrade_model::UpperEnd::Given(e) => crate::to_atom(e).expand().to_string(),
        efftrade_model::UpperEnd::Solve => "b".to_string(),
    };
    [a, b]
}

fn write_quantity(out: &mut String, q: &Quantity) {
    let _ = writeln!(out, "  {} = {}", q.name, q.form.text);
    let _ = write!(out, "    = {}", q.value);
    match (&q.engine, q.agreeing_digits) {
        (Some(e), Some(d)) => {
            let _ = writeln!(out, "   (numeric engine {e}: {d} digits agree)");
        }
        (Some(e), None) => {
            let _ = writeln!(out, "   (numeric engine {e})");
        }
        _ => {
            let _ = writeln!(out);
        }
    }
}

/// The report as plain text.
pub fn to_text(r: &SpecReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\nF(x) = {} on [{}, {}]",
        r.description, r.cdf.text, r.support[0], r.support[1]
    );
    for note in &r.symbols {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(out);
    for m in &r.markets {
        let _ = writeln!(out, "## n = {}; classes: {}", m.n, m.classes.join(", "));
        for c in &m.critical_types {
            let _ = writeln!(out, "  critical type {c}");
        }
        for q in &m.quantities {
            write_quantity(&mut out, q);
        }
        let _ = writeln!(out, "  Lemma 2 (T2 definition = mu - E[max]): {}", m.lemma2);
        let _ = writeln!(
            out,
            "  T1 definition (T1-1) = one-dimensional form: {}\n",
            m.t1_forms
        );
    }
    for s in &r.skipped {
        let _ = writeln!(out, "skipped {s}");
    }
    if let Some(f) = &r.family {
        let _ = writeln!(
            out,
            "## Power family F = ((x-a)/(b-a))^k, n agents, S = sum_i r_i^(1 + 1/(k(n-1)))"
        );
        for (name, p) in &f.quantities {
            let _ = writeln!(out, "  {name} = {}", p.text);
        }
        let _ = writeln!(out);
    }
    match &r.lemma3 {
        Ok(l) => {
            let _ = writeln!(out, "## Lemma 3: alpha = {}", l.alpha);
            for z in &l.zero_tests {
                let _ = writeln!(out, "  {z}");
            }
            for q in &l.quantities {
                write_quantity(&mut out, q);
            }
            let _ = writeln!(out, "  Int_a^b F^N dp ~ {}", l.expansion.text);
            let _ = writeln!(
                out,
                "  the paper's A2 {} Laplace's",
                if l.paper_a2_agrees {
                    "agrees with"
                } else {
                    "differs from"
                }
            );
        }
        Err(e) => {
            let _ = writeln!(out, "## Lemma 3: {e}");
        }
    }
    if let Some(f) = &r.family_lemma3 {
        let _ = writeln!(
            out,
            "\n## Lemma 3 in the parameters: family {}: alpha = {}\n  F(x) = {} on [{}, {}]\n  here {}",
            f.family,
            f.alpha.text,
            f.cdf.text,
            f.support[0],
            f.support[1],
            f.parameters.join(", ")
        );
        for q in &f.quantities {
            write_quantity(&mut out, q);
        }
        let _ = writeln!(out, "  Int_a^b F^N dp ~ {}", f.expansion.text);
    }
    out
}

/// The report as a LaTeX fragment: the description and notes as comments, then one `align*`
/// block per market, for the power family and for Lemma 3.
pub fn to_latex(r: &SpecReport) -> String {
    let quantity = |q: &Quantity| Equation::new(latex_name(&q.name), q.form.latex.clone());
    let mut out = comment(&r.description);
    let _ = writeln!(out, "\\[ F(x) = {} \\]", r.cdf.latex);
    for note in &r.symbols {
        out.push_str(&comment(note));
    }
    for m in &r.markets {
        out.push_str(&comment(&format!(
            "n = {}; classes: {}",
            m.n,
            m.classes.join(", ")
        )));
        for c in &m.critical_types {
            out.push_str(&comment(&format!("critical type {c}")));
        }
        let rows: Vec<Equation> = m.quantities.iter().map(quantity).collect();
        out.push_str(&align_star(&rows));
    }
    if let Some(f) = &r.family {
        out.push_str(&comment("power family, S = \\sum_i r_i^{1 + 1/(k(n-1))}"));
        let rows: Vec<Equation> = f
            .quantities
            .iter()
            .map(|(n, p)| Equation::new(latex_name(n), p.latex.clone()))
            .collect();
        out.push_str(&align_star(&rows));
    }
    if let Ok(l) = &r.lemma3 {
        out.push_str(&comment(&format!("Lemma 3, alpha = {}", l.alpha)));
        let mut rows: Vec<Equation> = l.quantities.iter().map(quantity).collect();
        rows.push(Equation::with_relation(
            "\\int_a^b F^N\\,dp",
            "\\sim",
            l.expansion.latex.clone(),
        ));
        out.push_str(&align_star(&rows));
    }
    if let Some(f) = &r.family_lemma3 {
        out.push_str(&comment(&format!(
            "Lemma 3 in the parameters of {}, here {}",
            f.family,
            f.parameters.join(", ")
        )));
        let mut rows = vec![
            Equation::new("F(x)", f.cdf.latex.clone()),
            Equation::new("\\alpha", f.alpha.latex.clone()),
        ];
        rows.extend(f.quantities.iter().map(quantity));
        rows.push(Equation::with_relation(
            "\\int_a^b F^N\\,dp",
            "\\sim",
            f.expansion.latex.clone(),
        ));
        out.push_str(&align_star(&rows));
    }
    out
}

fn latex_name(name: &str) -> String {
    match name {
        "mu" => "\\mu".to_string(),
        "E[max]" => "E[\\max]".to_string(),
        "T1" => "T_1".to_string(),
        "T1(v*)" => "T_1(v^*)".to_string(),
        "beta*(v*)" => "\\beta^*(v^*)".to_string(),
        "T2" => "T_2".to_string(),
        "beta*" => "\\beta^*".to_string(),
        "A1" => "A_1".to_string(),
        "A2" => "A_2".to_string(),
        "A2 (paper's proof)" => "A_2^{\\text{paper}}".to_string(),
        "T1 (equal shares)" => "T_1^{\\text{equal}}".to_string(),
        "beta* (equal shares)" => "\\beta^{*,\\text{equal}}".to_string(),
        other => other.to_string(),
    }
}

//! Reading CDFs defined in pieces: `distribution.piecewise` (formulas joined continuously at
//! breakpoints) and `distribution.empirical` (a CSV of observations or quantiles turned into a
//! monotone cubic interpolant, see [`interpolant`]).

use std::path::{Path, PathBuf};

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::checks;
use super::join;
use super::load::Ctx;
use super::schema::{RawDistribution, RawEmpirical, RawPiece};
use crate::distribution::{Distribution, UpperEnd};
use crate::error::{ErrorKind, SpecError};
use crate::expr::{Expr, Func, Pieces};
use crate::interval::IntervalExpr;
use crate::parse::{parse, parse_in};

const P: &str = "distribution.piecewise";
const E: &str = "distribution.empirical";

/// Most rows read from an empirical CSV.
pub const MAX_ROWS: usize = 100_000;

impl Ctx {
    /// The entry `raw` holds `piecewise` or `empirical` beside nothing it conflicts with.
    fn only_pieces(&self, raw: &RawDistribution, key: &str) -> Result<(), SpecError> {
        let others = [
            ("cdf", raw.cdf.is_some()),
            ("family", raw.family.is_some()),
            ("mixture", raw.mixture.is_some()),
            ("renormalize", raw.renormalize.is_some()),
        ];
        if let Some((other, _)) = others.into_iter().find(|(_, present)| *present) {
            return Err(self.err(
                ErrorKind::Conflict,
                &join("distribution", other),
                format!("give `{key}` alone: `{other}` describes the CDF another way"),
            ));
        }
        if raw.piecewise.is_some() && raw.empirical.is_some() {
            return Err(self.err(
                ErrorKind::Conflict,
                E,
                "give either `piecewise` or `empirical`, not both",
            ));
        }
        self.no_family_parameters(raw, "distribution")
    }

    /// A piecewise CDF on `[lower, upper]`: each piece but the last ends at its `to`, the
    /// breakpoints increase inside the support, and the pieces agree at each breakpoint.
    pub(super) fn piecewise(
        &self,
        raw: &RawDistribution,
        pieces: &[RawPiece],
        lower: Expr,
        upper: Expr,
    ) -> Result<Distribution, SpecError> {
        self.only_pieces(raw, "piecewise")?;
        if pieces.len() < 2 {
            return Err(self.err(
                ErrorKind::WrongType,
                P,
                format!(
                    "a piecewise CDF needs at least two pieces, found {}",
                    pieces.len()
                ),
            ));
        }
        let (a, b) = (lower.eval_f64(0.0), upper.eval_f64(0.0));
        let mut breaks: Vec<BigRational> = Vec::new();
        let mut exprs = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            let at = format!("{P}[{i}]");
            let f = parse(&piece.cdf)
                .map_err(|e| self.expression_error(&join(&at, "cdf"), e, "the piece's CDF"))?;
            exprs.push(f);
            let last = i + 1 == pieces.len();
            match (&piece.to, last) {
                (Some(_), true) => {
                    return Err(self.err(
                        ErrorKind::Conflict,
                        &join(&at, "to"),
                        "the last piece runs to the upper end of the support: remove its `to`",
                    ));
                }
                (None, false) => {
                    return Err(self
                        .err(
                            ErrorKind::MissingKey,
                            &at,
                            "every piece but the last needs `to`, the breakpoint where it ends",
                        )
                        .with_help("for example `{cdf: \"2*x^2\", to: 0.5}`"));
                }
                (None, true) => {}
                (Some(v), false) => {
                    let path = join(&at, "to");
                    let t = self.rational(&path, v, "a breakpoint")?;
                    let tf = crate::expr::rational_to_f64(&t);
                    if !(tf > a && tf < b) {
                        return Err(self.err(
                            ErrorKind::BadSupport,
                            &path,
                            format!(
                                "the breakpoint {} lies outside the support ({}, {})",
                                Expr::Num(t.clone()),
                                lower,
                                upper
                            ),
                        ));
                    }
                    if let Some(previous) = breaks.last()
                        && t <= *previous
                    {
                        return Err(self.err(
                            ErrorKind::BadParameter,
                            &path,
                            format!(
                                "the breakpoints must increase: {} follows {}",
                                Expr::Num(t.clone()),
                                Expr::Num(previous.clone())
                            ),
                        ));
                    }
                    breaks.push(t);
                }
            }
        }
        for (i, t) in breaks.iter().enumerate() {
            self.continuous_at(&exprs[i], &exprs[i + 1], t, &format!("{P}[{}]", i + 1))?;
        }
        let pieces = Pieces::new(breaks, exprs)
            .ok_or_else(|| self.err(ErrorKind::BadParameter, P, "malformed pieces"))?;
        let cdf = Expr::Var.call(Func::Piecewise(pieces));
        checks::cdf_distribution(cdf, lower, UpperEnd::Given(upper), false)
    }

    /// Refuses a jump at the breakpoint `t` between the pieces `left` and `right` (the latter
    /// written at `at`): decided exactly where both pieces are rational there, else by
    /// double-precision enclosures that must meet within the tolerance of a CDF's ends.
    fn continuous_at(
        &self,
        left: &Expr,
        right: &Expr,
        t: &BigRational,
        at: &str,
    ) -> Result<(), SpecError> {
        let show = |q: &BigRational| Expr::Num(q.clone()).to_string();
        let (l, r) = (left.eval_rational(Some(t)), right.eval_rational(Some(t)));
        let jump = match (l, r) {
            (Some(l), Some(r)) => (l != r).then(|| (show(&l), show(&r))),
            _ => {
                let x = crate::interval::Interval::of_rational(t);
                let (l, r) = (
                    IntervalExpr::compile(left).eval(x),
                    IntervalExpr::compile(right).eval(x),
                );
                match (l, r) {
                    (Ok(l), Ok(r)) => {
                        let tol = crate::distribution::ENDPOINT_TOLERANCE;
                        (l.lo > r.hi + tol || r.lo > l.hi + tol)
                            .then(|| (format!("{:.12}", l.mid()), format!("{:.12}", r.mid())))
                    }
                    _ => Some(("undefined".into(), "undefined".into())),
                }
            }
        };
        match jump {
            None => Ok(()),
            Some((l, r)) => Err(self
                .err(
                    ErrorKind::BadParameter,
                    &join(at, "cdf"),
                    format!(
                        "the CDF jumps at the breakpoint x = {}: the piece before gives {l}, this \
                         piece {r}",
                        show(t)
                    ),
                )
                .with_help(
                    "a CDF of types is continuous: make the pieces agree at each breakpoint",
                )),
        }
    }

    /// An empirical CDF from a CSV file (observations, or quantiles with their probabilities),
    /// turned into its monotone cubic interpolant on `[lower, upper]` (the data's range unless
    /// a support is given).
    pub(super) fn empirical(
        &self,
        raw: &RawDistribution,
        spec: &RawEmpirical,
        support: Option<(Expr, Expr)>,
    ) -> Result<Distribution, SpecError> {
        self.only_pieces(raw, "empirical")?;
        let (file, quantiles) = match (&spec.observations, &spec.quantiles) {
            (Some(f), None) => (f, false),
            (None, Some(f)) => (f, true),
            _ => {
                return Err(self
                    .err(
                        ErrorKind::MissingKey,
                        E,
                        "give `observations: FILE` or `quantiles: FILE` (a CSV file)",
                    )
                    .with_help(
                        "observations: one number per row (the column `column`, else the \
                         first); quantiles: columns `x` and `p`, p from 0 to 1",
                    ));
            }
        };
        let key = if quantiles {
            "quantiles"
        } else {
            "observations"
        };
        let path = self.relative(file);
        let table = read_csv(&path).map_err(|m| self.err(ErrorKind::Io, &join(E, key), m))?;
        let bad = |m: String| self.err(ErrorKind::BadParameter, &join(E, key), m);
        let (knots, values) = if quantiles {
            if spec.column.is_some() {
                return Err(self.err(
                    ErrorKind::Conflict,
                    &join(E, "column"),
                    "quantiles are read from the columns `x` and `p`: remove `column`",
                ));
            }
            quantile_knots(&table, &path, support.as_ref()).map_err(bad)?
        } else {
            let column = spec.column.as_deref();
            let data = column_values(&table, &path, column).map_err(bad)?;
            observation_knots(data, &path, support.as_ref()).map_err(bad)?
        };
        let (lower, upper) = (
            Expr::Num(knots[0].clone()),
            Expr::Num(knots[knots.len() - 1].clone()),
        );
        let (lower, upper) = support.unwrap_or((lower, upper));
        let cdf = interpolant(&knots, &values);
        checks::cdf_distribution(cdf, lower, UpperEnd::Given(upper), false)
    }

    /// A data file's path: relative to the spec's directory.
    fn relative(&self, file: &str) -> PathBuf {
        match &self.dir {
            Some(dir) if Path::new(file).is_relative() => dir.join(file),
            _ => PathBuf::from(file),
        }
    }
}

/// A CSV table: its header (when its first row is not numeric) and its rows of fields, each
/// with its line number.
struct Table {
    header: Option<Vec<String>>,
    rows: Vec<(usize, Vec<String>)>,
}

fn read_csv(path: &Path) -> Result<Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the CSV file {}: {e}", path.display()))?;
    let mut header = None;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<String> = line.split(',').map(|f| f.trim().to_string()).collect();
        if header.is_none() && rows.is_empty() && parse_number(&fields[0]).is_none() {
            header = Some(fields);
            continue;
        }
        rows.push((i + 1, fields));
        if rows.len() > MAX_ROWS {
            return Err(format!("{} has more than {MAX_ROWS} rows", path.display()));
        }
    }
    Ok(Table { header, rows })
}

/// A field read exactly (a decimal such as `0.35` is 7/20).
fn parse_number(field: &str) -> Option<BigRational> {
    parse_in(field, "").ok()?.eval_rational(None)
}

/// The index of the column `name` (the first when `None`).
fn column_index(table: &Table, path: &Path, name: Option<&str>) -> Result<usize, String> {
    let Some(name) = name else { return Ok(0) };
    table
        .header
        .as_ref()
        .and_then(|h| h.iter().position(|c| c == name))
        .ok_or_else(|| {
            format!(
                "{} has no column `{name}`{}",
                path.display(),
                match &table.header {
                    Some(h) => format!(" (its columns: {})", h.join(", ")),
                    None => " (it has no header row)".into(),
                }
            )
        })
}

/// The numbers of one column, each exact, with the line of any that is not a number.
fn column_values(
    table: &Table,
    path: &Path,
    name: Option<&str>,
) -> Result<Vec<BigRational>, String> {
    let k = column_index(table, path, name)?;
    table
        .rows
        .iter()
        .map(|(line, fields)| {
            let field = fields.get(k).map_or("", String::as_str);
            parse_number(field)
                .ok_or_else(|| format!("{}:{line}: `{field}` is not a number", path.display()))
        })
        .collect()
}

/// Knots and values from observations: the distinct values, each with the midpoint of the
/// empirical CDF's jump there, and 0 and 1 at the ends of the support (the data's extremes
/// unless a support is given, which must hold every observation).
fn observation_knots(
    mut data: Vec<BigRational>,
    path: &Path,
    support: Option<&(Expr, Expr)>,
) -> Result<(Vec<BigRational>, Vec<BigRational>), String> {
    data.sort();
    let n = BigRational::from_integer(data.len().into());
    let mut distinct: Vec<(BigRational, usize)> = Vec::new();
    for x in data {
        match distinct.last_mut() {
            Some((v, c)) if *v == x => *c += 1,
            _ => distinct.push((x, 1)),
        }
    }
    if distinct.len() < 2 {
        return Err(format!(
            "{} holds {} distinct observation{}: an empirical CDF needs at least two",
            path.display(),
            distinct.len(),
            if distinct.len() == 1 { "" } else { "s" }
        ));
    }
    let ends = match support {
        Some((a, b)) => {
            let (a, b) = (
                a.eval_rational(None)
                    .ok_or("the support of an empirical CDF must have exact rational ends")?,
                b.eval_rational(None)
                    .ok_or("the support of an empirical CDF must have exact rational ends")?,
            );
            let (lo, hi) = (&distinct[0].0, &distinct[distinct.len() - 1].0);
            if *lo < a || *hi > b {
                return Err(format!(
                    "the observations of {} range over [{}, {}], outside the support [{}, {}]",
                    path.display(),
                    Expr::Num(lo.clone()),
                    Expr::Num(hi.clone()),
                    Expr::Num(a.clone()),
                    Expr::Num(b.clone())
                ));
            }
            Some((a, b))
        }
        None => None,
    };
    let mut knots = Vec::new();
    let mut values = Vec::new();
    let mut below = BigRational::zero();
    for (x, count) in &distinct {
        let count = BigRational::from_integer((*count).into());
        let mid = (&below + &below + &count) / (BigRational::from_integer(2.into()) * &n);
        below += count;
        knots.push(x.clone());
        values.push(mid);
    }
    match ends {
        Some((a, b)) => {
            if knots[0] == a {
                values[0] = BigRational::zero();
            } else {
                knots.insert(0, a);
                values.insert(0, BigRational::zero());
            }
            let last = knots.len() - 1;
            if knots[last] == b {
                values[last] = BigRational::one();
            } else {
                knots.push(b);
                values.push(BigRational::one());
            }
        }
        None => {
            values[0] = BigRational::zero();
            let last = values.len() - 1;
            values[last] = BigRational::one();
        }
    }
    Ok((knots, values))
}

/// Knots and values from a quantile table (columns `x` and `p`): `x` strictly increasing, `p`
/// non-decreasing from exactly 0 to exactly 1.
fn quantile_knots(
    table: &Table,
    path: &Path,
    support: Option<&(Expr, Expr)>,
) -> Result<(Vec<BigRational>, Vec<BigRational>), String> {
    if support.is_some() {
        return Err(
            "a quantile table gives its own support (its first and last x): remove `support`"
                .into(),
        );
    }
    let xs = column_values(table, path, Some("x"))?;
    let ps = column_values(table, path, Some("p"))?;
    if xs.len() < 2 {
        return Err(format!(
            "{} holds {} quantile{}: an empirical CDF needs at least two",
            path.display(),
            xs.len(),
            if xs.len() == 1 { "" } else { "s" }
        ));
    }
    let line = |i: usize| table.rows[i].0;
    for i in 1..xs.len() {
        if xs[i] <= xs[i - 1] {
            return Err(format!(
                "{}:{}: the quantiles must be sorted: x = {} follows {}",
                path.display(),
                line(i),
                Expr::Num(xs[i].clone()),
                Expr::Num(xs[i - 1].clone())
            ));
        }
        if ps[i] < ps[i - 1] {
            return Err(format!(
                "{}:{}: p must not decrease: {} follows {}",
                path.display(),
                line(i),
                Expr::Num(ps[i].clone()),
                Expr::Num(ps[i - 1].clone())
            ));
        }
    }
    let last = ps.len() - 1;
    if !ps[0].is_zero() || !ps[last].is_one() {
        return Err(format!(
            "{}: p must run from 0 (first row) to 1 (last row), found {} and {}",
            path.display(),
            Expr::Num(ps[0].clone()),
            Expr::Num(ps[last].clone())
        ));
    }
    Ok((xs, ps))
}

/// The monotone piecewise cubic Hermite interpolant of the points `(knots[i], values[i])`
/// (knots increasing, values non-decreasing), in exact rational arithmetic: Fritsch and Carlson,
/// "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17 (1980), with the interior
/// slopes of Fritsch and Butland (the weighted harmonic mean of the neighbouring secants,
/// `(w1 + w2) / (w1/d_(i-1) + w2/d_i)` with `w1 = 2h_i + h_(i-1)`, `w2 = h_i + 2h_(i-1)`, and 0
/// where the secants differ in sign or one vanishes) and the end slopes equal to the end
/// secants. Each slope is at most three times the smaller neighbouring secant, which makes every
/// cubic non-decreasing on its interval (Fritsch and Carlson, Lemma 2); the interpolant is
/// continuously differentiable and its pieces are polynomials, which the exact certificate of
/// monotonicity checks piece by piece.
pub fn interpolant(knots: &[BigRational], values: &[BigRational]) -> Expr {
    let k = knots.len() - 1;
    let h: Vec<BigRational> = (0..k).map(|i| &knots[i + 1] - &knots[i]).collect();
    let d: Vec<BigRational> = (0..k)
        .map(|i| (&values[i + 1] - &values[i]) / &h[i])
        .collect();
    let mut m = vec![BigRational::zero(); k + 1];
    m[0] = d[0].clone();
    m[k] = d[k - 1].clone();
    for i in 1..k {
        let (left, right) = (&d[i - 1], &d[i]);
        if left.is_positive() && right.is_positive() {
            let two = BigRational::from_integer(2.into());
            let w1 = &two * &h[i] + &h[i - 1];
            let w2 = &h[i] + &two * &h[i - 1];
            m[i] = (&w1 + &w2) / (&w1 / left + &w2 / right);
        }
    }
    let pieces: Vec<Expr> = (0..k)
        .map(|i| {
            // y_i + t (h m_i + t (c2 + t c3)), t = (x - x_i) / h.
            let dy = &values[i + 1] - &values[i];
            let three = BigRational::from_integer(3.into());
            let two = BigRational::from_integer(2.into());
            let c1 = &h[i] * &m[i];
            let c2 = &three * &dy - &h[i] * (&two * &m[i] + &m[i + 1]);
            let c3 = -(&two * &dy) + &h[i] * (&m[i] + &m[i + 1]);
            let t = (Expr::Var - Expr::Num(knots[i].clone())) / Expr::Num(h[i].clone());
            let inner = Expr::Num(c2) + t.clone() * Expr::Num(c3);
            Expr::Num(values[i].clone()) + t.clone() * (Expr::Num(c1) + t * inner)
        })
        .collect();
    if k == 1 {
        return pieces.into_iter().next().unwrap_or(Expr::Var);
    }
    match Pieces::new(knots[1..k].to_vec(), pieces) {
        Some(p) => Expr::Var.call(Func::Piecewise(p)),
        None => Expr::Var,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn the_interpolant_passes_through_its_points_with_continuous_slopes() {
        let knots = [q(0, 1), q(1, 4), q(1, 2), q(3, 5), q(1, 1)];
        let values = [q(0, 1), q(1, 10), q(1, 10), q(7, 10), q(1, 1)];
        let f = interpolant(&knots, &values);
        let df = f.derivative();
        for (x, y) in knots.iter().zip(&values) {
            assert_eq!(f.eval_rational(Some(x)).as_ref(), Some(y), "at {x}");
        }
        // A flat stretch stays flat; the slope is continuous at every interior knot.
        assert_eq!(f.eval_rational(Some(&q(3, 8))), Some(q(1, 10)));
        let one_sided = |x: &BigRational, eps: &BigRational| {
            let (l, r) = (x - eps, x + eps);
            (df.eval_rational(Some(&l)), df.eval_rational(Some(&r)))
        };
        for x in &knots[1..4] {
            let (l, r) = one_sided(x, &q(1, 1_000_000_000));
            let gap = (l.unwrap() - r.unwrap()).abs();
            assert!(gap < q(1, 10_000), "slope jumps by {gap} at {x}");
        }
    }
}

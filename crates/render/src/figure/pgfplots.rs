//! A chart as a pgfplots picture: vector graphics that LaTeX draws itself, in the document's
//! fonts, for `\input` into a `figure` float of a document that loads `pgfplots`.
//!
//! The picture has no title (the float's caption says what it shows); the legend sits below the
//! axes, off the data, in as many columns as fit; axis labels and legend entries are LaTeX with
//! math typeset (the chart's and the series' `*_tex` labels when given, else the plain labels
//! escaped). Logarithmic axes are pgfplots' `xmode=log`/`ymode=log` with ticks at decades; a
//! count on the x axis gets integer ticks. A NaN point breaks a line, as in the SVG and PNG
//! (`unbounded coords=jump`). Coordinates are written with 9 significant digits, more than a
//! printed figure can resolve.

use std::fmt::Write as _;

use super::layout::{Marker, Plan};
use super::{Chart, FigureError, Series, SeriesStyle};
use crate::latex::{escape_latex, escape_latex_with_math};

/// The picture for `series` on `chart`: a `tikzpicture` holding one `axis`.
pub fn pgfplots(chart: &Chart, series: &[Series]) -> Result<String, FigureError> {
    // The same checks and colours as the SVG and PNG.
    let plan = Plan::new(chart, series)?;
    let mut s = String::from("\\begin{tikzpicture}\n\\begin{axis}[\n");
    let _ = writeln!(s, "  width=\\linewidth, height=0.56\\linewidth,");
    let _ = writeln!(
        s,
        "  xlabel={{{}}},",
        label_tex(chart.x_label_tex.as_deref(), &chart.x_label)
    );
    let _ = writeln!(
        s,
        "  ylabel={{{}}},",
        label_tex(chart.y_label_tex.as_deref(), &chart.y_label)
    );
    if chart.log_x {
        // Decades, at most about ten of them labelled.
        let (lo, hi) = plan.x_range;
        let (first, last) = (lo.ceil() as i64, hi.floor() as i64);
        let step = integer_step(last - first);
        let ticks: Vec<String> = (first..=last)
            .filter(|k| k.rem_euclid(step) == 0)
            .map(|k| format!("1e{k}"))
            .collect();
        let _ = writeln!(
            s,
            "  xmode=log, log basis x=10, xtick={{{}}},",
            ticks.join(",")
        );
        let _ = writeln!(
            s,
            "  xmin={}, xmax={},",
            coordinate(10f64.powf(lo)),
            coordinate(10f64.powf(hi))
        );
    }
    if chart.log_y {
        s.push_str("  ymode=log, log basis y=10,\n");
    }
    if chart.integer_x && !chart.log_x {
        let (lo, hi) = plan.x_range;
        let (first, last) = (lo.ceil() as i64, hi.floor() as i64);
        let step = integer_step(last - first);
        let ticks: Vec<String> = (first..=last)
            .filter(|k| k.rem_euclid(step) == 0)
            .map(|k| k.to_string())
            .collect();
        let _ = writeln!(s, "  xtick={{{}}},", ticks.join(","));
        let _ = writeln!(s, "  xmin={lo}, xmax={hi},");
    }
    s.push_str(
        "  grid=major, major grid style={black!12},\n  \
         tick label style={font=\\small}, label style={font=\\small},\n  \
         unbounded coords=jump,\n  \
         legend cell align=left,\n  \
         legend style={font=\\small, at={(0.5,-0.2)}, anchor=north, draw=none,\n    \
         legend columns=2, /tikz/every even column/.append style={column sep=1.2em}},\n]\n",
    );
    // Highlights first, so that they lie beneath the curves.
    let order = series
        .iter()
        .zip(&plan.series)
        .filter(|(s, _)| s.style == SeriesStyle::Highlight)
        .chain(
            series
                .iter()
                .zip(&plan.series)
                .filter(|(s, _)| s.style != SeriesStyle::Highlight),
        );
    for (one, prepared) in order {
        let c = prepared.color;
        let color = format!("{{rgb,255:red,{};green,{};blue,{}}}", c.0, c.1, c.2);
        let style = match one.style {
            SeriesStyle::Highlight => {
                format!("draw={color}, line width=7pt, opacity=0.45, line cap=round, no markers")
            }
            SeriesStyle::Line => format!("draw={color}, thick, no markers"),
            SeriesStyle::LineWithMarkers => format!(
                "draw={color}, thick, mark={}, mark size=1.8pt, mark options={{fill={color}}}",
                mark(prepared.marker)
            ),
            SeriesStyle::Markers => format!(
                "draw={color}, only marks, mark={}, mark size=1.8pt, \
                 mark options={{fill={color}}}",
                mark(prepared.marker)
            ),
        };
        let _ = writeln!(s, "\\addplot[{style}] coordinates {{");
        for &(x, y) in &one.points {
            if x.is_nan() || y.is_nan() {
                s.push_str("  (nan,nan)\n");
            } else {
                let _ = writeln!(s, "  ({},{})", coordinate(x), coordinate(y));
            }
        }
        s.push_str("};\n");
        let _ = writeln!(
            s,
            "\\addlegendentry{{{}}}",
            label_tex(one.label_tex.as_deref(), &one.label)
        );
    }
    s.push_str("\\end{axis}\n\\end{tikzpicture}\n");
    Ok(s)
}

/// A label as LaTeX: the marked label (text with `$...$` math) when given, else the plain
/// label escaped.
fn label_tex(tex: Option<&str>, plain: &str) -> String {
    tex.map_or_else(|| escape_latex(plain), escape_latex_with_math)
}

/// pgfplots' name of a marker shape.
fn mark(m: Marker) -> &'static str {
    match m {
        Marker::Circle => "*",
        Marker::Square => "square*",
        Marker::Triangle => "triangle*",
        Marker::Cross => "x",
    }
}

/// Every `step`-th integer is labelled, for at most about ten labels over `span`.
fn integer_step(span: i64) -> i64 {
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&s| span / s <= 10)
        .unwrap_or(span.max(1) / 10 + 1)
}

/// A coordinate to 9 significant digits in a form pgfplots reads (`1.5e30`, `-0.25`).
fn coordinate(v: f64) -> String {
    let s = format!("{v:.8e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            if e == "0" {
                m.to_string()
            } else {
                format!("{m}e{e}")
            }
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_becomes_an_axis_with_its_legend_below() {
        let mut chart = Chart::new("not drawn", "agents n", "beta*");
        chart.integer_x = true;
        chart.y_label_tex = Some("$\\beta^*$".into());
        let s = Series::new(
            "uniform, 50%",
            vec![(2.0, 2.0), (3.0, 2.56), (f64::NAN, f64::NAN), (4.0, 1.5e30)],
            SeriesStyle::LineWithMarkers,
        );
        let tex = pgfplots(&chart, &[s]).unwrap();
        assert!(!tex.contains("not drawn"), "no title inside the figure");
        assert!(tex.contains("ylabel={$\\beta^*$}"));
        assert!(tex.contains("xlabel={agents n}"));
        assert!(tex.contains("xtick={2,3,4}"));
        assert!(tex.contains("(2,2)\n  (3,2.56)\n  (nan,nan)\n  (4,1.5e30)"));
        assert!(tex.contains("\\addlegendentry{uniform, 50\\%}"));
        assert!(tex.contains("at={(0.5,-0.2)}, anchor=north"));
        assert!(tex.contains("mark=*"));
    }

    #[test]
    fn logarithmic_axes_and_bad_points() {
        let mut chart = Chart::new("t", "N", "y");
        chart.log_x = true;
        let s = Series::new("a", vec![(1e2, 1.0), (1e30, 2.0)], SeriesStyle::Line);
        let tex = pgfplots(&chart, &[s]).unwrap();
        assert!(tex.contains("xmode=log"));
        assert!(
            tex.contains("xtick={1e5,1e10,1e15,1e20,1e25,1e30}"),
            "{tex}"
        );
        assert!(tex.contains("(1e30,2)"));
        let bad = Series::new("a", vec![(0.0, 1.0), (1.0, 2.0)], SeriesStyle::Line);
        assert!(matches!(
            pgfplots(&chart, &[bad]),
            Err(FigureError::NotPositive { .. })
        ));
        assert_eq!(integer_step(58), 10);
        assert_eq!(integer_step(3), 1);
    }
}

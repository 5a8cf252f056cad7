//! The layout of a chart, computed once for both files: series split at gaps and mapped to
//! plot coordinates, axis ranges, the legend's corner, and tick labels.

use plotters::prelude::{RGBColor, SeriesLabelPosition};

use super::{BLUE, Chart, FigureError, PALETTE, Rgb, Series, SeriesStyle};

/// The corner of the plotting area that holds the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Corner {
    UpperLeft,
    UpperRight,
    LowerRight,
    LowerLeft,
}

impl Corner {
    pub(super) fn position(self) -> SeriesLabelPosition {
        match self {
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
        }
    }
}

/// Marker shapes, given to series in turn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
}

const MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Cross,
];

/// A series ready to draw: its runs in plot coordinates (log10 taken where an axis is
/// logarithmic), colour and marker.
pub(super) struct Prepared {
    pub(super) label: String,
    pub(super) runs: Vec<Vec<(f64, f64)>>,
    pub(super) style: SeriesStyle,
    pub(super) color: RGBColor,
    pub(super) marker: Marker,
}

/// Everything [`super::draw::render`] needs, computed once for both files.
pub(super) struct Plan {
    pub(super) series: Vec<Prepared>,
    pub(super) x_range: (f64, f64),
    pub(super) y_range: (f64, f64),
    pub(super) legend: Corner,
}

impl Plan {
    pub(super) fn new(chart: &Chart, series: &[Series]) -> Result<Self, FigureError> {
        let mut prepared = Vec::new();
        let mut palette = PALETTE.iter().cycle();
        let mut markers = MARKERS.iter().cycle();
        for s in series {
            let mut runs = vec![Vec::new()];
            for (index, &(x, y)) in s.points.iter().enumerate() {
                if x.is_nan() || y.is_nan() {
                    runs.push(Vec::new());
                    continue;
                }
                if !x.is_finite() || !y.is_finite() {
                    return Err(FigureError::NotFinite {
                        series: s.label.clone(),
                        index,
                        x,
                        y,
                    });
                }
                let tx = axis_value(chart.log_x, x, "x", &s.label, index)?;
                let ty = axis_value(chart.log_y, y, "y", &s.label, index)?;
                if let Some(run) = runs.last_mut() {
                    run.push((tx, ty));
                }
            }
            runs.retain(|r| !r.is_empty());
            let Rgb(r, g, b) = match s.color {
                Some(c) => c,
                None => *palette.next().unwrap_or(&BLUE),
            };
            let marker = match s.style {
                SeriesStyle::LineWithMarkers | SeriesStyle::Markers => {
                    *markers.next().unwrap_or(&Marker::Circle)
                }
                SeriesStyle::Line | SeriesStyle::Highlight => Marker::Circle,
            };
            prepared.push(Prepared {
                label: s.label.clone(),
                runs,
                style: s.style,
                color: RGBColor(r, g, b),
                marker,
            });
        }
        let all = || prepared.iter().flat_map(|p| p.runs.iter().flatten());
        if all().next().is_none() {
            return Err(FigureError::NoData {
                title: chart.title.clone(),
            });
        }
        let bounds = |f: fn(&(f64, f64)) -> f64| {
            all()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        };
        let integer_x = chart.integer_x && !chart.log_x;
        let x_range = padded(bounds(|p| p.0), if integer_x { 0.5 } else { 0.0 }, 0.03);
        let y_range = padded(bounds(|p| p.1), 0.0, 0.06);

        // Legend: the corner whose box covers the fewest plotted points; if every corner covers
        // some, raise the top of the y range so the legend sits above the data.
        let (lw, lh) = legend_box(chart, &prepared);
        let samples = sample_lines(&prepared);
        let norm = |(x, y): (f64, f64), yr: (f64, f64)| {
            (
                (x - x_range.0) / (x_range.1 - x_range.0),
                (y - yr.0) / (yr.1 - yr.0),
            )
        };
        let corners = [
            (Corner::UpperLeft, 0.0, 1.0 - lh),
            (Corner::UpperRight, 1.0 - lw, 1.0 - lh),
            (Corner::LowerRight, 1.0 - lw, 0.0),
            (Corner::LowerLeft, 0.0, 0.0),
        ];
        let covered = |x0: f64, y0: f64, yr: (f64, f64)| {
            samples
                .iter()
                .map(|&p| norm(p, yr))
                .filter(|&(u, v)| u >= x0 && u <= x0 + lw && v >= y0 && v <= y0 + lh)
                .count()
        };
        let (best, x0, y0) = corners
            .iter()
            .min_by_key(|&&(_, x0, y0)| covered(x0, y0, y_range))
            .copied()
            .unwrap_or((Corner::UpperRight, 1.0 - lw, 1.0 - lh));
        let (legend, y_range) = if covered(x0, y0, y_range) == 0 {
            (best, y_range)
        } else {
            // The top of the y range that puts the legend, in an upper corner starting at
            // `x0`, just above every point beneath it.
            let needed_top = |x0: f64| {
                let highest = samples
                    .iter()
                    .filter(|&&p| {
                        let (u, _) = norm(p, y_range);
                        u >= x0 - 0.02 && u <= x0 + lw + 0.02
                    })
                    .map(|p| p.1)
                    .fold(f64::NEG_INFINITY, f64::max);
                let free = (1.0 - lh - 0.04).max(0.1);
                (y_range.0 + (highest - y_range.0) / free).max(y_range.1)
            };
            let (left, right) = (needed_top(0.0), needed_top(1.0 - lw));
            if left <= right {
                (Corner::UpperLeft, (y_range.0, left))
            } else {
                (Corner::UpperRight, (y_range.0, right))
            }
        };
        Ok(Self {
            series: prepared,
            x_range,
            y_range,
            legend,
        })
    }
}

/// The plotted coordinate of `v` on an axis (log10 when logarithmic).
fn axis_value(
    log: bool,
    v: f64,
    axis: &'static str,
    series: &str,
    index: usize,
) -> Result<f64, FigureError> {
    if !log {
        return Ok(v);
    }
    if v <= 0.0 {
        return Err(FigureError::NotPositive {
            series: series.to_string(),
            index,
            axis,
            value: v,
        });
    }
    Ok(v.log10())
}

/// `(lo, hi)` widened by `abs` on each side plus `rel` of its span; a single value gets a unit
/// window around it.
fn padded((lo, hi): (f64, f64), abs: f64, rel: f64) -> (f64, f64) {
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        let w = if abs > 0.0 {
            abs.max(1.0)
        } else {
            0.5 * hi.abs().max(1.0)
        };
        return (lo - w, hi + w);
    }
    (lo - abs - rel * span, hi + abs + rel * span)
}

/// Font size of the legend's labels, in pixels.
pub(super) const LEGEND_FONT: f64 = 20.0;

/// The legend's width and height as fractions of the plotting area (an estimate from the
/// labels' lengths and the font size).
fn legend_box(chart: &Chart, series: &[Prepared]) -> (f64, f64) {
    let chars = series
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0);
    let entries = series.len().max(1);
    let width_px = 52.0 + LEGEND_FONT * 0.58 * chars as f64;
    let height_px = 12.0 + entries as f64 * (LEGEND_FONT + 6.0);
    let plot_w = f64::from(chart.width) - 120.0;
    let plot_h = f64::from(chart.height) - 130.0;
    ((width_px / plot_w).min(1.0), (height_px / plot_h).min(0.9))
}

/// Points along every line (and every marker), for the legend's collision count.
fn sample_lines(series: &[Prepared]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for s in series {
        for run in &s.runs {
            out.extend_from_slice(run);
            for w in run.windows(2) {
                for k in 1..16 {
                    let t = f64::from(k) / 16.0;
                    out.push((
                        w[0].0 + t * (w[1].0 - w[0].0),
                        w[0].1 + t * (w[1].1 - w[0].1),
                    ));
                }
            }
        }
    }
    out
}

/// A tick label on a linear axis spanning `span`: enough decimals for the span, trailing zeros
/// trimmed; scientific notation for very large or small magnitudes.
pub(super) fn tick_label(v: f64, span: f64) -> String {
    if v.abs() < span * 1e-9 {
        return "0".to_string();
    }
    let mag = v.abs();
    if !(1e-3..1e6).contains(&mag) {
        return trim_exp(&format!("{v:.2e}"));
    }
    let decimals = (2 - span.log10().floor() as i32).clamp(0, 8) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `1.50e6` as `1.5e6`.
fn trim_exp(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) if m.contains('.') => {
            format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
        }
        _ => s.to_string(),
    }
}

/// A tick label on a logarithmic axis at plotted value `e = log10(value)`: `10ᵏ` when the axis
/// spans more than four decades, else the value itself.
pub(super) fn decade_label(e: f64, span: f64) -> String {
    let k = e.round();
    if span > 4.0 && (e - k).abs() < 1e-9 {
        let digits: String = format!("{}", k as i64)
            .chars()
            .map(|c| match c {
                '-' => '⁻',
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                _ => '⁹',
            })
            .collect();
        return format!("10{digits}");
    }
    let v = 10f64.powf(e);
    let s = format!("{v:.3}");
    if (1e-3..1e6).contains(&v) {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        trim_exp(&format!("{v:.2e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_goes_to_a_free_corner_or_above_the_data() {
        let chart = Chart::new("t", "x", "y");
        // A curve rising from the lower left to the upper right leaves the upper left free.
        let rising = [Series::new(
            "rising",
            (0..=20).map(|k| (f64::from(k), f64::from(k))).collect(),
            SeriesStyle::Line,
        )];
        let plan = Plan::new(&chart, &rising).unwrap();
        assert_eq!(plan.legend, Corner::UpperLeft);
        assert!(plan.y_range.1 < 21.5, "no room added: {:?}", plan.y_range);

        // Two flat lines at the bottom and top cover every corner: the y range grows so that
        // the legend sits above the upper line.
        let flat = [
            Series::new("low", vec![(0.0, 0.0), (10.0, 0.0)], SeriesStyle::Line),
            Series::new("high", vec![(0.0, 1.0), (10.0, 1.0)], SeriesStyle::Line),
        ];
        let plan = Plan::new(&chart, &flat).unwrap();
        assert!(matches!(
            plan.legend,
            Corner::UpperLeft | Corner::UpperRight
        ));
        let (lo, hi) = plan.y_range;
        let (_, lh) = legend_box(&chart, &plan.series);
        assert!(
            (1.0 - lo) / (hi - lo) <= 1.0 - lh,
            "the upper line stays below the legend: {:?}",
            plan.y_range
        );
    }

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(2.5, 5.0), "2.5");
        assert_eq!(tick_label(3.0, 5.0), "3");
        assert_eq!(tick_label(1.0e-12, 5.0), "0");
        assert_eq!(tick_label(2.0e7, 1.0e8), "2e7");
        assert_eq!(decade_label(30.0, 30.0), "10³⁰");
        assert_eq!(decade_label(-5.0, 10.0), "10⁻⁵");
        assert_eq!(decade_label(2.0, 2.0), "100");
    }
}

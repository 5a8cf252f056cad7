//! Line charts for a write-up, drawn with plotters to SVG and PNG: Figure 1 of the paper
//! (beta* against n for Example 1's two markets) and beta*(N) of replicated markets.
//!
//! [`draw`] takes a [`Chart`] (title, axis labels, logarithmic axes, whether x is a count) and
//! [`Series`] (a label, points and a [`SeriesStyle`]) and writes one SVG and one PNG of the
//! same picture, with a legend placed where it covers no data, labelled axes and, when x is a
//! count, integer ticks only. [`figure1`] and [`replication_figure`] are the two figures
//! `efftrade paper` writes.
//!
//! ```no_run
//! use std::path::Path;
//! use efftrade_paper_checks::figures::{self, Chart, Series, SeriesStyle};
//!
//! let out = Path::new("paper-checks/out");
//! // Figure 1 from (n, beta*) pairs of the two markets.
//! let a = [(2, 3.13), (3, 5.86), (4, 4.80), (5, 3.95)];
//! let b = [(2, 2.00), (3, 2.56), (4, 2.96), (5, 3.26)];
//! let fig1 = figures::figure1(&a, &b, out)?;
//! assert_eq!(fig1.png_path(), "figures/figure1.png");
//!
//! // Any other chart.
//! let mut chart = Chart::new("T1 against n", "number of agents n", "T1");
//! chart.integer_x = true;
//! let t1 = Series::new("uniform", vec![(2.0, 0.5), (3.0, 0.7)], SeriesStyle::LineWithMarkers);
//! figures::save(out, "t1", "T1 of the uniform market.", &chart, &[t1])?;
//! # Ok::<(), figures::FigureError>(())
//! ```
//!
//! ## Fonts
//! Text in the PNG is rasterised from DejaVu Sans, which is compiled into the library
//! (`paper-checks/fonts/DejaVuSans.ttf`, Bitstream Vera license with public-domain DejaVu
//! changes, `paper-checks/fonts/LICENSE-DejaVu.txt`) and registered with plotters' `ab_glyph`
//! text engine under the families `sans-serif`, `serif` and `monospace`. No system font is
//! looked up, so figures come out the same on a machine with no fonts installed. The SVG names
//! the family `sans-serif` and leaves the glyphs to the viewer.
//!
//! ## Logarithmic axes
//! A logarithmic axis plots log10 of the values on a linear scale with ticks at whole decades,
//! labelled 10ᵏ when the axis spans more than four decades; every value on such an axis must be
//! positive.
//!
//! ## Gaps
//! A point with a NaN coordinate breaks a series' line in two (as in most plotting tools); an
//! infinite coordinate is an error.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::chart::SeriesAnno;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::register_font;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// DejaVu Sans, compiled in so that no system font is needed.
static DEJAVU_SANS: &[u8] = include_bytes!("../../crates/render/fonts/DejaVuSans.ttf");

/// Why a figure could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// No series has a finite point.
    #[error("figure {title:?} has no point to draw")]
    NoData {
        /// The chart's title.
        title: String,
    },
    /// A point has an infinite coordinate.
    #[error(
        "series {series:?}: point {index} is ({x}, {y}); coordinates must be finite (NaN marks a gap)"
    )]
    NotFinite {
        /// The series' label.
        series: String,
        /// The point's index in the series.
        index: usize,
        /// Its x.
        x: f64,
        /// Its y.
        y: f64,
    },
    /// A value on a logarithmic axis is zero or negative.
    #[error(
        "series {series:?}: point {index} has {axis} = {value}, which a logarithmic {axis} axis cannot show"
    )]
    NotPositive {
        /// The series' label.
        series: String,
        /// The point's index in the series.
        index: usize,
        /// `"x"` or `"y"`.
        axis: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The requested picture is too small to hold the axes and legend.
    #[error("figure size {width}x{height} is too small: at least 320x200 pixels")]
    TooSmall {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// A figure's file stem is empty or has characters other than ASCII letters, digits, `-`
    /// and `_`.
    #[error(
        "figure file stem {0:?} is not a plain file name: use ASCII letters, digits, '-' and '_'"
    )]
    BadStem(String),
    /// The bundled font could not be registered with plotters.
    #[error("the bundled DejaVu Sans font could not be loaded")]
    Font,
    /// A directory could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// plotters failed while drawing or writing a file.
    #[error("cannot draw {path}: {message}")]
    Draw {
        /// The file being drawn.
        path: PathBuf,
        /// plotters' message.
        message: String,
    },
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Blue, as the paper's Figure 1 draws its first market.
pub const BLUE: Rgb = Rgb(31, 100, 200);
/// Red, as the paper's Figure 1 draws its second market.
pub const RED: Rgb = Rgb(214, 39, 40);
/// The colours given to series without one, in order.
pub const PALETTE: [Rgb; 6] = [
    BLUE,
    RED,
    Rgb(44, 160, 44),
    Rgb(148, 103, 189),
    Rgb(255, 127, 14),
    Rgb(23, 190, 207),
];

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    /// A line through the points.
    Line,
    /// A line through the points and a marker at each (the marker's shape differs between
    /// series, so curves stay apart in grey-scale print).
    LineWithMarkers,
    /// Markers only.
    Markers,
    /// A wide translucent band along the points, drawn beneath the other series: it marks a
    /// stretch of another curve (for instance where beta* falls as n grows).
    Highlight,
}

/// One curve of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub label: String,
    /// The points `(x, y)` in drawing order; a NaN coordinate breaks the line.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub style: SeriesStyle,
    /// Its colour; `None` takes the next colour of [`PALETTE`].
    pub color: Option<Rgb>,
}

impl Series {
    /// A series with the palette's colour.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>, style: SeriesStyle) -> Self {
        Self {
            label: label.into(),
            points,
            style,
            color: None,
        }
    }

    /// The same series in colour `color`.
    #[must_use]
    pub fn with_color(mut self, color: Rgb) -> Self {
        self.color = Some(color);
        self
    }
}

/// The frame of a chart: title, axis labels, scales and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The title drawn above the plot.
    pub title: String,
    /// The x axis' label.
    pub x_label: String,
    /// The y axis' label.
    pub y_label: String,
    /// A logarithmic x axis.
    pub log_x: bool,
    /// A logarithmic y axis.
    pub log_y: bool,
    /// x is a count (such as the number of agents): ticks at integers only. Ignored with
    /// `log_x`, whose ticks are whole decades.
    pub integer_x: bool,
    /// Width in pixels (the SVG's user units and the PNG's pixels).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Chart {
    /// A linear 800x500 chart.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_x: false,
            log_y: false,
            integer_x: false,
            width: 800,
            height: 500,
        }
    }
}

/// Where a written figure is, for [`crate::writeup::writeup_tex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRef {
    /// The file stem: the figure is `figures/<stem>.png` and `.svg` in the output directory.
    pub stem: String,
    /// The caption, plain text (escaped by the write-up).
    pub caption: String,
    /// The LaTeX label, e.g. `fig:figure1`.
    pub label: String,
}

impl FigureRef {
    /// The PNG's path relative to the output directory, as `\includegraphics` takes it.
    pub fn png_path(&self) -> String {
        format!("figures/{}.png", self.stem)
    }

    /// The SVG's path relative to the output directory.
    pub fn svg_path(&self) -> String {
        format!("figures/{}.svg", self.stem)
    }
}

/// Draws `series` on `chart` into an SVG file at `svg_path` and a PNG file at `png_path`
/// (directories are created as needed).
pub fn draw(
    chart: &Chart,
    series: &[Series],
    svg_path: &Path,
    png_path: &Path,
) -> Result<(), FigureError> {
    if chart.width < 320 || chart.height < 200 {
        return Err(FigureError::TooSmall {
            width: chart.width,
            height: chart.height,
        });
    }
    register_fonts()?;
    let plan = Plan::new(chart, series)?;
    for path in [svg_path, png_path] {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| FigureError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    let size = (chart.width, chart.height);
    let svg = SVGBackend::new(svg_path, size).into_drawing_area();
    render(&svg, chart, &plan).map_err(|message| FigureError::Draw {
        path: svg_path.to_path_buf(),
        message,
    })?;
    let png = BitMapBackend::new(png_path, size).into_drawing_area();
    render(&png, chart, &plan).map_err(|message| FigureError::Draw {
        path: png_path.to_path_buf(),
        message,
    })
}

/// Draws `series` on `chart` into `<out_dir>/figures/<stem>.svg` and `.png` and returns the
/// reference the write-up needs, with `caption` and the label `fig:<stem>`.
pub fn save(
    out_dir: &Path,
    stem: &str,
    caption: &str,
    chart: &Chart,
    series: &[Series],
) -> Result<FigureRef, FigureError> {
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(FigureError::BadStem(stem.to_string()));
    }
    let figure = FigureRef {
        stem: stem.to_string(),
        caption: caption.to_string(),
        label: format!("fig:{stem}"),
    };
    draw(
        chart,
        series,
        &out_dir.join(figure.svg_path()),
        &out_dir.join(figure.png_path()),
    )?;
    Ok(figure)
}

/// Figure 1 of the paper: beta* against the number of agents n for Example 1's two markets
/// with equal shares, market A (density 0.1 + 0.1 sin x on [0, b], blue) and market B
/// (uniform on [0, 1], red), written to `<out_dir>/figures/figure1.svg` and `.png`.
///
/// Every computed n is marked (circles for A, squares for B), and each stretch where a
/// market's beta* falls as n grows is laid under a wide orange band with its own legend entry,
/// so the non-monotonicity the paper's Example 1 is about is visible at a glance.
pub fn figure1(
    market_a: &[(u32, f64)],
    market_b: &[(u32, f64)],
    out_dir: &Path,
) -> Result<FigureRef, FigureError> {
    let sorted = |m: &[(u32, f64)]| {
        let mut v: Vec<(f64, f64)> = m.iter().map(|&(n, b)| (f64::from(n), b)).collect();
        v.sort_by(|p, q| p.0.total_cmp(&q.0));
        v
    };
    let a = sorted(market_a);
    let b = sorted(market_b);
    let mut falling = falling_stretches(&a);
    let falling_b = falling_stretches(&b);
    if !falling.is_empty() && !falling_b.is_empty() {
        falling.push((f64::NAN, f64::NAN));
    }
    falling.extend(falling_b);

    let mut series = Vec::new();
    if !falling.is_empty() {
        series.push(
            Series::new("β* falls as n grows", falling, SeriesStyle::Highlight)
                .with_color(Rgb(255, 150, 0)),
        );
    }
    series.push(
        Series::new(
            "market A: density 0.1 + 0.1 sin x",
            a,
            SeriesStyle::LineWithMarkers,
        )
        .with_color(BLUE),
    );
    series.push(
        Series::new(
            "market B: uniform on [0, 1]",
            b,
            SeriesStyle::LineWithMarkers,
        )
        .with_color(RED),
    );
    let mut chart = Chart::new(
        "Figure 1: β* against market size (Example 1)",
        "number of agents n",
        "β* = −n T₁ / (T₁ + T₂)",
    );
    chart.integer_x = true;
    save(
        out_dir,
        "figure1",
        "Figure 1 of the paper: the cutoff interdependence coefficient beta* against the number \
         of agents n, for Example 1's market A (density 0.1 + 0.1 sin x, blue) and market B \
         (uniform, red), with equal shares. Orange bands mark where beta* falls as n grows.",
        &chart,
        &series,
    )
}

/// beta*(N) of replicated markets against the number of agents N on a logarithmic x axis,
/// one curve per `(label, points)`, written to `<out_dir>/figures/replications.svg` and
/// `.png`. The y axis is logarithmic too when every beta* is positive and they span more than
/// two decades.
pub fn replication_figure(
    series: &[(String, Vec<(f64, f64)>)],
    out_dir: &Path,
) -> Result<FigureRef, FigureError> {
    let ys = || {
        series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|q| q.1))
            .filter(|y| y.is_finite())
    };
    let positive = ys().all(|y| y > 0.0);
    let (lo, hi) = ys().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let mut chart = Chart::new(
        "Theorem 3: β* of replicated markets",
        "number of agents N",
        "β*(N)",
    );
    chart.log_x = true;
    chart.log_y = positive && lo.is_finite() && hi / lo > 100.0;
    let curves: Vec<Series> = series
        .iter()
        .map(|(label, points)| {
            let style = if points.len() > 40 {
                SeriesStyle::Line
            } else {
                SeriesStyle::LineWithMarkers
            };
            Series::new(label.clone(), points.clone(), style)
        })
        .collect();
    save(
        out_dir,
        "replications",
        "Theorem 3: the cutoff beta* of m-fold replicated markets against the number of agents \
         N, on a logarithmic axis; beta* grows without bound.",
        &chart,
        &curves,
    )
}

/// The stretches of `points` (sorted by x) where y falls, as runs separated by NaN points.
fn falling_stretches(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut in_run = false;
    for w in points.windows(2) {
        if w[1].1 < w[0].1 {
            if !in_run {
                if !out.is_empty() {
                    out.push((f64::NAN, f64::NAN));
                }
                out.push(w[0]);
                in_run = true;
            }
            out.push(w[1]);
        } else {
            in_run = false;
        }
    }
    out
}

/// Registers the bundled font with plotters, once per process.
fn register_fonts() -> Result<(), FigureError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        ["sans-serif", "serif", "monospace"]
            .into_iter()
            .all(|family| register_font(family, FontStyle::Normal, DEJAVU_SANS).is_ok())
    });
    if ok { Ok(()) } else { Err(FigureError::Font) }
}

/// The corner of the plotting area that holds the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Corner {
    UpperLeft,
    UpperRight,
    LowerRight,
    LowerLeft,
}

impl Corner {
    fn position(self) -> SeriesLabelPosition {
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
enum Marker {
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
struct Prepared {
    label: String,
    runs: Vec<Vec<(f64, f64)>>,
    style: SeriesStyle,
    color: RGBColor,
    marker: Marker,
}

/// Everything [`render`] needs, computed once for both files.
struct Plan {
    series: Vec<Prepared>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    legend: Corner,
}

impl Plan {
    fn new(chart: &Chart, series: &[Series]) -> Result<Self, FigureError> {
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

const TITLE_FONT: f64 = 27.0;
const AXIS_FONT: f64 = 23.0;
const TICK_FONT: f64 = 20.0;
const LEGEND_FONT: f64 = 20.0;

/// Draws the planned chart on one backend.
fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    plan: &Plan,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let mut ctx = ChartBuilder::on(root)
        .caption(&chart.title, ("sans-serif", TITLE_FONT))
        .margin(16)
        .x_label_area_size(58)
        .y_label_area_size(78)
        .build_cartesian_2d(
            plan.x_range.0..plan.x_range.1,
            plan.y_range.0..plan.y_range.1,
        )
        .map_err(err)?;

    let integer_x = chart.integer_x && !chart.log_x;
    let x_span = plan.x_range.1 - plan.x_range.0;
    let y_span = plan.y_range.1 - plan.y_range.0;
    let x_labels = if chart.log_x || integer_x {
        // At most one label per unit: the key points are then whole numbers (decades on a log
        // axis).
        (x_span.floor() as usize + 1).clamp(2, 12)
    } else {
        10
    };
    let y_labels = if chart.log_y {
        (y_span.floor() as usize + 1).clamp(2, 10)
    } else {
        8
    };
    let x_fmt = |v: &f64| {
        if chart.log_x {
            decade_label(*v, x_span)
        } else if integer_x {
            format!("{:.0}", v.round())
        } else {
            tick_label(*v, x_span)
        }
    };
    let y_fmt = |v: &f64| {
        if chart.log_y {
            decade_label(*v, y_span)
        } else {
            tick_label(*v, y_span)
        }
    };
    ctx.configure_mesh()
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .max_light_lines(0)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(RGBColor(60, 60, 60).stroke_width(1))
        .axis_desc_style(("sans-serif", AXIS_FONT))
        .label_style(("sans-serif", TICK_FONT))
        .draw()
        .map_err(err)?;

    // Highlights first, so that they lie beneath the curves.
    let order = plan
        .series
        .iter()
        .filter(|s| s.style == SeriesStyle::Highlight)
        .chain(
            plan.series
                .iter()
                .filter(|s| s.style != SeriesStyle::Highlight),
        );
    for s in order {
        let line = match s.style {
            SeriesStyle::Highlight => s.color.mix(0.45).stroke_width(11),
            _ => s.color.stroke_width(2),
        };
        let with_line = s.style != SeriesStyle::Markers;
        let with_markers = matches!(s.style, SeriesStyle::Markers | SeriesStyle::LineWithMarkers);
        let mut labelled = false;
        for run in &s.runs {
            if with_line {
                let anno = ctx
                    .draw_series(LineSeries::new(run.iter().copied(), line))
                    .map_err(err)?;
                if !labelled {
                    label(anno, s, line);
                    labelled = true;
                }
            }
            if with_markers {
                let marker = Some((s.marker, s.color.filled()));
                let anno = ctx
                    .draw_series(run.iter().map(|&at| Glyph {
                        at,
                        line: None,
                        marker,
                    }))
                    .map_err(err)?;
                if !labelled {
                    label(anno, s, line);
                    labelled = true;
                }
            }
        }
    }
    ctx.configure_series_labels()
        .position(plan.legend.position())
        .margin(10)
        .legend_area_size(LEGEND_ICON + 6)
        .label_font(("sans-serif", LEGEND_FONT))
        .background_style(WHITE.mix(0.92))
        .border_style(RGBColor(120, 120, 120))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// Sets a series' legend entry: a stroke of its line with its marker on it.
fn label<DB: DrawingBackend>(anno: &mut SeriesAnno<'_, DB>, s: &Prepared, line: ShapeStyle) {
    let with_line = s.style != SeriesStyle::Markers;
    let marker = matches!(s.style, SeriesStyle::Markers | SeriesStyle::LineWithMarkers)
        .then_some((s.marker, s.color.filled()));
    anno.label(s.label.clone()).legend(move |(x, y)| Glyph {
        at: (x + LEGEND_ICON / 2, y),
        line: with_line.then_some((LEGEND_ICON / 2, line)),
        marker,
    });
}

/// Width in pixels of a legend entry's icon.
const LEGEND_ICON: i32 = 30;

/// A marker, a short horizontal stroke, or both, centred on one point: the data markers and
/// the legend icons.
#[derive(Debug, Clone, Copy)]
struct Glyph<C> {
    at: C,
    /// Half-length in pixels and style of a horizontal stroke through the point.
    line: Option<(i32, ShapeStyle)>,
    /// Shape and style of the marker.
    marker: Option<(Marker, ShapeStyle)>,
}

impl<'b, C> PointCollection<'b, C> for &'b Glyph<C> {
    type Point = &'b C;
    type IntoIter = std::iter::Once<&'b C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend, C> Drawable<DB> for Glyph<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        if let Some((half, style)) = self.line {
            backend.draw_line((x - half, y), (x + half, y), &style)?;
        }
        if let Some((marker, style)) = self.marker {
            match marker {
                Marker::Circle => backend.draw_circle((x, y), 4, &style, true)?,
                Marker::Square => {
                    backend.draw_rect((x - 4, y - 4), (x + 4, y + 4), &style, true)?
                }
                Marker::Triangle => {
                    backend.fill_polygon([(x, y - 6), (x - 5, y + 4), (x + 5, y + 4)], &style)?;
                }
                Marker::Cross => {
                    let pen = style.stroke_width(2);
                    backend.draw_line((x - 4, y - 4), (x + 4, y + 4), &pen)?;
                    backend.draw_line((x - 4, y + 4), (x + 4, y - 4), &pen)?;
                }
            }
        }
        Ok(())
    }
}

/// A tick label on a linear axis spanning `span`: enough decimals for the span, trailing zeros
/// trimmed; scientific notation for very large or small magnitudes.
fn tick_label(v: f64, span: f64) -> String {
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
fn decade_label(e: f64, span: f64) -> String {
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
    fn falling_stretches_are_runs_split_by_nan() {
        let pts = [
            (2.0, 1.0),
            (3.0, 3.0),
            (4.0, 2.0),
            (5.0, 1.5),
            (6.0, 2.0),
            (7.0, 1.0),
        ];
        let f = falling_stretches(&pts);
        assert_eq!(f.len(), 6);
        assert_eq!(&f[..3], &[(3.0, 3.0), (4.0, 2.0), (5.0, 1.5)]);
        assert!(f[3].0.is_nan());
        assert_eq!(&f[4..], &[(6.0, 2.0), (7.0, 1.0)]);
        assert!(falling_stretches(&[(1.0, 1.0), (2.0, 2.0)]).is_empty());
    }

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

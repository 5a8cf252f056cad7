//! Line charts drawn with plotters to SVG and PNG, and written as pgfplots pictures for LaTeX.
//!
//! [`draw`] takes a [`Chart`] (title, axis labels, logarithmic axes, whether x is a count) and
//! [`Series`] (a label, points and a [`SeriesStyle`]) and writes one SVG and one PNG of the
//! same picture, with a legend placed where it covers no data, labelled axes and, when x is a
//! count, integer ticks only. [`pgfplots()`] writes the same chart as a pgfplots picture, vector
//! graphics in the document's fonts with no title (a captioned figure's caption says what it
//! shows) and the legend below the axes. [`save`] writes all three under
//! `<dir>/figures/<stem>` and returns a [`FigureRef`] for a document that includes the figure
//! (the write-up `\input`s the pgfplots picture).
//!
//! The module is split in three: this one holds the chart model (what the caller describes),
//! `layout` computes what to draw (ranges, gaps, the legend's corner, tick labels) and `draw`
//! draws it on a plotters backend.
//!
//! ```no_run
//! use std::path::Path;
//! use efftrade_render::figure::{self, Chart, Series, SeriesStyle};
//!
//! let mut chart = Chart::new("T1 against n", "number of agents n", "T1");
//! chart.integer_x = true;
//! let t1 = Series::new("uniform", vec![(2.0, 0.5), (3.0, 0.7)], SeriesStyle::LineWithMarkers);
//! let written = figure::save(Path::new("out"), "t1", "T1 of the uniform market.", &chart, &[t1])?;
//! assert_eq!(written.png_path(), "figures/t1.png");
//! # Ok::<(), figure::FigureError>(())
//! ```
//!
//! ## Fonts
//! Text in the PNG is rasterised from DejaVu Sans, which is compiled into the library
//! (`crates/render/fonts/DejaVuSans.ttf`, Bitstream Vera license with public-domain DejaVu
//! changes, `crates/render/fonts/LICENSE-DejaVu.txt`) and registered with plotters' `ab_glyph`
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

mod draw;
mod layout;
mod pgfplots;

pub use pgfplots::pgfplots;

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::table::is_plain_stem;
use layout::Plan;

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
    /// A directory or file could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The directory or file.
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
    /// The legend entry for LaTeX: text with inline math between `$` signs; `None` escapes
    /// `label`.
    pub label_tex: Option<String>,
}

impl Series {
    /// A series with the palette's colour.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>, style: SeriesStyle) -> Self {
        Self {
            label: label.into(),
            points,
            style,
            color: None,
            label_tex: None,
        }
    }

    /// The same series with a legend entry for LaTeX (text with inline math between `$`).
    #[must_use]
    pub fn with_label_tex(mut self, tex: impl Into<String>) -> Self {
        self.label_tex = Some(tex.into());
        self
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
    /// The title drawn above the plot in the SVG and PNG (the pgfplots picture, captioned in
    /// a document, has none).
    pub title: String,
    /// The x axis' label.
    pub x_label: String,
    /// The y axis' label.
    pub y_label: String,
    /// The x axis' label for LaTeX (text with inline math between `$`); `None` escapes
    /// `x_label`.
    pub x_label_tex: Option<String>,
    /// The y axis' label for LaTeX; `None` escapes `y_label`.
    pub y_label_tex: Option<String>,
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
            x_label_tex: None,
            y_label_tex: None,
            log_x: false,
            log_y: false,
            integer_x: false,
            width: 800,
            height: 500,
        }
    }
}

/// Where a written figure is, for a document that includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRef {
    /// The file stem: the figure is `figures/<stem>.tex` (pgfplots), `.svg` and `.png` in the
    /// output directory.
    pub stem: String,
    /// The caption: text with inline LaTeX math between `$` signs, escaped by the write-up with
    /// [`crate::latex::escape_latex_with_math`].
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

    /// The pgfplots picture's path relative to the output directory, as `\input` takes it.
    pub fn tex_path(&self) -> String {
        format!("figures/{}.tex", self.stem)
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
    draw::register_fonts()?;
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
    draw::render(&svg, chart, &plan).map_err(|message| FigureError::Draw {
        path: svg_path.to_path_buf(),
        message,
    })?;
    let png = BitMapBackend::new(png_path, size).into_drawing_area();
    draw::render(&png, chart, &plan).map_err(|message| FigureError::Draw {
        path: png_path.to_path_buf(),
        message,
    })
}

/// Draws `series` on `chart` into `<out_dir>/figures/<stem>.svg` and `.png`, writes its
/// pgfplots picture to `<stem>.tex` beside them, and returns the reference the write-up needs,
/// with `caption` (text with inline math between `$`) and the label `fig:<stem>`.
pub fn save(
    out_dir: &Path,
    stem: &str,
    caption: &str,
    chart: &Chart,
    series: &[Series],
) -> Result<FigureRef, FigureError> {
    if !is_plain_stem(stem) {
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
    let tex_path = out_dir.join(figure.tex_path());
    std::fs::write(&tex_path, pgfplots(chart, series)?).map_err(|source| FigureError::Io {
        path: tex_path,
        source,
    })?;
    Ok(figure)
}

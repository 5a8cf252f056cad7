//! Drawing a laid-out chart on a plotters backend (SVG or PNG), with the bundled font.

use std::sync::OnceLock;

use plotters::chart::SeriesAnno;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::register_font;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::layout::{LEGEND_FONT, Marker, Plan, Prepared, decade_label, tick_label};
use super::{Chart, FigureError, SeriesStyle};

/// DejaVu Sans, compiled in so that no system font is needed.
static DEJAVU_SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// Registers the bundled font with plotters, once per process.
pub(super) fn register_fonts() -> Result<(), FigureError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        ["sans-serif", "serif", "monospace"]
            .into_iter()
            .all(|family| register_font(family, FontStyle::Normal, DEJAVU_SANS).is_ok())
    });
    if ok { Ok(()) } else { Err(FigureError::Font) }
}

const TITLE_FONT: f64 = 27.0;
const AXIS_FONT: f64 = 23.0;
const TICK_FONT: f64 = 20.0;

/// Draws the planned chart on one backend.
pub(super) fn render<DB: DrawingBackend>(
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

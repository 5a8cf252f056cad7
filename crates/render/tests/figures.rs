//! Line charts: SVG and PNG files with labels, legends, integer and logarithmic axes, and
//! errors for input that cannot be drawn.

use std::fs;
use std::path::{Path, PathBuf};

use efftrade_render::figure::{self, Chart, FigureError, Series, SeriesStyle};

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("render-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The contents of the SVG's `<text>` elements, trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// Width and height of a PNG, decoded.
fn png_size(path: &Path) -> (u32, u32, Vec<u8>, png::ColorType) {
    let decoder = png::Decoder::new(fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, info.color_type)
}

/// How many pixels are within 40 of `rgb` in every channel.
fn pixels_near(buf: &[u8], color: png::ColorType, rgb: figure::Rgb) -> usize {
    let step = match color {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    buf.chunks(step)
        .filter(|p| {
            p[0].abs_diff(rgb.0) < 40 && p[1].abs_diff(rgb.1) < 40 && p[2].abs_diff(rgb.2) < 40
        })
        .count()
}

#[test]
fn draw_writes_svg_and_png_with_labels_and_legend() {
    let dir = scratch("draw");
    let mut chart = Chart::new("A test chart", "agents in market", "cutoff value");
    chart.integer_x = true;
    chart.width = 640;
    chart.height = 400;
    let series = [
        Series::new(
            "first curve",
            (2..20)
                .map(|n| (f64::from(n), f64::from(n).sqrt()))
                .collect(),
            SeriesStyle::LineWithMarkers,
        ),
        Series::new(
            "second curve",
            (2..20)
                .map(|n| (f64::from(n), 5.0 - f64::from(n) / 5.0))
                .collect(),
            SeriesStyle::Line,
        ),
    ];
    let svg = dir.join("nested/chart.svg");
    let png_path = dir.join("nested/chart.png");
    figure::draw(&chart, &series, &svg, &png_path).unwrap();

    let text = fs::read_to_string(&svg).unwrap();
    for needle in [
        "A test chart",
        "agents in market",
        "cutoff value",
        "first curve",
        "second curve",
    ] {
        assert!(text.contains(needle), "SVG lacks {needle:?}");
    }
    // Integer ticks only on a count axis.
    let texts = svg_texts(&text);
    assert!(
        texts.iter().any(|t| t == "10"),
        "tick 10 is labelled: {texts:?}"
    );
    // The y values stay below 5, so labels from 6 on are x ticks.
    let x_ticks: Vec<f64> = texts
        .iter()
        .filter_map(|t| t.parse::<f64>().ok())
        .filter(|v| *v >= 6.0)
        .collect();
    assert!(
        !x_ticks.is_empty() && x_ticks.iter().all(|v| v.fract() == 0.0),
        "{x_ticks:?}"
    );

    let (w, h, buf, color) = png_size(&png_path);
    assert_eq!((w, h), (640, 400));
    assert!(
        pixels_near(&buf, color, figure::PALETTE[0]) > 200,
        "first curve drawn"
    );
    assert!(
        pixels_near(&buf, color, figure::PALETTE[1]) > 200,
        "second curve drawn"
    );
    // Text is rasterised: dark pixels beyond the axes exist.
    assert!(
        pixels_near(&buf, color, figure::Rgb(0, 0, 0)) > 500,
        "text drawn"
    );
}

#[test]
fn many_series_of_every_style_all_reach_the_legend() {
    let dir = scratch("many-series");
    let styles = [
        SeriesStyle::Line,
        SeriesStyle::LineWithMarkers,
        SeriesStyle::Markers,
        SeriesStyle::Highlight,
    ];
    let series: Vec<Series> = (0..8)
        .map(|i| {
            Series::new(
                format!("series number {i}"),
                (1..=12)
                    .map(|k| (f64::from(k), f64::from(k * (i + 1))))
                    .collect(),
                styles[i as usize % styles.len()],
            )
        })
        .collect();
    let mut chart = Chart::new("eight series", "k", "value");
    chart.log_y = true;
    let r = figure::save(&dir, "many", "eight series", &chart, &series).unwrap();
    let svg = fs::read_to_string(dir.join(r.svg_path())).unwrap();
    for i in 0..8 {
        assert!(
            svg.contains(&format!("series number {i}")),
            "legend entry {i}"
        );
    }
    let (w, h, _, _) = png_size(&dir.join(r.png_path()));
    assert_eq!((w, h), (800, 500));
}

#[test]
fn bad_figure_input_is_an_error_not_a_panic() {
    let dir = scratch("figure-errors");
    let chart = Chart::new("t", "x", "y");
    let svg = dir.join("e.svg");
    let png_path = dir.join("e.png");
    let with = |points: Vec<(f64, f64)>| [Series::new("s", points, SeriesStyle::Line)];

    let e = figure::draw(&chart, &with(vec![(1.0, f64::INFINITY)]), &svg, &png_path);
    assert!(
        matches!(e, Err(FigureError::NotFinite { index: 0, .. })),
        "{e:?}"
    );

    let e = figure::draw(&chart, &with(vec![(f64::NAN, 1.0)]), &svg, &png_path);
    assert!(matches!(e, Err(FigureError::NoData { .. })), "{e:?}");

    let e = figure::draw(&chart, &[], &svg, &png_path);
    assert!(matches!(e, Err(FigureError::NoData { .. })), "{e:?}");

    let mut log = chart.clone();
    log.log_x = true;
    let e = figure::draw(&log, &with(vec![(1.0, 1.0), (0.0, 2.0)]), &svg, &png_path);
    assert!(
        matches!(
            e,
            Err(FigureError::NotPositive {
                index: 1,
                axis: "x",
                ..
            })
        ),
        "{e:?}"
    );

    let mut tiny = chart.clone();
    tiny.width = 10;
    let e = figure::draw(&tiny, &with(vec![(1.0, 1.0)]), &svg, &png_path);
    assert!(matches!(e, Err(FigureError::TooSmall { .. })), "{e:?}");

    let e = figure::save(&dir, "a/b", "c", &chart, &with(vec![(1.0, 1.0)]));
    assert!(matches!(e, Err(FigureError::BadStem(_))), "{e:?}");

    // A single point and a NaN gap draw fine.
    figure::draw(
        &chart,
        &with(vec![
            (1.0, 1.0),
            (f64::NAN, f64::NAN),
            (2.0, 2.0),
            (3.0, 1.0),
        ]),
        &svg,
        &png_path,
    )
    .unwrap();
    figure::draw(&chart, &with(vec![(5.0, 5.0)]), &svg, &png_path).unwrap();
}

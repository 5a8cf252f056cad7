//! The output layer of `efftrade paper`: its two figures (pgfplots, SVG and PNG) and the
//! write-up that gathers the tables and figures, compiled with pdflatex and looked at. Tables and charts in general are tested with the rendering
//! layer (`crates/render/tests`).

use std::fs;
use std::path::{Path, PathBuf};

use efftrade_paper_checks::context::SeriesData;
use efftrade_paper_checks::figures::{self, FigureRef, figure1, replication_figure};
use efftrade_paper_checks::tables::{Column, Table, TableRef, WRITTEN_BY};
use efftrade_paper_checks::writeup::{write_writeup, writeup_tex};

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("output-layer-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Width and height of a PNG, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(fs::File::open(path).expect("the PNG exists"));
    let reader = decoder.read_info().expect("a PNG header");
    (reader.info().width, reader.info().height)
}

/// The SVG attribute of a line drawn in `rgb`.
fn stroke(rgb: figures::Rgb) -> String {
    format!("stroke=\"#{:02X}{:02X}{:02X}\"", rgb.0, rgb.1, rgb.2)
}

#[test]
fn figure1_shows_a_non_monotone_market() {
    let dir = scratch("figure1");
    // Market A rises, falls from n = 3 to n = 12, then rises again (as Example 1's sine market
    // does); market B rises throughout.
    let a: Vec<(u32, f64)> = [
        3.133, 5.859, 4.803, 3.953, 3.382, 3.000, 2.745, 2.581, 2.481, 2.427, 2.406, 2.407, 2.424,
        2.452, 2.486, 2.525, 2.566, 2.609, 2.652,
    ]
    .into_iter()
    .zip(2..)
    .map(|(beta, n)| (n, beta))
    .collect();
    assert!(a[1].1 > a[2].1, "the test market falls after n = 3");
    let b: Vec<(u32, f64)> = (2..=20)
        .map(|n| (n, 2.0 + 1.6 * f64::from(n - 1).ln()))
        .collect();
    let r = figure1(&a, &b, &dir).unwrap();
    assert_eq!(r.png_path(), "figures/figure1.png");
    assert_eq!(r.label, "fig:figure1");

    let svg = fs::read_to_string(dir.join("figures/figure1.svg")).unwrap();
    assert!(svg.contains("market A: density 0.1 + 0.1 sin x"));
    assert!(svg.contains("market B: uniform on [0, 1]"));
    assert!(svg.contains("number of agents n"));
    assert!(
        svg.contains("β* falls as n grows"),
        "the falling stretch has a legend entry"
    );

    assert_eq!(png_size(&dir.join("figures/figure1.png")), (800, 500));
    assert!(svg.contains(&stroke(figures::BLUE)), "market A in blue");
    assert!(svg.contains(&stroke(figures::RED)), "market B in red");

    // With both markets monotone there is no falling stretch to mark.
    let dir2 = scratch("figure1-monotone");
    let a_up: Vec<(u32, f64)> = (2..=20).map(|n| (n, f64::from(n).sqrt())).collect();
    figure1(&a_up, &b, &dir2).unwrap();
    let svg2 = fs::read_to_string(dir2.join("figures/figure1.svg")).unwrap();
    assert!(!svg2.contains("falls as n grows"));

    // The write-up's picture: no title, math typeset, the legend below the axes.
    let tex = fs::read_to_string(dir.join(r.tex_path())).unwrap();
    assert!(
        !tex.contains("Figure 1:"),
        "no title inside a captioned figure"
    );
    assert!(tex.contains("\\addlegendentry{market A: density $0.1 + 0.1 \\sin x$}"));
    assert!(tex.contains("ylabel={$\\beta^* = -n T_1 / (T_1 + T_2)$}"));
    assert!(tex.contains("anchor=north"));
}

#[test]
fn replication_figure_uses_decades_on_a_log_axis() {
    let dir = scratch("replications");
    let series = vec![
        SeriesData {
            label: "sine market, n = 2".to_string(),
            label_tex: "sine market, $n = 2$".to_string(),
            points: (0..=30)
                .map(|k| (10f64.powi(k), 1.0 - 0.5 / f64::from(k + 1)))
                .collect(),
        },
        SeriesData {
            label: "uniform market, n = 2".to_string(),
            label_tex: "uniform market, $n = 2$".to_string(),
            points: (0..=30)
                .map(|k| (2.0 * 10f64.powi(k), 1.0 + 0.3 / f64::from(k + 1)))
                .collect(),
        },
    ];
    let r = replication_figure(&series, &dir).unwrap();
    assert_eq!(r.png_path(), "figures/replications.png");
    let svg = fs::read_to_string(dir.join(r.svg_path())).unwrap();
    assert!(svg.contains("sine market, n = 2") && svg.contains("uniform market, n = 2"));
    assert!(svg.contains("number of agents N"));
    assert!(svg.contains("10¹⁰"), "decade tick labels");
    assert_eq!(png_size(&dir.join(r.png_path())), (800, 500));
    let tex = fs::read_to_string(dir.join(r.tex_path())).unwrap();
    assert!(tex.contains("xmode=log"));
    assert!(tex.contains("\\addlegendentry{uniform market, $n = 2$}"));
}

#[test]
fn writeup_inputs_every_table_and_figure() {
    let t = TableRef {
        stem: "beta_star_long".into(),
        label: "tab:beta-star-long".into(),
    };
    let f = FigureRef {
        stem: "figure1".into(),
        caption: "$\\beta^*$ & $n$: 100%".into(),
        label: "fig:figure1".into(),
    };
    let tex = writeup_tex(&[t], &[f]);
    assert!(tex.starts_with("% writeup.tex"));
    for needle in [
        "\\documentclass[11pt]{article}",
        "\\usepackage{booktabs}",
        "\\usepackage{siunitx}",
        "\\usepackage{pgfplots}",
        "\\begin{document}",
        "\\input{tables/beta_star_long.tex}",
        "\\input{figures/figure1.tex}",
        "\\caption{$\\beta^*$ \\& $n$: 100\\%}",
        "\\label{fig:figure1}",
    ] {
        assert!(tex.contains(needle), "writeup lacks {needle}");
    }
    assert!(tex.trim_end().ends_with("\\end{document}"));
    assert_eq!(tex.matches('{').count(), tex.matches('}').count());
}

#[test]
fn pdflatex_compiles_a_sample_writeup_with_vector_figures() {
    let dir = scratch("pdflatex");
    let mut short = Table::titled(
        "cgk",
        "CGK interval: beta in [0, beta*]",
        "tab:cgk",
        vec![Column::text("market"), Column::number("beta*")],
    )
    .unwrap()
    .with_caption_tex("CGK interval: $\\beta \\in [0, \\beta^*]$")
    .written_by(WRITTEN_BY);
    short.push_row(["uniform, n = 2", "2"]).unwrap();
    short
        .push_row(["sine (0.1 + 0.1 sin x)", "6.20583967575e20"])
        .unwrap();
    let short = short.write(&dir).unwrap();
    let a: Vec<(u32, f64)> = (2..=12)
        .map(|n| (n, 1.0 / f64::from(n) + 0.1 * f64::from(n)))
        .collect();
    let b: Vec<(u32, f64)> = (2..=12).map(|n| (n, f64::from(n).ln())).collect();
    let fig = figure1(&a, &b, &dir).unwrap();
    let reps = replication_figure(
        &[SeriesData {
            label: "flat top, alpha = 3".to_string(),
            label_tex: "flat top, $\\alpha = 3$".to_string(),
            points: (1..=30)
                .map(|k| (10f64.powi(k), 1.0 + 1.0 / f64::from(k)))
                .collect(),
        }],
        &dir,
    )
    .unwrap();
    write_writeup(&dir, &[short], &[fig, reps]).unwrap();
    // pdflatex and poppler are required (./x test installs them): a missing one fails here.
    let compiled = efftrade_render::latex::compile(&dir, "writeup.tex", &dir.join("pages"), 50)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(compiled.pages >= 2, "title and table, then the figures");
    assert_eq!(compiled.page_images.len(), compiled.pages);
    assert_eq!(compiled.raster_images, 0, "the figures are vector graphics");
    for page in &compiled.page_images {
        let (w, h) = png_size(page);
        assert!(w > 300 && h > 400, "{}: {w}x{h}", page.display());
    }
}

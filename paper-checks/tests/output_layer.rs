//! The output layer of `efftrade paper`: tables (LaTeX and CSV), figures (SVG and PNG) and the
//! write-up that gathers them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use efftrade_paper_checks::figures::{
    self, Chart, FigureError, FigureRef, Series, SeriesStyle, figure1, replication_figure,
};
use efftrade_paper_checks::tables::{Column, Table, TableError, escape_latex};
use efftrade_paper_checks::writeup::{write_writeup, writeup_tex};

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("output-layer-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// A table of Example 1 style numbers: 40 significant digits, exponents, missing and
/// non-numeric entries.
fn long_number_table() -> Table {
    let mut t = Table::new(
        "beta_star_long",
        "beta* with 40 digits: 100% of n_i & #cases cost $5 {sic}",
        "tab:beta-star-long",
        vec![
            Column::number("n"),
            Column::number("beta*").with_header_tex("$\\beta^*$"),
            Column::number("T1 + T2"),
            Column::text("note"),
        ],
    )
    .expect("valid table");
    let rows = [
        [
            "2",
            "3.133369666140473079563532130838166286112",
            "-1.5e-30",
            "first_row",
        ],
        [
            "3",
            "5.858872874330581294137702954196338041512",
            "2.718281828459045235360287471352662497757e+12",
            "peak",
        ],
        ["4", "--", "NaN", "no value"],
        ["5", "", "< 1e-29", "below the noise"],
    ];
    for r in rows {
        t.push_row(r).expect("row of four cells");
    }
    t
}

fn unescaped(s: &str, c: char) -> usize {
    let mut count = 0;
    let mut prev = ' ';
    for ch in s.chars() {
        if ch == c && prev != '\\' {
            count += 1;
        }
        prev = if prev == '\\' && ch == '\\' { ' ' } else { ch };
    }
    count
}

#[test]
fn csv_round_trips_tricky_cells() {
    let tricky = [
        "a,b",
        "say \"hi\"",
        "line one\nline two",
        "cr\r\nlf",
        " leading and trailing ",
        "\"",
        "",
        "plain",
    ];
    let mut t = Table::new(
        "tricky",
        "tricky",
        "tab:tricky",
        vec![Column::text("cell, with comma"), Column::text("index")],
    )
    .unwrap();
    for (i, cell) in tricky.iter().enumerate() {
        t.push_row([cell.to_string(), i.to_string()]).unwrap();
    }
    let csv_text = t.to_csv();
    assert!(csv_text.starts_with("\"cell, with comma\",index\r\n"));
    assert!(csv_text.contains("\"say \"\"hi\"\"\",1\r\n"));
    assert!(
        csv_text.contains("plain,7\r\n"),
        "unquoted when nothing needs it"
    );

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, ["cell, with comma", "index"]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(records.len(), tricky.len());
    for (i, (record, cell)) in records.iter().zip(tricky).enumerate() {
        assert_eq!(record, &[cell.to_string(), i.to_string()], "row {i}");
    }
}

#[test]
fn csv_writes_missing_numbers_as_empty_fields() {
    let csv_text = long_number_table().to_csv();
    let lines: Vec<&str> = csv_text.split("\r\n").collect();
    assert_eq!(lines[0], "n,beta*,T1 + T2,note");
    assert_eq!(
        lines[1],
        "2,3.133369666140473079563532130838166286112,-1.5e-30,first_row"
    );
    assert_eq!(lines[3], "4,,NaN,no value");
    assert_eq!(lines[4], "5,,< 1e-29,below the noise");
    assert_eq!(lines.len(), 6, "four rows, a header and the final CRLF");
}

#[test]
fn latex_escapes_special_characters() {
    assert_eq!(escape_latex("_ % & # $ { }"), "\\_ \\% \\& \\# \\$ \\{ \\}");
    assert_eq!(
        escape_latex("a\\b ^ ~ <x> |y|"),
        "a\\textbackslash{}b \\textasciicircum{} \\textasciitilde{} \\textless{}x\\textgreater{} \\textbar{}y\\textbar{}"
    );
    assert_eq!(escape_latex("two\nlines"), "two lines");
    assert_eq!(
        escape_latex("β* ≤ 2"),
        "\\ensuremath{\\beta}* \\ensuremath{\\leq} 2"
    );

    let tex = long_number_table().to_booktabs();
    assert!(tex.contains(
        "\\caption{beta* with 40 digits: 100\\% of n\\_i \\& \\#cases cost \\$5 \\{sic\\}}"
    ));
    assert!(tex.contains("first\\_row"));
    // The raw LaTeX header is kept as it is (and braced, in an S column).
    assert!(tex.contains("{$\\beta^*$}"));
}

#[test]
fn booktabs_structure_matches_the_columns() {
    let t = long_number_table();
    let tex = t.to_booktabs();
    let top = tex.find("\\toprule").expect("toprule");
    let mid = tex.find("\\midrule").expect("midrule");
    let bottom = tex.find("\\bottomrule").expect("bottomrule");
    assert!(top < mid && mid < bottom);
    for rule in ["\\toprule", "\\midrule", "\\bottomrule"] {
        assert_eq!(tex.matches(rule).count(), 1, "{rule}");
    }
    assert!(tex.contains("\\begin{table}") && tex.contains("\\end{table}"));
    assert!(tex.contains("\\label{tab:beta-star-long}"));
    // Two columns of 40-digit numbers (one with exponents) are too wide for \small.
    assert!(tex.contains("\n  \\tiny\n"), "{tex}");

    // The column spec: one entry per column; number columns are S columns whose format fits the
    // widest number (40 decimals, exponent with a sign), the text column is `l`.
    let spec_line = tex
        .lines()
        .find(|l| l.contains("\\begin{tabular}"))
        .unwrap();
    let spec = spec_line
        .trim()
        .strip_prefix("\\begin{tabular}{")
        .and_then(|s| s.strip_suffix('}'))
        .unwrap();
    let specs: Vec<&str> = spec.split(' ').collect();
    assert_eq!(
        specs,
        [
            "S[table-format=1]",
            "S[table-format=1.39]",
            "S[table-format=-1.39e-2]",
            "l"
        ]
    );

    // Every line of the header and body has one cell per column.
    let body: Vec<&str> = tex[top..bottom]
        .lines()
        .filter(|l| l.trim_end().ends_with("\\\\"))
        .collect();
    assert_eq!(body.len(), 1 + t.rows().len());
    for line in &body {
        assert_eq!(unescaped(line, '&'), t.columns().len() - 1, "{line}");
    }
    // Headers of S columns are braced; cells siunitx cannot parse are braced text.
    assert!(
        body[0]
            .trim()
            .starts_with("{n} & {$\\beta^*$} & {T1 + T2} & note")
    );
    assert!(body[1].contains("& 3.133369666140473079563532130838166286112 &"));
    assert!(body[1].contains("& -1.5e-30 &"));
    assert!(body[3].contains("& {--} & {NaN} &"));
    assert!(body[4].contains("& {\\textless{} 1e-29} &"));
    // Braces balance, so a cell can never swallow the rest of the table.
    assert_eq!(unescaped(&tex, '{'), unescaped(&tex, '}'));
}

#[test]
fn rows_starting_with_a_bracket_or_star_are_guarded() {
    let mut t = Table::new(
        "support",
        "supports",
        "tab:support",
        vec![Column::text("[a, b]"), Column::text("F")],
    )
    .unwrap();
    t.push_row(["[0, 1]", "x"]).unwrap();
    t.push_row(["*starred", "x"]).unwrap();
    let tex = t.to_booktabs();
    assert!(tex.contains("    {}[a, b] & F \\\\"), "{tex}");
    assert!(tex.contains("    {}[0, 1] & x \\\\"), "{tex}");
    assert!(tex.contains("    {}*starred & x \\\\"), "{tex}");
}

#[test]
fn number_column_without_numbers_is_centred_text() {
    let mut t = Table::new("t", "c", "tab:t", vec![Column::number("x")]).unwrap();
    t.push_row(["n/a"]).unwrap();
    let tex = t.to_booktabs();
    assert!(tex.contains("\\begin{tabular}{c}"), "{tex}");
    assert!(tex.contains("\n  \\small\n"), "{tex}");
    assert!(tex.contains("    n/a \\\\"));
}

#[test]
fn math_columns_are_not_escaped() {
    let mut t = Table::new(
        "closed_forms",
        "closed forms",
        "tab:closed",
        vec![Column::text("quantity"), Column::math("closed form")],
    )
    .unwrap();
    t.push_row(["T_1", "\\frac{n-1}{n+1}"]).unwrap();
    let tex = t.to_booktabs();
    assert!(tex.contains("T\\_1 & $\\frac{n-1}{n+1}$ \\\\"), "{tex}");
}

#[test]
fn bad_rows_and_names_are_errors() {
    let mut t = long_number_table();
    match t.push_row(["1", "2"]) {
        Err(TableError::RowLength {
            got: 2,
            expected: 4,
            row: 4,
            ..
        }) => {}
        other => panic!("expected a row-length error, got {other:?}"),
    }
    assert!(matches!(
        Table::new("../evil", "c", "tab:x", vec![Column::text("a")]),
        Err(TableError::BadStem(_))
    ));
    assert!(matches!(
        Table::new("ok", "c", "tab x{", vec![Column::text("a")]),
        Err(TableError::BadLabel(_))
    ));
    assert!(matches!(
        Table::new("ok", "c", "tab:x", vec![]),
        Err(TableError::NoColumns { .. })
    ));
}

#[test]
fn write_puts_tex_and_csv_in_tables() {
    let dir = scratch("write-table");
    let t = long_number_table();
    let r = t.write(&dir).unwrap();
    assert_eq!(r.tex_path(), "tables/beta_star_long.tex");
    assert_eq!(
        fs::read_to_string(dir.join(r.tex_path())).unwrap(),
        t.to_booktabs()
    );
    assert_eq!(
        fs::read_to_string(dir.join(r.csv_path())).unwrap(),
        t.to_csv()
    );
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
fn pixels_near(buf: &[u8], color: png::ColorType, rgb: figures::Rgb) -> usize {
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
    figures::draw(&chart, &series, &svg, &png_path).unwrap();

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
        pixels_near(&buf, color, figures::PALETTE[0]) > 200,
        "first curve drawn"
    );
    assert!(
        pixels_near(&buf, color, figures::PALETTE[1]) > 200,
        "second curve drawn"
    );
    // Text is rasterised: dark pixels beyond the axes exist.
    assert!(
        pixels_near(&buf, color, figures::Rgb(0, 0, 0)) > 500,
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
    let r = figures::save(&dir, "many", "eight series", &chart, &series).unwrap();
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

    let (w, h, buf, color) = png_size(&dir.join("figures/figure1.png"));
    assert_eq!((w, h), (800, 500));
    assert!(
        pixels_near(&buf, color, figures::BLUE) > 300,
        "market A in blue"
    );
    assert!(
        pixels_near(&buf, color, figures::RED) > 300,
        "market B in red"
    );

    // With both markets monotone there is no falling stretch to mark.
    let dir2 = scratch("figure1-monotone");
    let a_up: Vec<(u32, f64)> = (2..=20).map(|n| (n, f64::from(n).sqrt())).collect();
    figure1(&a_up, &b, &dir2).unwrap();
    let svg2 = fs::read_to_string(dir2.join("figures/figure1.svg")).unwrap();
    assert!(!svg2.contains("falls as n grows"));
}

#[test]
fn replication_figure_uses_decades_on_a_log_axis() {
    let dir = scratch("replications");
    let series = vec![
        (
            "sine market, n = 2".to_string(),
            (0..=30)
                .map(|k| (10f64.powi(k), 3.0 * 10f64.powf(f64::from(k) / 3.0)))
                .collect::<Vec<_>>(),
        ),
        (
            "uniform market, n = 2".to_string(),
            (0..=30)
                .map(|k| (2.0 * 10f64.powi(k), 2.0 * 10f64.powf(f64::from(k) / 2.0)))
                .collect(),
        ),
    ];
    let r = replication_figure(&series, &dir).unwrap();
    assert_eq!(r.png_path(), "figures/replications.png");
    let svg = fs::read_to_string(dir.join(r.svg_path())).unwrap();
    assert!(svg.contains("sine market, n = 2") && svg.contains("uniform market, n = 2"));
    assert!(svg.contains("number of agents N"));
    assert!(svg.contains("10¹⁰"), "decade tick labels");
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

    let e = figures::draw(&chart, &with(vec![(1.0, f64::INFINITY)]), &svg, &png_path);
    assert!(
        matches!(e, Err(FigureError::NotFinite { index: 0, .. })),
        "{e:?}"
    );

    let e = figures::draw(&chart, &with(vec![(f64::NAN, 1.0)]), &svg, &png_path);
    assert!(matches!(e, Err(FigureError::NoData { .. })), "{e:?}");

    let e = figures::draw(&chart, &[], &svg, &png_path);
    assert!(matches!(e, Err(FigureError::NoData { .. })), "{e:?}");

    let mut log = chart.clone();
    log.log_x = true;
    let e = figures::draw(&log, &with(vec![(1.0, 1.0), (0.0, 2.0)]), &svg, &png_path);
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
    let e = figures::draw(&tiny, &with(vec![(1.0, 1.0)]), &svg, &png_path);
    assert!(matches!(e, Err(FigureError::TooSmall { .. })), "{e:?}");

    let e = figures::save(&dir, "a/b", "c", &chart, &with(vec![(1.0, 1.0)]));
    assert!(matches!(e, Err(FigureError::BadStem(_))), "{e:?}");

    // A single point and a NaN gap draw fine.
    figures::draw(
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
    figures::draw(&chart, &with(vec![(5.0, 5.0)]), &svg, &png_path).unwrap();
}

#[test]
fn writeup_inputs_every_table_and_figure() {
    let t = long_number_table().reference();
    let f = FigureRef {
        stem: "figure1".into(),
        caption: "beta* & n: 100%".into(),
        label: "fig:figure1".into(),
    };
    let tex = writeup_tex(&[t], &[f]);
    assert!(tex.starts_with("% writeup.tex"));
    for needle in [
        "\\documentclass[11pt]{article}",
        "\\usepackage{booktabs}",
        "\\usepackage{siunitx}",
        "\\usepackage{graphicx}",
        "\\begin{document}",
        "\\input{tables/beta_star_long.tex}",
        "\\includegraphics[width=\\linewidth]{figures/figure1.png}",
        "\\caption{beta* \\& n: 100\\%}",
        "\\label{fig:figure1}",
    ] {
        assert!(tex.contains(needle), "writeup lacks {needle}");
    }
    assert!(tex.trim_end().ends_with("\\end{document}"));
    assert_eq!(unescaped(&tex, '{'), unescaped(&tex, '}'));
}

#[test]
fn pdflatex_compiles_a_sample_writeup() {
    let Ok(out) = Command::new("pdflatex").arg("--version").output() else {
        eprintln!("skipped: pdflatex is not installed, so the sample write-up is not compiled");
        return;
    };
    assert!(out.status.success());
    let dir = scratch("pdflatex");
    let long = long_number_table().write(&dir).unwrap();
    let mut short = Table::new(
        "cgk",
        "CGK interval: beta in [0, beta*]",
        "tab:cgk",
        vec![Column::text("market"), Column::number("beta*")],
    )
    .unwrap();
    short.push_row(["uniform, n = 2", "2"]).unwrap();
    short
        .push_row(["sine (0.1 + 0.1 sin x)", "3.1333"])
        .unwrap();
    let short = short.write(&dir).unwrap();
    let a: Vec<(u32, f64)> = (2..=12)
        .map(|n| (n, 1.0 / f64::from(n) + 0.1 * f64::from(n)))
        .collect();
    let b: Vec<(u32, f64)> = (2..=12).map(|n| (n, f64::from(n).ln())).collect();
    let fig = figure1(&a, &b, &dir).unwrap();
    write_writeup(&dir, &[long, short], &[fig]).unwrap();
    let status = Command::new("pdflatex")
        .args(["-interaction=nonstopmode", "-halt-on-error", "writeup.tex"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "pdflatex failed:\n{}",
        String::from_utf8_lossy(&status.stdout)
    );
    assert!(dir.join("writeup.pdf").exists());
}

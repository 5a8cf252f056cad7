//! Tables in every format: LaTeX (booktabs + siunitx, escaping), RFC 4180 CSV, aligned text,
//! Markdown; and JSON lines.

use std::fs;
use std::path::{Path, PathBuf};

use efftrade_render::latex::escape_latex;
use efftrade_render::{Column, Table, TableError};

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("render-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// A table of Example 1 style numbers: 40 significant digits, exponents, missing and
/// non-numeric entries.
fn long_number_table() -> Table {
    let mut t = Table::titled(
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
    let mut t = Table::titled(
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
    let mut t = Table::titled(
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
    let mut t = Table::titled("t", "c", "tab:t", vec![Column::number("x")]).unwrap();
    t.push_row(["n/a"]).unwrap();
    let tex = t.to_booktabs();
    assert!(tex.contains("\\begin{tabular}{c}"), "{tex}");
    assert!(tex.contains("\n  \\small\n"), "{tex}");
    assert!(tex.contains("    n/a \\\\"));
}

#[test]
fn math_columns_are_not_escaped() {
    let mut t = Table::titled(
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
        Table::titled("../evil", "c", "tab:x", vec![Column::text("a")]),
        Err(TableError::BadStem(_))
    ));
    assert!(matches!(
        Table::titled("ok", "c", "tab x{", vec![Column::text("a")]),
        Err(TableError::BadLabel(_))
    ));
    assert!(matches!(
        Table::titled("ok", "c", "tab:x", vec![]),
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

#[test]
fn untitled_tables_have_no_caption_and_cannot_be_written() {
    let mut t = Table::new(vec![Column::text("a"), Column::number("x")]).unwrap();
    t.push_row(["p_1", "1.25"]).unwrap();
    assert!(t.title().is_none() && t.reference().is_none());
    let tex = t.to_booktabs();
    assert!(!tex.contains("\\caption") && !tex.contains("\\label") && !tex.starts_with('%'));
    assert_eq!(
        t.to_tabular(),
        "\\begin{tabular}{l S[table-format=1.2]}\n  \\toprule\n  a & {x} \\\\\n  \\midrule\n  \
         p\\_1 & 1.25 \\\\\n  \\bottomrule\n\\end{tabular}\n"
    );
    assert!(matches!(
        t.write(&scratch("untitled")),
        Err(TableError::Untitled)
    ));
    assert!(matches!(
        Table::new(vec![]),
        Err(TableError::NoColumns { .. })
    ));
}

#[test]
fn booktabs_of_a_small_table_is_pinned() {
    let mut t = Table::titled(
        "cgk",
        "CGK: beta in [0, beta*] & 100% {sure}",
        "tab:cgk",
        vec![
            Column::text("market"),
            Column::number("n"),
            Column::number("beta*").with_header_tex("$\\beta^*$"),
            Column::math("T_1"),
        ],
    )
    .unwrap()
    .with_caption_tex("CGK: $\\beta \\in [0, \\beta^*]$")
    .written_by("efftrade paper");
    t.push_row(["uniform_2", "2", "2", "-\\frac{1}{12}"])
        .unwrap();
    t.push_row(["sine", "12", "-3.25e-7", ""]).unwrap();
    t.push_row(["none", "3", "n/a", "x"]).unwrap();
    assert_eq!(
        t.to_booktabs(),
        "% cgk: written by efftrade paper. Needs \\usepackage{booktabs,siunitx}.\n\
         \\begin{table}[htbp]\n  \\centering\n  \\small\n  \
         \\caption{CGK: $\\beta \\in [0, \\beta^*]$}\n  \\label{tab:cgk}\n  \
         \\begin{tabular}{l S[table-format=2] S[table-format=-1.2e-1] l}\n    \\toprule\n    \
         market & {n} & {$\\beta^*$} & T\\_1 \\\\\n    \\midrule\n    \
         uniform\\_2 & 2 & 2 & $-\\frac{1}{12}$ \\\\\n    \
         sine & 12 & -3.25e-7 &  \\\\\n    \
         none & 3 & {n/a} & $x$ \\\\\n    \
         \\bottomrule\n  \\end{tabular}\n\\end{table}\n"
    );
}

#[test]
fn siunitx_column_formats_follow_the_widest_parts() {
    let format_of = |cells: &[&str]| {
        let mut t = Table::new(vec![Column::number("x")]).unwrap();
        for c in cells {
            t.push_row([*c]).unwrap();
        }
        let tex = t.to_tabular();
        tex.lines().next().unwrap().to_string()
    };
    assert_eq!(
        format_of(&["1", "22", "333"]),
        "\\begin{tabular}{S[table-format=3]}"
    );
    assert_eq!(
        format_of(&["0.5", "-12.25"]),
        "\\begin{tabular}{S[table-format=-2.2]}"
    );
    assert_eq!(
        format_of(&["1e5", "2.5E-12"]),
        "\\begin{tabular}{S[table-format=1.1e-2]}"
    );
    assert_eq!(format_of(&["--", "NaN"]), "\\begin{tabular}{c}");
}

#[test]
fn rfc4180_quoting_of_commas_quotes_and_line_breaks() {
    let mut t = Table::new(vec![Column::text("a,b"), Column::number("x")]).unwrap();
    t.push_row(["say \"hi\"", "1"]).unwrap();
    t.push_row(["two\nlines", "--"]).unwrap();
    t.push_row(["cr\ronly", "2"]).unwrap();
    t.push_row([" spaced ", "\u{2013}"]).unwrap();
    assert_eq!(
        t.to_csv(),
        "\"a,b\",x\r\n\"say \"\"hi\"\"\",1\r\n\"two\nlines\",\r\n\"cr\ronly\",2\r\n spaced ,\r\n"
    );
    assert_eq!(
        t.to_csv_with(efftrade_render::csv::LineEnd::Lf),
        "\"a,b\",x\n\"say \"\"hi\"\"\",1\n\"two\nlines\",\n\"cr\ronly\",2\n spaced ,\n"
    );
    assert_eq!(
        efftrade_render::csv::record(["", ",", "\"\""]),
        ",\",\",\"\"\"\"\"\""
    );
}

#[test]
fn text_layout_trims_trailing_spaces_but_not_the_rule() {
    let mut t = Table::new(vec![
        Column::text("check"),
        Column::text(""),
        Column::text("where"),
    ])
    .unwrap();
    t.push_row(["ex-post BB", "ok", ""]).unwrap();
    t.push_row(["IR", "", "agent 1"]).unwrap();
    assert_eq!(
        t.to_text(),
        "check           where\n----------  --  -------\nex-post BB  ok\nIR              agent 1\n"
    );
    // Ragged rows, as the command line builds them.
    let rows = vec![
        vec!["k".to_string(), "cutoff".to_string()],
        vec!["10".to_string()],
        vec!["β".to_string(), "2.5".to_string(), "extra".to_string()],
    ];
    assert_eq!(
        efftrade_render::text::aligned(&rows),
        "k   cutoff\n--  ------  -----\n10\nβ   2.5     extra\n"
    );
}

#[test]
fn markdown_escapes_pipes_and_aligns_numbers_right() {
    let mut t = Table::new(vec![
        Column::text("spec"),
        Column::number("points"),
        Column::math("F"),
    ])
    .unwrap();
    t.push_row(["`a.yaml`", "12", "x^2"]).unwrap();
    t.push_row(["a | b\nc", "", ""]).unwrap();
    assert_eq!(
        t.to_markdown(),
        "| spec | points | F |\n|---|---:|---|\n| `a.yaml` | 12 | $x^2$ |\n| a \\| b c | | |\n"
    );
}

#[test]
fn json_lines_match_json_objects() {
    #[derive(serde::Serialize)]
    struct Record {
        n: String,
        shares: Vec<(String, String)>,
        beta: Option<String>,
        efficient: Option<bool>,
        digits: u32,
    }
    let r = Record {
        n: "3".into(),
        shares: vec![("1/3".into(), "3".into())],
        beta: None,
        efficient: Some(true),
        digits: 30,
    };
    let json = serde_json::json!({
        "n": "3",
        "shares": [["1/3", "3"]],
        "beta": null,
        "efficient": true,
        "digits": 30,
    });
    assert_eq!(
        efftrade_render::jsonl::sorted_line(&r).unwrap(),
        serde_json::to_string(&json).unwrap()
    );
    assert_eq!(
        efftrade_render::jsonl::line(&r).unwrap(),
        r#"{"n":"3","shares":[["1/3","3"]],"beta":null,"efficient":true,"digits":30}"#
    );
    let two = efftrade_render::jsonl::sorted_lines([&r, &r]).unwrap();
    assert_eq!(two.lines().count(), 2);
    assert!(two.ends_with("\"shares\":[[\"1/3\",\"3\"]]}\n"));
}

#[test]
fn latex_comments_and_decimals() {
    use efftrade_render::latex::{comment, decimal_math};
    assert_eq!(comment("one"), "% one\n");
    assert_eq!(comment("two\nlines"), "% two\n% lines\n");
    assert_eq!(decimal_math("1.5e-7"), "$1.5 \\times 10^{-7}$");
    assert_eq!(decimal_math("-2.25"), "$-2.25$");
}

#[test]
fn pdflatex_compiles_the_tables() {
    let dir = scratch("pdflatex");
    let long = long_number_table().write(&dir).unwrap();
    let mut tricky = Table::titled(
        "tricky",
        "every special character: \\ { } $ & # % _ ^ ~ < > | β ≤ é",
        "tab:tricky",
        vec![
            Column::text("[text]"),
            Column::number("x"),
            Column::math("m"),
        ],
    )
    .unwrap();
    tricky
        .push_row([
            "*a_b & c% #d $e {f} ^g ~h <i> |j| \\k",
            "1.5e-7",
            "\\beta^*",
        ])
        .unwrap();
    tricky.push_row(["[0, 1]", "< 1e-29", ""]).unwrap();
    let tricky = tricky.write(&dir).unwrap();
    let doc = format!(
        "\\documentclass{{article}}\n\\usepackage{{booktabs,siunitx}}\n\
         \\setlength{{\\textwidth}}{{16.5cm}}\\setlength{{\\oddsidemargin}}{{-0.3cm}}\n\
         \\begin{{document}}\n\
         \\input{{{}}}\n\\input{{{}}}\n\\end{{document}}\n",
        long.tex_path(),
        tricky.tex_path()
    );
    fs::write(dir.join("doc.tex"), doc).unwrap();
    // pdflatex is required (./x test installs it): a missing one fails the test. The text is
    // as wide as the write-up's (16.5 cm), for which the tables' font sizes are chosen.
    let compiled = efftrade_render::latex::compile(&dir, "doc.tex", &dir.join("pages"), 40)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(compiled.pages >= 1);
}

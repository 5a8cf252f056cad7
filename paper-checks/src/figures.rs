//! The two figures `efftrade paper` writes, drawn by the rendering layer
//! ([`efftrade_render::figure`], re-exported here): Figure 1 of the paper (beta* against n for
//! Example 1's two markets) and beta*(N) of replicated markets over their predicted growth.
//! Each is written as a pgfplots picture for the write-up and as SVG and PNG.
//!
//! ```no_run
//! use std::path::Path;
//! use efftrade_paper_checks::figures;
//!
//! let out = Path::new("paper-checks/out");
//! // Figure 1 from (n, beta*) pairs of the two markets.
//! let a = [(2, 3.13), (3, 5.86), (4, 4.80), (5, 3.95)];
//! let b = [(2, 2.00), (3, 2.56), (4, 2.96), (5, 3.26)];
//! let fig1 = figures::figure1(&a, &b, out)?;
//! assert_eq!(fig1.png_path(), "figures/figure1.png");
//! # Ok::<(), figures::FigureError>(())
//! ```

use std::path::Path;

use crate::context::SeriesData;

pub use efftrade_render::figure::{
    BLUE, Chart, FigureError, FigureRef, PALETTE, RED, Rgb, Series, SeriesStyle, draw, save,
};

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
                .with_color(Rgb(255, 150, 0))
                .with_label_tex("$\\beta^*$ falls as $n$ grows"),
        );
    }
    series.push(
        Series::new(
            "market A: density 0.1 + 0.1 sin x",
            a,
            SeriesStyle::LineWithMarkers,
        )
        .with_color(BLUE)
        .with_label_tex("market A: density $0.1 + 0.1 \\sin x$"),
    );
    series.push(
        Series::new(
            "market B: uniform on [0, 1]",
            b,
            SeriesStyle::LineWithMarkers,
        )
        .with_color(RED)
        .with_label_tex("market B: uniform on $[0, 1]$"),
    );
    let mut chart = Chart::new(
        "Figure 1: β* against market size (Example 1)",
        "number of agents n",
        "β* = −n T₁ / (T₁ + T₂)",
    );
    chart.integer_x = true;
    chart.x_label_tex = Some("number of agents $n$".into());
    chart.y_label_tex = Some("$\\beta^* = -n T_1 / (T_1 + T_2)$".into());
    save(
        out_dir,
        "figure1",
        "Figure 1 of the paper: the cutoff interdependence coefficient $\\beta^*$ against the \
         number of agents $n$, for Example 1's market A (density $0.1 + 0.1 \\sin x$, blue) and \
         market B (uniform, red), with equal shares. Orange bands mark where $\\beta^*$ falls \
         as $n$ grows.",
        &chart,
        &series,
    )
}

/// Theorem 3's growth made visible for every family at once: beta*(N) divided by the growth
/// Lemma 3 predicts, `s N^(1 - 1/alpha) (log N)^(1/alpha)` with `s = A1 / (b - mu)`, against the
/// number of agents N on a logarithmic axis, one curve per series, whose points are already
/// divided. Raw beta* spans twenty decades between families of
/// different `alpha`, so curves of small beta* would sit flat at the bottom; divided, each
/// tends to 1 and all share one linear scale. Written to `<out_dir>/figures/replications.*`.
pub fn replication_figure(series: &[SeriesData], out_dir: &Path) -> Result<FigureRef, FigureError> {
    let mut chart = Chart::new(
        "Theorem 3: β* over its predicted growth",
        "number of agents N",
        "β* / (s N^(1−1/α) (log N)^(1/α))",
    );
    chart.log_x = true;
    chart.x_label_tex = Some("number of agents $N$".into());
    chart.y_label_tex =
        Some("$\\beta^* \\,/\\, \\bigl(s N^{1 - 1/\\alpha} (\\log N)^{1/\\alpha}\\bigr)$".into());
    let curves: Vec<Series> = series
        .iter()
        .map(|s| {
            let style = if s.points.len() > 40 {
                SeriesStyle::Line
            } else {
                SeriesStyle::LineWithMarkers
            };
            Series::new(s.label.clone(), s.points.clone(), style)
                .with_label_tex(s.label_tex.clone())
        })
        .collect();
    save(
        out_dir,
        "replications",
        "Theorem 3: the cutoff $\\beta^*$ of $m$-fold replicated markets divided by the growth \
         Lemma 3 predicts, $s N^{1 - 1/\\alpha} (\\log N)^{1/\\alpha}$ with \
         $s = A_1 / (b - \\mu)$, against the number of agents $N$. Every family tends to 1, \
         so $\\beta^*$ grows without bound at the predicted rate; since \
         $\\beta^* / N^{1 - 1/\\alpha} = s (\\log N)^{1/\\alpha} + t$ up to smaller terms, the \
         approach is as slow as $(\\log N)^{-1/\\alpha}$, slowest for $\\alpha = 3$.",
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
}

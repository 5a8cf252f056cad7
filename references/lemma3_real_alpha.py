#!/usr/bin/env python3
"""Independent references for Lemma 3 with a non-integer alpha (beyond the paper).

Kumaraswamy(2, 5/2): F(x) = 1 - (1 - x^2)^(5/2) on [0, 1], so 1 - F(1 - d) = (2d - d^2)^(5/2)
= 2^(5/2) d^(5/2) (1 + O(d)): alpha = 5/2, c = 2^(5/2). For N = 10^k agents, m = N/2 of them
holding 1/m (the replication of shares (1, 0)), mpmath computes (nothing of efftrade is used):

  integral   Int_0^1 F^N dx, by tanh-sinh quadrature in d = 1 - x on segments that double in
             width from the boundary layer's scale N^(-2/5) (F^N = exp(N log1p(-y)),
             y = (2d - d^2)^(5/2));
  gap        b - v* where F(v*)^(N-1) = 1/m, in closed form: y* = -expm1(-log(m)/(N-1)),
             1 - v*^2 = y*^(2/5), gap = y*^(2/5) / (1 + v*);
  paper_sum  sum_(k>=1) e^(-c k^alpha) (the value the paper's proof of (L3-2) arrives at) for
             this c and alpha, and for F = 1 - sqrt(1 - x) (alpha = 1/2, c = 1) by mpmath's nsum.

Writes crates/numeric/tests/data/lemma3_real_alpha.csv (name, k, value), each value to 40
significant digits; crates/numeric/tests/real_alpha.rs reads it.
Run: python3 references/lemma3_real_alpha.py (mpmath 1.3; a few seconds).
"""
import csv
import os

from mpmath import mp, mpf, quad, log1p, exp, expm1, log, sqrt, nsum, inf, nstr

DIGITS = 40
mp.dps = 80


def kumaraswamy_integral(n):
    def g(d):
        y = (2 * d - d * d) ** mpf(2.5)
        return exp(n * log1p(-y))

    w = mpf(n) ** (-mpf(2) / 5)
    points = [mpf(0)]
    p = w / 64
    while p < 1:
        points.append(p)
        p *= 2
    points.append(mpf(1))
    return quad(g, points)


def kumaraswamy_gap(n):
    m = mpf(n) / 2
    y = -expm1(-log(m) / (n - 1))
    one_minus_v2 = y ** (mpf(2) / 5)
    v = sqrt(1 - one_minus_v2)
    return one_minus_v2 / (1 + v)


def main():
    rows = []
    for k in [2, 4, 6, 10, 14, 20]:
        n = mpf(10) ** k
        rows.append(("kumaraswamy_integral", k, kumaraswamy_integral(n)))
        rows.append(("kumaraswamy_gap", k, kumaraswamy_gap(n)))
    c = mpf(2) ** mpf(2.5)
    rows.append(("kumaraswamy_paper_sum", 0, nsum(lambda k: exp(-c * k ** mpf(2.5)), [1, inf])))
    rows.append(("sqrt_paper_sum", 0, nsum(lambda k: exp(-sqrt(k)), [1, inf])))
    out = os.path.join(os.path.dirname(__file__), "..", "crates", "numeric", "tests", "data",
                       "lemma3_real_alpha.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "k", "value"])
        for name, k, v in rows:
            w.writerow([name, k, nstr(v, DIGITS)])


if __name__ == "__main__":
    main()

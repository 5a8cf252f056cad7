#!/usr/bin/env python3
"""Independent references for the distribution families added to the engine.

Computes T1, T2 and beta* with mpmath from the one-dimensional forms of docs/MATH.md (nothing of
efftrade's engine is used):

    T1 = b - sum_i r_i v_i* - sum_i Int_{v_i*}^b F^(n-1) + (n - 1) Int_a^b F^n,
    T2 = Int_a^b F^n - Int_a^b F,    beta* = -n T1 / (T1 + T2),

with v_i* = F^-1(r_i^(1/(n-1))) (a for a zero share). Integrals of powers of F are split
geometrically towards b, where F^n has its boundary layer of width about 1/(n f(b)), and the
working precision exceeds the digits written by the cancellation in T1 (T1 ~ log n / n).

Writes crates/numeric/tests/data/references.csv: spec, n, holders (agents with share 1/holders,
the others 0), t1, t2, beta_star, each to 40 significant digits. The Rust test
crates/numeric/tests/families.rs reads it. Run: python3 references/distributions.py
(mpmath 1.3; a few minutes), or with family names to recompute only their rows.
"""
import csv
import os

from mpmath import mp, mpf, erfc, sqrt, quad, findroot, nstr, log10, betainc, log

DIGITS = 40


def truncated_normal(mean, sd, a, b):
    z = lambda x: (x - mean) / (sd * sqrt(2))
    ea, eb = erfc(z(a)), erfc(z(b))
    return lambda x: (ea - erfc(z(x))) / (ea - eb)


def truncated_lognormal(mu, sigma, a, b):
    normal = truncated_normal(mu, sigma, log(a), log(b))
    return lambda x: normal(log(x))


def beta(p, q):
    return lambda x: betainc(p, q, 0, x, regularized=True)


def monotone_cubic(xs, ys):
    """Fritsch-Carlson monotone cubic Hermite interpolation: end slopes the end secants,
    interior slopes Fritsch and Butland's weighted harmonic mean of the secants (0 where a secant
    vanishes or they differ in sign)."""
    k = len(xs) - 1
    h = [xs[i + 1] - xs[i] for i in range(k)]
    d = [(ys[i + 1] - ys[i]) / h[i] for i in range(k)]
    m = [d[0]] + [mpf(0)] * (k - 1) + [d[-1]]
    for i in range(1, k):
        if d[i - 1] > 0 and d[i] > 0:
            w1, w2 = 2 * h[i] + h[i - 1], h[i] + 2 * h[i - 1]
            m[i] = (w1 + w2) / (w1 / d[i - 1] + w2 / d[i])

    def F(x):
        i = max(j for j in range(k) if xs[j] <= x) if x >= xs[0] else 0
        i = min(i, k - 1)
        t = (x - xs[i]) / h[i]
        h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
        h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
        return h00 * ys[i] + h10 * h[i] * m[i] + h01 * ys[i + 1] + h11 * h[i] * m[i + 1]

    return F


def kumaraswamy(p, q):
    return lambda x: 1 - (1 - x ** p) ** q


FAMILIES = {
    # name: (F, a, b, spec line)
    "truncated-normal": (
        lambda: truncated_normal(mpf(1) / 2, mpf(1) / 4, mpf(0), mpf(1)),
        0, 1,
    ),
    "truncated-normal-tail": (
        lambda: truncated_normal(mpf(0), mpf(1), mpf(2), mpf(3)),
        2, 3,
    ),
    "truncated-lognormal": (
        lambda: truncated_lognormal(mpf(0), mpf(1) / 2, mpf(1) / 2, mpf(3)),
        mpf(1) / 2, 3,
    ),
    "kumaraswamy": (lambda: kumaraswamy(mpf(2), mpf(3)), 0, 1),
    # Densities with zeros of order 2 and 3 at the ends (the exact monotonicity certificate).
    "beta-3-3": (lambda: beta(3, 3), 0, 1),
    "beta-2-3": (lambda: beta(2, 3), 0, 1),
    "beta-4-4": (lambda: beta(4, 4), 0, 1),
    # A mixture: 3/10 uniform and 7/10 Beta(2, 2).
    "mixture": (lambda: (lambda x: mpf(3) / 10 * x + mpf(7) / 10 * betainc(2, 2, 0, x, regularized=True)), 0, 1),
    # An infinite density at b (1 - F = (1 - x)^(1/2): Lemma 3's alpha = 1/2).
    "sqrt-end": (lambda: (lambda x: 1 - sqrt(1 - x)), 0, 1),
    # Real shapes: the arcsine law (infinite density at both ends) and Beta(2.5, 3.5), whose
    # density vanishes to the real order 2.5 at b.
    "beta-half-half": (lambda: beta(mpf(1) / 2, mpf(1) / 2), 0, 1),
    "beta-2.5-3.5": (lambda: beta(mpf(5) / 2, mpf(7) / 2), 0, 1),
    # Piecewise CDFs: smoothstep in two quadratic pieces (a kink of f at 1/2), and the monotone
    # cubic interpolant of a quantile table, written here from Fritsch and Carlson's formulas.
    "piecewise-smoothstep": (
        lambda: (lambda x: 2 * x**2 if x < mpf(1) / 2 else 1 - 2 * (1 - x) ** 2),
        0, 1, ["0.5"],
    ),
    "empirical-quantiles": (
        lambda: monotone_cubic([mpf(0), mpf("0.2"), mpf("0.5"), mpf("0.7"), mpf(1)],
                               [mpf(0), mpf("0.1"), mpf("0.5"), mpf("0.8"), mpf(1)]),
        0, 1, ["0.2", "0.5", "0.7"],
    ),
}

# Families whose replications (shares (1, 0), m-fold) are computed too.
REPLICATED = ["truncated-normal", "beta-2.5-3.5"]

SYMMETRIC = [2, 3, 10, 100, 1000]
# (holders, n): shares (1, 0) replicated m-fold (m holders of 1/m, m agents with nothing).
REPLICATIONS = [(10**3, 2 * 10**3), (10**6, 2 * 10**6), (5 * 10**9, 10**10), (5 * 10**19, 10**20)]


def integral(g, lo, hi, b, breaks=()):
    """Int_lo^hi g, split at b - 10^-k towards b and at the breakpoints of a piecewise F."""
    points = [lo] + [t for t in breaks if lo < t < hi]
    k = 1
    while b - mpf(10) ** (-k) > lo and k < 40:
        points.append(b - mpf(10) ** (-k))
        k += 1
    points.append(hi)
    points = sorted(set(p for p in points if lo <= p <= hi))
    return quad(g, points)


def inverse(F, u, a, b):
    # Illinois keeps the root bracketed, also where u is within 1e-20 of 1 and F is flat.
    return findroot(lambda x: F(x) - u, (mpf(a), mpf(b)), solver="illinois")


def market(F, a, b, n, holders, breaks=()):
    """T1, T2 and beta* of n agents of which `holders` hold 1/holders each."""
    a, b = mpf(a), mpf(b)
    r = mpf(1) / holders
    v = inverse(F, r ** (mpf(1) / (n - 1)), a, b)
    i1 = integral(F, a, b, b, breaks)
    i_n = integral(lambda x: F(x) ** n, a, b, b, breaks)
    j_h = integral(lambda x: F(x) ** (n - 1), v, b, b, breaks)
    others = n - holders
    j_0 = integral(lambda x: F(x) ** (n - 1), a, b, b, breaks) if others else 0
    t1 = b - v - holders * j_h - others * j_0 + (n - 1) * i_n
    t2 = i_n - i1
    return t1, t2, -n * t1 / (t1 + t2)


def main(only=None):
    """Writes the table; with names given, recomputes only their rows and keeps the others."""
    out = os.path.join(os.path.dirname(__file__), "..", "crates", "numeric", "tests", "data")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "references.csv")
    kept = {}
    if only and os.path.exists(path):
        with open(path, newline="") as f:
            for row in list(csv.reader(f))[1:]:
                kept.setdefault(row[0], []).append(row)
    rows = []
    for name, (make, a, b, *rest) in FAMILIES.items():
        breaks = rest[0] if rest else ()
        if only and name not in only:
            rows += kept.get(name, [])
            continue
        cases = [(n, n) for n in SYMMETRIC]
        if name in REPLICATED:
            cases += [(h, n) for h, n in REPLICATIONS]
        for holders, n in cases:
            # T1 cancels about log10(n) digits against terms of order one.
            mp.dps = DIGITS + 20 + int(log10(n))
            F = make()
            t1, t2, star = market(F, a, b, n, holders, [mpf(t) for t in breaks])
            rows.append([name, n, holders] + [nstr(x, DIGITS, min_fixed=1, max_fixed=0) for x in (t1, t2, star)])
            print(name, n, holders, rows[-1][-1], flush=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["spec", "n", "holders", "t1", "t2", "beta_star"])
        w.writerows(rows)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:] or None)

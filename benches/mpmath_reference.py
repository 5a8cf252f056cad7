#!/usr/bin/env python3
"""Reference computation of a market's beta* with mpmath, for the benchmark.

beta* = -N T1 / (T1 + T2) for N agents with equal shares, from the same one-dimensional forms as
efftrade (MATH.md):
    T2 = I_N - I_1,   T1 = b - v* - N J + (N - 1) I_N,
with I_m = int_a^b F^m, J = int_{v*}^b F^(N-1), v* = F^-1((1/N)^(1/(N-1))).

Markets (--market, default sine):
  sine              Example 1's F(x) = 0.1 x + 0.1 (1 - cos x) on [0, b], F(b) = 1 (specs/example1-sine-solved.yaml)
  truncated_normal  the normal of mean 1/2 and sd 1/4 truncated to [0, 1], written with erfc as
                    efftrade writes it: F(x) = (erfc(z(0)) - erfc(z(x))) / (erfc(z(0)) - erfc(z(1))),
                    z(x) = (x - 1/2) / (sqrt(2) / 4)   (specs/family-truncated-normal.yaml)

usage: mpmath_reference.py [--market NAME] DIGITS N [N ...]
prints "N beta*" lines (DIGITS significant digits); stderr: the compute seconds
"""
import sys
import time

from mpmath import mp, mpf, cos, erfc, sqrt, quad, findroot, nstr


def beta_star(F, a, b, n):
    u = (mpf(1) / n) ** (mpf(1) / (n - 1))
    # Bracketed root of F(x) = u (F is increasing).
    v = findroot(lambda x: F(x) - u, (a, b), solver="anderson")
    i1 = quad(F, [a, b])
    i_n = quad(lambda x: F(x) ** n, [a, b])
    j = quad(lambda x: F(x) ** (n - 1), [v, b])
    t1 = b - v - n * j + (n - 1) * i_n
    t2 = i_n - i1
    return -n * t1 / (t1 + t2)


def sine():
    F = lambda x: x / 10 + (1 - cos(x)) / 10
    b = findroot(lambda x: F(x) - 1, mpf("8.44"))
    return F, mpf(0), b


def truncated_normal():
    mean, sd, a, b = mpf(1) / 2, mpf(1) / 4, mpf(0), mpf(1)
    scale = sd * sqrt(2)
    ta, tb = erfc((a - mean) / scale), erfc((b - mean) / scale)
    F = lambda x: (ta - erfc((x - mean) / scale)) / (ta - tb)
    return F, a, b


MARKETS = {"sine": sine, "truncated_normal": truncated_normal}


def main():
    args = sys.argv[1:]
    market = "sine"
    if args[:1] == ["--market"]:
        market, args = args[1], args[2:]
    start = time.perf_counter()
    digits = int(args[0])
    mp.dps = digits + 10
    F, a, b = MARKETS[market]()
    for arg in args[1:]:
        n = int(arg)
        print(n, nstr(beta_star(F, a, b, n), digits, min_fixed=-1, max_fixed=1))
    # Compute time alone (no interpreter start, no import), for a comparison fair to mpmath.
    print(f"{time.perf_counter() - start:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()

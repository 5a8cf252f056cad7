#!/usr/bin/env python3
"""Reference computation of Example 1's sine market with mpmath, for the benchmark.

beta* = -N T1 / (T1 + T2) for F(x) = 0.1 x + 0.1 (1 - cos x) on [0, b], F(b) = 1, equal shares,
from the same one-dimensional forms as efftrade (MATH.md):
    T2 = I_N - I_1,   T1 = b - v* - N J + (N - 1) I_N,
with I_m = int_0^b F^m, J = int_{v*}^b F^(N-1), v* = F^-1((1/N)^(1/(N-1))).

usage: mpmath_reference.py DIGITS N [N ...]    prints "N beta*" lines (DIGITS significant digits)
"""
import sys
import time

from mpmath import mp, mpf, cos, sin, quad, findroot, nstr


def beta_star(n, b):
    F = lambda x: x / 10 + (1 - cos(x)) / 10
    f = lambda x: (1 + sin(x)) / 10
    u = (mpf(1) / n) ** (mpf(1) / (n - 1))
    # Bracketed root of F(x) = u (F is increasing; its density vanishes at 3 pi / 2).
    v = findroot(lambda x: F(x) - u, (mpf(0), b), solver="anderson")
    i1 = quad(F, [0, b])
    i_n = quad(lambda x: F(x) ** n, [0, b])
    j = quad(lambda x: F(x) ** (n - 1), [v, b])
    t1 = b - v - n * j + (n - 1) * i_n
    t2 = i_n - i1
    return -n * t1 / (t1 + t2)


def main():
    start = time.perf_counter()
    digits = int(sys.argv[1])
    mp.dps = digits + 10
    F = lambda x: x / 10 + (1 - cos(x)) / 10
    b = findroot(lambda x: F(x) - 1, mpf("8.44"))
    for arg in sys.argv[2:]:
        n = int(arg)
        print(n, nstr(beta_star(n, b), digits, min_fixed=-1, max_fixed=1))
    # Compute time alone (no interpreter start, no import), for a comparison fair to mpmath.
    print(f"{time.perf_counter() - start:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()

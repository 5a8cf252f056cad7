#!/usr/bin/env python3
"""Reference computation of a Theorem 3 replication with Arb (python-flint), for the benchmark.

The same market and formulas as replication_mpmath.py, written by hand for Arb: Newton's method
on midpoints for b and v*, and acb.integral (Gauss-Legendre with rigorous error bounds) for the
integrals, F^k written as exp(k log F) on the layer [c, b] where F^k exceeds exp(-L).

usage: replication_flint.py DIGITS N REPEAT   prints "N beta*"; stderr: compute seconds per run
"""
import math
import sys
import time

from flint import acb, arb, ctx


def beta_star(digits, n):
    F = lambda x: x / 10 + (1 - x.cos()) / 10
    f = lambda x: (1 + x.sin()) / 10

    def newton(g, dg, x, steps):
        for _ in range(steps):
            x = (x - g(x) / dg(x)).mid()
        return x

    steps = int(math.log2(ctx.prec / 10)) + 3
    b = newton(lambda x: F(x) - 1, f, arb("8.44"), steps + 2)
    def inverse(tail):
        # Bisection to a bracket of width b 2^-40 (F is increasing on [0, b]), then Newton: a
        # start at b - tail / f(b) alone diverges when the tail is not small (few agents).
        lo, hi = arb(0), b
        for _ in range(40):
            mid = ((lo + hi) / 2).mid()
            if F(mid) - 1 + tail < 0:
                lo = mid
            else:
                hi = mid
        return newton(lambda x: F(x) - 1 + tail, f, ((lo + hi) / 2).mid(), steps)
    L = (digits + 2 * len(str(n)) + 10) * math.log(10)

    def layer_integral(k, lo):
        c = inverse(-(arb(-L) / k).expm1())
        c = c if c > lo else lo
        return acb.integral(lambda x, a: (k * acb.log(F(x), analytic=a)).exp(), c, b).real

    r = arb(1) / n
    v = inverse(-(r.log() / (n - 1)).expm1())
    i1 = acb.integral(lambda x, _: F(x), 0, b).real
    i_n = layer_integral(n, arb(0))
    j = layer_integral(n - 1, v)
    t1 = b - v - n * j + (n - 1) * i_n
    t2 = i_n - i1
    return -n * t1 / (t1 + t2)


def main():
    digits, n, repeat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    ctx.dps = digits + 2 * len(str(n)) + 10
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        beta = beta_star(digits, n)
        best = min(best, time.perf_counter() - start)
    print(n, beta.str(digits, radius=False))
    print(f"{best:.5f}", file=sys.stderr)


if __name__ == "__main__":
    main()

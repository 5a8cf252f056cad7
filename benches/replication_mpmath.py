#!/usr/bin/env python3
"""Reference computation of a Theorem 3 replication with mpmath, for the benchmark.

beta* of the m-fold replication of Example 1's sine market (F(x) = 0.1 x + 0.1 (1 - cos x) on
[0, b], F(b) = 1, equal shares): N agents with share 1/N each. The same one-dimensional forms as
efftrade (MATH.md):
    T2 = I_N - I_1,   T1 = b - v* - N J + (N - 1) I_N,
with I_k = int_0^b F^k, J = int_{v*}^b F^(N-1), v* = F^-1((1/N)^(1/(N-1))). For large N, F^N is
negligible below the layer [c, b] with F(c)^N = exp(-L); mpmath integrates there only, on pieces
that shrink geometrically towards b (tanh-sinh on the whole layer loses digits).

usage: replication_mpmath.py DIGITS N      prints "N beta*"; stderr: compute seconds
"""
import sys
import time

from mpmath import mp, mpf, cos, sin, quad, findroot, nstr, log, exp, expm1, ln


def main():
    digits, n = int(sys.argv[1]), int(sys.argv[2])
    start = time.perf_counter()
    # T1 is a difference of O(1) terms of size O(log N / N): 2 log10 N guard digits.
    mp.dps = digits + 2 * len(str(n)) + 10
    F = lambda x: x / 10 + (1 - cos(x)) / 10
    f = lambda x: (1 + sin(x)) / 10
    b = findroot(lambda x: F(x) - 1, mpf("8.44"))

    def inverse(tail):
        # F(x) = 1 - tail near b, by Newton from b (F is increasing there, f(b) > 0).
        return findroot(lambda x: F(x) - 1 + tail, b - tail / f(b))

    def layer_integral(k, lo):
        # int_lo^b F^k over the layer where F^k exceeds exp(-L), on geometric pieces.
        L = (digits + 2 * len(str(n)) + 10) * ln(10)
        c = max(lo, inverse(-expm1(-L / k)))
        points = [c] + [b - (b - c) / 4**j for j in range(1, 12)] + [b]
        return quad(lambda x: exp(k * log(F(x))), points)

    r = mpf(1) / n
    v = inverse(-expm1(log(r) / (n - 1)))
    i1 = quad(F, [0, 3 * mp.pi / 2, b])
    i_n = layer_integral(n, mpf(0))
    j = layer_integral(n - 1, v)
    t1 = b - v - n * j + (n - 1) * i_n
    t2 = i_n - i1
    beta = -n * t1 / (t1 + t2)
    print(n, nstr(beta, digits, min_fixed=-1, max_fixed=1))
    print(f"{time.perf_counter() - start:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()

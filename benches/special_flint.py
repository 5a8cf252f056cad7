"""Seconds per call of erfc, the regularized incomplete beta and the regularized lower incomplete
gamma function in Arb (python-flint) and mpmath, at the arguments and precisions of
crates/numeric/benches/special.rs, best of five batches of at least 20 ms. Each time includes
the interpreter's call overhead, which the last line reports (an addition of two arbs).

Prints `function argument bits implementation seconds` per line.
"""

import time

import flint
import mpmath
from flint import arb, ctx

CASES = [
    ("erfc", 0.3), ("erfc", 1.2), ("erfc", 4.0),
    ("betainc", 0.1), ("betainc", 0.5), ("betainc", 0.9),
    ("gammainc", 0.5), ("gammainc", 5.0), ("gammainc", 50.0),
]


def per_call(f):
    calls = 1
    while True:
        t = time.perf_counter()
        for _ in range(calls):
            f()
        if time.perf_counter() - t >= 0.02:
            break
        calls *= 2
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(calls):
            f()
        best = min(best, (time.perf_counter() - t) / calls)
    return best


def main():
    for bits in (128, 512):
        ctx.prec = bits
        mpmath.mp.prec = bits
        p, q, s = arb(5) / 2, arb(7) / 2, arb(5) / 2
        mp_p, mp_q, mp_s = mpmath.mpf(5) / 2, mpmath.mpf(7) / 2, mpmath.mpf(5) / 2
        for name, a in CASES:
            x = arb(a) + arb(3).sqrt() / 1000
            mx = mpmath.mpf(a) + mpmath.sqrt(3) / 1000
            if name == "erfc":
                arb_f = lambda: x.erfc()
                mp_f = lambda: mpmath.erfc(mx)
            elif name == "betainc":
                arb_f = lambda: x.beta_lower(p, q, regularized=1)
                mp_f = lambda: mpmath.betainc(mp_p, mp_q, 0, mx, regularized=True)
            else:
                arb_f = lambda: arb.gamma_lower(s, x, regularized=1)
                mp_f = lambda: mpmath.gammainc(mp_s, 0, mx, regularized=True)
            print(f"{name} {a} {bits} arb {per_call(arb_f):.3e}")
            print(f"{name} {a} {bits} mpmath {per_call(mp_f):.3e}")
        y = arb(1) / 3
        print(f"overhead 0 {bits} arb {per_call(lambda: y + y):.3e}")


if __name__ == "__main__":
    print(f"# python-flint {flint.__version__}, mpmath {mpmath.__version__}")
    main()

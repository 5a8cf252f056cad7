#!/usr/bin/env python3
"""A second computer-algebra opinion on every closed form pinned in snapshots/.

Each snapshot of the symbolic crate prints a CDF F on a support [a, b] and the closed forms
derived from it (Symbolica). This script recomputes each one with SymPy from the paper's
one-dimensional formulas (docs/MATH.md), independently of the Rust code:

  mu = b - Int_a^b F,  E[max] = b - Int_a^b F^n,  T2 = mu - E[max]  (Lemma 2),
  T1 = b - sum_i r_i v_i - sum_i Int_(v_i)^b F^(n-1) + (n-1) Int_a^b F^n,
  beta* = -n T1 / (T1 + T2),

the critical types v_i as roots of F(v)^(n-1) = r_i (SymPy's own real roots and minimal
polynomials), Lemma 3's alpha, c = (-1)^(alpha+1) F^(alpha)(b)/alpha!, A1 = c^(-1/alpha),
A2 = Gamma(1 + 1/alpha) A1 and Watson's expansion of Int F^N (by series reversion of
-log F(b - h)), and the power family's forms in n, k, a, b, S. A difference that is not zero
fails the check (exit 1). Usage: sympy_check.py SNAPSHOT_DIR
"""

import re
import signal
import sys
from pathlib import Path

try:
    import sympy as sp
except ImportError:
    sys.stderr.write(
        "sympy is not installed for this interpreter: pip install sympy "
        "(or pip install -r python/requirements-test.txt)\n"
    )
    sys.exit(3)

x, t, h, N, u = sp.symbols("x t h N u")
a_s, b_s, n_s, k_s, S_s, Z_s = sp.symbols("a b n k S Z")
FUNCS = {
    "p": sp.Symbol("p"),
    "s": sp.Symbol("s"),
    "sin": sp.sin,
    "cos": sp.cos,
    "exp": sp.exp,
    "log": sp.log,
    "gamma": sp.gamma,
    "pi": sp.pi,
    "E": sp.E,
    "b": b_s,
    "a": a_s,
    "n": n_s,
    "k": k_s,
    "S": S_s,
    "Z": Z_s,
    "N": N,
    "x": x,
}

FAILURES = []
SKIPPED = []


class time_limit:
    """Raises TimeoutError in the block after `seconds` (SIGALRM; POSIX)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def _raise(self, *_):
        raise TimeoutError

    def __enter__(self):
        signal.signal(signal.SIGALRM, self._raise)
        signal.alarm(self.seconds)

    def __exit__(self, *_):
        signal.alarm(0)

CHECKED = {"exact": 0, "numeric": 0}


def expr(text):
    """A Symbolica-printed expression as a SymPy one (rationals exact)."""
    text = text.replace("𝜋", "pi").replace("𝑒", "E").replace("^", "**")
    local = dict(FUNCS)
    for name in set(re.findall(r"\bv\d+\b", text)):
        local[name] = sp.Symbol(name)
    return sp.sympify(text, locals=local, rational=True)


def same(what, ours, theirs):
    """Records whether two expressions are equal: exactly (a simplified difference of zero), or,
    when simplification cannot decide, to 50 digits at three sample points of the free
    symbols."""
    d = ours - theirs
    zero = False
    # Expressions with sin, cos or exp are compared numerically (SymPy's trigonometric
    # simplification is too slow for the test suite).
    methods = () if d.has(sp.sin, sp.cos, sp.exp) else None
    for method in methods if methods is not None else (sp.expand, lambda e: sp.cancel(sp.together(e))):
        try:
            with time_limit(10):
                zero = method(d) == 0
        except Exception:  # noqa: BLE001 - a method may give up or run out of time
            zero = False
        if zero:
            break
    if zero:
        CHECKED["exact"] += 1
        return
    free = sorted(d.free_symbols, key=str)
    points = [sp.Rational(7, 3), sp.Rational(29, 11), sp.Rational(47, 17)]
    for p in points:
        val = sp.N(d.subs({s: p + i for i, s in enumerate(free)}), 60)
        if not (val.is_number and abs(val) < sp.Float(10) ** -45):
            FAILURES.append(f"{what}: ours {ours} vs SymPy {theirs} (difference {val})")
            return
    CHECKED["numeric"] += 1


def integral(f, lo, hi):
    return sp.integrate(sp.expand(f), (x, lo, hi))


def critical_value(F, n, r, a, b):
    """SymPy's critical type: the root of F(v)^(n-1) = r in [a, b]."""
    if r == 0:
        return a
    if r == 1:
        return b
    poly = sp.Poly(sp.expand(F ** (n - 1) - r), x)
    roots = [z for z in poly.real_roots() if a <= z <= b]
    if len(roots) != 1:
        raise ValueError(f"{len(roots)} roots of {poly.as_expr()} in [{a}, {b}]")
    return roots[0]


def check_critical(what, line, value):
    """A 'critical type' line against SymPy's root `value`."""
    m = re.match(r"(v\d+) = (.*)", line)
    rest = m.group(2)
    root = re.search(r"the root of (.*) in \[(.*), (.*)\] \(degree (\d+)\)", rest)
    if root:
        minimal = sp.Poly(expr(root.group(1)), x)
        lo, hi = sp.Rational(root.group(2)), sp.Rational(root.group(3))
        theirs = sp.Poly(sp.minimal_polynomial(value, x), x).monic()
        if minimal.monic() != theirs:
            FAILURES.append(f"{what}: minimal polynomial {minimal.as_expr()} vs SymPy {theirs.as_expr()}")
        if not lo <= value <= hi:
            FAILURES.append(f"{what}: {sp.N(value, 30)} outside [{lo}, {hi}]")
        CHECKED["exact"] += 1
        radical = rest.split(", the root of")[0]
        if radical != rest and not radical.startswith("the root"):
            same(f"{what} radical", expr(radical), value)
    else:
        same(what, expr(rest.split(" = ")[0]), value)


def in_field(what, ours, theirs, subs, minimal):
    """Equality of two expressions in the critical types, with `subs` the exact values, or for a
    single algebraic class reduced modulo its minimal polynomial (exact)."""
    if minimal is not None:
        sym, m = minimal
        num, den = sp.fraction(sp.together(ours - theirs))
        rem = sp.rem(sp.expand(num), m, sym)
        if sp.expand(rem) == 0:
            CHECKED["exact"] += 1
        else:
            FAILURES.append(f"{what}: ours {ours} vs SymPy {theirs}: remainder {rem}")
        return
    d = (ours - theirs).subs(subs)
    try:
        with time_limit(10):
            zero = sp.minimal_polynomial(d, x) == x
        kind = "exact"
    except Exception:  # noqa: BLE001 - several algebraic numbers at once may be out of reach
        zero = abs(sp.N(d, 60)) < sp.Float(10) ** -45
        kind = "numeric"
    if zero:
        CHECKED[kind] += 1
    else:
        FAILURES.append(f"{what}: ours {ours} vs SymPy {theirs}")


def lemma3_lines(lines):
    """The forms of a Lemma 3 section: c, A1, A2 and Watson's expansion."""
    found = {}
    for line in lines:
        m = re.match(r"\s+(c|A1|A2) = (.*)", line)
        if m:
            found[m.group(1)] = expr(m.group(2))
        m = re.match(r"\s+Int(?:_a\^b)? F\^N(?: dp)? ~ (.*)", line)
        if m:
            found["expansion"] = expr(m.group(1))
    return found


def lemma3(what, F, b, found):
    """Lemma 3's constants and Watson's expansion against SymPy's. A support end `b` solved
    from F(b) = 1 is kept a symbol by the forms; they are compared at the sample b = 17/2."""
    if b == b_s:
        b = sp.Rational(17, 2)
        found = {key: v.subs(b_s, b) for key, v in found.items()}
    ders = [F]
    alpha = None
    for kk in range(1, 25):
        ders.append(sp.diff(ders[-1], x))
        val = sp.simplify(ders[-1].subs(x, b))
        if val != 0:
            alpha = kk
            break
    if alpha is None:
        FAILURES.append(f"{what}: no alpha up to 24")
        return
    c = (-1) ** (alpha + 1) * ders[alpha].subs(x, b) / sp.factorial(alpha)
    a1 = c ** sp.Rational(-1, alpha)
    a2 = sp.gamma(1 + sp.Rational(1, alpha)) * a1
    same(f"{what} c", found["c"], c)
    same(f"{what} A1", found["A1"], a1)
    same(f"{what} A2", found["A2"], a2)
    order = 3
    # phi(h) = -log F(b - h) = c h^alpha (1 + ...); u = phi^(1/alpha) = g(h); h = g^-1(u);
    # Int F^N = Int_0^inf e^(-N s) dh, s = u^alpha, gives sum_k h_k Gamma(1 + k/alpha) N^(-k/alpha).
    phi = sp.series(-sp.log(F.subs(x, b - h)), h, 0, alpha + order).removeO()
    psi = sp.expand(phi / (c * h**alpha))
    g = sp.expand(h * sp.series(psi ** sp.Rational(1, alpha), h, 0, order).removeO())
    # Reversion of g(h) = u to order `order`.
    hu = u
    for _ in range(order):
        hu = sp.expand(u - (g.subs(h, hu) - hu))
        hu = sp.series(hu, u, 0, order + 1).removeO()
    hu = sp.expand(hu)
    watson = sum(
        hu.coeff(u, kk) * c ** sp.Rational(-kk, alpha) * sp.gamma(1 + sp.Rational(kk, alpha)) * N ** sp.Rational(-kk, alpha)
        for kk in range(1, order + 1)
    )
    same(f"{what} Watson", found["expansion"], watson)


def market_sections(text):
    """Splits a closed-form snapshot into its header and its '## ...' sections."""
    parts = re.split(r"^## ", text, flags=re.M)
    return parts[0], ["## " + p for p in parts[1:]]


def check_closed(path):
    text = path.read_text()
    header, sections = market_sections(text)
    m = re.search(r"^F\(x\) = (.*) on \[(.*), (.*)\]$", header, flags=re.M)
    F, a = expr(m.group(1)), expr(m.group(2))
    b = b_s if m.group(3) == "b" else expr(m.group(3))
    if not F.is_polynomial(x):
        # SymPy integrates powers of trigonometric CDFs too slowly for the test suite.
        SKIPPED.append(f"{path.name} (F = {F} is not a polynomial)")
        return
    for sec in sections:
        lines = sec.splitlines()
        what = f"{path.name} {lines[0]}"
        if lines[0].startswith("## Lemma 3"):
            lemma3(what, F, b, lemma3_lines(lines))
            continue
        if lines[0].startswith("## Power family"):
            power_family(what, lines)
            continue
        n = int(re.match(r"## n = (\d+)", lines[0]).group(1))
        classes = re.findall(r"(\S+) x (\d+) \(v\* = (\S+)\)", lines[0])
        q = {}
        for line in lines[1:]:
            mq = re.match(r"  (mu|E\[max\]|T2|T1|T1\(v\*\)|beta\*|beta\*\(v\*\)) = (.*)", line)
            if mq:
                q[mq.group(1)] = expr(mq.group(2))
        Fn = F**n
        mu = b - integral(F, a, b)
        emax = b - integral(Fn, a, b)
        t2 = mu - emax
        same(f"{what} mu", q["mu"], mu)
        same(f"{what} E[max]", q["E[max]"], emax)
        same(f"{what} T2", q["T2"], t2)
        # T1 in the critical types (symbols v1, v2, ... as printed; a or b for shares 0, 1).
        anti = sp.integrate(sp.expand(F ** (n - 1)), x)
        t1 = b + (n - 1) * integral(Fn, a, b)
        values = {}
        for share, count, v in classes:
            r = sp.Rational(share)
            vs = expr(v)
            t1 -= int(count) * (r * vs + anti.subs(x, b) - anti.subs(x, vs))
            if isinstance(vs, sp.Symbol):
                values[vs] = (r, count)
        star = -n * t1 / (t1 + t2)
        exact = "T1(v*)" in q
        same(f"{what} T1 in v*", q["T1(v*)" if exact else "T1"], t1)
        if "beta*" in q or "beta*(v*)" in q:
            same(f"{what} beta* in v*", q["beta*(v*)" if exact else "beta*"], star)
        if not exact:
            continue
        subs = {}
        crit = [line.strip()[len("critical type "):] for line in lines if line.strip().startswith("critical type ")]
        for line in crit:
            sym = sp.Symbol(line.split(" ")[0])
            r, _ = values[sym]
            subs[sym] = critical_value(F, n, r, a, b)
            check_critical(f"{what} {sym}", line, subs[sym])
        # One algebraic class left as a symbol: compare in its field, exactly.
        left = [s for s in q["T1"].free_symbols if s in subs]
        minimal = None
        if len(left) == 1:
            sym = left[0]
            minimal = (sym, sp.minimal_polynomial(subs[sym], sym))
            theirs_t1 = t1.subs({s: v for s, v in subs.items() if s != sym})
            theirs_star = star.subs({s: v for s, v in subs.items() if s != sym})
        else:
            theirs_t1, theirs_star = t1.subs(subs), star.subs(subs)
        in_field(f"{what} T1 exact", q["T1"], theirs_t1, subs, minimal)
        if "beta*" in q:
            in_field(f"{what} beta* exact", q["beta*"], theirs_star, subs, minimal)


def power_family(what, lines):
    """The power family F = ((x-a)/(b-a))^k: every form in n, k, a, b, S."""
    q = {}
    for line in lines[1:]:
        m = re.match(r"\s*(.+?) = (.*)", line)
        if m and not line.strip().startswith("latex:"):
            q[m.group(1).strip()] = expr(m.group(2))
    w = b_s - a_s
    e = sp.Symbol("e", positive=True)
    # Int_a^b F^m dx = (b - a) Int_0^1 t^(k m) dt; Int_(v_i)^b F^(n-1) = (b-a)(1 - t_i^(k(n-1)+1))/(k(n-1)+1)
    # with t_i^(k(n-1)) = r_i, and sum_i r_i v_i = a + (b - a) S.
    unit = lambda m: sp.integrate(t**e, (t, 0, 1)).subs(e, k_s * m)  # noqa: E731
    mu = b_s - w * unit(1)
    emax = b_s - w * unit(n_s)
    t2 = mu - emax
    t1 = b_s - (a_s + w * S_s) - w * (n_s - S_s) * unit(n_s - 1) + (n_s - 1) * w * unit(n_s)
    star = -n_s * (t1 / w) / ((t1 + t2) / w)
    equal = n_s ** (-1 / (k_s * (n_s - 1)))
    same(f"{what} mu", q["mu"], mu)
    same(f"{what} E[max]", q["E[max]"], emax)
    same(f"{what} T2", q["T2"], t2)
    same(f"{what} T1", q["T1"], t1)
    same(f"{what} beta*", q["beta*"], star)
    same(f"{what} T1 equal", q["T1 (equal shares)"], t1.subs(S_s, equal))
    same(f"{what} beta* equal", q["beta* (equal shares)"], star.subs(S_s, equal))


def check_lemma3_constants(path):
    """snapshots/lemma3_constants.snap: one entry per spec, each with its F and support."""
    for entry in path.read_text().split("\n\n"):
        lines = entry.strip().splitlines()
        if len(lines) < 2 or "alpha =" not in lines[0] or "Z" in entry:
            continue
        m = re.match(r"\s*F\(x\) = (.*) on \[(.*), (.*)\]$", lines[1])
        if not m:
            FAILURES.append(f"{path.name} {lines[0]}: no 'F(x) = ... on [a, b]' line")
            continue
        F = expr(m.group(1))
        b = b_s if m.group(3) == "b" else expr(m.group(3))
        if F.has(sp.sin, sp.cos, sp.exp, sp.log):
            SKIPPED.append(f"{path.name} {lines[0]} (F = {F} is not algebraic)")
            continue
        body = [re.sub(r" = [-0-9.e]+$", "", line) for line in lines[2:]]
        lemma3(f"{path.name} {lines[0]}", F, b, lemma3_lines(body))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0] if args else "snapshots")
    files = sorted(folder.glob("closed_*.snap"))
    if not files:
        FAILURES.append(f"no closed_*.snap in {folder}")
    for f in files:
        check_closed(f)
    family = folder / "family_power.snap"
    if family.exists():
        power_family("family_power.snap", family.read_text().splitlines())
    # lemma3_constants.snap and lemma3_parameters.snap (check_lemma3_constants,
    # check_lemma3_parameters) take SymPy minutes per entry: they are compared on request only.
    if "--lemma3" in sys.argv:
        constants = folder / "lemma3_constants.snap"
        if constants.exists():
            check_lemma3_constants(constants)
        for extra in sorted(folder.glob("lemma3_parameters*.snap")):
            check_lemma3_parameters(extra)
    print(
        f"sympy {sp.__version__}: {CHECKED['exact']} forms equal exactly, "
        f"{CHECKED['numeric']} to 45 digits (at three points when symbolic), "
        f"{len(FAILURES)} disagreements"
    )
    for f in SKIPPED:
        print("not compared:", f)
    for f in FAILURES:
        print("DISAGREE", f)
    sys.exit(1 if FAILURES else 0)


# Sample values of the families' parameters (the support ends a < b of the power family).
SAMPLES = {
    "k": [2, sp.Rational(5, 2), 7],
    "a": [-1, 0, sp.Rational(1, 2)],
    "b": [2, 3, sp.Rational(5, 2)],
    "p": [2, sp.Rational(5, 2), 3],
    "s": [2, sp.Rational(1, 2), 3],
}


def check_lemma3_parameters(path):
    """Lemma 3 in the parameters (snapshots/lemma3_parameters.snap): each family's forms in its
    parameters, at two sample values of them, against SymPy's Lemma 3 of the family's F there.
    Beta(p, q)'s F is the incomplete beta integral, integrated by SymPy."""
    for entry in path.read_text().split("\n\n"):
        lines = entry.strip().splitlines()
        if not lines or not lines[0].startswith("family "):
            continue
        m = re.match(r"\s*F\(x\) = (.*) on \[(.*), (.*)\]$", lines[1])
        cdf, upper = m.group(1), m.group(3)
        found = lemma3_lines(lines[2:])
        beta_shape = re.match(r"betainc\(p,(\d+),x\)", cdf.replace(" ", ""))
        for i in range(2):
            sample = {FUNCS[name]: values[i] for name, values in SAMPLES.items()}
            if beta_shape:
                q = int(beta_shape.group(1))
                p = sample[sp.Symbol("p")]
                F = sp.integrate(t ** (p - 1) * (1 - t) ** (q - 1), (t, 0, x)) / sp.beta(p, q)
            else:
                F = expr(cdf).subs(sample)
            b = expr(upper).subs(sample)
            at = {key: v.subs(sample) for key, v in found.items()}
            lemma3(f"{path.name} {lines[0]} at {i}", F, b, at)


if __name__ == "__main__":
    main()

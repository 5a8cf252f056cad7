#!/usr/bin/env python3
"""A second computer-algebra opinion on every closed form pinned in snapshots/.

Each snapshot of the symbolic crate prints a CDF F on a support [a, b] and the closed forms
derived from it (Symbolica). This script recomputes each one with SymPy from the paper's
one-dimensional formulas (docs/MATH.md), independently of the Rust code:

  mu = b - Int_a^b F,  E[max] = b - Int_a^b F^n,  T2 = mu - E[max]  (Lemma 2),
  T1 = b - sum_i r_i v_i - sum_i Int_(v_i)^b F^(n-1) + (n-1) Int_a^b F^n,
  beta* = -n T1 / (T1 + T2),

the critical types v_i as roots of F(v)^(n-1) = r_i (an exact divisibility, irreducibility and
root-count test of the printed minimal polynomial and isolating interval), Lemma 3's alpha,
c = (-1)^(alpha+1) F^(alpha)(b)/alpha!, A1 = c^(-1/alpha), A2 = Gamma(1 + 1/alpha) A1, the
paper's A2 = 1/(e^c - 1) for alpha = 1, and Watson's expansion of Int F^N by Lagrange inversion
of phi(h) = -log F(b - h) (the Rust code reverts the series by iteration), and the power family's
forms in n, k, a, b, S.

Integrals are taken from tables, not by SymPy's integrator: polynomials term by term, and
x^i cos(m x), x^i sin(m x) (Example 1's sine market) by the integration-by-parts recurrence after
writing cos^j sin^l as a sum of cos(m x), sin(m x). Power series are truncated lists.

Comparisons are exact where possible: the difference's numerator is expanded with sin(m t),
cos(m t) written as polynomials in S_t = sin(t), C_t = cos(t) and reduced modulo
S_t^2 + C_t^2 - 1 (the only relation between t, sin t and cos t, so a zero remainder is an
identity in t), e as a transcendental symbol, an algebraic critical type reduced modulo its minimal
polynomial, and a radical c^(1/alpha) of a form in the parameters reduced modulo R^alpha - c.
Where that is out of reach within a few seconds, the difference is evaluated with mpmath to 60
digits at the market's values (the solved b, the critical types) and two sample values of free
parameters, and must be below 1e-45 relative to the form: the summary line counts each kind, and
--verbose names every numeric comparison. A difference fails the check (exit 1).

Usage: sympy_check.py [--verbose] SNAPSHOT_DIR
"""

import re
import signal
import sys
import time
from functools import lru_cache
from pathlib import Path

try:
    import mpmath
    import sympy as sp
except ImportError:
    sys.stderr.write(
        "sympy is not installed for this interpreter: pip install sympy "
        "(or pip install -r python/requirements-test.txt)\n"
    )
    sys.exit(3)

x, z = sp.symbols("x z")
# N = M^alpha and R = c^(1/alpha): positive, so that powers of them simplify.
N, M, R = sp.symbols("N M R", positive=True)
a_s, b_s, n_s, k_s, S_s, Z_s = sp.symbols("a b n k S Z")
p_s, s_s, q_s = sp.symbols("p s q", positive=True)
E_SYM = sp.Symbol("e_")  # Euler's e, transcendental: rational functions in it compare exactly
FUNCS = {
    "p": p_s,
    "s": s_s,
    "q": q_s,
    "sin": sp.sin,
    "cos": sp.cos,
    "exp": sp.exp,
    "log": sp.log,
    "gamma": sp.gamma,
    "beta": sp.beta,
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
PRECISION = 60  # digits of the numeric comparisons
TOLERANCE = sp.Float(10, PRECISION) ** -45
EXACT_SECONDS = 8  # time allowed to an exact comparison before it is made numerically

FAILURES = []
NUMERIC = []
CHECKED = {"exact": 0, "numeric": 0}
VERBOSE = "--verbose" in sys.argv


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


def expr(text):
    """A Symbolica-printed expression as a SymPy one (rationals exact)."""
    text = text.replace("𝜋", "pi").replace("𝑒", "E").replace("^", "**")
    local = dict(FUNCS)
    for name in set(re.findall(r"\bv\d+\b", text)):
        local[name] = sp.Symbol(name)
    return sp.sympify(text, locals=local, rational=True)


# --- exact comparison ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def chebyshev(m):
    """(cos(m t), sin(m t)) as polynomials in C = cos t, S = sin t, for the integer m >= 0."""
    C, S = sp.symbols("C S")
    cm, sm = sp.Integer(1), sp.Integer(0)
    for _ in range(m):
        cm, sm = sp.expand(cm * C - sm * S), sp.expand(sm * C + cm * S)
    return cm, sm


def trig_base(arg):
    """A trigonometric argument as (m, t): m an integer, t a symbol or a rational number."""
    coeff, rest = arg.as_coeff_Mul()
    if rest.is_Symbol and coeff.is_Integer:
        return int(coeff), rest
    if arg.is_Rational:
        return 1, arg
    return None


def circle(e, pairs):
    """`e` with every sin(m t), cos(m t) as a polynomial in S_t, C_t (recorded in `pairs`) and
    every power of e as a power of the symbol e_."""
    e = e.replace(lambda a: isinstance(a, sp.exp), lambda a: E_SYM ** a.args[0])
    e = e.subs(sp.E, E_SYM)
    subs = {}
    for f in e.atoms(sp.sin, sp.cos):
        base = trig_base(f.args[0])
        if base is None:
            continue
        m, t = base
        if t not in pairs:
            pairs[t] = sp.symbols(f"S_{len(pairs)} C_{len(pairs)}")
        S, C = pairs[t]
        cm, sm = chebyshev(abs(m))
        sign = 1 if m >= 0 else -1
        poly = cm if isinstance(f, sp.cos) else sign * sm
        subs[f] = poly.subs({sp.Symbol("C"): C, sp.Symbol("S"): S}, simultaneous=True)
    return e.xreplace(subs) if subs else e


def reduce_circle(num, S, C):
    """`num`, a polynomial in S, modulo S^2 + C^2 - 1."""
    poly = sp.Poly(num, S)
    return sp.expand(sum(c * S ** (j % 2) * (1 - C**2) ** (j // 2) for (j,), c in poly.terms()))


def exact_zero(d, modulo=()):
    """Whether `d` is exactly zero: its numerator, expanded and reduced modulo the circle
    relations and the polynomials `modulo` (pairs (polynomial, symbol)), vanishes."""
    if d == 0:
        return True
    try:
        with time_limit(EXACT_SECONDS):
            pairs = {}
            d = circle(d, pairs)
            num = sp.expand(sp.fraction(sp.together(d))[0])
            for S, C in pairs.values():
                if num.has(S):
                    num = reduce_circle(num, S, C)
            for poly, sym in modulo:
                if num.has(sym):
                    num = sp.expand(sp.rem(num, circle(poly, pairs), sym))
            return num == 0
    except Exception:  # noqa: BLE001 - out of time or out of SymPy's reach: decide numerically
        return False


def numeric(d, ours, points):
    """Whether `d` is below the tolerance relative to `ours` at every point (dicts of values)."""
    for point in points:
        with mpmath.workdps(PRECISION + 10):
            val = sp.N(d.xreplace(point), PRECISION)
            size = sp.N(ours.xreplace(point), PRECISION)
        if not (val.is_number and val.is_finite and abs(val) <= TOLERANCE * max(1, abs(size))):
            return False, val
    return True, None


def same(what, ours, theirs, points=({},), modulo=()):
    """Records whether `ours` (the snapshot's form) equals `theirs` (SymPy's): exactly, else to
    45 digits at the `points`."""
    d = ours - theirs
    if exact_zero(d, modulo):
        CHECKED["exact"] += 1
        return True
    ok, val = numeric(d, ours, points)
    if ok:
        CHECKED["numeric"] += 1
        NUMERIC.append(what)
        return True
    FAILURES.append(f"{what}: ours {ours} vs SymPy {theirs} (difference {val})")
    return False


# --- integrals by table ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def linearize(j, l):
    """cos^j sin^l as {m: (cos coefficient, sin coefficient)} of cos(m x), sin(m x), m >= 0."""
    e = sp.expand(((z + 1 / z) / 2) ** j * ((z - 1 / z) / (2 * sp.I)) ** l * z ** (j + l))
    poly = sp.Poly(e, z)
    coeff = {m - (j + l): poly.coeff_monomial(z**m) for m in range(2 * (j + l) + 1)}
    out = {}
    for m in range(j + l + 1):
        up, down = coeff.get(m, 0), coeff.get(-m, 0)
        if m == 0:
            out[0] = (sp.nsimplify(up), 0)
        else:
            out[m] = (sp.expand(up + down), sp.expand(sp.I * (up - down)))
    return out


@lru_cache(maxsize=None)
def antiderivative(i, kind, m):
    """Int x^i cos(m x) dx (kind "cos") or Int x^i sin(m x) dx (kind "sin"), m >= 1, by parts:
    Int x^i cos = x^i sin/m - (i/m) Int x^(i-1) sin, Int x^i sin = -x^i cos/m + (i/m) Int x^(i-1) cos."""
    mm = sp.Integer(m)
    if kind == "cos":
        head = x**i * sp.sin(m * x) / mm
        return head - (sp.Integer(i) / mm) * antiderivative(i - 1, "sin", m) if i else head
    head = -(x**i) * sp.cos(m * x) / mm
    return head + (sp.Integer(i) / mm) * antiderivative(i - 1, "cos", m) if i else head


def integral(F, lo, hi):
    """Int_lo^hi F dx for F a polynomial in x, cos(x), sin(x), from the tables above."""
    pairs = {}
    f = sp.expand(circle(F, pairs))
    if x not in pairs:
        anti = sp.Poly(f, x).integrate().as_expr()
        return sp.expand(anti.subs(x, hi) - anti.subs(x, lo))
    S, C = pairs[x]
    anti = sp.Integer(0)
    for (i, j, l), c in sp.Poly(f, x, C, S).terms():
        for m, (cc, sc) in linearize(j, l).items():
            if m == 0:
                anti += c * cc * x ** (i + 1) / (i + 1)
                continue
            if cc:
                anti += c * cc * antiderivative(i, "cos", m)
            if sc:
                anti += c * sc * antiderivative(i, "sin", m)
    return anti.subs(x, hi) - anti.subs(x, lo)


# --- truncated power series in h (lists, index = power) ---------------------------------------


def s_mul(u, v, n):
    out = [sp.Integer(0)] * n
    for i, a in enumerate(u[:n]):
        if a == 0:
            continue
        for j, b in enumerate(v[: n - i]):
            out[i + j] += a * b
    return [sp.expand(c) for c in out]


def s_pow(one_plus, e, n):
    """(1 + y)^e for the series `one_plus` = 1 + y (y without constant term), by the binomial
    series."""
    y = [sp.Integer(0)] + list(one_plus[1:n])
    out = [sp.Integer(1)] + [sp.Integer(0)] * (n - 1)
    term = [sp.Integer(1)] + [sp.Integer(0)] * (n - 1)
    binom = sp.Integer(1)
    for m in range(1, n):
        binom = binom * (e - m + 1) / m
        term = s_mul(term, y, n)
        out = [sp.expand(o + binom * t) for o, t in zip(out, term)]
    return out


# --- Lemma 3 --------------------------------------------------------------------------------


def lemma3_theirs(density, b, order=3, values=None):
    """Lemma 3 from the density F' of F on [a, b] (F(b) = 1): alpha, c, and Watson's expansion,
    by Lagrange inversion. `values` gives the numbers of the symbols of F (to tell a non-zero
    derivative)."""
    taylor = [sp.Integer(0)]  # 1 - F(b - h) = sum_k s_k h^k, s_k = -(-1)^k F^(k)(b)/k!
    d = density
    alpha = None
    for kk in range(1, 25 + order):
        if kk > 1:
            d = sp.diff(d, x)
        sk = sp.expand(-((-1) ** kk) * d.subs(x, b) / sp.factorial(kk))
        taylor.append(sk)
        if alpha is None and not exact_zero(sk):
            val = sp.N(sk.xreplace(values or {}), 30)
            if not val.is_number or abs(val) > sp.Float(10) ** -25:
                alpha = kk
        if alpha is not None and kk >= alpha + order:
            break
    if alpha is None:
        return None
    c = taylor[alpha]
    n = alpha + order + 1
    # phi(h) = -log(1 - D) = sum_m D^m / m, D = 1 - F(b - h).
    phi = [sp.Integer(0)] * n
    dpow = [sp.Integer(1)] + [sp.Integer(0)] * (n - 1)
    for m in range(1, n):
        dpow = s_mul(dpow, taylor, n)
        phi = [p + t / m for p, t in zip(phi, dpow)]
    psi = [sp.cancel(phi[alpha + j] / c) for j in range(order)]  # phi = c h^alpha psi(h)
    # phi = s with s = (R h psi^(1/alpha))^alpha, R = c^(1/alpha); h = sum_k h_k s^(k/alpha) with
    # h_k = R^(-k) [w^(k-1)] psi(w)^(-k/alpha) / k (Lagrange inversion); Int_0^inf e^(-N s) dh.
    one = sp.Integer(1)
    expansion = sp.Integer(0)
    for kk in range(1, order + 1):
        coeff = s_pow(psi, sp.Rational(-kk, alpha), order)[kk - 1] / kk
        expansion += coeff * R ** (-kk) * sp.gamma(one + sp.Rational(kk, alpha)) * M ** (-kk)
    return alpha, c, expansion


def radicals_of(e, c, alpha):
    """`e` with N = M^alpha and every power c^(j/alpha) (or (1/c)^(j/alpha)) as R^j."""
    e = e.subs(N, M**alpha)
    if alpha == 1:
        return e.subs(R, c)

    def is_c_power(a):
        if not (a.is_Pow and a.exp.is_Rational and not a.exp.is_Integer):
            return False
        return sp.cancel(a.base - c) == 0 or sp.cancel(a.base * c - 1) == 0

    def as_r(a):
        sign = 1 if sp.cancel(a.base - c) == 0 else -1
        return R ** (sign * a.exp * alpha)

    return e.replace(is_c_power, as_r)


def check_lemma3(what, density, b, found, points, values=None):
    """The forms of a Lemma 3 section (`found`: c, A1, A2, paper, expansion) against SymPy's,
    from the density F'."""
    theirs = lemma3_theirs(density, b, values=values)
    if theirs is None:
        FAILURES.append(f"{what}: no alpha up to 24")
        return
    alpha, c, expansion = theirs
    if "alpha" in found and found["alpha"] != alpha:
        FAILURES.append(f"{what}: alpha {found['alpha']} vs SymPy {alpha}")
    # R = c^(1/alpha) as SymPy writes it, unless that stays a radical of an expression in the
    # parameters: then the symbol R, modulo R^alpha - c.
    root = c ** sp.Rational(1, alpha)
    symbolic = root.is_Pow and root.base == c and not c.is_number
    root = R if symbolic else root
    modulo = ((R**alpha - c, R),) if symbolic else ()
    pts = [dict(pt) for pt in points]
    for pt in pts:
        pt[R] = sp.root(c.xreplace(pt), alpha)
        pt[M] = sp.Rational(7, 3) + len(pt) % 3
    a1 = 1 / root
    a2 = sp.gamma(1 + sp.Rational(1, alpha)) * a1
    # With c in the parameters its radicals become powers of the symbol R (modulo R^alpha - c);
    # numeric radicals SymPy keeps in a canonical form.
    prep = lambda e: radicals_of(e, c, alpha) if symbolic else e.subs(N, M**alpha)  # noqa: E731
    same(f"{what} c", found["c"], c, pts)
    expansion = expansion.subs(R, root)
    same(f"{what} A1", prep(found["A1"]), a1, pts, modulo)
    same(f"{what} A2", prep(found["A2"]), a2, pts, modulo)
    if "paper" in found and alpha == 1:
        same(f"{what} A2 (paper)", found["paper"], 1 / (sp.exp(c) - 1), pts)
    if "expansion" in found:
        ours = prep(found["expansion"])
        same(f"{what} Watson", ours, expansion, pts, modulo)


def lemma3_lines(lines):
    """The forms of a Lemma 3 section: alpha, c, A1, A2, the paper's A2, Watson's expansion."""
    found = {}
    for line in lines:
        m = re.match(r".*: alpha = (\d+)$", line)
        if m:
            found["alpha"] = int(m.group(1))
        m = re.match(r"\s+(c|A1|A2|A2 \(paper's proof\)) = (.*)", line)
        if m and "paper_sum" not in m.group(2):
            found["paper" if "paper" in m.group(1) else m.group(1)] = expr(m.group(2))
        m = re.match(r"\s+Int(?:_a\^b)? F\^N(?: dp)? ~ (.*)", line)
        if m:
            found["expansion"] = expr(m.group(1))
    return found


# --- closed forms of a market ---------------------------------------------------------------


def findroot(f, lo, hi):
    """The root of the increasing f in [lo, hi] to PRECISION + 10 digits (bisection, then
    Newton)."""
    with mpmath.workdps(PRECISION + 10):
        g = sp.lambdify(x, f, "mpmath")
        return sp.Float(mpmath.findroot(g, (mpmath.mpf(lo), mpmath.mpf(hi)), solver="anderson"), PRECISION + 10)


def check_critical(what, line, F, n, r, a, b):
    """A 'critical type' line: the printed value is a root of F^(n-1) = r in [a, b]; a minimal
    polynomial divides F^(n-1) - r, is irreducible and has one root in the printed interval, which
    holds the only root of F^(n-1) - r in [a, b]; a radical is a root of it in the interval.
    Returns (symbol, exact value or None, minimal polynomial or None)."""
    m = re.match(r"(v\d+) = (.*)", line)
    sym, rest = sp.Symbol(m.group(1)), m.group(2)
    target = sp.Poly(sp.expand(F ** (n - 1) - r), x)
    if target.count_roots(a, b) != 1:
        FAILURES.append(f"{what}: F^(n-1) = {r} has {target.count_roots(a, b)} roots in [{a}, {b}]")
    root = re.search(r"the root of (.*) in \[(.*), (.*)\] \(degree (\d+)\)", rest)
    if not root:
        value = expr(rest.split(" = ")[0])
        if value.is_Rational and target.eval(value) == 0 and a <= value <= b:
            CHECKED["exact"] += 1
        else:
            FAILURES.append(f"{what}: {value} is not a root of {target.as_expr()} in [{a}, {b}]")
        return sym, value, None
    minimal = sp.Poly(expr(root.group(1)), x)
    lo, hi = sp.Rational(root.group(2)), sp.Rational(root.group(3))
    ok = (
        target.rem(minimal).is_zero
        and minimal.is_irreducible
        and minimal.degree() == int(root.group(4))
        and minimal.count_roots(lo, hi) == 1
        and target.count_roots(lo, hi) == 1
        and a <= lo <= hi <= b
    )
    if not ok:
        FAILURES.append(f"{what}: {minimal.as_expr()} in [{lo}, {hi}] is not the root of {target.as_expr()}")
        return sym, None, None
    CHECKED["exact"] += 1
    radical = rest.split(", the root of")[0]
    if radical == rest or radical.startswith("the root"):
        return sym, None, minimal.as_expr().subs(x, sym)
    value = expr(radical)
    inside = lo <= sp.N(value, PRECISION) <= hi
    if exact_zero(minimal.as_expr().subs(x, value)) and inside:
        CHECKED["exact"] += 1
    else:
        FAILURES.append(f"{what}: the radical {value} is not the root of {minimal.as_expr()} in [{lo}, {hi}]")
    return sym, value, None


def market_sections(text):
    """Splits a closed-form snapshot into its header and its '## ...' sections."""
    parts = re.split(r"^## ", text, flags=re.M)
    return parts[0], ["## " + p for p in parts[1:]]


def check_closed(path):
    text = path.read_text()
    header, sections = market_sections(text)
    m = re.search(r"^F\(x\) = (.*) on \[(.*), (.*)\]$", header, flags=re.M)
    F, a = expr(m.group(1)), expr(m.group(2))
    base = {}
    if m.group(3) == "b":
        solved = re.search(r"^b = the root of F\(b\) = 1 = (\S+)", header, flags=re.M)
        guess = sp.Rational(solved.group(1))
        base[b_s] = findroot(F - 1, guess - sp.Rational(1, 100), guess + sp.Rational(1, 100))
        b = b_s
    else:
        b = expr(m.group(3))
    for sec in sections:
        lines = sec.splitlines()
        what = f"{path.name} {lines[0]}"
        if lines[0].startswith("## Lemma 3 in the parameters: "):
            check_family(what, [lines[0][len("## Lemma 3 in the parameters: "):]] + lines[1:])
            continue
        if lines[0].startswith("## Lemma 3"):
            check_lemma3(what, sp.diff(F, x), b, lemma3_lines(lines), [base], base)
            continue
        if lines[0].startswith("## Power family"):
            power_family(what, lines)
            continue
        check_market(what, lines, F, a, b, base)


def check_market(what, lines, F, a, b, base):
    """One '## n = ...' section: mu, E[max], T2, T1 and beta* in the critical types, and exactly."""
    n = int(re.match(r"## n = (\d+)", lines[0]).group(1))
    classes = re.findall(r"(\S+) x (\d+) \(v\* = (\S+)\)", lines[0])
    q = {}
    for line in lines[1:]:
        mq = re.match(r"  (mu|E\[max\]|T2|T1|T1\(v\*\)|beta\*|beta\*\(v\*\)) = (.*)", line)
        if mq:
            q[mq.group(1)] = expr(mq.group(2))
    point = dict(base)
    b_num = b.xreplace(base)
    mu = b - integral(F, a, b)
    emax = b - integral(F**n, a, b)
    t2 = mu - emax
    t1 = b + (n - 1) * integral(F**n, a, b)
    shares = {}
    for share, count, v in classes:
        r = sp.Rational(share)
        vs = expr(v)
        if isinstance(vs, sp.Symbol):
            shares[vs] = r
            point[vs] = findroot(F.xreplace(base) ** (n - 1) - r, a, b_num)
        t1 -= int(count) * (r * vs + integral(F ** (n - 1), vs, b))
    star = -n * t1 / (t1 + t2)
    same(f"{what} mu", q["mu"], mu, [point])
    same(f"{what} E[max]", q["E[max]"], emax, [point])
    same(f"{what} T2", q["T2"], t2, [point])
    in_v = "T1(v*)" in q
    same(f"{what} T1 in v*", q["T1(v*)" if in_v else "T1"], t1, [point])
    if "beta*" in q or "beta*(v*)" in q:
        same(f"{what} beta* in v*", q["beta*(v*)" if in_v else "beta*"], star, [point])
    if not in_v:
        return
    # Exact critical types: T1 and beta* as exact numbers, compared with the radicals put in
    # for the v_i, or modulo the minimal polynomial of a v_i left as a symbol.
    subs, modulo = {}, []
    for line in lines:
        if line.strip().startswith("critical type "):
            rest = line.strip()[len("critical type "):]
            sym = sp.Symbol(rest.split(" ")[0])
            sym, value, minimal = check_critical(f"{what} {sym}", rest, F, n, shares[sym], a, b)
            if value is not None:
                subs[sym] = value
            if minimal is not None:
                modulo.append((minimal, sym))
    same(f"{what} T1 exact", q["T1"], t1.xreplace(subs), [point], modulo)
    if "beta*" in q:
        same(f"{what} beta* exact", q["beta*"], star.xreplace(subs), [point], modulo)


def power_family(what, lines):
    """The power family F = ((x-a)/(b-a))^k: every form in n, k, a, b, S."""
    q = {}
    for line in lines[1:]:
        m = re.match(r"\s*(.+?) = (.*)", line)
        if m and not line.strip().startswith("latex:"):
            q[m.group(1).strip()] = expr(m.group(2))
    wd = b_s - a_s
    # Int_a^b F^m dx = (b - a) Int_0^1 t^(k m) dt = (b - a)/(k m + 1); Int_(v_i)^b F^(n-1) =
    # (b - a)(1 - t_i^(k(n-1)+1))/(k(n-1)+1) with t_i^(k(n-1)) = r_i, sum_i r_i v_i = a + (b - a) S.
    unit = lambda m: 1 / (k_s * m + 1)  # noqa: E731
    mu = b_s - wd * unit(1)
    emax = b_s - wd * unit(n_s)
    t2 = mu - emax
    t1 = b_s - (a_s + wd * S_s) - wd * (n_s - S_s) * unit(n_s - 1) + (n_s - 1) * wd * unit(n_s)
    star = -n_s * t1 / (t1 + t2)
    equal = n_s ** (-1 / (k_s * (n_s - 1)))
    points = [
        {n_s: 3, k_s: sp.Rational(5, 2), a_s: -1, b_s: 2, S_s: sp.Rational(2, 7)},
        {n_s: 5, k_s: sp.Rational(1, 3), a_s: sp.Rational(1, 2), b_s: 3, S_s: sp.Rational(1, 9)},
    ]
    same(f"{what} mu", q["mu"], mu, points)
    same(f"{what} E[max]", q["E[max]"], emax, points)
    same(f"{what} T2", q["T2"], t2, points)
    same(f"{what} T1", q["T1"], t1, points)
    same(f"{what} beta*", q["beta*"], star, points)
    same(f"{what} T1 equal", q["T1 (equal shares)"], t1.subs(S_s, equal), points)
    same(f"{what} beta* equal", q["beta* (equal shares)"], star.subs(S_s, equal), points)


# --- Lemma 3 snapshots ----------------------------------------------------------------------


def entries(path):
    for entry in path.read_text().split("\n\n"):
        lines = [line for line in entry.strip().splitlines() if line and line != "---" and not line.startswith("source:")]
        if lines:
            yield lines


def check_lemma3_constants(path):
    """snapshots/lemma3_constants.snap: one entry per spec, each with its F and support. A
    normalising constant Z is the printed denominator of F; a solved b is found from F(b) = 1."""
    for lines in entries(path):
        if "alpha =" not in lines[0]:
            continue  # a spec without a closed form: only the reason is pinned
        m = re.match(r"\s*F\(x\) = (.*) on \[(.*), (.*)\]$", lines[1])
        if not m:
            FAILURES.append(f"{path.name} {lines[0]}: no 'F(x) = ... on [a, b]' line")
            continue
        F = expr(m.group(1))
        values = {}
        if m.group(3) == "b":
            b = b_s
            values[b_s] = findroot(F - 1, 0, 20)
        else:
            b = expr(m.group(3))
        body = [re.sub(r" = [-0-9.e]+$", "", line) for line in lines]
        found = lemma3_lines(body)
        if any(f.has(Z_s) for f in found.values() if isinstance(f, sp.Basic)):
            ratio = re.match(r"\((.*)\)/\((.*)\)$", m.group(1))
            z_value = expr(ratio.group(2))
            found = {key: f.subs(Z_s, z_value) if isinstance(f, sp.Basic) else f for key, f in found.items()}
        check_lemma3(f"{path.name} {lines[0]}", sp.diff(F, x), b, found, [values], values)


# Sample values of the families' parameters (support ends a < b of the power family).
SAMPLES = [
    {k_s: sp.Rational(5, 2), a_s: -1, b_s: 2, p_s: sp.Rational(5, 2), s_s: sp.Rational(1, 2), q_s: sp.Rational(7, 3)},
    {k_s: 7, a_s: sp.Rational(1, 2), b_s: sp.Rational(5, 2), p_s: 3, s_s: 3, q_s: sp.Rational(5, 2)},
]


def check_lemma3_parameters(path):
    """Lemma 3 in the parameters (snapshots/lemma3_parameters.snap): each family's forms as
    identities in its parameters."""
    for lines in entries(path):
        if lines[0].startswith("family "):
            check_family(f"{path.name} {lines[0]}", lines)


def check_family(what, lines):
    """One family's Lemma 3 in its parameters ('family NAME: alpha = A', 'F(x) = ... on [a, b]',
    then c, A1, A2 and Watson's expansion), from its F (Beta(p, q): from the density
    x^(p-1) (1-x)^(q-1) / B(p, q), the derivatives of F at 1 in p, with 1/B(p, q) written by
    SymPy's gammasimp), and for Beta(p, q) with q a symbol the leading term 1 - F(1 - h) ~ c h^q,
    also against mpmath's regularised incomplete beta function at h = 10^-80."""
    m = re.match(r"\s*F\(x\) = (.*) on \[(.*), (.*)\]$", lines[1])
    cdf, upper = m.group(1).replace(" ", ""), m.group(3)
    found = lemma3_lines(lines)
    beta_int = re.match(r"betainc\(p,(\d+),x\)", cdf)
    if cdf == "betainc(p,q,x)":
        beta_general(what, found)
    elif beta_int:
        qq = int(beta_int.group(1))
        binv = sp.gammasimp(sp.gamma(p_s + qq) / (sp.gamma(p_s) * sp.gamma(qq)))
        density = x ** (p_s - 1) * (1 - x) ** (qq - 1) * binv
        check_lemma3(what, density, sp.Integer(1), found, SAMPLES)
    else:
        check_lemma3(what, sp.diff(expr(cdf), x), expr(upper), found, SAMPLES)


def check_derive(path):
    """A derive_*_txt snapshot: the section '## Lemma 3 in the parameters: family ...'."""
    lines = path.read_text().splitlines()
    start = [i for i, line in enumerate(lines) if line.startswith("## Lemma 3 in the parameters: ")]
    if not start:
        FAILURES.append(f"{path.name}: no '## Lemma 3 in the parameters' section")
        return
    section = lines[start[0]:]
    section[0] = section[0][len("## Lemma 3 in the parameters: "):]
    check_family(f"{path.name} {section[0]}", section)


def check_derive_yaml(path, text_path):
    """A derive_*_yaml snapshot: every form's text is the one of the text snapshot."""
    text = text_path.read_text() if text_path.exists() else ""
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*text: (.*)$", line)
        if not m:
            continue
        form = m.group(1).strip()
        if form in (">", ">-", "|", "|-") and i + 1 < len(lines):
            form = lines[i + 1].strip()  # a folded scalar: Symbolica's text has no spaces
        form = form.strip("'\"")
        if form not in text:
            FAILURES.append(f"{path.name}: the form {form} is not in {text_path.name}")
        else:
            CHECKED["exact"] += 1


def beta_general(what, found):
    """Beta(p, q), q a symbol: c = 1/(q B(p, q)) exactly (gammasimp) and against the limit of
    (1 - F(1 - h))/h^q by mpmath; A1 = c^(-1/q), A2 = Gamma(1 + 1/q) A1, and the leading term
    A2 N^(-1/q) of Watson's expansion."""
    c = 1 / (q_s * sp.beta(p_s, q_s))
    if sp.gammasimp((found["c"] / c).rewrite(sp.gamma)) == 1:
        CHECKED["exact"] += 1
    else:
        same(f"{what} c", found["c"], c, SAMPLES)
    for pt in SAMPLES:
        pv, qv = pt[p_s], pt[q_s]
        with mpmath.workdps(PRECISION + 100):
            hh = mpmath.mpf(10) ** -80
            # 1 - I_(1-h)(p, q) = I_h(q, p)
            limit = mpmath.betainc(qv, pv, 0, hh, regularized=True) / hh**qv
            ours = sp.N(found["c"].xreplace(pt), PRECISION + 10)
            diff = abs(mpmath.mpf(str(ours)) - limit) / limit
        if diff < mpmath.mpf(10) ** -45:
            CHECKED["numeric"] += 1
            NUMERIC.append(f"{what} c at p = {pv}, q = {qv} (mpmath's betainc)")
        else:
            FAILURES.append(f"{what} c at p = {pv}, q = {qv}: ours {ours} vs mpmath {limit}")
    a1 = c.rewrite(sp.gamma) ** (-1 / q_s)
    a2 = sp.gamma(1 + 1 / q_s) * a1
    same(f"{what} A1", found["A1"], a1, SAMPLES)
    same(f"{what} A2", found["A2"], a2, SAMPLES)
    if "expansion" in found:
        same(f"{what} Watson leading term", found["expansion"], a2 * N ** (-1 / q_s), [{**pt, N: 7} for pt in SAMPLES])


def main():
    started = time.time()
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    folder = Path(args[0] if args else "snapshots")
    files = sorted(folder.glob("closed_*.snap"))
    if not files:
        FAILURES.append(f"no closed_*.snap in {folder}")
    for f in files:
        check_closed(f)
    family = folder / "family_power.snap"
    if family.exists():
        power_family("family_power.snap", family.read_text().splitlines())
    constants = folder / "lemma3_constants.snap"
    if constants.exists():
        check_lemma3_constants(constants)
    for extra in sorted(folder.glob("lemma3_parameters*.snap")):
        check_lemma3_parameters(extra)
    for derived in sorted(folder.glob("derive_*_txt.snap")):
        check_derive(derived)
        yaml = derived.with_name(derived.name.replace("_txt.snap", "_yaml.snap"))
        if yaml.exists():
            check_derive_yaml(yaml, derived)
    print(
        f"sympy {sp.__version__}: {CHECKED['exact']} forms equal exactly, "
        f"{CHECKED['numeric']} to 45 digits at the market's values or two parameter samples, "
        f"{len(FAILURES)} disagreements ({time.time() - started:.0f} s)"
    )
    for what in NUMERIC if VERBOSE else []:
        print("numeric:", what)
    for f in FAILURES:
        print("DISAGREE", f)
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()

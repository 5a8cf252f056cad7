"""efftrade: Pycia and Wang's "Efficient Trade with Interdependent Values", executable.

Each function takes a spec, the YAML description of a market that the command line reads, as a
path, as YAML text or as a dict, and returns :class:`Records`: the records ``efftrade ...
--format json`` prints, one dict per line, every number a string of certified decimal digits.
``Records.mpf()`` turns them into ``mpmath.mpf`` values, ``Records.frame()`` into a
``pandas.DataFrame``.

>>> import efftrade
>>> r = efftrade.solve({"description": "uniform types, two agents, equal shares",
...                     "distribution": {"family": "uniform"},
...                     "market": {"n": 2, "shares": "symmetric"}}, digits=50)
>>> r[0]["beta_star"]
'2.0000000000000000000000000000000000000000000000000'

Bad input raises :class:`SpecError` with the command line's message (file, line, the offending
line with a caret, how to fix it); a computation that cannot certify its digits raises
:class:`ComputationError`. Long computations show a tqdm progress bar when tqdm is installed
(``progress=False`` hides it). The numeric engine computes in MPFR on all cores, without holding
the interpreter lock.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from . import _efftrade
from .errors import ComputationError, EfftradeError, SpecError
from .progress import Progress, reporter
from .records import Records, to_frame, to_mpf
from .spec import SpecLike, resolve, to_yaml

__all__ = [
    "ComputationError",
    "EfftradeError",
    "MAX_DIGITS",
    "Records",
    "SpecError",
    "lemma3",
    "replicate",
    "solve",
    "sweep",
    "to_frame",
    "to_mpf",
    "to_yaml",
    "validate",
]

__version__ = "0.1.0"

#: The most significant digits any function certifies.
MAX_DIGITS: int = _efftrade.MAX_DIGITS


def _beta(beta: Any) -> Optional[str]:
    """``beta`` as the text the engine parses exactly: ``0.5``, ``"1/3"``, ``Fraction(1, 3)``."""
    if beta is None or isinstance(beta, str):
        return beta
    if isinstance(beta, bool):
        raise TypeError("beta must be a number or a string such as '1/3', not a bool")
    from fractions import Fraction

    if isinstance(beta, Fraction):
        return f"{beta.numerator}/{beta.denominator}"
    if isinstance(beta, (int, float)):
        return repr(beta)
    raise TypeError(f"beta must be a number or a string such as '1/3', not {type(beta).__name__}")


def _records(lines: str) -> Records:
    import json

    return Records(json.loads(line) for line in lines.splitlines() if line.strip())


def _run(what: str, progress: Progress, call: Callable[[Any], Any]) -> Any:
    callback, close = reporter(progress, what)
    try:
        return call(callback)
    finally:
        close()


def _checked(records: Records, failures: Optional[str], errors: str) -> Records:
    if errors not in ("raise", "keep"):
        raise ValueError(f"errors={errors!r}: use 'raise' or 'keep'")
    if failures is not None and errors == "raise":
        raise ComputationError(failures, records)
    return records


def solve(
    spec: SpecLike,
    digits: int = 30,
    beta: Any = None,
    *,
    progress: Progress = None,
    errors: str = "raise",
) -> Records:
    """Theorems 1 and 2 at every point of the spec's grid: ``efftrade solve SPEC --format json``.

    One record per point, in grid order, with ``description``, ``n``, ``shares`` (``[share,
    count]`` pairs), ``beta``, ``mu``, ``e_max``, ``t1``, ``t2``, ``beta_star`` (``None`` when
    ``T1 < 0``), ``critical_types``, ``theorem1_lhs``, ``efficient``, ``verdict``, ``digits``
    (and ``m``, ``r`` when the grid has them); ``beta* = -N T1 / (T1 + T2)`` (Theorem 2).

    ``digits``: significant digits to certify (1 to ``MAX_DIGITS``). ``beta``: the
    interdependence coefficient (overrides the spec's), exactly: ``0.5``, ``"1/3"`` or a
    ``Fraction``. ``progress``: see :mod:`efftrade.progress`. ``errors``: ``"raise"`` (a
    :class:`ComputationError` when a point fails) or ``"keep"`` (failed points' records carry an
    ``error`` key). Raises :class:`SpecError` for bad input.
    """
    text, is_path = resolve(spec)
    b = _beta(beta)
    lines, _, failures = _run(
        "points",
        progress,
        lambda cb: _efftrade.solve(text, is_path, digits, b, progress=cb),
    )
    return _checked(_records(lines), failures, errors)


def sweep(
    spec: SpecLike,
    digits: int = 30,
    beta: Any = None,
    *,
    shard: Optional[str] = None,
    out: Any = None,
    format: str = "json",
    progress: Progress = None,
    errors: str = "raise",
) -> Records:
    """The points of one shard of the spec's grid: ``efftrade sweep SPEC --shard K/S``.

    Records as :func:`solve`'s with ``index`` (the point's place in the grid, from 0) and
    ``points`` (the grid's size). ``shard``: ``"K/S"`` evaluates the points ``i`` with
    ``i mod S = K - 1`` (all points when ``None``). ``out``: a file to write the shard to, byte
    for byte what ``efftrade sweep --out`` writes in ``format`` (``"json"`` lines or ``"csv"``),
    so that ``efftrade merge`` joins the shards of any mix of both tools. Other arguments as for
    :func:`solve`.
    """
    if format not in ("json", "csv"):
        raise ValueError(f"format={format!r}: use 'json' or 'csv'")
    text, is_path = resolve(spec)
    b = _beta(beta)
    csv = out is not None and format == "csv"
    lines, csv_text, failures = _run(
        "points",
        progress,
        lambda cb: _efftrade.solve(
            text, is_path, digits, b, sweep=True, shard=shard, csv=csv, progress=cb
        ),
    )
    records = _records(lines)
    if out is not None:
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(csv_text if csv else lines)
    return _checked(records, failures, errors)


def replicate(
    spec: SpecLike,
    digits: int = 30,
    *,
    progress: Progress = None,
    errors: str = "raise",
) -> Records:
    """Theorem 3: m-fold replications: ``efftrade replicate SPEC --format json``.

    One record per replication (:func:`solve`'s keys with ``m``, ``N = m n`` and ``n_t1`` =
    ``N T1``), and after each family of replications of one base market one record with
    ``base_shares`` and ``growth``: the least-squares fit of ``beta*`` against Lemma 3's growth
    law and the slope ``A1 / (b - mu)`` it predicts. ``Records.note`` says why no growth law was
    fitted, when none was. The spec's market must be ``replicate: {...}``.
    """
    text, is_path = resolve(spec)
    lines, failures, note = _run(
        "replications",
        progress,
        lambda cb: _efftrade.replicate(text, is_path, digits, progress=cb),
    )
    records = _checked(_records(lines), failures, errors)
    records.note = note
    return records


def lemma3(
    spec: SpecLike,
    digits: int = 30,
    *,
    from_exponent: int = 2,
    to_exponent: int = 30,
    progress: Progress = None,
) -> Records:
    """Lemma 3 for the spec's distribution: ``efftrade lemma3 SPEC --format json``.

    One record with ``alpha``, ``c``, ``a1`` = ``A1 = c^(-1/alpha)``, ``a2`` = ``A2 =
    Gamma(1 + 1/alpha) c^(-1/alpha)``, ``a2_paper`` (the value of the paper's proof of (L3-2)) and
    ``a2_paper_agrees``, ``b``, ``derivative``, ``rows`` (the convergence for ``N = 10^k``,
    ``k = from_exponent .. to_exponent``, at most 38) and ``fit``. Raises
    :class:`ComputationError` when Lemma 3's constants cannot be certified.
    """
    text, is_path = resolve(spec)
    line = _run(
        "rows",
        progress,
        lambda cb: _efftrade.lemma3(
            text, is_path, digits, from_exponent, to_exponent, progress=cb
        ),
    )
    return _records(line)


def validate(spec: SpecLike, digits: int = 30) -> Records:
    """The spec validated: one record per point of its grid, nothing solved.

    Each record has the inputs of :func:`sweep`'s: ``description``, ``index``, ``points``, ``n``,
    ``shares``, ``beta`` (and ``m``, ``r``), non-terminating decimals to ``digits`` digits.
    ``Records.summary`` is the normalised market as ``efftrade validate`` prints it. Raises
    :class:`SpecError` with the command line's message when the spec is invalid.
    """
    text, is_path = resolve(spec)
    lines, summary = _efftrade.validate(text, is_path, digits)
    records = _records(lines)
    records.summary = summary
    return records


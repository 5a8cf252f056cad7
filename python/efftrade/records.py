"""Records: the results of efftrade's functions, as the command line's JSON records.

A record is a ``dict`` exactly as one line of ``efftrade solve|sweep|replicate|lemma3 --format
json`` parses: every number is a string of certified decimal digits (only digits on which two
working precisions agree), so no digit is lost or invented on the way to Python. Counts (``n``,
``N``, ``m``) are decimal strings too; ``digits``, ``index`` and ``points`` are ints.

:class:`Records` is a ``list`` of such dicts with two conversions:

* :meth:`Records.mpf` (needs ``mpmath``): the same records with every decimal string turned into
  an ``mpmath.mpf`` holding all its digits (counts become ``int``);
* :meth:`Records.frame` (needs ``pandas``): a ``pandas.DataFrame``, one row per record.

The functions :func:`to_mpf` and :func:`to_frame` do the same for any list of records.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

#: A decimal number as the records write it: ``-0.25``, ``2``, ``1.5e-40``.
DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")

#: Keys whose decimal strings are counts: converted to ``int`` rather than ``mpf``.
COUNTS = frozenset({"n", "N", "m", "fitted_from_n"})

#: Keys that hold text, never converted.
TEXT = frozenset({"description", "verdict", "error", "base_shares", "law"})


class Records(List[Dict[str, Any]]):
    """A list of records (dicts of decimal strings) with conversions to mpmath and pandas.

    Attributes set by the function that made them: ``note`` (``replicate``: why no growth law was
    fitted, else ``None``), ``summary`` (``validate``: the normalised market as ``efftrade
    validate`` prints it, else ``None``).
    """

    note: Optional[str] = None
    summary: Optional[str] = None

    def mpf(self) -> "Records":
        """These records with their decimal strings as ``mpmath.mpf`` (see :func:`to_mpf`)."""
        out = Records(to_mpf(self))
        out.note, out.summary = self.note, self.summary
        return out

    def frame(self, numbers: str = "str") -> Any:
        """These records as a ``pandas.DataFrame`` (see :func:`to_frame`)."""
        return to_frame(self, numbers)


def _digits_of(text: str) -> int:
    """The significant digits written in a decimal string."""
    mantissa = re.split(r"[eE]", text)[0].lstrip("+-").replace(".", "").lstrip("0")
    return max(len(mantissa), 1)


def _convert(value: Any, key: Optional[str], number: Any) -> Any:
    if isinstance(value, dict):
        return {k: _convert(v, k, number) for k, v in value.items()}
    if key == "shares" and isinstance(value, (list, tuple)):
        # share classes: [share, count] pairs
        return [[number(share), int(count)] for share, count in value]
    if isinstance(value, (list, tuple)):
        return [_convert(v, key, number) for v in value]
    if isinstance(value, str) and key not in TEXT and DECIMAL.match(value):
        if key in COUNTS and re.fullmatch(r"\d+", value):
            return int(value)
        return number(value)
    return value


def to_mpf(records: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The records with every decimal string as an ``mpmath.mpf`` and every count as an ``int``.

    Each number keeps all its certified digits: it is read at a precision of its own digits plus
    a guard, whatever ``mpmath.mp.dps`` is (arithmetic on it then runs at ``mp.dps``: raise it to
    the digits you need, e.g. ``mpmath.mp.dps = 50``). Text (descriptions, verdicts, errors) is
    left as it is; a share class ``[share, count]`` becomes ``[mpf, int]``.

    Raises ``ImportError`` when mpmath is not installed.
    """
    try:
        import mpmath  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_mpf needs mpmath: pip install mpmath") from e

    def number(text: str) -> Any:
        with mpmath.workdps(_digits_of(text) + 5):
            return mpmath.mpf(text)

    return [_convert(r, None, number) for r in records]


def to_frame(records: Iterable[Dict[str, Any]], numbers: str = "str") -> Any:
    """The records as a ``pandas.DataFrame``, one row per record, one column per key.

    ``numbers`` says how decimal strings appear: ``"str"`` (default: the certified digits as
    text, exactly as computed), ``"float"`` (rounded to double precision, for plotting; counts as
    ``int``) or ``"mpf"`` (as :func:`to_mpf`). Lists (``shares``, ``critical_types``) stay lists.

    Raises ``ImportError`` when pandas (or, for ``"mpf"``, mpmath) is not installed.
    """
    try:
        import pandas  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_frame needs pandas: pip install pandas") from e
    rows = list(records)
    if numbers == "mpf":
        rows = to_mpf(rows)
    elif numbers == "float":
        rows = [_convert(r, None, float) for r in rows]
    elif numbers != "str":
        raise ValueError(f"numbers={numbers!r}: use 'str', 'float' or 'mpf'")
    return pandas.DataFrame(rows)


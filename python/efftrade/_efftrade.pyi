"""Types of the native module ``efftrade._efftrade`` (built from ``python/src/lib.rs``).

Each function takes a spec as ``(text, is_path)``: a file's path, or YAML text. Use the wrappers
in :mod:`efftrade`, which accept paths, text and dicts and return :class:`efftrade.Records`.
"""

from typing import Any, Callable, Optional, Tuple

#: The most significant digits a function certifies.
MAX_DIGITS: int
#: The largest exponent ``k`` of a Lemma 3 row ``N = 10^k``.
MAX_EXPONENT: int

def solve(
    spec: str,
    is_path: bool,
    digits: int,
    beta: Optional[str] = None,
    sweep: bool = False,
    shard: Optional[str] = None,
    csv: bool = False,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> Tuple[str, Optional[str], Optional[str]]:
    """``(json_lines, sweep_csv, failures)`` of ``efftrade solve`` (or ``sweep``)."""

def replicate(
    spec: str,
    is_path: bool,
    digits: int,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> Tuple[str, Optional[str], Optional[str]]:
    """``(json_lines, failures, note)`` of ``efftrade replicate``."""

def lemma3(
    spec: str,
    is_path: bool,
    digits: int,
    from_exponent: int,
    to_exponent: int,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> str:
    """The JSON object of ``efftrade lemma3``."""

def validate(spec: str, is_path: bool, digits: int) -> Tuple[str, str]:
    """``(json_lines_of_grid_points, summary)`` of a valid spec."""

"""How a spec reaches the engine: a path, YAML text, or a dict written out as YAML.

A ``dict`` (any mapping, with lists, strings, ints, floats, bools, ``None`` and
``fractions.Fraction`` inside) is written as block YAML, one key per line, so that an error names
the line of the offending key. Strings are written double-quoted, so a string is never read as a
number or a boolean; a float is written as Python's shortest round-trip decimal (``0.1`` is the
exact decimal 1/10 to the spec), a ``Fraction`` as ``"p/q"``.
"""

from __future__ import annotations

import json
import math
import os
import re
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, List, Mapping, Tuple, Union

#: What a spec may be given as.
SpecLike = Union[str, "os.PathLike[str]", Mapping[str, Any]]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def resolve(spec: Any) -> Tuple[str, bool]:
    """``(text, is_path)`` for a spec given as a path, YAML text or a mapping.

    A ``str`` is a path when it is one line that names an existing file or ends in ``.yaml`` or
    ``.yml`` (a missing file is then reported as such), and YAML text otherwise.
    """
    if isinstance(spec, os.PathLike):
        return os.fspath(spec), True
    if isinstance(spec, Mapping):
        return to_yaml(spec), False
    if isinstance(spec, str):
        one_line = "\n" not in spec
        if one_line and (os.path.isfile(spec) or spec.strip().endswith((".yaml", ".yml"))):
            return spec, True
        return spec, False
    raise TypeError(
        f"spec must be a path, YAML text or a dict, not {type(spec).__name__}"
    )


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Fraction):
        return json.dumps(f"{value.numerator}/{value.denominator}")
    if isinstance(value, Real):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"a spec holds finite numbers only, not {x!r}")
        return repr(x)
    if isinstance(value, str):
        return json.dumps(value)
    raise TypeError(f"a spec cannot hold a {type(value).__name__}: {value!r}")


def _key(key: Any) -> str:
    text = str(key)
    return text if _PLAIN_KEY.match(text) else json.dumps(text)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _block(value: Any, indent: int) -> List[str]:
    """The lines of a mapping or sequence at `indent` spaces."""
    pad = " " * indent
    lines: List[str] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            lines.extend(_entry(f"{pad}{_key(k)}:", v, indent))
    else:
        for v in value:
            lines.extend(_entry(f"{pad}-", v, indent))
    return lines


def _entry(head: str, value: Any, indent: int) -> List[str]:
    """A key's (or sequence item's) lines: scalars and lists of scalars inline, else a block."""
    if _is_scalar(value):
        return [f"{head} {_scalar(value)}"]
    if isinstance(value, (list, tuple)) and all(_is_scalar(v) for v in value):
        return [f"{head} [{', '.join(_scalar(v) for v in value)}]"]
    if not value:
        return [f"{head} {{}}" if isinstance(value, Mapping) else f"{head} []"]
    return [head] + _block(value, indent + 2)


def to_yaml(spec: Mapping[str, Any]) -> str:
    """The mapping `spec` as block YAML (see the module's doc)."""
    return "\n".join(_block(spec, 0)) + "\n"


"""The exceptions of efftrade.

Every exception the package raises on purpose derives from :class:`EfftradeError`.
:class:`SpecError` is bad input (a spec, or an argument such as ``digits`` or ``beta``): its
message is the command line's, naming the file, line and column, showing the offending line with a
caret and saying how to fix it. :class:`ComputationError` is a computation that could not certify
the digits asked for; its ``records`` hold every record computed, failed points included.
"""

from __future__ import annotations

from typing import Any, List, Optional


class EfftradeError(Exception):
    """Base class of the exceptions efftrade raises."""


class SpecError(EfftradeError, ValueError):
    """Bad input: an invalid spec or argument (the command line's exit code 2).

    ``str(error)`` is the full message as ``efftrade validate`` prints it. The parts are attributes
    (``None`` when unknown): ``file`` (``None`` for a spec given as text or a dict), ``line`` and
    ``column`` (from 1), ``reason`` (the message alone) and ``help`` (how to fix it).
    """

    def __init__(
        self,
        message: str,
        *,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        reason: Optional[str] = None,
        help: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason if reason is not None else message
        self.help = help


class ComputationError(EfftradeError, RuntimeError):
    """A computation failed (the command line's exit code 1).

    The message names each market whose digits could not be certified, and why. ``records`` holds
    every record of the call (a failed point's record has an ``error`` key instead of numbers);
    pass ``errors="keep"`` to get them returned instead of raised.
    """

    def __init__(self, message: str, records: Optional[List[Any]] = None) -> None:
        super().__init__(message)
        self.records = records if records is not None else []

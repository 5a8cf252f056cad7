"""Progress bars for long computations: tqdm when installed (``tqdm.auto``: a widget in a
notebook, text in a terminal), or any callable ``progress(done, total)``."""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple, Union

#: What the ``progress=`` argument takes: ``None`` (a bar when tqdm is installed), ``True`` (a
#: bar; tqdm required), ``False`` (none) or a callable ``progress(done, total)``.
Progress = Union[None, bool, Callable[[int, int], Any]]


def reporter(
    progress: Progress, what: str
) -> Tuple[Optional[Callable[[int, int], Any]], Callable[[], None]]:
    """``(callback, close)`` for the ``progress=`` argument; ``callback`` is ``None`` for none.

    A tqdm bar opens when the first report arrives and only for more than one item, as the
    command line's bar; ``close`` closes it.
    """
    if progress is False:
        return None, lambda: None
    if progress is not None and not isinstance(progress, bool):
        if not callable(progress):
            raise TypeError(f"progress must be None, True, False or a callable, not {progress!r}")
        return progress, lambda: None
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]
    except ImportError:
        if progress is True:
            raise ImportError("progress=True needs tqdm: pip install tqdm") from None
        return None, lambda: None
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total <= 1:
            return
        if bar is None:
            bar = tqdm(total=total, desc=what)
        bar.update(done - bar.n)

    def close() -> None:
        if bar is not None:
            bar.close()

    return update, close

"""Progress bars for the slow steps (training, feature visualization, downloads).

A text bar on standard error (``tqdm``), the same in a terminal, JupyterLab
and Colab, where it updates in place. Its words stay English in both editions,
like tqdm's own ("it/s"): this module is compute, which imports no translation
(:mod:`cnncourse.i18n.translate`). The website never shows a bar: the book
build drops standard error from the pages (``stderr_output: remove`` in
``_config.yml``), so no reader sees a bar frozen at 0%, which is what a
notebook widget bar would leave behind in a static page.

An explorer shows progress itself: the slow computations it calls take a
callable ``progress(done, total)`` instead (:func:`reporter`), and then write
nothing at all, so no empty standard-error strip is left under its cell.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def progress_bar(*, total: int, desc: str, unit: str, enabled: bool = True, **options: Any) -> Any:
    """A ``tqdm`` bar on standard error; switched off with ``enabled=False`` or ``TQDM_DISABLE=1``.

    ``disable`` is passed only to switch the bar off, so that tqdm's own
    ``TQDM_DISABLE`` environment variable still applies otherwise.

    Examples
    --------
    >>> with progress_bar(total=3, desc="demo", unit="step", enabled=False) as bar:
    ...     bar.update(3)
    """
    from tqdm.std import tqdm

    switch = {} if enabled else {"disable": True}
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, **switch, **options)


Progress = Callable[[int, int], Any]
"""A progress callback: ``progress(done, total)``, called as the work advances (an explorer's bar)."""


class CallbackBar:
    """A stand-in for a ``tqdm`` bar that reports to ``progress(done, total)`` and writes nothing.

    Examples
    --------
    >>> seen = []
    >>> with CallbackBar(lambda done, total: seen.append((done, total)), total=3) as bar:
    ...     bar.update(2)
    ...     bar.update(1)
    >>> seen
    [(0, 3), (2, 3), (3, 3)]
    """

    def __init__(self, progress: Progress, *, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        progress(0, total)

    def update(self, count: int = 1) -> None:
        self.done += count
        self.progress(self.done, self.total)

    def __enter__(self) -> CallbackBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def check_progress(progress: Any) -> bool | Progress:
    """``progress`` itself if it is ``True``, ``False`` or a callable; TypeError otherwise."""
    if not (isinstance(progress, bool) or callable(progress)):
        raise TypeError(f"progress must be True, False or a callable progress(done, total), got {progress!r}")
    return progress


def reporter(progress: bool | Progress, *, total: int, desc: str, unit: str, **options: Any) -> Any:
    """What a slow computation reports to: a :class:`CallbackBar` for a callable, else a ``tqdm`` bar.

    ``progress`` is ``True`` (a bar on standard error), ``False`` (nothing) or
    a callable ``progress(done, total)``, e.g. an explorer's own progress bar,
    in which case nothing is written to standard error.

    Examples
    --------
    >>> with reporter(lambda done, total: None, total=2, desc="demo", unit="step") as bar:
    ...     bar.update(2)
    >>> reporter("yes", total=2, desc="demo", unit="step")
    Traceback (most recent call last):
    ...
    TypeError: progress must be True, False or a callable progress(done, total), got 'yes'
    """
    if callable(check_progress(progress)):
        return CallbackBar(progress, total=total)
    return progress_bar(total=total, desc=desc, unit=unit, enabled=progress, **options)

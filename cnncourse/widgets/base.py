"""Shared parts of the explorers: the sliding-window explorer and value parsing.

A bad value typed into a widget never raises: the explorer shows a message
in its ``message`` area and keeps its last valid picture.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

import ipywidgets as w
import numpy as np

from ..html import STYLE, Player


def parse_matrix(text: str, name: str = "kernel") -> np.ndarray:
    """Parse rows of numbers (one row per line or per ``;``) into a 2-D array.

    Raises ``ValueError`` naming ``name`` when the text is not a rectangular
    table of finite numbers.

    Examples
    --------
    >>> parse_matrix("1 0 -1; 2, 0, -2")
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.]])
    """
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    if not rows:
        raise ValueError(f"{name} is empty: type one row of numbers per line")
    table = []
    for number, row in enumerate(rows, start=1):
        try:
            table.append([float(v) for v in re.split(r"[,\s]+", row.strip())])
        except ValueError:
            raise ValueError(f"{name} row {number} ({row.strip()!r}) is not a list of numbers") from None
    widths = {len(r) for r in table}
    if len(widths) != 1:
        raise ValueError(f"{name} rows have different lengths {sorted(widths)}: it must be rectangular")
    array = np.array(table)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers")
    return array


def format_matrix(array: np.ndarray) -> str:
    """Rows of numbers, one row per line: the inverse of :func:`parse_matrix`."""
    return "\n".join(" ".join(f"{v:g}" for v in row) for row in np.asarray(array))


def error_html(exc: Exception) -> str:
    """The message a widget shows for a bad value."""
    return f'<div class="cnn-error">⚠ {_html.escape(str(exc))}</div>'


class SlidingWindowExplorer(w.VBox):
    """Base class: a window that slides over a matrix, step by step.

    Subclasses implement :meth:`_recompute` (validate the controls and
    compute the result; raise ``ValueError`` with a message for bad values),
    :meth:`_render` (the HTML of one step) and :attr:`steps`.
    """

    def __init__(self, controls: list[w.Widget], interval_ms: int = 700) -> None:
        self.position = w.IntSlider(value=0, min=0, max=0, description="position", continuous_update=True)
        self.play = w.Play(value=0, min=0, max=0, interval=interval_ms, description="Play")
        w.jslink((self.play, "value"), (self.position, "value"))
        self.message = w.HTML()
        self.display = w.HTML()
        self._interval_ms = interval_ms
        super().__init__(
            [*controls, w.HBox([self.play, self.position]), self.message, self.display]
        )
        self.position.observe(lambda _: self._show(), names="value")

    # -- subclass interface --------------------------------------------
    @property
    def steps(self) -> int:
        raise NotImplementedError

    def _recompute(self) -> None:
        raise NotImplementedError

    def _render(self, step: int) -> str:
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------
    def refresh(self, _change: Any = None) -> None:
        """Re-read every control, recompute and redraw (or show a message)."""
        try:
            self._recompute()
        except (ValueError, TypeError) as exc:
            self.message.value = error_html(exc)
            return
        self.message.value = ""
        last = self.steps - 1
        # Clamp the position before changing the bounds, so no step is invalid.
        with self.hold_trait_notifications():
            self.position.value = min(self.position.value, last)
            self.play.value = min(self.play.value, last)
            self.position.max = last
            self.play.max = last
        self._show()

    def _show(self) -> None:
        if not self.message.value:
            self.display.value = STYLE + self._render(self.position.value)

    def to_player(self, title: str = "") -> Player:
        """A kernel-free player of every step with the current settings."""
        return Player([self._render(step) for step in range(self.steps)], title=title,
                      interval_ms=self._interval_ms)



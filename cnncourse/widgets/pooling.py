"""The pooling explorer of chapter 2: slide a pooling window over a matrix."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np

from ..html import matrix_html
from ..pooling import pool2d
from .base import SlidingWindowExplorer, format_matrix, parse_matrix


POOLING_EXAMPLE = np.array(
    [
        [1, 3, 2, 0, 1, 4],
        [4, 2, 1, 1, 0, 2],
        [0, 1, 5, 6, 3, 1],
        [2, 2, 7, 8, 2, 0],
        [3, 0, 1, 2, 9, 4],
        [1, 5, 0, 3, 2, 6],
    ],
    dtype=float,
)
"""The 6x6 matrix the pooling explorer starts with."""
POOLING_EXAMPLE.flags.writeable = False

_MODE_NAMES = {"max": "max", "avg": "mean"}


class PoolingExplorer(SlidingWindowExplorer):
    """Slide a pooling window over a small matrix and watch the output fill in.

    At each position the covered window is highlighted in orange; in max
    mode the largest value (the one the output keeps) is blue. The output
    so far is shown next to it, its current cell in blue.

    Parameters
    ----------
    matrix : array_like, shape (H, W), optional
        The input; by default :data:`POOLING_EXAMPLE` (6x6). It can be edited
        in the widget.
    size, stride : int, optional
        Initial window size and stride (stride defaults to the size).
    mode : {"max", "avg"}, optional
        Initial pooling mode.

    Examples
    --------
    >>> explorer = PoolingExplorer()
    >>> explorer.output.tolist()
    [[4.0, 2.0, 4.0], [2.0, 8.0, 3.0], [5.0, 3.0, 9.0]]
    >>> explorer.mode.value = "avg"
    >>> explorer.size.value = 3
    >>> explorer.output.shape
    (2, 2)
    """

    def __init__(self, matrix: Any = None, *, size: int = 2, stride: int | None = None,
                 mode: str = "max") -> None:
        matrix = POOLING_EXAMPLE if matrix is None else matrix
        initial = np.asarray(matrix, dtype=float)
        if initial.ndim != 2:
            raise ValueError(f"matrix must have shape (H, W), got {initial.shape}")
        self.matrix_text = w.Textarea(value=format_matrix(initial), description="input",
                                      layout=w.Layout(width="16em", height="8em"))
        self.mode = w.ToggleButtons(options=[("max", "max"), ("average", "avg")], value=mode,
                                    description="mode", style={"button_width": "6em"})
        self.size = w.IntText(value=size, description="size", layout=w.Layout(width="11em"))
        self.stride = w.IntText(value=size if stride is None else stride, description="stride",
                                layout=w.Layout(width="11em"))
        self.formula = w.HTMLMath()
        controls = [
            w.HBox([self.matrix_text, w.VBox([self.mode, w.HBox([self.size, self.stride]), self.formula])]),
        ]
        super().__init__(controls)
        for control in (self.matrix_text, self.mode, self.size, self.stride):
            control.observe(self.refresh, names="value")
        self.refresh()

    @property
    def steps(self) -> int:
        return self.output.size

    def _recompute(self) -> None:
        matrix = parse_matrix(self.matrix_text.value, "input")
        size, stride, mode = self.size.value, self.stride.value, self.mode.value
        self.output = pool2d(matrix, size, stride=stride, mode=mode)
        self.matrix = matrix
        h, w_ = matrix.shape
        oh, ow = self.output.shape
        self.formula.value = (
            rf"output size: $\lfloor ({h} - {size}) / {stride} \rfloor + 1 = {oh}$ rows, "
            rf"$\lfloor ({w_} - {size}) / {stride} \rfloor + 1 = {ow}$ columns"
        )

    def step(self, n: int) -> dict[str, Any]:
        """The numbers of step ``n``: output cell, window, chosen cell and value."""
        ow = self.output.shape[1]
        row, col = divmod(n, ow)
        k, s = self.size.value, self.stride.value
        top, left = row * s, col * s
        window = self.matrix[top : top + k, left : left + k]
        r, c = np.unravel_index(np.argmax(window), window.shape)
        return {"row": row, "col": col, "top": top, "left": left, "window": window,
                "argmax": (top + int(r), left + int(c)), "value": float(self.output[row, col])}

    def _render(self, n: int) -> str:
        s = self.step(n)
        k = self.size.value
        mode = self.mode.value
        partial = np.full(self.output.shape, np.nan)
        partial.flat[: n + 1] = self.output.flat[: n + 1]
        chosen = s["argmax"] if mode == "max" else None
        if mode == "max":
            how = f'max of the window = <b>{s["value"]:g}</b>'
        else:
            how = f'mean of the window = {s["window"].sum():g} / {k * k} = <b>{s["value"]:.4g}</b>'
        return (
            '<div class="cnn-step">'
            + matrix_html(self.matrix, window=(s["top"], s["left"], k, k), current=chosen, caption="input")
            + f'<span class="cnn-op">→ {how} →</span>'
            + matrix_html(partial, current=(s["row"], s["col"]), caption=f"output ({_MODE_NAMES[mode]} pooling)")
            + "</div>"
            + f'<div class="cnn-note">Step {n + 1} of {self.steps}: {k}×{k} window at row {s["top"] + 1}, '
            f'column {s["left"] + 1}; output row {s["row"] + 1}, column {s["col"] + 1}.</div>'
        )


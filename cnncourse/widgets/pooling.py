"""The pooling explorer of chapter 2: slide a pooling window over a small image."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np

from ..figures.html import matrix_html, size_formula
from ..i18n.translate import tr
from ..ops.pooling import pool2d
from .base import Explorer
from .matrices import filled_so_far, format_matrix, parse_matrix


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
"""The 6x6 image the pooling explorer starts with."""
POOLING_EXAMPLE.flags.writeable = False

_MODE_NAMES = {"max": "max", "avg": "mean"}


class PoolingExplorer(Explorer):
    """Slide a pooling window over a small image and watch the output fill in.

    At each position the covered window is highlighted in orange; in max
    mode the largest value (the one the output keeps) is blue. The output
    so far is shown next to it, its current cell in blue.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The input; by default :data:`POOLING_EXAMPLE` (6x6). It can be edited
        in the widget.
    window, stride : int, optional
        Initial window side and stride (the stride defaults to the window).
    mode : {"max", "avg"}, optional
        Initial pooling mode.

    Examples
    --------
    >>> explorer = PoolingExplorer()
    >>> explorer.output.tolist()
    [[4.0, 2.0, 4.0], [2.0, 8.0, 3.0], [5.0, 3.0, 9.0]]
    >>> explorer.mode.value = "avg"
    >>> explorer.window.value = 3
    >>> explorer.output.shape
    (2, 2)
    """

    def __init__(self, image: Any = None, *, window: int = 2, stride: int | None = None,
                 mode: str = "max") -> None:
        initial = np.asarray(POOLING_EXAMPLE if image is None else image, dtype=float)
        if initial.ndim != 2:
            raise ValueError(f"image must have shape (H, W), got {initial.shape}")
        self.image_text = w.Textarea(value=format_matrix(initial), description=tr("input"),
                                     layout=w.Layout(width="16em", height="8em"))
        self.mode = w.ToggleButtons(options=[(tr("max"), "max"), (tr("average"), "avg")], value=mode,
                                    description=tr("mode"), style={"button_width": "6em"})
        self.window = w.IntText(value=window, description=tr("window"), layout=w.Layout(width="11em"))
        self.stride = w.IntText(value=window if stride is None else stride, description=tr("stride"),
                                layout=w.Layout(width="11em"))
        self.formula = w.HTMLMath()
        settings = w.VBox([self.mode, w.HBox([self.window, self.stride]), self.formula])
        super().__init__([w.HBox([self.image_text, settings])],
                         watch=[self.image_text, self.mode, self.window, self.stride],
                         position="step", first=1)  # the slider shows the caption's "Step 1 of 4"

    @property
    def steps(self) -> int:
        """One step per output cell."""
        return self.output.size

    def _recompute(self) -> None:
        image = parse_matrix(self.image_text.value, "input")
        window, stride, mode = self.window.value, self.stride.value, self.mode.value
        self.output = pool2d(image, window, stride=stride, mode=mode)
        self.image, self._window, self._stride, self._mode = image, window, stride, mode
        self.formula.value = size_formula(image.shape, (window, window), self.output.shape, stride=stride)

    def _live_settings(self) -> dict[str, Any]:
        return {"kind": "pool", "image": self.image.tolist(), "window": self._window, "stride": self._stride,
                "mode": self._mode, "modes": [list(option) for option in self.mode.options],
                "mode_names": {key: tr(name) for key, name in _MODE_NAMES.items()}}

    def step(self, n: int) -> dict[str, Any]:
        """The numbers of step ``n``: output cell, window, chosen cell and value."""
        row, col = divmod(n, self.output.shape[1])
        k, s = self._window, self._stride
        top, left = row * s, col * s
        window = self.image[top : top + k, left : left + k]
        r, c = np.unravel_index(np.argmax(window), window.shape)
        return {"row": row, "col": col, "top": top, "left": left, "window": window,
                "argmax": (top + int(r), left + int(c)), "value": float(self.output[row, col])}

    def _frame(self, step: int) -> str:
        s = self.step(step)
        k, mode = self._window, self._mode
        if mode == "max":
            how = tr("max of the window = {value}").format(value=f'<b>{s["value"]:g}</b>')
        else:
            how = tr("mean of the window = {value}").format(
                value=f'{s["window"].sum():g} / {k * k} = <b>{s["value"]:.4g}</b>')
        return (
            '<div class="cnn-step">'
            + matrix_html(self.image, window=(s["top"], s["left"], k, k),
                          current=s["argmax"] if mode == "max" else None, caption=tr("input"))
            + f'<span class="cnn-op">→ {how} →</span>'
            + matrix_html(filled_so_far(self.output, step), current=(s["row"], s["col"]),
                          caption=tr("output ({mode} pooling)").format(mode=tr(_MODE_NAMES[mode])))
            + "</div>"
            + '<div class="cnn-note">' + tr("Step {step} of {steps}: {k}×{k} window at row {top}, column {left}; "
                                            "output row {row}, column {col}.").format(
                step=step + 1, steps=self.steps, k=k, top=s["top"] + 1, left=s["left"] + 1, row=s["row"] + 1,
                col=s["col"] + 1) + '</div>'
        )

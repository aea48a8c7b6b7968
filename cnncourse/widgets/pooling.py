"""The pooling explorer of chapter 2: slide a pooling window over a small image.

Computed in the browser (:mod:`cnncourse.widgets.browser`); Python reads and sets its state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from ..figures.html import matrix_html
from ..i18n.translate import tr
from ..ops.pooling import pool2d
from .browser import MATRIX_SYNC, BrowserExplorer, Matrix
from .matrices import filled_so_far

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
MODES = (("max", "max"), ("average", "avg"))
"""The pooling modes the explorer offers: (label, value)."""


class PoolingExplorer(BrowserExplorer):
    """Slide a pooling window over a small image and watch the output fill in.

    At each position the covered window is highlighted in orange; in max
    mode the largest value (the one the output keeps) is blue. The output
    so far is shown next to it, its current cell in blue.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The input (the trait ``input``); by default :data:`POOLING_EXAMPLE` (6x6).
        It can be edited in the explorer.
    window, stride : int, optional
        Initial window side and stride (the stride defaults to the window).
    mode : {"max", "avg"}, optional
        Initial pooling mode.

    Attributes
    ----------
    input : numpy.ndarray
        The matrix (synced).
    window, stride, position : int
        Synced; ``position`` is the step shown, from 0.
    mode : str
        ``"max"`` or ``"avg"`` (synced).
    output : numpy.ndarray
        cnncourse's :func:`~cnncourse.pool2d` of the current state.

    Examples
    --------
    >>> explorer = PoolingExplorer()
    >>> explorer.output.tolist()
    [[4.0, 2.0, 4.0], [2.0, 8.0, 3.0], [5.0, 3.0, 9.0]]
    >>> explorer.mode = "avg"
    >>> explorer.window = 3
    >>> explorer.output.shape
    (2, 2)
    """

    kind = traitlets.Unicode("pool").tag(sync=True)
    input = Matrix(POOLING_EXAMPLE).tag(**MATRIX_SYNC)
    window = traitlets.Int(2, min=1).tag(sync=True)
    stride = traitlets.Int(2, min=1).tag(sync=True)
    mode = traitlets.Enum(["max", "avg"], "max").tag(sync=True)
    position = traitlets.Int(0, min=0).tag(sync=True)
    modes = traitlets.List().tag(sync=True)
    mode_names = traitlets.Dict().tag(sync=True)

    def __init__(self, image: Any = None, *, window: int = 2, stride: int | None = None,
                 mode: str = "max") -> None:
        initial = np.asarray(POOLING_EXAMPLE if image is None else image, dtype=float)
        if initial.ndim != 2:
            raise ValueError(f"image must have shape (H, W), got {initial.shape}")
        stride = window if stride is None else stride
        pool2d(initial, window, stride=stride, mode=mode)  # bad settings raise here, naming the parameter
        super().__init__(input=initial, window=window, stride=stride, mode=mode,
                         modes=[[tr(label), value] for label, value in MODES],
                         mode_names={key: tr(name) for key, name in _MODE_NAMES.items()})

    @property
    def output(self) -> np.ndarray:
        """cnncourse's pooling of ``input`` with the explorer's window, stride and mode."""
        return pool2d(self.input, self.window, stride=self.stride, mode=self.mode)

    @property
    def steps(self) -> int:
        """One step per output cell."""
        return self.output.size

    def _settings(self) -> dict[str, Any]:
        return {"input": self.input.tolist(), "window": self.window, "stride": self.stride, "mode": self.mode,
                "position": 0, "modes": self.modes, "mode_names": self.mode_names}

    def step(self, n: int) -> dict[str, Any]:
        """The numbers of step ``n``: output cell, window, chosen cell and value.

        Parameters
        ----------
        n : int
            The step, from 0.
        """
        output = self.output
        row, col = divmod(n, output.shape[1])
        k, s = self.window, self.stride
        top, left = row * s, col * s
        window = self.input[top : top + k, left : left + k]
        r, c = np.unravel_index(np.argmax(window), window.shape)
        return {"row": row, "col": col, "top": top, "left": left, "window": window,
                "argmax": (top + int(r), left + int(c)), "value": float(output[row, col])}

    def _frame(self, step: int) -> str:
        s, output = self.step(step), self.output
        k, mode = self.window, self.mode
        if mode == "max":
            how = tr("max of the window = {value}").format(value=f'<b>{s["value"]:g}</b>')
        else:
            how = tr("mean of the window = {value}").format(
                value=f'{s["window"].sum():g} / {k * k} = <b>{s["value"]:.4g}</b>')
        return (
            '<div class="cnn-step">'
            + matrix_html(self.input, window=(s["top"], s["left"], k, k),
                          current=s["argmax"] if mode == "max" else None, caption=tr("input"))
            + f'<span class="cnn-op">→ {how} →</span>'
            + matrix_html(filled_so_far(output, step), current=(s["row"], s["col"]),
                          caption=tr("output ({mode} pooling)").format(mode=tr(_MODE_NAMES[mode])))
            + "</div>"
            + '<div class="cnn-note">' + tr("Step {step} of {steps}: {k}×{k} window at row {top}, column {left}; "
                                            "output row {row}, column {col}.").format(
                step=step + 1, steps=output.size, k=k, top=s["top"] + 1, left=s["left"] + 1, row=s["row"] + 1,
                col=s["col"] + 1) + '</div>'
        )

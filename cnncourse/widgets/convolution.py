"""The convolution explorer of chapter 1: slide a kernel over a small image."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np

from ..ops.convolution import conv2d
from ..figures.html import matrix_html, size_formula
from ..i18n.translate import tr
from ..ops.kernels import KERNELS, get_kernel
from .base import Explorer
from .matrices import filled_so_far, format_matrix, parse_matrix


CLASSIC_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ],
    dtype=float,
)
"""The 5x5 input of the classic hand-worked convolution example."""

CLASSIC_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)
"""The 3x3 kernel of the classic hand-worked convolution example."""


class ConvolutionExplorer(Explorer):
    """Slide a kernel over a small image and watch the output fill in.

    Shows, at each position, the padded input with the covered window
    highlighted, the elementwise products, their sum, and the output so far;
    a live formula gives the output size for the current padding and stride.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The input; by default the classic 5x5 example.
    kernel : str or array_like, optional
        A name from :data:`cnncourse.KERNELS` or a 2-D array; by default the
        classic 3x3 kernel.
    stride, padding : int, optional
        Initial stride (>= 1) and padding (>= 0).

    Examples
    --------
    >>> explorer = ConvolutionExplorer()
    >>> explorer.output.tolist()
    [[4.0, 3.0, 4.0], [2.0, 4.0, 3.0], [2.0, 3.0, 4.0]]
    >>> explorer.padding.value = 1
    >>> explorer.output.shape, explorer.position.min, explorer.position.max  # the slider counts steps from 1
    ((5, 5), 1, 25)
    """

    def __init__(self, image: Any = None, kernel: Any = None, *, stride: int = 1, padding: int = 0) -> None:
        image = CLASSIC_IMAGE if image is None else image
        kernel = CLASSIC_KERNEL if kernel is None else kernel
        self.image = np.asarray(image, dtype=float)
        if self.image.ndim != 2:
            raise ValueError(f"image must have shape (H, W), got {self.image.shape}")
        initial = get_kernel(kernel) if isinstance(kernel, str) else np.asarray(kernel, dtype=float)
        self.preset = w.Dropdown(options=[(tr(n), n) for n in ["custom", *KERNELS]], value="custom",
                                 description=tr("preset"))
        self.kernel_text = w.Textarea(value=format_matrix(initial), description=tr("kernel"),
                                      layout=w.Layout(width="16em", height="6em"))
        self.padding = w.IntText(value=padding, description=tr("padding"), layout=w.Layout(width="11em"))
        self.stride = w.IntText(value=stride, description=tr("stride"), layout=w.Layout(width="11em"))
        self.formula = w.HTMLMath()
        self.preset.observe(self._apply_preset, names="value")
        super().__init__([w.HBox([self.preset, self.kernel_text]), w.HBox([self.padding, self.stride]),
                          self.formula], watch=[self.kernel_text, self.padding, self.stride],
                         position="step", first=1)  # the slider shows the caption's "Step 1 of 9"

    def _apply_preset(self, change: dict) -> None:
        if change["new"] != "custom":
            self.kernel_text.value = format_matrix(KERNELS[change["new"]])

    @property
    def steps(self) -> int:
        """One step per output cell."""
        return self.output.size

    def _recompute(self) -> None:
        kernel = parse_matrix(self.kernel_text.value, "kernel")
        stride, padding = self.stride.value, self.padding.value
        self.output = conv2d(self.image, kernel, stride=stride, padding=padding)
        self.kernel, self._stride, self._padding = kernel, stride, padding
        self._padded = np.pad(self.image, padding)
        matching = [name for name, k in KERNELS.items() if k.shape == kernel.shape and np.allclose(k, kernel)]
        self.preset.value = matching[0] if matching else "custom"
        self.formula.value = size_formula(self.image.shape, kernel.shape, self.output.shape, stride=stride,
                                          padding=padding)

    def _live_settings(self) -> dict[str, Any]:
        return {"kind": "conv", "image": self.image.tolist(), "kernel": self.kernel.tolist(),
                "padding": self._padding, "stride": self._stride,
                "presets": {name: k.tolist() for name, k in KERNELS.items()}}

    def step(self, n: int) -> dict[str, Any]:
        """The numbers of step ``n``: output cell, window, products and sum."""
        row, col = divmod(n, self.output.shape[1])
        kh, kw = self.kernel.shape
        top, left = row * self._stride, col * self._stride
        window = self._padded[top : top + kh, left : left + kw]
        products = window * self.kernel
        return {"row": row, "col": col, "top": top, "left": left, "window": window,
                "products": products, "sum": float(products.sum())}

    def _frame(self, step: int) -> str:
        s = self.step(step)
        kh, kw = self.kernel.shape
        p = self._padding
        return (
            '<div class="cnn-step">'
            + matrix_html(self._padded, window=(s["top"], s["left"], kh, kw), padding=(p, p),
                          caption=tr("input (padding {p})").format(p=p))
            + '<span class="cnn-op">⊙</span>'
            + matrix_html(self.kernel, caption=tr("kernel"))
            + '<span class="cnn-op">=</span>'
            + matrix_html(s["products"], caption=tr("products"))
            + f'<span class="cnn-op">→ {tr("sum")} = <b>{s["sum"]:g}</b> →</span>'
            + matrix_html(filled_so_far(self.output, step), current=(s["row"], s["col"]), caption=tr("output"))
            + "</div>"
            + '<div class="cnn-note">' + tr("Step {step} of {steps}: output row {row}, column {col}.").format(
                step=step + 1, steps=self.steps, row=s["row"] + 1, col=s["col"] + 1) + '</div>'
        )

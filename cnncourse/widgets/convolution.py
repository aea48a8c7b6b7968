"""The convolution explorer of chapter 1: slide a kernel over a small image, or filter your own picture.

Computed in the browser (:mod:`cnncourse.widgets.browser`); Python reads and sets its state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from ..figures.html import matrix_html
from ..i18n.translate import tr
from ..ops.convolution import conv2d
from ..ops.kernels import KERNELS, get_kernel
from .browser import MATRIX_SYNC, PICTURE_SYNC, BrowserExplorer, Matrix, Picture
from .matrices import filled_so_far

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


class ConvolutionExplorer(BrowserExplorer):
    """Slide a kernel over a small image and watch the output fill in; filter your own picture.

    Shows, at each position, the padded input with the covered window
    highlighted, the elementwise products, their sum, and the output so far;
    a live formula gives the output size for the current padding and stride.
    The reader can bring a picture (a file, a drop or a paste; on the website
    the camera too): the numbers become a small grey crop of it (click the
    picture to move the crop) and the whole picture is filtered beside it.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The input matrix (the trait ``input``); by default the classic 5x5 example.
    kernel : str or array_like, optional
        A name from :data:`cnncourse.KERNELS` or a 2-D array; by default the
        classic 3x3 kernel.
    stride, padding : int, optional
        Initial stride (>= 1) and padding (>= 0).

    Attributes
    ----------
    input, kernel : numpy.ndarray
        The matrices (synced: set them from Python and the explorer follows).
    padding, stride, position : int
        Synced; ``position`` is the step shown, from 0.
    image : numpy.ndarray or None
        The reader's picture, grey in [0, 1] (synced both ways).
    output : numpy.ndarray
        cnncourse's :func:`~cnncourse.conv2d` of the current state, to check the browser against.

    Examples
    --------
    >>> explorer = ConvolutionExplorer()
    >>> explorer.output.tolist()
    [[4.0, 3.0, 4.0], [2.0, 4.0, 3.0], [2.0, 3.0, 4.0]]
    >>> explorer.padding = 1
    >>> explorer.output.shape, explorer.steps
    ((5, 5), 25)
    """

    kind = traitlets.Unicode("conv").tag(sync=True)
    input = Matrix(CLASSIC_IMAGE).tag(**MATRIX_SYNC)
    kernel = Matrix(CLASSIC_KERNEL).tag(**MATRIX_SYNC)
    padding = traitlets.Int(0, min=0).tag(sync=True)
    stride = traitlets.Int(1, min=1).tag(sync=True)
    position = traitlets.Int(0, min=0).tag(sync=True)
    presets = traitlets.Dict().tag(sync=True)
    image = Picture().tag(**PICTURE_SYNC)

    def __init__(self, image: Any = None, kernel: Any = None, *, stride: int = 1, padding: int = 0) -> None:
        matrix = CLASSIC_IMAGE if image is None else np.asarray(image, dtype=float)
        if matrix.ndim != 2:
            raise ValueError(f"image must have shape (H, W), got {matrix.shape}")
        kernel = CLASSIC_KERNEL if kernel is None else kernel
        kernel = get_kernel(kernel) if isinstance(kernel, str) else np.asarray(kernel, dtype=float)
        conv2d(matrix, kernel, stride=stride, padding=padding)  # bad settings raise here, naming the parameter
        super().__init__(input=matrix, kernel=kernel, stride=stride, padding=padding,
                         presets={name: k.tolist() for name, k in KERNELS.items()})

    @property
    def output(self) -> np.ndarray:
        """cnncourse's convolution of ``input`` by ``kernel`` with the explorer's padding and stride."""
        return conv2d(self.input, self.kernel, stride=self.stride, padding=self.padding)

    @property
    def filtered(self) -> np.ndarray | None:
        """The same convolution on the reader's whole picture (None without one)."""
        return None if self.image is None else conv2d(self.image, self.kernel, stride=self.stride,
                                                      padding=self.padding)

    @property
    def steps(self) -> int:
        """One step per output cell."""
        return self.output.size

    def _texts(self) -> tuple[str, ...]:
        return tuple(KERNELS)  # the presets' names

    def _settings(self) -> dict[str, Any]:
        return {"input": self.input.tolist(), "kernel": self.kernel.tolist(), "padding": self.padding,
                "stride": self.stride, "position": 0, "presets": self.presets}

    def step(self, n: int) -> dict[str, Any]:
        """The numbers of step ``n``: output cell, window, products and sum.

        Parameters
        ----------
        n : int
            The step, from 0.
        """
        output = self.output
        row, col = divmod(n, output.shape[1])
        kh, kw = self.kernel.shape
        top, left = row * self.stride, col * self.stride
        window = np.pad(self.input, self.padding)[top : top + kh, left : left + kw]
        products = window * self.kernel
        return {"row": row, "col": col, "top": top, "left": left, "window": window,
                "products": products, "sum": float(products.sum())}

    def _frame(self, step: int) -> str:
        s, output = self.step(step), self.output
        kh, kw = self.kernel.shape
        p = self.padding
        return (
            '<div class="cnn-step">'
            + matrix_html(np.pad(self.input, p), window=(s["top"], s["left"], kh, kw), padding=(p, p),
                          caption=tr("input (padding {p})").format(p=p))
            + '<span class="cnn-op">⊙</span>'
            + matrix_html(self.kernel, caption=tr("kernel"))
            + '<span class="cnn-op">=</span>'
            + matrix_html(s["products"], caption=tr("products"))
            + f'<span class="cnn-op">→ {tr("sum")} = <b>{s["sum"]:g}</b> →</span>'
            + matrix_html(filled_so_far(output, step), current=(s["row"], s["col"]), caption=tr("output"))
            + "</div>"
            + '<div class="cnn-note">' + tr("Step {step} of {steps}: output row {row}, column {col}.").format(
                step=step + 1, steps=output.size, row=s["row"] + 1, col=s["col"] + 1) + '</div>'
        )

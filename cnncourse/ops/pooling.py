"""2-D pooling: max and average over windows that slide across each channel.

Pooling divides every channel into (usually non-overlapping) windows and
outputs one number per window, the largest value (max pooling) or the mean
(average pooling). It shrinks height and width but never the number of
channels, and it has no weights to learn.

:func:`pool2d` equals ``torch.nn.functional.max_pool2d`` and ``avg_pool2d``
without padding and with ``ceil_mode=False``: windows that would stick out
past the input are dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.validate import as_float_array, as_pair, choice


IntOrPair = int | tuple[int, int]

POOL_MODES = ("max", "avg")
"""The pooling modes :func:`pool2d` knows."""


def pool2d(image: Any, window: IntOrPair = 2, *, stride: IntOrPair | None = None,
           mode: str = "max") -> np.ndarray:
    """Pool each channel of ``image`` over ``window``-sized windows, moved by ``stride``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (C, H, W)
        The input, one or several channels. Each channel is pooled on its own.
    window : int or (int, int), optional
        Window height and width; at least 1 and at most the input's size.
    stride : int or (int, int), optional
        Step between two windows, vertical and horizontal; at least 1. By
        default equal to ``window``: the windows tile the input without overlap.
    mode : {"max", "avg"}, optional
        Output the largest value of each window, or the mean.

    Returns
    -------
    numpy.ndarray, shape (H', W') or (C, H', W')
        ``H' = floor((H - window) / stride) + 1``, likewise ``W'``; the same number
        of dimensions and channels as ``image``. float32 input stays float32, any
        other input becomes float64.

    Raises
    ------
    ValueError
        Wrong number of dimensions, an empty input, ``window`` or ``stride``
        below 1, a window larger than the input, or an unknown ``mode`` (the
        message lists the valid ones).
    TypeError
        Non-numeric data, or a ``window``/``stride`` that is not an int.

    Examples
    --------
    >>> x = np.array([[1, 3, 2, 0],
    ...               [4, 2, 1, 1],
    ...               [0, 1, 5, 6],
    ...               [2, 2, 7, 8]])
    >>> pool2d(x)
    array([[4., 2.],
           [2., 8.]])
    >>> pool2d(x, mode="avg")
    array([[2.5 , 1.  ],
           [1.25, 6.5 ]])
    >>> pool2d(np.zeros((3, 8, 8)), 2).shape  # depth is kept
    (3, 4, 4)
    """
    array = as_float_array(image, "image", (2, 3))
    kh, kw = as_pair(window, "window", 1)
    sh, sw = as_pair(window if stride is None else stride, "stride", 1)
    choice(mode, "mode", POOL_MODES)
    h, w = array.shape[-2:]
    if kh > h or kw > w:
        raise ValueError(f"window {kh}x{kw} is larger than the input ({h}x{w}): the window must fit")
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1

    # Max and sum over a rectangle can be done one axis at a time: first
    # across each row (kw strided views of width ow), then down the columns
    # (kh strided views of height oh). Each step is one vectorized operation.
    # Sums are accumulated in float64 even for float32 input, like PyTorch on the CPU.
    combine = np.maximum if mode == "max" else np.add
    rows = array[..., 0 : sw * (ow - 1) + 1 : sw].astype(array.dtype if mode == "max" else np.float64)
    for j in range(1, kw):
        combine(rows, array[..., j : j + sw * (ow - 1) + 1 : sw], out=rows)
    out = rows[..., 0 : sh * (oh - 1) + 1 : sh, :].copy()
    for i in range(1, kh):
        combine(out, rows[..., i : i + sh * (oh - 1) + 1 : sh, :], out=out)
    if mode == "avg":
        out /= kh * kw
    return out.astype(array.dtype, copy=False)

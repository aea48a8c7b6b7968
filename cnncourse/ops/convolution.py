"""2-D convolution (cross-correlation, as deep-learning libraries compute it).

Two implementations of the same operation:

* :func:`conv2d_loop` slides the kernel with plain Python loops; it is written
  to be read next to the text of chapter 1;
* :func:`conv2d` is the vectorized version the rest of the course uses.

Both equal ``torch.nn.functional.conv2d`` on the same data: the kernel is
*not* flipped, channels are summed, padding adds zeros on every side.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.validate import as_float_array, as_pair, int_at_least


IntOrPair = int | tuple[int, int]


def output_size(
    length: int, kernel: int, *, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Length of a convolution's output along one axis.

    ``o = floor((i + 2p - d (k - 1) - 1) / s) + 1``, which for ``d = 1`` is the
    familiar ``floor((i + 2p - k) / s) + 1``. PyTorch floors too: positions
    where the kernel would stick out past the padded input are dropped.

    Parameters
    ----------
    length : int
        Input length ``i`` (height or width), at least 1.
    kernel : int
        Kernel length ``k``, at least 1.
    stride : int, optional
        Step ``s`` between two positions of the kernel, at least 1.
    padding : int, optional
        Zeros ``p`` added on *each* side, at least 0.
    dilation : int, optional
        Spacing ``d`` between kernel elements, at least 1.

    Returns
    -------
    int
        The output length, at least 1.

    Raises
    ------
    ValueError
        If a parameter is out of range, or the dilated kernel is larger than
        the padded input.

    Examples
    --------
    >>> output_size(5, 3)
    3
    >>> output_size(224, 3, padding=1)
    224
    >>> output_size(7, 3, stride=2, padding=0)
    3
    """
    i = int_at_least(length, "length", 1)
    k = int_at_least(kernel, "kernel", 1)
    s = int_at_least(stride, "stride", 1)
    p = int_at_least(padding, "padding", 0)
    d = int_at_least(dilation, "dilation", 1)
    span = d * (k - 1) + 1
    if span > i + 2 * p:
        raise ValueError(
            f"kernel (spanning {span} with dilation {d}) is larger than the padded input "
            f"({i} + 2*{p} = {i + 2 * p})"
        )
    return (i + 2 * p - span) // s + 1


def conv2d(
    image: Any, kernel: Any, *, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and return the map of weighted sums.

    At every position the kernel covers a patch of the (zero-padded) image;
    the patch and the kernel are multiplied elementwise and the products
    summed, over all channels, into one output number.

    Parameters
    ----------
    image : array_like, shape (H, W) or (C, H, W)
        The input, one or several channels.
    kernel : array_like, shape (kh, kw) or (C, kh, kw)
        The weights; a 2-D kernel is used for a single-channel image, a 3-D
        kernel must have as many channels as the image.
    stride : int or (int, int), optional
        Step between positions, vertical and horizontal; at least 1.
    padding : int or (int, int), optional
        Zeros added on each side, vertical and horizontal; at least 0.

    Returns
    -------
    numpy.ndarray, shape (H', W')
        ``H' = floor((H + 2 p - kh) / s) + 1`` and likewise for ``W'``;
        float32 if image and kernel are float32, float64 otherwise.

    Raises
    ------
    ValueError
        Wrong number of dimensions, channel mismatch, empty arrays, NaN or
        infinity in the kernel, stride < 1, padding < 0, or a kernel larger
        than the padded image.
    TypeError
        Non-numeric data.

    Examples
    --------
    >>> image = np.arange(16).reshape(4, 4)
    >>> conv2d(image, np.ones((2, 2)), stride=2)
    array([[10., 18.],
           [42., 50.]])
    """
    x, k, (sh, sw), (oh, ow) = _prepare(image, kernel, stride, padding)
    channels, kh, kw = k.shape
    out = np.zeros((oh, ow), dtype=np.result_type(x, k))
    # Shift and add: for each kernel element, one strided view of the input
    # (the values that element meets at every position) times its weight.
    # The output is done in bands of rows small enough to stay in the CPU's
    # cache while every kernel element is added into it: on large images this
    # beats whole-image passes, which wait on memory.
    band = max(1, _CACHE_FLOATS // ow)
    scratch = np.empty((min(band, oh), ow), dtype=out.dtype)
    for top in range(0, oh, band):
        bottom = min(oh, top + band)
        acc, tmp = out[top:bottom], scratch[: bottom - top]
        for c in range(channels):
            for i in range(kh):
                rows = x[c, top * sh + i : (bottom - 1) * sh + i + 1 : sh]
                for j in range(kw):
                    np.multiply(rows[:, j : j + sw * (ow - 1) + 1 : sw], k[c, i, j], out=tmp)
                    acc += tmp
    return out


_CACHE_FLOATS = 16_384  # floats per band of output rows: 128 KiB, within a typical L2 cache


def conv2d_loop(
    image: Any, kernel: Any, *, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> np.ndarray:
    """The same as :func:`conv2d`, written as plain loops for reading.

    Parameters
    ----------
    image : array_like, shape (H, W) or (C, H, W)
        The input, one or several channels.
    kernel : array_like, shape (kh, kw) or (C, kh, kw)
        The weights, as in :func:`conv2d`.
    stride : int or (int, int), optional
        Step between positions, vertical and horizontal; at least 1.
    padding : int or (int, int), optional
        Zeros added on each side, vertical and horizontal; at least 0.

    Returns
    -------
    numpy.ndarray, shape (H', W')
        The same array as :func:`conv2d` gives.

    Examples
    --------
    >>> conv2d_loop([[1, 2], [3, 4]], [[1, 0], [0, 1]])
    array([[5.]])
    """
    x, k, (sh, sw), (oh, ow) = _prepare(image, kernel, stride, padding)
    channels, kh, kw = k.shape
    out = np.zeros((oh, ow))
    for row in range(oh):  # move down ...
        for col in range(ow):  # ... and across
            top, left = row * sh, col * sw
            total = 0.0
            for c in range(channels):
                for i in range(kh):
                    for j in range(kw):
                        total += x[c, top + i, left + j] * k[c, i, j]
            out[row, col] = total
    return out


def _prepare(image, kernel, stride, padding):
    """Validate the arguments; return the padded (C, H, W) input and more."""
    x = as_float_array(image, "image", (2, 3))
    k = as_float_array(kernel, "kernel", (2, 3))
    if not np.all(np.isfinite(k)):
        raise ValueError("kernel must contain only finite numbers (found NaN or infinity)")
    x = x[None] if x.ndim == 2 else x
    k = k[None] if k.ndim == 2 else k
    if k.shape[0] != x.shape[0]:
        raise ValueError(
            f"kernel has {k.shape[0]} channel(s) but image has {x.shape[0]}: "
            "a kernel needs one slice per input channel"
        )
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    _, h, w = x.shape
    _, kh, kw = k.shape
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ValueError(
            f"kernel of size {kh}x{kw} is larger than the padded image "
            f"({h + 2 * ph}x{w + 2 * pw} with padding {(ph, pw)})"
        )
    if ph or pw:
        x = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - kh) // sh + 1
    ow = (w + 2 * pw - kw) // sw + 1
    return x, k, (sh, sw), (oh, ow)


"""A feature map's values as chapter 3's explorer shows them: a colour scale and a histogram.

The colours saturate at the 99th percentile of the absolute values, so that
faint edges show too; the histogram's bins are symmetric about 0 and reach the
largest absolute value, so a map before and after an activation share them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

BINS = 48
"""Bins of the explorer's histograms."""


def signed_scale(values: Any, *, bins: int = BINS) -> tuple[float, np.ndarray]:
    """The colour limit of a signed map and the edges of its histogram's bins.

    Parameters
    ----------
    values : array_like
        The map.
    bins : int, optional
        How many bins.

    Returns
    -------
    limit : float
        The 99th percentile of ``|values|`` (their maximum if that is 0; 1 for an all-zero map).
    edges : numpy.ndarray, shape (bins + 1,)
        From ``-max|values|`` to ``max|values|`` (from -1 to 1 for an all-zero map).

    Examples
    --------
    >>> limit, edges = signed_scale(np.array([-2.0, 0.0, 1.0]), bins=4)
    >>> round(limit, 2), edges.tolist()
    (1.98, [-2.0, -1.0, 0.0, 1.0, 2.0])
    """
    magnitude = np.abs(np.asarray(values, dtype=np.float64))
    limit = float(np.percentile(magnitude, 99)) or float(magnitude.max()) or 1.0
    top = float(magnitude.max()) or 1.0
    return limit, np.linspace(-top, top, bins + 1)


def clipped_histogram(values: Any, edges: Any) -> np.ndarray:
    """How many ``values`` fall in each bin, values outside the edges counted in the first or last bin.

    Parameters
    ----------
    values : array_like
        The map.
    edges : array_like
        The bins' edges, increasing.

    Returns
    -------
    numpy.ndarray of int, shape (len(edges) - 1,)

    Examples
    --------
    >>> clipped_histogram(np.array([-5.0, 0.2, 0.7, 9.0]), np.array([-1.0, 0.0, 1.0])).tolist()
    [1, 3]
    """
    edges = np.asarray(edges, dtype=np.float64)
    return np.histogram(np.clip(values, edges[0], edges[-1]), edges)[0]


def zero_share(values: Any) -> float:
    """The share of ``values`` that are exactly 0 (what a ReLU leaves).

    Parameters
    ----------
    values : array_like
        The map.

    Returns
    -------
    float

    Examples
    --------
    >>> zero_share(np.array([0.0, 0.0, 1.5, -1.0]))
    0.5
    """
    return float(np.mean(np.asarray(values) == 0))

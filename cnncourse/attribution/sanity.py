"""Numbers for judging attribution maps: how alike two maps are, and how much a map favours a region.

* :func:`rank_correlation` -- Spearman's rank correlation of two maps, the
  similarity of Adebayo et al.'s sanity check (chapter 7): 1 when both order
  the pixels the same way, near 0 when their orders are unrelated;
* :func:`mask_contrast` -- a map's mean inside a mask over its mean outside
  (chapter 7's "stroke" of a ring: how much more the map weighs it).

A map that is the same at every pixel (Grad-CAM of an untrained network often
has no positive value, so it comes back all zeros) orders nothing and weighs
nothing: both functions return NaN for it, on purpose and without a warning,
and :func:`is_constant` says when that happens, so a chapter can say "the map
is empty" instead of reading a verdict into a NaN (``max`` and ``<`` skip NaN
silently).

Examples
--------
>>> a = np.array([[0.1, 0.5], [0.2, 0.9]])
>>> rank_correlation(a, a ** 2), rank_correlation(a, -a)
(1.0, -1.0)
>>> rank_correlation(a, np.zeros((2, 2)))  # a constant map: no order to compare
nan
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.validate import as_float_array


def _finite(values: Any, name: str) -> np.ndarray:
    array = as_float_array(values, name)
    if array.size == 0:
        raise ValueError(f"{name} must contain at least one value, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def is_constant(values: Any) -> bool:
    """True when every value of the map is the same (an empty map: it orders and favours nothing).

    Parameters
    ----------
    values : array_like
        A map, any shape.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_constant(np.zeros((3, 3))), is_constant(np.eye(3))
    (True, False)
    """
    array = _finite(values, "values")
    return bool(array.max() == array.min())


def ranks(values: Any) -> np.ndarray:
    """The rank of each value among all of them (0 = smallest), ties sharing their mean rank; flattened.

    Examples
    --------
    >>> ranks(np.array([[10, 30], [20, 20]]))
    array([0. , 3. , 1.5, 1.5])
    """
    array = _finite(values, "values").ravel()
    _, index, counts = np.unique(array, return_inverse=True, return_counts=True)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])  # the rank of each distinct value's first copy
    return (first + (counts - 1) / 2)[index.ravel()]


def rank_correlation(a: Any, b: Any) -> float:
    """Spearman's rank correlation of two maps of the same shape; NaN when either map is constant.

    Each map's values are replaced by their ranks (:func:`ranks`) and the two
    rank lists are correlated (Pearson). It ignores the scale of the maps:
    any increasing change of one map leaves it unchanged.

    Parameters
    ----------
    a, b : array_like
        Two maps of the same shape, finite values.

    Returns
    -------
    float
        From -1 to 1; ``nan`` when ``a`` or ``b`` is constant (all values
        equal, e.g. an all-zero Grad-CAM map): such a map has no order, so the
        correlation is undefined. Check with :func:`math.isnan` or
        :func:`is_constant`; no warning is raised.

    Raises
    ------
    ValueError
        Different shapes, no values, or NaN or infinite values.

    Examples
    --------
    >>> rank_correlation([3.0, 1.0, 2.0], [30.0, 10.0, 25.0])
    1.0
    >>> math.isnan(rank_correlation([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]))
    True
    """
    a, b = _finite(a, "a"), _finite(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if is_constant(a) or is_constant(b):
        return math.nan
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    value = float((ra * rb).sum() / math.sqrt(float((ra * ra).sum() * (rb * rb).sum())))
    return max(-1.0, min(1.0, value))


def mask_contrast(values: Any, mask: Any) -> float:
    """The map's mean where ``mask`` is True over its mean where it is False; NaN for an all-zero map.

    1 means the map weighs the masked pixels no more than the others; 2,
    twice as much. ``values`` and ``mask`` may be one map or a stack of maps
    (all their pixels pooled).

    Parameters
    ----------
    values : array_like
        Non-negative map values (saliency, Grad-CAM), any shape.
    mask : array_like of bool
        The same shape; at least one True and one False.

    Returns
    -------
    float
        ``nan`` when the map is zero everywhere outside the mask and inside
        too (an empty map favours nothing); ``inf`` when it is zero only
        outside the mask.

    Raises
    ------
    ValueError
        Different shapes, a mask without True or without False values,
        negative, NaN or infinite values.

    Examples
    --------
    >>> mask_contrast(np.array([4.0, 2.0, 1.0, 1.0]), np.array([True, True, False, False]))
    3.0
    >>> mask_contrast(np.zeros(4), np.array([True, True, False, False]))
    nan
    """
    array = _finite(values, "values")
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be an array of booleans, got dtype {mask.dtype}")
    if mask.shape != array.shape:
        raise ValueError(f"values and mask must have the same shape, got {array.shape} and {mask.shape}")
    if mask.all() or not mask.any():
        raise ValueError("mask must be True for some values and False for others")
    if (array < 0).any():
        raise ValueError(f"values must be non-negative (a map's size), got a minimum of {array.min():g}")
    inside, outside = float(array[mask].mean()), float(array[~mask].mean())
    if outside == 0:
        return math.nan if inside == 0 else math.inf
    return inside / outside

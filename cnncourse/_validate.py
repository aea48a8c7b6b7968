"""Input checks shared by the compute modules.

Every public function of the course validates its input here, so that bad
input always gives the same kind of message: the parameter's name, what was
expected and what was received.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(value: Any, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a float64 array with one of ``ndims`` dimensions.

    Raises ``TypeError`` for non-numeric data and ``ValueError`` for a wrong
    number of dimensions or an empty array, naming the parameter.
    """
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}") from exc
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == bool
    ):
        raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must be real-valued, got dtype {array.dtype}")
    if array.ndim not in ndims:
        shapes = " or ".join(_shape_names(n) for n in ndims)
        raise ValueError(f"{name} must have shape {shapes}, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array.astype(np.float64, copy=False)


def _shape_names(ndim: int) -> str:
    return {1: "(N,)", 2: "(H, W)", 3: "(C, H, W)", 4: "(N, C, H, W)"}.get(ndim, f"{ndim}-D")


def as_pair(value: Any, name: str, minimum: int) -> tuple[int, int]:
    """Return an int or a pair of ints as a pair, each at least ``minimum``."""
    pair = (value, value) if np.ndim(value) == 0 else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    first, second = (int_at_least(item, name, minimum) for item in pair)
    return first, second


def int_at_least(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as an int, checking that it is an integer >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def choice(value: Any, name: str, valid: Any) -> Any:
    """Check that ``value`` is one of ``valid`` and list the valid values if not."""
    if value not in valid:
        names = ", ".join(repr(v) for v in valid)
        raise ValueError(f"unknown {name} {value!r}; valid values are {names}")
    return value

"""Input checks shared by the compute modules.

Every public function of the course validates its input here, so that bad
input always gives the same kind of message: the parameter's name, what was
expected and what was received.

The dtype policy of the NumPy operations (convolution, pooling, the
activation functions) lives here too, in :func:`as_float_array`: **float32
input stays float32; every other real input (integers, booleans, float16,
float64) is computed in float64.** With several inputs (an image and a
kernel) the result has NumPy's promoted type of the converted inputs, so it
is float32 only when every input is float32. float32 is what PyTorch and the
feature maps use; float64 is exact for the small integer examples of the
chapters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def as_float_array(value: Any, name: str, ndims: tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a float32 (if it is float32) or float64 array, with one of ``ndims`` dimensions.

    Raises ``TypeError`` for non-numeric data and ``ValueError`` for a wrong
    number of dimensions or an empty array, naming the parameter. ``ndims``
    None accepts any shape, empty arrays included.

    Examples
    --------
    >>> as_float_array([1, 2], "x").dtype, as_float_array(np.ones(2, np.float32), "x").dtype
    (dtype('float64'), dtype('float32'))
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
    if ndims is not None:
        if array.ndim not in ndims:
            shapes = " or ".join(_shape_names(n) for n in ndims)
            raise ValueError(f"{name} must have shape {shapes}, got an array of shape {array.shape}")
        if array.size == 0:
            raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array.astype(np.float32 if array.dtype == np.float32 else np.float64, copy=False)


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


def positive_number(value: Any, name: str) -> float:
    """Return ``value`` as a float, checking that it is a finite real number > 0 (``step_size``, ``lr``).

    Raises ``TypeError`` for anything but a real number (``True`` and text
    included) and ``ValueError`` for zero, a negative number, NaN or infinity.

    Examples
    --------
    >>> positive_number(2, "step_size")
    2.0
    >>> positive_number(0, "step_size")
    Traceback (most recent call last):
    ...
    ValueError: step_size must be a positive finite number, got 0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def int_between(value: Any, name: str, low: int, high: int, unit: str = "") -> int:
    """Return ``value`` as an int, checking that it is an integer from ``low`` to ``high`` (both included).

    Parameters
    ----------
    value : int
    name : str
        The parameter's name, for the message.
    low, high : int
        The valid range.
    unit : str, optional
        Written after the range in the message (``"pixels"``).

    Examples
    --------
    >>> int_between(3, "maps", 1, 64)
    3
    >>> int_between(0, "maps", 1, 64)
    Traceback (most recent call last):
    ...
    ValueError: maps must be between 1 and 64, got 0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}{' ' + unit if unit else ''}, got {value}")
    return int(value)


def finite_number(value: Any, name: str, minimum: float = -math.inf) -> float:
    """Return ``value`` as a finite float that is at least ``minimum``.

    Examples
    --------
    >>> finite_number(0.5, "noise", 0.0)
    0.5
    >>> finite_number(-0.1, "noise", 0.0)
    Traceback (most recent call last):
    ...
    ValueError: noise must be a finite number >= 0, got -0.1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value < minimum:
        bound = f" >= {minimum:g}" if math.isfinite(minimum) else ""
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}")
    return float(value)


def fraction(value: Any, name: str) -> float:
    """Return ``value`` as a float strictly between 0 and 1 (a share, such as ``val_fraction``).

    Examples
    --------
    >>> fraction(0.2, "val_fraction")
    0.2
    >>> fraction(1, "val_fraction")
    Traceback (most recent call last):
    ...
    ValueError: val_fraction must be between 0 and 1, got 1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return float(value)

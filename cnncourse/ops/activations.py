"""Activation functions and their derivatives, as plain NumPy functions.

An activation is applied to every number of a feature map on its own. Each
function equals its PyTorch counterpart (``torch.sigmoid``, ``torch.tanh``,
``torch.relu``, ``F.leaky_relu``, ``F.gelu``) and each derivative what autograd
computes, also at ``x = 0`` (ReLU's derivative is 0 there, leaky ReLU's its slope).

:data:`ACTIVATIONS` maps each name to its ``(function, derivative)`` pair.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..core.validate import as_float_array, choice


def _floats(x: Any) -> np.ndarray:
    """``x`` as an array of the package's dtype policy (float32 stays float32, the rest is float64)."""
    return as_float_array(x, "x")


def _slope(slope: Any) -> float:
    try:
        value = float(slope)
    except (TypeError, ValueError):
        raise TypeError(f"slope must be a number, got {slope!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"slope must be a finite number, got {slope!r}")
    return value


# -- sigmoid and tanh: squash into (0, 1) and (-1, 1) ------------------------


def sigmoid(x: Any) -> np.ndarray:
    """The logistic sigmoid ``1 / (1 + exp(-x))``, with values in (0, 1).

    Parameters
    ----------
    x : array_like
        Any shape; large negative values do not overflow.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.

    Examples
    --------
    >>> sigmoid([-1000.0, 0.0, 2.0]).round(4)
    array([0.    , 0.5   , 0.8808])
    """
    x = _floats(x)
    e = np.exp(-np.abs(x))  # never overflows
    r = 1 / (1 + e)
    return np.where(x >= 0, r, e * r)


def sigmoid_derivative(x: Any) -> np.ndarray:
    """Derivative of :func:`sigmoid`: ``s (1 - s)``, at most 0.25 (at 0).

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> sigmoid_derivative([0.0, 2.0, 10.0]).round(3)
    array([0.25 , 0.105, 0.   ])
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: Any) -> np.ndarray:
    """The hyperbolic tangent, with values in (-1, 1); a sigmoid centred on 0.

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> tanh([0.0, 1.0]).round(4)
    array([0.    , 0.7616])
    """
    return np.tanh(_floats(x))


def tanh_derivative(x: Any) -> np.ndarray:
    """Derivative of :func:`tanh`: ``1 - tanh(x)**2``, at most 1 (at 0).

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> tanh_derivative([0.0])
    array([1.])
    """
    t = tanh(x)
    return 1 - t * t


# -- ReLU and leaky ReLU: gate -----------------------------------------------


def relu(x: Any) -> np.ndarray:
    """Rectified linear unit: ``x`` where ``x > 0``, else 0.

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> relu([-2, 0, 3])
    array([0., 0., 3.])
    """
    return np.maximum(_floats(x), 0)


def relu_derivative(x: Any) -> np.ndarray:
    """Derivative of :func:`relu`: 1 where ``x > 0``, else 0 (0 at ``x = 0``, as autograd).

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> relu_derivative([-2, 0, 3])
    array([0., 0., 1.])
    """
    x = _floats(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x: Any, slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU: ``x`` where ``x > 0``, else ``slope * x``.

    Parameters
    ----------
    x : array_like
        Any shape.
    slope : float, optional
        The slope for negative inputs (PyTorch's ``negative_slope``); a finite
        number, usually small and positive.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.

    Examples
    --------
    >>> leaky_relu([-2.0, 3.0], slope=0.1)
    array([-0.2,  3. ])
    """
    x = _floats(x)
    return np.where(x > 0, x, _slope(slope) * x).astype(x.dtype, copy=False)


def leaky_relu_derivative(x: Any, slope: float = 0.01) -> np.ndarray:
    """Derivative of :func:`leaky_relu`: 1 where ``x > 0``, else ``slope`` (also at 0).

    Parameters
    ----------
    x : array_like
        Any shape.
    slope : float, optional
        Slope for ``x <= 0``; any finite number.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> leaky_relu_derivative([-2.0, 0.0, 3.0], slope=0.1)
    array([0.1, 0.1, 1. ])
    """
    x = _floats(x)
    return np.where(x > 0, 1.0, _slope(slope)).astype(x.dtype, copy=False)


# -- GELU: a smooth ReLU -------------------------------------------------------

_ERF_STEP = 1 / 128
_ERF_MAX = 6.0  # erf(6) = 1 - 2e-17: exactly 1.0 in float64
_t = np.arange(0.0, _ERF_MAX + _ERF_STEP / 2, _ERF_STEP)
_g = 2 / math.sqrt(math.pi) * np.exp(-_t * _t)  # erf'(t)
# Taylor coefficients of erf around every table point t, for powers 0..5 of (x - t).
_ERF_TAYLOR = np.stack(
    [
        np.array([math.erf(t) for t in _t]),
        _g,
        -_t * _g,
        (2 * _t**2 - 1) / 3 * _g,
        (3 * _t - 2 * _t**3) / 6 * _g,
        (4 * _t**4 - 12 * _t**2 + 3) / 30 * _g,
    ],
    axis=1,
)
_ERF_TAYLOR.flags.writeable = False
del _t, _g


def erf(x: Any) -> np.ndarray:
    """The error function ``erf(x) = 2/sqrt(pi) * integral of exp(-t**2) from 0 to x``.

    NumPy has none: a table of ``math.erf`` at steps of 1/128 and a degree-5
    Taylor polynomial around the nearest point give it to within about 1e-15.

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> erf([0.0, 1.0, -1.0, 10.0]).round(6)
    array([ 0.      ,  0.842701, -0.842701,  1.      ])
    """
    x = _floats(x)
    a = np.minimum(np.abs(x), _ERF_MAX)
    nan = np.isnan(a)
    index = np.rint(np.where(nan, 0, a) / _ERF_STEP).astype(np.intp)
    d = a - index * _ERF_STEP
    c = _ERF_TAYLOR[index]  # shape x.shape + (6,)
    value = c[..., 5]
    for k in range(4, -1, -1):  # Horner's rule
        value = value * d + c[..., k]
    return np.copysign(value, x).astype(x.dtype, copy=False)


def gelu(x: Any) -> np.ndarray:
    """Gaussian error linear unit: ``x * Phi(x)``, Phi the standard normal CDF.

    The exact form, ``0.5 x (1 + erf(x / sqrt(2)))``, as PyTorch's default
    (``approximate="none"``). It is close to ReLU but smooth, and slightly
    negative for small negative ``x`` (minimum about -0.17).

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> gelu([-3.0, 0.0, 1.0, 3.0]).round(4)
    array([-0.004 ,  0.    ,  0.8413,  2.996 ])
    """
    x = _floats(x)
    x64 = x.astype(np.float64, copy=False)  # 1 + erf(...) cancels for x < 0: work in float64
    return (0.5 * x64 * (1 + erf(x64 / math.sqrt(2)))).astype(x.dtype, copy=False)


def gelu_derivative(x: Any) -> np.ndarray:
    """Derivative of :func:`gelu`: ``Phi(x) + x * phi(x)``, phi the normal density.

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    numpy.ndarray, same shape as ``x``

    Examples
    --------
    >>> gelu_derivative([0.0])
    array([0.5])
    """
    x = _floats(x)
    x64 = x.astype(np.float64, copy=False)
    cdf = 0.5 * (1 + erf(x64 / math.sqrt(2)))
    with np.errstate(over="ignore"):
        pdf = np.exp(-0.5 * x64 * x64) / math.sqrt(2 * math.pi)
    return (cdf + x64 * pdf).astype(x.dtype, copy=False)


# -- by name ---------------------------------------------------------------------


class Activation(NamedTuple):
    """An activation function and its derivative.

    Attributes
    ----------
    function : callable
        The activation, array in, array out.
    derivative : callable
        Its derivative, array in, array out.
    """

    function: Callable[..., np.ndarray]
    derivative: Callable[..., np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(sigmoid, sigmoid_derivative),
    "tanh": Activation(tanh, tanh_derivative),
    "relu": Activation(relu, relu_derivative),
    "leaky_relu": Activation(leaky_relu, leaky_relu_derivative),
    "gelu": Activation(gelu, gelu_derivative),
}
"""The activations by name: ``function, derivative = ACTIVATIONS["relu"]``."""


def get_activation(name: str) -> Activation:
    """The ``(function, derivative)`` pair of the named activation.

    Parameters
    ----------
    name : str
        A key of :data:`ACTIVATIONS`.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.

    Examples
    --------
    >>> f, df = get_activation("relu")
    >>> f([-1.0, 2.0]), df([-1.0, 2.0])
    (array([0., 2.]), array([0., 1.]))
    """
    return ACTIVATIONS[choice(name, "activation", list(ACTIVATIONS))]

"""Activation functions and derivatives against PyTorch and its autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from cnncourse.ops.activations import ACTIVATIONS, erf, get_activation, leaky_relu, relu, sigmoid

SLOPES = st.floats(-2, 2, allow_nan=False)

TORCH = {
    "sigmoid": lambda t, slope: torch.sigmoid(t),
    "tanh": lambda t, slope: torch.tanh(t),
    "relu": lambda t, slope: torch.relu(t),
    "leaky_relu": lambda t, slope: F.leaky_relu(t, negative_slope=slope),
    "gelu": lambda t, slope: F.gelu(t),
}

values = arrays(
    np.float64,
    array_shapes(min_dims=1, max_dims=3, max_side=6),
    elements=st.floats(-30, 30, allow_nan=False) | st.sampled_from([0.0, -0.0, 1e-8, -1e-8]),
)


def ours(name: str, x: np.ndarray, slope: float):
    function, derivative = ACTIVATIONS[name]
    kwargs = {"slope": slope} if name == "leaky_relu" else {}
    return function(x, **kwargs), derivative(x, **kwargs)


def reference(name: str, x: np.ndarray, slope: float):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = TORCH[name](t, slope)
    (grad,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), grad.numpy()


def test_mapping_has_every_activation():
    assert list(ACTIVATIONS) == ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]
    function, derivative = ACTIVATIONS["tanh"]
    assert callable(function) and callable(derivative)


@pytest.mark.parametrize("name", list(TORCH))
@settings(max_examples=40, deadline=None)
@given(x=values, slope=SLOPES)
def test_matches_torch_and_autograd(name, x, slope):
    y, dy = ours(name, x, slope)
    y_ref, dy_ref = reference(name, x, slope)
    assert y.shape == x.shape and dy.shape == x.shape
    np.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dy, dy_ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(TORCH))
def test_at_zero_and_extremes_like_autograd(name):
    x = np.array([0.0, -0.0, -1000.0, -40.0, 40.0, 1000.0])
    y, dy = ours(name, x, 0.2)
    y_ref, dy_ref = reference(name, x, 0.2)
    np.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dy, dy_ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(TORCH))
def test_float32_matches_torch(name):
    x = np.random.default_rng(0).normal(scale=4, size=1000).astype(np.float32)
    y, dy = ours(name, x, 0.01)
    assert y.dtype == np.float32
    assert dy.dtype == np.float32
    t = torch.from_numpy(x)
    # float32 rounding differs (PyTorch's float32 GELU loses digits in 1 + erf for x < 0)
    np.testing.assert_allclose(y, TORCH[name](t, 0.01).numpy(), rtol=2e-6, atol=2e-6)
    exact = TORCH[name](t.double(), 0.01).float().numpy()
    np.testing.assert_allclose(y, exact, rtol=1e-6, atol=1e-7)


def test_erf_matches_math_erf():
    x = np.linspace(-8, 8, 20001)
    expected = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(erf(x), expected, rtol=0, atol=1e-15)
    assert np.isnan(erf(np.nan)) and erf(np.inf) == 1 and erf(-np.inf) == -1


def test_nan_propagates_like_torch():
    x = np.array([np.nan])
    for name in TORCH:
        y, _ = ours(name, x, 0.01)
        assert np.isnan(y).all(), name


def test_integers_and_lists_become_float64():
    assert relu([-1, 2]).dtype == np.float64
    assert sigmoid(0) == 0.5


def test_bad_input():
    with pytest.raises(TypeError, match=r"x must be numeric"):
        relu(["a"])
    with pytest.raises(TypeError, match=r"x must be real-valued"):
        relu(np.array([1j]))
    with pytest.raises(TypeError, match=r"slope must be a number, got 'steep'"):
        leaky_relu([1.0], slope="steep")
    with pytest.raises(ValueError, match=r"slope must be a finite number"):
        leaky_relu([1.0], slope=float("nan"))
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'; valid values are 'sigmoid', 'tanh'"):
        get_activation("softmax")

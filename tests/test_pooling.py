"""pool2d against PyTorch's max_pool2d / avg_pool2d, and its error messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncourse.ops.pooling import pool2d


def torch_pool(x: np.ndarray, size, stride, mode: str) -> np.ndarray:
    t = torch.from_numpy(np.asarray(x, dtype=np.float64))
    t = t[None] if t.ndim == 2 else t
    fn = F.max_pool2d if mode == "max" else F.avg_pool2d
    out = fn(t[None], size, stride=stride)[0]
    return (out[0] if np.ndim(x) == 2 else out).numpy()


@st.composite
def pooling_cases(draw):
    c = draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kh, kw = draw(st.integers(1, h)), draw(st.integers(1, w))
    sh, sw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**16))
    x = np.random.default_rng(seed).normal(size=(c, h, w))
    if draw(st.booleans()):
        x = np.round(x)  # ties in max pooling
    two_d = draw(st.booleans())
    return (x[0] if two_d else x), (kh, kw), (sh, sw)


@settings(max_examples=60, deadline=None)
@given(case=pooling_cases(), mode=st.sampled_from(["max", "avg"]))
def test_pool2d_matches_torch(case, mode):
    x, size, stride = case
    ours = pool2d(x, size, stride=stride, mode=mode)
    expected = torch_pool(x, size, stride, mode)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(case=pooling_cases(), mode=st.sampled_from(["max", "avg"]))
def test_stride_defaults_to_size_and_int_means_square(case, mode):
    x, (k, _), _ = case
    k = min(k, x.shape[-1])
    expected = torch_pool(x, k, k, mode)
    np.testing.assert_allclose(pool2d(x, k, mode=mode), expected, rtol=1e-12, atol=1e-12)


def test_hand_worked_example():
    x = np.array([[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [2, 2, 7, 8]])
    assert pool2d(x).tolist() == [[4, 2], [2, 8]]
    assert pool2d(x, mode="avg").tolist() == [[2.5, 1.0], [1.25, 6.5]]


def test_keeps_depth_and_dtype():
    x = np.random.default_rng(0).normal(size=(5, 8, 6)).astype(np.float32)
    out = pool2d(x, 2)
    assert out.shape == (5, 4, 3) and out.dtype == np.float32
    assert pool2d(x.astype(int)).dtype == np.float64
    np.testing.assert_allclose(out, F.max_pool2d(torch.from_numpy(x)[None], 2)[0].numpy())


def test_global_average_pooling():
    x = np.random.default_rng(1).normal(size=(4, 7, 9))
    out = pool2d(x, x.shape[-2:], mode="avg")
    assert out.shape == (4, 1, 1)
    np.testing.assert_allclose(out[:, 0, 0], x.mean(axis=(1, 2)))


def test_does_not_modify_input():
    x = np.arange(16.0).reshape(4, 4)
    before = x.copy()
    pool2d(x, 2, stride=1, mode="avg")
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": np.zeros(4)}, ValueError, r"image must have shape \(H, W\) or \(C, H, W\)"),
        ({"image": np.zeros((1, 2, 3, 4))}, ValueError, r"image must have shape"),
        ({"image": np.zeros((0, 4))}, ValueError, r"image must not be empty"),
        ({"image": [["a", "b"]]}, TypeError, r"image must be numeric"),
        ({"image": np.zeros((3, 3)), "window": 4}, ValueError, r"window 4x4 is larger than the input \(3x3\)"),
        ({"image": np.zeros((5, 3)), "window": (2, 4)}, ValueError, r"window 2x4 is larger"),
        ({"image": np.zeros((4, 4)), "window": 0}, ValueError, r"window must be >= 1"),
        ({"image": np.zeros((4, 4)), "stride": 0}, ValueError, r"stride must be >= 1, got 0"),
        ({"image": np.zeros((4, 4)), "stride": (1, -2)}, ValueError, r"stride must be >= 1, got -2"),
        ({"image": np.zeros((4, 4)), "stride": (1, 2, 3)}, ValueError, r"stride must be an int or a pair"),
        ({"image": np.zeros((4, 4)), "window": 1.5}, TypeError, r"window must be an int"),
        ({"image": np.zeros((4, 4)), "mode": "mean"}, ValueError, r"unknown mode 'mean'; valid values are 'max', 'avg'"),
        ({"image": np.zeros((4, 4), np.float32), "window": 5}, ValueError, r"window 5x5 is larger"),
        ({"image": np.zeros((2, 2, 2, 2), np.float32)}, ValueError, r"image must have shape"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        pool2d(**kwargs)

"""conv2d, conv2d_loop and output_size, compared with PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncourse import CLASSIC_IMAGE, CLASSIC_KERNEL, KERNELS, conv2d, conv2d_loop, get_kernel, output_size


def torch_conv(image: np.ndarray, kernel: np.ndarray, stride, padding) -> np.ndarray:
    x = torch.tensor(np.asarray(image, dtype=np.float64))
    k = torch.tensor(np.asarray(kernel, dtype=np.float64))
    x = x[None, None] if x.ndim == 2 else x[None]
    k = k[None, None] if k.ndim == 2 else k[None]
    return F.conv2d(x, k, stride=stride, padding=padding)[0, 0].numpy()


@st.composite
def conv_cases(draw):
    channels = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    h = draw(st.integers(max(1, kh - 2 * ph), 9))
    w = draw(st.integers(max(1, kw - 2 * pw), 9))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    image = rng.normal(size=(channels, h, w))
    kernel = rng.normal(size=(channels, kh, kw))
    if channels == 1 and draw(st.booleans()):
        image, kernel = image[0], kernel[0]
    return image, kernel, stride, (ph, pw)


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_conv2d_equals_torch(case):
    image, kernel, stride, padding = case
    expected = torch_conv(image, kernel, stride, padding)
    result = conv2d(image, kernel, stride=stride, padding=padding)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_loop_and_vectorized_agree(case):
    image, kernel, stride, padding = case
    np.testing.assert_allclose(
        conv2d_loop(image, kernel, stride=stride, padding=padding),
        conv2d(image, kernel, stride=stride, padding=padding),
        rtol=1e-12, atol=1e-12,
    )


@settings(max_examples=150, deadline=None)
@given(size=st.integers(1, 40), kernel=st.integers(1, 7), stride=st.integers(1, 5),
       padding=st.integers(0, 3), dilation=st.integers(1, 3))
def test_output_size_equals_torch(size, kernel, stride, padding, dilation):
    span = dilation * (kernel - 1) + 1
    layer = torch.nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)
    if span > size + 2 * padding:
        with pytest.raises(ValueError, match="larger than the padded input"):
            output_size(size, kernel, stride=stride, padding=padding, dilation=dilation)
        return
    expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
    assert output_size(size, kernel, stride=stride, padding=padding, dilation=dilation) == expected


def test_classic_example_by_hand():
    assert conv2d(CLASSIC_IMAGE, CLASSIC_KERNEL).tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]


def test_stride_that_does_not_divide_floors_like_torch():
    image = np.arange(49.0).reshape(7, 7)
    result = conv2d(image, np.ones((3, 3)), stride=3)  # (7 - 3) / 3 = 1.33 -> 1, so 2 positions
    assert result.shape == (2, 2)
    np.testing.assert_allclose(result, torch_conv(image, np.ones((3, 3)), 3, 0))


def test_kernels_are_read_only_and_get_kernel_copies():
    with pytest.raises(ValueError, match="read-only"):
        KERNELS["sharpen"][0, 0] = 1
    k = get_kernel("sharpen")
    k[0, 0] = 7
    assert KERNELS["sharpen"][0, 0] == 0


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_named_kernels_match_torch_on_a_photo(kernel):
    rng = np.random.default_rng(1)
    image = rng.random((20, 30))
    np.testing.assert_allclose(conv2d(image, KERNELS[kernel], padding=1),
                               torch_conv(image, KERNELS[kernel], 1, 1), atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": np.zeros((2, 2, 2, 2))}, ValueError, r"image must have shape \(H, W\) or \(C, H, W\)"),
        ({"kernel": np.zeros(3)}, ValueError, r"kernel must have shape"),
        ({"image": np.zeros((2, 5, 5)), "kernel": np.zeros((3, 3, 3))}, ValueError, r"kernel has 3 channel\(s\) but image has 2"),
        ({"kernel": np.ones((7, 7))}, ValueError, r"kernel of size 7x7 is larger than the padded image"),
        ({"stride": 0}, ValueError, r"stride must be >= 1"),
        ({"stride": (1, 2, 3)}, ValueError, r"stride must be an int or a pair"),
        ({"stride": 1.5}, TypeError, r"stride must be an int"),
        ({"padding": -1}, ValueError, r"padding must be >= 0"),
        ({"image": np.zeros((0, 5))}, ValueError, r"image must not be empty"),
        ({"kernel": [[1, np.nan], [0, 1]]}, ValueError, r"kernel must contain only finite numbers"),
        ({"kernel": [[1, np.inf], [0, 1]]}, ValueError, r"kernel must contain only finite numbers"),
        ({"image": [["a", "b"], ["c", "d"]]}, TypeError, r"image must be numeric"),
        ({"kernel": [[1j, 0], [0, 1]]}, TypeError, r"kernel must be real-valued"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, error, match):
    args = {"image": np.zeros((5, 5)), "kernel": np.ones((3, 3))} | kwargs
    image, kernel = args.pop("image"), args.pop("kernel")
    for function in (conv2d, conv2d_loop):
        with pytest.raises(error, match=match):
            function(image, kernel, **args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"length": 0}, "length must be >= 1"), ({"kernel": 0}, "kernel must be >= 1"),
     ({"stride": 0}, "stride must be >= 1"), ({"padding": -2}, "padding must be >= 0"),
     ({"dilation": 0}, "dilation must be >= 1")],
)
def test_output_size_bad_input(kwargs, match):
    args = {"length": 5, "kernel": 3} | kwargs
    with pytest.raises(ValueError, match=match):
        output_size(args.pop("length"), args.pop("kernel"), **args)


def test_get_kernel_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown kernel name 'sobel'; valid values are 'identity', .*'sharpen'"):
        get_kernel("sobel")

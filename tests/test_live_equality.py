"""The website's JavaScript (``_static/cnn-live.js``) computes what cnncourse computes.

A fixed, seeded list of a few hundred cases (convolutions with channels,
paddings and strides, pairs included; max and average pooling; every
activation and its derivative, leaky ReLU with several slopes; negative and
large inputs) is made here, run in headless Chromium on a blank page in one
``page.evaluate`` call, and compared with ``cnncourse.conv2d``, ``pool2d`` and
the activation functions: 1e-12 relative. The absolute tolerance, 1e-15, only
matters where the exact result is a difference of nearly equal numbers
(``1 - tanh(x)**2``, ``1 + erf(x)`` for GELU far below zero), where one
rounding step (1e-16) of either side is already a large relative change.

Bad input gives the same message as cnncourse (the parameter, the valid
range), both for the functions and for the matrices a reader types.

Needs Chromium (marked ``site``; the session's browser, tests/conftest.py), not the built book.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnncourse import ACTIVATIONS, conv2d, parse_matrix, pool2d
from conftest import blank_page_with

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "_static" / "cnn-live.js"
RTOL, ATOL = 1e-12, 1e-15
SLOPES = (0.01, 0.2, 0.0, -0.5, 1.5)


@pytest.fixture(scope="module")
def page(browser_context):
    """A blank page with only cnn-live.js loaded (from the source tree), in the session's browser."""
    yield from blank_page_with(browser_context, SCRIPT, "cnnLive")


# -- the cases -------------------------------------------------------------------


def _values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Small integers, normal numbers, or large numbers of both signs."""
    kind = rng.integers(3)
    if kind == 0:
        return rng.integers(-5, 6, shape).astype(float)
    if kind == 1:
        return rng.normal(0, 3, shape)
    return rng.normal(0, 1, shape) * 10.0 ** rng.integers(3, 9)


def _int_or_pair(rng: np.random.Generator, low: int, high: int):
    if rng.random() < 0.5:
        return int(rng.integers(low, high + 1))
    return [int(rng.integers(low, high + 1)), int(rng.integers(low, high + 1))]


def _pair(value) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def conv_cases(n: int = 200) -> list[dict]:
    rng = np.random.default_rng(14)
    cases = []
    for _ in range(n):
        channels = [None, 1, 2, 3][rng.integers(4)]
        h, w = (int(v) for v in rng.integers(1, 10, 2))
        padding, stride = _int_or_pair(rng, 0, 2), _int_or_pair(rng, 1, 3)
        (ph, pw) = _pair(padding)
        kh, kw = int(rng.integers(1, min(5, h + 2 * ph) + 1)), int(rng.integers(1, min(5, w + 2 * pw) + 1))
        lead = () if channels is None else (channels,)
        cases.append({"image": _values(rng, (*lead, h, w)).tolist(), "kernel": _values(rng, (*lead, kh, kw)).tolist(),
                      "stride": stride, "padding": padding})
    return cases


def pool_cases(n: int = 150) -> list[dict]:
    rng = np.random.default_rng(15)
    cases = []
    for _ in range(n):
        channels = [None, 1, 2, 3][rng.integers(4)]
        h, w = (int(v) for v in rng.integers(1, 11, 2))
        window = [int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))] if rng.random() < 0.4 \
            else int(rng.integers(1, min(h, w) + 1))
        stride = None if rng.random() < 0.3 else _int_or_pair(rng, 1, 3)
        lead = () if channels is None else (channels,)
        cases.append({"image": _values(rng, (*lead, h, w)).tolist(), "window": window, "stride": stride,
                      "mode": ["max", "avg"][rng.integers(2)]})
    return cases


def activation_cases() -> list[dict]:
    rng = np.random.default_rng(16)
    x = np.concatenate([
        [0.0, -0.0, 1.0, -1.0, 1 / 256, -1 / 256, 6.0, -6.0, 8.4, -8.4, 20.0, -20.0, 40.0, -40.0,
         700.0, -700.0, 1e6, -1e6, 1e-300, -1e-300],
        rng.normal(0, 1, 150), rng.normal(0, 4, 150), rng.uniform(-12, 12, 100),
        rng.normal(0, 1, 40) * 10.0 ** rng.integers(2, 12, 40),
    ])
    cases = []
    for name in ACTIVATIONS:
        for slope in SLOPES if name == "leaky_relu" else (None,):
            for derivative in (False, True):
                cases.append({"name": name, "slope": slope, "derivative": derivative, "x": x.tolist()})
    return cases


RUN = """cases => {
  const L = window.cnnLive;
  const run = f => { try { return {value: f()}; } catch (e) { return {error: e.message}; } };
  return {
    conv: cases.conv.map(c => run(() => L.conv2d(c.image, c.kernel, {stride: c.stride, padding: c.padding}))),
    pool: cases.pool.map(c => run(() => L.pool2d(c.image, c.window, {stride: c.stride, mode: c.mode}))),
    act: cases.act.map(c => run(() => L.activate(c.name, c.x, c.slope === null ? undefined : c.slope, c.derivative))),
  };
}"""


@pytest.fixture(scope="module")
def results(page):
    cases = {"conv": conv_cases(), "pool": pool_cases(), "act": activation_cases()}
    return cases, page.evaluate(RUN, cases)


def test_there_are_a_few_hundred_cases(results):
    cases, _ = results
    assert sum(len(v) for v in cases.values()) >= 300
    assert {c["mode"] for c in cases["pool"]} == {"max", "avg"}
    assert any(isinstance(c["stride"], list) for c in cases["conv"])
    assert any(isinstance(c["padding"], list) for c in cases["conv"])
    assert any(np.ndim(c["image"]) == 3 and len(c["image"]) > 1 for c in cases["conv"])


def test_conv2d_equals_cnncourse(results):
    cases, got = results
    for case, js in zip(cases["conv"], got["conv"]):
        assert "error" not in js, (case, js)
        expected = conv2d(np.array(case["image"]), np.array(case["kernel"]),
                          stride=_py(case["stride"]), padding=_py(case["padding"]))
        np.testing.assert_allclose(np.array(js["value"]), expected, rtol=RTOL, atol=ATOL, err_msg=str(case))


def test_pool2d_equals_cnncourse(results):
    cases, got = results
    for case, js in zip(cases["pool"], got["pool"]):
        assert "error" not in js, (case, js)
        expected = pool2d(np.array(case["image"]), _py(case["window"]), stride=_py(case["stride"]),
                          mode=case["mode"])
        np.testing.assert_allclose(np.array(js["value"]), expected, rtol=RTOL, atol=ATOL, err_msg=str(case))


def test_activations_and_derivatives_equal_cnncourse(results):
    cases, got = results
    assert len(cases["act"]) == 2 * (len(ACTIVATIONS) - 1 + len(SLOPES))
    for case, js in zip(cases["act"], got["act"]):
        assert "error" not in js, (case["name"], js)
        function = ACTIVATIONS[case["name"]][1 if case["derivative"] else 0]
        kwargs = {} if case["slope"] is None else {"slope": case["slope"]}
        expected = function(np.array(case["x"]), **kwargs)
        label = f"{case['name']} slope={case['slope']} derivative={case['derivative']}"
        np.testing.assert_allclose(np.array(js["value"], dtype=float), expected, rtol=RTOL, atol=ATOL, err_msg=label)


def _py(value):
    return tuple(value) if isinstance(value, list) else value


# -- bad input: the same messages as cnncourse ------------------------------------------

IMAGE, KERNEL = np.arange(16.0).reshape(4, 4), np.ones((3, 3))
BAD_CONV = [
    {"stride": 0}, {"stride": [1, 0]}, {"padding": -1}, {"stride": 1.5}, {"stride": [1, 2, 3]},
    {"kernel": np.ones((5, 5))}, {"kernel": np.ones((2, 3, 3))},
]
BAD_POOL = [
    {"window": 0}, {"window": 5}, {"window": [2, 5]}, {"window": 2, "stride": 0}, {"window": 2, "stride": 2.5},
    {"window": 2, "mode": "median"},
]


def _message(call) -> str:
    with pytest.raises((ValueError, TypeError), match=r"\w") as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("bad", BAD_CONV, ids=[str(b) for b in BAD_CONV])
def test_conv2d_bad_input_gives_cnncourse_message(page, bad):
    kernel = np.asarray(bad.get("kernel", KERNEL), dtype=float)
    options = {k: v for k, v in bad.items() if k != "kernel"}
    expected = _message(lambda: conv2d(IMAGE, kernel, **{k: _py(v) for k, v in options.items()}))
    js = page.evaluate(
        """([image, kernel, options]) => {
             try { cnnLive.conv2d(image, kernel, options); return null; } catch (e) { return e.message; } }""",
        [IMAGE.tolist(), kernel.tolist(), options],
    )
    assert js == expected


def test_conv2d_non_finite_kernel_gives_cnncourse_message(page):
    expected = _message(lambda: conv2d(IMAGE, [[1.0, np.nan]]))
    js = page.evaluate("() => { try { cnnLive.conv2d([[1, 2, 3]], [[1, NaN]]); } catch (e) { return e.message; } }")
    assert js == expected


@pytest.mark.parametrize("bad", BAD_POOL, ids=[str(b) for b in BAD_POOL])
def test_pool2d_bad_input_gives_cnncourse_message(page, bad):
    window = bad["window"]
    options = {k: v for k, v in bad.items() if k != "window"}
    expected = _message(lambda: pool2d(IMAGE, _py(window), **{k: _py(v) for k, v in options.items()}))
    js = page.evaluate(
        """([image, window, options]) => { try { cnnLive.pool2d(image, window, options); return null; }
                                           catch (e) { return e.message; } }""",
        [IMAGE.tolist(), window, options],
    )
    assert js == expected


TYPED = ["1 2\n3", "1 2; 3 x", "", "  \n ", "1 inf", "1, 2, 3; 4 5 6", "1e3 -2.5 .5\n0 0 1"]


@pytest.mark.parametrize("text", TYPED, ids=[repr(t) for t in TYPED])
def test_typed_matrices_parse_as_in_python(page, text):
    js = page.evaluate(
        """text => { try { return {value: cnnLive.parseMatrix(text, 'input')}; }
                     catch (e) { return {error: e.message}; } }""", text)
    try:
        expected = {"value": parse_matrix(text, "input").tolist()}
    except ValueError as exc:
        expected = {"error": str(exc)}
    assert js == expected


@pytest.mark.parametrize("bad, name", [
    ("[[1, 2], [3]]", "image is ragged"), ("[[1, 'a']]", "image must be numeric"), ("[]", "image must be a non-empty"),
])
def test_ragged_or_non_numeric_arrays_name_the_parameter(page, bad, name):
    message = page.evaluate(
        f"() => {{ try {{ cnnLive.conv2d({bad}, [[1]]); return null; }} catch (e) {{ return e.message; }} }}")
    assert message is not None and message.startswith(name)


def test_activation_bad_input_names_the_parameter(page):
    messages = page.evaluate("""() => [
        () => cnnLive.activate('swish', [1]), () => cnnLive.activate('leaky_relu', [1], Infinity),
        () => cnnLive.activate('leaky_relu', [1], 'a')].map(f => { try { f(); return null; } catch (e) { return e.message; } })""")
    assert messages[0] == "unknown activation 'swish'; valid values are 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu'"
    assert messages[1].startswith("slope must be a finite number")
    assert messages[2] == "slope must be a number, got 'a'"


def test_filter_picture_equals_cnncourse_conv2d(page):
    """cnnLive.filterPicture, the whole picture and the camera's frames, is conv2d on a flat grey picture."""
    rng = np.random.default_rng(25)
    cases = []
    for _ in range(40):
        h, w = (int(v) for v in rng.integers(3, 30, 2))
        kh, kw = int(rng.integers(1, min(h, 5) + 1)), int(rng.integers(1, min(w, 5) + 1))
        picture = rng.integers(0, 256, (h, w)) / 255
        kernel = _values(rng, (kh, kw))
        cases.append({"picture": picture.ravel().tolist(), "h": h, "w": w, "kernel": kernel.tolist(),
                      "padding": int(rng.integers(0, 3)), "stride": int(rng.integers(1, 4))})
    got = page.evaluate("""cases => cases.map(c => Array.from(cnnLive.filterPicture(Float64Array.from(c.picture), c.h, c.w,
        c.kernel, {stride: c.stride, padding: c.padding})))""", cases)
    for case, values in zip(cases, got):
        expected = conv2d(np.array(case["picture"]).reshape(case["h"], case["w"]), np.array(case["kernel"]),
                          stride=case["stride"], padding=case["padding"])
        np.testing.assert_allclose(np.array(values).reshape(expected.shape), expected, rtol=RTOL, atol=1e-12)

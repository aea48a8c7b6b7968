"""The live explorers of chapters 1-3 on the built website, driven in headless Chromium.

For each explorer: it took the recorded player's place; the slider, Play and
every control change the picture; the output-size formula follows; a bad
typed value shows a message naming the parameter while the last picture
stays; the numbers shown are cnncourse's; no console error. The matrices are
canvases, drawn with the size, captions and colours of the tables they hold for
screen readers, in both themes. With JavaScript off, the still pictures (and the
recorded players of further settings) are there instead.

Needs the built book (``_build/html``, see tests/test_site.py) and Chromium.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from test_site import base_url, open_page, site  # noqa: F401 - fixtures (browser_context is tests/conftest.py's)

from cnncourse import CLASSIC_IMAGE, KERNELS, POOLING_EXAMPLE, conv2d, default_feature_map, get_activation, pool2d

pytestmark = pytest.mark.site

CH1, CH2, CH3 = "chapters/01_convolution.html", "chapters/02_pooling.html", "chapters/03_activations.html"
EXPLORERS = {CH1: 3, CH2: 2, CH3: 1}

MOUNTED = "n => document.querySelectorAll('.cnn-live[data-mounted]').length === n"
# Each matrix canvas holds its table (for screen readers), written when the browser is idle: wait for it.
SETTLE = "() => new Promise(done => (window.requestIdleCallback || setTimeout)(() => done(), {timeout: 1000}))"
OUTPUT = """box => Array.from(Array.from(box.querySelectorAll('.cnn-live-display table.cnn-matrix')).pop().rows)
  .map(r => Array.from(r.cells).map(c => c.textContent === '' ? null : Number(c.textContent)))"""


def _open(open_page, path):  # noqa: F811
    page, log = open_page(path)
    page.wait_for_function(MOUNTED, arg=EXPLORERS[path])
    return page, log


def _set(locator, value) -> None:
    """Type ``value`` into a control the way a reader does (the page sees input and change events)."""
    locator.fill(str(value))
    locator.dispatch_event("change")


def _slide(box, step: int) -> None:
    box.locator("input[type=range]").evaluate(
        "(s, k) => { s.value = k; s.dispatchEvent(new Event('input', {bubbles: true})); }", step)


def _output(box) -> np.ndarray:
    box.page.evaluate(SETTLE)
    return np.array(box.evaluate(OUTPUT), dtype=float)


def _last_step_output(box) -> np.ndarray:
    _slide(box, 10_000)  # past the end: the slider clamps to the last step
    return _output(box)


def _message(box) -> str:
    return box.locator(".cnn-live-message").text_content()


def _picture(box) -> str:
    box.page.evaluate(SETTLE)
    return box.locator(".cnn-live-display").inner_html()


def _bad_value_keeps_the_picture(box, control, value, expected: str, good) -> None:
    picture = _picture(box)
    _set(control, value)
    assert expected in _message(box), (value, _message(box))
    assert _picture(box) == picture, f"the picture changed after the bad value {value!r}"
    _set(control, good)
    assert _message(box) == "", _message(box)


@pytest.mark.parametrize("path", list(EXPLORERS))
def test_live_explorers_replace_the_recorded_players(site, open_page, path):  # noqa: F811
    page, log = _open(open_page, path)
    assert page.locator(".cnn-live .cnn-player").count() == 0
    boxes = page.locator(".cnn-livebox")
    assert boxes.count() == EXPLORERS[path]
    for k in range(boxes.count()):
        box = boxes.nth(k)
        assert "runs in your browser" in box.locator(".cnn-live-note").text_content()
        assert "launch button" in box.locator(".cnn-live-note").text_content()
        assert box.locator(".cnn-player-title").text_content().strip()
        assert box.locator(".cnn-live-display").inner_html().strip()
    scripts = page.evaluate("Array.from(document.scripts).filter(s => /cnn-live(-explorers)?\\.js/.test(s.src))"
                            ".map(s => [s.src.split('/').pop().split('?')[0], s.defer])")
    assert sorted(scripts) == [["cnn-live-explorers.js", True], ["cnn-live.js", True]]
    assert not log.problems(), log.problems()


def test_convolution_explorer(site, open_page):  # noqa: F811
    page, log = _open(open_page, CH1)
    boxes = page.locator(".cnn-livebox")
    box = boxes.nth(0)
    box.scroll_into_view_if_needed()
    formula = box.locator(".cnn-live-formula")
    assert "= 3 rows" in formula.text_content() and "= 3 columns" in formula.text_content()
    np.testing.assert_allclose(_last_step_output(box), [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    # The other two explorers start with their own settings (padding 1, stride 2).
    assert "(5 + 2·1 − 3) / 1⌋ + 1 = 5 rows" in boxes.nth(1).locator(".cnn-live-formula").text_content()
    assert "(5 + 2·0 − 3) / 2⌋ + 1 = 2 rows" in boxes.nth(2).locator(".cnn-live-formula").text_content()

    # Position slider and Play.
    _slide(box, 4)
    assert box.get_attribute("data-step") == "4"
    # Counted as the caption ("Step 5 of 9") and the recorded player ("step 5 / 9") count: from 1.
    assert box.locator(".cnn-player-counter").text_content() == "step 5 / 9"
    assert box.locator("input[type=range]").get_attribute("aria-label") == "step"
    assert "Step 5 of 9:" in _picture(box)
    assert np.isnan(_output(box)).sum() == 4  # cells after step 5 are blank
    _slide(box, 0)
    box.locator("[data-action=play]").click()
    page.wait_for_function("b => Number(b.dataset.step) > 0", arg=box.element_handle())
    box.locator("[data-action=play]").click()
    assert box.locator("[data-action=play]").text_content() == "Play"

    # Presets: the kernel and the numbers follow.
    box.locator("select[aria-label=preset]").select_option("vertical edge")
    assert box.locator("textarea[aria-label=kernel]").input_value() == "-1 0 1\n-1 0 1\n-1 0 1"
    np.testing.assert_allclose(_last_step_output(box), conv2d(CLASSIC_IMAGE, KERNELS["vertical edge"]))

    # An edited kernel, input, padding and stride.
    _set(box.locator("textarea[aria-label=kernel]"), "1 1\n1 -1")
    assert box.locator("select[aria-label=preset]").input_value() == "custom"
    assert "(5 + 2·0 − 2) / 1⌋ + 1 = 4 rows" in formula.text_content()
    image = np.arange(48.0).reshape(6, 8) % 7 - 3
    _set(box.locator("textarea[aria-label=input]"), "\n".join(" ".join(f"{v:g}" for v in row) for row in image))
    _set(box.locator("input[aria-label=padding]"), 2)
    _set(box.locator("input[aria-label=stride]"), 3)
    assert "(6 + 2·2 − 2) / 3⌋ + 1 = 3 rows" in formula.text_content()
    assert "(8 + 2·2 − 2) / 3⌋ + 1 = 4 columns" in formula.text_content()
    expected = conv2d(image, [[1, 1], [1, -1]], stride=3, padding=2)
    np.testing.assert_allclose(_last_step_output(box), expected)

    # Bad values: a message naming the parameter, and the last picture stays.
    kernel, field = box.locator("textarea[aria-label=kernel]"), box.locator("textarea[aria-label=input]")
    _bad_value_keeps_the_picture(box, kernel, "1 2\n3", "kernel rows have different lengths", "1 1\n1 -1")
    _bad_value_keeps_the_picture(box, kernel, "1 x", "kernel row 1 ('1 x') is not a list of numbers", "1 1\n1 -1")
    _bad_value_keeps_the_picture(box, kernel, "\n".join(["1 " * 11] * 11), "larger than the padded image", "1 1\n1 -1")
    _bad_value_keeps_the_picture(box, box.locator("input[aria-label=stride]"), 0, "stride must be >= 1", 3)
    _bad_value_keeps_the_picture(box, box.locator("input[aria-label=stride]"), 1.5, "stride must be an int", 3)
    _bad_value_keeps_the_picture(box, box.locator("input[aria-label=padding]"), -1, "padding must be >= 0", 2)
    _bad_value_keeps_the_picture(box, field, "\n".join(["0 " * 17] * 17), "at most 16x16", "1 2\n3 4")
    assert not log.problems(), log.problems()


# Each matrix canvas of the explorer, and the table it holds laid out for comparison (then removed).
MATRICES = """box => Array.from(box.querySelectorAll('.cnn-mat canvas')).map(c => {
  const table = c.querySelector('table'), shown = box.appendChild(table.cloneNode(true)), whole = shown.getBoundingClientRect();
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, size = c.getBoundingClientRect();
  let painted = 0;
  for (let i = 3; i < d.length; i += 4) painted += d[i] > 0;
  const result = {caption: c.previousElementSibling.textContent, table_caption: table.caption.textContent,
    width: size.width, height: size.height, table_width: whole.width,
    table_height: whole.height - shown.caption.getBoundingClientRect().height,
    rows: table.rows.length, painted: painted / (d.length / 4), picture: c.toDataURL()};
  shown.remove();
  return result;
})"""


def test_the_matrices_are_drawn_as_their_tables(site, open_page):  # noqa: F811
    page, log = _open(open_page, CH1)
    box = page.locator(".cnn-livebox").nth(0)
    box.scroll_into_view_if_needed()
    _set(box.locator("input[aria-label=padding]"), 1)
    _slide(box, 7)
    page.evaluate(SETTLE)
    light = box.evaluate(MATRICES)
    assert [m["caption"] for m in light] == ["input (padding 1)", "kernel", "products", "output"]
    assert [m["rows"] for m in light] == [7, 3, 3, 5]  # the 5x5 input padded by 1; a 3x3 kernel
    for m in light:
        assert m["caption"] == m["table_caption"]
        # The canvas has the size of the table it draws (the same cells, borders and fonts), within a pixel or two.
        assert abs(m["width"] - m["table_width"]) <= 2 and abs(m["height"] - m["table_height"]) <= 2, m | {"picture": ""}
        assert m["painted"] > 0.05, f"{m['caption']}: the canvas is blank"
    # A change of theme draws the matrices again in the theme's colours; back again, the same pictures.
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
    page.evaluate(SETTLE)
    dark = box.evaluate(MATRICES)
    assert all(d["picture"] != m["picture"] for d, m in zip(dark, light, strict=True))
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    page.evaluate(SETTLE)
    assert [m["picture"] for m in box.evaluate(MATRICES)] == [m["picture"] for m in light]
    assert not log.problems(), log.problems()


def test_pooling_explorer(site, open_page):  # noqa: F811
    page, log = _open(open_page, CH2)
    box = page.locator(".cnn-livebox").nth(0)
    box.scroll_into_view_if_needed()
    formula = box.locator(".cnn-live-formula")
    np.testing.assert_allclose(_last_step_output(box), pool2d(POOLING_EXAMPLE, 2))
    assert "(6 − 2) / 2⌋ + 1 = 3 rows" in formula.text_content()
    second = page.locator(".cnn-livebox").nth(1)
    np.testing.assert_allclose(_last_step_output(second), np.round(pool2d(POOLING_EXAMPLE, 3, mode="avg"), 2))

    _slide(box, 3)
    assert box.get_attribute("data-step") == "3"
    page.evaluate(SETTLE)
    assert box.locator("td.cur").count() == 2  # the kept value and the output cell
    _slide(box, 0)
    box.locator("[data-action=play]").click()
    page.wait_for_function("b => Number(b.dataset.step) > 0", arg=box.element_handle())
    box.locator("[data-action=play]").click()

    box.locator("button[data-mode=avg]").click()
    assert box.locator("button[data-mode=avg]").get_attribute("aria-pressed") == "true"
    assert "mean pooling" in _picture(box)
    _set(box.locator("input[aria-label=window]"), 3)
    _set(box.locator("input[aria-label=stride]"), 1)
    assert "(6 − 3) / 1⌋ + 1 = 4 rows" in formula.text_content()
    np.testing.assert_allclose(_last_step_output(box), np.round(pool2d(POOLING_EXAMPLE, 3, stride=1, mode="avg"), 2))
    box.locator("button[data-mode=max]").click()
    np.testing.assert_allclose(_last_step_output(box), pool2d(POOLING_EXAMPLE, 3, stride=1))
    image = np.arange(-20.0, 29.0).reshape(7, 7)
    _set(box.locator("textarea[aria-label=input]"), "\n".join(" ".join(f"{v:g}" for v in row) for row in image))
    np.testing.assert_allclose(_last_step_output(box), pool2d(image, 3, stride=1))

    window, field = box.locator("input[aria-label=window]"), box.locator("textarea[aria-label=input]")
    _bad_value_keeps_the_picture(box, window, 8, "window 8x8 is larger than the input (7x7)", 3)
    _bad_value_keeps_the_picture(box, window, 0, "window must be >= 1", 3)
    _bad_value_keeps_the_picture(box, box.locator("input[aria-label=stride]"), 0, "stride must be >= 1", 1)
    _bad_value_keeps_the_picture(box, field, "1 2 3\n4 5", "input rows have different lengths", "1 2 3\n4 5 6\n7 8 9")
    _bad_value_keeps_the_picture(box, field, "1 2; a b", "input row 2 ('a b') is not a list of numbers", "1 2 3\n4 5 6\n7 8 9")
    assert not log.problems(), log.problems()


def test_activation_explorer(site, open_page):  # noqa: F811
    page, log = _open(open_page, CH3)
    box = page.locator(".cnn-livebox").nth(0)
    box.scroll_into_view_if_needed()
    select, slope = box.locator("select[aria-label=activation]"), box.locator("input[aria-label=slope]")
    fmap = default_feature_map()
    for name, label in [("sigmoid", "sigmoid"), ("tanh", "tanh"), ("gelu", "GELU"), ("relu", "ReLU"),
                        ("leaky_relu", "leaky ReLU (slope 0.01)")]:
        select.select_option(name)
        assert box.locator("svg.cnn-chart title").first.text_content() == f"Plot of {label} and its derivative for x from -4 to 4"
        assert slope.is_disabled() == (name != "leaky_relu")
        zeroed = float(np.mean(get_activation(name).function(fmap) == 0))
        assert f"{zeroed:.0%} of the values are exactly 0 after" in _picture(box), name
    _set(slope, "0.5")
    assert box.locator("figcaption").nth(2).text_content() == "after leaky ReLU (slope 0.5)"
    # The map after the activation is painted on its canvas (coloured, not white, pixels).
    painted = box.evaluate("""b => { const c = b.querySelector('canvas.cnn-after'), d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; let coloured = 0;
        for (let i = 0; i < d.length; i += 4) { if (d[i] !== d[i + 2]) coloured++; } return coloured; }""")
    assert painted > 1000, "the feature map after the activation is not drawn"
    _bad_value_keeps_the_picture(box, slope, "abc", "slope must be a number, got 'abc'", "0.2")
    _bad_value_keeps_the_picture(box, slope, "inf", "slope must be a finite number", "0.2")
    assert "slope 0.2" in _picture(box)
    assert not log.problems(), log.problems()


# Words the explorers write themselves (cnncourse.widgets.base.LIVE_LABELS) that must not be left in English.
ENGLISH = re.compile(r"\b(input|output|kernel|products|pooling|padding|stride|window|position|step|rows|columns|"
                     r"function|derivative|values|after|before)\b", re.I)


@pytest.mark.parametrize("path", list(EXPLORERS))
def test_the_chinese_explorers_speak_chinese(site, open_page, path):  # noqa: F811
    page, log = open_page(f"zh/{path}")
    page.wait_for_function(MOUNTED, arg=EXPLORERS[path])
    boxes = page.locator(".cnn-livebox")
    for k in range(boxes.count()):
        box = boxes.nth(k)
        if box.locator("input[type=range]").count():
            _slide(box, 1)
        page.evaluate(SETTLE)
        # What a reader sees (the matrices' captions included) and what a screen reader reads in the canvases.
        text = box.evaluate("b => b.innerText + ' ' + Array.from(b.querySelectorAll('canvas caption')).map(c => c.textContent).join(' ')")
        assert not ENGLISH.findall(text), f"{path}, explorer {k + 1}: English left: {sorted(set(ENGLISH.findall(text)))}"
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("path", list(EXPLORERS))
def test_without_javascript_the_recorded_players_show(site, browser_context, base_url, path):  # noqa: F811
    page = browser_context.new_page()
    try:
        cdp = browser_context.new_cdp_session(page)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(base_url + path, wait_until="load")
        assert page.locator(".cnn-livebox").count() == 0
        players = page.locator(".cnn-live .cnn-player")
        assert players.count() == EXPLORERS[path]
        for k in range(players.count()):
            assert players.nth(k).locator(".cnn-player-frame").count() >= 1  # a still picture, or a player
            assert players.nth(k).locator(".cnn-player-frame").first.is_visible()
    finally:
        page.close()

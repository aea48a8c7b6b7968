"""The draw explorer (``_static/cnn-draw.mjs``) as the website mounts it, driven in headless Chromium.

With the exported weights of a real, short training run (tests/draw_model.py): a ring drawn with
synthetic pointer events is called a ring; the maps and bars change between strokes; Clear resets;
a unit's receptive field and a class's Grad-CAM appear on the drawing; a finger draws without
scrolling the page; a validation example loads. No console errors, at 1280 and 390 px (no overflow
on the phone), in English and in Chinese. Needs Chromium (``site``), not the built book.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from draw_model import trained
from draw_page import serving, write_page
from test_site import DESKTOP, PHONE

from cnncourse import SHAPE_CLASSES, DrawExplorer, SmallCNN, grad_cam, receptive_box, stage_outputs
from cnncourse.i18n.translate import set_language

pytestmark = pytest.mark.site

STATE = """box => ({prediction: box.querySelector('.cnn-draw').dataset.prediction,
  say: box.querySelector('.cnn-draw-say').textContent,
  bars: Array.from(box.querySelectorAll('.cnn-draw-bar i')).map(i => i.style.width),
  maps: Array.from(box.querySelectorAll('.cnn-draw-stage canvas')).map(c => c.toDataURL()),
  ink: Array.from(box.querySelector('.cnn-draw-ink').getContext('2d').getImageData(0, 0, 32, 32).data)
    .filter((v, i) => i % 4 === 0)})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The page in both editions: {"en": url, "zh": url}."""
    model, split = trained()
    folder = tmp_path_factory.mktemp("draw-site")
    for lang in ("en", "zh"):
        set_language(lang)
        try:
            html = DrawExplorer(model, split.val_images, split.val_labels).page_html()
        finally:
            set_language("en")
        write_page(folder / lang, html, lang=lang)
    with serving(folder) as url:
        yield {lang: f"{url}{lang}/index.html" for lang in ("en", "zh")}


def _open(browser_context, url, viewport=DESKTOP):
    page = browser_context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_selector(".cnn-draw-mount[data-mounted] .cnn-draw")
    return page, errors


def _stroke(page, points) -> None:
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point)
    page.mouse.up()


def _ring(page, box, *, radius=9.0, thickness=2, start=0.0, stop=2 * math.pi):
    """Draw an arc of a ring around the drawing's centre, in pixels of the drawing."""
    page.locator(f"button[data-brush='{thickness}']").click()
    box.locator(".cnn-draw-ink").scroll_into_view_if_needed()
    pad = box.locator(".cnn-draw-ink").bounding_box()
    scale = pad["width"] / 32
    angles = np.linspace(start, stop, 60)
    _stroke(page, [(pad["x"] + (16 + radius * math.cos(a)) * scale, pad["y"] + (16 + radius * math.sin(a)) * scale)
                   for a in angles])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_drawn_ring_is_a_ring_and_clear_resets(browser_context, site, viewport):
    page, errors = _open(browser_context, site["en"], viewport)
    box = page.locator(".cnn-draw-mount")
    blank = box.evaluate(STATE)
    assert blank["say"] == "Nothing drawn yet." and not any(blank["ink"])
    _ring(page, box, start=0, stop=math.pi)                 # half a ring
    half = box.evaluate(STATE)
    _ring(page, box, start=math.pi, stop=2 * math.pi + 0.2)  # closed
    ring = box.evaluate(STATE)
    assert ring["prediction"] == "ring", ring["say"]
    assert ring["say"].startswith("The network says: ring (")
    for key in ("bars", "maps", "ink"):
        assert half[key] != blank[key] and ring[key] != half[key], key
    # The page's drawing is what the network saw: PyTorch agrees on the class.
    model, _ = trained()
    drawn = np.asarray(ring["ink"], float).reshape(32, 32) / 255
    assert int(stage_outputs(model, drawn[None])["fc"].argmax()) == 5
    box.locator("button[data-action=clear]").click()
    cleared = box.evaluate(STATE)
    assert cleared == blank
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
    assert not errors, errors


def test_a_unit_shows_its_receptive_field_and_a_bar_its_grad_cam(browser_context, site):
    page, errors = _open(browser_context, site["en"])
    box = page.locator(".cnn-draw-mount")
    _ring(page, box)
    canvas = box.locator("canvas[data-stage=pool3]")
    canvas.scroll_into_view_if_needed()
    where = canvas.bounding_box()
    # pool3: 4x4 maps drawn 48 px wide, 8 to a row with 3 px between: channel 9 is row 1, column 1.
    scale = where["width"] / canvas.evaluate("c => c.width")
    page.mouse.click(where["x"] + (51 + 2.5 * 12) * scale, where["y"] + (51 + 1.5 * 12) * scale)
    text = box.locator(".cnn-draw-field-text").text_content()
    top, left, bottom, right = receptive_box(SmallCNN(), "pool3", 1, 2)
    assert text == f"pool3, channel 9, unit (1, 2): it sees rows {top} to {bottom}, columns {left} to {right}"
    style = box.locator(".cnn-draw-field").evaluate("e => [e.hidden, e.style.top, e.style.left, e.style.width]")
    assert style == [False, f"{100 * top / 32:g}%", f"{100 * left / 32:g}%", f"{100 * (right - left + 1) / 32:g}%"]
    empty = box.locator(".cnn-draw-cam").evaluate("c => c.toDataURL()")
    model, _ = trained()
    drawn = np.asarray(box.evaluate(STATE)["ink"], float).reshape(32, 32) / 255
    for k, name in enumerate(SHAPE_CLASSES):
        box.locator(".cnn-draw-bar").nth(k).hover()
        shown = box.locator(".cnn-draw-cam").evaluate("c => c.toDataURL()") != empty
        assert shown == bool(grad_cam(model, torch.tensor(drawn[None], dtype=torch.float32), k, layer="relu3").max() > 0), name
        assert box.locator(".cnn-draw-cam-text").text_content() == (
            f"Grad-CAM of “{name}” at relu3 over the drawing" if shown else
            f"Grad-CAM of “{name}” at relu3 has no positive value for this drawing: nothing to show")
    page.mouse.move(0, 0)
    assert box.locator(".cnn-draw-cam").evaluate("c => c.toDataURL()") == empty
    assert box.locator(".cnn-draw-cam-text").text_content() == ""
    box.locator("select").select_option(index=1)             # the first validation example
    assert box.evaluate(STATE)["ink"] != [0] * 1024
    page.close()
    assert not errors, errors


def test_a_finger_draws_without_scrolling_the_page(browser_context, site):
    page, errors = _open(browser_context, site["en"], PHONE)
    box = page.locator(".cnn-draw-mount")
    box.locator(".cnn-draw-ink").scroll_into_view_if_needed()
    pad = box.locator(".cnn-draw-ink").bounding_box()
    before = page.evaluate("window.scrollY")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    x, y = pad["x"] + pad["width"] / 2, pad["y"] + pad["height"] * 0.2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 15):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + k * 12}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    assert page.evaluate("window.scrollY") == before
    assert sum(v > 0 for v in box.evaluate(STATE)["ink"]) >= 10
    page.close()
    assert not errors, errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_chinese_edition_speaks_chinese(browser_context, site, viewport):
    page, errors = _open(browser_context, site["zh"], viewport)
    box = page.locator(".cnn-draw-mount")
    assert box.locator("button[data-action=clear]").text_content() == "清空"
    assert box.locator(".cnn-draw-say").text_content() == "还没有画任何东西。"
    assert box.locator(".cnn-draw-bar span").nth(0).text_content() == "水平线"
    _ring(page, box)
    assert box.locator(".cnn-draw-say").text_content().startswith("网络的判断：圆环（")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
    assert not errors, errors

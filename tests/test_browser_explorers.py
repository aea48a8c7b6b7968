"""The explorers of chapters 1-3 on the website's host, with the reader's own picture and camera, in Chromium.

A page is made here from what cnncourse writes for the website (``BrowserExplorer.still_html``) and the
scripts of ``_static`` (the compute, the views, the host): no book build is needed. Checked: the host
mounts every view on its plain-object model; a typed kernel changes the model and the picture equals
cnncourse's; the reader's picture arrives by the file picker, a drop and a paste (a made-up PNG) and the
whole picture is filtered as ``cnncourse.conv2d`` filters it; a text file renamed ``.png`` and a 6000 x 4000
picture get a message; Chromium's fake camera (``--use-fake-device-for-media-stream``) is filtered frame by
frame as ``conv2d`` filters the same frame; a denied camera and a browser without one get a message; no
console error.
"""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from cnncourse import ActivationExplorer, ConvolutionExplorer, PoolingExplorer, conv2d, edge_map
from cnncourse.widgets.browser import STATIC

pytestmark = pytest.mark.site

SCRIPTS = ("cnn-live.js", "cnn-live-picture.js", "cnn-live-explorers.js", "cnn-live-activations.js", "cnn-live-host.js")
OUTPUT = """box => { const t = Array.from(box.querySelectorAll('.cnn-live-display canvas')).pop().cnnMatrix.grid;
  return t.map(r => r.map(c => c[0] === '' ? null : Number(c[0]))); }"""
PIXELS = """sel => { const c = document.querySelector(sel); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  return [c.height, c.width, Array.from(d.data.filter((_, i) => i % 4 === 0))]; }"""


def _png(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


def _picture(h: int = 40, w: int = 60) -> np.ndarray:
    """A made-up RGB picture: a bright square on a gradient, with noise."""
    rng = np.random.default_rng(3)
    rgb = np.zeros((h, w, 3), dtype=np.uint8) + np.linspace(0, 120, w, dtype=np.uint8)[None, :, None]
    rgb[10:30, 20:40] = 230
    return np.clip(rgb + rng.integers(0, 20, rgb.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorers")
    for name in (*SCRIPTS, "cnn-live.css"):
        shutil.copy(STATIC.parent.parent.parent / "_static" / name, folder)
    head = "".join(f"<script defer src='{name}'></script>" for name in SCRIPTS)
    explorers = [ConvolutionExplorer().still_html("convolution"), PoolingExplorer().still_html("pooling"),
                 ActivationExplorer(np.linspace(-1, 1, 48).reshape(6, 8)).still_html("activations")]
    (folder / "index.html").write_text("<!doctype html><html><head><meta charset='utf-8'><link rel='stylesheet' "
                                       f"href='cnn-live.css'>{head}</head><body>{''.join(explorers)}</body></html>")
    (folder / "picture.png").write_bytes(_png(_picture()))
    (folder / "huge.png").write_bytes(_png(np.zeros((4000, 6000, 3), dtype=np.uint8)))
    (folder / "notes.png").write_text("these are notes, not a picture\n")
    return folder


@pytest.fixture
def page(browser_context, folder):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((folder / "index.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.cnn-live[data-mounted]').length === 3")
    yield page
    page.close()
    assert not errors, errors


def _model(page, index: int, key: str):
    return page.evaluate("([i, k]) => cnnLiveHost.mounted[i].model.get(k)", [index, key])


def _gray(page, selector: str) -> np.ndarray:
    h, w, values = page.evaluate(PIXELS, selector)
    return np.array(values, dtype=float).reshape(h, w)


def test_the_host_mounts_every_view_and_a_typed_kernel_reaches_the_model(page):
    box = page.locator(".cnn-livebox").first
    assert box.evaluate(OUTPUT)[0][0] == ConvolutionExplorer().output[0, 0]
    box.locator("input[type=range]").evaluate("s => { s.value = 8; s.dispatchEvent(new Event('input')); }")
    assert box.evaluate(OUTPUT) == ConvolutionExplorer().output.tolist()
    assert _model(page, 0, "position") == 8
    kernel = box.locator("textarea[aria-label=kernel]")
    kernel.fill("0 1\n1 0")
    kernel.dispatch_event("change")
    assert _model(page, 0, "kernel") == [[0, 1], [1, 0]]
    explorer = ConvolutionExplorer(kernel=[[0, 1], [1, 0]])
    box.locator("input[type=range]").evaluate("s => { s.value = 99; s.dispatchEvent(new Event('input')); }")
    assert box.evaluate(OUTPUT) == explorer.output.tolist()
    kernel.fill("1 2\n3")
    kernel.dispatch_event("change")
    assert "rows have different lengths" in box.get_attribute("data-problem")
    assert _model(page, 0, "kernel") == [[0, 1], [1, 0]]  # a bad value never reaches the model
    page.locator(".cnn-livebox").nth(1).locator("button[data-mode=avg]").click()
    assert _model(page, 1, "mode") == "avg"


def _check_picture(page, expected: np.ndarray) -> None:
    page.wait_for_function("() => !document.querySelector('.cnn-own').hidden")
    image = _model(page, 0, "image")
    assert image["shape"] == list(expected.shape)
    kernel = np.array(_model(page, 0, "kernel"))
    filtered = conv2d(expected, kernel)
    flat = kernel.ravel()
    hi, lo = flat.clip(0).sum(), flat.clip(None, 0).sum()
    want = np.clip(filtered * 255 / hi, 0, 255) if lo >= 0 else np.clip(127.5 + filtered * 127.5 / max(hi, -lo), 0, 255)
    shown = _gray(page, ".cnn-own canvas.cnn-filtered")
    assert np.abs(shown - want).max() <= 1  # the canvas keeps whole levels
    crop = np.array(_model(page, 0, "input"))
    top, left = (expected.shape[0] - 8) // 2, (expected.shape[1] - 8) // 2
    assert np.allclose(crop, np.round(expected[top:top + 8, left:left + 8] * 100) / 100)


def _expected_gray() -> np.ndarray:
    rgb = _picture().astype(float)
    return np.round(rgb @ np.array([0.299, 0.587, 0.114])) / 255


def test_own_picture_by_the_file_picker_and_a_click_moves_the_crop(page, folder):
    page.locator(".cnn-livebox").first.locator("input[type=file]").set_input_files(str(folder / "picture.png"))
    _check_picture(page, _expected_gray())
    page.locator(".cnn-own canvas.cnn-picture").click(position={"x": 1, "y": 1})  # the top-left corner
    crop = np.array(_model(page, 0, "input"))
    assert np.allclose(crop, np.round(_expected_gray()[:8, :8] * 100) / 100)
    assert _model(page, 0, "position") <= crop.size  # the steps follow the new numbers


@pytest.mark.parametrize("how", ["drop", "paste"])
def test_own_picture_by_a_drop_or_a_paste(page, folder, how):
    data = list((folder / "picture.png").read_bytes())
    page.evaluate("""([bytes, how]) => {
      const file = new File([new Uint8Array(bytes)], 'made-up.png', {type: 'image/png'}), dt = new DataTransfer();
      dt.items.add(file);
      const box = document.querySelector('.cnn-livebox');
      if (how === 'drop') box.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
      else box.querySelector('.cnn-drop').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""", [data, how])
    _check_picture(page, _expected_gray())


def test_a_text_file_named_png_and_a_huge_picture_get_a_message(page, folder):
    box = page.locator(".cnn-livebox").first
    box.locator("input[type=file]").set_input_files(str(folder / "notes.png"))
    page.wait_for_function("() => document.querySelector('.cnn-picture-note').textContent.includes('not a picture')")
    assert _model(page, 0, "image") is None and box.locator(".cnn-own").is_hidden()
    box.locator("input[type=file]").set_input_files(str(folder / "huge.png"))
    page.wait_for_function("() => document.querySelector('.cnn-picture-note').textContent.includes('scaled down')")
    assert "6000×4000" in box.locator(".cnn-picture-note").text_content()
    assert _model(page, 0, "image")["shape"] == [320, 480]


def test_the_activation_map_of_the_readers_picture(page, folder):
    box = page.locator(".cnn-livebox").nth(2)
    box.locator("input[type=file]").set_input_files(str(folder / "picture.png"))
    page.wait_for_function("() => cnnLiveHost.mounted[2].model.get('image') !== null")
    fmap = edge_map(_expected_gray())
    page.wait_for_function("shape => document.querySelector('canvas.cnn-before').height === shape[0]", arg=fmap.shape)
    assert box.locator("canvas.cnn-before").evaluate("c => [c.height, c.width]") == list(fmap.shape)


def test_the_camera_is_filtered_frame_by_frame_as_conv2d_filters_it(page, browser_context):
    browser_context.grant_permissions(["camera"])
    try:
        box = page.locator(".cnn-livebox").first
        box.locator("button[data-action=camera]").click()
        page.wait_for_function("() => document.querySelector('.cnn-livebox').cnnCamera.frames >= 3", timeout=15_000)
        last = box.evaluate("b => { const l = b.cnnCamera.last; return [l.shape, Array.from(l.gray), Array.from(l.values)]; }")
        (h, w), gray, values = last
        frame = np.array(gray, dtype=float).reshape(h, w) / 255
        expected = conv2d(frame, np.array(_model(page, 0, "kernel")))
        assert np.allclose(np.array(values).reshape(expected.shape), expected, rtol=1e-12, atol=1e-12)
        box.locator("button[data-action=camera]").click()  # stop
    finally:
        browser_context.clear_permissions()


def test_a_denied_camera_and_no_camera_get_a_message(page):
    box = page.locator(".cnn-livebox").first  # the camera's permission is not granted: headless Chromium denies it
    box.locator("button[data-action=camera]").click()
    page.wait_for_function("() => document.querySelector('.cnn-picture-note').textContent.includes('not allowed')")
    page.evaluate("() => Object.defineProperty(navigator, 'mediaDevices', {value: undefined})")
    box.locator("button[data-action=camera]").click()
    page.wait_for_function("() => document.querySelector('.cnn-picture-note').textContent.includes('No camera')")

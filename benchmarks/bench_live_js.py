"""Latency of the in-browser explorers of chapters 1-3 on the website's host, their camera's frame rate and
the size of their scripts, in headless Chromium.

Run from the repository root (needs Chromium and Playwright, not the built book)::

    python benchmarks/bench_live_js.py

Builds one page with ``ConvolutionExplorer`` (a 12 x 12 input,
a 3 x 3 kernel), ``PoolingExplorer`` (a 12 x 12 input) and
``ActivationExplorer`` (chapter 3's feature map), as cnncourse writes them for the website,
loads the scripts (``cnn-live-host.js`` mounts the views) and ``cnn-live.css``, and times 200 interactions of each
kind per explorer: ``performance.now()`` around the event (the update and its
DOM changes, layout forced), then a ``requestAnimationFrame`` before the next
one. (The table each matrix canvas holds for screen readers is written when
the browser is idle, after the picture: not part of the update.) Prints the
median and the 95th percentile (target: at most 16 ms, one frame) and the size
of the scripts (target: each under 30 KB; gzip beside it). Then the camera: Chromium's fake camera
(``--use-fake-device-for-media-stream=fps=30``: a webcam's 30 frames per second) at 320 x 240, filtered by a
3 x 3 kernel frame by frame for 5 seconds: the frames filtered per second (target: at least 24; at most the
camera's) and the milliseconds each took (grey, filter, paint: what bounds the rate on a faster camera).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import timed  # noqa: E402

from cnncourse import ActivationExplorer, ConvolutionExplorer, PoolingExplorer  # noqa: E402

SCRIPTS = tuple(ROOT / "_static" / name for name in ("cnn-live.js", "cnn-live-picture.js", "cnn-live-explorers.js",
                                                     "cnn-live-activations.js", "cnn-live-host.js", "cnn-live-zh.js"))
STYLE = ROOT / "_static" / "cnn-live.css"
CHROMIUM = os.environ.get("CNNCOURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
N = 200
CAMERA_FPS = 30  # what the fake camera delivers (Chromium's default, 20, is below the target of 24)

# Each interaction: [explorer index, what it does]; one function per kind, given the box and the count k.
MEASURE = """async ([index, kind, n]) => {
  const box = document.querySelectorAll('.cnn-livebox')[index];
  const q = s => box.querySelector(s);
  const fire = (e, value, type = 'input') => { e.value = value; e.dispatchEvent(new Event(type, {bubbles: true})); };
  const presets = Array.from(q('select') ? q('select').options : []).map(o => o.value);
  const kinds = {
    position: k => fire(q('input[type=range]'), k % (Number(q('input[type=range]').max) + 1)),
    preset: k => fire(q('select[aria-label=preset]'), presets[1 + k % (presets.length - 1)], 'change'),
    padding: k => fire(q('input[aria-label=padding]'), k % 3),
    stride: k => fire(q('input[aria-label=stride]'), 1 + k % 3),
    kernel: k => fire(q('textarea[aria-label=kernel]'), `1 0 ${k % 5}\\n0 1 0\\n-1 0 1`),
    mode: k => q(`button[data-mode=${k % 2 ? 'avg' : 'max'}]`).click(),
    window: k => fire(q('input[aria-label=window]'), 2 + k % 3),
    activation: k => fire(q('select[aria-label=activation]'), ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu'][k % 5], 'change'),
    slope: k => fire(q('input[aria-label=slope]'), String(0.01 + (k % 10) / 10), 'change'),
  };
  if (kind === 'slope') { fire(q('select[aria-label=activation]'), 'leaky_relu', 'change'); }
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const times = [];
  for (let k = 0; k < n + 5; k++) {
    await frame();
    const t0 = performance.now();
    kinds[kind](k);
    void box.offsetHeight;  // style and layout of the new DOM
    const t1 = performance.now();
    if (k >= 5) times.push(t1 - t0);  // the first few warm up the JIT
    if (box.dataset.problem) { throw new Error(box.dataset.problem); }
  }
  return times;
}"""

CASES = [
    (0, "convolution 12x12, 3x3 kernel", ["position", "preset", "kernel", "padding", "stride"]),
    (1, "pooling 12x12", ["position", "mode", "window", "stride"]),
    (2, "activations (chapter 3's map)", ["activation", "slope"]),
]


def page_html() -> str:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 10, (12, 12)).astype(float)
    explorers = [ConvolutionExplorer(image, "sobel x").still_html("convolution"),
                 PoolingExplorer(image, window=2).still_html("pooling"), ActivationExplorer().still_html("activations")]
    scripts = "".join(f"<script defer src='{path.name}'></script>" for path in SCRIPTS[:-1])
    return ("<!doctype html><html><head><meta charset='utf-8'><link rel='stylesheet' href='cnn-live.css'>"
            + scripts + "</head><body>" + "".join(explorers) + "</body></html>")


CAMERA = """async seconds => {
  const box = document.querySelector('.cnn-livebox');
  box.querySelector('button[data-action=camera]').click();
  await new Promise(r => setTimeout(r, 1000 * seconds));
  const {fps, ms, frames, last} = box.cnnCamera;
  return {fps, ms, frames, shape: last && last.shape};
}"""


def camera(playwright, folder: str) -> dict:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
        "--no-sandbox", f"--use-fake-device-for-media-stream=fps={CAMERA_FPS}", "--use-fake-ui-for-media-stream"])
    page = browser.new_page()
    page.goto(Path(folder, "index.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.cnn-livebox').length === 3")
    page.evaluate("() => { const t = document.querySelector('textarea[aria-label=kernel]');"
                  " t.value = '-1 0 1\\n-2 0 2\\n-1 0 1'; t.dispatchEvent(new Event('change')); }")
    result = page.evaluate(CAMERA, 5)
    browser.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        (Path(folder) / "index.html").write_text(page_html(), encoding="utf-8")
        for path in (*SCRIPTS, STYLE):
            shutil.copy(path, folder)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        load_s, _ = timed(lambda: (page.goto(Path(folder, "index.html").as_uri()),
                                    page.wait_for_function("document.querySelectorAll('.cnn-livebox').length === 3")))
        print(f"== In-browser explorers: update latency over {N} interactions (target: p95 <= 16 ms)")
        print(f"{'explorer':32s} {'interaction':12s} {'median ms':>10s} {'p95 ms':>8s} {'max ms':>8s}")
        for index, name, kinds in CASES:
            for kind in kinds:
                times = np.array(page.evaluate(MEASURE, [index, kind, N]))
                print(f"{name:32s} {kind:12s} {np.median(times):10.2f} {np.percentile(times, 95):8.2f} "
                      f"{times.max():8.2f}")
        browser.close()
        if errors:
            raise SystemExit(f"errors on the page: {errors}")
        cam = camera(playwright, folder)
    print(f"\n== Opening the page until the three explorers are live: {load_s * 1000:.0f} ms")
    print(f"== Camera (fake, {cam['shape'][1]}x{cam['shape'][0]}, 3x3 kernel): {cam['fps']:.1f} frames filtered per second "
          f"(target: at least 24), {cam['ms']:.2f} ms per frame (grey, filter, paint), {cam['frames']} frames in 5 s")
    print("== The scripts (each under 30 KB; gzip beside it):")
    total = zipped = 0
    for path in SCRIPTS:
        size, packed = path.stat().st_size, len(gzip.compress(path.read_bytes(), 9))
        total, zipped = total + size, zipped + packed
        print(f"   {path.name:26s} {size:7d} bytes {packed:7d} gzip")
    print(f"   {'all (the Chinese edition)':26s} {total:7d} bytes {zipped:7d} gzip")


if __name__ == "__main__":
    main()

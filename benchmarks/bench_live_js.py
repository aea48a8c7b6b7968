"""Latency of the website's in-browser explorers (``_static/cnn-live.js`` and ``cnn-live-explorers.js``),
in headless Chromium.

Run from the repository root (needs Chromium and Playwright, not the built book)::

    python benchmarks/bench_live_js.py

Builds one page with the players of ``ConvolutionExplorer`` (a 12 x 12 input,
a 3 x 3 kernel), ``PoolingExplorer`` (a 12 x 12 input) and
``ActivationExplorer`` (chapter 3's feature map), as cnncourse writes them,
loads the two scripts and ``cnn-live.css``, and times 200 interactions of each
kind per explorer: ``performance.now()`` around the event (the update and its
DOM changes, layout forced), then a ``requestAnimationFrame`` before the next
one. (The table each matrix canvas holds for screen readers is written when
the browser is idle, after the picture: not part of the update.) Prints the
median and the 95th percentile (target: at most 16 ms, one frame) and the size
of the scripts (target: the module, ``cnn-live.js``, under 30 KB).
"""

from __future__ import annotations

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

SCRIPT, EXPLORERS, STYLE = (ROOT / "_static" / name for name in ("cnn-live.js", "cnn-live-explorers.js", "cnn-live.css"))
CHROMIUM = os.environ.get("CNNCOURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
N = 200

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
    players = [
        ConvolutionExplorer(image, "sobel x").to_player("convolution"),
        PoolingExplorer(image, window=2).to_player("pooling"),
        ActivationExplorer().to_player("activations", settings=[("relu", None), ("gelu", None)]),
    ]
    return ("<!doctype html><html><head><meta charset='utf-8'><link rel='stylesheet' href='cnn-live.css'>"
            "<script defer src='cnn-live.js'></script><script defer src='cnn-live-explorers.js'></script></head><body>"
            + "".join(p._repr_html_() for p in players) + "</body></html>")


def main() -> None:
    from playwright.sync_api import sync_playwright

    size, explorers = SCRIPT.stat().st_size, EXPLORERS.stat().st_size
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        (Path(folder) / "index.html").write_text(page_html(), encoding="utf-8")
        shutil.copy(SCRIPT, folder)
        shutil.copy(EXPLORERS, folder)
        shutil.copy(STYLE, folder)
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
    print(f"\n== Opening the page until the three explorers are live: {load_s * 1000:.0f} ms")
    print(f"== cnn-live.js, the module: {size} bytes ({size / 1024:.1f} KiB; target: under 30 KB unminified)")
    print(f"== cnn-live-explorers.js, the explorers: {explorers} bytes ({explorers / 1024:.1f} KiB); "
          f"both: {size + explorers} bytes")


if __name__ == "__main__":
    main()

"""Draw for the CNN (``_static/cnn-net.js`` and ``cnn-draw.mjs``) in headless Chromium: latency, sizes, equality.

Run from the repository root (needs Chromium and Playwright, not the built book)::

    python benchmarks/bench_draw_js.py

Trains chapter 4's small CNN briefly (tests/draw_model.py, about 6 s), writes the page as the
website mounts the explorer (tests/draw_page.py), and times 300 strokes: ``performance.now()``
around one synthetic ``pointermove`` on the drawing while the pointer is down (the painted
pixels, the forward pass, every stage's maps, the bars and the prediction redrawn, layout
forced), a ``requestAnimationFrame`` before the next. Prints the median and the 95th
percentile (target: at most 16 ms, one frame), the exported weights' size (target: at most
100 KB), the explorer's share of the page, and the largest differences from PyTorch and
cnncourse on 50 validation images and 50 random drawings (forward per stage, logits, Grad-CAM).
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import timed  # noqa: E402
from draw_model import trained  # noqa: E402
from draw_page import serving, write_page  # noqa: E402
from test_draw_equality import FORWARD, drawings  # noqa: E402
from test_site import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from cnncourse import SHAPE_CLASSES, DrawExplorer, export_network, grad_cam, stage_outputs  # noqa: E402

N = 300
MEASURE = """async n => {
  const ink = document.querySelector('.cnn-draw-ink'), box = document.querySelector('.cnn-draw');
  const rect = ink.getBoundingClientRect();
  const at = k => ({clientX: rect.left + rect.width * (0.5 + 0.3 * Math.cos(k / 9)),
                    clientY: rect.top + rect.height * (0.5 + 0.3 * Math.sin(k / 9)), pointerId: 1, bubbles: true});
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  ink.dispatchEvent(new PointerEvent('pointerdown', at(0)));
  const times = [];
  for (let k = 1; k <= n + 10; k++) {
    await frame();
    const t0 = performance.now();
    ink.dispatchEvent(new PointerEvent('pointermove', at(k)));
    void box.offsetHeight;
    const t1 = performance.now();
    if (k > 10) times.push(t1 - t0);  // the first few warm up the JIT
  }
  ink.dispatchEvent(new PointerEvent('pointerup', at(n)));
  return times;
}"""


def equality(page, model, net) -> tuple[dict, float]:
    images = np.concatenate([trained()[1].val_images[:50, 0].numpy(), drawings(50)])
    worst, cam = {}, 0.0
    for start in range(0, len(images), 20):
        batch = images[start:start + 20]
        expected = [stage_outputs(model, torch.from_numpy(x)[None]) for x in batch]
        targets = [[int(o["fc"][0].argmax()), (int(o["fc"][0].argmax()) + 3) % 6] for o in expected]
        got = page.evaluate(FORWARD, [net, [x.ravel().tolist() for x in batch], targets])
        for x, outputs, result, chosen in zip(batch, expected, got, targets):
            for name, text in result["stages"].items():
                reference = outputs[name][0].numpy().astype(np.float64)
                mine = np.frombuffer(base64.b64decode(text), "<f8").reshape(reference.shape)
                difference = float(np.abs(mine - reference).max())
                worst[name] = max(worst.get(name, 0.0), difference / max(float(np.abs(reference).max()), 1e-30))
                if name == "fc":
                    worst["fc (absolute)"] = max(worst.get("fc (absolute)", 0.0), difference)
            for target, text in zip(chosen, result["cams"]):
                reference = grad_cam(model, torch.from_numpy(x)[None], target, layer="relu3")
                cam = max(cam, float(np.abs(np.frombuffer(base64.b64decode(text), "<f8").reshape(32, 32)
                                            - reference).max()))
    return worst, cam


def main() -> None:
    from playwright.sync_api import sync_playwright

    model, split = trained()
    net = export_network(model, SHAPE_CLASSES)
    weights = len(json.dumps(net, separators=(",", ":")))
    html = DrawExplorer(model, split.val_images, split.val_labels).page_html()
    scripts = {name: (ROOT / "_static" / name).stat().st_size for name in ("cnn-net.js", "cnn-draw.mjs", "cnn-live-host.js")}
    with tempfile.TemporaryDirectory() as folder, serving(Path(folder)) as url, sync_playwright() as playwright:
        write_page(Path(folder), html)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        load_s, _ = timed(lambda: (page.goto(url + "index.html"),
                                    page.wait_for_selector(".cnn-draw-mount[data-mounted] .cnn-draw")))
        times = np.array(page.evaluate(MEASURE, N))
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(url + "index.html")
        phone.wait_for_selector(".cnn-draw-mount[data-mounted] .cnn-draw")
        phone_times = np.array(phone.evaluate(MEASURE, N))
        worst, cam = equality(page, model, net)
        browser.close()
        if errors:
            raise SystemExit(f"errors on the page: {errors}")
    print(f"== Stroke to redrawn explorer, {N} strokes (target: p95 <= 16 ms)")
    for name, t in (("1280 px", times), ("390 px", phone_times)):
        print(f"{name:8s} median {np.median(t):6.2f} ms   p95 {np.percentile(t, 95):6.2f} ms   max {t.max():6.2f} ms")
    print(f"== Opening the page until the explorer is live: {load_s * 1000:.0f} ms")
    print(f"\n== Exported weights (JSON, float32 base64): {weights} bytes ({weights / 1024:.1f} KiB; target <= 100 KB)")
    print(f"== The explorer's mount in the page (weights, 18 examples, texts): {len(html.encode())} bytes")
    print("== Scripts: " + ", ".join(f"{k} {v} bytes" for k, v in scripts.items()))
    print("\n== Largest difference from PyTorch, 50 validation images + 50 random drawings "
          "(relative to the stage's largest value; target 1e-5; logits absolute, target 1e-4)")
    for name, value in worst.items():
        print(f"{name:14s} {value:.2e}")
    print(f"Grad-CAM (relu3) vs cnncourse.grad_cam, absolute: {cam:.2e} (target 1e-5)")


if __name__ == "__main__":
    main()

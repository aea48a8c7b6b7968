"""The in-browser network (``_static/cnn-net.js``) computes what PyTorch and cnncourse compute.

On the exported weights of a real, short training run (tests/draw_model.py), for
50 validation images and 50 random drawings, in headless Chromium:

* every stage's maps, conv1 to fc, within 1e-5 of the stage's largest value
  (float64 in the page, float32 in PyTorch), and the logits within 1e-4;
* Grad-CAM at relu3 equals ``cnncourse.grad_cam`` within 1e-5, for the
  predicted class and one other;
* every unit's receptive-field box, at every stage with maps, equals
  ``cnncourse.receptive_box``;
* the weights the page decodes are the exported float32 numbers exactly.

Needs Chromium (marked ``site``), not the built book.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from draw_model import trained

from cnncourse import SHAPE_CLASSES, export_network, grad_cam, layer_field, receptive_box, stage_outputs
from conftest import blank_page_with

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "_static" / "cnn-net.js"
STAGE_RTOL, LOGIT_ATOL, CAM_ATOL = 1e-5, 1e-4, 1e-5
MAPS = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3")


def drawings(n: int, seed: int = 0) -> np.ndarray:
    """``n`` random drawings: 1 to 4 strokes (lines and arcs) of 1 to 3 pixels, ink 0.5 to 1, on black."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32] + 0.5
    out = np.zeros((n, 32, 32), np.float32)
    for image in out:
        for _ in range(rng.integers(1, 5)):
            width, ink = rng.uniform(1, 3), rng.uniform(0.5, 1)
            if rng.random() < 0.5:
                (y0, x0), (y1, x1) = rng.uniform(0, 32, (2, 2))
                t = np.clip(((yy - y0) * (y1 - y0) + (xx - x0) * (x1 - x0)) / max((y1 - y0) ** 2 + (x1 - x0) ** 2, 1e-9), 0, 1)
                near = np.hypot(yy - y0 - t * (y1 - y0), xx - x0 - t * (x1 - x0)) <= width / 2
            else:
                cy, cx, radius = *rng.uniform(4, 28, 2), rng.uniform(3, 12)
                near = np.abs(np.hypot(yy - cy, xx - cx) - radius) <= width / 2
            image[near] = np.maximum(image[near], ink)
    return out


@pytest.fixture(scope="module")
def case():
    model, split = trained()
    images = np.concatenate([split.val_images[:50, 0].numpy(), drawings(50)])
    return model, images, export_network(model, SHAPE_CLASSES)


@pytest.fixture(scope="module")
def page(browser_context):
    yield from blank_page_with(browser_context, SCRIPT, "cnnNet")


def _decode(text: str, shape) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f8").reshape(shape)


FORWARD = """([net, images, targets]) => {
  const N = globalThis.cnnNet, network = N.loadNetwork(net);
  const b64 = a => { const u = new Uint8Array(Float64Array.from(a).buffer); let s = '';
    for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192)); return btoa(s); };
  return images.map((image, k) => {
    const outputs = N.forward(network, image);
    const stages = Object.fromEntries(outputs.slice(1).map(o => [o.name, b64(o.data)]));
    const cams = targets[k].map(t => b64(N.gradCam(network, outputs, t, 'relu3')));
    return {stages, cams};
  });
}"""


def test_the_page_decodes_the_exported_weights_exactly(page, case):
    model, _, net = case
    weights = page.evaluate("net => Array.from(globalThis.cnnNet.loadNetwork(net).stages[3].weight)", net)
    np.testing.assert_array_equal(np.asarray(weights, np.float32), model.conv2.weight.detach().numpy().ravel())
    assert len(json.dumps(net)) <= 100_000


def test_forward_pass_and_grad_cam_equal_pytorch(page, case):
    model, images, net = case
    worst = {name: 0.0 for name in (*MAPS, "flatten", "fc")}
    worst_cam = 0.0
    for start in range(0, len(images), 20):
        batch = images[start:start + 20]
        expected = [stage_outputs(model, torch.from_numpy(image)[None]) for image in batch]
        targets = []
        for outputs in expected:
            top = int(outputs["fc"][0].argmax())
            targets.append([top, (top + 3) % len(SHAPE_CLASSES)])
        got = page.evaluate(FORWARD, [net, [image.ravel().tolist() for image in batch], targets])
        for image, outputs, result, chosen in zip(batch, expected, got, targets):
            for name in worst:
                reference = outputs[name][0].numpy().astype(np.float64)
                mine = _decode(result["stages"][name], reference.shape)
                scale = max(float(np.abs(reference).max()), 1e-30)
                if name == "fc":
                    assert np.abs(mine - reference).max() <= LOGIT_ATOL
                worst[name] = max(worst[name], float(np.abs(mine - reference).max()) / scale)
            for target, cam in zip(chosen, result["cams"]):
                reference = grad_cam(model, torch.from_numpy(image)[None], target, layer="relu3")
                worst_cam = max(worst_cam, float(np.abs(_decode(cam, (32, 32)) - reference).max()))
    assert max(worst.values()) <= STAGE_RTOL, worst
    assert worst_cam <= CAM_ATOL, worst_cam


def test_every_receptive_field_box_equals_cnncourse(page, case):
    model, _, net = case
    expected, units = [], []
    for layer in MAPS:
        positions = layer_field(model, layer).positions
        for row in range(positions):
            for col in range(positions):
                units.append([layer, row, col])
                expected.append(list(receptive_box(model, layer, row, col)))
    got = page.evaluate("""([net, units]) => { const N = globalThis.cnnNet, network = N.loadNetwork(net);
      return units.map(([layer, row, col]) => N.receptiveBox(network, layer, row, col)); }""", [net, units])
    assert got == expected
    fields = page.evaluate("""([net, layers]) => layers.map(l => globalThis.cnnNet.layerField(
      globalThis.cnnNet.loadNetwork(net), l))""", [net, list(MAPS)])
    assert [tuple(f.values()) for f in fields] == [tuple(layer_field(model, layer)) for layer in MAPS]


def test_bad_input_gives_a_clear_message(page, case):
    _, _, net = case
    messages = page.evaluate("""net => { const N = globalThis.cnnNet, network = N.loadNetwork(net);
      const message = f => { try { f(); return null; } catch (e) { return e.message; } };
      return [message(() => N.loadNetwork({format: 'x'})), message(() => N.forward(network, [1, 2])),
              message(() => N.gradCam(network, N.forward(network, new Array(1024).fill(0)), 6)),
              message(() => N.gradCam(network, N.forward(network, new Array(1024).fill(0)), 0, 'fc')),
              message(() => N.receptiveBox(network, 'pool3', 4, 0)), message(() => N.layerField(network, 'fc'))]; }""", net)
    assert messages == [
        "network must be of format 'cnncourse-net/1' (cnncourse.export_network)",
        "image must have 1024 values (1x32x32), got 2",
        "target must be a class from 0 to 5, got 6",
        "layer must be a stage with feature maps; valid layers are conv1, relu1, pool1, conv2, relu2, pool2, "
        "conv3, relu3, pool3, got 'fc'",
        "row must be from 0 to 3, got 4",
        "layer must be a stage with feature maps; valid layers are conv1, relu1, pool1, conv2, relu2, pool2, "
        "conv3, relu3, pool3, got 'fc'",
    ]

"""cnncourse.DrawExplorer from Python: the state it syncs, ``.image`` both ways, bad input, the site's mount.

The front end itself (``_static/cnn-draw.mjs``) is driven in Chromium by tests/test_draw_explorer.py.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch

from cnncourse import SHAPE_CLASSES, DrawExplorer, SmallCNN, decode_examples, load_network, make_shapes
from cnncourse.i18n.translate import set_language
from cnncourse.widgets.base import RECORD_PLAYERS, WIDGET_VIEW
from cnncourse.widgets.draw import DRAW_LABELS


@pytest.fixture(scope="module")
def data():
    torch.manual_seed(0)
    images, labels = make_shapes(40, seed=1)
    return SmallCNN(), images, labels


def test_it_carries_the_models_weights_and_a_few_examples_per_class(data):
    model, images, labels = data
    explorer = DrawExplorer(model, images, labels, per_class=2)
    assert torch.equal(load_network(explorer.network).fc.weight, model.fc.weight)
    decoded, classes = decode_examples(explorer.examples)
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5] and decoded.shape == (12, 32, 32)
    assert "export default {render}" in explorer._esm and "globalThis.cnnNet = " in explorer._esm
    assert explorer.texts == {}  # English: every text as the module writes it
    assert DrawExplorer(model).examples == {}


def test_image_is_the_drawing_both_ways(data):
    model, images, _ = data
    explorer = DrawExplorer(model, image=images[3])
    np.testing.assert_array_equal(explorer.image, images[3, 0].numpy())
    explorer.pixels = [0.0] * 1023 + [1.0]           # what the front end sends after a stroke
    assert explorer.image.shape == (32, 32) and explorer.image[31, 31] == 1 and explorer.image.sum() == 1
    explorer.image = np.zeros((1, 32, 32))
    assert explorer.pixels == [0.0] * 1024


@pytest.mark.parametrize(("value", "error", "message"), [
    (np.zeros((28, 28)), ValueError, r"image must have shape \(32, 32\) \(or \(1, 32, 32\)\), got \(28, 28\)"),
    (np.zeros((2, 32, 32)), ValueError, r"image must have shape \(32, 32\)"),
    (np.full((32, 32), 255.0), ValueError, r"image must have values in \[0, 1\]"),
    (np.full((32, 32), np.nan), ValueError, r"image must have values in \[0, 1\]"),
    ("ring", TypeError, "image must be an array of numbers, got str"),
])
def test_a_bad_image_is_refused_and_the_drawing_stays(data, value, error, message):
    model, images, _ = data
    explorer = DrawExplorer(model, image=images[0])
    with pytest.raises(error, match=message):
        explorer.image = value
    np.testing.assert_array_equal(explorer.image, images[0, 0].numpy())


def test_chinese_labels_cover_every_text_and_class(data, monkeypatch):
    model, _, _ = data
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")        # a text the catalog lacks raises
    set_language("zh")
    try:
        explorer = DrawExplorer(model)
    finally:
        set_language("en")
    assert set(explorer.texts) == set(DRAW_LABELS) | set(SHAPE_CLASSES)
    assert explorer.texts["ring"] == "圆环" and explorer.texts["Clear"] == "清空"
    for english, chinese in explorer.texts.items():
        assert re.findall(r"\{\w+\}", english) == re.findall(r"\{\w+\}", chinese), english


def test_the_site_gets_the_mount_with_its_config(data, monkeypatch):
    model, images, labels = data
    explorer = DrawExplorer(model, images, labels)
    bundle, _ = explorer._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "text/html" not in bundle
    monkeypatch.setenv(RECORD_PLAYERS, "1")
    bundle, _ = explorer._repr_mimebundle_()
    html = bundle["text/html"]
    assert html.startswith('<div class="cnn-draw-mount" data-cnn-draw="1"><script type="application/json" '
                           'class="cnn-draw-config">')
    config = json.loads(re.search(r'class="cnn-draw-config">(.*?)</script>', html).group(1))
    assert config["network"] == explorer.network and config["examples"] == explorer.examples
    assert set(config) == {"network", "examples", "pixels", "texts", "brush", "note"}
    assert "cnn-draw-fallback" in html and len(html) < 150_000


def test_the_exercise_needs_the_network_and_says_what_it_saw(data):
    from cnncourse.exercises import check_misread_drawing

    model, images, labels = data
    verdict = check_misread_drawing((images[0, 0], SHAPE_CLASSES[int(labels[0])]))
    assert verdict.correct is False and "check_misread_drawing(answer, model)" in verdict.message
    said = SHAPE_CLASSES[int(model(images[:1]).argmax())]
    other = next(name for name in SHAPE_CLASSES if name != said)
    assert check_misread_drawing((images[0], other), model).message.startswith(f"You meant {other}; the network "
                                                                               f"says {said} (")
    assert check_misread_drawing((images[0], said), model).correct is False


def test_the_front_end_files_are_installed_with_the_package():
    """On Colab cnncourse is installed from git, without the course's _static folder: the widgets read their
    front end from cnncourse/widgets/static, links to _static that the wheel packs as files (pyproject)."""
    import fnmatch
    import tomllib
    from pathlib import Path

    from cnncourse.widgets import browser, draw

    root = Path(__file__).resolve().parents[1]
    static = root / "cnncourse" / "widgets" / "static"
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "cnncourse.widgets"]
    for path in sorted(static.iterdir()):
        assert path.is_symlink() and path.resolve() == (root / "_static" / path.name).resolve(), path.name
        assert any(fnmatch.fnmatch(f"static/{path.name}", p) for p in patterns), f"{path.name} is not packed"
    assert draw.STATIC == browser.STATIC == static
    assert {draw.NET_SCRIPT.name, draw.DRAW_MODULE.name} <= {p.name for p in static.iterdir()}

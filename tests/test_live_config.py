"""What the explorers write into the page for the website's in-browser explorers.

The presets, default matrices and limits of the explorers (``_static/cnn-live-explorers.js``, computing
with ``_static/cnn-live.js``) come from
cnncourse (one source of truth): ``to_player()`` wraps the recorded player in
``<div class="cnn-live" data-cnn-live=kind>`` with a JSON config. These tests
pin that config to cnncourse's own values, and check that a player without one
is unchanged (the notebooks and the other chapters).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest

from cnncourse import (ACTIVATION_LABELS, ACTIVATIONS, CLASSIC_IMAGE, CLASSIC_KERNEL, KERNELS, POOLING_EXAMPLE,
                       ActivationExplorer, ConvolutionExplorer, Player, PoolingExplorer)
from cnncourse.figures.html import colormap_lut
from cnncourse.widgets.base import LIVE_LABELS, LIVE_LIMITS, LIVE_NOTE
from cnncourse.widgets.live import LIVE_SCRIPTS, read_live_labels

SCRIPT, EXPLORERS = (Path(__file__).resolve().parent.parent / "_static" / name for name in ("cnn-live.js", "cnn-live-explorers.js"))
CONFIG = re.compile(r'<script type="application/json" class="cnn-live-config">(.*?)</script>', re.S)


def _config(player: Player) -> tuple[str, dict]:
    html = player._repr_html_()
    match = CONFIG.search(html)
    assert match, "no live config in the player's HTML"
    return html, json.loads(match.group(1))


def test_convolution_config_is_cnncourse_presets_and_settings():
    html, config = _config(ConvolutionExplorer(CLASSIC_IMAGE, CLASSIC_KERNEL, padding=1, stride=2).to_player("t"))
    assert html.startswith('<div class="cnn-live" data-cnn-live="conv">')
    assert config["kind"] == "conv"
    assert config["presets"] == {name: kernel.tolist() for name, kernel in KERNELS.items()}
    assert list(config["presets"]) == list(KERNELS)
    np.testing.assert_array_equal(config["input"], CLASSIC_IMAGE)
    np.testing.assert_array_equal(config["kernel"], CLASSIC_KERNEL)
    assert (config["padding"], config["stride"]) == (1, 2)
    assert config["limits"] == LIVE_LIMITS and config["note"] == LIVE_NOTE
    assert config["interval_ms"] == ConvolutionExplorer().interval_ms


def test_convolution_config_follows_the_explorers_current_settings():
    explorer = ConvolutionExplorer(kernel="sobel x")
    explorer.padding = 2
    config = explorer.live_config()
    np.testing.assert_array_equal(config["kernel"], KERNELS["sobel x"])
    assert config["padding"] == 2


def test_pooling_config_is_cnncourse_example_and_modes():
    html, config = _config(PoolingExplorer(mode="avg", window=3, stride=3).to_player("t"))
    assert 'data-cnn-live="pool"' in html
    np.testing.assert_array_equal(config["input"], POOLING_EXAMPLE)
    assert (config["window"], config["stride"], config["mode"]) == (3, 3, "avg")
    assert [tuple(m) for m in config["modes"]] == [("max", "max"), ("average", "avg")]
    assert config["mode_names"] == {"max": "max", "avg": "mean"}
    assert config["limits"] == LIVE_LIMITS


def test_activation_config_is_cnncourse_map_names_and_colours():
    fmap = np.array([[-1.5, 0.0, 2.0], [0.25, -0.5, 1.0]])
    explorer = ActivationExplorer(fmap, activation="leaky_relu", slope=0.2)
    _, config = _config(explorer.to_player("t"))
    assert (config["kind"], config["activation"], config["slope"]) == ("act", "leaky_relu", 0.2)
    assert config["activations"] == [[ACTIVATION_LABELS[n], n] for n in ACTIVATIONS]
    values = np.frombuffer(base64.b64decode(config["map"]["float32"]), dtype="<f4").reshape(config["map"]["shape"])
    np.testing.assert_array_equal(values, fmap.astype(np.float32))
    assert bytes.fromhex(config["lut"]) == colormap_lut("RdBu_r").tobytes()
    assert config["limit"] == float(np.percentile(np.abs(fmap), 99))
    np.testing.assert_array_equal(config["bins"], np.linspace(-2, 2, 49))
    assert config["edge_kernel"] == KERNELS["vertical edge"].tolist() and config["image"] is None


def test_config_cannot_close_its_script_tag():
    player = Player(["<b>a</b>", "<b>b</b>"], live={"kind": "conv", "text": "</script><script>alert(1)"})
    html, config = _config(player)
    assert config["text"] == "</script><script>alert(1)"
    assert html.count("</script>") == 2  # the config's and the player's own


def test_players_without_a_live_config_are_unchanged():
    html = Player(["<b>a</b>", "<b>b</b>"], title="x")._repr_html_()
    assert "cnn-live" not in html and html.startswith("\n<style>")


def test_the_javascript_knows_every_kind_and_stays_small():
    explorers = "".join(path.read_text(encoding="utf-8") for path in LIVE_SCRIPTS)
    kinds = {explorer().live_config()["kind"] for explorer in
             (ConvolutionExplorer, PoolingExplorer, lambda: ActivationExplorer(np.ones((2, 2))))}
    for kind in kinds:
        assert re.search(rf"\b{kind}: bound\(\w+View\)|views\.{kind} = \{{render", explorers), f"no view for {kind!r}"
    for script in (SCRIPT, *LIVE_SCRIPTS):  # the module (what it computes), the views, the picture: each under 30 KB
        assert len(script.read_bytes()) < 30_000, script.name
    # No preset or default typed into the JavaScript: they come from the config.
    for script in (SCRIPT.read_text(encoding="utf-8"), explorers):
        assert "sobel" not in script.lower() and "gaussian" not in script.lower()


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"])
def test_the_javascript_has_every_activation(name):
    assert name in ACTIVATIONS
    assert re.search(rf"\b{name}: \[", SCRIPT.read_text(encoding="utf-8"))


# -- the texts the in-browser explorers write: one list, LABELS in cnn-live-explorers.js ---------------------


def test_the_labels_are_read_from_the_one_list_in_the_script():
    assert LIVE_LABELS == tuple(label for path in LIVE_SCRIPTS for label in read_live_labels(path))
    assert "Play" in read_live_labels(EXPLORERS) and len(set(LIVE_LABELS)) == len(LIVE_LABELS)
    assert "LIVE_LABELS = (" not in (EXPLORERS.parents[1] / "cnncourse" / "widgets" / "base.py").read_text()


def test_every_listed_label_is_written_by_the_scripts():
    """A label whose words the scripts no longer write is stale: its words must be in their code (not only in LABELS)."""
    code = re.sub(r"^const LABELS = \[.*?\];$", "", SCRIPT.read_text() + "".join(p.read_text() for p in LIVE_SCRIPTS),
                  flags=re.M | re.S)
    code = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), code)  # "\u00d7" is "×"
    stale = [(label, core) for label in LIVE_LABELS for piece in re.split(r"\{\w*\}", label)
             if (core := re.sub(r"^[^A-Za-z]+|[^A-Za-z]+$", "", piece)) and core not in code]
    assert not stale, stale


def test_without_the_script_there_are_no_labels_and_a_script_without_the_list_is_an_error(tmp_path):
    assert read_live_labels(tmp_path / "absent.js") == ()
    (tmp_path / "other.js").write_text("const labels = ['Play'];\n")
    with pytest.raises(ValueError, match="declares no list `const LABELS"):
        read_live_labels(tmp_path / "other.js")

"""Chapter 1's convolution explorer, driven from Python: its synced state and cnncourse's output.

The front end (the same in the notebook and on the website) is tested in Chromium:
tests/test_browser_explorers.py (site host) and tests/test_jupyterlab.py (JupyterLab).
"""

from __future__ import annotations

import numpy as np
import pytest
import traitlets

from cnncourse import CLASSIC_IMAGE, CLASSIC_KERNEL, KERNELS, ConvolutionExplorer, conv2d, to_grayscale
from cnncourse.widgets.base import RECORD_PLAYERS


def test_initial_state_is_the_classic_example():
    explorer = ConvolutionExplorer()
    assert np.array_equal(explorer.input, CLASSIC_IMAGE) and np.array_equal(explorer.kernel, CLASSIC_KERNEL)
    assert explorer.output.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    assert (explorer.padding, explorer.stride, explorer.position, explorer.steps) == (0, 1, 0, 9)
    assert explorer.image is None and explorer.filtered is None


def test_state_set_from_python_is_synced_and_the_output_follows():
    explorer = ConvolutionExplorer()
    explorer.kernel = KERNELS["sobel x"]
    explorer.padding, explorer.stride, explorer.position = 1, 2, 4
    state = explorer.get_state()
    assert state["kernel"] == KERNELS["sobel x"].tolist() and (state["padding"], state["stride"]) == (1, 2)
    assert state["position"] == 4 and state["kind"] == "conv"
    assert np.array_equal(explorer.output, conv2d(CLASSIC_IMAGE, KERNELS["sobel x"], stride=2, padding=1))


def test_state_sent_by_the_front_end_reaches_python():
    explorer = ConvolutionExplorer()
    explorer.set_state({"kernel": [[0, 1], [1, 0]], "input": [[1, 2, 3], [4, 5, 6]], "position": 1})
    assert explorer.kernel.tolist() == [[0, 1], [1, 0]] and explorer.output.tolist() == [[6, 8]]
    assert explorer.position == 1
    data = np.array([[0, 255, 128]], dtype=np.uint8).tobytes()
    explorer.set_state({"image": {"shape": [1, 3], "data": memoryview(data)}, "input": [[1, 2, 3], [4, 5, 6]], "kernel": [[1, 2]]})
    assert explorer.image.tolist() == [[0.0, 1.0, 128 / 255]]
    assert np.array_equal(explorer.filtered, conv2d(explorer.image, explorer.kernel))


def test_a_picture_from_python_is_grey_in_byte_steps_and_scaled_down():
    explorer = ConvolutionExplorer()
    rgb = np.random.default_rng(0).integers(0, 256, (600, 900, 3), dtype=np.uint8)
    explorer.image = rgb
    assert explorer.image.shape == (320, 480) and explorer.image.min() >= 0 and explorer.image.max() <= 1
    assert np.array_equal(np.round(explorer.image * 255), explorer.image * 255)
    small = np.random.default_rng(1).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    explorer.image = small
    assert np.allclose(explorer.image, to_grayscale(small), atol=0.5 / 255)
    sent = explorer.get_state()["image"]
    assert sent["shape"] == [20, 30] and len(sent["data"]) == 600


@pytest.mark.parametrize("name, value, message", [
    ("kernel", [1, 2], "kernel must be a 2-D array"),
    ("kernel", [[1, np.nan]], "kernel must contain only finite numbers"),
    ("kernel", "abc", "kernel must be a 2-D array of numbers"),
    ("padding", -1, "padding"),
    ("stride", 0, "stride"),
    ("image", np.full((4, 4), 2.0), "image must hold values in"),
])
def test_bad_state_from_python_raises_naming_the_trait(name, value, message):
    with pytest.raises(traitlets.TraitError, match=message):
        setattr(ConvolutionExplorer(), name, value)


def test_bad_settings_raise_at_construction():
    with pytest.raises(ValueError, match="larger than the padded image"):
        ConvolutionExplorer(kernel=np.ones((7, 7)))
    with pytest.raises(ValueError, match=r"image must have shape \(H, W\)"):
        ConvolutionExplorer(np.ones(3))


def test_to_player_has_one_frame_per_step_and_the_live_settings():
    explorer = ConvolutionExplorer(kernel="sobel x", padding=1)
    player = explorer.to_player("t")
    assert len(player.frames) == 25 and "Step 1 of 25" in player.frames[0]
    assert player.live["kind"] == "conv" and player.live["kernel"] == KERNELS["sobel x"].tolist()
    assert player.live["input"] == CLASSIC_IMAGE.tolist() and player.live["camera"] is True


def test_the_website_gets_a_still_picture_and_the_settings_not_a_recorded_player(monkeypatch):
    explorer = ConvolutionExplorer()
    monkeypatch.delenv(RECORD_PLAYERS, raising=False)
    explorer.show("The classic example")
    data, _ = explorer._repr_mimebundle_()
    assert sorted(data) == ["application/vnd.jupyter.widget-view+json", "text/plain"]
    assert explorer.title == "The classic example"
    monkeypatch.setenv(RECORD_PLAYERS, "1")
    html = explorer._repr_mimebundle_()[0]["text/html"]
    assert html.startswith('<div class="cnn-live" data-cnn-live="conv">') and "The classic example" in html
    assert html.count('class="cnn-player-frame"') == 1 and "Step 9 of 9" in html and 'class="cnn-player-controls"' not in html


def test_ipywidgets_7_and_8_both_display_the_widget_and_the_websites_html(monkeypatch):
    """ipywidgets 8 displays through _repr_mimebundle_, 7 through _ipython_display_ (make widgets7 runs both)."""
    import ipywidgets

    monkeypatch.setenv(RECORD_PLAYERS, "1")
    explorer = ConvolutionExplorer()
    if int(ipywidgets.__version__.split(".")[0]) >= 8:
        data, _ = explorer._repr_mimebundle_()
    else:
        published = []
        monkeypatch.setattr("IPython.display.display", lambda data, metadata=None, raw=False: published.append(data))
        explorer._ipython_display_()
        (data,) = published
    assert {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"} == set(data)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id

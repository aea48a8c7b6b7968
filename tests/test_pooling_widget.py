"""Chapter 2's pooling explorer, driven from Python: its synced state and cnncourse's output.

The front end is tested in Chromium (tests/test_browser_explorers.py, tests/test_live_explorers.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import traitlets

from cnncourse import POOLING_EXAMPLE, PoolingExplorer, pool2d


def test_initial_state_is_2x2_max_pooling_of_the_example():
    explorer = PoolingExplorer()
    assert np.array_equal(explorer.input, POOLING_EXAMPLE)
    assert (explorer.window, explorer.stride, explorer.mode, explorer.steps) == (2, 2, "max", 9)
    assert explorer.output.tolist() == [[4, 2, 4], [2, 8, 3], [5, 3, 9]]


def test_state_from_python_and_from_the_front_end():
    explorer = PoolingExplorer()
    explorer.mode, explorer.window, explorer.stride = "avg", 3, 3
    assert explorer.get_state()["mode"] == "avg"
    assert np.array_equal(explorer.output, pool2d(POOLING_EXAMPLE, 3, stride=3, mode="avg"))
    explorer.set_state({"input": [[1, 2], [3, 4]], "window": 2, "stride": 1, "mode": "max"})
    assert explorer.output.tolist() == [[4]]


def test_the_step_numbers_and_frames():
    explorer = PoolingExplorer()
    step = explorer.step(4)
    assert (step["row"], step["col"], step["argmax"], step["value"]) == (1, 1, (3, 3), 8.0)
    assert "Step 5 of 9: 2×2 window at row 3, column 3" in explorer._frame(4)
    assert len(explorer.to_player("p").frames) == 9


@pytest.mark.parametrize("name, value, message", [("mode", "median", "mode"), ("window", 0, "window"),
                                                  ("input", [[1, "x"]], "input must be a 2-D array")])
def test_bad_state_raises_naming_the_trait(name, value, message):
    with pytest.raises(traitlets.TraitError, match=message):
        setattr(PoolingExplorer(), name, value)


def test_constructor_takes_image_window_stride_and_mode():
    explorer = PoolingExplorer(np.arange(16.0).reshape(4, 4), window=2, stride=1, mode="avg")
    assert explorer.output.shape == (3, 3) and explorer.live_config()["mode"] == "avg"
    with pytest.raises(ValueError, match="window 7x7 is larger than the input"):
        PoolingExplorer(window=7)

"""Chapter 3's activation explorer, driven from Python: its synced state, the reader's picture and cnncourse.

The front end is tested in Chromium (tests/test_browser_explorers.py, tests/test_live_explorers.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import traitlets

from cnncourse import ACTIVATIONS, ActivationExplorer, default_feature_map, edge_map


def test_default_feature_map_is_an_edge_map_of_the_cat():
    fmap = default_feature_map()
    assert fmap.shape == (149, 225) and fmap.min() < 0 < fmap.max()


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_sets_the_after_map(name):
    explorer = ActivationExplorer(np.linspace(-2, 2, 12).reshape(3, 4))
    explorer.activation = name
    assert np.allclose(explorer.after, ACTIVATIONS[name].function(explorer.before))
    assert explorer.get_state()["activation"] == name


def test_the_slope_counts_only_for_leaky_relu():
    explorer = ActivationExplorer(np.array([[-1.0, 2.0]]))
    explorer.slope = 0.5
    assert explorer.after.tolist() == [[0.0, 2.0]]
    explorer.activation = "leaky_relu"
    assert explorer.after.tolist() == [[-0.5, 2.0]]


@pytest.mark.parametrize("name, value, message", [("activation", "swish", "unknown activation 'swish'"),
                                                  ("slope", float("inf"), "slope must be a finite number")])
def test_bad_state_raises_naming_the_trait(name, value, message):
    with pytest.raises(traitlets.TraitError, match=message):
        setattr(ActivationExplorer(np.ones((2, 2))), name, value)


def test_the_readers_picture_replaces_the_map_by_its_edge_map():
    explorer = ActivationExplorer(np.ones((3, 3)))
    picture = np.random.default_rng(0).integers(0, 256, (40, 50), dtype=np.uint8)
    explorer.image = picture
    assert np.array_equal(explorer.before, edge_map(picture / 255.0)) and explorer.before.shape == (19, 24)
    assert "cnn-figures" in explorer._frame(0)
    explorer.image = None
    assert explorer.before.tolist() == np.ones((3, 3)).tolist()


def test_to_player_has_a_frame_per_setting_with_alt_text_and_the_settings():
    explorer = ActivationExplorer(np.linspace(-2, 2, 12).reshape(3, 4))
    player = explorer.to_player("a", settings=[("relu", None), ("tanh", None)])
    assert len(player.frames) == 2 and all('alt="' in f for f in player.frames)
    assert player.live["kind"] == "act" and player.live["edge_kernel"] == [[-1, 0, 1]] * 3
    assert len(explorer.to_player("all").frames) == 6

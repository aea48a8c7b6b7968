"""The activation explorer, driven from Python, and its kernel-free player."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnncourse.ops.activations import ACTIVATIONS, gelu, leaky_relu
from cnncourse.figures.player import Player
from cnncourse.widgets.activations import ActivationExplorer, default_feature_map

FMAP = np.random.default_rng(0).normal(size=(20, 30))


def test_default_feature_map_is_an_edge_map_of_the_cat():
    e = ActivationExplorer()
    assert e.before.shape == default_feature_map().shape == (149, 225)
    assert e.activation.value == "relu" and e.slope.disabled
    np.testing.assert_array_equal(e.after, np.maximum(e.before, 0))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_updates_the_after_map_and_picture(name):
    e = ActivationExplorer(FMAP)
    e.activation.value = name
    np.testing.assert_allclose(e.after, ACTIVATIONS[name].function(FMAP))
    html = e.display.value
    assert html.count("<svg xmlns") == 2 and html.count("<img") == 2  # two charts, two maps
    assert all('alt="' in tag for tag in re.findall(r"<img[^>]*>", html))
    assert e.message.value == ""


def test_slope_changes_leaky_relu_only_when_selected():
    e = ActivationExplorer(FMAP, activation="leaky_relu", slope=0.1)
    assert not e.slope.disabled
    np.testing.assert_allclose(e.after, leaky_relu(FMAP, slope=0.1))
    e.slope.value = "0.3"
    np.testing.assert_allclose(e.after, leaky_relu(FMAP, slope=0.3))
    assert "leaky ReLU (slope 0.3)" in e.display.value
    e.activation.value = "gelu"
    assert e.slope.disabled
    np.testing.assert_allclose(e.after, gelu(FMAP))


@pytest.mark.parametrize(
    ("value", "message"),
    [("steep", "slope must be a number, got &#x27;steep&#x27;"), ("inf", "slope must be a finite number"),
     ("", "slope must be a number")],
)
def test_bad_slope_shows_a_message_and_keeps_the_last_picture(value, message):
    e = ActivationExplorer(FMAP, activation="leaky_relu")
    before = e.display.value
    e.slope.value = value  # must not raise
    assert message in e.message.value
    assert e.display.value == before
    e.slope.value = "0.05"
    assert e.message.value == "" and "slope 0.05" in e.display.value


def test_to_player_has_a_frame_per_setting_with_alt_text():
    e = ActivationExplorer(FMAP)
    player = e.to_player(title="Activations")
    assert isinstance(player, Player) and len(player.frames) == 6
    assert "leaky ReLU (slope 0.2)" in player.frames[4]
    html = player._repr_html_()
    assert html.count("<img") == 12
    assert all('alt="' in tag for tag in re.findall(r"<img[^>]*>", html))
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    e.activation.value = "tanh"  # the widget draws the same picture
    assert e.display.value.endswith(player.frames[1])
    assert "id=" not in player.frames[1]  # no id two drawings on one page could share


def test_constructor_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"image must have shape \(H, W\)"):
        ActivationExplorer(np.zeros(3))
    with pytest.raises(ValueError, match=r"unknown activation 'swish'"):
        ActivationExplorer(FMAP, activation="swish")

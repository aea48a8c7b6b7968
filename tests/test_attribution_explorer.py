"""Chapter 7's AttributionExplorer, driven from Python as a reader drives it, and overlay_map."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import cnncourse.widgets.attribution as module
from cnncourse import SHAPE_CLASSES, AttributionExplorer, SmallCNN, overlay_map
from cnncourse.figures.html import STYLE, colormap_lut
from cnncourse.figures.player import Player
from cnncourse.nets.vgg import load_vgg16


@pytest.fixture(scope="module")
def small():
    torch.manual_seed(0)
    model = SmallCNN().eval()
    image = torch.rand(1, 32, 32, generator=torch.Generator().manual_seed(1))
    return model, image


@pytest.fixture
def explorer(small):
    model, image = small
    return AttributionExplorer(model, image, samples=2, window=8, stride=8)


@pytest.fixture
def calls(monkeypatch):
    """Count the calls of each attribution function the explorer makes."""
    counted = {"saliency": 0, "grad_cam": 0, "occlusion": 0}
    for name in counted:
        original = getattr(module, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            counted[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return counted


def test_a_small_model_gets_all_its_classes_by_name_most_probable_first(explorer, small):
    model, image = small
    with torch.no_grad():
        probabilities = torch.softmax(model(image[None]), dim=1)[0].numpy()
    assert explorer.class_names == list(SHAPE_CLASSES)
    assert explorer.targets == np.argsort(-probabilities, kind="stable").tolist()
    assert [value for _, value in explorer.target.options] == explorer.targets
    assert all(SHAPE_CLASSES[t] in label for label, t in explorer.target.options)
    assert explorer.layers == ("relu3", "relu2", "relu1")
    assert explorer.current == ("saliency", explorer.targets[0], None)
    assert explorer.message.value == "" and explorer.display.value.startswith(STYLE)
    assert explorer.header.value == ""  # no weights banner for a model that is not VGG16


def test_each_method_shows_its_map_and_the_layer_menu_only_works_for_grad_cam(explorer):
    shown = {}
    for method in ("saliency", "smoothgrad", "occlusion", "grad_cam"):
        explorer.method.value = method
        assert explorer.layer.disabled is (method != "grad_cam")
        assert explorer.current[0] == method and explorer.message.value == ""
        shown[method] = explorer.display.value
    assert len(set(shown.values())) == 4
    assert "Grad-CAM at relu3" in shown["grad_cam"] and "8×8 square over the pixel is hidden" in shown["occlusion"]
    explorer.layer.value = "relu1"
    assert explorer.current[2] == "relu1" and "Grad-CAM at relu1" in explorer.display.value
    assert explorer.display.value != shown["grad_cam"]


def test_maps_are_computed_once_per_method_class_and_layer(explorer, calls):
    explorer.method.value = "grad_cam"
    explorer.layer.value = "relu2"
    explorer.method.value = "saliency"  # computed at creation: no new call
    explorer.method.value = "grad_cam"  # relu2 again
    explorer.layer.value = "relu3"
    explorer.layer.value = "relu2"
    assert calls == {"saliency": 0, "grad_cam": 2, "occlusion": 0}
    explorer.target.value = explorer.targets[1]
    assert calls["grad_cam"] == 3 and explorer.current == ("grad_cam", explorer.targets[1], "relu2")


def _still(name: str) -> str:
    return f"Still showing the class &#x27;{name}&#x27;."


def test_a_typed_class_name_is_used_and_a_wrong_one_keeps_the_last_valid_class(explorer):
    ring = SHAPE_CLASSES.index("ring")
    explorer.other.value = "RING"  # any case
    assert explorer.message.value == "" and explorer.current == ("saliency", ring, None)
    assert "class <b>ring</b>" in explorer.display.value
    picture = explorer.display.value
    explorer.other.value = "crosss"  # must not raise
    message = explorer.message.value
    assert "no class is called &#x27;crosss&#x27;: did you mean &#x27;cross&#x27;" in message
    assert "cnn-error" in message and _still("ring") in message
    assert explorer.display.value == picture and explorer.current == ("saliency", ring, None)
    explorer.method.value = "grad_cam"  # the other controls go on working, for the last valid class
    assert explorer.current == ("grad_cam", ring, "relu3") and explorer.message.value == message
    assert "Grad-CAM at relu3</b> for class <b>ring</b>" in explorer.display.value
    explorer.layer.value = "relu1"
    assert "Grad-CAM at relu1</b> for class <b>ring</b>" in explorer.display.value
    assert all("class <b>ring</b>" in frame for frame in explorer.to_player("Ring").frames)
    explorer.other.value = "zebra"
    assert "nor anything close" in explorer.message.value and _still("ring") in explorer.message.value
    explorer.other.value = "3"  # an index works too
    assert explorer.message.value == "" and explorer.current == ("grad_cam", 3, "relu1")
    explorer.other.value = "6"  # an index out of range
    assert "class index must be between 0 and 5, got 6" in explorer.message.value
    assert _still(SHAPE_CLASSES[3]) in explorer.message.value and explorer.current[1] == 3
    for blank in ("", "   "):  # nothing typed: the menu's class
        explorer.other.value = "crosss"
        explorer.other.value = blank
        assert explorer.message.value == "" and explorer.current == ("grad_cam", explorer.target.value, "relu1")


def test_a_wrong_first_name_keeps_the_menus_class_until_the_menu_is_used(explorer):
    explorer.other.value = "-1"
    assert "no class is called &#x27;-1&#x27;" in explorer.message.value
    assert _still(SHAPE_CLASSES[explorer.targets[0]]) in explorer.message.value
    explorer.method.value = "smoothgrad"
    assert explorer.current == ("smoothgrad", explorer.targets[0], None) and "-1" in explorer.message.value
    assert "<b>SmoothGrad</b> for class" in explorer.display.value
    explorer.target.value = explorer.targets[1]  # the menu replaces the typed class, and its message
    assert explorer.other.value == "" and explorer.message.value == ""
    assert explorer.current == ("smoothgrad", explorer.targets[1], None)


def test_a_map_being_computed_shows_progress_and_dims_the_picture_it_replaces(explorer, monkeypatch):
    seen, progress = [], []
    explorer.progress.observe(lambda change: progress.append((explorer.progress.value, explorer.progress.max)),
                              names="value")
    for name in ("saliency", "occlusion"):
        original = getattr(module, name)

        def watching(*args, _original=original, **kwargs):
            seen.append((explorer.working.layout.display, "cnn-stale" in explorer.display._dom_classes,
                         explorer.status.value))
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, watching)
    explorer.method.value = "occlusion"  # 4 x 4 windows of 8 x 8 on a 32 x 32 image
    assert seen == [("flex", True, module.STALE_STYLE + "Computing Occlusion for the class "
                     + SHAPE_CLASSES[explorer.targets[0]] + "…")]
    assert progress[-1] == (16, 16) and len(progress) >= 2
    assert explorer.working.layout.display == "none" and "cnn-stale" not in explorer.display._dom_classes
    explorer.method.value = "smoothgrad"  # 2 noisy copies
    assert progress[-1] == (2, 2) and len(seen) == 2
    explorer.method.value = "occlusion"  # kept: nothing computed, nothing shown
    assert len(seen) == 2 and explorer.working.layout.display == "none"
    assert module.STALE_STYLE in explorer.status.value and ".cnn-stale" in module.STALE_STYLE


def test_an_update_writes_nothing_to_stdout_or_stderr(explorer, small, monkeypatch, capfd):
    import cnncourse.core.progress
    from cnncourse.attribution.occlusion import occlusion

    quiet = cnncourse.core.progress.progress_bar

    def loud(**kwargs):  # a tqdm bar that shows at once, wherever it is made
        return quiet(**{**kwargs, "delay": 0, "mininterval": 0, "leave": True})

    monkeypatch.setattr(cnncourse.core.progress, "progress_bar", loud)
    occlusion(*small, 0, window=8, stride=8)  # the control: a plain call does show its bar
    assert "occlusion" in capfd.readouterr().err
    for method in ("smoothgrad", "occlusion", "grad_cam", "saliency"):
        explorer.method.value = method
    explorer.target.value = explorer.targets[1]
    explorer.method.value = "occlusion"
    explorer.other.value = "tabbby"
    assert capfd.readouterr() == ("", "")


def test_choosing_from_the_menu_replaces_a_typed_class(explorer):
    explorer.other.value = "cross"
    explorer.target.value = explorer.targets[-1]
    assert explorer.other.value == "" and explorer.current[1] == explorer.targets[-1]
    assert explorer.message.value == ""


def test_the_player_records_every_method_and_every_grad_cam_layer(explorer, calls):
    ring = SHAPE_CLASSES.index("ring")
    made = int(explorer.targets[0] == ring)  # the first map, made at creation, before the counting
    explorer.other.value = "ring"
    explorer.method.value = "occlusion"
    player = explorer.to_player("All methods for ring")
    assert isinstance(player, Player) and player.title == "All methods for ring"
    assert len(player.frames) == 3 + len(explorer.layers) == 6
    assert all("class <b>ring</b>" in frame for frame in player.frames)
    assert ["Grad-CAM at relu3" in _shown_note(f) for f in player.frames] == [False] * 3 + [True, False, False]
    assert explorer.display.value.endswith(player.frames[2])  # occlusion, the map shown
    assert calls == {"saliency": 2 - made, "grad_cam": 3, "occlusion": 1}
    explorer.to_player()  # everything is kept: nothing is computed again
    assert calls == {"saliency": 2 - made, "grad_cam": 3, "occlusion": 1}
    assert "Where the network looks for 'ring'" in explorer.to_player().title
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        explorer.to_player("Title", colour="red")


def _shown_note(frame: str) -> str:
    """The note a frame shows: the first of its stacked texts (the others are invisible)."""
    return re.search(r'class="cnn-note cnn-stack"><span>(.*?)</span>', frame).group(1)


def test_every_frame_of_a_class_has_the_same_texts_so_the_player_keeps_one_size(explorer):
    # The texts differ in length (a Grad-CAM note wraps one line more); each frame stacks all of
    # them, its own visible, so every frame takes the height of the longest (issue 22: 19 px).
    frames = explorer.to_player().frames
    notes = [_shown_note(frame) for frame in frames]
    assert len(set(notes)) == len(frames)
    for frame, note in zip(frames, notes):
        assert all(frame.count(other) == 1 for other in notes)
        assert frame.count('<span class="cnn-ghost" aria-hidden="true">') == 2 * (len(frames) - 1)
        assert f"<span>{note}</span>" in frame and f'aria-hidden="true">{note}<' not in frame


def test_rendering_changes_nothing_but_the_memo(explorer):
    explorer.method.value = "grad_cam"
    shown, current = explorer.display.value, explorer.current
    frames = explorer.to_player().frames
    assert explorer.to_player().frames == frames
    assert explorer.display.value == shown and explorer.current == current
    assert explorer._frame(0) == frames[3]


def test_maps_given_at_creation_are_used_and_checked(small, calls):
    model, image = small
    ring = SHAPE_CLASSES.index("ring")
    given = np.zeros((32, 32))
    given[:16] = 1.0
    explorer = AttributionExplorer(model, image, targets=["ring", 0], maps={("saliency", "ring", None): given})
    assert calls["saliency"] == 0 and explorer.current == ("saliency", ring, None)
    assert explorer.targets == [ring, 0]
    with pytest.raises(ValueError, match=r"a map must have the image's height and width \(32, 32\), got \(8, 8\)"):
        AttributionExplorer(model, image, maps={("saliency", 0, None): np.zeros((8, 8))})
    with pytest.raises(ValueError, match="layer must be one of relu3, relu2, relu1 for grad_cam, got None"):
        AttributionExplorer(model, image, maps={("grad_cam", 0, None): given})


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"methods": ("lime",)}, ValueError, "methods must be some of saliency, smoothgrad, occlusion, grad_cam"),
    ({"class_names": ["a", "b"]}, ValueError, "class_names has 2 names for the model's 6 outputs"),
    ({"targets": ["rong"]}, ValueError, "no class is called 'rong': did you mean 'ring'"),
    ({"targets": [6]}, ValueError, "class index must be between 0 and 5, got 6"),
    ({"targets": [1.5]}, TypeError, "a class must be an index or a name, got 1.5"),
    ({"layers": ()}, ValueError, "layers must name at least one layer for Grad-CAM"),
    ({"samples": 0}, ValueError, "samples must be >= 1, got 0"),
    ({"stride": 2.5}, TypeError, "stride must be an int, got 2.5"),
    ({"noise": -0.1}, ValueError, "noise must be a finite number >= 0, got -0.1"),
])
def test_bad_arguments_raise_with_a_message(small, kwargs, error, match):
    model, image = small
    with pytest.raises(error, match=match):
        AttributionExplorer(model, image, **kwargs)


def test_a_model_must_be_a_module(small):
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        AttributionExplorer("vgg16", small[1])


# -- VGG16 with its classifier ----------------------------------------------------------------


@pytest.fixture(scope="module")
def vgg():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield load_vgg16("random", include_top=True, device="cpu")
    finally:
        torch.set_num_threads(threads)


def test_vgg16_offers_its_top_five_imagenet_classes_and_any_other_by_name(vgg):
    photo = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    explorer = AttributionExplorer(vgg, photo, samples=2, methods=("saliency", "grad_cam"))
    assert len(explorer.class_names) == 1000 and len(explorer.targets) == 5
    assert explorer.probabilities[explorer.targets[0]] == explorer.probabilities.max()
    assert explorer.layers == ("block5_conv3", "block4_conv3", "block3_conv3")
    assert "cnn-untrained-banner" in explorer.header.value
    explorer.other.value = "tabbby"
    assert "did you mean" in explorer.message.value and "tabby" in explorer.message.value
    assert _still(explorer.class_names[explorer.targets[0]]) in explorer.message.value
    explorer.other.value = "Tabby"
    assert explorer.current == ("saliency", explorer.class_names.index("tabby"), None)
    explorer.method.value = "grad_cam"
    assert "(a 4×4 map, enlarged to 64×64)" in explorer.display.value
    player = explorer.to_player()
    assert len(player.frames) == 1 + 3
    html = player._repr_html_()
    assert html.count("cnn-untrained-banner") == 1
    assert not any("cnn-untrained-banner" in frame for frame in player.frames)


def test_a_preprocessed_tensor_is_shown_as_the_photo(vgg):
    from cnncourse import preprocess

    photo = np.random.default_rng(1).integers(0, 256, (32, 40, 3), dtype=np.uint8)
    explorer = AttributionExplorer(vgg, preprocess(photo)[0], methods=("saliency",))
    assert np.abs(explorer.photo.astype(int) - photo).max() <= 1


# -- overlay_map ----------------------------------------------------------------------------------


def test_overlay_map_shows_the_dimmed_photo_where_the_map_is_zero():
    photo = np.zeros((4, 4, 3), np.uint8)
    photo[..., 0] = 200  # red: gray level 200 / 3
    values = np.zeros((4, 4))
    values[0, 0] = 5.0
    values[1, 1] = -3.0  # negative counts as 0
    picture = overlay_map(photo, values, dim=0.5, percentile=100)
    assert picture.shape == (4, 4, 3) and picture.dtype == np.uint8
    assert picture[2, 2].tolist() == [33, 33, 33] == picture[1, 1].tolist()
    assert picture[0, 0].tolist() == colormap_lut("viridis")[255].tolist()
    assert (overlay_map(photo, np.zeros((4, 4))) == 33).all()  # an empty map: just the dimmed photo


def test_overlay_map_needs_the_photo_size():
    with pytest.raises(ValueError, match=r"values must have the photo's height and width \(4, 4\), got \(2, 2\)"):
        overlay_map(np.zeros((4, 4)), np.ones((2, 2)))

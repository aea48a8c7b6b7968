"""Tests of cnncourse.nets.vgg: loading VGG16's weights, layer names, feature maps.

Offline by design: an autouse fixture points TORCH_HOME at a fresh temporary
folder and makes every network connection fail, so the tests can never
download anything nor read the developer's real cache. The real ImageNet
loading path is tested with a state dict the tests write into that
temporary cache, under the file name torchvision expects.
"""

from __future__ import annotations

import socket
import warnings

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from cnncourse.nets import vgg
from cnncourse.__main__ import main
from cnncourse.figures.html import show_weights_banner, weights_banner_html
from cnncourse.nets.vgg import load_vgg16, preprocess
from cnncourse.nets.vgg_layers import (
    VGG16_LAYERS,
    check_channel,
    check_layer,
    layer_channels,
    layer_output_shape,
    receptive_field,
    truncated,
)
from cnncourse.nets.vgg_maps import feature_maps, top_classes
from cnncourse.nets.weights import (
    UntrainedWeightsWarning,
    WeightsUnavailableError,
    imagenet_categories,
    imagenet_weights_path,
    weights_banner,
)

NAMES = list(VGG16_LAYERS)


class NetworkForbidden(OSError):
    pass


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Fresh empty TORCH_HOME, no CNNCOURSE_WEIGHTS, and any network access fails."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise NetworkForbidden("network access is forbidden in the tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))
    monkeypatch.delenv("CNNCOURSE_WEIGHTS", raising=False)
    return calls


@pytest.fixture(scope="module")
def model():
    return load_vgg16("random", device="cpu")


@pytest.fixture(scope="module")
def full_model():
    return load_vgg16("random", include_top=True, device="cpu")


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)


def other_features_state(seed: int = 1) -> dict[str, torch.Tensor]:
    """A state dict of an untrained VGG16 conv base, keyed as in torchvision's full file."""
    generator = torch.Generator().manual_seed(seed)
    base = load_vgg16("random", device="cpu")
    return {f"features.{k}": torch.randn(v.shape, generator=generator) * 0.05
            for k, v in base.state_dict().items()}


def assert_same_state(module: nn.Module, state: dict[str, torch.Tensor], prefix: str = "") -> None:
    loaded = module.state_dict()
    assert len(loaded) == len(state)
    for key, value in loaded.items():
        assert torch.equal(value, state[prefix + key]), key


# -- layer table -----------------------------------------------------------


def test_layer_names_and_indices_match_torchvision(model):
    assert len(NAMES) == 18
    assert NAMES[0] == "block1_conv1" and NAMES[-1] == "block5_pool"
    assert VGG16_LAYERS["block1_conv1"] == 0 and VGG16_LAYERS["block5_pool"] == 30
    for name, index in VGG16_LAYERS.items():
        module = model[index]
        if name.endswith("_pool"):
            assert isinstance(module, nn.MaxPool2d), name
        else:
            assert isinstance(module, nn.Conv2d), name
            assert isinstance(model[index + 1], nn.ReLU)
            assert module.out_channels == layer_channels(name)


def test_output_shapes_for_224(model):
    x = torch.zeros(1, 3, 224, 224)
    with torch.no_grad():
        for name in ["block1_conv1", "block2_pool", "block4_conv3", "block5_pool"]:
            assert tuple(truncated(model, name)(x).shape[1:]) == layer_output_shape(name)
    assert layer_output_shape("block5_pool") == (512, 7, 7)
    assert layer_output_shape("block1_pool", height=33, width=65) == (64, 16, 32)


def test_receptive_field_matches_a_probe():
    """Probe the receptive field: a linear copy of the layers (1 channel, all-ones kernels,
    average instead of max pooling, so the gradient reaches every pixel it depends on)."""
    size = 256
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    from torchvision.models import vgg16

    with torch.device("meta"):
        reference = vgg16(init_weights=False).features
    y = x
    for name in NAMES:
        start = 0 if name == "block1_conv1" else VGG16_LAYERS[NAMES[NAMES.index(name) - 1]] + 1
        for module in reference[start: VGG16_LAYERS[name] + 1]:
            if isinstance(module, nn.Conv2d):
                y = nn.functional.conv2d(y, torch.ones(1, 1, *module.kernel_size), stride=module.stride,
                                         padding=module.padding)
            elif isinstance(module, nn.MaxPool2d):
                y = nn.functional.avg_pool2d(y, module.kernel_size, module.stride)
        centre = y.shape[-1] // 2
        (grad,) = torch.autograd.grad(y[0, 0, centre, centre], x, retain_graph=True)
        rows = torch.nonzero(grad[0, 0].abs().sum(dim=1)).flatten()
        assert 0 < rows.min() and rows.max() < size - 1, name  # the field fits inside the probe
        assert int(rows.max() - rows.min() + 1) == receptive_field(name), name
    assert receptive_field("block1_conv1") == 3 and receptive_field("block5_pool") == 212


def test_check_layer_lists_valid_names():
    assert check_layer("block3_conv2") == "block3_conv2"
    with pytest.raises(ValueError, match="block1_conv1.*block5_pool") as info:
        check_layer("block6_conv1")
    assert "block6_conv1" in str(info.value)
    with pytest.raises(TypeError, match="layer must be a layer name"):
        check_layer(3)


def test_check_channel_says_channel_count():
    assert check_channel("block1_conv1", 63) == 63
    with pytest.raises(ValueError, match="64 channels"):
        check_channel("block1_conv1", 64)
    with pytest.raises(ValueError, match="512 channels"):
        check_channel("block5_conv3", -1, name="filter")
    with pytest.raises(TypeError, match="channel index must be an int, got 1.5"):
        check_channel("block1_conv1", 1.5)


def test_truncated_shares_modules(model):
    part = truncated(model, "block2_conv1")
    assert len(part) == 7 and isinstance(part[-1], nn.ReLU)
    assert part[5] is model[5]
    assert len(truncated(model, "block1_pool")) == 5
    assert part.cnncourse_weights == "random"
    with pytest.raises(ValueError, match="valid VGG16 layer names"):
        truncated(model, "fc1")
    with pytest.raises(TypeError, match="model must be a VGG16 from load_vgg16"):
        truncated(nn.Linear(2, 2), "block1_conv1")
    with pytest.raises(ValueError, match="does not look like VGG16"):
        truncated(model[:5], "block3_conv1")


# -- loading ------------------------------------------------------------------


def test_model_is_frozen_in_eval_mode(model):
    assert not model.training
    assert not any(p.requires_grad for p in model.parameters())
    assert isinstance(model, nn.Sequential) and len(model) == 31
    assert model.cnncourse_weights == "random"


def test_random_is_deterministic_and_leaves_global_rng_alone(model):
    state = torch.get_rng_state()
    again = load_vgg16("random", device="cpu")
    assert torch.equal(state, torch.get_rng_state())
    assert_same_state(again, model.state_dict())
    assert model[0].weight.std() > 0


def test_imagenet_loads_the_cached_file_without_network(offline):
    state = other_features_state()
    path = imagenet_weights_path()
    assert path.name == "vgg16-397923af.pth"
    assert str(path).startswith(vgg.os.environ["TORCH_HOME"])
    path.parent.mkdir(parents=True)
    torch.save(state, path)
    loaded = load_vgg16("imagenet", device="cpu")
    assert_same_state(loaded, state, prefix="features.")
    assert loaded.cnncourse_weights == "imagenet"
    assert offline == []  # no connection was even attempted
    assert repr(weights_banner(loaded)) == "" and weights_banner_html(weights_banner(loaded)) == ""


def test_imagenet_with_top_loads_the_full_file(full_model):
    state = dict(full_model.state_dict())
    state["classifier.6.bias"] = torch.arange(1000, dtype=torch.float32)
    state["features.0.weight"] = torch.ones_like(state["features.0.weight"])
    path = imagenet_weights_path()
    path.parent.mkdir(parents=True)
    torch.save(state, path)
    loaded = load_vgg16("imagenet", include_top=True, device="cpu")
    assert_same_state(loaded, state)
    # the same file gives the conv base alone
    base = load_vgg16("imagenet", device="cpu")
    assert torch.equal(base[0].weight, state["features.0.weight"])
    names = top_classes(loaded, np.zeros((40, 60, 3), dtype=np.uint8), k=3)
    categories = imagenet_categories()
    assert [name for name, _ in names] == categories[-1:-4:-1]  # the classes with the largest biases
    assert sorted((p for _, p in names), reverse=True) == [p for _, p in names]
    with pytest.raises(ValueError, match="include_top=True"):
        top_classes(base, np.zeros((40, 60, 3), dtype=np.uint8))


def test_imagenet_offline_without_cache_explains_the_fix(offline):
    with pytest.raises(WeightsUnavailableError, match="not in torch's cache") as info:
        load_vgg16("imagenet", device="cpu")
    message = str(info.value)
    assert "download-weights" in message and "CNNCOURSE_WEIGHTS=random" in message
    assert str(imagenet_weights_path()) in message
    assert offline  # it did try, and the fixture refused


def test_corrupt_cached_imagenet_file():
    path = imagenet_weights_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a checkpoint at all")
    with pytest.raises(ValueError, match="could not be read.*Delete it"):
        load_vgg16("imagenet", device="cpu")


def test_state_dict_path(tmp_path):
    state = other_features_state(seed=2)
    file = tmp_path / "weights.pth"
    torch.save({k.removeprefix("features."): v for k, v in state.items()}, file)  # a .features state dict
    loaded = load_vgg16(file, device="cpu")
    assert_same_state(loaded, state, prefix="features.")
    assert loaded.cnncourse_weights == str(file)
    assert "not torchvision's ImageNet weights" in repr(weights_banner(loaded))
    with pytest.raises(ValueError, match="no classifier weights"):
        load_vgg16(file, include_top=True, device="cpu")


def test_corrupt_and_mismatched_files(tmp_path):
    corrupt = tmp_path / "corrupt.pth"
    corrupt.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(ValueError, match="not a readable PyTorch state dict"):
        load_vgg16(corrupt, device="cpu")
    mismatched = tmp_path / "resnet-like.pth"
    torch.save(nn.Conv2d(3, 8, 3).state_dict(), mismatched)
    with pytest.raises(ValueError, match="does not match VGG16.*missing: 0.weight"):
        load_vgg16(mismatched, device="cpu")
    wrong_shape = tmp_path / "wrong-shape.pth"
    state = {k.removeprefix("features."): v for k, v in other_features_state().items()}
    state["0.weight"] = torch.zeros(64, 1, 3, 3)
    torch.save(state, wrong_shape)
    with pytest.raises(ValueError, match=r"wrong shape: 0.weight \(64, 1, 3, 3\)"):
        load_vgg16(wrong_shape, device="cpu")
    not_a_dict = tmp_path / "list.pth"
    torch.save([torch.zeros(2)], not_a_dict)
    with pytest.raises(ValueError, match="does not hold a state dict"):
        load_vgg16(not_a_dict, device="cpu")


def test_unknown_weights_name_or_missing_file():
    with pytest.raises(ValueError, match="use 'imagenet', 'random' or the path of an existing"):
        load_vgg16("imagenett", device="cpu")
    with pytest.raises(TypeError, match="weights must be 'imagenet', 'random', a path or None"):
        load_vgg16(3, device="cpu")
    with pytest.raises(ValueError, match="device"):
        load_vgg16("random", device="tpu-please")


def test_environment_variable_chooses(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNCOURSE_WEIGHTS", "random")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_vgg16(device="cpu").cnncourse_weights == "random"
    monkeypatch.setenv("CNNCOURSE_WEIGHTS", "imagenet")
    with pytest.raises(WeightsUnavailableError, match="could not be downloaded"):
        load_vgg16(device="cpu")
    file = tmp_path / "w.pth"
    torch.save(other_features_state(), file)
    monkeypatch.setenv("CNNCOURSE_WEIGHTS", str(file))
    assert load_vgg16(device="cpu").cnncourse_weights == str(file)
    # an explicit argument wins over the variable
    assert load_vgg16("random", device="cpu").cnncourse_weights == "random"


def test_unset_falls_back_to_untrained_with_warning_and_banner(model, capfd):
    vgg._warn_untrained_once.cache_clear()
    with pytest.warns(UntrainedWeightsWarning, match="UNTRAINED") as caught:
        fallback = load_vgg16(device="cpu")
        again = load_vgg16(device="cpu")  # a second notebook cell: the banner again, no second warning
    assert len(caught) == 1
    assert fallback.cnncourse_weights == again.cnncourse_weights == "random"
    # The banner gives the reason in plain words; no download log or exception internals reach the page.
    assert fallback.cnncourse_weights_note == ("the ImageNet weights are not in torch's cache "
                                               "and could not be downloaded")
    printed = capfd.readouterr()
    assert "Downloading" not in printed.out + printed.err   # torch.hub prints it on stdout
    assert_same_state(fallback, model.state_dict())
    banner = weights_banner(fallback)
    assert not banner.trained
    html = weights_banner_html(banner)
    assert "these pictures come from an untrained network" in html
    assert 'role="alert"' in html and "download-weights" in html and "Why:" in html
    assert "UNTRAINED NETWORK" in repr(banner)


def test_unset_uses_imagenet_when_cached():
    path = imagenet_weights_path()
    path.parent.mkdir(parents=True)
    state = other_features_state()
    torch.save(state, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = load_vgg16(device="cpu")
    assert loaded.cnncourse_weights == "imagenet"
    assert_same_state(loaded, state, prefix="features.")


def test_banner_display_hook(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a))
    show_weights_banner(weights_banner("imagenet"))
    assert shown == []
    show_weights_banner(weights_banner("random"))
    assert "untrained network" in shown[0][0]["text/html"]


# -- the command line -----------------------------------------------------------


def test_download_weights_offline_gives_a_clear_error(offline, capsys):
    assert main(["download-weights"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "could not be downloaded" in err and "TORCH_HOME" in err
    assert offline  # the attempt was refused by the test's fake network


def test_download_weights_with_cached_file(capsys):
    path = imagenet_weights_path()
    path.parent.mkdir(parents=True)
    torch.save(other_features_state(), path)
    assert main(["download-weights"]) == 0
    assert str(path) in capsys.readouterr().out


def test_command_line_needs_a_command():
    with pytest.raises(SystemExit, match="2"):
        main([])


# -- feature maps -------------------------------------------------------------


def by_hand(model: nn.Sequential, image: np.ndarray, name: str) -> torch.Tensor:
    """Normalize as ImageNet and run features[:k] with plain PyTorch (k past the conv's ReLU)."""
    x = torch.tensor(image, dtype=torch.float32).permute(2, 0, 1) / 255
    x = (x - torch.tensor([0.485, 0.456, 0.406])[:, None, None]) / torch.tensor([0.229, 0.224, 0.225])[:, None, None]
    stop = VGG16_LAYERS[name] + (1 if name.endswith("pool") else 2)
    with torch.no_grad():
        return model[:stop](x[None])[0]


def test_feature_maps_equal_running_the_layers_by_hand(model):
    image = np.random.default_rng(1).integers(0, 256, (32, 40, 3), dtype=np.uint8)  # small: fast
    maps = feature_maps(model, image)
    assert list(maps) == NAMES
    for name in NAMES:
        expected = by_hand(model, image, name)
        assert maps[name].shape == expected.shape == layer_output_shape(name, height=32, width=40)
        torch.testing.assert_close(maps[name], expected, rtol=0, atol=0)
    assert (maps["block1_conv1"] >= 0).all()  # after the ReLU


def test_feature_maps_subset_order_and_no_hooks(model, image):
    def hook_count():
        return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())

    before = hook_count()
    first = feature_maps(model, image, ["block3_conv1", "block1_conv2"])
    second = feature_maps(model, image, ["block3_conv1", "block1_conv2"])
    assert hook_count() == before == 0
    assert list(first) == ["block3_conv1", "block1_conv2"]
    for name in first:
        assert torch.equal(first[name], second[name])
    single = feature_maps(model, image, "block2_pool")
    assert list(single) == ["block2_pool"]


def test_feature_maps_accept_every_image_kind(model, image, tmp_path):
    expected = feature_maps(model, image, "block1_conv2")["block1_conv2"]
    path = tmp_path / "img.png"
    Image.fromarray(image).save(path)
    rgba = np.dstack([image, np.full(image.shape[:2], 255, np.uint8)])
    tensor = torch.tensor(image).permute(2, 0, 1).float() / 255
    for source in [str(path), path, Image.fromarray(image), rgba, tensor, image / 255.0]:
        got = feature_maps(model, source, "block1_conv2")["block1_conv2"]
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
    gray = image[..., 0]
    from_gray = feature_maps(model, gray, "block1_conv1")["block1_conv1"]
    from_rgb = feature_maps(model, np.dstack([gray] * 3), "block1_conv1")["block1_conv1"]
    assert torch.equal(from_gray, from_rgb)
    torch.testing.assert_close(preprocess(torch.tensor(gray)[None].float() / 255),
                               preprocess(np.dstack([gray] * 3)))


def test_feature_maps_with_the_full_network(full_model, image):
    full = full_model
    maps = feature_maps(full, image, "block2_conv1")
    torch.testing.assert_close(maps["block2_conv1"], by_hand(full.features, image, "block2_conv1"),
                               rtol=0, atol=0)


def test_feature_maps_bad_input(model, image, tmp_path):
    with pytest.raises(ValueError, match="unknown layer 'conv1'.*block1_conv1, block1_conv2"):
        feature_maps(model, image, ["conv1"])
    with pytest.raises(ValueError, match="at least one layer"):
        feature_maps(model, image, [])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        feature_maps(model, tmp_path / "missing.jpg")
    text = tmp_path / "notes.jpg"
    text.write_text("this is not an image")
    with pytest.raises(ValueError, match="not an image"):
        feature_maps(model, text)
    with pytest.raises(ValueError, match=r"shape \(H, W\), \(H, W, 3\)"):
        feature_maps(model, np.zeros((8, 8, 5), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"shape \(3, H, W\)"):
        feature_maps(model, torch.zeros(2, 3, 8, 8))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        feature_maps(model, torch.full((3, 40, 40), 255.0))
    with pytest.raises(ValueError, match="needs at least 32x32"):
        feature_maps(model, np.zeros((20, 40, 3), dtype=np.uint8))
    # a small image is fine for the early layers
    assert feature_maps(model, np.zeros((20, 40, 3), dtype=np.uint8), "block1_pool")["block1_pool"].shape == (64, 10, 20)


def test_top_classes_bad_k(full_model):
    full = full_model
    with pytest.raises(ValueError, match="k must be"):
        top_classes(full, np.zeros((40, 40, 3), dtype=np.uint8), k=0)
    result = top_classes(full, np.zeros((40, 40, 3), dtype=np.uint8), k=5)
    assert len(result) == 5 and all(isinstance(n, str) and 0 <= p <= 1 for n, p in result)

"""Chapter 7's attribution maps against the libraries that define them: Captum and pytorch-grad-cam.

* saliency == ``captum.attr.Saliency(model).attribute(x, target, abs=True)``, max over channels
  (rtol 1e-5; the same gradient, computed the same way);
* SmoothGrad == the mean of that over the same noisy copies, drawn by hand (rtol 1e-5);
* occlusion == ``captum.attr.Occlusion`` on the softmax (mean over channels: Captum repeats
  the value over the channels), incremental and naive (absolute 5e-6 on probabilities for
  VGG16: float32 rounding differs between batch sizes and region sizes; 1e-6 for SmallCNN);
* incremental occlusion == naive occlusion within 1e-5 (absolute, probabilities), at 224x224 too;
* grad_cam == ``pytorch_grad_cam.GradCAM`` with ``ClassifierOutputTarget``, at the input's size
  (absolute 1e-5, see the note above those tests).

VGG16 is untrained (``CNNCOURSE_WEIGHTS=random``); its last layer is scaled up so that the
class probabilities differ by more than rounding (the occlusion maps compare probabilities).
Inputs are small (64x64 for most VGG16 checks) to keep the file quick on two cores.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
import torch
from captum.attr import Occlusion, Saliency
from PIL import Image
from pytorch_grad_cam import GradCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

from cnncourse import (SmallCNN, grad_cam, load_sample, load_vgg16, make_shapes, occlusion, preprocess,
                       saliency, train, train_val_split)
import cnncourse
from cnncourse.attribution import gradients as attribution
from cnncourse.attribution.incremental import IncrementalOcclusion

TARGET = 281  # any class of VGG16's 1000
RING = 5  # SHAPE_CLASSES.index("ring")


@pytest.fixture(scope="module")
def vgg():
    model = load_vgg16("random", include_top=True, device="cpu")
    with torch.no_grad():
        model.classifier[-1].weight.mul_(100.0)  # untrained logits are nearly equal: spread them
    return model


def _photo(side: int) -> np.ndarray:
    return np.asarray(Image.fromarray(load_sample("cat")).resize((side, side), Image.Resampling.BILINEAR))


@pytest.fixture(scope="module")
def photo():
    return _photo(64)


@pytest.fixture()
def small():
    torch.manual_seed(0)
    return SmallCNN()


@pytest.fixture(scope="module")
def shape_image():
    images, labels = make_shapes(12, seed=3)
    return images[labels == RING][0]  # a ring, (1, 32, 32) in [0, 1]


def _hooks(model: torch.nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks)
               + len(m._backward_pre_hooks) for m in model.modules())


# -- saliency and SmoothGrad ------------------------------------------------------------------

def test_saliency_equals_captum_on_vgg16(vgg, photo):
    x = preprocess(photo)
    theirs = Saliency(vgg).attribute(x.clone(), target=TARGET, abs=True).amax(1)[0].numpy()
    ours = saliency(vgg, photo, TARGET)
    assert ours.shape == (64, 64) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6 * theirs.max())
    np.testing.assert_array_equal(saliency(vgg, x, TARGET), ours)  # a preprocessed tensor is taken as it is


def test_saliency_equals_captum_on_a_small_cnn(small, shape_image):
    theirs = Saliency(small).attribute(shape_image[None].clone(), target=2, abs=True).amax(1)[0].numpy()
    np.testing.assert_allclose(saliency(small, shape_image, 2), theirs, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(saliency(small, shape_image[0], 2), theirs, rtol=1e-5, atol=1e-7)  # (H, W)


def test_smoothgrad_is_reproducible_and_depends_on_the_seed(small, shape_image):
    first = saliency(small, shape_image, 1, samples=5, seed=7)
    np.testing.assert_array_equal(first, saliency(small, shape_image, 1, samples=5, seed=7))
    assert not np.allclose(first, saliency(small, shape_image, 1, samples=5, seed=8))
    assert not np.allclose(first, saliency(small, shape_image, 1))
    plain = saliency(small, shape_image, 1)  # without noise, every copy is the image (batched: rounding)
    np.testing.assert_allclose(saliency(small, shape_image, 1, samples=3, noise=0.0), plain, rtol=1e-5,
                               atol=1e-6 * plain.max())


@pytest.mark.parametrize("budget", [None, 2 * 32 * 32])  # all copies in one batch, or batches of 2
def test_smoothgrad_is_the_mean_over_the_same_noisy_copies(small, shape_image, monkeypatch, budget):
    if budget is not None:
        monkeypatch.setattr(attribution, "PIXEL_BUDGET", budget)
    samples, noise, seed = 5, 0.2, 3
    x = shape_image[None]
    generator = torch.Generator().manual_seed(seed)
    sigma = noise * float(x.max() - x.min())
    by_hand = np.mean([
        Saliency(small).attribute(x + sigma * torch.randn(x.shape[1:], generator=generator), target=4,
                                  abs=True).amax(1)[0].numpy()
        for _ in range(samples)], axis=0)
    ours = saliency(small, shape_image, 4, samples=samples, noise=noise, seed=seed)
    np.testing.assert_allclose(ours, by_hand, rtol=1e-5, atol=1e-7)


def test_smoothgrad_on_vgg16_matches_the_mean_by_hand(vgg):
    image = _photo(32)
    x = preprocess(image)
    generator = torch.Generator().manual_seed(0)
    sigma = 0.15 * float(x.max() - x.min())
    # the two noisy copies go through the network as one batch, as saliency() sends them: a batch of one
    # may take another convolution algorithm, whose rounding can flip a max-pooling's choice of pixel
    noisy = x + sigma * torch.stack([torch.randn(x.shape[1:], generator=generator) for _ in range(2)])
    by_hand = Saliency(vgg).attribute(noisy, target=TARGET, abs=True).amax(1).mean(0).numpy()
    ours = saliency(vgg, image, TARGET, samples=2)
    np.testing.assert_allclose(ours, by_hand, rtol=1e-5, atol=1e-6 * by_hand.max())


# -- Grad-CAM ---------------------------------------------------------------------------------
# pytorch-grad-cam min-max scales ReLU(sum_c w_c A_c) (dividing by max + 1e-7), resizes it to the
# input with cv2.resize (bilinear, half-pixel centres) and min-max scales it again; ours resizes
# with torch (bilinear, align_corners=False) and scales once. Compared at the input's resolution,
# absolute tolerance 1e-5 (the 1e-7 and float32 interpolation rounding).

def _pytorch_grad_cam(model, module, x, target):
    # It needs a graph to the layer: VGG16's parameters do not require gradients, so the input must.
    with GradCAM(model=model, target_layers=[module]) as cam:
        return cam(input_tensor=x.clone().requires_grad_(True), targets=[ClassifierOutputTarget(target)])[0]


@pytest.mark.parametrize("layer, index", [("block5_conv3", 29), ("block4_conv3", 22), ("block3_pool", 16)])
def test_grad_cam_equals_pytorch_grad_cam_on_vgg16(vgg, photo, layer, index):
    theirs = _pytorch_grad_cam(vgg, vgg.features[index], preprocess(photo), TARGET)
    ours = grad_cam(vgg, photo, TARGET, layer=layer)
    assert ours.shape == (64, 64) and ours.dtype == np.float32
    assert ours.min() == 0 and ours.max() == 1
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_array_equal(grad_cam(vgg, photo, TARGET, layer=vgg.features[index]), ours)
    np.testing.assert_array_equal(grad_cam(vgg, photo, TARGET, layer=f"features.{index}"), ours)


@pytest.mark.parametrize("layer", ["relu1", "relu2", "relu3", "conv3"])
def test_grad_cam_equals_pytorch_grad_cam_on_a_small_cnn(small, shape_image, layer):
    theirs = _pytorch_grad_cam(small, getattr(small, layer), shape_image[None], RING)
    np.testing.assert_allclose(grad_cam(small, shape_image, RING, layer=layer), theirs, atol=1e-5)


def test_grad_cam_of_a_trained_small_cnn_is_higher_on_the_ring_than_on_the_background():
    # At relu2 (16x16). At relu3, just before the position-specific linear layer, the spatial mean
    # of the gradient is a poor weight: the map of a well-trained network can be all zero there.
    torch.manual_seed(0)
    model = SmallCNN()
    train(model, train_val_split(*make_shapes(1200, seed=0)), epochs=5, progress=False)
    yy, xx = np.mgrid[0:32, 0:32] + 0.5
    rng = np.random.default_rng(1)
    on_ring, off_ring = [], []
    for _ in range(8):  # clean rings like make_shapes' (anti-aliased stroke 2 pixels wide)
        radius = rng.uniform(5, 10)
        centre = rng.uniform(radius + 3, 32 - radius - 3, size=2)
        stroke = np.clip(1.5 - np.abs(np.hypot(yy - centre[0], xx - centre[1]) - radius), 0, 1)
        heat = grad_cam(model, torch.tensor(0.15 + 0.75 * stroke, dtype=torch.float32), RING, layer="relu2")
        on_ring.append(heat[stroke > 0.5].mean())
        off_ring.append(heat[stroke == 0].mean())
    assert all(a > b for a, b in zip(on_ring, off_ring)), (on_ring, off_ring)
    assert np.mean(on_ring) > 2 * np.mean(off_ring), (on_ring, off_ring)


# -- occlusion ----------------------------------------------------------------------------------

def _captum_occlusion(model, x, target, window, stride, baseline):
    found = Occlusion(lambda batch: model(batch).softmax(1)).attribute(
        x, sliding_window_shapes=(x.shape[1], window, window), strides=(x.shape[1], stride, stride),
        baselines=baseline, target=target)[0]
    assert torch.equal(found, found[:1].expand_as(found))  # the same value in every channel
    return found.mean(0).numpy()


def _top_class(model, image) -> int:
    with torch.no_grad():
        return int(model(preprocess(image)).argmax())


@pytest.mark.parametrize("window, stride, baseline", [(32, 16, 0.0), (24, 16, 0.5)])
def test_occlusion_equals_captum_on_vgg16(vgg, photo, window, stride, baseline):
    # (24, 16): starts 0, 16, 32, 48, the last window cut by the border, as in Captum.
    target = _top_class(vgg, photo)  # a probable class: hiding parts of the image changes it
    theirs = _captum_occlusion(vgg, preprocess(photo), target, window, stride, baseline)
    assert np.abs(theirs).max() > 1e-2  # the probability does move
    ours = occlusion(vgg, photo, target, window=window, stride=stride, baseline=baseline, progress=False)
    assert ours.shape == (64, 64) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=5e-6)
    if baseline == 0:
        naive = occlusion(vgg, photo, target, window=window, stride=stride, incremental=False, progress=False)
        np.testing.assert_allclose(naive, theirs, rtol=0, atol=5e-6)


def test_occlusion_equals_captum_on_a_small_cnn(small, shape_image):
    theirs = _captum_occlusion(small, shape_image[None], RING, 8, 4, 0.0)
    np.testing.assert_allclose(occlusion(small, shape_image, RING, window=8, stride=4), theirs, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(occlusion(small, shape_image, RING, window=8, stride=4, incremental=False),
                                  occlusion(small, shape_image, RING, window=8, stride=4))  # no incremental path


@pytest.mark.parametrize("size, window, stride", [((45, 61), 13, 9), ((48, 40), 16, 12), ((40, 40), 40, 1)])
def test_incremental_occlusion_equals_naive(vgg, size, window, stride):
    # Odd sizes: poolings drop a row or column; odd offsets; windows cut by the border.
    image = np.asarray(Image.fromarray(load_sample("cat")).resize(size[::-1]))
    target = _top_class(vgg, image)
    fast = occlusion(vgg, image, target, window=window, stride=stride, progress=False)
    naive = occlusion(vgg, image, target, window=window, stride=stride, incremental=False, progress=False)
    assert fast.shape == size and np.abs(naive).max() > 1e-3
    np.testing.assert_allclose(fast, naive, rtol=0, atol=1e-5)


def test_incremental_probabilities_equal_naive_ones_at_224(vgg):
    # Nine windows of side 45 at 224x224, chosen for the hard cases: at the borders (the regions
    # are moved inside the maps), at odd offsets, cut by the border (190 + 45 > 224).
    image = _photo(224)
    x, target, side = preprocess(image), _top_class(vgg, image), 45
    rows, cols = [0, 45, 180], [0, 99, 190]
    with torch.no_grad():
        fast = IncrementalOcclusion(vgg, x).probabilities(target, rows, cols, side, 0.0)
        batch = x.repeat(9, 1, 1, 1)
        for i, (row, col) in enumerate((r, c) for r in rows for c in cols):
            batch[i, :, row:row + side, col:col + side] = 0.0
        naive = torch.cat([vgg(part).softmax(1)[:, target] for part in batch.split(3)])
    assert float((naive - naive.mean()).abs().max()) > 1e-3
    torch.testing.assert_close(fast, naive, rtol=0, atol=1e-5)


# -- the model is left as it was ----------------------------------------------------------------

def _calls(model, image, target):
    return [lambda: saliency(model, image, target), lambda: saliency(model, image, target, samples=2),
            lambda: grad_cam(model, image, target, layer="relu2" if isinstance(model, SmallCNN) else "block5_conv3"),
            lambda: occlusion(model, image, target, window=32, stride=32, progress=False)]


@pytest.mark.parametrize("which", ["vgg", "small"])
def test_no_hook_gradient_or_mode_change_survives_a_call(vgg, small, photo, shape_image, which):
    model, image, target = (vgg, photo, TARGET) if which == "vgg" else (small, shape_image, RING)
    flags = [p.requires_grad for p in model.parameters()]
    hooks = _hooks(model)
    model.train()
    try:
        for call in _calls(model, image, target):
            call()
        bad = 10_000  # a class the model does not have: raises after the forward pass
        for call in _calls(model, image, bad):
            with pytest.raises(ValueError, match="target must be a class index from 0 to"):
                call()
        assert model.training  # eval mode during the calls only
    finally:
        model.eval()
    assert _hooks(model) == hooks
    assert [p.requires_grad for p in model.parameters()] == flags
    assert all(p.grad is None for p in model.parameters())


def test_bad_input_is_refused_with_the_parameter_named(vgg, small, photo, shape_image):
    with pytest.raises(ValueError, match=r"target must be a class index from 0 to 999 .* got -1"):
        saliency(vgg, photo, -1)
    with pytest.raises(ValueError, match="target must be a class index from 0 to 5 "):
        grad_cam(small, shape_image, 6, layer="relu3")
    with pytest.raises(TypeError, match="target must be a class index"):
        occlusion(small, shape_image, 1.5)
    with pytest.raises(ValueError, match="unknown layer 'block6_conv1'; valid layers are block1_conv1"):
        grad_cam(vgg, photo, 0, layer="block6_conv1")
    with pytest.raises(ValueError, match="unknown layer 'relu4'; valid layers are conv1, relu1, pool1"):
        grad_cam(small, shape_image, 0, layer="relu4")
    with pytest.raises(ValueError, match="layer must be a module inside model"):
        grad_cam(small, shape_image, 0, layer=torch.nn.ReLU())
    with pytest.raises(ValueError, match=r"layer 'flatten' must output feature maps \(1, C, h, w\)"):
        grad_cam(small, shape_image, 0, layer="flatten")
    with pytest.raises(ValueError, match="window must be at most the image's shorter side, 32 pixels"):
        occlusion(small, shape_image, 0, window=33)
    with pytest.raises(ValueError, match="window must be >= 1"):
        occlusion(small, shape_image, 0, window=0)
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        occlusion(small, shape_image, 0, window=8, stride=0)
    with pytest.raises(ValueError, match=r"stride must be from 1 to window \(8\)"):
        occlusion(small, shape_image, 0, window=8, stride=9)
    with pytest.raises(ValueError, match="baseline must be a finite number"):
        occlusion(small, shape_image, 0, baseline=float("nan"))
    with pytest.raises(ValueError, match="samples must be >= 0, got -1"):
        saliency(small, shape_image, 0, samples=-1)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        saliency(small, shape_image, 0, samples=2, noise=-0.1)
    with pytest.raises(ValueError, match=r"image tensor must have shape \(H, W\), \(C, H, W\) or \(1, C, H, W\)"):
        saliency(small, torch.zeros(2, 1, 32, 32), 0)
    with pytest.raises(TypeError, match="image tensor must be float"):
        saliency(small, torch.zeros(1, 32, 32, dtype=torch.uint8), 0)
    with pytest.raises(TypeError, match=r"progress must be True, False or a callable progress\(done, total\), got 'on"):
        occlusion(small, shape_image, 0, window=8, stride=8, progress="on")
    with pytest.raises(TypeError, match=r"progress must be None or a callable progress\(done, total\), got True"):
        saliency(small, shape_image, 0, progress=True)


def test_a_progress_callback_hears_every_step_and_nothing_is_written(small, vgg, photo, shape_image, capfd):
    heard = []
    report = lambda done, total: heard.append((done, total))  # noqa: E731
    same = saliency(small, shape_image, 0, samples=5, progress=report)
    assert heard == [(0, 5), (5, 5)] and np.array_equal(same, saliency(small, shape_image, 0, samples=5))
    heard.clear()
    saliency(small, shape_image, 0, progress=report)
    assert heard == [(0, 1), (1, 1)]
    for model, image, windows in ((small, shape_image, 9), (vgg, photo, 49)):  # run whole; incremental
        heard.clear()
        heat = occlusion(model, image, 0, window=16, stride=8, progress=report)
        assert heard[0] == (0, windows) and heard[-1] == (windows, windows), heard
        assert [done for done, _ in heard] == sorted(done for done, _ in heard)
        assert np.array_equal(heat, occlusion(model, image, 0, window=16, stride=8, progress=False))
    assert capfd.readouterr() == ("", "")


def test_no_public_name_is_also_a_module_name():
    # Importing cnncourse.occlusion (a module) would set the package's attribute 'occlusion' to the
    # module, hiding the function that the lazy __getattr__ would have given: hence occlusion_maps.
    package = Path(cnncourse.__file__).parent
    clashes = [name for name in cnncourse.__all__ if (package / f"{name}.py").exists()
               or (package / name / "__init__.py").exists()]
    assert not clashes, clashes
    importlib.import_module("cnncourse.attribution.occlusion")
    assert callable(cnncourse.occlusion) and cnncourse.occlusion is occlusion

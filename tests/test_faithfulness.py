"""Integrated gradients against Captum; deletion and insertion curves exact on a hand-made model; the wording."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients as CaptumIG
from torch import nn

from cnncourse import (
    SmallCNN,
    baseline_image,
    deletion_curve,
    insertion_curve,
    integrated_gradients,
    random_map,
)
from cnncourse.figures import fooling_wording as words
from cnncourse.attribution.faithfulness import pixel_ranks


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return SmallCNN().eval()


@pytest.mark.parametrize("baseline", ["black", "blur", "noise"])
def test_integrated_gradients_equals_captum_with_the_midpoint_rule(net, baseline):
    image = torch.rand(1, 32, 32, generator=torch.Generator().manual_seed(2))
    ours = integrated_gradients(net, image, 3, baseline=baseline, steps=16, seed=5)
    base = baseline_image(image[None], baseline, seed=5)
    theirs = CaptumIG(net).attribute(image[None], baselines=base, target=3, n_steps=16, method="riemann_middle")
    assert np.allclose(ours.attributions, theirs[0].detach().numpy(), atol=1e-5, rtol=0)
    assert np.allclose(ours.map, ours.attributions.sum(0), atol=1e-6)
    assert abs(ours.total - ours.difference) == pytest.approx(ours.error)


def test_completeness_is_exact_for_a_linear_model_and_improves_with_steps(net):
    linear = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    image = torch.rand(1, 4, 4)
    assert integrated_gradients(linear, image, 1, steps=1).error < 1e-5
    ring = torch.rand(1, 32, 32, generator=torch.Generator().manual_seed(3))
    coarse, fine = (integrated_gradients(net, ring, 0, steps=n).error for n in (1, 64))
    assert fine < coarse


def test_baselines_by_name_and_bad_ones():
    image = torch.full((1, 3, 8, 8), 0.25)
    assert torch.equal(baseline_image(image, "black"), torch.zeros_like(image))
    assert torch.allclose(baseline_image(image, "blur"), image)
    other = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    noise = baseline_image(other, "noise", seed=1)
    assert torch.equal(noise, baseline_image(other, "noise", seed=1))
    assert other.min() <= noise.min() and noise.max() <= other.max()
    with pytest.raises(ValueError, match="unknown baseline 'grey'; valid values are 'black', 'blur', 'noise'"):
        baseline_image(image, "grey")
    with pytest.raises(ValueError, match="baseline must broadcast"):
        baseline_image(image, torch.zeros(2, 5))
    with pytest.raises(ValueError, match="steps must be >= 1"):
        integrated_gradients(SmallCNN(), torch.rand(1, 32, 32), 0, steps=0)


# -- Deletion and insertion on a model whose answer is known ---------------------------------------------
W = torch.arange(1.0, 17.0).view(4, 4) / 8          # class 0's weight of each pixel; class 1 scores 0


def linear_model():
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 2))
    with torch.no_grad():
        model[1].weight.copy_(torch.stack([W.flatten(), torch.zeros(16)]))
        model[1].bias.copy_(torch.tensor([-4.0, 0.0]))
    return model


def expected_curve(x, order, steps, deleting):
    """The reference: one image per step, pixels changed one at a time in ``order`` (a plain loop)."""
    p = []
    for k in range(steps + 1):
        changed = np.zeros(16, dtype=bool)
        changed[order[: k * 16 // steps]] = True
        values = np.where(changed, 0.0, x.flatten()) if deleting else np.where(changed, x.flatten(), 0.0)
        score = float(values @ W.flatten().numpy()) - 4.0
        p.append(1 / (1 + np.exp(-score)))       # softmax of (score, 0) for class 0
    p = np.array(p)
    return p, float(np.sum((p[1:] + p[:-1]) / 2) / steps)


@pytest.mark.parametrize("steps", [1, 4, 16])
def test_curves_are_exact_on_a_linear_model(steps):
    x = torch.rand(1, 4, 4, generator=torch.Generator().manual_seed(0))
    saliency_map = (W * x[0]).numpy()                  # the exact contribution of each pixel
    order = np.argsort(-saliency_map.flatten(), kind="stable")
    for curve, deleting in ((deletion_curve(linear_model(), x, 0, saliency_map, steps=steps), True),
                            (insertion_curve(linear_model(), x, 0, saliency_map, steps=steps, baseline="black"),
                             False)):
        p, auc = expected_curve(x.numpy(), order, steps, deleting)
        assert np.allclose(curve.probabilities, p, atol=1e-6)
        assert curve.auc == pytest.approx(auc, abs=1e-6)
        assert np.allclose(curve.fractions, np.arange(steps + 1) / steps)
        trend = np.diff(curve.probabilities)
        assert (trend <= 1e-9).all() if deleting else (trend >= -1e-9).all()   # every weight and pixel is >= 0


def test_the_exact_map_beats_the_random_one_and_its_reverse_loses():
    x = torch.rand(1, 4, 4, generator=torch.Generator().manual_seed(0))
    exact = (W * x[0]).numpy()
    aucs = [deletion_curve(linear_model(), x, 0, m, steps=16).auc for m in (exact, random_map((4, 4)), -exact)]
    assert aucs[0] < aucs[1] < aucs[2]


def test_pixel_ranks_break_ties_row_by_row():
    assert pixel_ranks(np.zeros((2, 2))).tolist() == [[0, 1], [2, 3]]


@pytest.mark.parametrize("kwargs, message", [
    (dict(saliency_map=np.zeros((3, 4))), r"saliency_map must have the image's height and width \(4, 4\)"),
    (dict(saliency_map=np.full((4, 4), np.nan)), "saliency_map contains NaN"),
    (dict(steps=0), "steps must be between 1 and 16"),
    (dict(steps=17), "steps must be between 1 and 16"),
    (dict(baseline="white"), "unknown baseline 'white'"),
])
def test_bad_curve_input_names_the_parameter(kwargs, message):
    arguments = dict(saliency_map=np.zeros((4, 4)), steps=4) | kwargs
    with pytest.raises(ValueError, match=message):
        deletion_curve(linear_model(), torch.rand(1, 4, 4), 0, **arguments)


def test_curves_leave_the_model_as_it_was(net):
    net.train()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    deletion_curve(net, torch.rand(1, 32, 32), 1, random_map((32, 32)), steps=4)
    integrated_gradients(net, torch.rand(1, 32, 32), 1, steps=4)
    assert net.training and all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert all(p.grad is None for p in net.parameters())
    net.eval()


# -- The wording: every branch ------------------------------------------------------------------------
def test_attack_and_control_verdicts():
    assert words.attack_verdict("PGD", 0.3, 0.9, 400).startswith("PGD lowered the accuracy far more")
    assert words.attack_verdict("PGD", 0.88, 0.9, 400).startswith("PGD did not lower")
    assert "no more than chance" in words.control_verdict(0.92, 0.93, 400)
    assert "lowered the accuracy too" in words.control_verdict(0.5, 0.93, 400)
    assert "raised" in words.control_verdict(0.99, 0.8, 400)
    with pytest.raises(ValueError, match="images must be a whole number >= 1"):
        words.attack_verdict("FGSM", 0.1, 0.2, 0)


def test_map_verdicts():
    assert words.verdict_over_images([-0.2, -0.3, -0.25], lower_is_better=True) == "better"
    assert words.verdict_over_images([-0.2, -0.3, -0.25], lower_is_better=False) == "worse"
    assert words.verdict_over_images([-0.2, 0.3, 0.0], lower_is_better=True) == "about the same"
    assert words.verdict_over_images([0.5], lower_is_better=True) == "about the same"
    assert words.verdict_against_randoms(0.1, [0.2, 0.3], lower_is_better=True) == "better"
    assert words.verdict_against_randoms(0.4, [0.2, 0.3], lower_is_better=True) == "worse"
    assert words.verdict_against_randoms(0.25, [0.2, 0.3], lower_is_better=False) == "about the same"
    assert words.faithfulness_summary({"a": ("better", "about the same"), "b": ("worse", "worse")}) == (
        "Of the 2 maps, 0 beat the random map on both curves, 1 on one of them and 1 on neither.")
    with pytest.raises(ValueError, match="randoms must hold"):
        words.verdict_against_randoms(0.1, [0.2], lower_is_better=True)


def test_caveats_and_the_fooled_map():
    assert words.photo_caveat(True, True).startswith("These weights are untrained")
    assert words.photo_caveat(False, False).startswith("On this photo the class probability hardly moved")
    assert words.photo_caveat(False, True).startswith("This is one photo")
    assert "barely shows" in words.fooled_map_sentence(0.7, 0.2)
    assert "as much as a different image" in words.fooled_map_sentence(0.1, 0.2)
    with pytest.raises(ValueError, match="correlations in"):
        words.fooled_map_sentence(2.0, 0.1)

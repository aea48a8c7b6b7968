"""Chapter 7's numbers for judging maps, and the one way chapters 6 and 7 prepare the photo.

* rank_correlation == scipy.stats.spearmanr (ties included); NaN, without a warning, for a
  constant map (an all-zero Grad-CAM), which ``max`` and ``<`` would otherwise skip silently;
* mask_contrast == the two means divided by hand; NaN for an empty map;
* prepare_photo == torchvision's ImageNet evaluation (resize 256, centre crop 224) within
  rounding, and top_classes ranks exactly what preprocess(prepare_photo(photo)) gives;
* both chapters call prepare_photo on the same photo.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from cnncourse import (grad_cam, imagenet_categories, is_constant, load_sample, load_vgg16, mask_contrast,
                       prepare_photo, preprocess, rank_correlation, top_classes)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("seed", [0, 1])
def test_rank_correlation_is_spearmans(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, (12, 12)).astype(float)          # many ties
    b = a + rng.normal(size=a.shape)
    assert rank_correlation(a, b) == pytest.approx(spearmanr(a.ravel(), b.ravel()).statistic, abs=1e-12)
    assert rank_correlation(a, a) == pytest.approx(1.0)
    assert rank_correlation(a, -a) == pytest.approx(-1.0)


def test_a_constant_map_gives_nan_without_a_warning():
    a = np.random.default_rng(0).random((8, 8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # np.corrcoef would warn here
        assert math.isnan(rank_correlation(a, np.zeros((8, 8))))
        assert math.isnan(rank_correlation(np.full((8, 8), 3.0), a))
        assert math.isnan(mask_contrast(np.zeros((8, 8)), a > 0.5))
    assert is_constant(np.zeros((8, 8))) and not is_constant(a)
    # nan compares False both ways: a caller must test for it, as chapter 7 does
    assert not (rank_correlation(a, np.zeros((8, 8))) > 0.5) and not (rank_correlation(a, np.zeros((8, 8))) <= 0.5)


def test_an_untrained_grad_cam_can_be_empty_and_is_flagged():
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
                              torch.nn.Linear(2 * 8 * 8, 3))
    with torch.no_grad():
        net[0].weight.fill_(1.0), net[0].bias.zero_(), net[3].weight.fill_(-1.0), net[3].bias.zero_()
    cam = grad_cam(net, torch.rand(1, 8, 8), 0, layer="1")     # every channel speaks against the class
    assert is_constant(cam) and math.isnan(rank_correlation(cam, np.random.default_rng(0).random((8, 8))))


def test_mask_contrast():
    values = np.array([[4.0, 2.0], [1.0, 1.0]])
    mask = np.array([[True, True], [False, False]])
    assert mask_contrast(values, mask) == pytest.approx(3.0)
    assert mask_contrast(np.stack([values, values]), np.stack([mask, mask])) == pytest.approx(3.0)
    assert mask_contrast(np.array([1.0, 0.0]), np.array([True, False])) == math.inf


@pytest.mark.parametrize("call, error, match", [
    (lambda: rank_correlation(np.zeros(3), np.zeros(4)), ValueError, "same shape"),
    (lambda: rank_correlation([1.0, np.nan], [1.0, 2.0]), ValueError, "NaN or infinite"),
    (lambda: rank_correlation([], []), ValueError, "at least one value"),
    (lambda: rank_correlation(["a"], ["b"]), TypeError, "numeric"),
    (lambda: mask_contrast(np.ones(2), np.array([True, True])), ValueError, "True for some values"),
    (lambda: mask_contrast(np.ones(2), np.array([1, 0])), TypeError, "booleans"),
    (lambda: mask_contrast(np.array([-1.0, 1.0]), np.array([True, False])), ValueError, "non-negative"),
    (lambda: prepare_photo(torch.zeros(3, 8, 8)), TypeError, "tensor"),
    (lambda: prepare_photo(np.zeros((8, 8, 3), np.uint8), side=0), ValueError, "side"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_prepare_photo_is_imagenets_evaluation_crop():
    from torchvision.transforms import functional as TF

    photo = load_sample("cat")
    square = prepare_photo(photo)
    reference = TF.center_crop(TF.resize(torch.from_numpy(photo.copy()).permute(2, 0, 1), 256, antialias=True), [224, 224])
    assert square.shape == (224, 224, 3) and square.dtype == np.uint8
    difference = np.abs(square.astype(int) - reference.permute(1, 2, 0).numpy().astype(int))
    assert difference.max() <= 2 and difference.mean() < 0.5  # PIL and torchvision round differently
    assert np.array_equal(prepare_photo(square), square)      # preparing twice changes nothing
    assert prepare_photo(np.zeros((300, 200, 3), np.uint8), side=32).shape == (32, 32, 3)


def test_top_classes_ranks_the_prepared_photo():
    net = load_vgg16("random", include_top=True, device="cpu")
    photo = load_sample("cat")
    with torch.no_grad():
        probabilities = torch.softmax(net(preprocess(prepare_photo(photo)))[0], dim=0)
    values, indices = probabilities.topk(5)
    expected = [(imagenet_categories()[int(i)], float(v)) for v, i in zip(values, indices)]
    assert top_classes(net, photo, k=5) == expected
    assert top_classes(net, prepare_photo(photo), k=5) == expected


def test_chapters_6_and_7_prepare_the_photo_the_same_way():
    for page, call in (("06_feature_maps", "top_classes(classifier, cat"),
                       ("07_where_the_network_looks", "preprocess(cat)")):
        code = "\n".join(c.source for c in nbformat.read(ROOT / "chapters" / f"{page}.ipynb", 4).cells
                         if c.cell_type == "code")
        assert 'photo = load_sample("cat")' in code and "= prepare_photo(photo)" in code, page
        assert call in code, page                              # ... and classify what it returns


# Chapter 7's checkers: each plausible wrong answer is rejected with a message that names the slip.
WRONG_ANSWERS = [
    ("check_occlusion_windows", 144, [(12, "one side"), (169, "32x32"), (196, "inside the photo"),
                                      (121, "missing"), (144.5, "whole number"), ("144", "whole number"),
                                      (True, "whole number")]),
    ("check_grad_cam_by_hand", [[2.5, 0], [1.5, 4]], [([[2.5, -1], [1.5, 4]], "positive part"),
                                                       ([[5, 0], [1, 7]], "its own gradient"),
                                                       ([[3, 0], [1.5, 4.5]], "before the sum"),
                                                       ([[10, 0], [6, 16]], "not the sum"),
                                                       ([[0.625, 0], [0.375, 1]], "scaled"),
                                                       ([[2.5, 1.5], [0, 4]], "swapped"),
                                                       ([2.5, 0, 1.5, 4], "shape")]),
    ("check_sanity_check", ["Q", "R"], [(["R"], "Not all"), (["Q"], "Not all"), ([], "Not all"),
                                        (["P", "Q", "R"], "changed completely"), (["P"], "changed completely"),
                                        ("QR", "list of letters"), (["S"], "not one of")]),
]


@pytest.mark.parametrize("name, right, wrong", WRONG_ANSWERS, ids=[w[0] for w in WRONG_ANSWERS])
def test_chapter_7_checkers_reject_plausible_wrong_answers(name, right, wrong):
    from cnncourse import exercises

    check = getattr(exercises, name)
    assert check(right).correct is True
    assert check(None).correct is None
    for answer, hint in wrong:
        verdict = check(answer)
        assert verdict.correct is False and hint in verdict.message, (answer, verdict)

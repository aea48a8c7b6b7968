"""The words a measured number chooses (cnncourse.figures.wording): every branch, every boundary, bad input."""

from __future__ import annotations

import itertools

import pytest

from cnncourse import (order_words, pooling_verdict, sanity_agreement, sanity_sentence, speckle_verdict,
                       stroke_verdict, time_ratio_words)
from cnncourse.i18n.translate import tr


@pytest.mark.parametrize("ratio, words", [
    (0.67, "was 1.5 times as fast"),      # the case of issue 22: not "about as long"
    (1 / 1.1, "was 1.1 times as fast"),
    (0.95, "took about as long"),
    (1.0, "took about as long"),
    (1.09, "took about as long"),
    (1.1, "took 1.1 times as long"),
    (2.0, "took 2.0 times as long"),
    (250.0, "took 250.0 times as long"),
])
def test_time_ratio_words_follow_the_number(ratio, words):
    assert time_ratio_words(ratio) == words


def test_time_ratio_words_never_say_one_times_and_the_margin_can_change():
    for ratio in (0.5, 0.8, 0.9, 0.905, 0.92, 1.08, 1.1, 1.2, 3):
        assert "1.0 times" not in time_ratio_words(ratio)
    assert time_ratio_words(1.3, within=0.5) == "took about as long"
    assert time_ratio_words(0.5, within=0.5) == "was 2.0 times as fast"


@pytest.mark.parametrize("value, words", [(0.67, "far below"), (47.9, "far below"), (48, "of the same order as"),
                                          (192, "of the same order as"), (768, "of the same order as"),
                                          (769, "far above")])
def test_order_words(value, words):
    assert order_words(value, 192) == words


@pytest.mark.parametrize("call, error, match", [
    (lambda: time_ratio_words(0), ValueError, "ratio must be a finite number > 0, got 0"),
    (lambda: time_ratio_words(float("nan")), ValueError, "ratio must be a finite number > 0"),
    (lambda: time_ratio_words("fast"), TypeError, "ratio must be a number, got str"),
    (lambda: time_ratio_words(2, within=-1), ValueError, "within must be a finite number > 0"),
    (lambda: order_words(1, 0), ValueError, "reference must be a finite number > 0"),
    (lambda: order_words(1, 2, factor=0.5), ValueError, "factor must be >= 1"),
    (lambda: pooling_verdict((1.0, 0.5), (1.0,), (0.5, 0.5)), ValueError, "unpooled must be"),
    (lambda: pooling_verdict((1.0, 0.5), (1.2, 0.5), (0.5, 0.5)), ValueError, "between 0 and 1"),
    (lambda: pooling_verdict((1, 0.5), (1, 0.5), (0.5, 0.5), same=0), ValueError, "same must be between 0 and 1"),
])
def test_bad_input_names_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()


# (pooled, unpooled, control) as (training, validation) accuracy, and the start of each sentence
CASES = [
    # issue 22's run: pooling narrows the gap, the control narrows it even more, but fits less
    (((1.0, 0.88), (1.0, 0.47), (0.70, 0.74)),
     ("clearly narrower", "only because it learns less", "cause stays open", "network with pooling")),
    (((1.0, 0.88), (1.0, 0.47), (0.98, 0.95)),
     ("clearly narrower", "even narrower than the pooled", "about as well", "control is")),
    (((1.0, 0.88), (1.0, 0.47), (0.98, 0.85)),
     ("clearly narrower", "about as narrow as the pooled", "about as well", "network with pooling")),
    (((1.0, 0.88), (1.0, 0.47), (1.0, 0.70)),
     ("clearly narrower", "part of the narrower gap", "about as well", "network with pooling")),
    (((0.9, 0.88), (1.0, 0.47), (1.0, 0.50)),
     ("clearly narrower", "does not narrow the gap", "better than", "network with pooling")),
    (((1.0, 0.60), (1.0, 0.62), (0.9, 0.85)),
     ("no clear difference", "clearly narrower gap than the network without pooling, but", "cause stays open",
      "the control is")),
    (((1.0, 0.60), (1.0, 0.62), (1.0, 0.85)),
     ("no clear difference", "helped where pooling did not", "about as well", "the control is")),
    (((1.0, 0.88), (1.0, 0.47), (0.90, 0.80)),
     ("clearly narrower", "only because it learns less", "cause stays open", "network with pooling")),
    (((1.0, 0.60), (1.0, 0.62), (1.0, 0.61)),
     ("no clear difference", "neither pooling nor", "about as well", "without pooling is")),
    (((1.0, 0.40), (1.0, 0.62), (1.0, 0.62)),
     ("clearly wider", "neither pooling nor", "about as well", "tied")),
]


@pytest.mark.parametrize("accuracies, starts", CASES)
def test_pooling_verdict_says_what_the_numbers_show(accuracies, starts):
    verdict = pooling_verdict(*accuracies)
    for part, words in zip(("effect", "cause", "fit", "best"), starts):
        assert words in verdict[part], (part, verdict[part])


def test_every_pooling_verdict_is_a_sentence_with_a_chinese_translation(monkeypatch):
    grid = [0.3, 0.6, 0.9, 1.0]
    seen = set()
    for values in itertools.product(grid, repeat=6):
        pairs = [(values[i], values[i + 1]) for i in (0, 2, 4)]
        for part, sentence in pooling_verdict(*pairs).items():
            assert sentence.endswith(".") and "{" not in sentence
            seen.add(sentence)
    assert len(seen) == 3 + 8 + 4 + 4  # every branch of every part is reached
    monkeypatch.setenv("CNNCOURSE_LANG", "zh")
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")
    for sentence in seen | {time_ratio_words(0.5), time_ratio_words(1), time_ratio_words(3), order_words(1, 1000),
                            order_words(1000, 1), order_words(1, 1)}:
        assert tr(sentence) != sentence


# -- chapter 7: each verdict beside its control, every branch and its Chinese ------------------

NAN = float("nan")
CHAPTER_7 = [
    (speckle_verdict(0.9, 4), "did not lower"), (speckle_verdict(3.9, 4), "about that size"),
    (speckle_verdict(3.2, 4), "about that size"), (speckle_verdict(3.1, 4), "smaller"),
    (speckle_verdict(5.0, 4), "about that size"), (speckle_verdict(5.1, 4), "larger"),
    (stroke_verdict("saliency", 1.0, 207), "Training concentrated"),
    (stroke_verdict("saliency", 0.56, 207), "about as much"),       # inside 0.5 +- 1/sqrt(207) = 0.07
    (stroke_verdict("Grad-CAM relu3", 0.2, 207), "did not concentrate"),
    (stroke_verdict("Grad-CAM relu3", 0.56, 100), "about as much"),
    (sanity_sentence("saliency", NAN, 0.2, untrained=True), "empty"),    # an empty map says nothing, trained or not
    (sanity_sentence("Grad-CAM", 1.0, 0.8, untrained=True), "cannot be run"),
    (sanity_sentence("Grad-CAM", 0.5, 0.2, untrained=False), "agree more than the control"),
    (sanity_sentence("saliency", 0.2, 0.2, untrained=False), "agree no more than the control"),
    (sanity_agreement(["saliency", "Grad-CAM"], ["saliency", "Grad-CAM"], untrained=True), "no trained network"),
    (sanity_agreement(["saliency", "Grad-CAM"], ["saliency", "Grad-CAM"], untrained=False), "both maps"),
    (sanity_agreement(["saliency", "Grad-CAM"], [], untrained=False), "not agree for either"),
    (sanity_agreement(["saliency", "Grad-CAM"], ["Grad-CAM"], untrained=False), "Grad-CAM map only"),
]


@pytest.mark.parametrize("sentence, words", CHAPTER_7, ids=[w for _, w in CHAPTER_7])
def test_chapter_7_verdicts_follow_the_numbers_and_have_their_chinese(sentence, words, monkeypatch):
    assert words in sentence and sentence.endswith(".")
    monkeypatch.setenv("CNNCOURSE_LANG", "zh")
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")
    assert tr(sentence) != sentence


@pytest.mark.parametrize("call, match", [
    (lambda: speckle_verdict(0, 4), "drop must be a finite number > 0"),
    (lambda: stroke_verdict("saliency", 1.5, 207), "ahead must be a share"),
    (lambda: stroke_verdict("saliency", 0.5, 0), "rings must be a finite number > 0"),
    (lambda: sanity_agreement(["saliency"], [], untrained=False), "methods must be two names"),
    (lambda: sanity_agreement(["saliency", "Grad-CAM"], ["occlusion"], untrained=False), "passed some of them"),
])
def test_chapter_7_verdicts_name_a_bad_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()

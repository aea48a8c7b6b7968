"""Words chosen from measured numbers, for the sentences the chapters glue into their text.

A sentence that draws a conclusion from a measurement ("the convolution was
faster", "the gap is narrower with pooling") must be true for every outcome:
on any machine, and with trained or untrained weights. So the chapters do not
type such words; these functions choose them from the numbers, with their
thresholds written down here and tested on every branch
(``tests/test_wording.py``). The words are English; :func:`cnncourse.glue`
translates them into the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SAME_GAP = 0.05
"""Gaps between training and validation accuracy closer than this (5 percentage points) count as the same."""


def _positive(value: float, name: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def time_ratio_words(ratio: float, *, within: float = 0.1) -> str:
    """How one time compares with another, from ``ratio`` = time of A / time of B.

    The words complete "A ...": ``"took about as long"`` when neither took
    more than ``within`` (10%) longer than the other, ``"took 2.5 times as
    long"`` when A was slower, ``"was 1.5 times as fast"`` when A was faster.
    The factor shown is always at least ``1 + within``, so the words never say
    "1.0 times".

    Parameters
    ----------
    ratio : float
        Time of A divided by time of B, > 0.
    within : float, optional
        The margin, > 0, inside which two times count as about the same.

    Examples
    --------
    >>> time_ratio_words(0.67), time_ratio_words(1.05), time_ratio_words(3.0)
    ('was 1.5 times as fast', 'took about as long', 'took 3.0 times as long')
    """
    ratio = _positive(ratio, "ratio")
    within = _positive(within, "within")
    if ratio >= 1 + within:
        return f"took {ratio:.1f} times as long"
    if ratio <= 1 / (1 + within):
        return f"was {1 / ratio:.1f} times as fast"
    return "took about as long"


def order_words(value: float, reference: float, *, factor: float = 4.0) -> str:
    """``value`` against ``reference``: ``"far below"``, ``"of the same order as"`` or ``"far above"``.

    "Far" means more than ``factor`` times apart (4 by default); within that
    factor either way the two are "of the same order".

    Parameters
    ----------
    value, reference : float
        The two numbers, each finite and greater than 0.
    factor : float, optional
        How many times apart counts as "far"; at least 1.

    Returns
    -------
    str

    Examples
    --------
    >>> order_words(0.7, 192), order_words(100, 192), order_words(1000, 192)
    ('far below', 'of the same order as', 'far above')
    """
    value, reference = _positive(value, "value"), _positive(reference, "reference")
    factor = _positive(factor, "factor")
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor}")
    if value < reference / factor:
        return "far below"
    if value > reference * factor:
        return "far above"
    return "of the same order as"


def _accuracies(pair: Sequence[float], name: str) -> tuple[float, float]:
    if len(pair) != 2:
        raise ValueError(f"{name} must be (training accuracy, validation accuracy), got {pair!r}")
    train, val = (float(v) for v in pair)
    if not (0 <= train <= 1 and 0 <= val <= 1):
        raise ValueError(f"{name} must hold accuracies between 0 and 1, got {pair!r}")
    return train, val


def pooling_verdict(pooled: Sequence[float], unpooled: Sequence[float], control: Sequence[float], *,
                    same: float = SAME_GAP) -> dict[str, str]:
    """The sentences of chapter 2's experiment: does pooling narrow the overfitting gap, and why?

    Three networks, each given as (training accuracy, validation accuracy):
    ``pooled`` (the small CNN), ``unpooled`` (the same without pooling, so
    that many weights follow the convolutions) and ``control`` (without
    pooling, but global average pooling leaves few weights after the
    convolutions). The gap is training minus validation accuracy; two gaps
    closer than ``same`` count as the same.

    Parameters
    ----------
    pooled, unpooled, control : sequence of float
        Each network's (training accuracy, validation accuracy), in [0, 1].
    same : float, optional
        Gaps closer than this count as the same; between 0 and 1.

    Returns
    -------
    dict of str to str
        ``"effect"``: is the gap narrower with pooling than without?
        ``"cause"``: what the control says about why (the number of weights
        after the convolutions, or pooling itself). ``"fit"``: how well the
        control fits its training images next to the pooled network.
        ``"best"``: which network is the most accurate on the validation
        images.

    Examples
    --------
    >>> verdict = pooling_verdict((1.0, 0.88), (1.0, 0.47), (0.70, 0.74))
    >>> verdict["effect"]
    'In this run the gap is clearly narrower with pooling.'
    """
    (pool_train, pool_val), (flat_train, flat_val), (ctrl_train, ctrl_val) = (
        _accuracies(pair, name) for pair, name in ((pooled, "pooled"), (unpooled, "unpooled"),
                                                    (control, "control")))
    if not 0 < same < 1:
        raise ValueError(f"same must be between 0 and 1, got {same}")
    pool_gap, flat_gap, ctrl_gap = pool_train - pool_val, flat_train - flat_val, ctrl_train - ctrl_val
    pooling_narrows = flat_gap - pool_gap >= same
    weights_narrow = flat_gap - ctrl_gap >= same

    if pooling_narrows:
        effect = "In this run the gap is clearly narrower with pooling."
    elif pool_gap - flat_gap >= same:
        effect = "In this run the gap is clearly wider with pooling."
    else:
        effect = "In this run pooling made no clear difference to the gap."

    underfits = ctrl_train <= pool_train - same
    if weights_narrow and underfits:     # a network that learns less has less to memorize: no cause can be named
        cause = ("The control narrows the gap without pooling, but it is also right on clearly fewer of its "
                 "training images than the pooled network: it may overfit less only because it learns less."
                 if pooling_narrows else
                 "The control has a clearly narrower gap than the network without pooling, but it is also right "
                 "on clearly fewer of its training images than the pooled network: it may overfit less only "
                 "because it learns less.")
    elif pooling_narrows and weights_narrow and ctrl_gap - pool_gap <= -same:
        cause = ("The control points to the number of weights: without pooling, but with few weights after its "
                 "convolutions, its gap is even narrower than the pooled network's. In this run, cutting those "
                 "weights, not pooling itself, accounts for the narrower gap.")
    elif pooling_narrows and weights_narrow and ctrl_gap - pool_gap < same:
        cause = ("The control points to the number of weights: without pooling, but with few weights after its "
                 "convolutions, its gap is about as narrow as the pooled network's. In this run, cutting those "
                 "weights, not pooling itself, accounts for the narrower gap.")
    elif pooling_narrows and weights_narrow:
        cause = ("The control narrows the gap without pooling, but not as far as pooling does: in this run the "
                 "number of weights accounts for part of the narrower gap, and pooling itself for the rest.")
    elif pooling_narrows:
        cause = ("The control does not narrow the gap: with few weights but no pooling, it overfits about as much "
                 "as the network without pooling, or more. In this run the number of weights does not account "
                 "for the narrower gap; pooling itself does.")
    elif weights_narrow:
        cause = ("Yet the control, with few weights and no pooling, has a clearly narrower gap than the network "
                 "without pooling: in this run cutting the weights helped where pooling did not.")
    else:
        cause = ("The control makes no clear difference either: in this run neither pooling nor cutting the "
                 "weights narrowed the gap.")

    if underfits and weights_narrow:
        fit = ("So in this run the control cannot tell the number of weights apart from what pooling itself "
               "does, and the cause stays open.")
    elif underfits:
        fit = "The control fits its training images less well than the pooled network."
    elif ctrl_train >= pool_train + same:
        fit = "The control fits its training images better than the pooled network."
    else:
        fit = "The control fits its training images about as well as the pooled network."

    vals = {"the network with pooling": pool_val, "the network without pooling": flat_val,
            "the control": ctrl_val}
    top = [name for name, value in vals.items() if value == max(vals.values())]
    if len(top) == 1:
        best = {"the network with pooling": "On the validation images the network with pooling is the most "
                                            "accurate of the three.",
                "the network without pooling": "On the validation images the network without pooling is the "
                                               "most accurate of the three.",
                "the control": "On the validation images the control is the most accurate of the three."}[top[0]]
    else:
        best = "On the validation images no one of the three is ahead: the most accurate are tied."
    return {"effect": effect, "cause": cause, "fit": fit, "best": best}


# -- Chapter 7: attribution maps and their controls ------------------------------------


def speckle_verdict(drop: float, baseline: float, *, within: float = 1.25) -> str:
    """SmoothGrad's speckle ``drop`` (vanilla / smoothed) against ``baseline``, what averaging alone gives.

    The drop counts as "about that size" when it is within a factor ``within``
    (a quarter, by default) of ``baseline`` either way.

    Parameters
    ----------
    drop : float
        Measured speckle of the vanilla map over the smoothed one, greater than 0.
    baseline : float
        The drop averaging alone gives, greater than 0.
    within : float, optional
        The factor that counts as "about that size", greater than 0.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> speckle_verdict(3.9, 4.0)
    'The drop measured here is about that size: what averaging alone would give.'
    """
    drop, baseline, within = _positive(drop, "drop"), _positive(baseline, "baseline"), _positive(within, "within")
    if drop <= 1:
        return "Averaging did not lower the speckle here, so there is no drop to compare with that."
    if abs(math.log(drop / baseline)) <= math.log(within):
        return "The drop measured here is about that size: what averaging alone would give."
    if drop < baseline:
        return ("The drop measured here is smaller: part of the speckle is the same in every copy, "
                "so it does not average out.")
    return ("The drop measured here is larger: the map at the photo itself is more speckled than "
            "the noisy copies are on average.")


def stroke_verdict(method: str, ahead: float, rings: int) -> str:
    """Did training concentrate ``method``'s map on the stroke? ``ahead``: the share of ``rings`` where it did more.

    A coin toss lands within two standard errors, ``1 / sqrt(rings)``, of one
    half; only a share outside that band names a winner.

    Parameters
    ----------
    method : str
        The map's name, as the sentence shows it.
    ahead : float
        Share of rings where the trained network's map favours the stroke more, in [0, 1].
    rings : int
        Number of rings compared, greater than 0.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> stroke_verdict("saliency", 0.55, 207)[:40]
    'The saliency map favours the stroke abou'
    """
    if not 0 <= ahead <= 1:
        raise ValueError(f"ahead must be a share between 0 and 1, got {ahead}")
    chance = 1 / math.sqrt(_positive(rings, "rings"))
    if ahead > 0.5 + chance:
        return (f"Training concentrated the {method} map on the stroke: it favours the stroke more than "
                "before training on more rings than chance would explain.")
    if ahead < 0.5 - chance:
        return (f"Training did not concentrate the {method} map on the stroke: the untrained network's map "
                "favours the stroke more on most rings.")
    return (f"The {method} map favours the stroke about as much after training as before (within what "
            "chance gives): this run does not show that training concentrated it there.")


def sanity_sentence(method: str, same: float, control: float, *, untrained: bool) -> str:
    """Adebayo et al.'s test for one ``method``: the maps of one photo under the loaded and random weights
    agree ``same``; the control (the random network's map of another photo) agrees ``control``.

    A NaN correlation (an empty map, see :func:`cnncourse.rank_correlation`)
    says the test says nothing; ``untrained`` (both networks random) that it
    cannot be run. Otherwise the two numbers are compared, with no cut-off.

    Parameters
    ----------
    method : str
        The map's name, as the sentence shows it.
    same : float
        Rank correlation of the loaded and the random network's maps of the photo (may be NaN).
    control : float
        Rank correlation of the control pair (may be NaN).
    untrained : bool
        True when the loaded weights are random too.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> sanity_sentence("Grad-CAM", 0.1, 0.2, untrained=False)[:45]
    'The two Grad-CAM maps of the cat agree no mor'
    """
    if math.isnan(same) or math.isnan(control):
        return (f"A {method} map of this test is empty (the same value at every pixel): it orders no "
                "pixels, so its correlations are undefined and the test says nothing about this method.")
    if untrained:
        return (f"Both networks are untrained in this run (see the orange box), so the two {method} maps of "
                "the cat are identical: the test cannot be run here.")
    if same > control:
        return (f"The two {method} maps of the cat agree more than the control: something of the photo "
                "survives the loss of the learned weights: part of this map shows the photo rather than "
                "what the network learned.")
    return (f"The two {method} maps of the cat agree no more than the control: nothing of this map "
            "survives the loss of the learned weights beyond what maps of different photos share.")


def sanity_agreement(methods: Sequence[str], passed: Sequence[str], *, untrained: bool) -> str:
    """Whether this run agrees with Adebayo et al.'s finding that both ``methods`` pass; ``passed``: those that did.

    Parameters
    ----------
    methods : sequence of str
        The two methods tested.
    passed : sequence of str
        Those of ``methods`` that passed.
    untrained : bool
        True when the loaded weights are random too.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> sanity_agreement(["saliency", "Grad-CAM"], ["saliency"], untrained=False)
    'This run agrees with them for the saliency map only; it tests one photo, and their finding rests on many.'
    """
    if len(methods) != 2 or not set(passed) <= set(methods):
        raise ValueError(f"methods must be two names and passed some of them, got {methods!r} and {passed!r}")
    if untrained:
        return "This run has no trained network, so it can neither confirm nor contradict their finding."
    if len(passed) == 2:
        return "This run agrees with them for both maps."
    if not passed:
        return ("This run does not agree for either map; it tests one photo, and their finding rests on "
                "many, so it is one counter-example, not a refutation.")
    return (f"This run agrees with them for the {passed[0]} map only; it tests one photo, and their "
            "finding rests on many.")

"""Words chosen from chapter 8's measured numbers: attacks against their control, maps against a random map.

Like :mod:`cnncourse.figures.wording`: every sentence a chapter glues must read true
for every outcome, with trained or untrained weights, so the words are chosen
here from the numbers of the run, with the chance band written down and
every branch tested (``tests/test_faithfulness.py``). The words are English;
:func:`cnncourse.glue` translates them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

VERDICTS = ("better", "about the same", "worse")
"""The words of a map against the random map: what a table cell says."""


def _share(value: float, name: str) -> float:
    value = float(value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1, got {value}")
    return value


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


def attack_verdict(attack: str, attacked: float, control: float, images: int) -> str:
    """Did ``attack`` lower the accuracy more than random signs of the same size (``control``)?

    Two accuracies on ``images`` images differ by chance by up to about two
    standard errors, at most ``1 / sqrt(images)``: only a gap wider than that is named.

    Parameters
    ----------
    attack : str
        The attack's name, as the sentence shows it.
    attacked, control : float
        The accuracy after the attack and after random signs, in [0, 1].
    images : int
        The number of images, >= 1.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> attack_verdict("FGSM", 0.2, 0.9, 400)[:40]
    'FGSM lowered the accuracy far more than '
    """
    attacked, control = _share(attacked, "attacked"), _share(control, "control")
    chance = 1 / math.sqrt(_count(images, "images"))
    if attacked < control - chance:
        return (f"{attack} lowered the accuracy far more than random signs of the same size did: what fools "
                "the network is the direction the gradient chose, not the size of the change.")
    return (f"{attack} did not lower the accuracy more than random signs of the same size did, within what "
            "chance gives.")


def control_verdict(control: float, clean: float, images: int) -> str:
    """What random signs of the largest size did to the accuracy on the clean images (``clean``).

    Parameters
    ----------
    control, clean : float
        The accuracy after random signs and on the clean images, in [0, 1].
    images : int
        The number of images, >= 1.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> control_verdict(0.93, 0.94, 400)[:37]
    'Random signs of that size changed the'
    """
    control, clean = _share(control, "control"), _share(clean, "clean")
    chance = 1 / math.sqrt(_count(images, "images"))
    if abs(control - clean) <= chance:
        return "Random signs of that size changed the accuracy by no more than chance explains."
    if control < clean:
        return "Random signs of that size lowered the accuracy too, though the attacks lowered it further."
    return "Random signs of that size raised the accuracy a little."


def verdict_over_images(differences: Sequence[float], *, lower_is_better: bool) -> str:
    """A map against the random map, from the per-image differences of their areas (map minus random).

    ``"better"`` when the mean difference lies more than two standard errors
    on the good side of zero, ``"worse"`` when on the other side, and
    ``"about the same"`` in between (always, for fewer than two images).

    Parameters
    ----------
    differences : sequence of float
        One area difference per image.
    lower_is_better : bool
        True for deletion (a faithful map's curve falls fast), False for insertion.

    Returns
    -------
    str
        One of :data:`VERDICTS`.

    Examples
    --------
    >>> verdict_over_images([-0.3, -0.2, -0.4], lower_is_better=True)
    'better'
    """
    values = np.asarray(differences, dtype=np.float64)
    if values.ndim != 1 or not np.isfinite(values).all():
        raise ValueError("differences must be a flat sequence of finite numbers")
    if len(values) < 2:
        return "about the same"
    mean, error = float(values.mean()), float(values.std(ddof=1) / math.sqrt(len(values)))
    good = -mean if lower_is_better else mean
    if good > 2 * error and good > 0:
        return "better"
    if -good > 2 * error and good < 0:
        return "worse"
    return "about the same"


def verdict_against_randoms(value: float, randoms: Sequence[float], *, lower_is_better: bool) -> str:
    """A map's area on one image against the areas of several random maps of the same image.

    ``"better"`` when it lies beyond every random map's on the good side,
    ``"worse"`` beyond every one on the other side, else ``"about the same"``.

    Parameters
    ----------
    value : float
        The map's area.
    randoms : sequence of float
        The random maps' areas (at least two: their spread is the control).
    lower_is_better : bool
        True for deletion, False for insertion.

    Returns
    -------
    str
        One of :data:`VERDICTS`.

    Examples
    --------
    >>> verdict_against_randoms(0.5, [0.2, 0.25, 0.3], lower_is_better=False)
    'better'
    """
    randoms = np.asarray(randoms, dtype=np.float64)
    if randoms.ndim != 1 or len(randoms) < 2:
        raise ValueError("randoms must hold the areas of at least two random maps")
    low, high = float(randoms.min()), float(randoms.max())
    if (value < low) if lower_is_better else (value > high):
        return "better"
    if (value > high) if lower_is_better else (value < low):
        return "worse"
    return "about the same"


def faithfulness_summary(verdicts: dict[str, tuple[str, str]]) -> str:
    """How many maps beat the random map on both curves, on one, on neither: one sentence.

    Parameters
    ----------
    verdicts : dict of str to (str, str)
        The deletion and insertion verdicts (:data:`VERDICTS`) of each map.

    Returns
    -------
    str

    Examples
    --------
    >>> faithfulness_summary({"a": ("better", "better"), "b": ("better", "worse")})
    'Of the 2 maps, 1 beat the random map on both curves, 1 on one of them and 0 on neither.'
    """
    wins = [sum(word == "better" for word in pair) for pair in verdicts.values()]
    if any(word not in VERDICTS for pair in verdicts.values() for word in pair):
        raise ValueError(f"verdicts must be pairs of {VERDICTS}")
    return (f"Of the {len(wins)} maps, {wins.count(2)} beat the random map on both curves, {wins.count(1)} on "
            f"one of them and {wins.count(0)} on neither.")


def photo_caveat(untrained: bool, moved: bool) -> str:
    """What the VGG16 table can show: nothing with untrained weights; one photo's case with trained ones.

    Parameters
    ----------
    untrained : bool
        The network's weights are random.
    moved : bool
        The class probability moved along some curve by more than the random maps' spread.

    Returns
    -------
    str

    Examples
    --------
    >>> photo_caveat(True, False)[:30]
    'These weights are untrained: t'
    """
    if untrained:
        return ("These weights are untrained: the network has no reason to prefer any pixels, so whatever the "
                "table shows explains no learned network; with the ImageNet weights it compares the methods.")
    if not moved:
        return ("On this photo the class probability hardly moved along any curve, so the table cannot tell the "
                "maps apart.")
    return ("This is one photo: read it as an example of the test, not as a ranking of the methods, which "
            "needs many photos (Petsiuk et al. used thousands).")


def fooled_map_sentence(same: float, control: float) -> str:
    """Does the saliency map show the attack? ``same``: mean rank correlation of the maps before and after
    it; ``control``: the same between maps of two different images of one class.

    Parameters
    ----------
    same, control : float
        Mean rank correlations, in [-1, 1].

    Returns
    -------
    str

    Examples
    --------
    >>> fooled_map_sentence(0.8, 0.1)[:30]
    'The map of the attacked image '
    """
    if not (-1 <= same <= 1 and -1 <= control <= 1):
        raise ValueError(f"same and control must be correlations in [-1, 1], got {same} and {control}")
    if same > control:
        return ("The map of the attacked image stays closer to the map of the clean image than the maps of two "
                "different images of one class are to each other: the map barely shows that the network was "
                "fooled.")
    return ("The attack changed the map as much as a different image of the class would: the map shows that "
            "something changed, though not what.")

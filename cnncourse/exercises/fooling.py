"""The checkers of chapter 8, "Fooling the network, testing the maps"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, as_number, check_array


def _number_with_slips(answer: Any, expected: float, near: list[tuple[float, str]], *, tolerance: float,
                       right: str, hint: str) -> Feedback:
    """A number within ``tolerance`` of ``expected``; a known slip (``near``) gets its own message."""
    if answer is None:
        return NO_ANSWER
    value = as_number(answer)
    if value is None:
        return Feedback(False, f"Expected a number, got {type(answer).__name__}. {hint}")
    if abs(value - expected) <= tolerance:
        return Feedback(True, right)
    for other, message in near:
        if abs(value - other) <= tolerance:
            return Feedback(False, message)
    return Feedback(False, f"{value:g} is not right. {hint}")


def check_fgsm_step(answer: Any) -> Feedback:
    """Exercise 8.1: a pixel of 0.5, a loss gradient of -0.03 there, FGSM with epsilon 2/255: the new value?

    Parameters
    ----------
    answer : float
        The reader's pixel value.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    epsilon, pixel, gradient = 2 / 255, 0.5, -0.03
    expected = pixel + epsilon * np.sign(gradient)
    near = [(pixel - epsilon * np.sign(gradient), "That step goes the wrong way: the untargeted attack climbs the "
             "loss of the true class, so it moves along the gradient's sign, not against it."),
            (pixel + epsilon * gradient, "FGSM steps by epsilon times the gradient's sign, not times the gradient "
             "itself: every pixel moves by the same amount."),
            (pixel - 2 * np.sign(gradient), "Epsilon is 2/255 in these units (pixels in [0, 1]), not 2."),
            (pixel + 2 * np.sign(gradient), "Epsilon is 2/255 in these units (pixels in [0, 1]), not 2."),
            (pixel, "The gradient is not zero here, so FGSM moves the pixel.")]
    return _number_with_slips(answer, expected, near, tolerance=1e-4,
                              right=f"The answer is 0.5 - 2/255 = {expected:.4f}: the loss falls as this pixel "
                                    "grows, so raising the loss means lowering the pixel.",
                              hint="Which way must the pixel move to raise the loss of the true class, and by how "
                                   "much?")


def check_linear_completeness(answer: Any) -> Feedback:
    """Exercise 8.2: integrated gradients of F(x) = 2 x1 - x2 + 3 x3 at x = (1, 2, 1) from b = (1, 1, 0).

    Parameters
    ----------
    answer : sequence of 3 numbers
        The reader's attributions.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    w, x, b = np.array([2.0, -1.0, 3.0]), np.array([1.0, 2.0, 1.0]), np.array([1.0, 1.0, 0.0])
    expected = w * (x - b)
    if answer is not None and as_number(answer) is not None:
        total = as_number(answer)
        if abs(total - expected.sum()) <= 1e-6:
            return Feedback(False, "That is their sum, F(x) - F(b): give the three attributions, one per input, "
                                   "as a list.")
    near = [(w * x, "That ignores the baseline: each attribution is the gradient times x - b, not times x."),
            (w, "That is the gradient alone: multiply each entry by how far the input moved from the baseline."),
            (x - b, "That is x - b alone: multiply each entry by its weight, the gradient of F."),
            (expected[::-1], "The entries are in reverse order."),
            (-expected, "The signs are flipped: the path runs from the baseline to the input, x - b.")]
    return check_array(answer, expected, tolerance=1e-6, near=near,
                       hint="For a linear function the gradient is the same everywhere on the path, so the "
                            "integral is easy; check that the three add up to F(x) - F(b).")


def check_deletion_area(answer: Any) -> Feedback:
    """Exercise 8.3: the area under the deletion curve 0.9, 0.3, 0.1, 0.05, 0.02 (four equal steps).

    Parameters
    ----------
    answer : float
        The reader's area.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    p = np.array([0.9, 0.3, 0.1, 0.05, 0.02])
    width = 1 / (len(p) - 1)
    expected = float(((p[1:] + p[:-1]) / 2).sum() * width)
    near = [(float(p.mean()), "That is the mean of the five points: the trapezoid rule counts the two ends half."),
            (float(p[:-1].sum() * width), "That takes each step's left point only: average the two ends of each "
                                          "step (a trapezoid)."),
            (float(p[1:].sum() * width), "That takes each step's right point only: average the two ends of each "
                                         "step (a trapezoid)."),
            (float(((p[1:] + p[:-1]) / 2).sum()), "The steps are a quarter of the pixels wide, not 1: multiply by "
                                                  "the width."),
            (1 - expected, "That is the area above the curve.")]
    return _number_with_slips(answer, expected, near, tolerance=1e-4,
                              right=f"The answer is {expected:.4f}: four trapezoids, each a quarter wide.",
                              hint="The horizontal axis runs from 0 to 1 in four equal steps; add the areas of "
                                   "the four trapezoids under the curve.")


def check_beats_random(answer: Any) -> Feedback:
    """Exercise 8.4: which maps beat the random map on a deletion curve with a black baseline?

    P ranks a bright stroke on a dark background by brightness, Q by darkness, R is a
    second random map.

    Parameters
    ----------
    answer : list of str
        The letters of the reader's maps.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    if answer is None:
        return NO_ANSWER
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return Feedback(False, f"Give a list of letters, such as ['Q'] or ['Q', 'R'] (or [] for none), not {answer!r}.")
    chosen = {str(item).strip().upper() for item in answer}
    if chosen - {"P", "Q", "R"}:
        return Feedback(False, f"{sorted(chosen - {'P', 'Q', 'R'})[0]!r} is not one of ['P', 'Q', 'R'].")
    if chosen == {"P"}:
        return Feedback(True, "The answer is ['P']: blacking out the bright stroke first removes the shape at "
                              "once; blacking out the dark background first changes almost nothing until the end.")
    if "Q" in chosen:
        return Feedback(False, "Removing a pixel here makes it black: what happens when the dark background "
                               "goes first?")
    if "R" in chosen:
        return Feedback(False, "A second random map ranks the pixels just as blindly as the first: on average it "
                               "does no better.")
    return Feedback(False, "At least one of them does beat it: which pixels does the network need, and which map "
                           "removes them first?")

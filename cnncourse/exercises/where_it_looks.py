"""The checkers of chapter 7, "Where the network looks"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_array, check_count


def check_occlusion_windows(answer: Any) -> Feedback:
    """Exercise 7.1: grey squares of 48x48 pixels, stride 16, over a 224x224 image: how many?

    Parameters
    ----------
    answer : int
        The reader's count.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    side = (224 - 48) // 16 + 1
    near = {side: "that is the number of positions along one side; the square also moves down the photo.",
            (224 // 16) ** 2: "the square must lie inside the photo: its last start along a side is 224 - 48.",
            (side - 1) ** 2: "one position per side is missing: the first start, 0, counts too.",
            ((224 - 32) // 16 + 1) ** 2: "that is the count for the chapter's 32x32 square; this one is 48x48."}
    return check_count(answer, side**2, near,
                       right=f"The answer is {side**2}: {side} positions along each side, one pass per window.",
                       hint="Count the positions along one side first: the square starts at 0, 16, 32, ... and "
                            "must fit inside the image (chapter 1).")


def check_grad_cam_by_hand(answer: Any) -> Feedback:
    """Exercise 7.2: the Grad-CAM map of two 2x2 activation maps ``a`` and their gradients ``g``.

    Parameters
    ----------
    answer : array_like, 2-D
        The reader's map.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    a = np.array([[[2.0, 0.0], [1.0, 3.0]], [[1.0, 2.0], [0.0, 1.0]]])
    g = np.array([[[3.0, 0.0], [1.0, 2.0]], [[-1.0, 0.0], [-2.0, 1.0]]])
    weights = g.mean(axis=(1, 2))
    weighted = (weights[:, None, None] * a).sum(axis=0)
    expected = np.maximum(weighted, 0)
    mistakes = [  # (a plausible wrong map, what went wrong)
        (weighted, "Some values are negative: Grad-CAM keeps only the positive part (the ReLU) of the sum."),
        (np.maximum((g * a).sum(axis=0), 0), "Each value was multiplied by its own gradient: Grad-CAM first "
                                             "averages each channel's gradient into one weight per channel."),
        (np.maximum(weights[:, None, None] * a, 0).sum(axis=0), "The ReLU came before the sum, so the channel "
         "that speaks against the class was dropped: add the weighted channels, then keep the positive part."),
        (expected * 4, "Four times too large: a channel's weight is the mean of its gradient, not the sum."),
        (expected / expected.max(), "This map is scaled to [0, 1]: give it before the scaling."),
        (expected.T, "Rows and columns are swapped.")]
    return check_array(answer, expected, tolerance=1e-3, near=mistakes, hint="One weight per channel, from its gradient (the "
                       "formula for alpha_k); the weighted sum of the channels; then the ReLU.")


def check_sanity_check(answer: Any) -> Feedback:
    """Exercise 7.3: which methods' maps keep something of the photo when the weights are randomized?

    Parameters
    ----------
    answer : list of str
        The letters of the reader's methods.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    if answer is None or isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return NO_ANSWER if answer is None else Feedback(False, "Give a list of letters, such as ['P'] or "
                                                                f"['P', 'R'] (or [] for none), not {answer!r}.")
    # Per method: rank correlation of the trained and random-weights maps, and with another photo's.
    table = {"P": (0.04, 0.09), "Q": (0.55, 0.10), "R": (0.93, 0.12)}
    chosen = {str(item).strip().upper() for item in answer}
    if chosen - set(table):
        return Feedback(False, f"{sorted(chosen - set(table))[0]!r} is not one of {sorted(table)}.")
    expected = {name for name, (photo, other) in table.items() if photo > other}
    if chosen == expected:
        return Feedback(True, f"The answer is {sorted(expected)}: their trained maps stay closer to the random-"
                              "weights map of the same photo than to its map of another photo.")
    return Feedback(False, "Not all of them: compare each method's first number with its control, not with 1."
                    if chosen < expected else "At least one of these maps changed completely: its trained map is "
                    "no closer to the random-weights map of this photo than to its map of another photo.")

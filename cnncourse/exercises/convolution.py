"""The checkers of chapter 1, "Convolution"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_array, check_shape, holds_text


def check_conv_by_hand(answer: Any) -> Feedback:
    """Exercise 1.1: convolve the 4x4 matrix of the exercise with the 2x2 kernel.

    Parameters
    ----------
    answer : array_like, 2-D
        The reader's output matrix.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..ops.convolution import conv2d

    image = np.array([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]])
    kernel = np.array([[1, 0], [0, -1]])
    flipped = ("Every sign is the wrong way round: did you flip the kernel? Deep-learning convolution does not "
               "flip it: its top-left weight multiplies the top-left pixel of each patch.")
    return check_array(answer, conv2d(image, kernel), near=[(conv2d(image, kernel[::-1, ::-1]), flipped)],
                       hint="Top-left first: 1*1 + 2*0 + 0*0 + 1*(-1). Stride 1, no padding.")


def check_output_shape(answer: Any) -> Feedback:
    """Exercise 1.2: output (height, width) of a 3x3 conv, stride 2, padding 1, on 224x224.

    Parameters
    ----------
    answer : tuple of int
        The reader's (height, width).

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..ops.convolution import output_size

    expected = (output_size(224, 3, stride=2, padding=1),) * 2
    return check_shape(answer, expected, right=f"floor((224 + 2 - 3) / 2) + 1 = {expected[0]}, so {expected}.",
                       hint="Use o = floor((i + 2p - k) / s) + 1.",
                       near={(113, 113): "that rounds (224 + 2 - 3) / 2 up; the formula takes the floor.",
                             (224, 224): "that is the size with stride 1; this layer has stride 2."})


LINE_TESTS = {"flat": np.ones((5, 5)), "horizontal line": np.eye(5)[[2] * 5].T, "vertical line": np.eye(5)[[2] * 5],
              "step": np.tile([0.0, 0, 1, 1, 1], (5, 1)), "reversed step": np.tile([1.0, 1, 0, 0, 0], (5, 1))}
"""The 5x5 test images of exercise 1.3: 0 is dark, 1 bright; the lines are one pixel wide, in the middle."""


def check_line_kernel(kernel: Any) -> Feedback:
    """Exercise 1.3: a 3x3 kernel for thin vertical lines (:data:`LINE_TESTS`); the chapter's edge kernels fail.

    Parameters
    ----------
    kernel : array_like, shape (3, 3)
        The reader's kernel, 3 rows of 3 finite numbers.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..ops.convolution import conv2d

    if kernel is None:
        return NO_ANSWER
    try:
        k = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        k = np.zeros(0)
    if holds_text(kernel) or k.shape != (3, 3) or not np.isfinite(k).all():
        return Feedback(False, "Give the kernel as 3 rows of 3 numbers, e.g. [[0, 0, 0], [0, 1, 0], [0, 0, 0]].")
    out = {name: conv2d(image, k) for name, image in LINE_TESTS.items()}
    if not np.allclose(out["flat"], 0):
        return Feedback(False, f"On the flat image your kernel gives {out['flat'][0, 0]:g} everywhere, not 0. "
                               "What must the nine weights add up to?")
    if not np.allclose(out["horizontal line"], 0):
        return Feedback(False, "The horizontal line should give 0 everywhere: on it, what does each row of the "
                               "kernel multiply?")
    line = out["vertical line"].max(axis=0)  # per column of the output; the middle one is centred on the line
    if not line[1] > max(line[0], line[2], 0):
        return Feedback(False, f"On the vertical line the largest response, positive, should be in the middle "
                               f"column of the output; yours are {line.round(3).tolist()}, column by column.")
    step = max(out["step"].max(), out["reversed step"].max())
    if not step < line[1]:
        return Feedback(False, f"A step edge gives {step:g}, as much as the line ({line[1]:g}) or more: "
                               "your kernel finds edges, not lines.")
    return Feedback(True, "Your kernel finds thin vertical lines and ignores flat areas, horizontal lines and "
                          "edges, like the stripe-shaped filters in the first layers of CNNs.")

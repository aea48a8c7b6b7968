"""Checkers for the chapters' exercises.

Each checker takes the reader's answer and returns a :class:`Feedback`,
which displays as a short coloured message in a notebook. Checkers never
raise on a wrong answer: a wrong type or shape is feedback too.

The generic checkers (:func:`check_number`, :func:`check_array`,
:func:`check_choice`) come first; the chapters' exercises follow, one
section per chapter.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Feedback",
    "check_number",
    "check_array",
    "check_choice",
    "check_output_shape",
    "check_edge_kernel",
    "check_conv_by_hand",
]


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``correct`` and a message for the reader.

    Examples
    --------
    >>> Feedback(True, "Well done.")
    ✅ Correct. Well done.
    """

    correct: bool | None
    message: str

    @property
    def headline(self) -> str:
        return {True: "✅ Correct.", False: "❌ Not yet.", None: "✏️ No answer yet."}[self.correct]

    def __repr__(self) -> str:
        return f"{self.headline} {self.message}".strip()

    def _repr_html_(self) -> str:
        colour = {True: "#1b7837", False: "#b2182b", None: "#555555"}[self.correct]
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 0.3em 0.8em; '
            f'font-family: sans-serif;"><b>{self.headline}</b> {_html.escape(self.message)}</div>'
        )

    def __bool__(self) -> bool:
        return bool(self.correct)


_NO_ANSWER = Feedback(None, "Replace None with your answer and run the cell again.")


def check_number(answer: Any, expected: float, *, tolerance: float = 1e-6, hint: str = "") -> Feedback:
    """Check a single number against ``expected`` (absolute ``tolerance``).

    Examples
    --------
    >>> bool(check_number(3, 3.0))
    True
    """
    if answer is None:
        return _NO_ANSWER
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Expected a number, got {type(answer).__name__}. {hint}".strip())
    if abs(value - expected) <= tolerance:
        return Feedback(True, f"The answer is {expected:g}.")
    return Feedback(False, f"{value:g} is not right. {hint}".strip())


def check_array(answer: Any, expected: Any, *, tolerance: float = 1e-6, hint: str = "") -> Feedback:
    """Check an array: same shape, and every element within ``tolerance``.

    Examples
    --------
    >>> bool(check_array([[1, 2]], np.array([[1.0, 2.0]])))
    True
    """
    if answer is None:
        return _NO_ANSWER
    expected = np.asarray(expected, dtype=float)
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Expected an array of numbers. {hint}".strip())
    if value.shape != expected.shape:
        return Feedback(False, f"Expected shape {expected.shape}, got {value.shape}. {hint}".strip())
    wrong = int(np.sum(~np.isclose(value, expected, atol=tolerance, rtol=0)))
    if wrong:
        return Feedback(False, f"{wrong} of {expected.size} entries are off. {hint}".strip())
    return Feedback(True, "Every entry matches.")


def check_choice(answer: Any, expected: Any, choices: Iterable[Any], *, hint: str = "") -> Feedback:
    """Check a multiple-choice answer; an answer outside ``choices`` is named.

    Examples
    --------
    >>> check_choice("b", "a", ["a", "b"], hint="Look again.")
    ❌ Not yet. 'b' is not right. Look again.
    """
    if answer is None:
        return _NO_ANSWER
    choices = list(choices)
    if answer not in choices:
        return Feedback(False, f"{answer!r} is not one of the choices {choices}.")
    if answer == expected:
        return Feedback(True, f"The answer is {expected!r}.")
    return Feedback(False, f"{answer!r} is not right. {hint}".strip())


# -- Chapter 1: Convolution ------------------------------------------------


def check_conv_by_hand(answer: Any) -> Feedback:
    """Exercise 1.1: convolve the 4x4 matrix of the exercise with the 2x2 kernel."""
    from .conv import conv2d

    image = np.array([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]])
    kernel = np.array([[1, 0], [0, -1]])
    return check_array(answer, conv2d(image, kernel),
                       hint="Top-left first: 1*1 + 2*0 + 0*0 + 1*(-1). Stride 1, no padding.")


def check_output_shape(answer: Any) -> Feedback:
    """Exercise 1.2: output (height, width) of a 3x3 conv, stride 2, padding 1, on 224x224."""
    from .conv import output_size

    if answer is None:
        return _NO_ANSWER
    expected = (output_size(224, 3, stride=2, padding=1),) * 2
    try:
        value = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(False, "Give a pair (height, width), for example (10, 10).")
    if value == expected:
        return Feedback(True, f"floor((224 + 2 - 3) / 2) + 1 = {expected[0]}, so {expected}.")
    return Feedback(False, f"{value} is not right. Use o = floor((i + 2p - k) / s) + 1.")


def check_edge_kernel(kernel: Any) -> Feedback:
    """Exercise 1.3: a 3x3 kernel that responds to vertical edges and ignores flat regions.

    The kernel must give zero on a constant image, a positive response to a
    dark-to-bright step from left to right, and zero to a horizontal step.
    """
    from .conv import conv2d

    if kernel is None:
        return _NO_ANSWER
    k = np.asarray(kernel, dtype=float)
    if k.shape != (3, 3):
        return Feedback(False, f"The kernel must be 3x3, got shape {k.shape}.")
    flat = conv2d(np.ones((5, 5)), k)
    vertical = conv2d(np.tile([0, 0, 1, 1, 1], (5, 1)), k)
    horizontal = conv2d(np.tile([0, 0, 1, 1, 1], (5, 1)).T, k)
    if not np.allclose(flat, 0):
        return Feedback(False, "On a flat image the response should be 0: make the weights sum to 0.")
    if not vertical.max() > 0:
        return Feedback(False, "A dark-to-bright step from left to right should give a positive response.")
    if not np.allclose(horizontal, 0):
        return Feedback(False, "A horizontal edge should give 0: make every column's pattern the same in each row.")
    return Feedback(True, "Your kernel finds vertical edges, like the first filters of a CNN.")

"""Feedback for exercises: the verdict type and the generic checkers.

Each checker takes the reader's answer and returns a :class:`Feedback`,
which displays as a short coloured message in a notebook. Checkers never
raise on a wrong answer: a wrong type or shape is feedback too. The
chapters' own checkers (:mod:`cnncourse.exercises`) are built on these.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Number
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n.translate import tr


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``correct`` and a message for the reader.

    Data only: in a notebook it is drawn by :func:`cnncourse.figures.html.feedback_html`
    (a short message with a coloured bar); its ``repr`` is the same in plain text.

    Examples
    --------
    >>> Feedback(True, "Well done.")
    ✅ Correct. Well done.
    """

    correct: bool | None
    message: str

    @property
    def headline(self) -> str:
        return {True: tr("✅ Correct."), False: tr("❌ Not yet."), None: tr("✏️ No answer yet.")}[self.correct]

    def __repr__(self) -> str:
        return f"{self.headline} {tr(self.message)}".strip()

    def __bool__(self) -> bool:
        return bool(self.correct)


NO_ANSWER = Feedback(None, "Replace None with your answer and run the cell again.")


def check_number(answer: Any, expected: float, *, tolerance: float = 1e-6, hint: str = "") -> Feedback:
    """Check a single number against ``expected`` (absolute ``tolerance``).

    Examples
    --------
    >>> bool(check_number(3, 3.0))
    True
    >>> check_number("3", 3.0)                  # a number, not the text of one
    ❌ Not yet. Expected a number, got str.
    """
    if answer is None:
        return NO_ANSWER
    value = as_number(answer)
    if value is None:
        return Feedback(False, f"Expected a number, got {type(answer).__name__}. {hint}".strip())
    if abs(value - expected) <= tolerance:
        return Feedback(True, f"The answer is {expected:g}.")
    return Feedback(False, f"{value:g} is not right. {hint}".strip())


def holds_text(answer: Any) -> bool:
    """Whether ``answer`` is or holds text or ``True``/``False`` (NumPy would take ``"3"`` or ``True`` for 3.0).

    Examples
    --------
    >>> holds_text([[1, 2]]), holds_text([["1", 2]]), holds_text("12"), holds_text([True, 2])
    (False, True, True, True)
    """
    values = [answer] if isinstance(answer, (str, bytes)) else np.asarray(answer, dtype=object).ravel()
    return any(isinstance(v, (str, bytes, bool, np.bool_)) for v in values)


def check_array(answer: Any, expected: Any, *, tolerance: float = 1e-6, hint: str = "",
                near: Iterable[tuple[Any, str]] = ()) -> Feedback:
    """Check an array: same shape, and every element within ``tolerance``.

    ``near`` lists likely wrong arrays, each with the message that says what went wrong.

    Examples
    --------
    >>> bool(check_array([[1, 2]], np.array([[1.0, 2.0]])))
    True
    >>> check_array([[2, 1]], [[1, 2]], near=[([[2, 1]], "The order is reversed.")])
    ❌ Not yet. The order is reversed.
    """
    if answer is None:
        return NO_ANSWER
    expected = np.asarray(expected, dtype=float)
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        value = None
    if value is None or holds_text(answer):
        return Feedback(False, f"Expected an array of numbers. {hint}".strip())
    for other, message in near:
        other = np.asarray(other, dtype=float)
        if value.shape == other.shape and np.allclose(value, other, atol=tolerance, rtol=0):
            return Feedback(False, message)
    if value.shape != expected.shape:
        return Feedback(False, f"Expected shape {expected.shape}, got {value.shape}. {hint}".strip())
    wrong = int(np.sum(~np.isclose(value, expected, atol=tolerance, rtol=0)))
    if wrong:
        return Feedback(False, f"{wrong} of {expected.size} entries are off. {hint}".strip())
    return Feedback(True, "Every entry matches.")


def verdict(value: Any, expected: Any, near: dict | None = None, *, right: str, hint: str) -> Feedback:
    """``right`` if ``value == expected``; a known near miss gets its reason from ``near``, any other ``hint``.

    Examples
    --------
    >>> verdict(5, 6, right="Six.", hint="Count again.", near={5: "one short."})
    ❌ Not yet. 5 is not right: one short.
    """
    if value == expected:
        return Feedback(True, right)
    near = near or {}
    return Feedback(False, f"{value} is not right: {near[value]}" if value in near else f"{value} is not right. {hint}")


def whole_number(answer: Any, hint: str = "") -> int | Feedback:
    """``answer`` as an int (``12``, ``12.0``, a NumPy or PyTorch scalar), or the feedback that asks for one.

    Examples
    --------
    >>> whole_number(np.int64(12)), whole_number(12.5), whole_number("12")
    (12, ❌ Not yet. 12.5 is not a whole number., ❌ Not yet. Expected a whole number, got str.)
    """
    if answer is None:
        return NO_ANSWER
    value = as_number(answer)
    if value is None:
        return Feedback(False, f"Expected a whole number, got {type(answer).__name__}. {hint}".strip())
    if not value.is_integer():
        return Feedback(False, f"{value:g} is not a whole number. {hint}".strip())
    return int(value)


def check_count(answer: Any, expected: int, near: dict[int, str] | None = None, *, right: str,
                hint: str) -> Feedback:
    """Check a count (a whole number), naming the slip behind each known near miss in ``near``.

    Examples
    --------
    >>> check_count(8, 9, right="Nine.", hint="Count the corners.", near={8: "the centre counts too."})
    ❌ Not yet. 8 is not right: the centre counts too.
    """
    value = whole_number(answer, hint)
    if isinstance(value, Feedback):
        return value
    return verdict(value, expected, right=right, hint=hint, near=near)


def check_shape(answer: Any, expected: tuple[int, ...], near: dict[tuple[int, ...], str] | None = None, *,
                right: str, hint: str) -> Feedback:
    """Check a shape such as ``(channels, height, width)`` (see :func:`parse_shape`), naming known near misses.

    Examples
    --------
    >>> check_shape((3, 2), (2, 3), right="Yes.", hint="Rows first.", near={(3, 2): "swapped."})
    ❌ Not yet. (3, 2) is not right: swapped.
    """
    value = parse_shape(answer, (10, 10) if len(expected) == 2 else (3, 10, 10))   # an example of the form
    if isinstance(value, Feedback):
        return value
    return verdict(value, expected, right=right, hint=hint, near=near)


def check_choice(answer: Any, expected: Any, choices: Iterable[Any], *, hint: str = "") -> Feedback:
    """Check a multiple-choice answer; an answer outside ``choices`` is named.

    Examples
    --------
    >>> check_choice("b", "a", ["a", "b"], hint="Look again.")
    ❌ Not yet. 'b' is not right. Look again.
    """
    if answer is None:
        return NO_ANSWER
    choices = list(choices)
    if answer not in choices:
        return Feedback(False, f"{answer!r} is not one of the choices {choices}.")
    if answer == expected:
        return Feedback(True, f"The answer is {expected!r}.")
    return Feedback(False, f"{answer!r} is not right. {hint}".strip())


def as_number(answer: Any) -> float | None:
    """``answer`` as a float if it is a real number (not text, not ``True``/``False``), else None.

    Examples
    --------
    >>> as_number(3), as_number(np.float32(2.5)), as_number("3"), as_number(True)
    (3.0, 2.5, None, None)
    """
    if getattr(answer, "ndim", None) == 0 and hasattr(answer, "item"):     # a 0-d NumPy array or PyTorch tensor
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (Number, np.number)):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def parse_shape(answer: Any, example: tuple[int, ...]) -> tuple[int, ...] | Feedback:
    """The reader's shape as a tuple of ints, or the feedback that asks for one like ``example``.

    Every size must be a whole number (``112`` or ``112.0``): a shape counts pixels
    and channels, so ``112.5`` is wrong, never rounded.

    Examples
    --------
    >>> parse_shape((112, 112.0), (10, 10))
    (112, 112)
    >>> parse_shape((112.5, 112.5), (10, 10))
    ❌ Not yet. 112.5 is not a whole number: a shape counts pixels and channels. Round the formula's result down (floor).
    """
    if answer is None:
        return NO_ANSWER
    names = {2: "a pair (height, width)", 3: "a triple (channels, height, width)"}[len(example)]
    try:
        values = [as_number(v) for v in answer] if not isinstance(answer, (str, bytes)) else []
    except TypeError:
        values = []
    if len(values) != len(example) or any(v is None for v in values):
        return Feedback(False, f"Give {names}, for example {example}.")
    for value in values:
        if not float(value).is_integer():
            return Feedback(False, f"{value:g} is not a whole number: a shape counts pixels and channels. "
                                   "Round the formula's result down (floor).")
    if any(v < 1 for v in values):
        return Feedback(False, f"Every size of a shape is at least 1: {tuple(int(v) for v in values)}.")
    return tuple(int(v) for v in values)

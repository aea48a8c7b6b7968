"""Chapters 1 and 2's checkers: every right answer passes; every plausible wrong one is refused, helpfully."""

from __future__ import annotations

import numpy as np
import pytest

from cnncourse import KERNELS, conv2d
from cnncourse import exercises as ex
from cnncourse.i18n.translate import tr

LINE = [[-1, 2, -1]] * 3

# checker, right answers, (wrong answer, words its message must contain)
TABLE = [
    (ex.check_conv_by_hand, [[[0, -1, -1], [0, 0, 3], [1, 0, -1]], np.array([[0, -1, -1], [0, 0, 3], [1, 0, -1]])], [
        ([[0, 1, 1], [0, 0, -3], [-1, 0, 1]], "flip the kernel"),          # true convolution: kernel flipped
        ([[0, 0, 1], [-1, 0, 0], [-1, 3, -1]], "entries are off"),          # rows and columns swapped
        ([[0, -1, -1], [0, 0, 3], [1, 0, 0]], "1 of 9 entries"),            # one slip
        ([[0, -1, -1, 1], [0, 0, 3, 1], [1, 0, -1, 0], [1, 1, 0, 2]], "shape (3, 3)"),  # padded: 4x4
        ([["0", "-1", "-1"], ["0", "0", "3"], ["1", "0", "-1"]], "array of numbers"),
    ]),
    (ex.check_output_shape, [(112, 112), np.array([112, 112])], [
        ((113, 113), "floor"),            # rounded up
        ((111, 111), "floor((i + 2p - k) / s) + 1"),  # forgot the + 1
        ((224, 224), "stride 1"),         # the neighbouring case of the chapter's table
        ((112,), "a pair"),
        (112, "a pair"),
        (("112", "112"), "a pair"),
    ]),
    (ex.check_line_kernel, [LINE, [[0, 0, 0], [-1, 2, -1], [0, 0, 0]], [[-1, 3, -2]] * 3, np.array(LINE) / 4], [
        (KERNELS["vertical edge"], "middle column"),    # the chapter's own kernel: a copy is refused
        (KERNELS["sobel x"], "middle column"),
        (-KERNELS["vertical edge"], "middle column"),
        ([[1, -2, 1]] * 3, "middle column"),            # a dark line
        ([[-1, 1, 0]] * 3, "finds edges"),              # an edge kernel that peaks on the line
        ([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], "horizontal line"),  # a spot detector
        ([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], "horizontal line"),  # the neighbouring question: horizontal
        ([[0, 1, 0]] * 3, "add up to"),                 # no negative weights
        ([[1, 2], [3, 4]], "3 rows of 3 numbers"),
        ([[True, False, True]] * 3, "3 rows of 3 numbers"),
        (np.full((3, 3), np.nan), "3 rows of 3 numbers"),
        ("[[-1, 2, -1]] * 3", "3 rows of 3 numbers"),
    ]),
    (ex.check_max_pool_by_hand, [[[4, 3], [5, 6]]], [
        ([[1.75, 1.5], [2.25, 2.75]], "average pooling"),
        ([[4, 5], [3, 6]], "entries are off"),          # rows and columns swapped
        ([[4, 3, 3], [5, 5, 2], [5, 6, 6]], "shape (2, 2)"),  # stride 1
        ([[4, 3], [5, 5]], "1 of 4 entries"),
        ([["4", "3"], ["5", "6"]], "array of numbers"),
    ]),
    (ex.check_pool_output_shape, [(64, 55, 55)], [
        ((55, 55, 64), "the order is not"),
        ((32, 55, 55), "number of channels"),
        ((64, 56, 56), "floor((i - k) / s) + 1"),       # halved, as 2x2 pooling would
        ((64, 54, 54), "floor((i - k) / s) + 1"),       # forgot the + 1
        ((55, 55), "a triple"),
        (("64", "55", "55"), "a triple"),
    ]),
    (ex.check_dense_weights_saved, [61440, 61440.0, np.int64(61440)], [
        (81920, "not how many it loses"),               # the weights before pooling
        (20480, "not how many it loses"),               # the weights after
        (4, "subtract"),                                # the factor, not the count
        (61441, "subtract"),
        ("61440", "whole number, got str"),
        (True, "whole number, got bool"),
    ]),
]
ROWS = [(check, wrong, words) for check, _, wrongs in TABLE for wrong, words in wrongs]


@pytest.mark.parametrize("check, rights", [(c, r) for c, r, _ in TABLE], ids=[c.__name__ for c, _, _ in TABLE])
def test_right_answers_pass(check, rights):
    assert check(None).correct is None
    for right in rights:
        assert check(right).correct is True, (right, check(right))


@pytest.mark.parametrize("check, wrong, words", ROWS, ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(ROWS)])
def test_wrong_answers_are_refused_with_a_helpful_message(check, wrong, words):
    verdict = check(wrong)
    assert verdict.correct is False
    assert words in verdict.message, verdict.message


def test_every_checker_message_has_a_chinese_translation(monkeypatch):
    messages = [check(answer).message for check, rights, wrongs in TABLE
                for answer in [rights[0], *(w for w, _ in wrongs)]]
    monkeypatch.setenv("CNNCOURSE_LANG", "zh")
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")
    for message in messages:
        assert tr(message) != message, message


def test_the_line_kernel_checker_uses_the_images_it_describes():
    images = ex.LINE_TESTS
    assert np.array_equal(images["vertical line"][:, 2], np.ones(5)) and images["vertical line"].sum() == 5
    assert np.array_equal(images["horizontal line"], images["vertical line"].T)
    assert np.array_equal(images["reversed step"], 1 - images["step"])
    # the solution's responses: 6 on the line, half of it on a step
    assert conv2d(images["vertical line"], np.array(LINE, float)).max() == 6
    assert conv2d(images["step"], np.array(LINE, float)).max() == 3

"""Every figure function draws, and every exercise checker accepts the right answer and no wrong one."""

from __future__ import annotations

import inspect
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cnncourse import exercises  # noqa: E402
from cnncourse.figures import curves, plotting  # noqa: E402
from cnncourse.exercises.feedback import Feedback  # noqa: E402
from cnncourse.figures.html import feedback_html  # noqa: E402

RNG = np.random.default_rng(0)

FIGURES = {
    "image_grid": lambda: plotting.image_grid([RNG.random((8, 8)), RNG.random((8, 8, 3))],
                                              titles=["a", "b"], title="grid"),
    "image_grid signed": lambda: plotting.image_grid([RNG.normal(size=(8, 8))], signed=True),
    "plot_matrix": lambda: plotting.plot_matrix(np.arange(12).reshape(3, 4), window=(0, 1, 2, 2), title="m"),
    "plot_feature_maps": lambda: plotting.plot_feature_maps(
        {"a": RNG.random((4, 6, 6)), "b": RNG.random((4, 3, 3))}, [0, 2], title="maps"),
    "plot_filter_rows": lambda: plotting.plot_filter_rows([RNG.normal(size=(4, 1, 5, 5))] * 2, ["x", "y"],
                                                          title="filters"),
    "plot_class_responses": lambda: plotting.plot_class_responses(RNG.random((3, 5)), ["p", "q", "r"],
                                                                  title="responses"),
    "plot_activations": lambda: curves.plot_activations(["relu", "sigmoid"]),
    "plot_history": lambda: curves.plot_history(
        {"train_loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "train_accuracy": [0.4, 0.8],
         "val_accuracy": [0.3, 0.7]}, title="history"),
    "plot_objective": lambda: curves.plot_objective(np.cumsum(RNG.random((6, 3)), axis=0), title="objective"),
}


def test_every_public_figure_function_is_smoke_tested():
    public = {name for module in (plotting, curves) for name, value in vars(module).items()
              if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__}
    assert public <= {key.split()[0] for key in FIGURES}, public - {key.split()[0] for key in FIGURES}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_functions_return_a_drawn_figure(name):
    fig = FIGURES[name]()
    assert isinstance(fig, Figure) and fig.axes
    fig.canvas.draw()  # renders without error
    width, height = fig.get_size_inches()
    assert 0.5 < width < 40 and 0.5 < height < 40


def _raises(activations, filters):
    raise IndexError("index 6 is out of bounds")


def _always_cross() -> torch.nn.Module:
    """A SmallCNN that says "cross" whatever it is shown (the fc layer's bias alone decides)."""
    from cnncourse import SmallCNN

    model = SmallCNN()
    with torch.no_grad():
        model.fc.weight.zero_()
        model.fc.bias.copy_(torch.tensor([0.0, 0, 0, 0, 5, 0]))
    return model


def _with_model(check, model):
    """``check`` with the network its exercise checks the answer on (the table gives one argument)."""
    def bound(answer):
        return check(answer, model)
    bound.__name__ = check.__name__
    return bound


_RING = ((np.abs(np.hypot(*(np.mgrid[0:32, 0:32] + 0.5 - 16)) - 9) <= 1)).astype(np.float32)

# Every chapter's checker: a right answer, then near misses a reader could give: off by one, not an
# integer, the wrong order or shape, the wrong type, the answer to a neighbouring question.
CHECKS = [
    (exercises.check_conv_by_hand, [[0, -1, -1], [0, 0, 3], [1, 0, -1]],
     [[[0, 1, 1], [0, 0, -3], [-1, 0, 1]],           # the kernel flipped (true convolution)
      [[0, 0, 1], [-1, 0, 0], [-1, 3, -1]],          # transposed
      [[0, -1], [0, 0]], [[0, 0, 0]] * 3, "[[0, -1, -1], [0, 0, 3], [1, 0, -1]]"]),
    (exercises.check_output_shape, (112, 112),
     [(112.5, 112.5), (111, 111), (113, 113), (224, 224), (112,), "112x112", (True, 112)]),
    (exercises.check_line_kernel, [[-1, 2, -1]] * 3,
     [[[-1, 0, 1]] * 3, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], [[1, -2, 1]] * 3, [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]],
      [[1, 1, 1]] * 3, [[-1, 2, -1]] * 2, "line"]),
    (exercises.check_max_pool_by_hand, [[4, 3], [5, 6]],
     [[[1.75, 1.5], [2.25, 2.75]],                   # average pooling
      [[4, 5], [3, 6]], [[4, 3], [5, 5]], [[4, 3, 5, 6]], [4, 3, 5, 6]]),
    (exercises.check_pool_output_shape, (64, 55, 55),
     [(64, 55.5, 55.5), (64, 56, 56), (64, 54, 54), (55, 55, 64), (32, 55, 55), (64, 110, 110), (55, 55)]),
    (exercises.check_dense_weights_saved, 32 * 16 * 16 * 10 - 32 * 8 * 8 * 10,
     [0, 32 * 16 * 16 * 10, 32 * 8 * 8 * 10, 32 * 16 * 16 - 32 * 8 * 8, 61440.5, "61440"]),
    (exercises.check_sigmoid_depth, 0.25**10, [0.25, 0.25**9, 0.25**11, 2.5, "0.25 ** 10"]),
    (exercises.check_relu_pool_order, "same", ["different", "Same", True]),
    (exercises.check_block_shape, (16, 32, 32),
     [(16, 64, 64), (3, 32, 32), (32, 32, 16), (16, 31, 31), (16, 32.5, 32.5), (16, 32)]),
    (exercises.check_stage_shape, (32, 3, 3),
     [(32, 4, 4), (32, 3.5, 3.5), (32, 7, 7), (16, 7, 7), (3, 3, 32), (16, 8, 8), "abc"]),
    (exercises.check_conv_params, 400, [392, 393, 50, 208, 401, 400.5, "400", True, [400]]),
    (exercises.check_fc_inputs, 2048, [512, 8192, 12288, 12294, 4096, 2047, 2048.5, "2048", (32, 8, 8)]),
    (exercises.check_receptive_field_7x7, 22, [20, 12, 26, 19, 25, 29, 21, 23, 22.5, "22"]),
    (_with_model(exercises.check_misread_drawing, _always_cross()), (_RING, "ring"),
     [(_RING, "cross"),                               # the network gets this one right
      (np.zeros((32, 32)), "ring"), (_RING, "circle"), (_RING, 5), (_RING[:28, :28], "ring"), (_RING * 255, "ring"),
      ("ring", "ring"), (_RING,), _RING]),
    (exercises.check_dense_inputs, 512 * 7 * 7, [512, 7 * 7, 4096, 512 * 14 * 14, 25088.5]),
    (exercises.check_normalized_gradient, [1.2, -1.6, 0, 0],
     [[3, -4, 0, 0], [0.6, -0.8, 0, 0], [1.2, 1.6, 0, 0], [1.2, -1.6, 0], "[1.2, -1.6, 0, 0]"]),
    (exercises.check_deprocessed_pixel, ((160 - 140) / 20 * 0.1 + 0.5) * 255,
     [160, 0.6, 382.5, 25.5, 156]),
    (exercises.check_objective, lambda a, f: torch.stack([a[i, k].mean() for i, k in enumerate(f)]),
     [lambda a, f: a[:, f[0]].mean(dim=(1, 2)),      # one filter for every element
      lambda a, f: torch.stack([a[i, k].sum() for i, k in enumerate(f)]),
      lambda a, f: a.mean(dim=(1, 2, 3)), _raises, "mean"]),
    (exercises.check_receptive_field_by_hand, 27, [19, 17, 23, 37, 10, 26, 28, 27.5, "27"]),
    (exercises.check_vgg_output_shape, (512, 20, 30),
     [(512, 30, 20), (512, 40, 60), (512, 10, 15), (256, 20, 30), (512, 21, 30), (20, 30, 512), (512, 20.5, 30), "big"]),
    (exercises.check_first_layer_wider_than_100, "block4_conv1",
     ["block5_conv1", "block3_pool", "block4_conv2", "block4_pool", "fc1", 4]),
    (exercises.check_occlusion_windows, 144, [169, 121, 12, 196, 144.5, "144"]),
    (exercises.check_grad_cam_by_hand, [[2.5, 0], [1.5, 4]],
     [[[2.5, -1], [1.5, 4]], [[5, 0], [1, 7]], [[3, 0], [1.5, 4.5]], [[0.625, 0], [0.375, 1]],
      [[2.5, 1.5], [0, 4]], [2.5, 0, 1.5, 4]]),
    (exercises.check_sanity_check, ["Q", "R"], [["R"], ["Q"], [], ["P", "Q", "R"], "QR", ["S"]]),
]


def test_every_checker_is_tested_with_at_least_three_near_misses():
    checkers = {name for name, value in vars(exercises).items()
                if name.startswith("check_") and inspect.isfunction(value)
                and value.__module__.startswith(exercises.__name__ + ".")}
    assert len(checkers) >= 20
    assert checkers == {check.__name__ for check, _, _ in CHECKS}
    assert all(len(wrongs) >= 3 for _, _, wrongs in CHECKS)


@pytest.mark.parametrize("check, right, wrongs", CHECKS, ids=[c.__name__ for c, _, _ in CHECKS])
def test_checkers_accept_the_answer_and_reject_near_misses(check, right, wrongs):
    assert check(None).correct is None
    verdict = check(right)
    assert isinstance(verdict, Feedback) and verdict.correct is True, verdict
    if isinstance(right, int):
        assert check(np.int64(right)).correct is True         # a NumPy scalar will do
    for wrong in wrongs:            # never an exception: a wrong type is feedback too
        verdict = check(wrong)
        assert verdict.correct is False, (wrong, verdict)
        assert len(verdict.message) > 20, (wrong, verdict)        # says what to look at, not only "no"
    assert "Not yet" in feedback_html(check(wrongs[0]))    # what the notebook shows (cnncourse.figures.html)


@pytest.mark.parametrize("check, right, wrongs", CHECKS, ids=[c.__name__ for c, _, _ in CHECKS])
def test_every_checker_message_comes_out_chinese(check, right, wrongs, monkeypatch):
    from cnncourse.i18n.translate import CJK, set_language

    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")      # a message the catalog lacks raises
    set_language("zh")
    try:
        for answer in [right, *wrongs]:
            text = repr(check(answer)).split(" ", 1)[1]
            assert re.search(f"[{CJK}]", text), text
            # a reason filled into a template is looked up without strict mode: no English phrase may be left
            english = re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", text.split("IndexError")[0])
            assert not english, text
    finally:
        set_language("en")

"""Tests of chapter 4: the shapes data set, SmallCNN, the training loop and its explorer."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from cnncourse import (
    SHAPE_CLASSES,
    SmallCNN,
    class_responses,
    evaluate,
    layer_summary,
    levelled_off,
    load_checkpoint,
    make_shapes,
    preferred_inputs,
    stage_outputs,
    train,
    train_val_split,
)
from cnncourse.widgets.training import TrainingExplorer


@pytest.fixture(scope="module")
def small_split():
    return train_val_split(*make_shapes(600, seed=3), val_fraction=0.25, seed=1)


def _short_run(split, **kwargs):
    torch.manual_seed(0)
    model = SmallCNN()
    settings = {"epochs": 2, "batch_size": 30, "lr": 3e-3, "seed": 0, "progress": False, **kwargs}
    return model, train(model, split, **settings)


@pytest.fixture(scope="module")
def short_run(small_split):
    return _short_run(small_split, epochs=4, checkpoints=[0, 15, 30, 60])


# -- data ----------------------------------------------------------------------


def test_make_shapes_shapes_dtypes_and_range():
    images, labels = make_shapes(30, side=24, seed=0)
    assert images.shape == (30, 1, 24, 24) and images.dtype == torch.float32
    assert labels.shape == (30,) and labels.dtype == torch.int64
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    assert set(labels.tolist()) <= set(range(len(SHAPE_CLASSES)))


@pytest.mark.parametrize("n", [6, 61, 100])
def test_make_shapes_classes_are_balanced(n):
    counts = np.bincount(make_shapes(n, seed=0)[1].numpy(), minlength=len(SHAPE_CLASSES))
    assert counts.max() - counts.min() <= 1 and counts.sum() == n


def test_make_shapes_is_deterministic_and_seed_matters():
    a_images, a_labels = make_shapes(24, seed=7)
    b_images, b_labels = make_shapes(24, seed=7)
    c_images, _ = make_shapes(24, seed=8)
    assert torch.equal(a_images, b_images) and torch.equal(a_labels, b_labels)
    assert not torch.equal(a_images, c_images)


def test_make_shapes_draws_a_bright_shape_on_every_image():
    images, _ = make_shapes(60, seed=2)
    # The brightest pixels (the stroke) stand out from the median (background).
    flat = images.flatten(1)
    assert bool((flat.max(dim=1).values - flat.median(dim=1).values > 0.3).all())


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n": 0}, ValueError, "n must be >= 1, got 0"),
    ({"n": 2.5}, TypeError, "n must be an int, got 2.5"),
    ({"n": 4, "side": 8}, ValueError, "side must be >= 16, got 8"),
    ({"n": 4, "seed": "a"}, TypeError, "seed must be an int, got 'a'"),
])
def test_make_shapes_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_shapes(**kwargs)


def test_train_val_split_sizes_and_disjoint():
    images, labels = make_shapes(50, seed=0)
    split = train_val_split(images, labels, val_fraction=0.2, seed=0)
    assert len(split.train_labels) == 40 and len(split.val_labels) == 10
    together = torch.cat([split.train_images, split.val_images]).flatten(1)
    assert len(torch.unique(together, dim=0)) == 50  # every image once, none twice
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(images, labels, val_fraction=1.0)
    with pytest.raises(ValueError, match="shape"):
        train_val_split(images[:, 0], labels)


# -- model ---------------------------------------------------------------------


def test_small_cnn_output_shape_and_stage_names():
    model = SmallCNN()
    assert model(torch.zeros(5, 1, 32, 32)).shape == (5, len(SHAPE_CLASSES))
    names = [name for name, _ in model.named_children()]
    assert names == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3",
                     "flatten", "fc"]
    assert isinstance(model[:3], nn.Sequential) and model["conv1"] is model.conv1


def test_layer_summary_shapes_and_parameters():
    rows = layer_summary(SmallCNN(), torch.zeros(1, 32, 32))
    shapes = {row.name: row.shape for row in rows}
    assert shapes["input"] == (1, 32, 32)
    assert shapes["conv1"] == (8, 32, 32) and shapes["pool1"] == (8, 16, 16)
    assert shapes["pool2"] == (16, 8, 8) and shapes["pool3"] == (32, 4, 4)
    assert shapes["flatten"] == (512,) and shapes["fc"] == (6,)
    params = {row.name: row.params for row in rows}
    # weights kh*kw*in*out plus one bias per filter
    assert params == {"input": 0, "conv1": 5 * 5 * 1 * 8 + 8, "relu1": 0, "pool1": 0,
                      "conv2": 3 * 3 * 8 * 16 + 16, "relu2": 0, "pool2": 0,
                      "conv3": 3 * 3 * 16 * 32 + 32, "relu3": 0, "pool3": 0,
                      "flatten": 0, "fc": 512 * 6 + 6}
    assert sum(params.values()) == sum(p.numel() for p in SmallCNN().parameters())


@pytest.mark.parametrize("kernel, size", [(3, 32), (7, 32), (5, 64), (4, 28)])
def test_small_cnn_other_settings_match_output_size_formula(kernel, size):
    model = SmallCNN(kernel_sizes=(kernel, 3, 3), side=size)
    rows = layer_summary(model, torch.zeros(1, size, size))
    assert rows[-1].shape == (6,)
    assert rows[1].params == kernel * kernel * 8 + 8


def test_small_cnn_rejects_bad_settings():
    with pytest.raises(ValueError, match="same"):
        SmallCNN(channels=(8, 16), kernel_sizes=(3,))
    with pytest.raises(ValueError, match="too small"):
        SmallCNN(side=4)


def test_stage_outputs_keeps_training_mode_and_checks_input():
    model = SmallCNN().train()
    outputs = stage_outputs(model, np.zeros((32, 32)))
    assert model.training and list(outputs)[:2] == ["input", "conv1"]
    with pytest.raises(ValueError, match="image"):
        stage_outputs(model, torch.zeros(2, 1, 32, 32))
    with pytest.raises(TypeError, match="Sequential"):
        stage_outputs(nn.Linear(2, 2), torch.zeros(1, 2))


# -- training ------------------------------------------------------------------


def test_training_lowers_the_loss(small_split, short_run):
    model, run = short_run
    torch.manual_seed(0)
    start_loss, _ = evaluate(SmallCNN(), small_split.val_images, small_split.val_labels)
    assert run.history["val_loss"][-1] < start_loss
    assert run.history["train_loss"][-1] < run.history["train_loss"][0]
    assert all(len(values) == 4 for values in run.history.values()) and len(run.seconds) == 4


def test_checkpoints_are_copies_at_the_asked_steps(small_split, short_run):
    model, run = short_run
    assert run.steps_per_epoch == 15 and [c.step for c in run.checkpoints] == [0, 15, 30, 60]
    first, last = run.checkpoints[0].state["conv1.weight"], run.checkpoints[-1].state["conv1.weight"]
    assert not torch.equal(first, last)
    assert torch.equal(last, model.conv1.weight.detach())
    restored = load_checkpoint(model, run.checkpoints[0])
    assert torch.equal(restored.conv1.weight, first) and not torch.equal(model.conv1.weight, first)
    assert run.checkpoints[0].label == "before training"


def test_training_is_deterministic_and_leaves_global_state_alone(small_split):
    threads = torch.get_num_threads()
    model_a, run_a = _short_run(small_split, epochs=1)
    model_b, run_b = _short_run(small_split, epochs=1)
    assert run_a.history == run_b.history
    for key, value in model_a.state_dict().items():
        assert torch.equal(value, model_b.state_dict()[key])
    assert torch.get_num_threads() == threads
    assert not torch.are_deterministic_algorithms_enabled()
    # train() restores the global random generator it found
    model = SmallCNN()
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    train(model, small_split, epochs=1, progress=False, checkpoints=[])
    assert torch.equal(torch.rand(3), expected)


def test_different_seeds_shuffle_differently(small_split):
    _, run_a = _short_run(small_split, epochs=1, seed=0)
    _, run_b = _short_run(small_split, epochs=1, seed=1)
    assert run_a.history["train_loss"] != run_b.history["train_loss"]


@pytest.mark.parametrize("values, expected", [
    ([0.2, 0.5, 0.8, 0.9, 0.9, 0.9], True),           # the last 2 never beat 0.9
    ([0.2, 0.5, 0.8, 0.9, 0.9, 0.95], False),         # 0.95 beats it by 0.05
    ([0.2, 0.5, 0.8, 0.9, 0.905, 0.909], True),       # gains under min_gain do not count
    ([0.2, 0.2, 0.2], False),                         # a flat start is not a plateau: min_epochs
    ([0.9, 0.5, 0.5, 0.5], True),                     # a fall is no gain
])
def test_levelled_off(values, expected):
    assert levelled_off(values, patience=2, min_gain=0.01, min_epochs=4) is expected


def test_levelled_off_rejects_bad_settings():
    with pytest.raises(ValueError, match="patience must be >= 1, got 0"):
        levelled_off([0.5] * 20, patience=0)
    with pytest.raises(ValueError, match="min_gain must be a finite number >= 0, got -0.1"):
        levelled_off([0.5] * 20, min_gain=-0.1)


def test_train_stops_when_the_stopping_rule_says_so(small_split):
    seen = []

    def stop(history):
        seen.append(len(history["train_accuracy"]))
        return len(history["train_accuracy"]) == 2

    _, run = _short_run(small_split, epochs=5, stop=stop)
    assert seen == [1, 2]
    assert all(len(values) == 2 for values in run.history.values()) and len(run.seconds) == 2
    assert [c.step for c in run.checkpoints] == [0, 15, 30]


@pytest.mark.parametrize("kwargs, match", [
    ({"epochs": 0}, "epochs must be >= 1, got 0"),
    ({"batch_size": 0}, "batch_size must be >= 1, got 0"),
    ({"lr": 0.0}, r"lr must be a positive finite number, got 0.0"),
    ({"threads": 0}, "threads must be >= 1, got 0"),
    ({"checkpoints": [-1]}, "checkpoints must be >= 0, got -1"),
])
def test_train_rejects_bad_settings(small_split, kwargs, match):
    with pytest.raises(ValueError, match=match):
        train(SmallCNN(), small_split, progress=False, **kwargs)


def test_class_responses_and_preferred_inputs(short_run, small_split):
    model, _ = short_run
    responses = class_responses(model, small_split.val_images, small_split.val_labels, "relu2")
    assert responses.shape == (6, 16) and bool((responses >= 0).all())
    images = preferred_inputs(model, "relu1", steps=3)
    assert images.shape == (8, 1, 32, 32)
    assert float(images.min()) >= 0 and float(images.max()) <= 1
    with pytest.raises(ValueError, match="valid layers are conv1"):
        preferred_inputs(model, "block1_conv1")
    with pytest.raises(ValueError, match="feature maps"):
        class_responses(model, small_split.val_images, small_split.val_labels, "fc")


# -- widget --------------------------------------------------------------------


def test_explorer_steps_through_checkpoints(short_run, small_split):
    model, run = short_run
    explorer = TrainingExplorer(model, run, small_split.val_images, small_split.val_labels, index=1)
    assert explorer.position.max == explorer.play.max == len(run.checkpoints) - 1
    assert explorer.position.description == "checkpoint"
    first = explorer.display.value
    assert "before training" in first.lower()
    explorer.position.value = 3
    assert explorer.current["step"] == 60 and explorer.display.value != first
    model.eval()
    with torch.no_grad():
        expected = int(model(small_split.val_images[1:2]).argmax())
    assert explorer.current["predicted"] == expected
    # 1 input + 8 filters + 8 feature maps, every one with alt text
    assert explorer.display.value.count("<img ") == 17
    assert explorer.display.value.count('alt="') == 17


def test_explorer_bad_value_shows_message_and_keeps_picture(short_run, small_split):
    model, run = short_run
    explorer = TrainingExplorer(model, run, small_split.val_images, small_split.val_labels)
    picture = explorer.display.value
    explorer.index.value = len(small_split.val_labels)
    assert "cnn-error" in explorer.message.value and "between 0 and" in explorer.message.value
    assert explorer.display.value == picture
    explorer.index.value = 2
    assert explorer.message.value == "" and explorer.current["index"] == 2


def test_explorer_player_has_one_frame_per_checkpoint(short_run, small_split):
    model, run = short_run
    explorer = TrainingExplorer(model, run, small_split.val_images)
    explorer.position.value = 2
    player = explorer.to_player("Training")
    html = player._repr_html_()
    assert len(player.frames) == len(run.checkpoints)
    assert html.count("<img ") == html.count('alt="') == 17 * len(run.checkpoints)
    assert html.count('src="data:image/png;base64,') == 17 * len(run.checkpoints)
    assert "http://" not in html and "https://" not in html
    assert explorer.position.value == 2 and explorer.current["checkpoint"] == 2
    assert explorer.display.value.endswith(player.frames[2])


def test_explorer_rejects_a_run_without_checkpoints(small_split):
    from cnncourse.nets.training import TrainingRun

    with pytest.raises(ValueError, match="run must be a TrainingRun with at least one checkpoint"):
        TrainingExplorer(SmallCNN(), TrainingRun(), small_split.val_images)


def test_explorer_never_changes_the_model(short_run, small_split):
    model, run = short_run
    before = {k: v.clone() for k, v in model.state_dict().items()}
    explorer = TrainingExplorer(model, run, small_split.val_images)
    explorer.position.value = 1
    explorer.to_player("Training")
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


# -- exercises -----------------------------------------------------------------


# (checker, its right answer, plausible wrong answers: near misses, neighbouring questions, wrong types)




"""Benchmarks of chapters 2 and 3: widget updates, pool2d vs PyTorch, activation costs.

Run from the repository root::

    python benchmarks/bench_pooling_activations.py

Prints, measured side by side in one run on this machine:

* the median time of one update of each explorer (target: at most 30 ms);
* ``pool2d`` against ``torch.nn.functional.max_pool2d`` / ``avg_pool2d`` on a
  64 x 512 x 512 input (target: within 3x of PyTorch);
* ReLU against sigmoid and tanh on a large array, in NumPy and in PyTorch.
"""

from __future__ import annotations


import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from _timing import median_time  # noqa: E402

from cnncourse.ops.activations import ACTIVATIONS, relu, sigmoid, tanh
from cnncourse.ops.pooling import pool2d
from cnncourse.widgets.activations import ActivationExplorer
from cnncourse.widgets.pooling import PoolingExplorer


def widget_updates() -> None:
    print("== Widgets: median time of one update (target <= 30 ms)")
    pooling = PoolingExplorer()
    steps = iter(range(10**6))

    def step_position() -> None:
        pooling.position.value = next(steps) % pooling.steps + 1  # the slider counts steps from 1

    modes = iter(range(10**6))

    def toggle_mode() -> None:
        pooling.mode.value = ("max", "avg")[next(modes) % 2]

    print(f"PoolingExplorer, position step:   {median_time(step_position, 60) * 1e3:6.1f} ms")
    print(f"PoolingExplorer, mode change:     {median_time(toggle_mode, 30) * 1e3:6.1f} ms")

    explorer = ActivationExplorer()
    names = list(ACTIVATIONS)
    picks = iter(range(10**6))

    def next_activation() -> None:
        explorer.activation.value = names[next(picks) % len(names)]

    print(f"ActivationExplorer, activation:   {median_time(next_activation, 30) * 1e3:6.1f} ms"
          f"   (feature map {explorer.before.shape[0]}x{explorer.before.shape[1]})")
    explorer.activation.value = "leaky_relu"
    slopes = iter(range(10**6))

    def next_slope() -> None:
        explorer.slope.value = f"{0.01 + 0.01 * (next(slopes) % 30):.2f}"

    print(f"ActivationExplorer, leaky slope:  {median_time(next_slope, 30) * 1e3:6.1f} ms")


def pooling_vs_torch() -> None:
    print("\n== pool2d vs PyTorch on a 64 x 512 x 512 input (target: within 3x)")
    print(f"(torch threads: {torch.get_num_threads()})")
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        x = rng.normal(size=(64, 512, 512)).astype(dtype)
        t = torch.from_numpy(x)[None]
        for mode, torch_pool in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
            for size, stride in ((2, 2), (3, 2)):
                ours = median_time(lambda: pool2d(x, size, stride=stride, mode=mode), 5)
                theirs = median_time(lambda: torch_pool(t, size, stride=stride), 5)
                assert np.allclose(pool2d(x, size, stride=stride, mode=mode), torch_pool(t, size, stride=stride)[0],
                                   atol=1e-5)
                print(f"{np.dtype(dtype).name:8s} {mode} size {size} stride {stride}: pool2d {ours * 1e3:7.1f} ms,"
                      f" torch {theirs * 1e3:7.1f} ms, ratio {ours / theirs:4.2f}x")


def activation_costs() -> None:
    print("\n== ReLU vs sigmoid vs tanh on 10 million float32 values")
    x = np.random.default_rng(0).normal(size=10_000_000).astype(np.float32)
    t = torch.from_numpy(x)
    numpy_times = {"relu": median_time(lambda: relu(x), 7), "sigmoid": median_time(lambda: sigmoid(x), 7),
                   "tanh": median_time(lambda: tanh(x), 7)}
    torch_times = {"relu": median_time(lambda: torch.relu(t), 7), "sigmoid": median_time(lambda: torch.sigmoid(t), 7),
                   "tanh": median_time(lambda: torch.tanh(t), 7)}
    for label, times in (("cnncourse (NumPy)", numpy_times), ("PyTorch", torch_times)):
        print(f"{label:18s} relu {times['relu'] * 1e3:6.1f} ms, sigmoid {times['sigmoid'] * 1e3:6.1f} ms "
              f"({times['sigmoid'] / times['relu']:.1f}x relu), tanh {times['tanh'] * 1e3:6.1f} ms "
              f"({times['tanh'] / times['relu']:.1f}x relu)")


if __name__ == "__main__":
    widget_updates()
    pooling_vs_torch()
    activation_costs()

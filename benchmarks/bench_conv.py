"""Chapter 1 performance: the convolution explorer and conv2d.

Run: python benchmarks/bench_conv.py

Prints, measured side by side in one run on this machine:
- the explorer's update time per step (median; target <= 30 ms);
- conv2d (vectorized NumPy, float64) vs torch.nn.functional.conv2d on a
  512x512 image with a 3x3 kernel (target: within 3x of PyTorch);
- the loop version vs the vectorized one (the lesson of chapter 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from _timing import median_time, side_by_side  # noqa: E402

from cnncourse import KERNELS, ConvolutionExplorer, conv2d, conv2d_loop, load_sample, to_grayscale  # noqa: E402


def explorer_step_ms() -> dict[str, float]:
    explorer = ConvolutionExplorer()
    steps = iter(range(10**9))

    def move():
        explorer.position.value = next(steps) % explorer.steps + 1  # the slider counts steps from 1

    def change_padding():
        explorer.padding.value = 1 - explorer.padding.value

    large = ConvolutionExplorer(np.random.default_rng(0).random((12, 12)), "sobel x", padding=1)
    large_steps = iter(range(10**9))

    def move_large():
        large.position.value = next(large_steps) % large.steps + 1

    return {
        "move one step (5x5 input)": median_time(move, repeat=200) * 1e3,
        "change padding (recompute)": median_time(change_padding, repeat=100) * 1e3,
        "move one step (12x12 input, padding 1)": median_time(move_large, repeat=200) * 1e3,
    }


def main() -> None:
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("\nConvolution explorer, update time per step (median, target <= 30 ms):")
    for name, ms in explorer_step_ms().items():
        print(f"  {name:42s} {ms:7.2f} ms")

    photo = to_grayscale(load_sample("astronaut"))  # 512 x 512
    kernel = KERNELS["sobel x"]
    x64 = torch.tensor(photo)[None, None]
    k64 = torch.tensor(kernel)[None, None]
    x32, k32 = x64.float(), k64.float()
    times = side_by_side({
        "conv2d (NumPy, float64)": lambda: conv2d(photo, kernel),
        "torch conv2d, float64": lambda: F.conv2d(x64, k64),
        "torch conv2d, float32": lambda: F.conv2d(x32, k32),
    }, repeat=60)
    print("\n512x512 image, 3x3 kernel (median of interleaved runs):")
    for name, seconds in times.items():
        print(f"  {name:28s} {seconds * 1e3:8.2f} ms")
    ours = times["conv2d (NumPy, float64)"]
    print(f"  ratio conv2d / torch float64: {ours / times['torch conv2d, float64']:.2f}x  (target <= 3x)")
    print(f"  ratio conv2d / torch float32: {ours / times['torch conv2d, float32']:.2f}x  (target <= 3x)")

    loop = median_time(lambda: conv2d_loop(photo, kernel), repeat=1, warmup=0)
    print(f"\nloop version: {loop:.2f} s = {loop / ours:,.0f}x the vectorized conv2d (the lesson of chapter 1)")


if __name__ == "__main__":
    main()

"""Benchmark of filter visualization (chapter 5), ratios measured side by side in one run.

For each conv layer of VGG16 (untrained weights: speed does not depend on
them), with the same filters, canvas and steps (default 16 filters, 128x128,
20 steps), it times:

* ``visualize_filters`` (float32, the default);
* the **classic** recipe: one filter at a time, the whole convolutional base
  at every step (the activation read from the layer's output on the way);
* the **compute floor**: only the forward and backward passes through the
  layers up to the target, for the same batch and steps, nothing else;
* the floor in the default (contiguous) memory format, to show what the
  **channels-last** format that ``visualize_filters`` uses gives;
* ``visualize_filters`` under **bfloat16** autocast (where the CPU supports
  it), with how much its pictures differ from the float32 ones.

Then it runs chapter 5 top to bottom (nbclient, in a subprocess, with
``CNNCOURSE_WEIGHTS=random``) and reports its wall time and the kernel's
peak memory.

Usage::

    python benchmarks/bench_featureviz.py            # all 13 conv layers (many minutes)
    python benchmarks/bench_featureviz.py --quick    # block1_conv1, block3_conv1, block5_conv3

Timings on a shared machine are noisy; each variant of a layer is timed
``--repeat`` times, interleaved, and the best time kept, so the ratios are
taken under the same conditions.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import torch

from cnncourse.featureviz.filters import bfloat16_autocast, visualize_filters
from cnncourse.nets.vgg import load_vgg16
from cnncourse.nets.vgg_layers import VGG16_LAYERS, truncated

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "05_filter_visualization.ipynb"
CONV_LAYERS = [name for name in VGG16_LAYERS if "_conv" in name]
QUICK_LAYERS = ["block1_conv1", "block3_conv1", "block5_conv3"]
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def floor(model, layer: str, filters: int, size: int, steps: int, channels_last: bool = True) -> None:
    """Forward and backward through the truncated network only: the compute floor.

    In channels-last memory format by default, as ``visualize_filters`` computes.
    """
    net = truncated(model, layer)
    x = torch.rand(filters, 3, size, size)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    x.requires_grad_(True)
    for _ in range(steps):
        (grad,) = torch.autograd.grad(net(x).sum(), x)


def classic(model, layer: str, filters: int, size: int, steps: int) -> None:
    """One filter at a time, the whole convolutional base every step (the classic recipe)."""
    features = getattr(model, "features", model)
    end = VGG16_LAYERS[layer] + 1  # the ReLU after the conv
    for f in range(filters):
        x = (128 + 20 * (torch.rand(1, 3, size, size) - 0.5)).requires_grad_(True)
        for _ in range(steps):
            h, kept = (x / 255 - MEAN) / STD, None
            for index, module in enumerate(features):
                h = module(h)
                if index == end:
                    kept = h
            (grad,) = torch.autograd.grad(kept[0, f].mean(), x)
            x = (x + grad / (grad.pow(2).mean().sqrt() + 1e-12)).detach().requires_grad_(True)


def picture_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference (gray levels) and the lowest per-picture correlation."""
    diff = float(np.abs(a.astype(float) - b.astype(float)).mean())
    corr = min(float(np.corrcoef(x.ravel().astype(float), y.ravel().astype(float))[0, 1])
               for x, y in zip(a, b))
    return diff, corr


def bench_layers(layers: list[str], filters: int, size: int, steps: int, repeat: int, skip_classic: bool) -> None:
    model = load_vgg16("random", device="cpu")
    bf16 = bfloat16_autocast("cpu")
    has_bf16 = not isinstance(bf16, contextlib.nullcontext)
    run = dict(side=size, steps=steps, progress=False)
    print(f"{filters} filters, {size}x{size} pixels, {steps} steps; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, native bfloat16: {has_bf16}; best of {repeat}")
    header = (f"{'layer':13} {'visualize':>9} {'classic':>8} {'floor':>7} | {'classic/vf':>10} {'vf/floor':>8} "
              f"| {'ch-last':>7} {'bf16':>6} | {'bf16 diff':>9} {'bf16 corr':>9}")
    print(header)
    print("-" * len(header))
    for layer in layers:
        best = {"vf": np.inf, "classic": np.inf, "floor": np.inf, "contiguous": np.inf, "bf16": np.inf}
        pictures = {}
        for _ in range(repeat):  # interleaved, so every variant sees the same load
            t, _ = timed(lambda: floor(model, layer, filters, size, steps))
            best["floor"] = min(best["floor"], t)
            t, r = timed(lambda: visualize_filters(model, layer, range(filters), **run))
            best["vf"], pictures["fp32"] = min(best["vf"], t), r.images
            if not skip_classic:
                t, _ = timed(lambda: classic(model, layer, filters, size, steps))
                best["classic"] = min(best["classic"], t)
            t, _ = timed(lambda: floor(model, layer, filters, size, steps, channels_last=False))
            best["contiguous"] = min(best["contiguous"], t)
            with bfloat16_autocast("cpu"):
                t, r = timed(lambda: visualize_filters(model, layer, range(filters), **run))
            best["bf16"], pictures["bf16"] = min(best["bf16"], t), r.images
        diff, corr = picture_difference(pictures["fp32"], pictures["bf16"])
        slow = f"{best['classic']:7.2f}s" if not skip_classic else f"{'-':>8}"
        speedup = f"{best['classic'] / best['vf']:9.1f}x" if not skip_classic else f"{'-':>10}"
        print(f"{layer:13} {best['vf']:8.2f}s {slow} {best['floor']:6.2f}s | "
              f"{speedup} {best['vf'] / best['floor']:7.2f}x | "
              f"{best['contiguous'] / best['floor']:6.2f}x {best['vf'] / best['bf16']:5.2f}x | "
              f"{diff:9.1f} {corr:9.3f}", flush=True)
    print("classic/vf: speed-up over the classic recipe; vf/floor: overhead over the compute floor "
          "(target <= 1.15);\nch-last: speed-up of the floor in channels-last memory format (what visualize_filters "
          "uses) over the default format;\nbf16: speed-up of visualize_filters under bfloat16 autocast;\nbf16 diff: mean |difference| of the pictures in gray levels (0-255), bf16 corr: "
          "lowest correlation of a bf16 picture with its float32 one.")


NOTEBOOK_RUNNER = textwrap.dedent("""
    import os, resource, sys, time
    import nbformat
    from nbclient import NotebookClient
    path = sys.argv[1]
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=1800, kernel_name="python3",
                   resources={"metadata": {"path": os.path.dirname(path)}}).execute()
    seconds = time.perf_counter() - start
    kernel_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the kernel, once it has exited
    print(f"{seconds:.1f} {kernel_kib / 1024:.0f}")
""")


def bench_chapter() -> None:
    env = {**os.environ, "CNNCOURSE_WEIGHTS": "random"}
    out = subprocess.run([sys.executable, "-c", NOTEBOOK_RUNNER, str(CHAPTER)], env=env, check=True,
                         capture_output=True, text=True)
    seconds, peak_mib = out.stdout.split()[-2:]
    print(f"chapter 5 ({CHAPTER.name}), CNNCOURSE_WEIGHTS=random: executed in {float(seconds):.0f} s "
          f"(target <= 180 s), kernel peak memory {int(peak_mib)} MiB (target <= 2048 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK_LAYERS)}")
    parser.add_argument("--layers", nargs="+", choices=CONV_LAYERS, help="conv layers to time")
    parser.add_argument("--filters", type=int, default=16)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="timings per variant (best kept)")
    parser.add_argument("--skip-classic", action="store_true", help="do not time the (slow) classic recipe")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--skip-chapter", action="store_true", help="do not execute chapter 5")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    layers = args.layers or (QUICK_LAYERS if args.quick else CONV_LAYERS)
    print(f"load average at the start: {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (other jobs make timings noisy)")
    bench_layers(layers, args.filters, args.size, args.steps, args.repeat, args.skip_classic)
    if not args.skip_chapter:
        bench_chapter()
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Benchmark of chapter 7's attribution maps on VGG16 at 224x224, ratios measured side by side in one run.

1. ``grad_cam`` and ``saliency`` (plain gradient) against one forward and one
   backward pass of VGG16 (with its top) on the same input -- the least any
   gradient map can cost (targets: at most 1.15x);
2. ``occlusion`` computed incrementally (only the changed part of each
   feature map, the default) against the naive way (the whole network per
   window, in batches), for window/stride (32, 16), (32, 8), (16, 8),
   (64, 32): the time of each, the speed-up (target: at least 2x at (32, 16))
   and the largest difference between the two maps (target: below 1e-5).

Weights are untrained (``CNNCOURSE_WEIGHTS=random``): times do not depend on
the weights' values. The last layer is scaled up (x100) so that the
probabilities, and the occlusion maps, are not all nearly equal.

Usage::

    python benchmarks/bench_attribution.py             # all four configurations (~10 minutes on 2 cores)
    python benchmarks/bench_attribution.py --quick     # (32, 16) and (64, 32) only
    python benchmarks/bench_attribution.py --configs 32,16 16,8 --repeat 2
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

os.environ.setdefault("CNNCOURSE_WEIGHTS", "random")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from cnncourse import grad_cam, load_sample, load_vgg16, occlusion, preprocess, saliency  # noqa: E402
from cnncourse.attribution.occlusion import window_starts  # noqa: E402

from _timing import side_by_side, timed  # noqa: E402

CONFIGS = [(32, 16), (32, 8), (16, 8), (64, 32)]
QUICK = [(32, 16), (64, 32)]


def photo(side: int) -> np.ndarray:
    image = load_sample("cat")
    left = (image.shape[1] - image.shape[0]) // 2
    square = image[:, left:left + image.shape[0]] if left >= 0 else image
    return np.asarray(Image.fromarray(square).resize((side, side), Image.Resampling.LANCZOS))


def bench_gradients(model, image, target: int, repeat: int) -> None:
    def forward_backward():
        x = preprocess(image).requires_grad_(True)
        model(x)[0, target].backward()

    functions = {
        "forward+backward": forward_backward,
        "saliency": lambda: saliency(model, image, target),
        "grad_cam": lambda: grad_cam(model, image, target),
    }
    medians = side_by_side(functions, repeat=repeat, rounds=3)
    best = {name: float("inf") for name in functions}
    for _ in range(repeat):  # interleaved again; on a busy machine the best time is the steadier one
        for name, function in functions.items():
            best[name] = min(best[name], timed(function)[0])
    print(f"1. gradient maps, VGG16 with top, {image.shape[0]}x{image.shape[1]} "
          f"({repeat} interleaved runs each; target: at most 1.15x)")
    print("   map                    median   ratio       best   ratio")
    for name in functions:
        print(f"   {name:18s} {medians[name] * 1e3:8.0f} ms {medians[name] / medians['forward+backward']:6.2f}x "
              f"{best[name] * 1e3:8.0f} ms {best[name] / best['forward+backward']:6.2f}x")


def bench_occlusion(model, image, target: int, configs: list[tuple[int, int]], repeat: int) -> None:
    side = image.shape[0]
    print(f"2. occlusion, VGG16 with top, {side}x{side} (best of {repeat}, interleaved)")
    print("   window stride windows     naive  incremental  speed-up   max |diff|")
    for window, stride in configs:
        count = len(window_starts(side, window, stride)) ** 2
        best_naive = best_fast = float("inf")
        for _ in range(repeat):
            t_naive, naive = timed(lambda: occlusion(model, image, target, window=window, stride=stride,
                                                     incremental=False, progress=False))
            t_fast, fast = timed(lambda: occlusion(model, image, target, window=window, stride=stride,
                                                   progress=False))
            best_naive, best_fast = min(best_naive, t_naive), min(best_fast, t_fast)
        diff = float(np.abs(fast - naive).max())
        print(f"   {window:6d} {stride:6d} {count:7d} {best_naive:8.1f} s {best_fast:9.1f} s "
              f"{best_naive / best_fast:8.2f}x   {diff:.1e}  (map range {np.abs(naive).max():.2g})",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="occlusion at (32, 16) and (64, 32) only")
    parser.add_argument("--configs", nargs="+", help="window,stride pairs, e.g. 32,16 16,8")
    parser.add_argument("--side", type=int, default=224, help="image side in pixels")
    parser.add_argument("--repeat", type=int, default=1, help="occlusion timings per variant (best kept)")
    parser.add_argument("--gradient-repeat", type=int, default=9, help="timings of each gradient map")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--only", choices=["gradients", "occlusion"], help="run one part only")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    configs = ([tuple(int(v) for v in c.split(",")) for c in args.configs] if args.configs
               else QUICK if args.quick else CONFIGS)

    model = load_vgg16("random", include_top=True, device="cpu")
    with torch.no_grad():
        model.classifier[-1].weight.mul_(100.0)
    image = photo(args.side)
    with torch.no_grad():
        target = int(model(preprocess(image)).argmax())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, target class {target}")
    if args.only != "occlusion":
        bench_gradients(model, image, target, args.gradient_repeat)
    if args.only != "gradients":
        bench_occlusion(model, image, target, configs, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    print(f"peak memory of this process (max RSS): {peak:.2f} GiB")


if __name__ == "__main__":
    sys.exit(main())

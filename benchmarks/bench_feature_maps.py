"""Benchmark of chapter 6: the layer stepper's update time and the chapter's peak memory.

Usage::

    python benchmarks/bench_feature_maps.py            # everything (about a minute)
    python benchmarks/bench_feature_maps.py --no-notebook   # skip executing the chapter

Prints, measured side by side in one run on this machine:

1. ``feature_maps`` for all 18 layers against one plain forward pass through
   the convolutional base (the copies it keeps should cost little);
2. the layer stepper's time per step (target: median <= 100 ms), for a step
   to a layer not shown yet with these settings and for a step already seen,
   against drawing the same maps with matplotlib (the obvious way);
3. the peak memory (maximum resident set size) of chapter 6 executed top to
   bottom in a fresh kernel, next to the memory of a kernel that only imports
   torch, torchvision and cnncourse (target: <= 2 GB, Binder's limit).

Weights are untrained (``CNNCOURSE_WEIGHTS=random``): times and memory do
not depend on the weights' values.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("CNNCOURSE_WEIGHTS", "random")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from cnncourse.ops.images import load_sample  # noqa: E402
from cnncourse.figures.plotting import plot_feature_maps  # noqa: E402
from cnncourse.nets.vgg import load_vgg16, preprocess  # noqa: E402
from cnncourse.nets.vgg_layers import VGG16_LAYERS  # noqa: E402
from cnncourse.nets.vgg_maps import feature_maps  # noqa: E402
from cnncourse.widgets.layers import LayerStepper  # noqa: E402

from _timing import each_time, timed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "06_feature_maps.ipynb"
NAMES = list(VGG16_LAYERS)


def cat_224() -> np.ndarray:
    photo = load_sample("cat")
    left = (photo.shape[1] - photo.shape[0]) // 2
    square = photo[:, left:left + photo.shape[0]]
    return np.asarray(Image.fromarray(square).resize((224, 224), Image.Resampling.LANCZOS))


def bench_feature_maps(model, image) -> None:
    x = preprocess(image)

    def plain_forward():
        with torch.no_grad():
            model(x)

    plain_forward()  # warm up
    t_plain, t_maps = float("inf"), float("inf")
    for _ in range(5):  # interleaved, so both see the same load on a shared machine
        t_plain = min(t_plain, timed(plain_forward)[0])
        t_maps = min(t_maps, timed(lambda: feature_maps(model, image))[0])
    print("1. feature maps of all 18 layers, 224x224 photo (best of 5, interleaved)")
    print(f"   one plain forward pass:      {t_plain * 1e3:7.0f} ms")
    print(f"   feature_maps (all 18 kept):  {t_maps * 1e3:7.0f} ms   ratio {t_maps / t_plain:.2f}x")


def bench_stepper(model, image) -> None:
    t_create, stepper = timed(lambda: LayerStepper(model, image, channels=8))

    def show(name: str) -> None:
        stepper.layer.value = name
        assert stepper.message.value == "", stepper.message.value

    def step_through() -> list[float]:
        return each_time(lambda name=name: show(name) for name in NAMES)

    stepper.layer.value = NAMES[-1]
    first = step_through()       # every layer drawn for the first time (block1_conv1 was drawn at creation)
    again = step_through()       # every layer already drawn: from the cache
    stepper.first.value = 8      # new channels: every layer drawn again
    changed = step_through()

    def matplotlib_step(name: str) -> None:
        fig = plot_feature_maps({name: stepper.maps[name]}, list(range(8)), panel_inches=1.2)
        fig.savefig(io.BytesIO(), format="png")

    mpl = each_time(lambda name=name: matplotlib_step(name) for name in NAMES)

    def row(label: str, times: list[float]) -> str:
        return (f"   {label:36} median {statistics.median(times) * 1e3:6.1f} ms   "
                f"max {max(times) * 1e3:6.1f} ms")

    print(f"2. layer stepper, 8 maps per layer (created in {t_create:.1f} s: the 18 layers' maps computed once)")
    print(row("step to a layer not drawn yet:", first[1:] + changed))
    print(row("step to a layer already drawn:", again))
    print(row("same maps drawn with matplotlib:", mpl))
    ratio = statistics.median(mpl) / statistics.median(first[1:] + changed)
    verdict = "OK" if statistics.median(first[1:] + changed) <= 0.1 else "TOO SLOW"
    print(f"   target median <= 100 ms: {verdict}; the stepper's drawing is {ratio:.0f}x faster than matplotlib")


def child_peak_mb(code: str) -> float:
    """Run ``code`` in a fresh Python and return the largest resident set of its process tree, in MB."""
    runner = ("import resource, subprocess, sys\n"
              "subprocess.run([sys.executable, '-c', sys.argv[1]], check=True)\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", runner, code], check=True, capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "CNNCOURSE_WEIGHTS": "random"})
    return int(out.stdout.strip().splitlines()[-1]) / 1024  # Linux reports kilobytes


def bench_memory() -> None:
    baseline = child_peak_mb("import torch, torchvision, matplotlib.pyplot, cnncourse.nets.vgg, "
                             "cnncourse.widgets.layers, ipykernel")
    chapter_code = (
        "import resource, nbformat\n"
        "from nbclient import NotebookClient\n"
        f"nb = nbformat.read({str(CHAPTER)!r}, as_version=4)\n"
        f"NotebookClient(nb, timeout=900, kernel_name='python3', "
        f"resources={{'metadata': {{'path': {str(CHAPTER.parent)!r}}}}}).execute()\n"
    )
    seconds, chapter = timed(lambda: child_peak_mb(chapter_code))
    print("3. peak memory (maximum resident set size of the largest process)")
    print(f"   imports only (torch, torchvision, cnncourse): {baseline:6.0f} MB")
    print(f"   chapter 6 executed in a fresh kernel:         {chapter:6.0f} MB   "
          f"({chapter - baseline:.0f} MB above the imports; ran in {seconds:.0f} s)")
    verdict = "OK" if chapter <= 2048 else "OVER"
    print(f"   target <= 2048 MB: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-notebook", action="store_true", help="skip executing chapter 6")
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, weights: "
          f"{os.environ['CNNCOURSE_WEIGHTS']}")
    model = load_vgg16(device="cpu")
    image = cat_224()
    bench_feature_maps(model, image)
    bench_stepper(model, image)
    if not args.no_notebook:
        del model
        bench_memory()
    print(f"(this benchmark's own peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()

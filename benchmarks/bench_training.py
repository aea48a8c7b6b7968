"""Benchmark of chapter 4: training the small CNN on the CPU.

Run from the repository root::

    python benchmarks/bench_training.py

Prints, measured in one run on this machine, with the chapter's settings
(6000 generated 32x32 images, 80 % for training, 10 epochs, Adam, batch 64,
one CPU thread):

* the time to generate the data set;
* the training time, the epoch at which the validation accuracy first
  reaches 90 % and the time until then (target: under 60 s);
* the final validation accuracy and loss;
* the peak memory of the process (resident set size) and how much it grew
  during training;
* one epoch on 1 thread against all threads (``torch.get_num_threads()``),
  side by side, which is why :func:`cnncourse.nets.training.train` uses one
  thread by default;
* the median time of one update of the training explorer (target: 100 ms).

Other programs on the machine slow everything down: the numbers are of
this run only.
"""

from __future__ import annotations

import resource
import statistics
import sys
from pathlib import Path

import torch

from cnncourse import SmallCNN, make_shapes, train, train_val_split
from cnncourse.widgets.training import TrainingExplorer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import each_time, timed  # noqa: E402

TARGET_ACCURACY = 0.9
SETTINGS = {"epochs": 10, "lr": 3e-3, "batch_size": 64, "seed": 0}


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads available")
    seconds, (images, labels) = timed(lambda: make_shapes(6000, seed=0))
    split = train_val_split(images, labels, val_fraction=0.2, seed=0)
    print(f"data: {len(images)} images generated in {seconds:.1f} s")

    before = peak_rss_mib()
    torch.manual_seed(0)
    model = SmallCNN()
    total, run = timed(lambda: train(model, split, progress=False, **SETTINGS))
    reached = next((k for k, acc in enumerate(run.history["val_accuracy"]) if acc >= TARGET_ACCURACY), None)
    print(f"== Training, {SETTINGS['epochs']} epochs of {run.steps_per_epoch} steps (target: under 60 s)")
    print(f"training time: {total:.1f} s ({total / SETTINGS['epochs']:.2f} s per epoch)")
    if reached is None:
        print(f"validation accuracy never reached {TARGET_ACCURACY:.0%}")
    else:
        print(f"validation accuracy >= {TARGET_ACCURACY:.0%} after epoch {reached + 1}: "
              f"{run.seconds[reached]:.1f} s")
    final = run.final
    print(f"final: validation accuracy {final['val_accuracy']:.3f}, loss {final['val_loss']:.3f}; "
          f"training accuracy {final['train_accuracy']:.3f}")
    print(f"peak memory (RSS): {peak_rss_mib():.0f} MiB, {peak_rss_mib() - before:.0f} MiB more than "
          "before training")

    print("== One epoch: 1 thread vs all threads (side by side)")
    times = {}
    for threads in (1, torch.get_num_threads(), 1, torch.get_num_threads()):
        torch.manual_seed(0)
        seconds, _ = timed(lambda: train(SmallCNN(), split, epochs=1, progress=False, threads=threads,
                                         checkpoints=[]))
        times.setdefault(threads, []).append(seconds)
    for threads, values in times.items():
        print(f"{threads} thread(s): {min(values):.2f} s per epoch (best of {len(values)})")
    if len(times) > 1:
        one, many = min(times[1]), min(times[torch.get_num_threads()])
        print(f"ratio all threads / 1 thread: {many / one:.2f}")

    print("== Training explorer: median time of one update (target <= 100 ms)")
    explorer = TrainingExplorer(model, run, split.val_images, split.val_labels)
    def show(k: int) -> None:
        explorer.position.value = (k + 1) % len(run.checkpoints)

    steps = each_time(lambda k=k: show(k) for k in range(3 * len(run.checkpoints)))
    print(f"one update: {1000 * statistics.median(steps):.1f} ms")


if __name__ == "__main__":
    main()

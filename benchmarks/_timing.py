"""The benchmark scripts' timers: the package's own (:mod:`cnncourse.timing`), which the chapters use too."""

from __future__ import annotations

from cnncourse.timing import best_time, each_time, median_time, side_by_side, timed

__all__ = ["best_time", "each_time", "median_time", "side_by_side", "timed"]

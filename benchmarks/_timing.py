"""The benchmark scripts' timers: the package's own (:mod:`cnncourse.core.timing`), which the chapters use too."""

from __future__ import annotations

from cnncourse.core.timing import best_time, each_time, median_time, side_by_side, timed

__all__ = ["best_time", "each_time", "median_time", "side_by_side", "timed"]

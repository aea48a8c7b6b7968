"""Shared timing helpers for the benchmark scripts (not part of cnncourse)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def median_time(function: Callable[[], object], repeat: int = 20, *, warmup: int = 2) -> float:
    """Median wall time of ``function()`` in seconds."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def side_by_side(functions: dict[str, Callable[[], object]], *, repeat: int = 20, rounds: int = 3) -> dict[str, float]:
    """Median times of several functions, measured interleaved in the same run.

    Interleaving (A, B, C, A, B, C, ...) keeps the ratios fair on a busy machine.
    """
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for function in functions.values():
        function()  # warm up
    for _ in range(rounds):
        for name, function in functions.items():
            samples[name].append(median_time(function, repeat=max(1, repeat // rounds), warmup=0))
    return {name: statistics.median(values) for name, values in samples.items()}


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Wall time of one call of ``function()`` in seconds, and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def each_time(functions: Iterable[Callable[[], object]]) -> list[float]:
    """Wall time of each call, in order (e.g. one explorer update per layer)."""
    return [timed(function)[0] for function in functions]

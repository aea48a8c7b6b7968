"""Wall-clock timing, written once: the chapters' measurements and the benchmarks use these.

* :func:`best_time` -- the shortest of a few runs (what a chapter reports);
* :func:`timed` -- one run, and its result;
* :func:`median_time`, :func:`side_by_side`, :func:`each_time` -- the benchmarks' medians,
  measured interleaved so that ratios stay fair on a busy machine.

The standard library only (``time.perf_counter``).

Examples
--------
>>> seconds, result = best_time(lambda: sum(range(1000)), repeat=3)
>>> result, seconds >= 0
(499500, True)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from .validate import int_at_least

T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Wall time of one call of ``function()`` in seconds, and its result.

    Parameters
    ----------
    function : callable
        Called once, without arguments.

    Returns
    -------
    (float, object)

    Examples
    --------
    >>> timed(lambda: 6 * 7)[1]
    42
    """
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def best_time(function: Callable[[], T], repeat: int = 5) -> tuple[float, T]:
    """The shortest wall time of ``repeat`` calls of ``function()`` in seconds, and the last call's result.

    The shortest run is the one least disturbed by whatever else the machine
    was doing; it is what the chapters compare.

    Parameters
    ----------
    function : callable
        Called ``repeat`` times, without arguments.
    repeat : int, optional
        How many calls, at least 1.

    Returns
    -------
    (float, object)

    Examples
    --------
    >>> best_time(lambda: "done", repeat=2)[1]
    'done'
    """
    times = []
    for _ in range(int_at_least(repeat, "repeat", 1)):
        seconds, result = timed(function)
        times.append(seconds)
    return min(times), result


def median_time(function: Callable[[], object], repeat: int = 20, *, warmup: int = 2) -> float:
    """Median wall time of ``function()`` in seconds, after ``warmup`` calls that are not counted.

    Parameters
    ----------
    function : callable
    repeat : int, optional
        Calls measured, at least 1.
    warmup : int, optional
        Calls before, not measured.

    Returns
    -------
    float

    Examples
    --------
    >>> median_time(lambda: None, repeat=3, warmup=0) >= 0
    True
    """
    for _ in range(warmup):
        function()
    return statistics.median(timed(function)[0] for _ in range(int_at_least(repeat, "repeat", 1)))


def side_by_side(functions: dict[str, Callable[[], object]], *, repeat: int = 20, rounds: int = 3) -> dict[str, float]:
    """Median times of several functions, measured interleaved in the same run (A, B, C, A, B, C, ...).

    Parameters
    ----------
    functions : dict of str to callable
    repeat : int, optional
        Calls of each function in all.
    rounds : int, optional
        How many times the functions take turns.

    Returns
    -------
    dict of str to float

    Examples
    --------
    >>> sorted(side_by_side({"a": lambda: None, "b": lambda: None}, repeat=2, rounds=2))
    ['a', 'b']
    """
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for function in functions.values():
        function()  # warm up
    for _ in range(rounds):
        for name, function in functions.items():
            samples[name].append(median_time(function, repeat=max(1, repeat // rounds), warmup=0))
    return {name: statistics.median(values) for name, values in samples.items()}


def each_time(functions: Iterable[Callable[[], object]]) -> list[float]:
    """Wall time of each call, in order (e.g. one explorer update per layer).

    Examples
    --------
    >>> len(each_time([lambda: 1, lambda: 2]))
    2
    """
    return [timed(function)[0] for function in functions]

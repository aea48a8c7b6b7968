"""`make test` runs each notebook once: nbval's outputs go into the book build's jupyter-cache.

``conftest.py`` (option ``--book-cache``) stores a notebook that nbval ran
without a failure, with the outputs nbval saw; ``_ext/build_cache.py`` points
the book build at that cache (``CNNCOURSE_JUPYTER_CACHE``). The test runs
nbval on small notebooks in a child pytest and asks jupyter-cache what a
build would find.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import build_cache  # noqa: E402  (the book's extension, as _config.yml's local_extensions loads it)

CELLS = [
    'print("two lines,")\nprint("one stream")',
    "from IPython.display import display\n"
    'display({"text/plain": "glued"}, raw=True, metadata={"scrapbook": {"name": "x"}})',
    "6 * 7",
    'import os\nprint(os.environ.get("CNNCOURSE_RECORD_PLAYERS"))',
]


def notebook(path: Path, cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A chapter")]
                                  + [nbformat.v4.new_code_cell(source) for source in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return nb


def nbval(folder: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(folder), "-c", os.devnull, str(folder),
         f"--book-cache={cache}"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_a_passing_notebook_is_cached_with_nbvals_outputs_and_a_failing_one_is_not(tmp_path):
    good = notebook(tmp_path / "good.ipynb", CELLS)
    bad = notebook(tmp_path / "bad.ipynb", ['print("fine")', "1 / 0"])
    cache = tmp_path / "cache"
    result = nbval(tmp_path, cache)
    assert "5 passed" in result.stdout and "1 failed" in result.stdout, result.stdout + result.stderr

    record = get_cache(str(cache)).match_cache_notebook(good)       # what the book build looks up
    assert record.data["executed_by"] == "nbval"
    _, executed = get_cache(str(cache)).merge_match_into_notebook(good)
    outputs = [cell.outputs for cell in executed.cells if cell.cell_type == "code"]
    assert outputs[0] == [{"output_type": "stream", "name": "stdout", "text": "two lines,\none stream\n"}]
    assert outputs[1][0]["data"] == {"text/plain": "glued"}
    assert outputs[1][0]["metadata"] == {"scrapbook": {"name": "x"}}         # glue needs its metadata
    assert outputs[2][0]["output_type"] == "execute_result" and outputs[2][0]["data"]["text/plain"] == "42"
    assert outputs[3][0]["text"] == "1\n"      # as in a book build: explorers record their players
    nbformat.validate(executed)
    with pytest.raises(KeyError, match="not found"):
        get_cache(str(cache)).match_cache_notebook(bad)


def test_without_the_option_nothing_is_cached(tmp_path):
    notebook(tmp_path / "good.ipynb", CELLS[:1])
    # (without --book-cache nbval runs as in JupyterLab: no recorded players)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert "1 passed" in result.stdout, result.stdout + result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["good.ipynb"]


def test_the_build_takes_the_cache_folder_from_the_environment(monkeypatch, tmp_path):
    book = SimpleNamespace(confdir=str(tmp_path / "zh"))
    config = SimpleNamespace(nb_execution_cache_path="../_build/.jupyter_cache")
    monkeypatch.delenv("CNNCOURSE_JUPYTER_CACHE", raising=False)
    build_cache.use_cache_from_environment(book, config)
    # relative to the book's folder: the Chinese edition in zh/ shares the English cache
    assert config.nb_execution_cache_path == str(tmp_path / "_build" / ".jupyter_cache")
    monkeypatch.setenv("CNNCOURSE_JUPYTER_CACHE", str(tmp_path / "test-cache"))
    build_cache.use_cache_from_environment(book, config)
    assert config.nb_execution_cache_path == str(tmp_path / "test-cache")


# -- Two builds at once on an empty cache ---------------------------------------------
# `make book` builds the two editions side by side with one jupyter-cache folder. Both
# builds once created its database at the same moment, and one died with
# "table settings already exists". The build's cache extension now creates the database
# before myst-nb opens it, one process at a time.

def _build_starts(folder: str, ready, queue) -> None:
    """What one edition's build does as it starts: the extension's config-inited hook, then
    myst-nb looking a notebook up in the cache (myst_nb/core/execute/cache.py)."""
    try:
        config = SimpleNamespace(nb_execution_cache_path=folder)
        ready.wait(timeout=60)                 # every process starts the build at the same moment
        build_cache.use_cache_from_environment(SimpleNamespace(confdir=folder), config)
        with pytest.raises(KeyError, match="not found"):
            get_cache(config.nb_execution_cache_path).match_cache_notebook(nbformat.v4.new_notebook())
        queue.put("ok")
    except BaseException as error:  # noqa: BLE001 (reported to the parent)
        queue.put(f"{type(error).__name__}: {error}")


def test_two_builds_starting_at_once_on_an_empty_cache_both_start(tmp_path, monkeypatch):
    import multiprocessing

    monkeypatch.delenv("CNNCOURSE_JUPYTER_CACHE", raising=False)
    context = multiprocessing.get_context("fork")
    for attempt in range(6):                   # a race: several fresh folders, eight builds each
        folder = str(tmp_path / f"cache-{attempt}")
        ready, queue = context.Barrier(8), context.Queue()
        builds = [context.Process(target=_build_starts, args=(folder, ready, queue)) for _ in range(8)]
        for build in builds:
            build.start()
        results = [queue.get(timeout=120) for _ in builds]
        for build in builds:
            build.join(timeout=60)
        assert results == ["ok"] * 8, results

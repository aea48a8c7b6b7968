"""`make test` runs each notebook once: nbval's outputs go into the book build's jupyter-cache.

``conftest.py`` (option ``--book-cache``) stores a notebook that nbval ran
without a failure, with the outputs nbval saw; ``_ext/build_cache.py`` points
the book build at that cache (``CNNCOURSE_JUPYTER_CACHE``). The test runs
nbval on small notebooks in a child pytest and asks jupyter-cache what a
build would find.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parent.parent

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
    spec = importlib.util.spec_from_file_location("build_cache", ROOT / "_ext" / "build_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    book = SimpleNamespace(confdir=str(tmp_path / "zh"))
    config = SimpleNamespace(nb_execution_cache_path="../_build/.jupyter_cache")
    monkeypatch.delenv("CNNCOURSE_JUPYTER_CACHE", raising=False)
    module.use_cache_from_environment(book, config)
    # relative to the book's folder: the Chinese edition in zh/ shares the English cache
    assert config.nb_execution_cache_path == str(tmp_path / "_build" / ".jupyter_cache")
    monkeypatch.setenv("CNNCOURSE_JUPYTER_CACHE", str(tmp_path / "test-cache"))
    module.use_cache_from_environment(book, config)
    assert config.nb_execution_cache_path == str(tmp_path / "test-cache")

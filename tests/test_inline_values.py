"""A measured value in the text reads the same in JupyterLab and on the website.

The text writes ``{eval}`glued("name", "spec")```. JupyterLab asks the kernel
for it (jupyterlab-myst sends it as a ``user_expressions`` request); the book
build fills it from the build's run (``_ext/inline_values.py``). Both are run
here on the same glued values, and compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from cnncourse.figures import mystglue
from cnncourse.figures.mystglue import GLUE_PREFIX, PLACEHOLDER, glue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

VALUES = {"ch0_share": 0.12345, "ch0_count": 12345, "ch0_word": "faster", "ch0_ms": 3.0}
EXPRESSIONS = ['glued("ch0_share", ".1%")', 'glued("ch0_count", ",d")', 'glued("ch0_word")',
               'glued("ch0_ms", ".2f")', 'glued("ch0_ms", "d")']
SHOWN = ["12.3%", "12,345", "faster", "3.00", "3"]


@pytest.fixture
def shell(monkeypatch):
    """An IPython shell that has glued VALUES, as a reader's kernel after the cells ran."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setattr(mystglue, "_GLUED", {})
    shell = InteractiveShell.instance()
    shell.run_cell("from cnncourse import glued")
    for name, value in VALUES.items():
        glue(name, value)
    yield shell
    InteractiveShell.clear_instance()


def test_the_kernel_answers_jupyterlab_with_the_value_as_text_without_quotes(shell):
    # What ipykernel does with jupyterlab-myst's request for a cell's expressions.
    answers = shell.user_expressions({str(i): e for i, e in enumerate(EXPRESSIONS)})
    assert [answers[str(i)]["data"]["text/plain"] for i in range(len(EXPRESSIONS))] == SHOWN
    assert all(answer["status"] == "ok" for answer in answers.values())


def test_a_value_not_glued_yet_reads_as_the_placeholder(shell):
    answer = shell.user_expressions({"0": 'glued("ch0_not_run_yet", ".1f")'})["0"]
    assert answer["status"] == "ok" and answer["data"]["text/plain"] == PLACEHOLDER


def test_the_book_build_shows_the_same_text_and_fails_on_a_name_no_cell_glued(tmp_path):
    """A two-cell notebook with its glue outputs, built by Sphinx with myst-nb and the extension."""
    from sphinx.application import Sphinx

    code = nbformat.v4.new_code_cell("glue(...)", execution_count=1, outputs=[
        nbformat.v4.new_output("display_data", data={GLUE_PREFIX + "text/plain": repr(value)},
                               metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})
        for name, value in VALUES.items()])
    text = " | ".join("{eval}`" + e + "`" for e in EXPRESSIONS)
    page = nbformat.v4.new_notebook(cells=[code, nbformat.v4.new_markdown_cell(f"Values: {text} |"),
                                           nbformat.v4.new_markdown_cell('Missing: {eval}`glued("ch0_nope")`')])
    page.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(page, source / "index.ipynb")
    (source / "conf.py").write_text(
        "extensions = ['myst_nb', 'inline_values']\nnb_execution_mode = 'off'\n"
        f"import sys; sys.path.insert(0, {json.dumps(str(ROOT / '_ext'))})\n")
    warnings = tmp_path / "warnings.txt"
    with warnings.open("w") as stream:
        Sphinx(str(source), str(source), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
               status=None, warning=stream, freshenv=True).build()
    html = (tmp_path / "html" / "index.html").read_text()
    for shown in SHOWN:
        assert f'<span class="pasted-text">{shown}</span>' in html
    logged = warnings.read_text()
    assert 'glued("ch0_nope")' in logged and "ch0_nope" in logged and "WARNING" in logged
    assert logged.count("WARNING") == 1, logged


def test_glued_text_reads_what_glue_stored():
    from inline_values import glued_text

    for (name, value), spec in zip(VALUES.items(), [".1%", ",d", "", ".2f"]):
        assert glued_text(repr(value), spec) == mystglue.format_value(value, spec)

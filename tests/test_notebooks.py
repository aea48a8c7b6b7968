"""Static checks of the chapters: clean notebooks, the template, the table of contents.

Running the notebooks is nbval's job (`make notebooks`); these tests read them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from cnncourse.chapter_figures import alt_texts

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
PAGES = sorted((ROOT / "chapters").glob("*.md"))
CHECK = "nbval-check-output"


def checked(cell) -> bool:
    """A code cell whose output nbval compares with the stored one."""
    return cell.cell_type == "code" and CHECK in cell.metadata.get("tags", [])


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [c for part in toc.get("parts", []) for c in part["chapters"]]
    while stack:
        entry = stack.pop(0)
        files.append(entry["file"])
        stack.extend(entry.get("sections", []))
    return files


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in chapters/"


def test_committed_without_outputs(notebook):
    dirty = [i for i, c in enumerate(notebook.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"cells {dirty} have outputs or execution counts: clear them before committing"


def test_checked_cells_have_expected_outputs(notebook):
    missing = [i for i, c in enumerate(notebook.cells) if checked(c) and "expected_output" not in c.metadata]
    assert not missing, f"cells {missing} are tagged {CHECK} but have no expected output: run tests/golden.py"
    stale = [i for i, c in enumerate(notebook.cells) if "expected_output" in c.metadata and not checked(c)]
    assert not stale, f"cells {stale} store an expected output but are not tagged {CHECK}"


def test_test_markers_are_cell_tags_not_comments(notebook):
    marked = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "NBVAL_" in c.source]
    assert not marked, (f"cells {marked} carry an '# NBVAL_...' comment, which readers see: "
                        "use the cell tags nbval-check-output, nbval-ignore-output or nbval-skip")


def test_first_cell_installs_cnncourse_only_where_missing(notebook):
    first = notebook.cells[0]
    assert first.cell_type == "code" and "remove-cell" in first.metadata.get("tags", [])
    assert "import cnncourse" in first.source and "except ModuleNotFoundError" in first.source
    assert "%pip install" in first.source


def test_template_sections(notebook):
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for heading in ("Learning goals", "## Exercises", "## Summary", "## References"):
        assert heading in text, f"missing {heading!r}"
    solutions = [c for c in notebook.cells if "hide-cell" in c.metadata.get("tags", [])]
    # Chapter 4 has a fifth: "fool the network", the exercise of its draw explorer (issue 26).
    most = 5 if any("check_misread_drawing(answer, model)" in c.source for c in solutions) else 4
    assert 2 <= len(solutions) <= most, "each chapter has 2-4 exercises with a hidden solution"
    for cell in solutions:
        # Collapsed in JupyterLab, source and output: the output gives the answer away too.
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        assert cell.metadata.get("jupyter", {}).get("outputs_hidden") is True
        assert "check" in cell.source, "a solution runs its exercise's checker"


def test_every_explorer_is_one_output_a_widget_here_and_a_player_on_the_website(notebook):
    shown = [c for c in notebook.cells if c.cell_type == "code" and re.search(r"^\w+\.show\(", c.source, re.M)]
    assert shown, "each chapter shows at least one live explorer: explorer.show(title=...)"
    for cell in shown:
        hidden = {"remove-output", "remove-cell"} & set(cell.metadata.get("tags", []))
        assert not hidden, f"the explorer's output is the website's player: do not tag its cell {hidden}"
    names = "|".join(re.search(r"^(\w+)\.show\(", c.source, re.M).group(1) for c in shown)
    twice = [c.source for c in notebook.cells if re.search(rf"\b({names})\.to_player\(", c.source)]
    assert not twice, f"an explorer shown with .show() needs no second, recorded copy: {twice}"
    assert not [c for c in notebook.cells if "remove-output" in c.metadata.get("tags", [])
                and re.search(r"Explorer\(|Stepper\(", c.source)], "a live explorer hidden on the website"


def test_website_text_stays_out_of_the_notebook_and_notebook_text_off_the_website(notebook):
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        assert "On this website" not in cell.source, (
            f"cell {i} talks about the website: the recorded player says it (Explorer.show)")
        if "In this notebook" in cell.source:
            assert "remove-cell" in cell.metadata.get("tags", []), f"cell {i} is about the notebook: tag it remove-cell"


def test_plotting_cells_have_alt_text(notebook):
    for i, cell in enumerate(notebook.cells):
        if "hide-input" in cell.metadata.get("tags", []):
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"cell {i} draws a figure without alt text"


def _hidden(notebook) -> list[tuple[int, nbformat.NotebookNode]]:
    return [(i, c) for i, c in enumerate(notebook.cells) if "hide-input" in c.metadata.get("tags", [])]


def test_no_cell_lays_out_a_figure(notebook):
    """Layout (the narrow arrangement, the alt text) lives in cnncourse.chapter_figures, not in the chapter."""
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert "ResponsiveFigure" not in cell.source, f"cell {i}: draw it in cnncourse/chapter_figures"
            assert "narrow=" not in cell.source, f"cell {i}: a narrow arrangement belongs in cnncourse/chapter_figures"
            assert not re.search(r"^\s*ALT\s*=", cell.source, re.M), (
                f"cell {i}: an alt text is a *_ALT constant of cnncourse/chapter_figures")


def test_a_hidden_cell_is_one_call(notebook):
    """A reader who opens "Show code" sees one call, e.g. ``figures.saliency(cat, vanilla)``."""
    for i, cell in _hidden(notebook):
        body = ast.parse(cell.source).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call), (
            f"cell {i} (hide-input) must be one call of a chapter_figures function, "
            f"with the computation in a visible cell:\n{cell.source}")


def test_a_hidden_figure_has_the_alt_text_of_its_function(notebook):
    """myst-nb writes the cell's metadata alt on a plain figure, the function its *_ALT on a responsive one:
    the two must be the same text, one of the constants of the chapter's module of cnncourse.chapter_figures."""
    visible = "\n".join(c.source for c in notebook.cells
                        if c.cell_type == "code" and "hide-input" not in c.metadata.get("tags", []))
    modules = re.findall(r"^from cnncourse\.chapter_figures import (\w+) as figures$", visible, re.M)
    hidden = _hidden(notebook)
    if not hidden:
        return
    assert len(modules) == 1, "a chapter with hidden figures imports its module once, in a visible cell: " \
                              "from cnncourse.chapter_figures import <module> as figures"
    constants = alt_texts()[modules[0]]
    alts = []
    for i, cell in hidden:
        assert re.match(r"figures\.\w+\(", cell.source.lstrip()), f"cell {i}: call figures.<function>(...)"
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert alt in constants, (f"cell {i}: its metadata alt must be one of the *_ALT constants of "
                                  f"cnncourse/chapter_figures/{modules[0]}.py:\n{alt}")
        alts.append(alt)
    assert set(alts) == constants, f"constants that no cell uses: {sorted(constants - set(alts))}"


def test_every_chapter_is_in_the_table_of_contents():
    listed = set(toc_files())
    for path in (ROOT / "chapters").glob("*.*"):
        if path.suffix in (".ipynb", ".md"):
            assert f"chapters/{path.stem}" in listed, f"{path.name} is not in _toc.yml"
    for name in listed:
        assert list(ROOT.glob(name + ".*")), f"_toc.yml lists {name}, which does not exist"


def _code_cells(path: Path) -> list[str]:
    """The code of every code cell of a notebook, or of a MyST page's ``{code-cell}`` blocks."""
    if path.suffix == ".ipynb":
        return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    blocks = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", path.read_text(), flags=re.S)
    return [re.sub(r"\A(?:---\n.*?\n---\n|(?::[^\n]*\n)+)", "", block, flags=re.S) for block in blocks]


def _calls_that_do_not_fit(code: str) -> list[str]:
    """Calls of cnncourse's public names whose keywords (or number of positional arguments) its signature
    does not take: what the book build would meet as a TypeError, found without running anything."""
    import inspect

    import cnncourse

    source = "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                       else line for line in code.splitlines())
    wrong = []
    for node in ast.walk(ast.parse(source)):
        name = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
        if name not in cnncourse.__all__ or not callable(obj := getattr(cnncourse, name)):
            continue
        try:
            parameters = inspect.signature(obj).parameters.values()
        except (TypeError, ValueError):
            continue
        kinds = {p.kind for p in parameters}
        names = {p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        for keyword in node.keywords:
            if keyword.arg is not None and keyword.arg not in names and inspect.Parameter.VAR_KEYWORD not in kinds:
                wrong.append(f"{name}(..., {keyword.arg}=...)")
        starred = any(isinstance(a, ast.Starred) for a in node.args)
        if not starred and len(node.args) > len(positional) and inspect.Parameter.VAR_POSITIONAL not in kinds:
            wrong.append(f"{name} with {len(node.args)} positional arguments")
    return wrong


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_every_call_of_the_package_fits_its_signature(path):
    wrong = [w for code in _code_cells(path) for w in _calls_that_do_not_fit(code)]
    assert not wrong, f"{path.name}: {wrong}"


def test_the_signature_check_sees_a_renamed_keyword_and_an_extra_argument():
    code = ("%matplotlib inline\nvisualize_filters(vgg, 'block1_conv1', [0], size=64)\n"
            "prepare_photo(cat, 224)\nconv2d(x, k, stride=2)\nlayer_output_shape('block1_conv1', height=224)\n")
    assert _calls_that_do_not_fit(code) == ["visualize_filters(..., size=...)", "prepare_photo with 2 positional arguments"]
    assert _code_cells(ROOT / "chapters" / "00_intro.md"), "the intro's code cells are found"

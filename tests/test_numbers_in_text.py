"""Every sentence true on every build: how the chapters state numbers.

Two kinds of numbers appear in a chapter, and each has its one place:

* **Robust facts** (shapes, counts, exact integer arithmetic, inequalities
  such as "at least 90% right: True") may be printed by a cell tagged
  ``nbval-check-output``; nbval compares them with the stored output on
  every test run, so they must come out the same on any machine.
* **Measured quantities** (timings, accuracies, losses, ratios, activation
  values) differ from machine to machine and between the trained and the
  untrained VGG16. They are printed by unchecked cells and reach the prose
  only through glue (``cnncourse.glue("name", value)`` in the code,
  ``{eval}`glued("name", "fmt")``` in the text), so no sentence can contradict
  the output above it: JupyterLab fills it from the reader's kernel, the book
  build from the build's run (``cnncourse.figures.mystglue``, ``_ext/inline_values.py``).

These static tests hold the chapters to that: they read the notebooks, they
do not run them (``make notebooks`` does).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cnncourse.figures.mystglue import expressions_in, parse_expression, placeholder_expressions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
ZH_NOTEBOOKS = sorted((ROOT / "zh" / "chapters").glob("*.ipynb"))
PAGES = sorted((ROOT / "chapters").glob("*.md"))
CHECK = "nbval-check-output"

# A number followed by a unit of measurement: ms, s, %, x or ×. Not a size
# such as 3x3 or 2×2 (a digit follows) and not part of a word or a longer number.
MEASURED = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)\s?(ms|s|%|×|x)(?![\w×])(?!\s?\d)")

# Words that make a number a bound rather than a measurement ("at least 90%").
BOUND = re.compile(r"(at least|at most|below|above|over|under|more than|less than|fewer than|"
                   r"within|[<>≤≥])\s*$", re.IGNORECASE)

# A decimal number with a nonzero digit after the point: 0.58, 8.34 (but not 4. or 9.0).
FRACTION = re.compile(r"(?<![\w.])-?\d+\.\d*[1-9]\d*(?:e[-+]?\d+)?")

# Figures a chapter may state literally because they are settings or definitions
# of the course, not measurements: {page: [exact text of the figure]}.
ALLOWED_LITERALS: dict[str, list[str]] = {
    "04_building_a_cnn": ["20 %"],  # the share of images kept for validation (a setting)
}



def exact_fraction(number: str) -> bool:
    """A short binary fraction (2.5, 1.25, 0.0625): what exact arithmetic on small integers prints.

    Averages of integers over 2×2 windows, sigmoid(0) = 0.5 and the like come out
    the same everywhere; a measured value almost never lands on one.
    """
    value = float(number) * 16
    return value == int(value) and len(number.split(".")[1]) <= 4


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def prose(markdown: str) -> str:
    """The running text of a markdown cell: no code, maths, link targets, comments or references."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"^(```|~~~).*?^\1", " ", text, flags=re.S | re.M)  # fenced blocks and directives
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # roles, glue included
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # keep a link's text, drop its target
    text = re.sub(r"^#+ References.*?(?=^#+ |\Z)", " ", text, flags=re.S | re.M)
    return text


def literal_figures(text: str, allowed: list[str]) -> list[tuple[str, str]]:
    """The measured-looking figures of ``text`` that are neither bounds nor allowed, with context."""
    found = []
    for match in MEASURED.finditer(text):
        if match.group(0) in allowed:
            continue
        if BOUND.search(text[max(0, match.start() - 20):match.start()]):
            continue
        context = text[max(0, match.start() - 30):match.end() + 10].replace("\n", " ")
        found.append((match.group(0), context))
    return found


def markdown_texts():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                yield path.stem, f"{path.name} cell {i}", cell.source
            # Alt text describes a figure of the run: it states no measurement either.
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            if alt:
                yield path.stem, f"{path.name} cell {i} (alt text)", alt
    for path in PAGES:
        yield path.stem, path.name, path.read_text()


@pytest.mark.parametrize("page, where, markdown",
                         [pytest.param(*args, id=args[1]) for args in markdown_texts()])
def test_prose_states_no_measured_figure_literally(page, where, markdown):
    figures = literal_figures(prose(markdown), ALLOWED_LITERALS.get(page, []))
    assert not figures, (
        f"{where} states measured figures literally: {figures}. A measured number reaches the "
        "text through glue (cnncourse.glue in the code, {eval}`glued(\"name\", \"fmt\")` in the text); a "
        "setting of the course goes into ALLOWED_LITERALS with a comment."
    )


def test_the_literal_figure_check_catches_what_it_should():
    def figures(text):
        return [figure for figure, _ in literal_figures(text, [])]

    assert figures("the loops take 0.58 s and NumPy 0.8 ms") == ["0.58 s", "0.8 ms"]
    assert figures("ReLU is 3.1× cheaper, 95% right, 10x faster, 1,024 s") == ["3.1×", "95%", "10x", "1,024 s"]
    for fine in ("a 3×3 kernel", "a 3x3 kernel", "3 x 3", "at least 90% right", "below 5 ms",
                 "VGG16's 13 layers", "block5_conv3", "2x2 windows"):
        assert figures(fine) == [], fine
    assert figures(prose('see $0.5 s$, `1 s` and {eval}`glued("ch1_t", ".1f")` s')) == []
    assert figures(prose("## References\n\nSmith, 2014, 90% of it\n")) == []
    assert literal_figures("we keep 20 % apart", ["20 %"]) == []


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param.stem, nbformat.read(request.param, as_version=4)


def _checked_text(cell) -> str:
    parts = []
    for out in cell.metadata.get("expected_output", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        parts.append(text if isinstance(text, str) else "".join(text))
    return "".join(parts)


def test_checked_outputs_state_only_robust_facts(notebook):
    """No measured value in a checked output: a rounding difference could flip it on another machine."""
    _, nb = notebook
    problems = []
    for i, cell in enumerate(nb.cells):
        if CHECK not in cell.metadata.get("tags", []):
            continue
        text = _checked_text(cell)
        fractions = [f for f in FRACTION.findall(text) if not exact_fraction(f)]
        if fractions:
            problems.append(f"cell {i} prints decimals {fractions[:5]}")
        figures = literal_figures(text, [])
        if figures:
            problems.append(f"cell {i} prints measured figures {[f for f, _ in figures][:5]}")
    assert not problems, (
        "checked cells must print only facts that hold on any machine (shapes, counts, exact "
        "integers, inequalities); print measured values in an unchecked cell and glue them: "
        + "; ".join(problems)
    )


def test_checked_cells_glue_nothing(notebook):
    """A glue output has no text to store, so nbval would see one output more than the reference."""
    _, nb = notebook
    gluing = [i for i, c in enumerate(nb.cells)
              if CHECK in c.metadata.get("tags", []) and re.search(r"\bglue\(", _source(c))]
    assert not gluing, f"cells {gluing} are checked and call glue(): glue in an unchecked cell"


def test_every_value_the_text_shows_is_glued_by_a_cell_above_it(notebook):
    """In JupyterLab a sentence shows a value when its Markdown cell runs, so the value must be
    glued by then: by a code cell above it (a reader going down with Shift+Enter). A sentence
    above its cell would read "…" until it is run again."""
    page, nb = notebook
    glued: list[re.Pattern] = []
    late = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            # Names built in a loop (f"ch6_{layer}") are matched by their fixed part.
            glued += [re.compile("^" + re.sub(r"\\\{[^}]*\\\}", r"\\w+", re.escape(name)) + "$")
                      for name in re.findall(r"""\bglue\(\s*f?["']([\w{}]+)["']""", _source(cell))]
        elif cell.cell_type == "markdown":
            late += [f"cell {i}: {name}" for name in (parse_expression(e)[0] for e in expressions_in(cell.source))
                     if not any(p.match(name) for p in glued)]
    assert not late, f"{page}: the text shows values no cell above it glues: {late}"


@pytest.mark.parametrize("path", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_the_text_shows_values_jupyterlab_can_fill_and_reads_before_a_run(path):
    """JupyterLab cannot fill myst-nb's {glue:text}: it showed storage names ("ch7_target_probability:.1%").

    Each value is an inline expression ``glued("name", "spec")`` (which the build can fill without a
    kernel), and the cell stores "…" as its result, which an unrun notebook shows in its place
    (``python tools/inline_values.py`` writes it).
    """
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        if "{glue" in cell.source:
            problems.append(f"cell {i}: a {{glue:...}} role (JupyterLab shows its name)")
        for expression in expressions_in(cell.source):
            try:
                parse_expression(expression)
            except ValueError as exc:
                problems.append(f"cell {i}: {exc}")
        if cell.metadata.get("user_expressions", []) != placeholder_expressions(cell.source):
            problems.append(f"cell {i}: its user_expressions are not the placeholders of its expressions")
    assert not problems, f"{path}: " + "; ".join(problems) + " (run python tools/inline_values.py)"


def test_the_expression_check_rejects_near_misses():
    assert parse_expression('glued("ch1_ms", ".1f")') == ("ch1_ms", ".1f")
    for wrong in ['glued(ch1_ms)', 'glued("ch1_ms", spec=".1f")', 'glue("ch1_ms")', 'glued()',
                  'glued("ch1 ms")', 'glued("a", ".1f", "b")', 'f"{ch1_ms:.1f}"', 'glued("a"']:
        with pytest.raises(ValueError, match="glued"):
            parse_expression(wrong)
    cell = '{eval}`glued("a")`'
    assert placeholder_expressions(cell) != placeholder_expressions('{eval}`glued("b")`')

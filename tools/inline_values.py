"""Keep the chapters' inline values readable in JupyterLab before a run.

A chapter's text shows a measured value as ``{eval}`glued("name", "spec")```
(``cnncourse.figures.mystglue``). jupyterlab-myst shows an expression's stored
result, or the expression itself when it has none, so every Markdown cell
stores "…" as the result of each of its expressions (``user_expressions``
metadata). Run this after editing a chapter's text::

    python tools/inline_values.py          # rewrite the English chapters, then
    python tools/i18n.py build             # the Chinese ones copy the metadata

It also turns a myst-nb role ``{glue:text}`name:spec``` (which JupyterLab
cannot fill) into the inline expression, in the English chapters and in the
Chinese catalogs alike, so that a translation keeps matching its English.
``tests/test_numbers_in_text.py`` fails while a chapter needs this.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnncourse.figures.mystglue import placeholder_expressions  # noqa: E402

GLUE_TEXT = re.compile(r"\{glue:text\}`(\w+)(?::([^`]*))?`")


def as_expression(text: str, quote: str = '"') -> str:
    """``text`` with each ``{glue:text}`` role written as an inline expression (``quote`` escapes its quotes).

    >>> as_expression("took {glue:text}`ch1_ms:.1f` ms, {glue:text}`ch1_kind`")
    'took {eval}`glued("ch1_ms", ".1f")` ms, {eval}`glued("ch1_kind")`'
    """
    def expression(match: re.Match) -> str:
        arguments = [match.group(1)] + ([match.group(2)] if match.group(2) else [])
        return "{eval}`glued(" + ", ".join(quote + a + quote for a in arguments) + ")`"

    return GLUE_TEXT.sub(expression, text)


def fix_notebook(path: Path) -> bool:
    """Inline expressions and their placeholders in one notebook; whether it changed."""
    notebook = nbformat.read(path, as_version=4)
    before = nbformat.writes(notebook)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        cell.source = as_expression(cell.source)
        expressions = placeholder_expressions(cell.source)
        if expressions:
            cell.metadata["user_expressions"] = expressions
        else:
            cell.metadata.pop("user_expressions", None)
    after = nbformat.writes(notebook)
    if after != before:
        path.write_text(after + "\n", encoding="utf-8")
    return after != before


def fix_catalog(path: Path) -> bool:
    """The Chinese catalog's messages with the same expressions as the English; whether it changed."""
    text = path.read_text(encoding="utf-8")
    fixed = as_expression(text, quote='\\"')  # inside a .po string
    if fixed != text:
        path.write_text(fixed, encoding="utf-8")
    return fixed != text


def main() -> int:
    changed = [p for p in sorted((ROOT / "chapters").glob("*.ipynb")) if fix_notebook(p)]
    changed += [p for p in sorted((ROOT / "locales").rglob("*.po")) if fix_catalog(p)]
    for path in changed:
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

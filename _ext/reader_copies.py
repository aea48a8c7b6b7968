"""The reader's copy of every chapter notebook: what Colab and the ".ipynb" download give.

A chapter is a notebook whose text is MyST Markdown, which the website and
JupyterLab render, and Colab, classic Jupyter and GitHub do not. The build
writes a copy of every chapter notebook in plain Jupyter Markdown
(``reader_markdown.convert``): its code cells exactly as in the chapter,
without outputs; its text with the build's measured values written in (the
same text the website shows, ``inline_values.glued_text``), and one line at the
top that says so; cross-references as links to the published pages.

* The copies lie in the site, in ``_notebooks/`` (:data:`FOLDER`), under the
  page's own name: ``_build/html/_notebooks/chapters/02_pooling.ipynb``, and
  ``_build/html/zh/_notebooks/chapters/02_pooling.ipynb`` for the Chinese edition.
* The page's download button (the theme's ".ipynb") links its copy.
* Colab opens notebooks from GitHub only, so the deploy workflow
  (``.github/workflows/book.yml``) publishes the copies of both editions to the
  branch :data:`READER_BRANCH` of the repository (the English ones at
  ``chapters/``, the Chinese ones at ``zh/chapters/``: the same paths as the
  chapters' in ``main``), and the page's Colab button opens its copy there
  (:func:`colab_url`).

The buttons are changed in the page's context (``html-page-context``), after the
theme has made them.
"""

from __future__ import annotations

import base64
import copy
import json
import mimetypes
import posixpath
import re
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import admonitionlabels
from sphinx.util import docname_join, logging
from sphinx_book_theme.header_buttons import translation as theme_text

from cnncourse.figures.mystglue import expressions_in, parse_expression
from editions import page_url
from inline_values import glued_text
from reader_markdown import Build, Target, convert

LOGGER = logging.getLogger(__name__)

#: The branch the deploy workflow publishes the reader's copies to, and Colab opens them from.
READER_BRANCH = "reader-notebooks"
#: The folder of the site (of each edition) that holds the reader's copies.
FOLDER = "_notebooks"
#: The first line of a copy whose text shows measured values, in the edition's language.
NOTE = {
    "en": "*The numbers in this text were measured on the computer that built [the course's website]({url});"
          " run the notebook, and its cells print your own.*",
    "zh": "*正文中的数字是在构建[课程网站]({url})的计算机上测得的；运行本笔记本，代码单元会打印你自己的结果。*",
}
#: The summary of a ``{toggle}`` (a dropdown without a title).
SHOW = {"en": "Show", "zh": "显示"}


def reader_notebook(notebook: nbformat.NotebookNode, build: Build, note: str = "") -> nbformat.NotebookNode:
    """A copy of ``notebook`` in plain Jupyter Markdown: code cells as they are, without outputs.

    Markdown cells are converted (``reader_markdown.convert``), lose their
    ``user_expressions`` (their values are written into the text) and get the
    images they embed as attachments; ``note``, where given, is a first cell.

    Raises
    ------
    ValueError
        Where a Markdown cell holds what plain Markdown cannot show, naming the cell.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id="a"),
    ...     nbformat.v4.new_markdown_cell("```{tip}\\nTry $x$.\\n```", id="b")])
    >>> [cell.source for cell in reader_notebook(nb, Build(), note="*Hello.*").cells]
    ['*Hello.*', 'x = 1', '> **Tip**\\n>\\n> Try $x$.']
    """
    reader = copy.deepcopy(notebook)
    for number, cell in enumerate(reader.cells, 1):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            build.attachments = {}
            try:
                cell.source = convert(cell.source, build)
            except ValueError as exc:
                raise ValueError(f"cell {number}: {exc}") from None
            cell.metadata.pop("user_expressions", None)
            if build.attachments:
                cell["attachments"] = {**cell.get("attachments", {}), **build.attachments}
    if note:
        reader.cells.insert(0, nbformat.v4.new_markdown_cell(note, id="reader-copy-note"))
    return reader


def values_from_glue(notebook: nbformat.NotebookNode, glue: dict) -> dict[str, str]:
    """The text of every inline expression of ``notebook``'s Markdown, from the build's ``glue`` data
    (myst-nb's ``<page>.glue.json``), as the website shows it; an expression of a name no cell
    glued has none.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     '{eval}`glued("a", ".0%")` and {eval}`glued("b")`')])
    >>> values_from_glue(nb, {"a": {"data": {"text/plain": "0.25"}}})
    {'glued("a", ".0%")': '25%'}
    """
    values = {}
    for cell in notebook.cells:
        for expression in expressions_in(cell.source) if cell.cell_type == "markdown" else []:
            name, spec = parse_expression(expression)
            plain = glue.get(name, {}).get("data", {}).get("text/plain")
            if plain is not None:
                values[expression] = glued_text(plain, spec)
    return values


def colab_url(config, pagename: str) -> str:
    """The Colab address of page ``pagename``'s reader's copy, on the branch :data:`READER_BRANCH`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> config = SimpleNamespace(cnncourse_edition="zh", html_theme_options={
    ...     "repository_url": "https://github.com/how-cnns-see/how-cnns-see",
    ...     "launch_buttons": {"colab_url": "https://colab.research.google.com"}})
    >>> colab_url(config, "chapters/02_pooling")
    'https://colab.research.google.com/github/how-cnns-see/how-cnns-see/blob/reader-notebooks/zh/chapters/02_pooling.ipynb'
    """
    from editions import EDITIONS

    options = config.html_theme_options
    colab = options.get("launch_buttons", {}).get("colab_url", "").rstrip("/")
    repository = options["repository_url"].rstrip("/").removesuffix(".git").removeprefix("https://github.com/")
    return f"{colab}/github/{repository}/blob/{READER_BRANCH}/{EDITIONS[config.cnncourse_edition]['root']}{pagename}.ipynb"


def _is_notebook(app: Sphinx, docname: str) -> bool:
    """Whether ``docname`` is a notebook: an ``.ipynb``, or MyST Markdown with a kernel (the intro)."""
    return docname in app.env.all_docs and (Path(app.env.doc2path(docname)).suffix == ".ipynb"
                                            or "kernelspec" in app.env.metadata.get(docname, {}))


def read_notebook(path: str | Path, md_config=None) -> nbformat.NotebookNode:
    """The notebook in ``path``: an ``.ipynb`` file, or a MyST Markdown notebook read as myst-nb
    reads it (``md_config``: the build's MyST settings)."""
    text = Path(path).read_text(encoding="utf-8")
    if Path(path).suffix == ".ipynb":
        return nbformat.reads(text, as_version=4)
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(text, md_config, path=path)


def _build_for(app: Sphinx, docname: str, notebook: nbformat.NotebookNode) -> Build:
    """What the conversion of ``docname`` takes from this build: values, targets, images, labels."""
    env, std = app.env, app.env.get_domain("std")

    def title(doc: str) -> str:
        return env.titles[doc].astext() if doc in env.titles else doc

    def page(doc: str, anchor: str = "") -> str:
        return page_url(app.config, doc) + (f"#{anchor}" if anchor else "")

    def resolve(role: str, target: str) -> Target:
        if role in {"link", "doc"}:
            path, _, anchor = target.partition("#")
            doc = re.sub(r"\.(ipynb|md|rst)$", "", docname_join(docname, path))
            if doc not in env.all_docs:
                raise ValueError(f"{target!r} is no page of the book")
            return Target(title(doc), page(doc, anchor))
        label = target.lower()
        if role == "ref" and label in std.labels:
            doc, anchor, section = std.labels[label]
            return Target(section, page(doc, anchor))
        if role == "numref" and label in std.anonlabels:
            doc, anchor = std.anonlabels[label]
            for figtype, numbers in env.toc_fignumbers.get(doc, {}).items():
                if anchor in numbers:
                    return Target(app.config.numfig_format.get(figtype, "%s"), page(doc, anchor),
                                  ".".join(map(str, numbers[anchor])))
        raise ValueError(f"{{{role}}}`{target}`: no such label (or no number for it)")

    def image(path: str) -> tuple[str, str, str]:
        file = (Path(app.srcdir) / path.lstrip("/")) if path.startswith("/") else \
            Path(env.doc2path(docname)).parent / path
        if not file.is_file():
            raise ValueError(f"image {path!r}: no file {file}")
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return file.name, mime, base64.b64encode(file.read_bytes()).decode("ascii")

    glue_file = Path(env.mystnb_config.output_folder, *f"{docname}.glue.json".split("/"))
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
    edition = app.config.cnncourse_edition
    return Build(values=values_from_glue(notebook, glue), resolve=resolve, image=image,
                 labels={kind: str(label) for kind, label in admonitionlabels.items()},
                 show=SHOW[edition], chinese=edition == "zh")


def write_copy(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write the reader's copy of notebook page ``docname`` into the site's :data:`FOLDER`."""
    if app.builder.format != "html" or not _is_notebook(app, docname):
        return
    notebook = read_notebook(app.env.doc2path(docname), app.env.myst_config)
    try:
        build = _build_for(app, docname, notebook)
        note = NOTE[app.config.cnncourse_edition].format(url=page_url(app.config, docname)) if build.values else ""
        reader = reader_notebook(notebook, build, note)
    except ValueError as exc:
        LOGGER.warning(f"the reader's copy of {docname}: {exc}", location=docname,
                       type="cnncourse", subtype="reader_copy")
        return
    path = Path(app.outdir, FOLDER, *f"{docname}.ipynb".split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(reader, path)


def point_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The page's ".ipynb" download and Colab buttons lead to its reader's copy.

    The theme's ".ipynb" is the page's source (a notebook page) or the executed
    notebook it made of a MyST Markdown page (``download-notebook-button``).
    """
    if doctree is None or not _is_notebook(app, pagename):
        return
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-notebook-button" or (
                    button.get("label") == "download-source-button" and button.get("text") == ".ipynb"):
                button["url"] = context["pathto"](posixpath.join(FOLDER, f"{pagename}.ipynb"), 1)
                button["tooltip"] = theme_text("Download notebook file")
            elif group.get("label") == "launch-buttons" and button.get("text") == "Colab":
                button["url"] = colab_url(app.config, pagename)


def setup(app: Sphinx) -> dict:
    app.setup_extension("editions")  # the edition: where its pages are published, in which language
    app.connect("doctree-resolved", write_copy)
    app.connect("html-page-context", point_buttons, priority=600)  # after the theme's buttons (501)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

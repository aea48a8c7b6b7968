"""The reader's copies of the chapters: plain Jupyter Markdown for Colab and the ".ipynb" download.

``_ext/reader_markdown.py`` converts MyST Markdown, ``_ext/reader_copies.py`` writes
the copies in the book build and points the download and Colab buttons at them. The
converter is tested here on small MyST texts, construct by construct, with near
misses (nesting, a dropdown in a list, a role in a table, a value the build lacks);
the wiring on a two-page Sphinx build; every real chapter converts without leaving
MyST behind. ``tests/test_site_reader_copies.py`` checks the copies of the built site.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from cnncourse.figures.mystglue import GLUE_PREFIX, expressions_in

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import reader_copies  # noqa: E402
from reader_copies import FOLDER, READER_BRANCH, colab_url, reader_notebook, values_from_glue  # noqa: E402
from reader_markdown import Build, Target, convert  # noqa: E402

#: What a reader's copy must never hold: MyST that Colab, Jupyter and GitHub show raw.
MYST_ONLY = re.compile(r"```\{|:::\{|\{glue|\{eval\}|\{ref\}|\{numref\}|\{[A-Za-z][\w:+.-]*\}`")
PAGES = {"ref": {"goals": Target("Learning goals", "https://site/chapters/02_pooling.html#goals")},
         "numref": {"fig-cat": Target("Fig. %s", "https://site/chapters/06.html#fig-cat", "6.1")},
         "doc": {"running": Target("Running the course", "https://site/chapters/running.html")},
         "link": {"04_building_a_cnn.ipynb": Target("4. Building a CNN", "https://site/chapters/04.html"),
                  "running.md#on-colab": Target("Running", "https://site/chapters/running.html#on-colab")}}


def resolve(role: str, target: str) -> Target:
    if target not in PAGES[role]:
        raise ValueError(f"{{{role}}}`{target}`: no such target")
    return PAGES[role][target]


def build(**values: str) -> Build:
    return Build(values={f'glued("{k}")': v for k, v in values.items()}, resolve=resolve,
                 image=lambda path: (Path(path).name, "image/png", "iVBORw0K"))


# --------------------------------------------------------------------------
# Directives
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fence", ["```", ":::"])
def test_an_admonition_becomes_a_quote_with_its_title(fence):
    assert convert(f"{fence}{{warning}}\nMind the *gap*.\n\nTwo lines.\n{fence}") == (
        "> **Warning**\n>\n> Mind the *gap*.\n>\n> Two lines.")
    titled = f"{fence}{{admonition}} Learning goals\n:class: tip\n- pool by hand;\n- say why.\n{fence}"
    assert convert(titled) == "> **Learning goals**\n>\n> - pool by hand;\n> - say why."
    assert convert("```{important} Read this first.\n```") == "> **Important**\n>\n> Read this first."


def test_a_nested_admonition_is_a_quote_in_a_quote():
    text = "````{note}\nOuter.\n\n```{tip}\nInner $x$.\n```\n````"
    assert convert(text) == "> **Note**\n>\n> Outer.\n>\n> > **Tip**\n> >\n> > Inner $x$."


def test_dropdowns_become_details_whose_markdown_still_renders():
    expected = "<details>\n<summary>Solution</summary>\n\nIt is **4**.\n\n</details>"
    assert convert(":::{dropdown} Solution\nIt is **4**.\n:::") == expected
    assert convert("```{admonition} Solution\n:class: dropdown note\nIt is **4**.\n```") == expected
    assert convert("```{toggle}\nIt is **4**.\n```").startswith("<details>\n<summary>Show</summary>\n\n")
    assert convert(":::{dropdown} The `pool2d` **call**\nx\n:::").startswith(
        "<details>\n<summary>The <code>pool2d</code> <strong>call</strong></summary>")


def test_a_dropdown_inside_a_list_item_stays_in_the_item():
    text = "1. Pool this.\n\n   :::{dropdown} Solution\n   :class: dropdown\n   Max is 9.\n   :::\n2. Next."
    assert convert(text) == ("1. Pool this.\n\n   <details>\n   <summary>Solution</summary>\n\n   Max is 9.\n\n"
                             "   </details>\n2. Next.")


def test_maths_code_figures_and_images():
    assert convert("```{math}\n:label: eq-out\no = (i - k)/s + 1\n```") == "$$\no = (i - k)/s + 1\n$$"
    assert convert("```{code-block} python\n:linenos:\nx = {ref}`no`\n```") == "```python\nx = {ref}`no`\n```"
    fenced = "```python\n% not a comment\n(label)=\n{eval}`x`\n```"
    assert convert(fenced) == fenced  # code is code
    copy = build()
    assert convert("```{figure} ../_static/cat.png\n:alt: A cat\n:width: 50%\n\nThe *cat*.\n```", copy) == (
        "![A cat](attachment:cat.png)\n\nThe *cat*.")
    assert copy.attachments == {"cat.png": {"image/png": "iVBORw0K"}}
    assert convert("![logo](https://example.org/l.svg)", copy) == "![logo](https://example.org/l.svg)"
    assert convert(":::{image} https://example.org/l.svg\n:alt: logo\n:::") == "![logo](https://example.org/l.svg)"


def test_glue_and_unknown_directives_are_errors_not_raw_syntax():
    with pytest.raises(ValueError, match="glue"):
        convert("```{glue:figure} ch1_fig\n```")
    with pytest.raises(ValueError, match=r"\{tab-set\}"):
        convert("::::{tab-set}\nx\n::::")


# --------------------------------------------------------------------------
# Labels, comments, breaks, maths
# --------------------------------------------------------------------------


def test_labels_comments_and_breaks_go_and_maths_stays():
    text = "(sec-pool)=\n## Pooling\n% a note to authors\nText $a_{i}$.\n+++ {\"k\": 1}\n$$\n% TeX comment\nx^2\n$$"
    assert convert(text) == "## Pooling\nText $a_{i}$.\n\n$$\n% TeX comment\nx^2\n$$"


def test_roles_inside_maths_and_code_are_left_alone():
    text = "Cost $\\{ref\\}`x`$, ``{ref}`y` `` and ``{eval}`z` ``."
    assert convert(text) == text


# --------------------------------------------------------------------------
# Roles and links
# --------------------------------------------------------------------------


def test_cross_references_become_links_to_the_published_pages():
    copy = build()
    assert convert("See {ref}`goals`, {ref}`the goals <goals>` and {doc}`running`.", copy) == (
        "See [Learning goals](https://site/chapters/02_pooling.html#goals), "
        "[the goals](https://site/chapters/02_pooling.html#goals) and "
        "[Running the course](https://site/chapters/running.html).")
    assert convert("{numref}`fig-cat` and {numref}`Figure %s <fig-cat>`", copy) == (
        "[Fig. 6.1](https://site/chapters/06.html#fig-cat) and [Figure 6.1](https://site/chapters/06.html#fig-cat)")
    assert convert("[Building a CNN](04_building_a_cnn.ipynb), [Colab](running.md#on-colab), "
                   "[arXiv](https://arxiv.org/abs/1) and [below](#summary)", copy) == (
        "[Building a CNN](https://site/chapters/04.html), [Colab](https://site/chapters/running.html#on-colab), "
        "[arXiv](https://arxiv.org/abs/1) and [below](#summary)")
    with pytest.raises(ValueError, match="nowhere"):
        convert("{ref}`nowhere`", copy)
    with pytest.raises(ValueError, match="missing.ipynb"):
        convert("[gone](missing.ipynb)", copy)


def test_terms_abbreviations_maths_and_citations_become_text():
    assert convert("A {term}`kernel <Kernel>`, {term}`stride`, {abbr}`CNN (convolutional neural network)`, "
                   "{math}`\\sigma(x)`, {cite}`lecun98, he16`, H{sub}`2`O, {kbd}`Ctrl`.") == (
        "A kernel, stride, CNN (convolutional neural network), $\\sigma(x)$, [lecun98, he16], H<sub>2</sub>O, `Ctrl`.")


def test_inline_values_are_the_builds_and_a_missing_one_is_an_error():
    assert convert('{eval}`glued("ms")` ms, {eval}`glued("kind")`.', build(ms="3.1", kind="faster")) == (
        "3.1 ms, faster.")
    with pytest.raises(ValueError, match=r'\{eval\}`glued\("nope"\)` has no value'):
        convert('Took {eval}`glued("nope")` ms.', build(ms="3.1"))
    with pytest.raises(ValueError, match="glued"):
        convert("{glue:text}`ch1_ms:.1f`")


def test_a_role_inside_a_table_keeps_the_table():
    table = '| norm | value |\n|---|---|\n| {math}`\\|x\\|` | {eval}`glued("a")` |\n| {ref}`goals` | a\\|b |'
    assert convert(table, build(a="0.5")).split("\n")[2:] == [
        "| $\\|x\\|$ | 0.5 |", "| [Learning goals](https://site/chapters/02_pooling.html#goals) | a\\|b |"]
    assert convert("{math}`|x|` outside", build()) == "$|x|$ outside"


def test_unknown_roles_are_errors():
    with pytest.raises(ValueError, match=r"\{download\}"):
        convert("{download}`data.csv`")


def test_chinese_words_join_the_text_but_numbers_keep_their_spaces():
    copy = build(kind="更快", times="7.4")
    copy.chinese = True
    assert convert('比经典循环 {eval}`glued("kind")`，快 {eval}`glued("times")` 倍', copy) == "比经典循环更快，快 7.4 倍"


# --------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------


def _notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os\nos.environ['X'] = '1'  # set-up", id="setup",
                                  metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_markdown_cell("> **In this notebook** the explorer is live.", id="live",
                                      metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_markdown_cell('It took {eval}`glued("ms")` ms.\n\n```{note}\nSee $x$.\n```', id="text",
                                      metadata={"user_expressions": [{"expression": 'glued("ms")'}]}),
        nbformat.v4.new_code_cell("glue('ms', 3.14159)", id="measure", execution_count=3,
                                  outputs=[nbformat.v4.new_output("stream", text="hi")])])


def test_the_copy_keeps_the_code_cells_and_drops_the_expressions_metadata():
    chapter = _notebook()
    reader = reader_notebook(chapter, build(ms="3.1"), note="*Measured when the site was built.*")
    assert reader.cells[0].source == "*Measured when the site was built.*"
    code = [c for c in reader.cells if c.cell_type == "code"]
    assert [(c.id, c.source, c.metadata) for c in code] == [
        (c.id, c.source, c.metadata) for c in chapter.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    text = [c for c in reader.cells if c.cell_type == "markdown"]
    assert [c.source for c in text[1:]] == ["> **In this notebook** the explorer is live.",
                                             "It took 3.1 ms.\n\n> **Note**\n>\n> See $x$."]
    assert text[1].metadata == {"tags": ["remove-cell"]} and text[2].metadata == {}
    nbformat.validate(reader)
    with pytest.raises(ValueError, match="cell 3: .*has no value"):
        reader_notebook(chapter, build())


def test_values_come_from_the_glue_data_as_the_website_formats_them():
    from inline_values import glued_text

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        'a {eval}`glued("r", ".1%")`, b {eval}`glued("n", ",d")`, c {eval}`glued("w")`')])
    glue = {name: {"data": {"text/plain": repr(value)}} for name, value in {"r": 0.1234, "n": 12345, "w": "faster"}.items()}
    values = values_from_glue(nb, glue)
    assert values == {'glued("r", ".1%")': "12.3%", 'glued("n", ",d")': "12,345", 'glued("w")': "faster"}
    assert values['glued("r", ".1%")'] == glued_text("0.1234", ".1%")


@pytest.mark.parametrize("chapter", sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("zh/chapters/*.ipynb")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chapter_converts_without_leaving_myst(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    expressions = [e for c in notebook.cells if c.cell_type == "markdown" for e in expressions_in(c.source)]
    copy = build()
    copy.values = {e: "1" for e in expressions}
    copy.resolve = lambda role, target: Target("page", f"https://site/{target}")
    reader = reader_notebook(notebook, copy)
    for cell in reader.cells:
        if cell.cell_type == "markdown":
            assert not MYST_ONLY.search(cell.source), cell.source
            assert "user_expressions" not in cell.metadata


# --------------------------------------------------------------------------
# Where the copies go: the branch, the buttons
# --------------------------------------------------------------------------


def test_the_workflow_publishes_both_editions_to_the_branch_colab_opens():
    book = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    build_job = book["jobs"]["build"]
    step = next(s for s in build_job["steps"] if "READER_BRANCH" in s.get("env", {}))
    assert step["env"]["READER_BRANCH"] == READER_BRANCH
    script = step["run"]
    assert f"_build/html/{FOLDER}/." in script and f"_build/html/zh/{FOLDER}/." in script
    assert '"$copies/zh/"' in script and "refs/heads/$READER_BRANCH" in script and "--force" in script
    assert build_job["permissions"]["contents"] == "write"
    runs = [s.get("run", "") + s.get("uses", "") for s in build_job["steps"]]
    check = next(i for i, r in enumerate(runs) if "check_published.py" in r)
    assert check < runs.index(script), "only the copies of a checked (trained) build are published"


def test_the_colab_address_of_each_edition():
    from types import SimpleNamespace

    options = {"repository_url": "https://github.com/how-cnns-see/how-cnns-see",
               "launch_buttons": {"colab_url": "https://colab.research.google.com/"}}
    for edition, root in (("en", ""), ("zh", "zh/")):
        config = SimpleNamespace(cnncourse_edition=edition, html_theme_options=options)
        assert colab_url(config, "chapters/07_where_the_network_looks") == (
            "https://colab.research.google.com/github/how-cnns-see/how-cnns-see/blob/"
            f"{READER_BRANCH}/{root}chapters/07_where_the_network_looks.ipynb")


def test_the_build_writes_the_copy_and_points_the_buttons_at_it(tmp_path):
    """Two pages, one a notebook with a glued value, a label and a reference, built by Sphinx."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    code = nbformat.v4.new_code_cell("glue(...)", execution_count=1, outputs=[
        nbformat.v4.new_output("display_data", data={GLUE_PREFIX + "text/plain": "0.25"},
                               metadata={"scrapbook": {"name": "ch0_share", "mime_prefix": GLUE_PREFIX}})])
    page = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Pooling\n\n(why)=\n## Why\n\nA share of {eval}`glued(\"ch0_share\", \".0%\")`.",
                                      metadata={"user_expressions": []}),
        code, nbformat.v4.new_markdown_cell(":::{tip}\nSee {ref}`why` and {doc}`about`.\n:::")])
    page.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "src"
    (source / "chapters").mkdir(parents=True)
    nbformat.write(page, source / "chapters" / "pool.ipynb")
    (source / "chapters" / "about.md").write_text("# About\n\nText.\n")
    (source / "index.md").write_text("# Home\n\n```{toctree}\nchapters/pool\nchapters/about\n```\n")
    (source / "conf.py").write_text(
        "extensions = ['myst_nb', 'sphinx_book_theme', 'inline_values', 'reader_copies']\n"
        "nb_execution_mode = 'off'\nmyst_enable_extensions = ['colon_fence', 'dollarmath']\n"
        "html_theme = 'sphinx_book_theme'\n"
        "html_theme_options = {'repository_url': 'https://github.com/o/course', 'repository_branch': 'main',"
        " 'launch_buttons': {'colab_url': 'https://colab.research.google.com'}}\n"
        f"import sys; sys.path.insert(0, {json.dumps(str(ROOT / '_ext'))})\n")
    warnings = tmp_path / "warnings.txt"
    with warnings.open("w") as stream, docutils_namespace():  # the nodes it registers go with it
        Sphinx(str(source), str(source), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
               status=None, warning=stream, freshenv=True).build()
    # (An earlier Sphinx of the same test process may have left its nodes registered.)
    logged = [line for line in warnings.read_text().splitlines() if "is already registered" not in line]
    assert not [line for line in logged if "WARNING" in line], logged
    copy = nbformat.read(tmp_path / "html" / FOLDER / "chapters" / "pool.ipynb", as_version=4)
    assert copy.cells[0].source.startswith("*The numbers in this text were measured on the computer that built")
    assert "https://o.github.io/course/chapters/pool.html" in copy.cells[0].source
    assert copy.cells[1].source == "# Pooling\n\n## Why\n\nA share of 25%."
    assert copy.cells[3].source == ("> **Tip**\n>\n> See [Why](https://o.github.io/course/chapters/pool.html#why) "
                                    "and [About](https://o.github.io/course/chapters/about.html).")
    html = (tmp_path / "html" / "chapters" / "pool.html").read_text()
    assert f'href="../{FOLDER}/chapters/pool.ipynb"' in html
    assert f'href="https://colab.research.google.com/github/o/course/blob/{READER_BRANCH}/chapters/pool.ipynb"' in html
    assert '<meta property="og:url"' not in html  # page_meta is not loaded here
    assert not (tmp_path / "html" / FOLDER / "chapters" / "about.ipynb").exists()  # not a notebook


def test_a_copy_that_cannot_be_converted_warns(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(reader_copies.LOGGER, "warning", lambda message, **kw: calls.append(message))

    class Env:
        all_docs = {"chapters/x": 0}
        titles: dict = {}

        def doc2path(self, docname):
            return str(path)

        def get_domain(self, name):
            return type("Std", (), {"labels": {}, "anonlabels": {}})()

        mystnb_config = type("C", (), {"output_folder": str(tmp_path)})()
        myst_config = None

    from types import SimpleNamespace

    path = tmp_path / "x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('{eval}`glued("gone")`')]), path)
    app = SimpleNamespace(env=Env(), builder=SimpleNamespace(format="html"), outdir=str(tmp_path / "out"),
                          srcdir=str(tmp_path), config=SimpleNamespace(cnncourse_edition="en", html_baseurl="",
                                                                       html_theme_options={}))
    reader_copies.write_copy(app, None, "chapters/x")
    assert len(calls) == 1 and 'glued("gone")' in calls[0] and "chapters/x" in calls[0]
    assert not (tmp_path / "out").exists()

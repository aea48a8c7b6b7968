"""The chapters' inline expressions, filled from the build's own run.

A chapter shows a measured value in its text with MyST's inline expression
role, ``{eval}`glued("ch1_loop_ms", ".1f")``` (``cnncourse.figures.mystglue``).
In JupyterLab, jupyterlab-myst evaluates it in the reader's kernel. The book
executes its notebooks through jupyter-cache, where myst-nb's own ``eval``
role has no kernel to ask, so this extension gives the role its meaning in
the build: it reads the value the build's run glued under that name (the
glue output of :func:`cnncourse.glue`) and formats it with the same
:func:`cnncourse.figures.mystglue.format_value` as the kernel does.

The page then shows the build's value, in an ``inline`` node of class
``pasted-text``, as myst-nb's ``{glue:text}`` role would (``_ext/editions.py``
joins Chinese words to it). An expression of another form, or a name no
cell glued, is a warning where it stands, so a ``-W`` build fails.
"""

from __future__ import annotations

from ast import literal_eval

from docutils import nodes
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from cnncourse.figures.mystglue import format_value, parse_expression

LOGGER = logging.getLogger(__name__)


def glued_text(plain: str, spec: str) -> str:
    """The text a glue output's ``text/plain`` (a Python literal) shows under ``spec``.

    >>> glued_text("0.1234", ".1%"), glued_text("'faster'", ""), glued_text("12345", ",d")
    ('12.3%', 'faster', '12,345')
    """
    try:
        value = literal_eval(plain)
    except (SyntaxError, ValueError):
        value = plain
    return format_value(value, spec)


class GluedValueRole(SphinxRole):
    """``{eval}`glued("name", "spec")```: the value the build's run glued under ``name``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            name, spec = parse_expression(self.text)
            plain = retrieve_glue_data(self.inliner.document, name).data.get("text/plain")
            if plain is None:
                raise RetrievalError(f"the value glued under {name!r} has no text/plain")
            text = glued_text(plain, spec)
        except (ValueError, RetrievalError) as exc:
            LOGGER.warning(f"{{eval}}`{self.text}`: {exc}", location=self.get_location(),
                           type="cnncourse", subtype="eval")
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        node = nodes.inline(text, text, classes=["pasted-text"])
        self.set_source_info(node)
        return [node], []


def setup(app: Sphinx) -> dict:
    # Registered after myst-nb's own `eval` role (local extensions load after it), which needs a live kernel.
    app.add_role("eval", GluedValueRole(), override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

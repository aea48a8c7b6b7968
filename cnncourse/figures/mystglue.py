"""Measured numbers into the prose: glue a value in the code, show it in the text.

A sentence that states a measured number (a timing, an accuracy, a ratio)
must never contradict the output printed above it, on any machine or with
either set of VGG16 weights. So the chapters do not type such numbers into
their text: a cell measures the value and *glues* it under a name,
``glue("ch1_loop_ms", ms)``, and the text shows it with MyST's inline
expression role, ``{eval}`glued("ch1_loop_ms", ".1f")```. Both readers of a
chapter fill that sentence from a run:

* **JupyterLab** (jupyterlab-myst) evaluates the expression in the reader's
  own kernel when the Markdown cell runs: :func:`glued` returns the value
  their run glued, formatted, or :data:`PLACEHOLDER` ("…") before that. The
  notebooks are committed with that placeholder as each expression's result
  (:func:`placeholder_expressions`), so an unrun notebook shows "…", never
  the expression. No trust setting is needed: jupyterlab-myst evaluates a
  cell's expressions whenever the cell runs, and shows a ``text/plain``
  result whether the notebook is trusted or not (its notary counts stored
  results as untrusted output, which only holds back HTML outputs, and the
  notebooks are committed without any).
* **The book build** (``_ext/inline_values.py``) reads the same name from
  the build's run (the glue output below) and formats it with the same
  :func:`format_value`, so the website shows the build's value.

:func:`glue` also writes the output of ``myst_nb.glue(name, value,
display=False)``, so it works wherever the notebook runs (JupyterLab, Colab,
nbval), with or without myst-nb installed: the output is invisible in a
notebook and read by the book build.
"""

from __future__ import annotations

import ast
import numbers
import re
from typing import Any


GLUE_PREFIX = "application/papermill.record/"
"""The mime-type prefix under which myst-nb looks for glued values."""

PLACEHOLDER = "…"
"""What a sentence shows where a value is not measured yet (its cell has not run)."""

_GLUED: dict[str, Any] = {}
"""The values this kernel has glued, by name (what :func:`glued` shows)."""

_EXPRESSION = re.compile(r"\{eval\}`([^`]*)`")


def plain_value(value: Any) -> Any:
    """``value`` as a plain Python ``bool``, ``int``, ``float`` or ``str``.

    NumPy and PyTorch scalars print as ``np.float64(0.5)`` or ``tensor(0.5)``,
    which myst-nb's format specs cannot read; plain numbers print as ``0.5``.

    Examples
    --------
    >>> import numpy as np
    >>> plain_value(np.float64(0.25)), plain_value(np.int64(3)), plain_value("faster")
    (0.25, 3, 'faster')
    """
    if isinstance(value, (bool, str)):
        return value
    item = getattr(value, "item", None)
    if callable(item):  # a NumPy or PyTorch scalar (or a one-element array)
        try:
            value = item()
        except (ValueError, RuntimeError) as exc:
            raise TypeError(f"glue value must be a single number, got an array of shape "
                            f"{tuple(value.shape)}") from exc
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"glue value must be a number or a string, got {type(value).__name__}")


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for the text of the page (myst-nb glue), showing nothing.

    Parameters
    ----------
    name : str
        The key the text refers to, e.g. ``{eval}`glued("ch1_loop_ms", ".0f")```.
        Keys are unique per page; prefix them with the chapter (``ch1_``).
    value : number or str
        A number (NumPy and PyTorch scalars are converted) or a short text,
        e.g. a comparison worded from the run ("faster" / "slower"); a text
        is translated like every label (``cnncourse.i18n.translate.tr``).

    Examples
    --------
    >>> glue("ch1_ratio", 312.5)  # outside IPython it does nothing
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name must be a Python identifier such as 'ch1_ratio', got {name!r}")
    value = plain_value(value)
    if isinstance(value, str):  # a word or sentence worded from the run: in the page's language
        from ..i18n.translate import tr

        value = tr(value)
    _GLUED[name] = value
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ModuleNotFoundError:  # plain Python: nothing to show and no page to fill
        return
    if get_ipython() is None:
        return
    display({GLUE_PREFIX + "text/plain": repr(value)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


class Shown(str):
    """A value as a sentence shows it: a ``str`` that also *prints* as itself.

    JupyterLab shows an inline expression's ``text/plain``, which for a plain
    ``str`` is its ``repr``, in quotes; this one has none.

    Examples
    --------
    >>> Shown("12%")
    12%
    """

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython's text/plain
        printer.text(str.__str__(self))


def format_value(value: Any, spec: str = "") -> str:
    """``value`` formatted by the format ``spec`` (``".1f"``, ``",d"``, ``".0%"``), as myst-nb's glue does.

    The last letter of ``spec`` says what the value is read as: ``d`` (and
    ``b c o x X``) an integer, ``e f g n %`` (and capitals) a float, ``s`` a text.

    Examples
    --------
    >>> format_value(0.1234, ".1%"), format_value(12345, ",d"), format_value(3.0, "d"), format_value("faster")
    ('12.3%', '12,345', '3', 'faster')
    """
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def glued(name: str, spec: str = "") -> Shown:
    """The value this kernel glued under ``name``, formatted by ``spec``; "…" before it is glued.

    The text of a chapter calls it in an inline expression,
    ``{eval}`glued("ch1_loop_ms", ".1f")```, which JupyterLab evaluates in
    the reader's kernel (and the book build fills from the build's run).

    Parameters
    ----------
    name : str
        The name a cell glued the value under.
    spec : str, optional
        A format spec as in :func:`format_value`; ``""`` shows the value as it is.

    Examples
    --------
    >>> glued("ch0_not_measured_yet", ".1f")
    …
    """
    if name not in _GLUED:
        return Shown(PLACEHOLDER)
    return Shown(format_value(_GLUED[name], spec))


def parse_expression(expression: str) -> tuple[str, str]:
    """The glued name and format spec of an inline expression ``glued("name", "spec")``.

    The chapters' inline expressions are only such calls, so that the book
    build can fill each one from the build's run without a kernel.

    Raises
    ------
    ValueError
        For anything else, naming the expression and the form it must have.

    Examples
    --------
    >>> parse_expression('glued("ch1_loop_ms", ".1f")'), parse_expression("glued('ch1_kind')")
    (('ch1_loop_ms', '.1f'), ('ch1_kind', ''))
    """
    form = 'glued("name") or glued("name", "format spec"), with string literals'
    try:
        call = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"inline expression {expression!r} is not Python; it must be {form}") from None
    args = call.args if isinstance(call, ast.Call) else []
    if (not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.func.id != "glued"
            or call.keywords or not 1 <= len(args) <= 2
            or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args)):
        raise ValueError(f"inline expression {expression!r} must be {form}")
    name = args[0].value
    if not name.isidentifier():
        raise ValueError(f"inline expression {expression!r}: the name must be a Python identifier, got {name!r}")
    return name, args[1].value if len(args) == 2 else ""


def expressions_in(markdown: str) -> list[str]:
    """The inline expressions (``{eval}`...```) of a Markdown text, in order, each once.

    Examples
    --------
    >>> expressions_in('{eval}`glued("a")` and {eval}`glued("b", ".1f")`, {eval}`glued("a")`')
    ['glued("a")', 'glued("b", ".1f")']
    """
    return list(dict.fromkeys(_EXPRESSION.findall(markdown)))


def placeholder_expressions(markdown: str) -> list[dict[str, Any]]:
    """A Markdown cell's ``user_expressions`` metadata before its notebook has run: "…" for each.

    jupyterlab-myst shows an inline expression's stored result, or the
    expression itself as code when it has none. The committed notebooks
    store this placeholder, so an unrun notebook reads "…" where a
    measured value will stand; running the cell replaces it.

    Examples
    --------
    >>> placeholder_expressions('{eval}`glued("a")` s')[0]["result"]["data"]
    {'text/plain': '…'}
    """
    return [{"expression": expression,
             "result": {"status": "ok", "data": {"text/plain": PLACEHOLDER}, "metadata": {}}}
            for expression in expressions_in(markdown)]

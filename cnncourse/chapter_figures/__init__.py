"""The figures of the chapters, one module per chapter, one function per figure.

A chapter's hidden ("Show code") cells each make one call here, e.g.
``figures.saliency(cat, vanilla)`` after
``from cnncourse.chapter_figures import where_it_looks as figures``, so a reader
who opens one sees what is drawn, not how it is laid out. Each function takes
the chapter's data as arguments, returns a :class:`matplotlib.figure.Figure`
or a :class:`cnncourse.figures.curves.ResponsiveFigure` (a narrow arrangement for
phones), and has its alt text in a module constant ``NAME_ALT``, the text of
the cell's ``mystnb.image.alt`` metadata (``tests/test_notebooks.py`` checks
that they agree).

    convolution      chapter 1        filters          chapter 5
    pooling          chapter 2        feature_maps     chapter 6
    activations      chapter 3        where_it_looks   chapter 7
    building         chapter 4

The modules are in the figures layer: they import compute and figure modules,
never widgets. Nothing is imported until a chapter imports its module.

May import: core, ops, nets, featureviz, attribution, i18n, figures.
"""

from __future__ import annotations

import importlib

MODULES = ("convolution", "pooling", "activations", "building", "filters", "feature_maps", "where_it_looks")
"""The chapters' modules, in chapter order."""


def alt_texts() -> dict[str, set[str]]:
    """Every module's alt texts (its ``*_ALT`` constants), by module name; importing each module.

    Examples
    --------
    >>> sorted(alt_texts()) == sorted(MODULES)
    True
    """
    found = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found[name] = {value for key, value in vars(module).items() if key.endswith("_ALT") and isinstance(value, str)}
    return found

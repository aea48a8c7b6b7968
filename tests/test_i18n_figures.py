"""Every text of every chapter figure reaches Chinese through ``tr()`` in the package.

Nothing patches matplotlib (tests/test_package.py), so a label drawn without
``tr()`` would stay English in the Chinese edition. This test draws each figure
of ``cnncourse.chapter_figures`` in Chinese (the examples of its docstrings, and
small inputs for those whose example needs a trained network) and checks that
no text of it is left to translate.
"""

from __future__ import annotations

import doctest
import importlib
import io
import re
import warnings

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from cnncourse.figures.fonts import use_cjk_font
from cnncourse.i18n import translate as i18n
from cnncourse.chapter_figures import MODULES

MATHS = re.compile(r"\s*\$.*\$\s*", re.DOTALL)


@pytest.fixture
def drawn(monkeypatch):
    """Chinese, strict, and the list of every Figure made meanwhile."""
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    figures = []
    init = Figure.__init__

    def recording(self, *args, **kwargs):  # the test watches matplotlib; the package never does
        init(self, *args, **kwargs)
        figures.append(self)

    monkeypatch.setattr(Figure, "__init__", recording)
    yield figures
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    use_cjk_font()


def _left_in_english(figures: list[Figure]) -> list[str]:
    left = []
    for fig in figures:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a missing CJK glyph is test_i18n_labels' business
            fig.savefig(io.BytesIO(), format="png", dpi=20)  # tick labels exist once drawn
        for text in fig.findobj(matplotlib.text.Text):
            label = text.get_text()
            if label and not MATHS.fullmatch(label) and i18n.tr(label) != label:
                left.append(label)
    return left


@pytest.mark.parametrize("name", MODULES)
def test_every_chapter_figure_is_drawn_in_chinese(drawn, name):
    module = importlib.import_module(f"cnncourse.chapter_figures.{name}")
    runner = doctest.DocTestRunner(checker=_AnyOutput(), optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, globs={**vars(module), "np": np, "torch": torch}):
        assert runner.run(test, out=report.append).failed == 0, "".join(report)  # any words, no error
    assert drawn, name
    assert _left_in_english(drawn) == [], name


def test_the_figures_whose_examples_need_a_network_are_drawn_in_chinese(drawn):
    from cnncourse.chapter_figures import feature_maps

    rng = np.random.default_rng(0)
    maps = {layer: torch.rand(8, 4, 4) for layer in feature_maps.BLOCKS}
    feature_maps.strongest(maps, "random")
    feature_maps.rank(maps, {layer: 10 for layer in maps}, {layer: 20 for layer in maps}, 150528, "random")
    feature_maps.corners(rng.random(16), rng.random(16), 1.5, "random")
    assert len(drawn) >= 4 and _left_in_english(drawn) == []


def test_no_chapter_draws_text_with_matplotlib_in_its_own_code():
    """A chapter's code cells are the same in both editions; text they gave matplotlib would stay
    English in Chinese. So a chapter draws with ``cnncourse.chapter_figures`` (or a helper that
    translates), and its own cells never call matplotlib."""
    from pathlib import Path

    import nbformat

    chapters = Path(__file__).resolve().parents[1] / "chapters"
    drawing = re.compile(r"matplotlib|\bplt\.|\.set_(title|xlabel|ylabel)\(|\.(suptitle|annotate|legend)\(")
    found = [f"{path.name} cell {cell.id}" for path in sorted(chapters.glob("*.ipynb"))
             for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "code" and drawing.search(cell.source)]
    assert found == []


class _AnyOutput(doctest.OutputChecker):
    """The examples are run for the figures they draw; their English outputs are not compared."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return True

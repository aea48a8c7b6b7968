"""A CJK font for Chinese figures, through matplotlib's settings (never its code).

In Chinese, :func:`use_cjk_font` gives matplotlib a CJK font as fallback after
its own (``rcParams["font.family"]``) and :func:`localize_figure` lets every text
of a figure fall back to it; in English both leave matplotlib as it was. A font is
installed only where the reader sees it: the chapters' set-up cell asks for one on
Colab (``use_cjk_font(install=...)``); :func:`cnncourse.i18n.translate.tr` never installs anything.
"""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path
from typing import Any

from ..i18n.translate import language

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC")
"""CJK fonts matplotlib may fall back to, the Debian package fonts-noto-cjk's first."""
FONT_HELP = ("Chinese labels need a CJK font, and none was found. Install one, e.g. "
             "`apt-get install fonts-noto-cjk` (on Colab: `!apt-get -qq install fonts-noto-cjk`), "
             "then restart the kernel.")

_FONT_STATE: dict[str, object] = {}


def cjk_font() -> str | None:
    """The name of an installed CJK font matplotlib can use, or None (fonts-noto-cjk is found
    even when it was installed after matplotlib built its font cache)."""
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    if not any(name in names for name in CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if "CJK" in Path(path).name and "Sans" in Path(path).name:
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # a font matplotlib cannot read
                    continue
        names = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


INSTALL_FONT = ("apt-get", "-qq", "install", "-y", "fonts-noto-cjk")
"""The command :func:`use_cjk_font` runs when asked to install a CJK font (Debian, Ubuntu, Colab)."""


def install_cjk_font() -> str | None:
    """Install fonts-noto-cjk with ``apt-get`` (needs root, as on Colab) and return the CJK font found.

    Only :func:`use_cjk_font` with ``install=True`` calls it: the chapters' set-up
    cell asks for it on Colab, where the reader sees it; :func:`tr` never installs anything.
    """
    quiet = {"check": False, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(list(INSTALL_FONT), **quiet).returncode != 0:  # stale package lists: refresh them once
        subprocess.run(["apt-get", "-qq", "update"], **quiet)
        subprocess.run(list(INSTALL_FONT), **quiet)
    return cjk_font()


def use_cjk_font(*, install: bool = False) -> str | None:
    """In Chinese, give matplotlib a CJK font as fallback after its own (``rcParams["font.family"]``);
    in English, undo that.

    The figures layer calls it for every figure it draws (:func:`localize_figure`), and the
    chapters' set-up cell calls it once, with ``install=True`` on Colab. Where no CJK font is
    installed, ``install=True`` installs fonts-noto-cjk (:func:`install_cjk_font`); otherwise one
    warning says how to install one. It changes only matplotlib's settings, never its code.

    Parameters
    ----------
    install : bool, default False
        Install fonts-noto-cjk with ``apt-get`` if no CJK font is found (in Chinese only).

    Returns
    -------
    str or None
        The CJK font's name; None in English or where there is none.

    Examples
    --------
    >>> from cnncourse.i18n.translate import set_language
    >>> set_language("en"); use_cjk_font() is None
    True
    """
    zh = language() == "zh"
    if not zh and "before" not in _FONT_STATE:
        return None  # English, as always: nothing to do (and matplotlib not imported)
    import matplotlib

    if zh and _FONT_STATE.get("font") is None and ("font" not in _FONT_STATE or install):
        font = cjk_font()
        if font is None and install:
            font = install_cjk_font()
        if font is None and "font" not in _FONT_STATE:
            warnings.warn(FONT_HELP, stacklevel=2)
        _FONT_STATE["font"] = font
    font = _FONT_STATE.get("font") if zh else None
    families = list(matplotlib.rcParams["font.family"])
    if font and font not in families:
        _FONT_STATE.setdefault("before", families)
        matplotlib.rcParams["font.family"] = [*families, font]
    elif not zh and "before" in _FONT_STATE:
        matplotlib.rcParams["font.family"] = _FONT_STATE.pop("before")
    return font


def localize_figure(fig: Any) -> Any:
    """In Chinese, let every text of ``fig`` fall back to the CJK font (texts made before the
    font was set keep their own font list otherwise); in English, leave ``fig`` alone.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = localize_figure(plt.figure()); plt.close(fig)
    """
    font = use_cjk_font()
    if font is not None:
        from matplotlib.text import Text

        for text in fig.findobj(Text):
            families = list(text.get_fontfamily())
            if font not in families:
                text.set_fontfamily([*families, font])
    return fig

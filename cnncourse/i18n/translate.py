"""The language of what ``cnncourse`` shows: English, or Chinese (简体中文).

One setting chooses it, the environment variable ``CNNCOURSE_LANG`` (``en``,
the default, or ``zh``), read each time a label reaches the reader, so the
first cell of a Chinese notebook (``os.environ["CNNCOURSE_LANG"] = "zh"``) is
enough. :func:`tr` translates a label or message from the one catalog shipped
with the package, ``cnncourse/locale/zh_CN/LC_MESSAGES/cnncourse.po``: an exact
entry first, then a template, a message id with ``{name}`` placeholders that
matches strings built at run time (``"{name} map"`` matches ``"block1_conv1 map"``;
the captured text is translated in turn where the catalog knows it).

With ``CNNCOURSE_I18N_STRICT=1`` a Chinese label with no translation raises
:class:`LookupError` (the Chinese notebooks are tested that way).

Translation is explicit: the figures, widgets and exercises pass every text they
draw through :func:`tr` (a chapter's figures are one call into
``cnncourse.chapter_figures``), and compute modules return English. The CJK font
Chinese figures need is the figures layer's business (:mod:`cnncourse.figures.fonts`).

This module imports no other ``cnncourse`` module (``tests/test_package.py``).

    python -m cnncourse.i18n.translate extract    # the literals passed to tr() in the package
    python -m cnncourse.i18n.translate missing    # those without a Chinese translation (exit 1 if any)
"""

from __future__ import annotations

import ast
import functools
import os
import re
import sys
from pathlib import Path

LANG_ENV = "CNNCOURSE_LANG"
STRICT_ENV = "CNNCOURSE_I18N_STRICT"
LANGUAGES = {"en": "en", "zh": "zh", "zh_CN": "zh", "zh-CN": "zh"}
"""The values ``CNNCOURSE_LANG`` accepts, and the language each means."""
CATALOG = Path(__file__).resolve().parents[1] / "locale" / "zh_CN" / "LC_MESSAGES" / "cnncourse.po"
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_CODE_LIKE = re.compile(r"[A-Za-z_][\w.\-]*(\(\w*\))?'?(\(\w*\))?")
HANZI = "\u4e00-\u9fff"
"""Chinese characters (CJK Unified Ideographs), as a range for a regular expression's ``[...]``."""
CJK = "\u3000-\u303f" + HANZI + "\uff00-\uffef"
"""Chinese characters with CJK punctuation and full-width forms, as a range for ``[...]``."""
_CJK = re.compile(f"[{CJK}]")
_CJK_SPACE = re.compile(f"(?<=[{HANZI}）”]) (?=[{HANZI}（“])")


def language() -> str:
    """The language of the labels: ``"en"`` (default) or ``"zh"``, from ``CNNCOURSE_LANG``.

    Raises
    ------
    ValueError
        When ``CNNCOURSE_LANG`` holds anything else (the message lists the valid values).

    Examples
    --------
    >>> set_language("zh_CN"); language()
    'zh'
    >>> set_language("en"); language()
    'en'
    """
    value = os.environ.get(LANG_ENV, "").strip() or "en"
    if value not in LANGUAGES:
        valid = ", ".join(repr(v) for v in LANGUAGES)
        raise ValueError(f"{LANG_ENV} must be one of {valid}, got {value!r}")
    return LANGUAGES[value]


def set_language(lang: str) -> None:
    """Set ``CNNCOURSE_LANG`` to ``lang`` (checked as :func:`language` checks it).

    Examples
    --------
    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: CNNCOURSE_LANG must be one of 'en', 'zh', 'zh_CN', 'zh-CN', got 'fr'
    """
    if lang not in LANGUAGES:
        valid = ", ".join(repr(v) for v in LANGUAGES)
        raise ValueError(f"{LANG_ENV} must be one of {valid}, got {lang!r}")
    os.environ[LANG_ENV] = lang


@functools.lru_cache(maxsize=None)
def _catalog() -> tuple[dict[str, str], tuple[tuple[re.Pattern, str, tuple[str, ...]], ...]]:
    """Exact entries and templates (regex, msgstr, placeholder names), most specific first."""
    from babel.messages.pofile import read_po

    with open(CATALOG, "rb") as file:
        catalog = read_po(file)
    exact, templates = {}, []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        exact[message.id] = message.string
        names = tuple(_PLACEHOLDER.findall(message.id))
        if names:
            parts = _PLACEHOLDER.split(message.id)[::2]
            pattern = "".join(re.escape(part) + ("(.+?)" if k < len(names) else "")
                              for k, part in enumerate(parts))
            literal = sum(len(part) for part in parts)
            templates.append((literal, re.compile(pattern, re.DOTALL), message.string, names))
    templates.sort(key=lambda item: -item[0])
    return exact, tuple((regex, string, names) for _, regex, string, names in templates)


def _needs_no_entry(text: str) -> bool:
    """Numbers, symbols, CJK text and single code-like tokens (``block3_conv3``, ``ReLU``) stay as
    they are; so does a text of several lines each of which does (``"relu1\\n8×32×32"``)."""
    if "\n" in text.strip():
        return all(_needs_no_entry(line) for line in text.strip().splitlines())
    if not re.search(r"[A-Za-z]", text) or _CJK.search(text) or len(text.strip()) <= 1:
        return True
    token = text.strip()
    if re.fullmatch(r"'[^'\s]+'|\"[^\"\s]+\"", token):
        return True  # a quoted value, such as 'same', is code
    if re.fullmatch(r"[-+−]?\d+(\.\d*)?[eE][-+−]?\d+", token):
        return True  # a number such as 9.54e-07
    return bool(_CODE_LIKE.fullmatch(token)) and (
        re.search(r"[\d_()]", token) is not None or any(c.isupper() for c in token[1:]))


@functools.lru_cache(maxsize=1)
def _imagenet_names() -> frozenset[str]:
    """The 1000 ImageNet class names (torchvision's, shipped with it: no download)."""
    try:
        from torchvision.models import VGG16_Weights
    except ImportError:
        return frozenset()
    return frozenset(VGG16_Weights.IMAGENET1K_V1.meta["categories"])


def _lookup(text: str) -> str | None:
    exact, templates = _catalog()
    if text in exact:
        return exact[text]
    for regex, string, names in templates:
        match = regex.fullmatch(text)
        if match:
            values = [tr(value, strict=False) for value in match.groups()]
            filled = dict(zip(names, values))
            text = _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), string)
            return _CJK_SPACE.sub("", text)  # 填充 必须 -> 填充必须: no space between Chinese words
    return None


def tr(text: str, *, strict: bool | None = None) -> str:
    """``text`` in the current language: itself in English, the catalog's translation in Chinese.

    Parameters
    ----------
    text : str
        A label or message, literal or built at run time.
    strict : bool, optional
        Raise :class:`LookupError` for a Chinese label the catalog lacks; by
        default, when ``CNNCOURSE_I18N_STRICT=1``. Otherwise ``text`` comes back.

    Examples
    --------
    >>> set_language("zh"); tr("padding"), tr("block3_conv3 map"), tr("3 × 3")
    ('填充', 'block3_conv3 的特征图', '3 × 3')
    >>> set_language("en"); tr("padding")
    'padding'
    """
    if not isinstance(text, str) or language() == "en" or _needs_no_entry(text):
        return text
    found = _lookup(text)
    if found is not None:
        return found
    if text in _imagenet_names():
        return text  # ImageNet's class names are the data set's own labels: they stay English
    setting = os.environ.get(STRICT_ENV, "").strip()
    if setting.startswith("collect:") and strict is not False:  # list what strict mode would refuse
        with open(setting.removeprefix("collect:"), "a", encoding="utf-8") as file:
            file.write(repr(text) + "\n")
        return text
    if strict is None:
        strict = setting not in ("", "0")
    if strict:
        raise LookupError(f"no Chinese translation of {text!r} in {CATALOG} "
                          f"(add it there; {STRICT_ENV}=1 asks for every label)")
    return text


def extract(root: Path | None = None) -> list[str]:
    """The string literals passed to ``tr()`` in the package's modules (sorted, each once).

    Examples
    --------
    >>> "epoch" in extract()
    True
    """
    root = root or Path(__file__).resolve().parents[1]
    found = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("tr", "_tr")):
                found.add(node.args[0].value)
    return sorted(found)


def missing() -> list[str]:
    """The literals of :func:`extract` that need a translation and have none in the catalog
    (neither an entry nor a template that matches them: ``"Gradients through 20 layers"``
    is translated by ``"Gradients through {n} layers"``)."""
    return [text for text in extract() if not _needs_no_entry(text) and _lookup(text) is None]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "extract"
    lines = extract() if command == "extract" else missing()
    print("\n".join(lines))
    sys.exit(1 if command == "missing" and lines else 0)

"""The Chinese edition: gettext catalogs in, Chinese pages and notebooks out.

The English pages in ``chapters/`` are the one source. Their prose is cut into
blocks (a paragraph, a list, a table, a heading, a MyST directive); each block is
one message of the page's catalog, ``locales/zh_CN/LC_MESSAGES/<page>.po``, the
layout ``sphinx-intl`` uses, so any PO editor (Poedit, Weblate, ...) works on it.
Code cells are copied unchanged: the Chinese notebooks run the same code, and
``cnncourse`` draws its labels in Chinese because the first cell of every Chinese
notebook sets ``CNNCOURSE_LANG=zh`` (cnncourse/i18n.py, with its own catalog).

    python tools/i18n.py update    # English changed: refresh the catalogs (new blocks
                                   # are untranslated; edited ones keep the old
                                   # translation marked fuzzy, for a translator to fix)
    python tools/i18n.py build     # write zh/ (pages, notebooks, _toc.yml) from the catalogs
    python tools/i18n.py check     # exit 1 on an untranslated or fuzzy message, a stale zh/,
                                   # or a catalog that gettext's check (msgfmt -c) rejects
    python tools/i18n.py stats     # how many messages each catalog has, and how many are done
    python tools/i18n.py export --page 02_pooling --file pooling.yaml   # translate in any editor,
    python tools/i18n.py import --page 02_pooling --file pooling.yaml   # then take it back

``build`` refuses to write a page while one of its messages has no translation,
so the Chinese edition can never show English prose silently.
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import os
import re
import shutil
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from cnncourse.i18n import CJK
from cnncourse.mystglue import placeholder_expressions

ROOT = Path(__file__).resolve().parents[1]
LOCALE = "zh_CN"
CATALOGS = ROOT / "locales" / LOCALE / "LC_MESSAGES"
ZH = ROOT / "zh"
# The first cell of every Chinese notebook: cnncourse reads the setting when it
# draws, so figures, widgets, players and messages come out in Chinese.
LANGUAGE_CELL = ('import os\n'
                 'os.environ["CNNCOURSE_LANG"] = "zh"  # 本笔记本中 cnncourse 的图表、控件和提示都用中文')
LANGUAGE_TAG = "language-setting"
FENCE = re.compile(r"^(`{3,}|:{3,})(.*)$")


# --------------------------------------------------------------------------
# Cutting prose into messages
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A piece of a Markdown text; ``text`` plus ``gap`` (the blank lines after it) rebuild it."""

    text: str
    gap: str
    translatable: bool


def _is_fixed(text: str, fence_info: str | None) -> bool:
    """Blocks copied as they are: code, maths, label targets, comments, blank lines."""
    if fence_info is not None:
        return not fence_info.lstrip().startswith("{") or fence_info.lstrip().startswith(
            ("{code-cell}", "{math}", "{glue:}", "{glue:any}", "{glue:figure}"))
    stripped = text.strip()
    return (not stripped or bool(re.fullmatch(r"\(\S+\)=", stripped)) or stripped.startswith("$$")
            or (stripped.startswith("<!--") and stripped.endswith("-->"))
            or not re.search(r"[A-Za-z]", stripped))


def split_blocks(markdown: str) -> list[Block]:
    """Cut ``markdown`` into blocks at blank lines; a fenced block (code or a MyST
    directive with everything inside it) is always one block.

    >>> [b.text for b in split_blocks("# Title\\n\\nSome *text*.\\n")]
    ['# Title', 'Some *text*.']
    >>> "".join(b.text + b.gap for b in split_blocks("a\\n\\n\\nb\\n")) == "a\\n\\n\\nb\\n"
    True
    """
    lines = markdown.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        start = i
        match = FENCE.match(lines[i])
        info = None
        if match:
            info = match.group(2)
            marker = match.group(1)
            i += 1
            while i < len(lines):
                close = FENCE.match(lines[i])
                if close and close.group(1)[0] == marker[0] and len(close.group(1)) >= len(marker) \
                        and not close.group(2).strip():
                    i += 1
                    break
                i += 1
        else:
            while i < len(lines) and lines[i].strip() and not (i > start and FENCE.match(lines[i])):
                i += 1
            i = max(i, start + 1)
        text = "\n".join(lines[start:i])
        end = i
        while i < len(lines) and not lines[i].strip():
            i += 1
        # What follows the block: the line break, the blank lines, the next line break.
        gap = "\n" + "".join(line + "\n" for line in lines[end:i]) if i < len(lines) \
            else "".join("\n" + line for line in lines[end:])
        blocks.append(Block(text, gap, not _is_fixed(text, info)))
    assert "".join(b.text + b.gap for b in blocks) == markdown
    return blocks


# --------------------------------------------------------------------------
# The pages of the book
# --------------------------------------------------------------------------


def pages() -> list[Path]:
    """Every page of the English book, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    found = []
    for doc in docs:
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{doc}{suffix}").exists():
                found.append(ROOT / f"{doc}{suffix}")
                break
        else:
            raise FileNotFoundError(f"_toc.yml names {doc!r}, which has no .ipynb or .md file")
    return found


def _front_matter(text: str) -> tuple[str, str]:
    """Split a Markdown page's YAML front matter (kept as it is) from its body."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + len("\n---\n")
        return text[:end], text[end:]
    return "", text


def _texts(path: Path) -> list[tuple[str, str]]:
    """(where, markdown) for every piece of prose of a page."""
    if path.suffix == ".md":
        return [(f"{path.name}", _front_matter(path.read_text(encoding="utf-8"))[1])]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            found.append((f"{path.name}:cell{number}", "".join(cell["source"])))
    return found


# A MyST notebook's code cell gives its alt text in the cell's YAML options: "    alt: \"...\"".
_MD_ALT = re.compile(r'^([ \t]+alt:[ \t]*)(".*")[ \t]*$', re.MULTILINE)


def _alt_texts(path: Path) -> list[tuple[str, str]]:
    """Alt texts written in a notebook's cell metadata (mystnb.image.alt), or a MyST notebook's cell options."""
    if path.suffix == ".md":
        return [(path.name, yaml.safe_load(match.group(2)))
                for match in _MD_ALT.finditer(path.read_text(encoding="utf-8"))]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [(f"{path.name}:cell{n}", alt) for n, cell in enumerate(notebook["cells"])
            if (alt := cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt"))]


def messages(path: Path) -> list[tuple[str, str]]:
    """(msgid, where) for every message of a page, in reading order, alt texts included."""
    found = []
    for where, markdown in _texts(path):
        found += [(block.text, where) for block in split_blocks(markdown) if block.translatable]
    found += [(alt, where) for where, alt in _alt_texts(path)]
    return found


def catalog_path(path: Path) -> Path:
    return CATALOGS / path.relative_to(ROOT).with_suffix(".po")


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=LOCALE)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def write_catalog(catalog: Catalog, target: Path) -> None:
    """Write a page's catalog, without the English a fuzzy message was translated from.

    Babel writes that "previous msgid" of a paragraph as a wrapped ``#|``
    comment that its own reader cannot read back: it came back as translator
    comments, which each later write wrapped again, so the catalogs filled
    with fragments of old English. They are not written, and the fragments of
    earlier writes are dropped: comments that begin ``|``, or that are single
    words (a translator's note is a sentence).
    """
    for message in catalog:
        comments = message.user_comments
        if comments and (any(c.startswith("|") for c in comments) or all(" " not in c.strip() for c in comments)):
            message.user_comments = []
        # Babel flags a message as a format string when its text looks like one ("20 % of the
        # images" reads as "% o"); a page's prose is Markdown, never formatted, and the flag made
        # gettext's check (msgfmt -c) reject the translation "20%".
        message.flags -= {"python-format", "python-brace-format"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False, include_previous=False)


def catalogs() -> list[Path]:
    """Every catalog of the Chinese edition: the pages' and cnncourse's (what code draws)."""
    from cnncourse.i18n import CATALOG

    return [catalog_path(page) for page in pages()] + [CATALOG]


def catalog_errors(path: Path, *, msgfmt: bool | None = None) -> list[str]:
    """What gettext's check of a catalog finds wrong: a translation that breaks a format string
    the catalog declares (``#, python-format``, ``python-brace-format``), or a bad header.

    ``msgfmt -c`` runs where GNU gettext is installed (``msgfmt=None``: if it is); elsewhere
    Babel's checkers run on the flags written in the file (Babel's reader would add
    ``python-format`` to any text that looks like one), and the brace fields of a
    ``python-brace-format`` message are compared.
    """
    program = shutil.which("msgfmt") if msgfmt is not False else None
    if msgfmt and not program:
        raise FileNotFoundError("msgfmt is not installed (apt-get install gettext)")
    if program:
        result = subprocess.run([program, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        return [] if result.returncode == 0 else [
            line for line in result.stderr.splitlines() if line.strip() and "warning:" not in line]
    text = path.read_text(encoding="utf-8")
    written: dict[int, set[str]] = {}
    flags: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("msgid "):
            written[number], flags = flags, set()
    errors = []
    catalog = read_po(io.BytesIO(text.encode("utf-8")))
    for message in catalog:
        if not message.id or not message.string:
            continue
        message.flags = written.get(message.lineno, set()) | (message.flags & {"fuzzy"})
        problems = [str(error) for error in message.check(catalog)]
        if "python-brace-format" in message.flags and _fields(message.string) - _fields(message.id):
            problems.append(f"msgstr has brace fields that msgid lacks: {sorted(_fields(message.string) - _fields(message.id))}")
        errors += [f"{path}:{message.lineno}: {problem}" for problem in problems]
    return errors


def _fields(text: str | tuple) -> set[str]:
    """The named fields of a brace format string ("{step} of {steps}": step, steps)."""
    text = text if isinstance(text, str) else text[0]
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<not a valid format string>"}


def update() -> None:
    """Refresh every page's catalog from the English text (keeps what is translated)."""
    for page in pages():
        template = Catalog(locale=LOCALE, project="How CNNs see", fuzzy=False)
        for msgid, where in messages(page):
            file, _, cell = where.partition(":")
            template.add(msgid, locations=[(f"{page.parent.name}/{file}", int(cell.removeprefix("cell") or 0))])
        target = catalog_path(page)
        if target.exists():
            catalog = read_catalog(target)
            template.creation_date = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=False)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=LOCALE, project="How CNNs see", fuzzy=False)
            catalog.update(template)
        write_catalog(catalog, target)
        print(f"{target.relative_to(ROOT)}: {len(template)} messages")


def problems() -> list[str]:
    """Every message of every page that has no finished translation, as 'page: message'."""
    found = []
    for page in pages():
        target = catalog_path(page)
        if not target.exists():
            found.append(f"{page.relative_to(ROOT)}: no catalog ({target.relative_to(ROOT)}); "
                         "run python tools/i18n.py update")
            continue
        catalog = read_catalog(target)
        for msgid, where in messages(page):
            message = catalog.get(msgid)
            if message is None:
                found.append(f"{where}: not in the catalog (run python tools/i18n.py update): {msgid[:60]!r}")
            elif not message.string:
                found.append(f"{where}: untranslated: {msgid[:60]!r}")
            elif message.fuzzy:
                found.append(f"{where}: fuzzy (the English changed): {msgid[:60]!r}")
            else:
                found += [f"{where}: {lost} in the translation of {msgid[:40]!r}"
                          for lost in markup_problems(msgid, message.string)]
    return found


# What a translation must keep as it is: roles and their targets ({eval}`glued("x")`),
# inline code, maths, link targets, directive names and their options.
MARKUP = re.compile(r"\{[\w:-]+\}`[^`]*`|``[^`]+``|`[^`\n]+`|\$\$.+?\$\$|\$[^$\n]+\$|\]\([^)\s]+\)"
                    r"|^(?:`{3,}|:{3,})\{[\w:-]+\}|^:[\w-]+:[^\n]*$|^\(\S+\)=$", re.MULTILINE | re.DOTALL)


def markup_problems(msgid: str, msgstr: str) -> list[str]:
    """The markup of ``msgid`` that ``msgstr`` lost or changed (an empty list when it kept all).

    >>> markup_problems("Run `conv2d` on $x$.", "在 $x$ 上运行 `conv2d`。")
    []
    >>> markup_problems("See {ref}`pooling`.", "见池化。")
    ['lost {ref}`pooling`']
    """
    kept = MARKUP.findall(msgstr)
    lost = []
    for token in MARKUP.findall(msgid):
        if token in kept:
            kept.remove(token)
        else:
            lost.append(f"lost {token}")
    return lost


#: Set by ``build --pseudo``: untranslated text stays English (to try the site out; never committed).
PSEUDO = False


def _lookup(catalog: Catalog, text: str) -> str:
    message = catalog.get(text)
    if message is None or not message.string or message.fuzzy:
        if PSEUDO:
            return text
        raise LookupError(f"no translation for {text[:60]!r}")
    return message.string


# A line break between two Chinese characters shows as a stray space in a browser:
# the lines of a translated paragraph are joined where both sides are Chinese.
_CJK_BREAK = re.compile(f"([{CJK}])\n[ \t]*(?=[{CJK}])")


def _join_cjk_lines(text: str) -> str:
    r"""``text`` without line breaks between Chinese characters.

    >>> _join_cjk_lines("卷积核在图像上\n  滑动。\n- 列表")
    '卷积核在图像上滑动。\n- 列表'
    """
    return _CJK_BREAK.sub(r"\1", text)


def _translate(markdown: str, catalog: Catalog) -> str:
    out = []
    for block in split_blocks(markdown):
        text = block.text
        if block.translatable:
            text = _join_cjk_lines(_lookup(catalog, text))
        out.append(text + block.gap)
    return "".join(out)


def translated_page(path: Path) -> str:
    """The Chinese page (notebook JSON or Markdown text) for the English page ``path``."""
    catalog = read_catalog(catalog_path(path))
    if path.suffix == ".md":
        front, body = _front_matter(path.read_text(encoding="utf-8"))
        if "kernelspec" in front:  # a MyST notebook: its code cells draw in Chinese too
            front += ("\n```{code-cell} ipython3\n---\ntags: [remove-cell, " + LANGUAGE_TAG + "]\n---\n"
                      + LANGUAGE_CELL + "\n```\n")
        body = _MD_ALT.sub(lambda m: m.group(1) + json.dumps(_lookup(catalog, yaml.safe_load(m.group(2))),
                                                             ensure_ascii=False), body)
        return front + _translate(body, catalog)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    zh = copy.deepcopy(notebook)
    for cell in zh["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = _split_lines(_translate("".join(cell["source"]), catalog))
            if "user_expressions" in cell["metadata"]:  # "…" until the cell runs, in the Chinese order
                cell["metadata"]["user_expressions"] = placeholder_expressions("".join(cell["source"]))
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {})
        if alt.get("alt"):
            alt["alt"] = _lookup(catalog, alt["alt"])
    language = {"cell_type": "code", "execution_count": None, "id": "language-setting",
                "metadata": {"tags": ["remove-cell", LANGUAGE_TAG]}, "outputs": [],
                "source": _split_lines(LANGUAGE_CELL)}
    zh["cells"].insert(0, language)
    return json.dumps(zh, ensure_ascii=False, indent=1) + "\n"


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _toc() -> str:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = yaml.safe_load((CATALOGS.parent / "toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        if part["caption"] not in captions:
            raise LookupError(f"locales/{LOCALE}/toc.yml has no translation for the part {part['caption']!r}")
        part["caption"] = captions[part["caption"]]
    return ("# Generated by tools/i18n.py build from ../_toc.yml: edit that file, not this one.\n"
            + yaml.safe_dump(toc, allow_unicode=True, sort_keys=False))


#: What the Chinese edition's _config.yml changes in the English one.
ZH_TITLE = "CNN 如何看世界"
ZH_AUTHOR = "《CNN 如何看世界》的贡献者"


def _config() -> str:
    """zh/_config.yml: the English configuration, with the Chinese title and language, its
    paths one folder up (the shared _ext, _static and cache), and launch links into zh/."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"], config["author"] = ZH_TITLE, ZH_AUTHOR
    config["logo"] = "logo.svg"  # the English logo with the Chinese name (_logo)
    config["html"]["favicon"] = "../" + config["html"]["favicon"]
    config["exclude_patterns"] = ["_build", "**.ipynb_checkpoints"]
    config["execute"]["cache"] = "../" + config["execute"]["cache"]
    config["repository"]["path_to_book"] = "zh"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: "../" + path for name, path in sphinx["local_extensions"].items()}
    # Jupyter Book adds the CSS and JS files of the book's own _static folder; the
    # Chinese edition's is the English one's, named here.
    static = ROOT / "_static"
    sphinx["config"].update({
        "language": "zh_CN", "cnncourse_edition": "zh", "html_static_path": ["../_static"],
        # myst-nb's prompts of hidden cells ("Show code cell source") have no translations.
        "nb_code_prompt_show": "显示代码", "nb_code_prompt_hide": "隐藏代码",
        "html_css_files": sorted(p.relative_to(static).as_posix() for p in static.rglob("*.css")),
        "html_js_files": sorted(p.relative_to(static).as_posix() for p in static.rglob("*.js"))})
    return ("# Generated by tools/i18n.py build from ../_config.yml: edit that file, not this one.\n"
            + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))


def _logo() -> str:
    """zh/logo.svg: the English logo (_static/logo.svg) with the course's Chinese name."""
    logo = (ROOT / "_static" / "logo.svg").read_text(encoding="utf-8")
    logo = re.sub(r"(<title[^>]*>)How CNNs see:[^<]*", r"\1" + ZH_TITLE + "：3×3 卷积核在 5×5 图像上滑动，得到一个输出值", logo)
    logo, count = re.subn(r"(<text[^>]*>)How CNNs see(</text>)", r"\1" + ZH_TITLE + r"\2", logo)
    if count != 1:
        raise LookupError("_static/logo.svg has no <text>How CNNs see</text> to translate")
    return logo


def outputs() -> dict[Path, str]:
    """Every generated file of the Chinese edition and its text."""
    files = {ZH / "_toc.yml": _toc(), ZH / "_config.yml": _config(), ZH / "logo.svg": _logo()}
    for page in pages():
        files[ZH / page.relative_to(ROOT)] = translated_page(page)
    return files


def build() -> None:
    missing = problems()
    if missing and not PSEUDO:
        raise SystemExit("The Chinese edition has untranslated text:\n  " + "\n  ".join(missing[:40])
                         + (f"\n  ... and {len(missing) - 40} more" if len(missing) > 40 else ""))
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


def stale() -> list[str]:
    """Generated files of zh/ that differ from what ``build`` would write now."""
    return [str(path.relative_to(ROOT)) for path, text in outputs().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def stats() -> None:
    total = done = 0
    for page in pages():
        catalog = read_catalog(catalog_path(page)) if catalog_path(page).exists() else Catalog()
        ids = [msgid for msgid, _ in messages(page)]
        finished = sum(1 for msgid in ids if (m := catalog.get(msgid)) and m.string and not m.fuzzy)
        total, done = total + len(ids), done + finished
        print(f"{page.relative_to(ROOT)}: {finished}/{len(ids)} messages translated")
    print(f"all pages: {done}/{total}")


class _Literal(str):
    """A string that YAML writes as a literal block, the easiest form to translate in."""


yaml.SafeDumper.add_representer(
    _Literal, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|"))


def export(page: str, target: Path) -> None:
    """Write a page's messages as YAML (en, zh) for translating in a plain text editor."""
    path = _page(page)
    catalog = read_catalog(catalog_path(path))
    entries = []
    for msgid, _ in messages(path):
        message = catalog.get(msgid)
        done = message is not None and message.string and not message.fuzzy
        entries.append({"en": _Literal(msgid), "zh": _Literal(message.string if done else "")})
    target.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    print(f"wrote {len(entries)} messages of {path.relative_to(ROOT)} to {target}")


def import_(page: str, source: Path) -> None:
    """Take the translations of an exported YAML file into the page's catalog."""
    path = _page(page)
    target = catalog_path(path)
    catalog = read_catalog(target)
    count = 0
    for entry in yaml.safe_load(source.read_text(encoding="utf-8")):
        message = catalog.get(entry["en"])
        if message is None:
            raise SystemExit(f"{source}: not a message of {path.name} (run update?): {entry['en'][:60]!r}")
        if entry.get("zh", "").strip():
            message.string = entry["zh"].rstrip("\n") if not entry["en"].endswith("\n") else entry["zh"]
            message.flags.discard("fuzzy")
            count += 1
    write_catalog(catalog, target)
    print(f"{target.relative_to(ROOT)}: {count} translations taken from {source}")


def _page(name: str) -> Path:
    found = [page for page in pages() if name in str(page.relative_to(ROOT))]
    if len(found) != 1:
        raise SystemExit(f"page {name!r} matches {len(found)} pages; give one of "
                         + ", ".join(str(p.relative_to(ROOT)) for p in pages()))
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "build", "check", "stats", "export", "import"])
    parser.add_argument("--page", default="", help="check, export, import: the pages whose path contains this")
    parser.add_argument("--file", type=Path, help="export, import: the YAML file")
    parser.add_argument("--pseudo", action="store_true",
                        help="build: keep the English text where a translation is missing (to try the site)")
    args = parser.parse_args(argv)
    global PSEUDO
    PSEUDO = args.pseudo
    command = args.command
    if command == "update":
        update()
    elif command == "export":
        export(args.page, args.file)
    elif command == "import":
        import_(args.page, args.file)
    elif command == "build":
        build()
    elif command == "stats":
        stats()
    else:
        found = [p for p in problems() if args.page in p]
        if not args.page:
            found += [error for path in catalogs() for error in catalog_errors(path)]
            found = found or [f"{name} is stale: run python tools/i18n.py build" for name in stale()]
        print("\n".join(found) if found else "The Chinese edition is complete and up to date.")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

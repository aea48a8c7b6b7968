"""The pages' gettext catalogs: read, write, update from the English, and check.

One catalog per page, ``locales/zh_CN/LC_MESSAGES/<page>.po``; the texts that
``cnncourse`` draws have their own (``cnncourse/locale``), checked here too.
"""
from __future__ import annotations

import io
import os
import shutil
import string
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .blocks import markup_problems, messages
from .book import BOOK, LOCALE, Book


def read_catalog(path: Path) -> Catalog:
    """The catalog in the PO file ``path``."""
    with open(path, "rb") as handle:
        return read_po(handle, locale=LOCALE)


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


def catalogs(book: Book = BOOK) -> list[Path]:
    """Every catalog of the Chinese edition: the pages' and cnncourse's (what code draws)."""
    from cnncourse.i18n.translate import CATALOG

    return [book.catalog_path(page) for page in book.pages()] + [CATALOG]


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


def update(book: Book = BOOK) -> None:
    """Refresh every page's catalog from the English text (keeps what is translated).

    A new block is untranslated; an edited one keeps its old translation, marked fuzzy.
    """
    for page in book.pages():
        template = Catalog(locale=LOCALE, project="How CNNs see", fuzzy=False)
        for msgid, where in messages(page):
            file, _, cell = where.partition(":")
            template.add(msgid, locations=[(f"{page.parent.name}/{file}", int(cell.removeprefix("cell") or 0))])
        target = book.catalog_path(page)
        if target.exists():
            catalog = read_catalog(target)
            template.creation_date = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=False)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=LOCALE, project="How CNNs see", fuzzy=False)
            catalog.update(template)
        write_catalog(catalog, target)
        print(f"{book.name(target)}: {len(template)} messages")


def problems(book: Book = BOOK) -> list[str]:
    """Every message of every page that has no finished translation, as 'page: message'."""
    found = []
    for page in book.pages():
        target = book.catalog_path(page)
        if not target.exists():
            found.append(f"{book.name(page)}: no catalog ({book.name(target)}); "
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


def stats(book: Book = BOOK) -> None:
    """Print how many messages each page's catalog has, and how many are translated."""
    total = done = 0
    for page in book.pages():
        target = book.catalog_path(page)
        catalog = read_catalog(target) if target.exists() else Catalog()
        ids = [msgid for msgid, _ in messages(page)]
        finished = sum(1 for msgid in ids if (m := catalog.get(msgid)) and m.string and not m.fuzzy)
        total, done = total + len(ids), done + finished
        print(f"{book.name(page)}: {finished}/{len(ids)} messages translated")
    print(f"all pages: {done}/{total}")

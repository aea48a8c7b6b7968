"""Translating in a plain text editor: a page's messages out to YAML (``en``, ``zh``) and back.

Exported messages keep their English as literal blocks; a fuzzy or missing translation is
exported empty. Importing takes every non-empty ``zh`` into the catalog, unfuzzied.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .blocks import messages
from .book import BOOK, Book
from .catalogs import read_catalog, write_catalog


class _Literal(str):
    """A string that YAML writes as a literal block, the easiest form to translate in."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing :class:`_Literal` strings as literal blocks."""


_Dumper.add_representer(
    _Literal, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|"))


def export(page: str, target: Path, *, book: Book = BOOK) -> None:
    """Write a page's messages as YAML (en, zh) for translating in a plain text editor.

    Parameters
    ----------
    page : str
        Part of the page's path, matching one page (``"02_pooling"``).
    target : pathlib.Path
        The YAML file to write.
    book : Book, optional
        The book the page belongs to.
    """
    path = book.page(page)
    catalog = read_catalog(book.catalog_path(path))
    entries = []
    for msgid, _ in messages(path):
        message = catalog.get(msgid)
        done = message is not None and message.string and not message.fuzzy
        entries.append({"en": _Literal(msgid), "zh": _Literal(message.string if done else "")})
    target.write_text(yaml.dump(entries, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    print(f"wrote {len(entries)} messages of {book.name(path)} to {target}")


def import_(page: str, source: Path, *, book: Book = BOOK) -> None:
    """Take the translations of ``source``, a file written by :func:`export` and translated, into the
    catalog of ``page`` (as :func:`export` takes it) of ``book``; a message with no ``zh`` keeps its state.
    """
    path = book.page(page)
    target = book.catalog_path(path)
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
    print(f"{book.name(target)}: {count} translations taken from {source}")

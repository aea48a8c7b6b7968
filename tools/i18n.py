"""The Chinese edition: gettext catalogs in, Chinese pages and notebooks out.

The English pages in ``chapters/`` are the one source. Their prose is cut into
blocks (a paragraph, a list, a table, a heading, a MyST directive); each block is
one message of the page's catalog, ``locales/zh_CN/LC_MESSAGES/<page>.po``, the
layout ``sphinx-intl`` uses, so any PO editor (Poedit, Weblate, ...) works on it.
Code cells are copied unchanged: the Chinese notebooks run the same code, and
``cnncourse`` draws its labels in Chinese because the first cell of every Chinese
notebook sets ``CNNCOURSE_LANG=zh`` (cnncourse/i18n/translate.py, with its own catalog).

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

This file is the command line; the work is done by ``tools/edition/`` (one module
per job: ``blocks``, ``catalogs``, ``edition``, ``exchange``), whose public names
it also offers (``import i18n; i18n.pages()``) to the tests and other tools.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# ``edition`` is found beside this file: Python puts tools/ on the path when it runs this
# script, and the tests that import it put tools/ there themselves.
from edition.blocks import markup_problems, messages, split_blocks
from edition.book import BOOK, LOCALE, ROOT, Book
from edition.catalogs import catalog_errors, catalogs, problems, read_catalog, stats, update, write_catalog
from edition.edition import LANGUAGE_CELL, LANGUAGE_TAG, build, outputs, stale, translated_page
from edition.exchange import export, import_

__all__ = ["BOOK", "LANGUAGE_CELL", "LANGUAGE_TAG", "LOCALE", "ROOT", "Book", "build", "catalog_errors", "catalogs",
           "export", "import_", "main", "markup_problems", "messages", "outputs", "pages", "problems", "read_catalog",
           "split_blocks", "stale", "stats", "translated_page", "update", "write_catalog"]
#: The generated Chinese edition and the pages' catalogs of this repository.
ZH, CATALOGS = BOOK.zh, BOOK.catalogs


def pages() -> list[Path]:
    """Every page of the English book, in the order of ``_toc.yml``."""
    return BOOK.pages()


def check(page: str = "", book: Book = BOOK) -> list[str]:
    """What ``check`` reports: unfinished messages (of the pages whose path contains ``page``); with no
    ``page``, also gettext's complaints about any catalog, or else the files of zh/ that are stale."""
    found = [p for p in problems(book) if page in p]
    if not page:
        found += [error for path in catalogs(book) for error in catalog_errors(path)]
        found = found or [f"{name} is stale: run python tools/i18n.py build" for name in stale(book)]
    return found


def main(argv: list[str] | None = None) -> int:
    """Run one command of the command line (see the module's docstring); the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "build", "check", "stats", "export", "import"])
    parser.add_argument("--page", default="", help="check, export, import: the pages whose path contains this")
    parser.add_argument("--file", type=Path, help="export, import: the YAML file")
    parser.add_argument("--pseudo", action="store_true",
                        help="build: keep the English text where a translation is missing (to try the site)")
    args = parser.parse_args(argv)
    if args.command in ("export", "import") and args.file is None:
        parser.error(f"{args.command} needs --file")
    if args.command == "update":
        update()
    elif args.command == "export":
        export(args.page, args.file)
    elif args.command == "import":
        import_(args.page, args.file)
    elif args.command == "build":
        build(pseudo=args.pseudo)
    elif args.command == "stats":
        stats()
    else:
        found = check(args.page)
        print("\n".join(found) if found else "The Chinese edition is complete and up to date.")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One term for one thing in the Chinese edition, with the glossary as the source of truth.

The tables of ``chapters/glossary.md`` give each term its Chinese word (column
``中文``) and the words the edition does not use for it (column ``not``,
separated by ``、``; an ellipsis stands for an author's name, so ``… 等（``
is "Luo 等（2016）"). The last table lists the phrases in which such a word is
right for another thing, each with its reason (``步长``, a step size, is not a
stride). These tests fail when a word of the column ``not`` appears in a
translation: the prose of the pages (``locales/zh_CN/LC_MESSAGES/chapters/*.po``,
the glossary's own page aside) or what ``cnncourse`` draws, prints and glues
(its catalog), naming the file and the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "chapters" / "glossary.md"
ZH_GLOSSARY = ROOT / "zh" / "chapters" / "glossary.md"
PAGE_CATALOGS = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "chapters"
CNNCOURSE_CATALOG = ROOT / "cnncourse" / "locale" / "zh_CN" / "LC_MESSAGES" / "cnncourse.po"
#: An author's surname, where a rejected word has an ellipsis ("… 等（": "Luo 等（2016）").
NAME = r"(?<![A-Za-z])[A-Z][a-z]+\s*"


@dataclass(frozen=True)
class Term:
    english: str
    chosen: str
    rejected: tuple[str, ...]


@dataclass(frozen=True)
class Exception_:
    phrases: tuple[str, ...]
    english: str
    why: str


def _rows(markdown: str) -> list[list[list[str]]]:
    """The tables of a Markdown page: for each, its rows (header first) as lists of cells."""
    tables: list[list[list[str]]] = []
    previous = False
    for line in markdown.splitlines():
        is_row = line.startswith("|")
        if is_row:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):  # not the |---| line
                if not previous:
                    tables.append([])
                tables[-1].append(cells)
        previous = is_row
    return tables


def _words(cell: str) -> tuple[str, ...]:
    return tuple(word.strip().strip("`") for word in cell.split("、") if word.strip())


def read_glossary(markdown: str) -> tuple[list[Term], list[Exception_]]:
    """The terms (tables of four columns) and the allowed phrases (the table of three) of a glossary page.

    >>> page = "| English | 中文 | not | where |\\n|---|---|---|---|\\n| vertical | 竖直 | 垂直 | chapter 1 |\\n"
    >>> read_glossary(page)[0]
    [Term(english='vertical', chosen='竖直', rejected=('垂直',))]
    """
    terms, exceptions = [], []
    for header, *rows in _rows(markdown):
        for cells in rows:
            if len(header) == 4:
                terms.append(Term(cells[0], cells[1], _words(cells[2])))
            elif len(header) == 3:
                exceptions.append(Exception_(_words(cells[0]), cells[1], cells[2]))
    return terms, exceptions


def pattern(word: str) -> re.Pattern[str]:
    """The regular expression of a rejected word: literal, with ``…`` for an author's name.

    >>> bool(pattern("… 等（").search("Luo 等（2016）")), bool(pattern("… 等（").search("VGG16 等（第 6 章）"))
    (True, False)
    """
    return re.compile(NAME.join(re.escape(part) for part in word.split("…")))


def offences(catalogs: list[Path], terms: list[Term], exceptions: list[Exception_]) -> list[str]:
    """Every use of a rejected word in the translations of ``catalogs``, as 'file: message: word'."""
    allowed = sorted({phrase for exception in exceptions for phrase in exception.phrases}, key=len, reverse=True)
    rules = [(term, word, pattern(word)) for term in terms for word in term.rejected]
    found = []
    for path in catalogs:
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not message.string:
                continue
            text = message.string if isinstance(message.string, str) else "".join(message.string)
            for phrase in allowed:
                text = text.replace(phrase, "\u25a1")  # an allowed phrase is not a use of the word it contains
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            for term, word, regex in rules:
                if regex.search(text):
                    found.append(f"{path.name}: {msgid[:50]!r}: {word!r} (for {term.english!r}, the glossary "
                                 f"says {term.chosen!r})")
    return found


def chinese_catalogs() -> list[Path]:
    return sorted(p for p in PAGE_CATALOGS.glob("*.po") if p.stem != "glossary") + [CNNCOURSE_CATALOG]


TERMS, EXCEPTIONS = read_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_is_read() -> None:
    assert _rows(GLOSSARY.read_text(encoding="utf-8"))[0][0] == ["English", "中文", "not", "where"]
    english = [term.english for term in TERMS]
    assert len(english) == len(set(english)), "a term is listed twice"
    assert all(term.chosen for term in TERMS)
    assert sum(bool(term.rejected) for term in TERMS) >= 10
    assert EXCEPTIONS and all(exception.why for exception in EXCEPTIONS), "every allowed phrase needs its reason"


def test_no_rejected_word_is_one_of_the_chosen_ones() -> None:
    chosen = {term.chosen for term in TERMS}
    assert not [word for term in TERMS for word in term.rejected if word in chosen]


def test_every_allowed_phrase_contains_a_rejected_word() -> None:
    """An allowed phrase that contains no rejected word allows nothing: it is a mistake."""
    rules = [pattern(word) for term in TERMS for word in term.rejected]
    useless = [phrase for exception in EXCEPTIONS for phrase in exception.phrases
               if not any(rule.search(phrase) for rule in rules)]
    assert not useless


def test_the_chinese_glossary_has_the_same_words() -> None:
    """The Chinese glossary page (translated from the English one) lists the same words: one source of truth."""
    terms, exceptions = read_glossary(ZH_GLOSSARY.read_text(encoding="utf-8"))
    assert [(t.chosen, t.rejected) for t in terms] == [(t.chosen, t.rejected) for t in TERMS]
    assert [e.phrases for e in exceptions] == [e.phrases for e in EXCEPTIONS]


def test_the_chinese_edition_uses_one_word_for_each_term() -> None:
    found = offences(chinese_catalogs(), TERMS, EXCEPTIONS)
    assert not found, (f"{len(found)} translations use a word that chapters/glossary.md rejects (use its "
                       "chosen word, or, where the word is right for another thing, allow the phrase in the "
                       "glossary's last table with the reason):\n  " + "\n  ".join(found))


# -- the checker itself, on a small catalog ----------------------------------------------------------


@pytest.fixture
def fake_catalog(tmp_path: Path):
    def write(msgstr: str) -> Path:
        path = tmp_path / "fake.po"
        path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                        f'msgid "The stride and the step size."\nmsgstr "{msgstr}"\n', encoding="utf-8")
        return path
    return write


FAKE_TERMS = [Term("stride", "步幅", ("步长",)), Term("et al.", "等人", ("… 等（",))]
FAKE_EXCEPTIONS = [Exception_(("调整步长",), "step size", "an optimizer's step, not a stride")]


def test_the_checker_finds_a_rejected_word(fake_catalog) -> None:
    found = offences([fake_catalog("卷积的步长为 2。")], FAKE_TERMS, FAKE_EXCEPTIONS)
    assert found == ["fake.po: 'The stride and the step size.': '步长' (for 'stride', the glossary says '步幅')"]
    assert offences([fake_catalog("见 Luo 等（2016）。")], FAKE_TERMS, FAKE_EXCEPTIONS)


def test_the_checker_passes_an_allowed_phrase(fake_catalog) -> None:
    assert offences([fake_catalog("Adam 会调整步长。")], FAKE_TERMS, FAKE_EXCEPTIONS) == []
    # ... but not the rejected word elsewhere in the same message
    assert len(offences([fake_catalog("Adam 会调整步长；卷积的步长为 2。")], FAKE_TERMS, FAKE_EXCEPTIONS)) == 1


def test_the_checker_passes_the_chosen_word(fake_catalog) -> None:
    assert offences([fake_catalog("卷积的步幅为 2；见 Luo 等人（2016）和 VGG16 等（第 6 章）。")],
                    FAKE_TERMS, FAKE_EXCEPTIONS) == []

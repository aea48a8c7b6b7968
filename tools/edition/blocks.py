"""Cutting the English pages into messages: one per Markdown block, plus the alt texts of figures.

A block is a paragraph, a list, a table, a heading or a MyST directive; code, maths, label
targets and comments are copied as they are. :func:`markup_problems` says what markup a
translation lost.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FENCE = re.compile(r"^(`{3,}|:{3,})(.*)$")


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


def front_matter(text: str) -> tuple[str, str]:
    """Split a Markdown page's YAML front matter (kept as it is) from its body."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + len("\n---\n")
        return text[:end], text[end:]
    return "", text


def texts(path: Path) -> list[tuple[str, str]]:
    """(where, markdown) for every piece of prose of a page."""
    if path.suffix == ".md":
        return [(f"{path.name}", front_matter(path.read_text(encoding="utf-8"))[1])]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            found.append((f"{path.name}:cell{number}", "".join(cell["source"])))
    return found


# A MyST notebook's code cell gives its alt text in the cell's YAML options: "    alt: \"...\"".
MD_ALT = re.compile(r'^([ \t]+alt:[ \t]*)(".*")[ \t]*$', re.MULTILINE)


def alt_texts(path: Path) -> list[tuple[str, str]]:
    """Alt texts written in a notebook's cell metadata (mystnb.image.alt), or a MyST notebook's cell options."""
    if path.suffix == ".md":
        return [(path.name, yaml.safe_load(match.group(2)))
                for match in MD_ALT.finditer(path.read_text(encoding="utf-8"))]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [(f"{path.name}:cell{n}", alt) for n, cell in enumerate(notebook["cells"])
            if (alt := cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt"))]


def messages(path: Path) -> list[tuple[str, str]]:
    """(msgid, where) for every message of a page, in reading order, alt texts included."""
    found = []
    for where, markdown in texts(path):
        found += [(block.text, where) for block in split_blocks(markdown) if block.translatable]
    found += [(alt, where) for where, alt in alt_texts(path)]
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

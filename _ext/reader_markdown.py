"""MyST Markdown to plain Jupyter Markdown: the text of a chapter's reader copy.

The chapters are written in MyST (directives, roles, labels), which the
website and JupyterLab (jupyterlab-myst) render, and which Colab, classic
Jupyter and GitHub show as raw source. :func:`convert` rewrites one Markdown
cell in the Markdown they all render, the way QuantEcon converts its lectures
for download:

* admonitions (``{note}``, ``{tip}``, ``{admonition}`` ...) become quotes that
  start with their title in bold; dropdowns (``{dropdown}``, ``{toggle}``, an
  admonition of class ``dropdown``) become ``<details>`` with the title as
  ``<summary>``; directives nest, also inside a list item;
* ``{math}`` blocks become ``$$ ... $$``; ``$...$`` and ``$$...$$`` stay;
  ``{code-block}`` becomes a fenced block; ``{figure}`` and ``{image}`` an
  image: the file embedded as the cell's attachment (so a downloaded copy shows
  it offline), an address on the web as it is;
* roles become text or links: ``{ref}``, ``{numref}``, ``{doc}`` and relative
  links to pages become links to the published page; ``{eval}`` becomes the
  text the build's run gave it; ``{term}``, ``{abbr}`` become their text,
  ``{math}`` maths;
* labels ``(name)=``, comments ``% ...`` and breaks ``+++`` are left out.

What cannot be shown without MyST (a ``{glue}`` role, an unknown directive or
role, an inline expression without a value, a link to no page) raises
:class:`ValueError`, so the build warns instead of publishing raw syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cnncourse.i18n.translate import CJK, HANZI


@dataclass(frozen=True)
class Target:
    """Where a cross-reference leads: the page's ``url`` (with anchor), its ``title``; a numbered
    target (``{numref}``) also its ``number`` and ``title`` is its caption format (``"Fig. %s"``)."""

    title: str
    url: str
    number: str = ""


def _nowhere(role: str, target: str) -> Target:
    raise ValueError(f"{{{role}}}`{target}`: no such target")


def _no_image(path: str) -> tuple[str, str, str]:
    raise ValueError(f"image {path!r}: no file to embed")


#: Admonition titles when the build gives none (Sphinx's English labels).
LABELS = {"attention": "Attention", "caution": "Caution", "danger": "Danger", "error": "Error",
          "hint": "Hint", "important": "Important", "note": "Note", "seealso": "See also",
          "tip": "Tip", "warning": "Warning"}


@dataclass
class Build:
    """What the conversion takes from the build.

    ``values``: the text of each inline expression (``'glued("a", ".1f")'`` → ``"3.1"``);
    ``resolve(role, target)``: the :class:`Target` of a ``{ref}``, ``{numref}`` or ``{doc}``,
    or of a relative link (role ``"link"``), raising ValueError when there is none;
    ``image(path)``: an image file as ``(attachment name, mime type, base64 data)``;
    ``labels``: admonition titles; ``show``: the summary of a ``{toggle}``; ``chinese``: no space
    between a worded value and the Chinese text around it, as the Chinese website shows it.
    """

    values: dict[str, str] = field(default_factory=dict)
    resolve: Callable[[str, str], Target] = _nowhere
    image: Callable[[str], tuple[str, str, str]] = _no_image
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    show: str = "Show"
    chinese: bool = False
    attachments: dict[str, dict[str, str]] = field(default_factory=dict)


ADMONITIONS = {*LABELS, "admonition"}
DROPDOWNS = {"dropdown", "toggle"}
CODE = {"code-block", "code", "sourcecode", "code-cell"}
FENCE = re.compile(r"^(?P<indent> *)(?P<mark>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_OPEN, _CLOSE = "\x02", "\x03"  # around an inline value, while the Chinese spacing is decided
INLINE = re.compile(r"""
    \{(?P<role>[A-Za-z][\w:+.-]*)\}(?P<ticks>`+)(?P<content>.+?)(?P=ticks)(?!`)    # a role
  | (?P<code>(?P<cticks>`+).+?(?P=cticks)(?!`))                                    # code
  | (?P<math>\$\$.+?\$\$|(?<![\\$])\$[^$\s](?:[^$]*?[^$\s\\])?\$)                  # maths
  | (?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?P<title>\s+"[^"]*")?\)      # a link
""", re.DOTALL | re.VERBOSE)
_GLUE = re.compile(r"glue(:\w+)?$")
_CODE_ROLES = {"code", "literal", "samp", "file", "command", "program", "envvar", "option", "kbd"}


def convert(markdown: str, build: Build | None = None) -> str:
    """The plain Markdown of a MyST Markdown text (images it embeds go to ``build.attachments``).

    Examples
    --------
    >>> print(convert("(goals)=\\n% a comment\\n```{note}\\nRead **this**.\\n```"))
    > **Note**
    >
    > Read **this**.
    >>> build = Build(values={'glued("a", ".1f")': "3.1"})
    >>> convert('It took {eval}`glued("a", ".1f")` ms, $x^2$ and {math}`y`.', build)
    'It took 3.1 ms, $x^2$ and $y$.'
    """
    build = build or Build()
    return "\n".join(_blocks(markdown.split("\n"), build))


def _blocks(lines: list[str], build: Build) -> list[str]:
    out: list[str] = []
    run: list[str] = []  # ordinary lines, converted together (a role may span lines)
    maths = False
    i = 0

    def flush() -> None:
        if run:
            out.extend(_inline("\n".join(run), build).split("\n"))
            run.clear()

    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        fence = None if maths else FENCE.match(line)
        if fence:
            flush()
            indent, mark = fence["indent"], fence["mark"]
            end = next((j for j in range(i + 1, len(lines))
                        if re.fullmatch(rf" *{re.escape(mark[0])}{{{len(mark)},}} *", lines[j])), len(lines))
            body = [re.sub(rf"^ {{0,{len(indent)}}}", "", b) for b in lines[i + 1:end]]
            info = fence["info"].strip()
            if info.startswith("{"):
                name, _, argument = info[1:].partition("}")
                out.extend(indent + b if b else b for b in _directive(name.strip(), argument.strip(), body, build))
            else:
                out.extend(lines[i:end + 1])
            i = end + 1
            continue
        if maths:  # a maths block, kept as it is up to its closing $$
            out.append(line)
            maths = not stripped.endswith("$$")
        elif stripped.startswith("$$"):
            flush()
            out.append(line)
            maths = len(stripped) < 4 or not stripped.endswith("$$")
        elif re.fullmatch(r"\([^\s()]+\)=", stripped) or stripped.startswith(("%", "+++")):
            if stripped.startswith("+++"):
                flush()
                out.append("")
        else:
            run.append(line)
        i += 1
    flush()
    return out


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines, or a ``---`` YAML block) and its content."""
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":
        end = body.index("---", 1) if "---" in body[1:] else len(body)
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        body = body[end + 1:]
    else:
        while body and (match := re.match(r"^:([\w-]+):\s*(.*)$", body[0])):
            options[match[1]] = match[2]
            body = body[1:]
    while body and not body[0].strip():
        body = body[1:]
    return options, body


def _summary(title: str) -> str:
    """A title in HTML (``<summary>`` shows no Markdown): code, bold and italics."""
    title = re.sub(r"`([^`]+)`", lambda m: "<code>" + m[1].replace("<", "&lt;") + "</code>", title)
    title = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", title)
    return re.sub(r"(?<![\w*])\*([^*]+)\*", r"<em>\1</em>", title)


def _directive(name: str, argument: str, body: list[str], build: Build) -> list[str]:
    options, content = _options(body)
    classes = options.get("class", "").split()
    if name in ADMONITIONS and name != "admonition" and argument:
        content, argument = [argument, *content], ""  # `{note} Text` starts the note's content
    if name in DROPDOWNS or (name in ADMONITIONS and "dropdown" in classes):
        title = _inline(argument, build) if argument else build.labels.get(name, build.show)
        return ["<details>", f"<summary>{_summary(title)}</summary>", "",
                *_blocks(content, build), "", "</details>"]
    if name in ADMONITIONS or name in {"sidebar", "margin", "topic", "epigraph"}:
        title = _inline(argument, build) if argument else build.labels.get(name, "")
        inner = _blocks(content, build)
        quoted = [f"> **{title}**", ">"] if title else []
        return quoted + [f"> {line}" if line.strip() else ">" for line in inner]
    if name == "math":
        return ["$$", *([argument] if argument else []), *content, "$$"]
    if name in CODE:
        ticks = "`" * max(3, *(len(run) + 1 for line in content for run in re.findall("`+", line)), 3)
        return [ticks + argument.split()[0] if argument else ticks, *content, ticks]
    if name in {"figure", "image"}:
        alt = options.get("alt") or " ".join(content).strip()
        url = argument
        if not re.match(r"^[a-z][a-z0-9+.-]*:", url):
            file, mime, data = build.image(url)
            build.attachments[file] = {mime: data}
            url = f"attachment:{file}"
        caption = _blocks(content, build) if name == "figure" else []
        return [f"![{alt}]({url})", *([""] + caption if caption else [])]
    if name in {"container", "div", "raw"}:
        return content if name == "raw" else _blocks(content, build)
    if name in {"bibliography", "tableofcontents", "toctree"}:
        return []
    if _GLUE.match(name):
        raise ValueError(f"{{{name}}}: glue directives cannot be shown in a reader's copy")
    raise ValueError(f"the directive {{{name}}} has no plain-Markdown form in _ext/reader_markdown.py")


def _titled(content: str) -> tuple[str, str]:
    """``"title <target>"`` as ``("title", "target")``; ``"target"`` as ``("", "target")``."""
    match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content.strip(), re.DOTALL)
    return (match[1], match[2]) if match and match[1] else ("", content.strip())


def _role(role: str, content: str, build: Build) -> str:
    title, target = _titled(content)
    if role == "eval":
        if content not in build.values:
            raise ValueError(f"{{eval}}`{content}` has no value from the build's run")
        return _OPEN + build.values[content] + _CLOSE
    if role == "math":
        return f"${content}$"
    if role in {"ref", "doc", "numref"}:
        found = build.resolve(role, target)
        text = title or found.title
        if role == "numref":
            text = text.replace("%s", found.number).replace("{number}", found.number)
        return f"[{text}]({found.url})"
    if role in {"term", "abbr", "index"}:
        return title or target
    if role.startswith("cite"):
        return "[" + ", ".join(key.strip() for key in content.split(",")) + "]"
    if role in {"sub", "sup"}:
        return f"<{role}>{content}</{role}>"
    if role in _CODE_ROLES or role.startswith("py:"):
        return f"`{title or target}`"
    if role in {"guilabel", "menuselection"}:
        return "**" + content.replace("-->", "→").replace("&", "") + "**"
    if _GLUE.match(role):
        raise ValueError(f"{{{role}}}`{content}`: write measured values as {{eval}}`glued(\"name\", \"spec\")`")
    raise ValueError(f"the role {{{role}}} has no plain-Markdown form in _ext/reader_markdown.py")


def _inline(text: str, build: Build) -> str:
    def replace(match: re.Match) -> str:
        if match["role"]:
            shown = _role(match["role"], match["content"], build)
            start = match.string.rfind("\n", 0, match.start()) + 1
            if match.string[start:].lstrip().startswith("|"):  # in a table row
                shown = re.sub(r"(?<!\\)\|", r"\\|", shown)
            return shown
        if match["code"] or match["math"]:
            return match.group(0)
        url = match["url"]
        if not match["bang"] and not re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", url):
            url = build.resolve("link", url).url
        elif match["bang"] and not re.match(r"^[a-z][a-z0-9+.-]*:", url):
            file, mime, data = build.image(url)
            build.attachments[file] = {mime: data}
            url = f"attachment:{file}"
        return f"{match['bang']}[{_inline(match['text'], build)}]({url}{match['title'] or ''})"

    text = INLINE.sub(replace, text)
    if build.chinese:  # 比经典循环 更快 → 比经典循环更快; numbers keep their spaces (_ext/editions.py)
        text = re.sub(f"(?<=[{CJK}]) {_OPEN}(?=[{HANZI}])", _OPEN, text)
        text = re.sub(f"(?<=[{HANZI}]){_CLOSE} (?=[{CJK}])", _CLOSE, text)
    return text.replace(_OPEN, "").replace(_CLOSE, "")

"""Taking the pictures out of a page: inline ``data:`` pictures become files, big figures a smaller copy.

Part of the page-weight extension (``page_weight.py``); the files are written by
``picture_store``. Images of a player's hidden frames load lazily
(``loading="lazy"``: not before the frame is shown).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util import logging

from picture_store import MIN_INLINE_BYTES, RECOMPRESS_MIN_BYTES, store_picture

logger = logging.getLogger(__name__)

_TOKENS = re.compile(r"<div\b[^>]*>|</div\s*>|<img\b[^>]*>|<source\b[^>]*>", re.IGNORECASE)
_DATA_SRC = re.compile(r'(\s(?:src|srcset)=")data:image/(?:png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)(")', re.IGNORECASE)
_FILE_SRC = re.compile(r'(\ssrc=")((?:\.\./)*_images/)([^"/]+\.png)(")', re.IGNORECASE)
_HIDDEN = re.compile(r"\shidden(?=[\s>/=])", re.IGNORECASE)


@dataclass
class Rewrite:
    """What :func:`rewrite_inline_images` did to one page."""

    html: str
    moved: int = 0  # inline pictures now files
    lazy: int = 0  # ... of which in hidden player frames
    bytes_before: int = 0  # characters of the data URIs taken out
    bytes_after: int = 0  # bytes of the files they point to
    files: set[str] = field(default_factory=set)


def rewrite_inline_images(html: str, frames_dir: Path, url_prefix: str,
                          *, min_bytes: int = MIN_INLINE_BYTES) -> Rewrite:
    """Take the inline pictures out of ``html``: each ``<img src="data:...">`` (and
    ``<source srcset="data:...">`` of a ``<picture>``) becomes a file.

    Parameters
    ----------
    html : str
        A page, or part of one.
    frames_dir : pathlib.Path
        Where the picture files go (created when needed).
    url_prefix : str
        The URL of ``frames_dir`` as seen from the page, ending in ``/``
        (e.g. ``"../_images/frames/"``).
    min_bytes : int, optional
        Pictures smaller than this (decoded) stay inline.

    Returns
    -------
    Rewrite
        The new HTML and counts. An ``<img>`` inside a ``hidden`` player
        frame (``<div class="cnn-player-frame" ... hidden>``) gets
        ``loading="lazy"``: it loads when its frame is shown.

    Examples
    --------
    >>> import io, tempfile
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.effect_noise((64, 64), 60).save(buffer, "PNG")
    >>> uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    >>> page = f'<div class="cnn-player-frame" hidden><img src="{uri}" alt="noise"></div>'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = rewrite_inline_images(page, Path(folder), "../_images/frames/")
    >>> result.moved, result.lazy, "data:" in result.html, 'loading="lazy"' in result.html
    (1, 1, False, True)
    """
    if min_bytes < 0:
        raise ValueError(f"min_bytes must be >= 0, got {min_bytes}")
    result = Rewrite(html="")
    hidden_depths: list[bool] = []
    pieces: list[str] = []
    last = 0
    for token in _TOKENS.finditer(html):
        tag = token.group(0)
        if tag.startswith("</"):
            if hidden_depths:
                hidden_depths.pop()
            continue
        if tag[:4].lower() == "<div":
            hidden_depths.append("cnn-player-frame" in tag and bool(_HIDDEN.search(tag)))
            continue
        match = _DATA_SRC.search(tag)
        if not match:
            continue
        try:
            data = base64.b64decode("".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(data) < min_bytes:
            continue
        try:
            name = store_picture(data, frames_dir)
        except (OSError, ValueError) as error:  # not a picture Pillow reads: leave it inline
            logger.warning("an inline picture stays inline (%s)", error, type="page_weight")
            continue
        new_tag = tag[: match.start()] + f'{match.group(1)}{url_prefix}{name}{match.group(3)}' + tag[match.end():]
        if any(hidden_depths) and "loading=" not in new_tag and tag[:4].lower() == "<img":
            new_tag = new_tag[:4] + ' loading="lazy"' + new_tag[4:]
            result.lazy += 1
        result.moved += 1
        result.bytes_before += len(match.group(2))
        result.bytes_after += (frames_dir / name).stat().st_size
        result.files.add(name)
        pieces.append(html[last:token.start()])
        pieces.append(new_tag)
        last = token.end()
    pieces.append(html[last:])
    result.html = "".join(pieces)
    return result


def rewrite_figure_files(html: str, sources: dict[str, Path], frames_dir: Path,
                         *, min_bytes: int = RECOMPRESS_MIN_BYTES) -> str:
    """Point big PNG figures of ``_images`` at a smaller copy in ``frames_dir`` where there is one.

    ``sources`` maps a file name of ``_images`` to the file it is copied
    from. A figure stays as it is when its PNG is the smallest encoding.

    Examples
    --------
    >>> rewrite_figure_files('<img src="../_images/a.png">', {}, Path("."))
    '<img src="../_images/a.png">'
    """

    def replace(match: re.Match) -> str:
        source = sources.get(match.group(3))
        if source is None or not source.is_file() or source.stat().st_size < min_bytes:
            return match.group(0)
        name = store_picture(source.read_bytes(), frames_dir)
        if name.endswith(".png"):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}frames/{name}{match.group(4)}"

    return _FILE_SRC.sub(replace, html)

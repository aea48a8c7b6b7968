"""Storing a page's pictures as files: each in its smallest acceptable encoding, once.

Part of the page-weight extension (``page_weight.py``). A picture bigger than
:data:`RECOMPRESS_MIN_BYTES` or taken out of a page is stored in the smallest of:
its own encoding, lossless WebP, or, for noise- and photo-like pictures only (more
than :data:`LOSSY_MIN_COLOURS` colours, opaque), JPEG without chroma subsampling at
the first of :data:`JPEG_QUALITIES` whose peak signal-to-noise ratio is at least
:data:`MIN_PSNR_DB` (:func:`compress_image`).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

#: Where the pictures taken out of the pages go, relative to the HTML root.
FRAMES_DIR = "_images/frames"
#: Inline images smaller than this (decoded bytes) stay inline: a request costs more.
MIN_INLINE_BYTES = 1024
#: Figure files of ``_images`` smaller than this are served as they are.
RECOMPRESS_MIN_BYTES = 64_000
#: A picture with more colours than this counts as photo- or noise-like (lossy allowed).
LOSSY_MIN_COLOURS = 4096
#: JPEG qualities tried in turn (4:4:4, no chroma subsampling); the first within MIN_PSNR_DB wins.
JPEG_QUALITIES = (85, 90)
#: The lowest peak signal-to-noise ratio (dB) a lossy copy may have.
MIN_PSNR_DB = 30.0
#: Lossless WebP's effort (Pillow's ``quality`` with ``lossless=True``, 0-100) and method (0-6).
#: On the book's frames, effort 75 encodes 2.6 times faster than 100, for 0.7% more bytes.
WEBP_EFFORT, WEBP_METHOD = 75, 4
#: Part of every stored picture's name: a change of the settings above makes new files.
_POLICY = (f"v2 {MIN_INLINE_BYTES} {LOSSY_MIN_COLOURS} {JPEG_QUALITIES} {MIN_PSNR_DB} "
           f"{WEBP_EFFORT} {WEBP_METHOD}").encode()

_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def _psnr(reference, candidate) -> float:
    import numpy as np

    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(candidate, dtype=np.float64)
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def compress_image(data: bytes) -> tuple[bytes, str]:
    """The smallest acceptable encoding of a picture: ``(bytes, extension)``.

    Candidates: the picture as it is; lossless WebP (for PNG); and, for an
    opaque picture with more than :data:`LOSSY_MIN_COLOURS` colours (a photo
    or noise), JPEG with full-resolution colour at the first of
    :data:`JPEG_QUALITIES` whose PSNR against the original is at least
    :data:`MIN_PSNR_DB` (none: no JPEG).
    Flat pictures (charts, colour-mapped grids, text) stay lossless.

    Parameters
    ----------
    data : bytes
        A PNG, JPEG, GIF or WebP file.

    Returns
    -------
    (bytes, str)
        The encoded picture and its file extension (``"png"``, ``"webp"``,
        ``"jpg"``, ...).

    Examples
    --------
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("L", (64, 64), 128).save(buffer, "PNG")
    >>> compress_image(buffer.getvalue())[1] in ("png", "webp")
    True
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        kind = picture.format
        if kind not in _EXTENSIONS:
            raise ValueError(f"data must be a PNG, JPEG, GIF or WebP picture, got {kind!r}")
        candidates = [(data, _EXTENSIONS[kind])]
        if kind != "PNG" or getattr(picture, "is_animated", False):
            return candidates[0]
        picture.load()
        buffer = io.BytesIO()
        picture.save(buffer, format="WEBP", lossless=True, quality=WEBP_EFFORT, method=WEBP_METHOD)
        candidates.append((buffer.getvalue(), "webp"))
        rgba = picture.convert("RGBA")
        opaque = rgba.getextrema()[3][0] == 255
        if opaque and rgba.getcolors(maxcolors=LOSSY_MIN_COLOURS) is None:
            rgb = rgba.convert("RGB")
            for quality in JPEG_QUALITIES:
                buffer = io.BytesIO()
                rgb.save(buffer, format="JPEG", quality=quality, subsampling=0, optimize=True)
                with Image.open(io.BytesIO(buffer.getvalue())) as copy:
                    if _psnr(rgb, copy.convert("RGB")) >= MIN_PSNR_DB:
                        candidates.append((buffer.getvalue(), "jpg"))
                        break
    return min(candidates, key=lambda candidate: len(candidate[0]))


def store_picture(data: bytes, frames_dir: Path) -> str:
    """Write the smallest encoding of ``data`` to ``frames_dir`` once; return its file name.

    The name is the SHA-256 of the *original* bytes (and of the settings
    above), so the same picture on several pages, or in several builds, is
    encoded and stored once.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = store_picture(buffer.getvalue(), Path(folder))
    ...     first == store_picture(buffer.getvalue(), Path(folder)), len(list(Path(folder).iterdir()))
    (True, 1)
    """
    stem = hashlib.sha256(_POLICY + data).hexdigest()
    for existing in frames_dir.glob(f"{stem}.*"):
        return existing.name
    encoded, extension = compress_image(data)
    frames_dir.mkdir(parents=True, exist_ok=True)
    target = frames_dir / f"{stem}.{extension}"
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(encoded)
    partial.replace(target)
    return target.name

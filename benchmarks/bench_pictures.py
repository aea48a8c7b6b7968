"""Lossless WebP for the website's pictures: the effort ``_ext/page_weight.py`` uses against the most.

Run from the repository root after a build (``make book`` or ``make test``)::

    python benchmarks/bench_pictures.py [SITE]

Takes the lossless WebP pictures the build wrote (``_build/html/_images/frames``),
decodes them and encodes them again, side by side in the same run, at
:data:`WEBP_EFFORT` and at the greatest effort (100), both with
:data:`WEBP_METHOD`. Prints the time ratio and the size ratio: the build
encodes every picture of both editions, so this is part of ``make book``'s time.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import side_by_side  # noqa: E402
from page_weight import WEBP_EFFORT, WEBP_METHOD  # noqa: E402


def main(site: str | None = None) -> None:
    frames = Path(site or ROOT / "_build" / "html") / "_images" / "frames"
    pictures = [Image.open(path).copy() for path in sorted(frames.glob("*.webp"))]
    if not pictures:
        print(f"== Lossless WebP: skipped, no pictures in {frames} (build the site first: make book)")
        return
    sizes: dict[int, int] = {}

    def encode(effort: int) -> None:
        total = 0
        for picture in pictures:
            buffer = io.BytesIO()
            picture.save(buffer, format="WEBP", lossless=True, quality=effort, method=WEBP_METHOD)
            total += buffer.tell()
        sizes[effort] = total

    times = side_by_side({100: lambda: encode(100), WEBP_EFFORT: lambda: encode(WEBP_EFFORT)}, repeat=2, rounds=2)
    print(f"== Lossless WebP, {len(pictures)} pictures of {frames} (method {WEBP_METHOD})")
    for effort, name in ((100, "effort 100"), (WEBP_EFFORT, f"effort {WEBP_EFFORT} (the build)")):
        print(f"{name:22s} {times[effort]:6.2f} s  {sizes[effort]:>11,} bytes")
    print(f"== effort {WEBP_EFFORT} is {times[100] / times[WEBP_EFFORT]:.1f}x faster, "
          f"for {100 * (sizes[WEBP_EFFORT] / sizes[100] - 1):+.1f}% bytes")


if __name__ == "__main__":
    main(*sys.argv[1:2])

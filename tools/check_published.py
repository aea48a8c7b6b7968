"""Refuse to publish a website that does not show the trained VGG16.

Usage (the deploy workflow runs it after ``make book``)::

    python tools/check_published.py _build/html

Exits with an error, saying why, when VGG16's ImageNet weights are not in
torch's cache or when any built page carries the untrained-network banner
(the sign that a chapter fell back to random weights). The published site
must show what the trained network learned; a local ``make book`` may fall
back, with the banner, and is never deployed.
"""

from __future__ import annotations

import sys
from pathlib import Path

BANNER_CLASS = "cnn-untrained-banner"


def problems(site: Path, weights_file: Path) -> list[str]:
    found = []
    if not weights_file.is_file():
        found.append(f"VGG16's ImageNet weights are not in torch's cache ({weights_file})")
    pages = sorted(site.rglob("*.html"))
    if not pages:
        found.append(f"no built pages under {site}")
    for page in pages:
        if BANNER_CLASS in page.read_text(encoding="utf-8", errors="replace"):
            found.append(f"{page.relative_to(site)} shows the untrained-network banner")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    from cnncourse import imagenet_weights_path

    found = problems(Path(argv[0]), imagenet_weights_path())
    for problem in found:
        print(f"not publishing: {problem}", file=sys.stderr)
    if not found:
        print("the built site shows the trained VGG16: ready to publish")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

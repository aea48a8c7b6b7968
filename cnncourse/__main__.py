"""Command line of the course: ``python -m cnncourse COMMAND`` (or ``cnncourse COMMAND``).

Commands
--------
download-weights
    Download VGG16's ImageNet weights into torch's cache (``$TORCH_HOME``)
    ahead of time, for Binder images, CI caches and classrooms without
    internet. Prints where the file is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _download_weights(_args: argparse.Namespace) -> int:
    from .nets.weights import download_imagenet_weights, imagenet_weights_path, WeightsUnavailableError

    already = imagenet_weights_path().is_file()
    try:
        path = download_imagenet_weights(progress=True)
    except (WeightsUnavailableError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size_mb = path.stat().st_size / 2**20
    state = "already in torch's cache" if already else "downloaded"
    print(f"VGG16 ImageNet weights {state}: {path} ({size_mb:.0f} MB)")
    print("Set TORCH_HOME to the same folder wherever the course runs to use this file.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m cnncourse``."""
    parser = argparse.ArgumentParser(prog="python -m cnncourse",
                                     description="Helpers of the course 'How CNNs see'.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    download = commands.add_parser(
        "download-weights",
        help="download VGG16's ImageNet weights into torch's cache (TORCH_HOME)",
        description="Download VGG16's ImageNet weights (torchvision's VGG16_Weights.IMAGENET1K_V1, "
                    "about 530 MB) into torch's cache, so that the notebooks find them offline. "
                    "Set TORCH_HOME to choose the cache folder.")
    download.set_defaults(run=_download_weights)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit status (0 on success)."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

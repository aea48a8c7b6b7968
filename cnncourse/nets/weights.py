"""Where VGG16's weights come from: torch's cache, a download, or a file.

The weights policy of the course (see :func:`cnncourse.load_vgg16`):
torchvision's weights API keeps the ImageNet file in torch's standard cache
(``$TORCH_HOME/hub/checkpoints``); :func:`download_imagenet_weights` fills it
ahead of time (``python -m cnncourse download-weights``); the
``CNNCOURSE_WEIGHTS`` environment variable chooses ``imagenet``, ``random``
or a state-dict file; and :func:`weights_banner` is the box a notebook shows
so no reader mistakes the pictures of an untrained network for a trained one.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch



WEIGHTS_ENV = "CNNCOURSE_WEIGHTS"
"""The environment variable that chooses the weights when ``weights=None``."""

_NETWORK_TIMEOUT_S = 30.0

class WeightsUnavailableError(RuntimeError):
    """The ImageNet weights are neither in torch's cache nor downloadable."""


class UntrainedWeightsWarning(UserWarning):
    """VGG16 was loaded with untrained (random) weights because the ImageNet ones were missing."""


def _imagenet_weights() -> Any:
    from torchvision.models import VGG16_Weights

    return VGG16_Weights.IMAGENET1K_V1


def imagenet_categories() -> list[str]:
    """The 1000 ImageNet class names, in the order of VGG16's outputs (from torchvision's weights meta)."""
    return list(_imagenet_weights().meta["categories"])


def imagenet_weights_path() -> Path:
    """Where torchvision keeps (or will keep) the ImageNet weights of VGG16.

    ``$TORCH_HOME/hub/checkpoints/vgg16-397923af.pth`` (``TORCH_HOME``
    defaults to ``~/.cache/torch``); the file name comes from the weights' URL.
    """
    from urllib.parse import urlparse

    name = os.path.basename(urlparse(_imagenet_weights().url).path)
    return Path(torch.hub.get_dir()) / "checkpoints" / name


_HOW_TO_FIX = (
    "To fix it: on a machine with internet access run `python -m cnncourse download-weights` "
    "(it stores the file in torch's cache, under TORCH_HOME), or copy the file {url} to {path}; "
    f"or set {WEIGHTS_ENV}=random to use an untrained network (its pictures show no learned features)."
)


@contextlib.contextmanager
def _network_timeout(seconds: float) -> Iterator[None]:
    """Give up on a silent network after ``seconds`` instead of hanging (only if no timeout is set)."""
    previous = socket.getdefaulttimeout()
    if previous is None:
        socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        if previous is None:
            socket.setdefaulttimeout(None)


def _short(exc: BaseException) -> str:
    """The first line of an exception's message, cut to a readable length."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else ""
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def imagenet_state_dict(*, progress: bool = False) -> dict[str, torch.Tensor]:
    """The ImageNet state dict from torch's cache, downloaded there through torchvision if missing.

    Raises :class:`WeightsUnavailableError` (missing, no network) or
    ``ValueError`` (a damaged cached file), each saying how to fix it.
    """
    weights = _imagenet_weights()
    path = imagenet_weights_path()
    fix = _HOW_TO_FIX.format(url=weights.url, path=path)
    cached = path.is_file()
    # torch.hub announces every download attempt ("Downloading: ...", on stdout
    # or stderr depending on the version), even without a progress bar: only the
    # download command should show it.
    quiet = contextlib.ExitStack()
    if not progress:
        quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))
        quiet.enter_context(contextlib.redirect_stderr(io.StringIO()))
    try:
        with _network_timeout(_NETWORK_TIMEOUT_S), quiet:
            # torchvision reads the cached file if it is there, and downloads it otherwise.
            return weights.get_state_dict(progress=progress, weights_only=True)
    except OSError as exc:
        if cached:
            raise ValueError(f"the cached ImageNet weights file {path} could not be read ({_short(exc)}). "
                             f"Delete it and download it again. {fix}") from exc
        # urllib's URLError, a timeout, a refused connection, a full disk...
        raise WeightsUnavailableError(
            f"the ImageNet weights of VGG16 are not in torch's cache ({path}) and could not be "
            f"downloaded from {weights.url} ({_short(exc)}). {fix}") from exc
    except Exception as exc:  # the file is there but is not a valid checkpoint
        raise ValueError(f"the cached ImageNet weights file {path} could not be read "
                         f"({_short(exc)}); it may be a partial or damaged copy. "
                         f"Delete it and download it again. {fix}") from exc


def download_imagenet_weights(*, progress: bool = True) -> Path:
    """Download VGG16's ImageNet weights into torch's cache (if missing) and return the file's path.

    For Binder images and CI caches: run it once where there is internet,
    then cnncourse.load_vgg16 finds the file offline. ``python -m cnncourse
    download-weights`` calls this.

    Parameters
    ----------
    progress : bool, optional
        Show torch's download progress bar.

    Returns
    -------
    pathlib.Path
        The weights file.

    Raises
    ------
    WeightsUnavailableError
        If the file is missing and cannot be downloaded.
    ValueError
        If the cached file is corrupt.
    """
    imagenet_state_dict(progress=progress)
    return imagenet_weights_path()


def read_state_dict_file(path: Path) -> Any:
    """Load a state dict with ``weights_only=True``; a clear ``ValueError`` if it is not one."""
    if path.is_dir():
        raise ValueError(f"weights path {str(path)!r} is a folder, not a state-dict file")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ValueError(f"weights file {str(path)!r} is not a readable PyTorch state dict "
                         f"({_short(exc)})") from exc


class WeightsBanner:
    """What a notebook shows about a model's weights: a box no reader can miss when they are untrained.

    Data only: which weights (``kind``) and why (``note``). In a notebook it
    is drawn by :func:`cnncourse.figures.html.weights_banner_html` (a large orange box
    for untrained weights, a small note for weights from a file, nothing at
    all for the ImageNet weights); its ``repr`` says the same in plain English
    (:func:`cnncourse.figures.html.weights_banner_text` in the page's language).
    Create it with :func:`weights_banner`.
    """

    def __init__(self, kind: str, note: str = "") -> None:
        self.kind = kind
        self.note = note

    @property
    def trained(self) -> bool:
        """True for the ImageNet weights."""
        return self.kind == "imagenet"

    def __repr__(self) -> str:  # in English: cnncourse.figures.html.weights_banner_text is the notebook's, translated
        if self.trained:
            return ""
        if self.kind == "random":
            return ("WARNING: UNTRAINED NETWORK. These pictures come from an untrained network "
                    "(random weights), not from VGG16 trained on ImageNet.")
        return f"Note: VGG16 weights loaded from the file {self.kind}, not torchvision's ImageNet weights."


def weights_banner(model: Any) -> WeightsBanner:
    """The banner to display under a cell that loads VGG16.

    A large orange box ("these pictures come from an untrained network")
    when ``model`` has untrained weights, a small note for weights from a
    file, nothing at all for the ImageNet weights.

    Parameters
    ----------
    model : torch.nn.Module or str
        A model from :func:`cnncourse.load_vgg16` (or its ``cnncourse_weights`` string).

    Examples
    --------
    >>> weights_banner("random").trained
    False
    """
    if isinstance(model, str):
        return WeightsBanner(model)
    return WeightsBanner(getattr(model, "cnncourse_weights", "unknown"),
                         getattr(model, "cnncourse_weights_note", ""))

"""Chapter 8's explorer: fool the small CNN with FGSM or PGD, one size of change at a time.

:class:`AdversarialExplorer` shows, for one image of the small CNN and the
attack chosen, the image, the change ×50 around mid-grey, the attacked image,
and the class probabilities before and after. The position slider steps
through the sizes of the change, epsilon; ``to_player()`` records every size
for both attacks (FGSM, then PGD), so the website's player has no control
that does nothing. The attacks are :func:`cnncourse.fgsm` and
:func:`cnncourse.pgd`; each (attack, image) is computed once, for every size, and kept.
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence

import ipywidgets as w
import numpy as np
import torch
from torch import nn

from ..core.validate import int_between
from ..attribution.adversarial import magnified
from ..attribution.attack_sizes import attack_at_sizes
from ..figures.html import image_html
from ..i18n.translate import tr
from ..figures.pictures import png_data_uri
from ..nets.shapes import SHAPE_CLASSES
from ..figures.svg import probability_bars_svg
from .base import Explorer

ATTACKS = {"fgsm": "FGSM", "pgd": "PGD"}
"""The attacks the explorer knows, by value, with their labels."""
EPSILONS = (0, 1, 2, 4, 8, 16, 32)
"""The sizes of the change, in 255ths of the [0, 1] range (grey levels)."""
_SHOWN = 128  # pixels: the width at which each 32x32 picture is shown


class AdversarialExplorer(Explorer):
    """Choose an attack and an image of the small CNN; step through the size of the change.

    Parameters
    ----------
    model : torch.nn.Module
        The trained small CNN (any classifier of ``(N, 1, H, W)`` images in [0, 1]).
    images : torch.Tensor, shape (N, 1, H, W)
        Images to choose from (the validation images), in [0, 1].
    labels : torch.Tensor, shape (N,)
        Their true classes: the attacks lower the probability of these.
    index : int, optional
        The image shown first.
    epsilons : sequence of int, optional
        The sizes of the change, in 255ths (:data:`EPSILONS`).
    steps : int, optional
        PGD's steps; each is ``epsilon / 4`` long.
    classes : sequence of str, optional
        One name per class (:data:`cnncourse.SHAPE_CLASSES` by default).

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> explorer = AdversarialExplorer(SmallCNN(), torch.rand(3, 1, 32, 32), torch.tensor([0, 1, 2]))
    >>> explorer.attack.value = "pgd"
    >>> explorer.position.index = 3
    >>> "PGD" in explorer.display.value, "4/255" in explorer.display.value
    (True, True)
    >>> explorer.index.value = 7
    >>> "between 0 and 2" in explorer.message.value
    True
    >>> explorer.index.value = 1
    >>> len(explorer.to_player("Both attacks").frames)   # 7 sizes, 2 attacks
    14
    """

    def __init__(self, model: nn.Module, images: torch.Tensor, labels: torch.Tensor, *, index: int = 0,
                 epsilons: Sequence[int] = EPSILONS, steps: int = 10,
                 classes: Sequence[str] = SHAPE_CLASSES) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be a torch.nn.Module (a classifier), got {type(model).__name__}")
        images = torch.as_tensor(images, dtype=torch.float32)
        if images.ndim != 4 or len(images) == 0:
            raise ValueError(f"images must have shape (N, C, H, W), got {tuple(images.shape)}")
        if len(labels) != len(images):
            raise ValueError(f"labels must have one class per image ({len(images)}), got {len(labels)}")
        self.model, self.images, self.labels = model, images, torch.as_tensor(labels).long()
        self.classes, self.steps_pgd = list(classes), steps
        self.epsilons = tuple(int_between(e, "epsilons", 0, 255) for e in epsilons)
        if not self.epsilons:
            raise ValueError("epsilons must hold at least one size")
        self._runs: dict[tuple[str, int], tuple[torch.Tensor, np.ndarray]] = {}  # (attack, image): kept
        self.attack = w.Dropdown(options=[(label, key) for key, label in ATTACKS.items()], value="fgsm",
                                 description=tr("attack"))
        self.index = w.IntText(value=index, description=tr("image #"), layout=w.Layout(width="12em"))
        options = [f"{e}/255" for e in self.epsilons]
        slider = w.SelectionSlider(options=options, value=options[min(4, len(options) - 1)], description="ε")
        super().__init__([w.HBox([self.attack, self.index])], watch=[self.attack, self.index], position=slider,
                         interval_ms=900)

    @property
    def steps(self) -> int:
        """One step per size of the change."""
        return len(self.epsilons)

    def _run(self, attack: str, index: int) -> tuple[torch.Tensor, np.ndarray]:
        """The attacked images for every size ``(sizes, C, H, W)`` and their probabilities, computed once."""
        key = (attack, index)
        if key not in self._runs:
            self._runs[key] = attack_at_sizes(self.model, self.images[index], int(self.labels[index]), attack=attack,
                                              epsilons=[e / 255 for e in self.epsilons], steps=self.steps_pgd)
        return self._runs[key]

    def _recompute(self) -> None:
        index = int_between(self.index.value, "image #", 0, len(self.images) - 1)
        self._run(self.attack.value, index)
        self._current = (self.attack.value, index)

    def _frame(self, step: int) -> str:
        return self._picture(*self._current, step)

    def _player_frames(self) -> list[str]:
        index = self._current[1]
        return [self._picture(attack, index, step) for attack in ATTACKS for step in range(self.steps)]

    def _default_title(self) -> str:
        return tr("FGSM and PGD on the small CNN, size by size")

    def _picture(self, attack: str, index: int, step: int) -> str:
        batch, probabilities = self._run(attack, index)
        image = self.images[index, 0].numpy()
        attacked = batch[step, 0].numpy()
        before, after = probabilities[0], probabilities[step + 1]
        truth, now = int(self.labels[index]), int(after.argmax())
        eps = f"{self.epsilons[step]}/255"
        verdict = (tr("still {name}") if now == truth else tr("now {name}")).format(name=tr(self.classes[now]))
        note = tr("{attack}, ε = {eps}: the true class is {truth} ({before} before the attack, {after} after it); "
                  "the network's answer: {verdict}.").format(
            attack=f"<b>{ATTACKS[attack]}</b>", eps=eps, truth=f"<b>{_html.escape(tr(self.classes[truth]))}</b>",
            before=f"{before[truth]:.1%}", after=f"{after[truth]:.1%}", verdict=_html.escape(verdict))
        scale = max(1, _SHOWN // image.shape[1])
        size = {"width": image.shape[1] * scale, "height": image.shape[0] * scale}
        pictures = [
            (np.clip(image, 0, 1), tr("the image"), tr("The validation image, in grayscale")),
            (magnified(attacked - image), tr("the change, ×50"),
             tr("The change the attack made, magnified fifty times around mid-grey: lighter where it brightens "
                "a pixel, darker where it darkens it")),
            (np.clip(attacked, 0, 1), tr("after the attack"), tr("The image after the attack"))]
        figures = "".join(image_html(png_data_uri(values, vmin=0, vmax=1, scale=scale), alt, caption=caption, **size)
                          for values, caption, alt in pictures)
        return (f'<div class="cnn-note">{note}</div><div class="cnn-figures cnn-top">{figures}</div>'
                + probability_bars_svg([tr(name) for name in self.classes], before, after))

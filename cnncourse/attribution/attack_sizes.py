"""One attack at every size of change: the attacked inputs and the probabilities before and after.

What chapter 8's explorer shows for one image, computed once per image and attack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from ..core.torchutil import evaluating
from ..core.validate import choice, int_at_least
from .adversarial import fgsm, pgd

ATTACKS = ("fgsm", "pgd")
"""The attacks :func:`attack_at_sizes` runs: one signed-gradient step, or projected gradient descent."""


def attack_at_sizes(model: nn.Module, image: torch.Tensor, target: int, *, attack: str,
                    epsilons: Sequence[float], steps: int = 5) -> tuple[torch.Tensor, np.ndarray]:
    """``attack`` on one image at each size in ``epsilons``, and the model's probabilities.

    PGD takes ``steps`` steps of a quarter of the size each. A size of 0 leaves the image as it is.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    image : torch.Tensor, shape (C, H, W)
        The input, pixels in [0, 1].
    target : int
        The true class, which the attack moves away from.
    attack : {"fgsm", "pgd"}
        Which attack.
    epsilons : sequence of float
        The sizes of the change, in pixel units (``2 / 255`` is two grey levels).
    steps : int, optional
        PGD's steps.

    Returns
    -------
    attacked : torch.Tensor, shape (len(epsilons), C, H, W)
        The attacked images.
    probabilities : numpy.ndarray, shape (1 + len(epsilons), classes)
        The softmax for the clean image first, then for each attacked one.

    Examples
    --------
    >>> from cnncourse import SmallCNN
    >>> attacked, p = attack_at_sizes(SmallCNN(), torch.rand(1, 32, 32), 5, attack="fgsm", epsilons=[0, 2 / 255])
    >>> tuple(attacked.shape), p.shape
    ((2, 1, 32, 32), (3, 6))
    """
    attack = choice(attack, "attack", ATTACKS)
    steps = int_at_least(steps, "steps", 1)
    made = []
    for eps in epsilons:
        if eps == 0:
            made.append(image.clone())
        elif attack == "fgsm":
            made.append(fgsm(model, image, target, epsilon=eps))
        else:
            made.append(pgd(model, image, target, epsilon=eps, step=eps / 4, steps=steps))
    attacked = torch.stack(made)
    with torch.no_grad(), evaluating(model):
        probabilities = torch.softmax(model(torch.cat([image[None], attacked])), dim=1).numpy()
    return attacked, probabilities

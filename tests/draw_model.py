"""A real, short training run of chapter 4's small CNN, shared by the draw-explorer tests (cached per session).

4,000 shapes (``make_shapes(seed=0)``), 6 epochs, seeded, one thread: about 6 s, and about nine in ten
validation images right, enough for a drawn ring to be called a ring.
"""

from __future__ import annotations

from functools import lru_cache

import torch

from cnncourse import SmallCNN, make_shapes, train, train_val_split


@lru_cache(maxsize=1)
def trained():
    """``(model, split)``: the trained SmallCNN and its data."""
    images, labels = make_shapes(4000, seed=0)
    split = train_val_split(images, labels, val_fraction=0.2, seed=0)
    torch.manual_seed(0)
    model = SmallCNN()
    train(model, split, epochs=6, lr=3e-3, batch_size=64, seed=0, progress=False)
    return model.eval(), split

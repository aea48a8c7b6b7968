"""Chapter 8's AdversarialExplorer, driven from Python; its player records both attacks, in both languages."""

from __future__ import annotations

import pytest
import torch

from cnncourse import AdversarialExplorer, SmallCNN, fgsm, pgd
from cnncourse.widgets.adversarial import EPSILONS


@pytest.fixture(scope="module")
def parts():
    torch.manual_seed(0)
    model = SmallCNN().eval()
    images = torch.rand(3, 1, 32, 32, generator=torch.Generator().manual_seed(1))
    return model, images, torch.tensor([0, 4, 2])


def test_each_size_shows_the_attack_the_helpers_make(parts):
    model, images, labels = parts
    explorer = AdversarialExplorer(model, images, labels, index=1)
    explorer.position.index = EPSILONS.index(8)
    batch, probabilities = explorer._run("fgsm", 1)
    assert torch.equal(batch[EPSILONS.index(8)], fgsm(model, images[1], 4, epsilon=8 / 255))
    assert torch.equal(batch[0], images[1])                       # epsilon 0: the image itself
    assert "FGSM" in explorer.display.value and "8/255" in explorer.display.value
    explorer.attack.value = "pgd"
    batch, _ = explorer._run("pgd", 1)
    assert torch.allclose(batch[-1], pgd(model, images[1], 4, epsilon=32 / 255, step=8 / 255, steps=10))
    assert "PGD" in explorer.display.value
    assert probabilities.shape == (len(EPSILONS) + 1, 6)


def test_a_bad_image_number_keeps_the_picture_and_says_why(parts):
    explorer = AdversarialExplorer(*parts)
    shown = explorer.display.value
    explorer.index.value = 3
    assert "image # must be between 0 and 2, got 3" in explorer.message.value
    assert explorer.display.value == shown
    explorer.index.value = 2
    assert explorer.message.value == ""


def test_the_player_records_every_size_of_both_attacks(parts):
    explorer = AdversarialExplorer(*parts)
    frames = explorer.to_player("Both").frames
    assert len(frames) == 2 * len(EPSILONS)
    assert all("FGSM" in f for f in frames[:len(EPSILONS)]) and all("PGD" in f for f in frames[len(EPSILONS):])
    assert all(f.count("<img") == 3 for f in frames)


def test_the_explorer_speaks_chinese(parts, monkeypatch):
    from cnncourse.i18n.translate import set_language

    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")
    set_language("zh")
    try:
        frames = AdversarialExplorer(*parts).to_player().frames
        assert "真实类别" in frames[0] and "攻击前" in frames[0]
    finally:
        set_language("en")


def test_bad_construction_names_the_parameter(parts):
    model, images, labels = parts
    with pytest.raises(ValueError, match="labels must have one class per image"):
        AdversarialExplorer(model, images, labels[:2])
    with pytest.raises(ValueError, match="epsilons must be between 0 and 255"):
        AdversarialExplorer(model, images, labels, epsilons=(0, 300))

"""Chapter 8's attacks against Captum's (the test oracle): FGSM, PGD, and their control.

Captum's FGSM leaves an element alone where the loss's gradient is below
1e-6 in size; cnncourse moves every element with a nonzero gradient (see
cnncourse.attribution.adversarial). So the comparison holds exactly where the gradient
is larger, and everywhere once Captum's threshold is set to 0 (its
documented ``zero_thresh`` attribute).
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from captum.robust import FGSM, PGD
from torch import nn

from cnncourse import SmallCNN, fgsm, pgd, predictions, random_sign, unit_pixel_model
from cnncourse.attribution.adversarial import loss_gradient

# Captum asks for gradients on the inputs it is given, and says so.
pytestmark = pytest.mark.filterwarnings("ignore:Input Tensor 0 did not already require gradients")


def per_example_loss(logits, labels):
    return F.cross_entropy(logits.double(), labels, reduction="none")


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return SmallCNN().eval()


@pytest.fixture(scope="module")
def batch():
    generator = torch.Generator().manual_seed(1)
    return torch.rand(6, 1, 32, 32, generator=generator), torch.tensor([0, 1, 2, 3, 4, 5])


@pytest.mark.parametrize("targeted", [False, True])
def test_fgsm_equals_captum_where_the_gradient_is_not_about_zero(net, batch, targeted):
    x, y = batch
    ours = fgsm(net, x, y, epsilon=3 / 255, targeted=targeted)
    attack = FGSM(net, per_example_loss, lower_bound=0.0, upper_bound=1.0)
    theirs = attack.perturb(x.clone(), 3 / 255, y, targeted=targeted)
    large = loss_gradient(net, x, y).abs() > 1e-6
    assert large.float().mean() > 0.5
    assert torch.allclose(ours[large], theirs[large], atol=1e-7, rtol=0)
    attack.zero_thresh = 0.0                        # Captum without its threshold: the same image everywhere
    assert torch.allclose(ours, attack.perturb(x.clone(), 3 / 255, y, targeted=targeted), atol=1e-7, rtol=0)


@pytest.mark.parametrize("targeted", [False, True])
def test_pgd_equals_captum_without_random_start(net, batch, targeted):
    x, y = batch
    ours = pgd(net, x, y, epsilon=6 / 255, step=2 / 255, steps=4, targeted=targeted)
    attack = PGD(net, per_example_loss, lower_bound=0.0, upper_bound=1.0)
    attack.fgsm.zero_thresh = 0.0
    theirs = attack.perturb(x.clone(), radius=6 / 255, step_size=2 / 255, step_num=4, target=y, targeted=targeted)
    assert torch.allclose(ours, theirs, atol=1e-6, rtol=0)
    assert (ours - x).abs().max() <= 6 / 255 + 1e-6 and ours.min() >= 0 and ours.max() <= 1


def test_attacks_lower_the_true_class_and_the_control_moves_as_far(net, batch):
    x, y = batch
    def loss(images):
        return F.cross_entropy(net(images), y).item()
    eps = 2 / 255
    assert loss(fgsm(net, x, y, epsilon=eps)) > loss(x)
    assert loss(pgd(net, x, y, epsilon=eps, step=eps / 2, steps=3)) > loss(x)
    assert loss(fgsm(net, x, y, epsilon=eps, targeted=True)) < loss(x)
    noisy = random_sign(x, epsilon=eps, seed=3)
    inside = (x > eps) & (x < 1 - eps)
    assert torch.allclose((noisy - x).abs()[inside], torch.full_like(x[inside], eps), atol=1e-6)
    assert torch.equal(noisy, random_sign(x, epsilon=eps, seed=3))
    assert not torch.equal(noisy, random_sign(x, epsilon=eps, seed=4))


def test_one_image_keeps_its_shape_and_a_random_start_its_box(net, batch):
    image = batch[0][0]
    assert fgsm(net, image, 2, epsilon=0.01).shape == image.shape
    assert fgsm(net, image[0], 2, epsilon=0.01).shape == image[0].shape
    started = pgd(net, image, 2, epsilon=0.05, step=0.01, steps=2, random_start=True, seed=1)
    assert (started - image).abs().max() <= 0.05 + 1e-6
    assert torch.equal(started, pgd(net, image, 2, epsilon=0.05, step=0.01, steps=2, random_start=True, seed=1))
    assert predictions(net, batch[0]).shape == (6,)


@pytest.mark.parametrize("call, message", [
    (lambda n, x: fgsm(n, x, 0, epsilon=-0.1), "epsilon must be a finite number >= 0"),
    (lambda n, x: pgd(n, x, 0, epsilon=0.1, step=0.01, steps=0), "steps must be >= 1"),
    (lambda n, x: pgd(n, x, 0, epsilon=0.1, step=0.0, steps=2), "step must be a positive"),
    (lambda n, x: fgsm(n, x + 2, 0, epsilon=0.1), "image must lie within bounds"),
    (lambda n, x: fgsm(n, x, 6, epsilon=0.1), "target must hold class indices from 0 to 5"),
    (lambda n, x: fgsm(n, x, [0, 1], epsilon=0.1), "target must be one class or one class per image"),
    (lambda n, x: fgsm(n, x, 0, epsilon=0.1, bounds=(1, 0)), "bounds must be finite with low < high"),
    (lambda n, x: random_sign(x, epsilon=-1), "epsilon must be a finite number >= 0"),
])
def test_bad_input_names_the_parameter(net, call, message):
    with pytest.raises(ValueError, match=message):
        call(net, torch.rand(1, 32, 32))


def test_parameters_modes_and_hooks_are_left_as_they_were(batch):
    torch.manual_seed(0)
    model = SmallCNN().train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    pgd(model, batch[0], batch[1], epsilon=0.05, step=0.02, steps=2)
    fgsm(model, batch[0], batch[1], epsilon=0.05)
    assert model.training
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())
    assert not any(m._forward_hooks or m._backward_hooks for m in model.modules())


def test_unit_pixel_model_normalizes_like_preprocess():
    torch.manual_seed(0)
    inner = nn.Sequential(nn.Conv2d(3, 2, 3), nn.Flatten(), nn.LazyLinear(4))
    x = torch.rand(1, 3, 8, 8)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    expected = inner((x - mean) / std)
    assert torch.allclose(unit_pixel_model(inner)(x), expected, atol=1e-6)


def test_an_attack_at_every_size_is_the_attack_at_each_size(net, batch):
    from cnncourse.attribution.attack_sizes import attack_at_sizes

    image, target = batch[0][0], 2
    sizes = [0, 2 / 255, 8 / 255]
    attacked, p = attack_at_sizes(net, image, target, attack="pgd", epsilons=sizes, steps=3)
    assert torch.equal(attacked[0], image)
    for made, eps in zip(attacked[1:], sizes[1:]):
        assert torch.equal(made, pgd(net, image, target, epsilon=eps, step=eps / 4, steps=3))
    with torch.no_grad():
        assert torch.allclose(torch.as_tensor(p), torch.softmax(net(torch.cat([image[None], attacked])), 1))
    for attack, steps, message in (("FGSM", 5, "unknown attack 'FGSM'"), ("fgsm", 0, "steps must be >= 1")):
        with pytest.raises(ValueError, match=message):
            attack_at_sizes(net, image, target, attack=attack, epsilons=sizes, steps=steps)

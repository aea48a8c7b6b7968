"""What VGG16 sees in an image: the feature map of every layer, and the top classes.

:func:`feature_maps` runs the layers one after the other and keeps a copy of
the outputs it is asked for; it uses no hooks, so nothing is left registered
on the model, and it copies an output if the next module would overwrite it
in place, so VGG's in-place ReLUs cannot change a kept result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from ..core.validate import int_at_least
from ..ops.images import prepare_photo
from ..core.torchutil import device_of, dtype_of
from .vgg import preprocess
from .vgg_layers import VGG16_LAYERS, check_layer, check_module, conv_base, output_index, pools_through
from .weights import imagenet_categories

def _layer_list(layers: str | Iterable[str] | None) -> list[str]:
    if layers is None:
        return list(VGG16_LAYERS)
    if isinstance(layers, str):
        layers = [layers]
    names = list(dict.fromkeys(check_layer(name) for name in layers))
    if not names:
        raise ValueError(f"layers must name at least one layer; valid names are: {', '.join(VGG16_LAYERS)}")
    return names


def feature_maps(model: nn.Module, image: Any, layers: str | Iterable[str] | None = None
                 ) -> dict[str, torch.Tensor]:
    """The outputs of VGG16's layers for one image.

    The layers run one after the other up to the deepest one asked for, and
    each requested output is kept (no hooks, so nothing stays registered on
    the model; an output is copied if the next module works in place, so the
    in-place ReLUs cannot overwrite a kept map). A conv layer's output is
    taken after its ReLU.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`load_vgg16` (with or without its classifier).
    image : path, PIL image, array or tensor
        Anything :func:`preprocess` accepts; at least 32x32 pixels for the
        deepest layers (each pooling halves the size).
    layers : str or list of str, optional
        Names from :data:`VGG16_LAYERS`; default all 18, in order.

    Returns
    -------
    dict of str to torch.Tensor
        Layer name (in the order asked) to its ``(C, H, W)`` output, on the CPU.

    Raises
    ------
    ValueError
        For an unknown layer (the message lists the valid names) or an image too small.

    Examples
    --------
    >>> net = load_vgg16("random", device="cpu")
    >>> maps = feature_maps(net, np.zeros((64, 64, 3), dtype=np.uint8), ["block1_conv1", "block2_pool"])
    >>> {name: tuple(m.shape) for name, m in maps.items()}
    {'block1_conv1': (64, 64, 64), 'block2_pool': (128, 16, 16)}
    """
    names = _layer_list(layers)
    features = conv_base(model)
    for name in names:
        check_module(features, name)
    x = preprocess(image)
    deepest = max(names, key=output_index)
    need = 2 ** pools_through(deepest)
    if min(x.shape[-2:]) < need:
        raise ValueError(f"image is {x.shape[-2]}x{x.shape[-1]} pixels; {deepest} needs at least "
                         f"{need}x{need} (each pooling halves the size)")
    wanted = {output_index(name): name for name in names}
    x = x.to(device=device_of(features), dtype=dtype_of(features))
    kept: dict[str, torch.Tensor] = {}
    last = max(wanted)
    with torch.no_grad():
        for index in range(last + 1):
            x = features[index](x)
            if index in wanted:
                # Keep a copy only if the next module would overwrite x in place (a ReLU after a
                # conv); VGG's kept outputs feed a conv or a pooling, which leave them alone.
                overwrites = index < last and getattr(features[index + 1], "inplace", False)
                kept[wanted[index]] = x[0].to("cpu", copy=overwrites)
    return {name: kept[name] for name in names}


def top_classes(model: nn.Module, image: Any, *, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable ImageNet classes of an image, with their probabilities.

    The image is prepared as for ImageNet's evaluation by
    :func:`~cnncourse.prepare_photo` (shorter side resized to 256 pixels, the
    central 224x224 square; a 224x224 image is taken as it is), then
    normalized by :func:`preprocess`.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 *with* its classifier: ``load_vgg16(include_top=True)``.
    image : path, PIL image or array
        Anything :func:`~cnncourse.prepare_photo` accepts.
    k : int, optional
        How many classes (1 to 1000).

    Returns
    -------
    list of (str, float)
        Category names (``VGG16_Weights.IMAGENET1K_V1.meta["categories"]``)
        and probabilities, most probable first.

    Examples
    --------
    >>> net = load_vgg16("random", include_top=True, device="cpu")
    >>> len(top_classes(net, np.zeros((64, 64, 3), dtype=np.uint8), k=3))
    3
    """
    if not hasattr(model, "classifier"):
        raise ValueError("top_classes needs the whole network: load it with load_vgg16(include_top=True)")
    categories = imagenet_categories()
    k = int_at_least(k, "k", 1)
    if k > len(categories):
        raise ValueError(f"k must be at most {len(categories)}, got {k}")
    x = preprocess(prepare_photo(image)).to(device_of(model))
    with torch.no_grad():
        probabilities = torch.softmax(model(x)[0].float(), dim=0).cpu()
    values, indices = probabilities.topk(k)
    return [(categories[int(i)], float(v)) for v, i in zip(values, indices)]

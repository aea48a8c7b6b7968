"""Incremental occlusion for VGG: recompute only the part of each feature map that a hidden square changes.

Hiding a square of the input changes, in the first conv layer's output, only
the square grown by the kernel (one pixel on each side for a 3x3 kernel with
padding 1); in the next layer a little more; a 2x2 pooling halves the region.
Everything outside that region is the same as for the clean image
(Nakandala et al., "Incremental and approximate inference for faster
occlusion-based deep CNN explanations", SIGMOD 2019). So
:class:`IncrementalOcclusion` runs the convolutional base once on the clean
image and keeps the input of every conv and pooling layer; then, for a batch
of windows at once, each layer computes only its changed region, from the
previous layer's recomputed region surrounded by a halo of the kept clean
values. After the last layer the region is written into a copy of the clean
map and the rest of the network (``avgpool``, ``flatten``, ``classifier``)
runs as usual.

The regions are computed per axis (rows and columns are independent) for
every window position. At each layer all windows get a region of the same
size -- the largest needed, moved inside the map where it would cross the
border -- so that a batch of windows is one tensor. A region larger than
needed costs a little time and changes nothing: outside the changed part it
recomputes clean values.

Examples
--------
>>> net = load_vgg16("random", include_top=True, device="cpu")
>>> supports_incremental(net), supports_incremental(SmallCNN())
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .gradients import class_scores

_REGION_BUDGET = 2 ** 15
"""Input-region pixels per batch of windows (at most 32 windows): 32 windows of 32x32, about 0.2 GB for VGG16."""

HEAD_FLOATS = 2 ** 23
"""Floats of final feature maps per run of the classifier: 32 MB, 334 windows of VGG16 at 224x224."""


def supports_incremental(model: nn.Module) -> bool:
    """Whether ``model`` is torchvision's VGG (forward not overridden) with ``features`` of Conv2d, ReLU, MaxPool2d.

    Convolutions must have zero padding given as numbers, no dilation; poolings no padding, dilation or
    ``ceil_mode``.
    """
    try:
        from torchvision.models import VGG
    except ImportError:  # pragma: no cover - torchvision comes with the course
        return False
    if not isinstance(model, VGG) or type(model).forward is not VGG.forward:
        return False
    for module in model.features:
        if isinstance(module, nn.Conv2d):
            ok = (module.padding_mode == "zeros" and not isinstance(module.padding, str)
                  and module.dilation == (1, 1))
        elif isinstance(module, nn.MaxPool2d):
            ok = (_pair(module.padding) == (0, 0) and _pair(module.dilation) == (1, 1)
                  and not module.ceil_mode and not module.return_indices)
        else:
            ok = type(module) is nn.ReLU
        if not ok:
            return False
    return True


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def _geometry(module: nn.Module, axis: int) -> tuple[int, int, int] | None:
    """(kernel, stride, padding) of a conv or pooling along one axis; None for a ReLU."""
    if isinstance(module, nn.ReLU):
        return None
    return (_pair(module.kernel_size)[axis], _pair(module.stride)[axis], _pair(module.padding)[axis])


def regions(starts: Any, window: int, length: int, steps: list[tuple[int, int, int] | None]
            ) -> list[tuple[np.ndarray, int]]:
    """Along one axis: the region each layer recomputes for a window starting at each of ``starts``.

    Parameters
    ----------
    starts : sequence of int
        Window starts along the axis.
    window, length : int
        The window's side and the input's length along the axis.
    steps : list
        Per layer, ``(kernel, stride, padding)`` of a conv or pooling, or
        None for an elementwise layer.

    Returns
    -------
    list of (numpy.ndarray, int)
        One entry for the input and one per layer: the start of each
        window's region and the size they all share. The region contains
        every position that can differ from the clean image.

    Notes
    -----
    Output ``i`` of a layer with kernel ``k``, stride ``s`` and padding ``p``
    reads inputs ``i s - p`` to ``i s - p + k - 1``, so a changed input range
    ``[a, b)`` changes the outputs ``[ceil((a + p - k + 1) / s), floor((b - 1 + p) / s) + 1)``,
    clipped to the map: ``[a - 1, b + 1)`` for a 3x3 conv with padding 1,
    ``[floor(a / 2), ceil(b / 2))`` for a 2x2 pooling. The input's region is
    the window, moved inside the image if the border cuts it.

    Examples
    --------
    >>> [(s.tolist(), n) for s, n in regions([0, 16, 32], 32, 64, [(3, 1, 1), None, (2, 2, 0)])]
    [([0, 16, 32], 32), ([0, 15, 30], 34), ([0, 15, 30], 34), ([0, 7, 14], 18)]
    """
    n = min(window, length)
    s = np.minimum(np.asarray(starts, dtype=np.int64), length - n)
    found = [(s, n)]
    for step in steps:
        if step is not None:
            kernel, stride, padding = step
            length = (length + 2 * padding - kernel) // stride + 1
            # Output i reads input i*stride - padding ... i*stride - padding + kernel - 1.
            low = np.maximum(0, -(-(s + padding - kernel + 1) // stride))
            high = np.minimum(length, (s + n - 1 + padding) // stride + 1)
            n = int(min(length, max(1, int((high - low).max()))))
            s = np.clip(low, 0, length - n)
        found.append((s, n))
    return found


def _assemble(clean: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor, patch: torch.Tensor,
              patch_rows: torch.Tensor, patch_cols: torch.Tensor) -> torch.Tensor:
    """Per window b: the clean map at ``rows[b]`` x ``cols[b]``, with the positions inside ``patch[b]`` from it.

    ``clean`` is one map stored channels last, ``(H, W, C)``; ``rows``/``cols`` (B, h) and (B, w)
    index it; ``patch_rows``/``patch_cols`` are the same positions in the patch's coordinates
    (outside ``[0, patch size)`` where the clean value is kept). Channels last throughout: each
    look-up copies one pixel's C contiguous values, and the convolutions run on that layout.
    Returns a ``(B, C, h, w)`` tensor in channels-last memory format.
    """
    height, width = patch.shape[2:]
    inside = (((patch_rows >= 0) & (patch_rows < height))[:, :, None]
              & ((patch_cols >= 0) & (patch_cols < width))[:, None, :])[..., None]          # (B, h, w, 1)
    batch = torch.arange(len(patch), device=patch.device)[:, None, None]
    taken = patch.permute(0, 2, 3, 1)[batch, patch_rows.clamp(0, height - 1)[:, :, None],
                                      patch_cols.clamp(0, width - 1)[:, None, :]]            # (B, h, w, C)
    kept = clean[rows[:, :, None], cols[:, None, :]]                                         # (B, h, w, C)
    return torch.where(inside, taken, kept).permute(0, 3, 1, 2)


class IncrementalOcclusion:
    """A VGG's clean feature maps for one image, and the class probabilities of occluded copies.

    Parameters
    ----------
    model : torch.nn.Module
        torchvision's VGG (see :func:`supports_incremental`), in eval mode.
    x : torch.Tensor, shape (1, C, H, W)
        The model's input, on its device.

    Attributes
    ----------
    logits : torch.Tensor, shape (1, classes)
        The model's output for the clean input.

    Examples
    --------
    >>> net = load_vgg16("random", include_top=True, device="cpu")
    >>> engine = IncrementalOcclusion(net, torch.randn(1, 3, 32, 32))
    >>> engine.probabilities(7, [0, 16], [0, 16], 16, 0.0).shape
    torch.Size([4])
    """

    def __init__(self, model: nn.Module, x: torch.Tensor) -> None:
        self.model, self.x = model, x
        self.inputs: list[torch.Tensor | None] = []  # the clean, zero-padded input of each conv and pooling
        h = x
        with torch.no_grad():
            for module in model.features:
                if isinstance(module, nn.ReLU):
                    self.inputs.append(None)
                    h = F.relu(h)
                    continue
                pad_r, pad_c = _pair(module.padding)
                self.inputs.append(F.pad(h, (pad_c, pad_c, pad_r, pad_r))[0].permute(1, 2, 0).contiguous())
                h = module(h)
            self.final = h[0].permute(1, 2, 0).contiguous()
            self.logits = self._head(h)

    def _head(self, maps: torch.Tensor) -> torch.Tensor:
        return self.model.classifier(torch.flatten(self.model.avgpool(maps), 1))

    def probabilities(self, target: int, rows: list[int], cols: list[int], window: int, baseline: float, *,
                      bar: Any = None) -> torch.Tensor:
        """Softmax probability of ``target`` with each window hidden, row by row (``rows`` x ``cols``).

        The window starting at ``(row, col)`` is set to ``baseline`` over all
        channels. The convolutional base takes the windows in batches whose
        regions share their sizes; the classifier takes up to
        :data:`HEAD_FLOATS` floats of final maps at once, since reading its
        weights (0.4 GB for VGG16) costs about as much as using them.
        """
        features = self.model.features
        height, width = self.x.shape[-2:]
        plan_r = regions(rows, window, height, [_geometry(m, 0) for m in features])
        plan_c = regions(cols, window, width, [_geometry(m, 1) for m in features])
        index_r = np.repeat(np.arange(len(rows)), len(cols))
        index_c = np.tile(np.arange(len(cols)), len(rows))
        chunk = max(1, min(32, _REGION_BUDGET // (plan_r[0][1] * plan_c[0][1])))
        found: list[torch.Tensor] = []
        pending: list[torch.Tensor] = []

        def flush() -> None:
            if pending:
                maps = torch.cat(pending)
                found.append(class_scores(self._head(maps).float().softmax(1), target))
                pending.clear()

        with torch.no_grad():
            for start in range(0, len(index_r), chunk):
                ir, ic = index_r[start:start + chunk], index_c[start:start + chunk]
                patch = self._hidden_patch(plan_r[0], plan_c[0], np.asarray(rows)[ir], np.asarray(cols)[ic],
                                           ir, ic, window, baseline)
                pending.append(self._final_maps(patch, plan_r, plan_c, ir, ic))
                if sum(m.numel() for m in pending) >= HEAD_FLOATS:
                    flush()
                if bar is not None:
                    bar.update(len(ir))
            flush()
        return torch.cat(found)

    def _final_maps(self, patch: torch.Tensor, plan_r: list[tuple[np.ndarray, int]],
                    plan_c: list[tuple[np.ndarray, int]], ir: np.ndarray, ic: np.ndarray) -> torch.Tensor:
        """The convolutional base's output for a batch of windows, from their hidden input patches."""
        device = self.x.device
        for i, module in enumerate(self.model.features):
            if self.inputs[i] is None:
                patch = F.relu_(patch)
                continue
            (in_r, _), (out_r, out_nr) = plan_r[i], plan_r[i + 1]
            (in_c, _), (out_c, out_nc) = plan_c[i], plan_c[i + 1]
            k_r, st_r, p_r = _geometry(module, 0)
            k_c, st_c, p_c = _geometry(module, 1)
            need_r = out_r[ir][:, None] * st_r + np.arange((out_nr - 1) * st_r + k_r)
            need_c = out_c[ic][:, None] * st_c + np.arange((out_nc - 1) * st_c + k_c)
            region = _assemble(self.inputs[i], torch.as_tensor(need_r, device=device),
                               torch.as_tensor(need_c, device=device), patch,
                               torch.as_tensor(need_r - p_r - in_r[ir][:, None], device=device),
                               torch.as_tensor(need_c - p_c - in_c[ic][:, None], device=device))
            if isinstance(module, nn.Conv2d):
                patch = F.conv2d(region, module.weight, module.bias, module.stride, 0, 1, module.groups)
            else:
                patch = F.max_pool2d(region, module.kernel_size, module.stride)
        (last_r, _), (last_c, _) = plan_r[-1], plan_c[-1]
        all_r = np.tile(np.arange(self.final.shape[0]), (len(ir), 1))
        all_c = np.tile(np.arange(self.final.shape[1]), (len(ic), 1))
        maps = _assemble(self.final, torch.as_tensor(all_r, device=device), torch.as_tensor(all_c, device=device),
                         patch, torch.as_tensor(all_r - last_r[ir][:, None], device=device),
                         torch.as_tensor(all_c - last_c[ic][:, None], device=device))
        return maps.contiguous()

    def _hidden_patch(self, plan_r: tuple[np.ndarray, int], plan_c: tuple[np.ndarray, int],
                      row0: np.ndarray, col0: np.ndarray, ir: np.ndarray, ic: np.ndarray, window: int,
                      baseline: float) -> torch.Tensor:
        """The input's region around each window, with the window set to ``baseline``."""
        device = self.x.device
        rows = torch.as_tensor(plan_r[0][ir][:, None] + np.arange(plan_r[1]), device=device)
        cols = torch.as_tensor(plan_c[0][ic][:, None] + np.arange(plan_c[1]), device=device)
        patch = self.x[0].permute(1, 2, 0)[rows[:, :, None], cols[:, None, :]]  # (B, h, w, C)
        row0 = torch.as_tensor(row0, device=device)[:, None]
        col0 = torch.as_tensor(col0, device=device)[:, None]
        hide_r = (rows >= row0) & (rows < row0 + window)
        hide_c = (cols >= col0) & (cols < col0 + window)
        return patch.masked_fill((hide_r[:, :, None] & hide_c[:, None, :])[..., None], baseline).permute(0, 3, 1, 2)

"""cnncourse: the helper package of the course "How CNNs see".

Small modules named after concepts, in four layers that import one way::

    compute    conv, kernels, pooling, activations, images, shapes,      NumPy, and
               vgg_layers, vgg, weights, vgg_maps, smallcnn,              PyTorch from
               training, inspection, hooks, objectives,                   vgg on
               parameterization, transforms, render, featureviz,
               attribution, occlusion_maps, incremental, timing
               (palette: the colours, plain constants any layer may use)
    i18n       i18n (tr(): English to Chinese; imports no cnncourse module)
    figures    plotting, curves (matplotlib), html (HTML views, verdicts, the
               banner), pictures (images encoded for a page), svg (small
               charts), player (the Player), chapter_figures (each chapter's
               figures), feedback and exercises (checkers' messages),
               mystglue (glued words)
    widgets    widgets/ (ipywidgets explorers, one module per chapter)

This file lists the public API once, in :data:`_API` (name -> module).
Chapters import from here (``from cnncourse import conv2d``) and the tests pin
these names. A module is imported only when one of its names is first used
(PEP 562), so ``import cnncourse; cnncourse.conv2d`` loads NumPy and not
PyTorch, matplotlib or ipywidgets.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

__version__ = "0.1.0"

_API: dict[str, str] = {
    # convolution (chapter 1)
    "conv2d": "conv",
    "conv2d_loop": "conv",
    "output_size": "conv",
    "KERNELS": "kernels",
    "get_kernel": "kernels",
    # pooling (chapter 2)
    "pool2d": "pooling",
    "POOL_MODES": "pooling",
    # activation functions (chapter 3)
    "ACTIVATIONS": "activations",
    "Activation": "activations",
    "get_activation": "activations",
    "sigmoid": "activations",
    "sigmoid_derivative": "activations",
    "tanh": "activations",
    "tanh_derivative": "activations",
    "relu": "activations",
    "relu_derivative": "activations",
    "leaky_relu": "activations",
    "leaky_relu_derivative": "activations",
    "gelu": "activations",
    "gelu_derivative": "activations",
    "erf": "activations",
    # images
    "SAMPLE_IMAGES": "images",
    "load_sample": "images",
    "load_image": "images",
    "to_grayscale": "images",
    "prepare_photo": "images",
    # building and training a CNN (chapter 4)
    "SHAPE_CLASSES": "shapes",
    "make_shapes": "shapes",
    "train_val_split": "shapes",
    "ShapesSplit": "shapes",
    "SmallCNN": "smallcnn",
    "stage_outputs": "smallcnn",
    "layer_summary": "smallcnn",
    "LayerInfo": "smallcnn",
    "train": "training",
    "evaluate": "training",
    "Checkpoint": "training",
    "TrainingRun": "training",
    "levelled_off": "training",
    "load_checkpoint": "training",
    "class_responses": "inspection",
    "preferred_inputs": "inspection",
    "effective_receptive_field": "inspection",
    # VGG16 (chapters 5 and 6)
    "VGG16_LAYERS": "vgg_layers",
    "check_layer": "vgg_layers",
    "check_channel": "vgg_layers",
    "layer_channels": "vgg_layers",
    "layer_output_shape": "vgg_layers",
    "receptive_field": "vgg_layers",
    "truncated": "vgg_layers",
    "load_vgg16": "vgg",
    "preprocess": "vgg",
    "IMAGENET_MEAN": "vgg",
    "IMAGENET_STD": "vgg",
    "feature_maps": "vgg_maps",
    "top_classes": "vgg_maps",
    "weights_banner": "weights",
    "imagenet_categories": "weights",
    "download_imagenet_weights": "weights",
    "imagenet_weights_path": "weights",
    "WeightsUnavailableError": "weights",
    "UntrainedWeightsWarning": "weights",
    # filter visualization (chapter 5): hooks, objectives, pixels, transforms, render loop
    "capture": "hooks",
    "module_names": "hooks",
    "OUTPUT": "hooks",
    "Objective": "objectives",
    "channel": "objectives",
    "neuron": "objectives",
    "class_logit": "objectives",
    "channel_objective": "objectives",
    "PixelSpace": "parameterization",
    "VGG16_PIXELS": "parameterization",
    "UNIT_PIXELS": "parameterization",
    "seeded_generators": "parameterization",
    "initial_images": "parameterization",
    "jitter": "transforms",
    "blur": "transforms",
    "gradient_ascent": "render",
    "normalize_gradient": "render",
    "visualize_filters": "featureviz",
    "FilterVisualization": "featureviz",
    "deprocess": "featureviz",
    "bfloat16_autocast": "featureviz",
    # where the network looks (chapter 7)
    "saliency": "attribution",
    "grad_cam": "attribution",
    "occlusion": "occlusion_maps",
    "rank_correlation": "sanity",
    "mask_contrast": "sanity",
    "is_constant": "sanity",
    # timing (the chapters' measurements and the benchmarks)
    "best_time": "timing",
    "timed": "timing",
    # measured numbers into the text: glue in the code, glued in an {eval} role
    "glue": "mystglue",
    "glued": "mystglue",
    "time_ratio_words": "wording",
    "order_words": "wording",
    "pooling_verdict": "wording",
    "speckle_verdict": "wording",
    "stroke_verdict": "wording",
    "sanity_sentence": "wording",
    "sanity_agreement": "wording",
    # figures
    "image_grid": "plotting",
    "plot_matrix": "plotting",
    "plot_activations": "curves",
    "ResponsiveFigure": "curves",
    "plot_feature_maps": "plotting",
    "plot_history": "curves",
    "plot_filter_rows": "plotting",
    "plot_class_responses": "plotting",
    "plot_objective": "curves",
    # HTML views and widgets
    "Player": "player",
    "matrix_html": "html",
    "overlay_map": "pictures",
    "parse_matrix": "widgets.matrices",
    "ConvolutionExplorer": "widgets.convolution",
    "CLASSIC_IMAGE": "widgets.convolution",
    "CLASSIC_KERNEL": "widgets.convolution",
    "PoolingExplorer": "widgets.pooling",
    "POOLING_EXAMPLE": "widgets.pooling",
    "ActivationExplorer": "widgets.activations",
    "ACTIVATION_LABELS": "widgets.activations",
    "default_feature_map": "widgets.activations",
    "edge_map": "widgets.activations",
    "TrainingExplorer": "widgets.training",
    "FilterExplorer": "widgets.featureviz",
    "layers_player": "widgets.featureviz",
    "LayerStepper": "widgets.layers",
    "AttributionExplorer": "widgets.attribution",
}

__all__ = list(_API)

def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'cnncourse' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


def _register_notebook_views() -> None:
    """In IPython, draw an exercise's verdict and the weights banner with :mod:`cnncourse.html`.

    Through IPython's display-formatter registry (see
    :func:`cnncourse.html.register_notebook_views`); nothing is loaded outside IPython.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "display_formatter"):
        importlib.import_module(".html", __name__).register_notebook_views(shell)


_register_notebook_views()

"""cnncourse: the helper package of the course "How CNNs see".

Small modules named after concepts, in subpackages that import one way (each
subpackage's docstring says what it may import; ``tests/test_package.py`` checks it)::

    core/             checks, timing, progress bars, PyTorch habits       compute:
    ops/              convolution, pooling, activations, images (NumPy)   returns arrays,
    nets/             shapes data set, SmallCNN, training, VGG16          in English
    featureviz/       hooks, objectives, pixels, transforms, ascent
    attribution/      saliency, Grad-CAM, occlusion, sanity checks,
                      attacks, integrated gradients, faithfulness
    i18n/             tr(): English to Chinese (imports no cnncourse module)
    figures/          plots, curves, HTML, pictures, SVG, player, glue    what a reader sees
    chapter_figures/  each chapter's figures, one call per figure
    exercises/        each chapter's checkers, and their feedback
    widgets/          the ipywidgets explorers, one per chapter           only wiring

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
    "conv2d": "ops.convolution",
    "conv2d_loop": "ops.convolution",
    "output_size": "ops.convolution",
    "KERNELS": "ops.kernels",
    "get_kernel": "ops.kernels",
    # pooling (chapter 2)
    "pool2d": "ops.pooling",
    "POOL_MODES": "ops.pooling",
    # activation functions (chapter 3)
    "ACTIVATIONS": "ops.activations",
    "Activation": "ops.activations",
    "get_activation": "ops.activations",
    "sigmoid": "ops.activations",
    "sigmoid_derivative": "ops.activations",
    "tanh": "ops.activations",
    "tanh_derivative": "ops.activations",
    "relu": "ops.activations",
    "relu_derivative": "ops.activations",
    "leaky_relu": "ops.activations",
    "leaky_relu_derivative": "ops.activations",
    "gelu": "ops.activations",
    "gelu_derivative": "ops.activations",
    "erf": "ops.activations",
    # images
    "SAMPLE_IMAGES": "ops.images",
    "load_sample": "ops.images",
    "load_image": "ops.images",
    "to_grayscale": "ops.images",
    "prepare_photo": "ops.images",
    "default_feature_map": "ops.images",
    # building and training a CNN (chapter 4)
    "SHAPE_CLASSES": "nets.shapes",
    "make_shapes": "nets.shapes",
    "train_val_split": "nets.shapes",
    "ShapesSplit": "nets.shapes",
    "SmallCNN": "nets.smallcnn",
    "stage_outputs": "nets.smallcnn",
    "layer_summary": "nets.smallcnn",
    "LayerInfo": "nets.smallcnn",
    "train": "nets.training",
    "evaluate": "nets.training",
    "Checkpoint": "nets.training",
    "TrainingRun": "nets.training",
    "levelled_off": "nets.training",
    "load_checkpoint": "nets.training",
    "class_responses": "featureviz.inspection",
    "preferred_inputs": "featureviz.inspection",
    "effective_receptive_field": "featureviz.inspection",
    # chapter 4's network in the browser: its weights for a page, where a unit looks
    "export_network": "nets.export",
    "load_network": "nets.export",
    "export_examples": "nets.export",
    "decode_examples": "nets.export",
    "layer_field": "nets.receptive",
    "receptive_box": "nets.receptive",
    # VGG16 (chapters 5 and 6)
    "VGG16_LAYERS": "nets.vgg_layers",
    "check_layer": "nets.vgg_layers",
    "check_channel": "nets.vgg_layers",
    "layer_channels": "nets.vgg_layers",
    "layer_output_shape": "nets.vgg_layers",
    "receptive_field": "nets.vgg_layers",
    "truncated": "nets.vgg_layers",
    "load_vgg16": "nets.vgg",
    "preprocess": "nets.vgg",
    "IMAGENET_MEAN": "nets.vgg",
    "IMAGENET_STD": "nets.vgg",
    "feature_maps": "nets.vgg_maps",
    "top_classes": "nets.vgg_maps",
    "weights_banner": "nets.weights",
    "imagenet_categories": "nets.weights",
    "download_imagenet_weights": "nets.weights",
    "imagenet_weights_path": "nets.weights",
    "WeightsUnavailableError": "nets.weights",
    "UntrainedWeightsWarning": "nets.weights",
    # filter visualization (chapter 5): hooks, objectives, pixels, transforms, render loop
    "capture": "featureviz.hooks",
    "module_names": "featureviz.hooks",
    "OUTPUT": "featureviz.hooks",
    "Objective": "featureviz.objectives",
    "channel": "featureviz.objectives",
    "neuron": "featureviz.objectives",
    "class_logit": "featureviz.objectives",
    "channel_objective": "featureviz.objectives",
    "PixelSpace": "featureviz.parameterization",
    "VGG16_PIXELS": "featureviz.parameterization",
    "UNIT_PIXELS": "featureviz.parameterization",
    "seeded_generators": "featureviz.parameterization",
    "initial_images": "featureviz.parameterization",
    "jitter": "featureviz.transforms",
    "blur": "featureviz.transforms",
    "gradient_ascent": "featureviz.render",
    "normalize_gradient": "featureviz.render",
    "visualize_filters": "featureviz.filters",
    "FilterVisualization": "featureviz.filters",
    "deprocess": "featureviz.filters",
    "bfloat16_autocast": "featureviz.filters",
    # where the network looks (chapter 7)
    "saliency": "attribution.gradients",
    "grad_cam": "attribution.gradients",
    "occlusion": "attribution.occlusion",
    "rank_correlation": "attribution.sanity",
    "mask_contrast": "attribution.sanity",
    "is_constant": "attribution.sanity",
    # fooling the network, testing the maps (chapter 8)
    "fgsm": "attribution.adversarial",
    "pgd": "attribution.adversarial",
    "random_sign": "attribution.adversarial",
    "predictions": "attribution.unit_pixels",
    "unit_pixel_model": "attribution.unit_pixels",
    "integrated_gradients": "attribution.path_attribution",
    "IntegratedGradients": "attribution.path_attribution",
    "baseline_image": "attribution.path_attribution",
    "deletion_curve": "attribution.faithfulness",
    "insertion_curve": "attribution.faithfulness",
    "random_map": "attribution.faithfulness",
    "Curve": "attribution.faithfulness",
    # timing (the chapters' measurements and the benchmarks)
    "best_time": "core.timing",
    "timed": "core.timing",
    # measured numbers into the text: glue in the code, glued in an {eval} role
    "use_cjk_font": "figures.fonts",
    "glue": "figures.mystglue",
    "glued": "figures.mystglue",
    "time_ratio_words": "figures.wording",
    "order_words": "figures.wording",
    "pooling_verdict": "figures.wording",
    "speckle_verdict": "figures.wording",
    "stroke_verdict": "figures.wording",
    "sanity_sentence": "figures.wording",
    "sanity_agreement": "figures.wording",
    # figures
    "image_grid": "figures.plotting",
    "plot_matrix": "figures.plotting",
    "plot_activations": "figures.curves",
    "ResponsiveFigure": "figures.curves",
    "plot_feature_maps": "figures.plotting",
    "plot_history": "figures.curves",
    "plot_filter_rows": "figures.plotting",
    "plot_class_responses": "figures.plotting",
    "plot_objective": "figures.curves",
    # HTML views and widgets
    "Player": "figures.player",
    "matrix_html": "figures.html",
    "overlay_map": "figures.pictures",
    "parse_matrix": "widgets.matrices",
    "ConvolutionExplorer": "widgets.convolution",
    "CLASSIC_IMAGE": "widgets.convolution",
    "CLASSIC_KERNEL": "widgets.convolution",
    "PoolingExplorer": "widgets.pooling",
    "POOLING_EXAMPLE": "widgets.pooling",
    "ActivationExplorer": "widgets.activations",
    "ACTIVATION_LABELS": "widgets.activations",
    "edge_map": "ops.images",
    "TrainingExplorer": "widgets.training",
    "FilterExplorer": "widgets.featureviz",
    "layers_player": "widgets.featureviz",
    "LayerStepper": "widgets.layers",
    "AttributionExplorer": "widgets.attribution",
    "DrawExplorer": "widgets.draw",
    "AdversarialExplorer": "widgets.adversarial",
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
    """In IPython, draw an exercise's verdict and the weights banner with :mod:`cnncourse.figures.html`.

    Through IPython's display-formatter registry (see
    :func:`cnncourse.figures.html.register_notebook_views`); nothing is loaded outside IPython.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "display_formatter"):
        importlib.import_module(".figures.html", __name__).register_notebook_views(shell)


_register_notebook_views()

"""cnncourse: the helper package of the course "How CNNs see".

Small modules named after concepts; this file lists the public API once.
Chapters import from here (``from cnncourse import conv2d``) and the tests pin
these names.
"""

from .activations import (
    ACTIVATIONS,
    Activation,
    erf,
    gelu,
    gelu_derivative,
    get_activation,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from .conv import conv2d, conv2d_loop, output_size
from .featureviz import (
    FilterVisualization,
    bfloat16_autocast,
    blur,
    channel_objective,
    deprocess,
    gradient_ascent,
    initial_images,
    jitter,
    visualize_filters,
)
from .glue import glue
from .html import Player, matrix_html
from .images import SAMPLE_IMAGES, load_image, load_sample, to_grayscale
from .kernels import KERNELS, get_kernel
from .plotting import (
    image_grid,
    plot_activations,
    plot_class_responses,
    plot_feature_maps,
    plot_filter_rows,
    plot_history,
    plot_matrix,
    plot_objective,
)
from .pooling import POOL_MODES, pool2d
from .shapes import SHAPE_CLASSES, ShapesSplit, make_shapes, train_val_split
from .training import (
    Checkpoint,
    LayerInfo,
    SmallCNN,
    TrainingRun,
    class_responses,
    evaluate,
    layer_summary,
    load_checkpoint,
    preferred_inputs,
    stage_outputs,
    train,
)
from .vgg import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    VGG16_LAYERS,
    UntrainedWeightsWarning,
    WeightsUnavailableError,
    check_channel,
    check_layer,
    download_imagenet_weights,
    feature_maps,
    imagenet_weights_path,
    layer_channels,
    layer_output_shape,
    load_vgg16,
    preprocess,
    receptive_field,
    top_classes,
    truncated,
    weights_banner,
)
from .widgets import (
    ACTIVATION_LABELS,
    CLASSIC_IMAGE,
    CLASSIC_KERNEL,
    POOLING_EXAMPLE,
    ActivationExplorer,
    ConvolutionExplorer,
    FilterExplorer,
    LayerStepper,
    PoolingExplorer,
    TrainingExplorer,
    default_feature_map,
    layers_player,
    parse_matrix,
)

__version__ = "0.1.0"

__all__ = [
    # convolution (chapter 1)
    "conv2d",
    "conv2d_loop",
    "output_size",
    "KERNELS",
    "get_kernel",
    "CLASSIC_IMAGE",
    "CLASSIC_KERNEL",
    # pooling (chapter 2)
    "pool2d",
    "POOL_MODES",
    # activation functions (chapter 3)
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "gelu",
    "gelu_derivative",
    "erf",
    # building and training a CNN (chapter 4)
    "SHAPE_CLASSES",
    "make_shapes",
    "train_val_split",
    "ShapesSplit",
    "SmallCNN",
    "stage_outputs",
    "layer_summary",
    "LayerInfo",
    "train",
    "evaluate",
    "Checkpoint",
    "TrainingRun",
    "load_checkpoint",
    "class_responses",
    "preferred_inputs",
    # VGG16 (chapters 5 and 6)
    "load_vgg16",
    "VGG16_LAYERS",
    "feature_maps",
    "top_classes",
    "preprocess",
    "truncated",
    "receptive_field",
    "layer_channels",
    "layer_output_shape",
    "check_layer",
    "check_channel",
    "weights_banner",
    "download_imagenet_weights",
    "imagenet_weights_path",
    "WeightsUnavailableError",
    "UntrainedWeightsWarning",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    # filter visualization (chapter 5)
    "visualize_filters",
    "FilterVisualization",
    "gradient_ascent",
    "channel_objective",
    "initial_images",
    "jitter",
    "blur",
    "deprocess",
    "bfloat16_autocast",
    # images
    "SAMPLE_IMAGES",
    "load_sample",
    "load_image",
    "to_grayscale",
    # figures
    "image_grid",
    "plot_matrix",
    "plot_activations",
    "plot_feature_maps",
    "plot_history",
    "plot_filter_rows",
    "plot_class_responses",
    "plot_objective",
    # measured numbers into the text (myst-nb glue)
    "glue",
    # HTML views and widgets
    "Player",
    "matrix_html",
    "ConvolutionExplorer",
    "PoolingExplorer",
    "POOLING_EXAMPLE",
    "ActivationExplorer",
    "ACTIVATION_LABELS",
    "default_feature_map",
    "LayerStepper",
    "TrainingExplorer",
    "FilterExplorer",
    "layers_player",
    "parse_matrix",
]

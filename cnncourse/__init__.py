"""cnncourse: the helper package of the course "How CNNs see".

Small modules named after concepts; this file lists the public API once.
Chapters import from here (``from cnncourse import conv2d``) and the tests pin
these names.
"""

from .conv import conv2d, conv2d_loop, output_size
from .html import Player, matrix_html
from .images import SAMPLE_IMAGES, load_image, load_sample, to_grayscale
from .kernels import KERNELS, get_kernel
from .plotting import image_grid, plot_matrix
from .widgets import CLASSIC_IMAGE, CLASSIC_KERNEL, ConvolutionExplorer, parse_matrix

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
    # images
    "SAMPLE_IMAGES",
    "load_sample",
    "load_image",
    "to_grayscale",
    # figures
    "image_grid",
    "plot_matrix",
    # HTML views and widgets
    "Player",
    "matrix_html",
    "ConvolutionExplorer",
    "parse_matrix",
]

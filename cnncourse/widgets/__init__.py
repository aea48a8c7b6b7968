"""The course's interactive explorers (ipywidgets 8), one module per chapter.

Widgets stay thin: the numbers come from the compute modules, the pictures
from :mod:`cnncourse.html` and :mod:`cnncourse.plotting`. Every explorer can
turn its current settings into a kernel-free :class:`~cnncourse.html.Player`
(``to_player()``), which is what the website shows, so the site and the live
widget never disagree. A bad value typed into a widget shows a message in the
widget, never a traceback.
"""

from .base import SlidingWindowExplorer, format_matrix, parse_matrix
from .activations import ACTIVATION_LABELS, ActivationExplorer, default_feature_map
from .convolution import CLASSIC_IMAGE, CLASSIC_KERNEL, ConvolutionExplorer
from .featureviz import FilterExplorer, image_html, layers_player
from .layers import LayerStepper, feature_map_png
from .pooling import POOLING_EXAMPLE, PoolingExplorer
from .training import TrainingExplorer, png_data_uri


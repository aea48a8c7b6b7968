"""Checkers for the chapters' exercises, one module per chapter (named as in :mod:`cnncourse.chapter_figures`).

Each checker takes the reader's answer and returns a
:class:`~cnncourse.exercises.feedback.Feedback` (a short coloured message in a
notebook); a wrong type or shape is feedback too, never an exception. A
chapter imports its checkers from here: ``from cnncourse.exercises import
check_output_shape``. They are built on the generic checkers of
:mod:`cnncourse.exercises.feedback`, which name the slip behind each known near miss.

May import: core, ops, nets, featureviz, attribution, i18n, figures.
"""

from .convolution import LINE_TESTS, check_conv_by_hand, check_line_kernel, check_output_shape
from .pooling import POOL_EXERCISE, check_dense_weights_saved, check_max_pool_by_hand, check_pool_output_shape
from .activations import check_block_shape, check_relu_pool_order, check_sigmoid_depth
from .building import (check_conv_params, check_fc_inputs, check_misread_drawing, check_receptive_field_7x7,
                       check_stage_shape)
from .filters import check_dense_inputs, check_deprocessed_pixel, check_normalized_gradient, check_objective
from .feature_maps import check_first_layer_wider_than_100, check_receptive_field_by_hand, check_vgg_output_shape
from .where_it_looks import check_grad_cam_by_hand, check_occlusion_windows, check_sanity_check

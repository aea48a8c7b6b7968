"""The operations of chapters 1-3 written from scratch in NumPy: convolution, kernels, pooling,
activation functions, and the sample images they run on.

May import: core. No PyTorch at import time (``import cnncourse; cnncourse.conv2d`` loads NumPy only).
"""

"""The networks: chapter 4's shapes data set, SmallCNN and its training; VGG16, its layers,
its weights and its feature maps.

May import: core, ops.
"""

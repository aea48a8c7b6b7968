"""Feature visualization (chapter 5): hooks that read a layer, objectives, pixel
parameterizations, transforms, the gradient-ascent loop, and what a small CNN's units prefer.

May import: core, ops, nets.
"""

"""Where the network looks (chapter 7): saliency and Grad-CAM, occlusion, incremental
maps, and the sanity checks that compare maps.

May import: core, ops, nets, featureviz.
"""

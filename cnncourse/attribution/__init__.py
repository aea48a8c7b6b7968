"""Where the network looks and how far to trust it (chapters 7 and 8): saliency, Grad-CAM, occlusion,
integrated gradients, sanity checks, faithfulness curves, and the attacks that fool the network.

May import: core, ops, nets, featureviz.
"""

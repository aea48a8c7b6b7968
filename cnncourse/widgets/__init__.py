"""The course's interactive explorers (ipywidgets 8), one module per chapter.

=================  ==============================  =========
module             explorer                        chapter
=================  ==============================  =========
``convolution``    :class:`ConvolutionExplorer`    1
``pooling``        :class:`PoolingExplorer`        2
``activations``    :class:`ActivationExplorer`     3
``training``       :class:`TrainingExplorer`       4
``featureviz``     :class:`FilterExplorer`         5
``layers``         :class:`LayerStepper`           6
``attribution``    :class:`AttributionExplorer`    7
``draw``           :class:`DrawExplorer`           4
=================  ==============================  =========

The first seven are :class:`~cnncourse.widgets.base.Explorer` s: the same life cycle
(controls -> recompute -> render), the same ``message`` area (a bad value
shows a message and the last valid picture stays), the same ``position``
slider with Play, and the same ``to_player(title, ...)``, which records the
frames as a kernel-free :class:`~cnncourse.figures.player.Player`: what the website
shows, so the site and the live widget never disagree. A widget is thin: it
reads its controls, calls the compute modules for the numbers, and hands them
to the figures layer for the pictures (:mod:`cnncourse.figures.html`,
:mod:`cnncourse.figures.pictures`, :mod:`cnncourse.figures.svg`). :class:`DrawExplorer` is
an ``anywidget`` whose front end is the website's (``_static/cnn-draw.mjs``),
computed in the browser. ``base`` holds the
:class:`~cnncourse.widgets.base.Explorer`, ``live`` what the website's
in-browser explorers share with them, ``matrices`` the typed matrices.

This package imports nothing: the public names are listed once, in
``cnncourse._API`` (``from cnncourse import ConvolutionExplorer``).

May import: core, ops, nets, featureviz, attribution, i18n, figures.
"""

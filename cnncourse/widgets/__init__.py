"""The course's interactive explorers, one module per chapter.

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

Chapters 1-3's three are computed in the browser: anywidget widgets on
:class:`~cnncourse.widgets.browser.BrowserExplorer`, whose front end (``_static/cnn-live*.js``) the
website mounts too, and whose state Python reads and sets as traits. The other four but the draw explorer are
:class:`~cnncourse.widgets.base.Explorer` s (ipywidgets 7 and 8, computed by the kernel): the same life cycle
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
in-browser explorers share with them, ``browser`` the base of chapters 1-3's, ``matrices`` the typed matrices.

This package imports nothing: the public names are listed once, in
``cnncourse._API`` (``from cnncourse import ConvolutionExplorer``).

May import: core, ops, nets, featureviz, attribution, i18n, figures.
"""

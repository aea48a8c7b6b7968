"""Progress bars for the slow steps (training, feature visualization, downloads).

A text bar on standard error (``tqdm``), the same in a terminal, JupyterLab
and Colab, where it updates in place. The website never shows one: the book
build drops standard error from the pages (``stderr_output: remove`` in
``_config.yml``), so no reader sees a bar frozen at 0%, which is what a
notebook widget bar would leave behind in a static page.
"""

from __future__ import annotations

import sys
from typing import Any


def progress_bar(*, total: int, desc: str, unit: str, enabled: bool = True, **options: Any) -> Any:
    """A ``tqdm`` bar on standard error; switched off with ``enabled=False`` or ``TQDM_DISABLE=1``.

    ``disable`` is passed only to switch the bar off, so that tqdm's own
    ``TQDM_DISABLE`` environment variable still applies otherwise.

    Examples
    --------
    >>> with progress_bar(total=3, desc="demo", unit="step", enabled=False) as bar:
    ...     bar.update(3)
    """
    from tqdm.std import tqdm

    switch = {} if enabled else {"disable": True}
    from .i18n import tr

    return tqdm(total=total, desc=tr(desc), unit=tr(unit), file=sys.stderr, dynamic_ncols=True, **switch, **options)

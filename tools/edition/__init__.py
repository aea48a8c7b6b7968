"""The Chinese edition's tools: English pages cut into gettext messages, catalogs, and zh/ written from them.

Modules by job: ``book`` (where things are), ``blocks`` (pages to messages), ``catalogs`` (read, write,
update, check), ``edition`` (write zh/), ``exchange`` (YAML for translators). The command line is
``tools/i18n.py``. These modules may import ``cnncourse`` (for the CJK range and the glue placeholders),
Babel and PyYAML, and each other in that order; nothing here changes a global setting.
"""

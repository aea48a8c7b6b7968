"""What a reader sees, drawn from computed data: matplotlib plots and curves, HTML views,
pictures encoded for a page, small SVG charts, the Player, colours, fonts, glued words.

May import: core, ops, nets, featureviz, attribution, i18n.
"""

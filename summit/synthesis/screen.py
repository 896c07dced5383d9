"""A theme as the plenary's big screen shows it: its name, its rooms, how many ideas and dots,
and its supporters by sector. Between the models and the services: loaded in a fixed number
of queries, for the big screen's page and for the push that keeps it current."""

from __future__ import annotations

from breakouts.models import Breakout
from summit.synthesis.board import ThemeEntry, gather
from summit.synthesis.models import Theme


def theme_for_screen(theme_id: int | None, names: dict[str, str]) -> ThemeEntry | None:
    """The theme with what its mapped clusters and outcomes add up to, sectors named as in
    ``names`` (the summit's); ``None`` for no theme. Eight queries."""
    theme = Theme.objects.select_related("subtheme").filter(pk=theme_id).first()
    if theme is None:
        return None
    breakouts = Breakout.objects.filter(subtheme_id=theme.subtheme_id)
    return gather([theme], breakouts, names, texts=False)[theme.subtheme_id].themes[0]

"""Pushing the synthesis's changes to its screens after commit: the synthesis page of each
subtheme fetches itself again (what a person may do on it is their own), and the plenary's
big screens that show a theme are sent the theme as it now stands."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise

from summit.event.models import Summit
from summit.event.sectors import sector_names
from summit.live import push, render_each
from summit.synthesis.screen import theme_for_screen


def synthesis_group(subtheme_id: int) -> str:
    """The synthesis pages open on one subtheme."""
    return f"synthesis-{subtheme_id}"


def theme_screens_group(summit_id: int) -> str:
    """The summit's plenary big screens, which may be showing one of its themes."""
    return f"synthesis-screens-{summit_id}"


def synthesis_changed(subtheme_ids: Iterable[int], announcement: str | Promise) -> None:
    """Every synthesis page of the subthemes fetches its board again, and hears what changed
    (``announcement``, lazy: drawn in the language the page is drawn in)."""
    groups = [synthesis_group(pk) for pk in subtheme_ids]
    html = render_each("synthesis/page.html#changed", {"announcement": announcement}, *groups)
    push([(group, html) for group in groups])


def theme_on_screens(summit_id: int, theme_id: int) -> None:
    """The theme as it now stands, to every big screen of the summit: a screen showing it
    swaps it in, the others drop it (it is marked ``data-if-shown``). A theme removed takes
    itself off the screens showing it, which fetch what they showed before. In both
    languages side by side when the summit's big screens show them so."""
    entry = theme_for_screen(theme_id, sector_names(summit_id))
    summit = Summit.objects.filter(pk=summit_id).only("big_screen_languages").first()
    context = {"entry": entry, "theme_id": theme_id, "oob": True, "summit": summit}
    group = theme_screens_group(summit_id)
    push([(group, render_each("synthesis/screen.html#theme_screen", context, group))])

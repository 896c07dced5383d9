"""A theme across rooms on the plenary's big screen: put there over whatever the screen shows,
and taken off again, when the screen shows what it showed before. Each writes in a
transaction, with the facilitator's action in the audit log, and the room's screens follow
on commit. Among the services: the synthesis's own pushes keep a theme on the screen current
as what is mapped to it changes (``summit.synthesis.live``)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Participant
from plenary import audit, live
from plenary.models import Plenary
from summit.event.refusals import Refused
from summit.synthesis.models import Theme


def show_theme(plenary: Plenary, theme_id: int, *, by: Participant | None = None) -> Theme:
    """Put one of the summit's themes on the big screen, in place of any other theme.

    Side effects: the plenary written; "Put a theme on the big screen" logged with the
    theme; after commit, the big screen and the consoles follow.
    """
    theme = (
        Theme.objects.select_related("subtheme")
        .filter(pk=theme_id, subtheme__summit_id=plenary.summit_id)
        .first()
    )
    if theme is None:
        raise Refused(_("Choose one of this summit’s themes"))
    with transaction.atomic():
        Plenary.objects.filter(pk=plenary.pk).update(shown_theme=theme)
        plenary.shown_theme = theme
        audit.log(by, "Put a theme on the big screen", theme=theme.pk, name=theme.name)
        said = format_lazy(gettext_lazy("On the big screen: the theme “{name}”"), name=theme.name)
        transaction.on_commit(partial(live.room_changed, plenary, said), robust=True)
    return theme


def clear_theme(plenary: Plenary, *, by: Participant | None = None) -> bool:
    """Take the theme off the big screen, which shows what it showed before; nothing changes
    when no theme is on it. Whether one was.

    Side effects: the plenary written; "Took the theme off the big screen" logged; after
    commit, the big screen and the consoles follow.
    """
    with transaction.atomic():
        changed = Plenary.objects.filter(pk=plenary.pk, shown_theme__isnull=False).update(
            shown_theme=None
        )
        plenary.shown_theme = None
        if changed:
            audit.log(by, "Took the theme off the big screen")
            said = gettext_lazy("The theme is off the big screen")
            transaction.on_commit(partial(live.room_changed, plenary, said), robust=True)
    return bool(changed)

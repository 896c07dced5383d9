"""What facilitators do to steer the day from the plenary's console: what the big screen shows,
the report-back, the agenda, and the big screen's link. Each writes in a transaction, with the
facilitator's action in the audit log, and pushes to the room's screens on commit.

``by`` is the facilitator or organiser acting: their action goes in the audit log. A script or
the demo's set-up passes none, and nothing is logged.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Participant
from breakouts.models import Breakout, Idea
from plenary import audit, live
from plenary.models import Plenary, Poll, new_screen_key
from summit.event.bilingual import text_when_shown
from summit.event.models import AgendaItem, Summit
from summit.event.refusals import Refused


def _big_screen_changes(
    plenary: Plenary,
    showing: str,
    poll_id: int | None,
    breakout_id: int | None,
    idea_id: int | None,
    message: str,
) -> dict:
    """The plenary's fields to write for ``showing``, once what it names is found in this
    summit; refused otherwise."""
    summit_id = plenary.summit_id
    # A theme shown over the screen gives way to what is chosen now.
    changes: dict = {"showing": showing, "shown_theme": None}
    if showing == Plenary.Showing.POLL:
        poll = Poll.objects.filter(pk=poll_id, plenary=plenary).first()
        if poll is None:
            raise Refused(_("Choose one of this plenary’s polls"))
        changes["shown_poll"] = poll
    elif showing == Plenary.Showing.REPORT:
        breakout = Breakout.objects.filter(pk=breakout_id, summit_id=summit_id).first()
        if breakout is None:
            raise Refused(_("Choose one of this summit’s breakouts"))
        changes["shown_breakout"] = breakout
    elif showing == Plenary.Showing.IDEA:
        idea = Idea.objects.filter(
            pk=idea_id, breakout__summit_id=summit_id, status=Idea.Status.VISIBLE
        ).first()
        if idea is None:
            raise Refused(_("Choose an idea that is on one of this summit’s walls"))
        changes["shown_idea"] = idea
    elif showing == Plenary.Showing.MESSAGE:
        if not message:
            raise Refused(_("Write the message to show"))
        changes["message"] = message
    elif showing != Plenary.Showing.QUESTION:
        raise Refused(_("Choose one of the things the big screen can show"))
    return changes


def show(
    plenary: Plenary,
    showing: str,
    *,
    poll_id: int | None = None,
    breakout_id: int | None = None,
    idea_id: int | None = None,
    message: str = "",
    by: Participant | None = None,
) -> Plenary:
    """Choose what the big screen shows: the question, a poll, a breakout's report, an idea
    or a message. Everything named must belong to this summit.

    Side effects: the plenary written, "Changed what the big screen shows" logged with what
    was asked for; after commit, the big screen and every phone follow.
    """
    changes = _big_screen_changes(plenary, showing, poll_id, breakout_id, idea_id, message)
    with transaction.atomic():
        Plenary.objects.filter(pk=plenary.pk).update(**changes)
        for name, value in changes.items():
            setattr(plenary, name, value)
        audit.log(
            by,
            "Changed what the big screen shows",
            showing=showing,
            poll=poll_id,
            breakout=breakout_id,
            idea=idea_id,
            message=message,
        )
        transaction.on_commit(
            partial(live.room_changed, plenary, gettext_lazy("The big screen has changed")),
            robust=True,
        )
    return plenary


def next_report(plenary: Plenary, *, by: Participant | None = None) -> Plenary:
    """The report-back moves on to the next breakout, in the summit's order, from the first
    when none is showing.

    Side effects: as ``show``, but logged as "Moved the report-back on".
    """
    breakouts = list(Breakout.objects.filter(summit_id=plenary.summit_id).values_list("pk"))
    if not breakouts:
        raise Refused(_("This summit has no breakouts to report"))
    ids = [pk for (pk,) in breakouts]
    current = plenary.shown_breakout_id if plenary.showing == Plenary.Showing.REPORT else None
    at = ids.index(current) + 1 if current in ids else 0
    if at >= len(ids):
        raise Refused(_("Every breakout has reported"))
    with transaction.atomic():
        plenary = show(plenary, Plenary.Showing.REPORT, breakout_id=ids[at])
        audit.log(by, "Moved the report-back on")
    return plenary


def move_agenda(plenary: Plenary, item_id: int | None, *, by: Participant | None = None) -> None:
    """Move the day on to an agenda item (or back to the clock, with none).

    Side effects: the summit written, "Moved the agenda on" logged with the item; after
    commit, every screen of the room refreshes.
    """
    summit = plenary.summit
    item = None
    if item_id is not None:
        item = AgendaItem.objects.filter(pk=item_id, summit=summit).first()
        if item is None:
            raise Refused(_("Choose an item of this summit’s agenda"))
    with transaction.atomic():
        Summit.objects.filter(pk=summit.pk).update(agenda_now=item)
        summit.agenda_now = item
        audit.log(by, "Moved the agenda on", item=item_id)
        said = (
            format_lazy(gettext_lazy("Now: {title}"), title=text_when_shown(item, "title"))
            if item
            else gettext_lazy("The agenda follows the clock again")
        )
        transaction.on_commit(partial(live.room_changed, plenary, said), robust=True)


def new_screen_link(plenary: Plenary, *, by: Participant | None = None) -> Plenary:
    """Replace the big screen's link; screens open on the old one close.

    Side effects: the plenary written, "Made a new big-screen link" logged; after commit, big
    screens on the old link are closed.
    """
    old = plenary.screen_key
    with transaction.atomic():
        plenary.screen_key = new_screen_key()
        plenary.save(update_fields=["screen_key"])
        audit.log(by, "Made a new big-screen link")
        transaction.on_commit(partial(live.screens_closed, old), robust=True)
    return plenary

"""Pushing the plenary's changes to its screens, rendered once per audience after commit.

A new tally travels as a fragment swapped in out of band. Changes that reshape what a screen
shows (a poll opening or closing, results revealed, the big screen or the agenda moving on)
send a refresh signal instead: each screen fetches its view again, so what is personal on an
attendee's phone (their own answers) stays right.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.functional import Promise

from plenary.models import Plenary, Poll
from plenary.results import tally
from plenary.room import (
    ATTENDEES,
    AUDIENCES,
    FACILITATORS,
    SCREEN,
    PollView,
    plenary_group,
    screen_key_group,
)
from summit.live import close_group, push


def room_changed(plenary: Plenary, announcement: str | Promise) -> None:
    """Every screen of the room fetches its view again, and hears what changed:
    ``announcement`` is lazy (``gettext_lazy``, ``format_lazy``), put into words as the
    fragment is drawn, so that each screen can hear it in its own language."""
    html = render_to_string("plenary/room.html#room_changed", {"announcement": announcement})
    push([(plenary_group(plenary.pk, audience), html) for audience in AUDIENCES])


def consoles_changed(plenary: Plenary) -> None:
    """Only the consoles refresh: a change attendees and the big screen do not show."""
    html = render_to_string("plenary/room.html#room_changed", {"announcement": ""})
    push([(plenary_group(plenary.pk, FACILITATORS), html)])


def results_changed(poll: Poll) -> None:
    """A poll's new tally: to the consoles always (with the reasons people wrote), and to
    attendees and the big screen once results are shown; until then, only how many answered."""
    view = PollView(poll, list(poll.options.all()))
    # A consensus check reads the summit's supermajority from the poll's plenary, which
    # answer_poll leaves on it with its summit.
    view.results = tally(poll, view.options)
    view.count = view.results.responses
    template = "plenary/room.html#results_changed"
    public = (
        render_to_string(template, {"view": view})
        if poll.results_shown
        else render_to_string("plenary/room.html#count_changed", {"view": view})
    )
    console = render_to_string(template, {"view": view, "show_remarks": True})
    push(
        [
            (plenary_group(poll.plenary_id, FACILITATORS), console),
            (plenary_group(poll.plenary_id, ATTENDEES), public),
            (plenary_group(poll.plenary_id, SCREEN), public),
        ],
        coalesce=f"results-{poll.pk}",
    )


def screens_closed(old_key: str) -> None:
    close_group(screen_key_group(old_key))


def summit_room_changed(summit_id: int, announcement: str | Promise) -> list[tuple[str, str]]:
    """What tells every screen of the summit's plenary to fetch its view again (the summit's
    own design has changed), for the caller to send with the other rooms' in one push;
    ``announcement`` lazy, as for ``room_changed``."""
    html = render_to_string("plenary/room.html#room_changed", {"announcement": announcement})
    rooms = Plenary.objects.filter(summit_id=summit_id).values_list("pk", flat=True)
    return [(plenary_group(pk, who), html) for pk in rooms for who in AUDIENCES]

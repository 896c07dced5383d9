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
from summit.event import bilingual
from summit.live import close_group, push, render_each


def room_changed(plenary: Plenary, announcement: str | Promise) -> None:
    """Every screen of the room fetches its view again, and hears what changed:
    ``announcement`` is lazy (``gettext_lazy``, ``format_lazy``), put into words as the
    fragment is drawn, so that each screen can hear it in its own language."""
    groups = [plenary_group(plenary.pk, audience) for audience in AUDIENCES]
    html = render_each("plenary/room.html#room_changed", {"announcement": announcement}, *groups)
    push([(group, html) for group in groups])


def consoles_changed(plenary: Plenary) -> None:
    """Only the consoles refresh: a change attendees and the big screen do not show."""
    html = render_to_string("plenary/room.html#room_changed", {"announcement": ""})
    push([(plenary_group(plenary.pk, FACILITATORS), html)])


def results_changed(poll: Poll) -> None:
    """A poll's new tally: to the consoles always (with the reasons people wrote), and to
    attendees and the big screen once results are shown; until then, only how many answered.
    A summit whose big screens show both languages side by side has theirs drawn so."""
    view = PollView(poll, list(poll.options.all()))
    # A consensus check reads the summit's supermajority from the poll's plenary, which
    # answer_poll leaves on it with its summit.
    view.results = tally(poll, view.options)
    view.count = view.results.responses
    template = "plenary/room.html#results_changed"
    consoles = plenary_group(poll.plenary_id, FACILITATORS)
    attendees = plenary_group(poll.plenary_id, ATTENDEES)
    screens = plenary_group(poll.plenary_id, SCREEN)
    shown = template if poll.results_shown else "plenary/room.html#count_changed"
    summit = poll.plenary.summit
    values = {"view": view, "summit": summit, "audience": ATTENDEES}
    if bilingual.shows_both(summit):
        # The big screens' words side by side: drawn for them alone, the same in each
        # language their group is joined in.
        screen = render_each(shown, {**values, "audience": SCREEN}, screens)
        public = render_each(shown, values, attendees)
    else:
        public = screen = render_each(shown, values, attendees, screens)
    console = render_each(
        template,
        {"view": view, "summit": summit, "audience": FACILITATORS, "show_remarks": True},
        consoles,
    )
    push(
        [(consoles, console), (attendees, public), (screens, screen)],
        coalesce=f"results-{poll.pk}",
    )


def screens_closed(old_key: str) -> None:
    close_group(screen_key_group(old_key))


def summit_room_changed(summit_id: int, announcement: str | Promise) -> list[tuple[str, str]]:
    """What tells every screen of the summit's plenary to fetch its view again (the summit's
    own design has changed), for the caller to send with the other rooms' in one push;
    ``announcement`` lazy, as for ``room_changed``."""
    rooms = Plenary.objects.filter(summit_id=summit_id).values_list("pk", flat=True)
    groups = [plenary_group(pk, who) for pk in rooms for who in AUDIENCES]
    html = render_each("plenary/room.html#room_changed", {"announcement": announcement}, *groups)
    return [(group, html) for group in groups]

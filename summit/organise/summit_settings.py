"""The summit's own settings and its status, as organisers change them: each change one
function that writes in a transaction and logs the organiser's action (``by``) with it.
(With the services: views call these; these import no view.)"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache, partial

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.models import Participant
from breakouts.first_thoughts import place_first_thoughts
from plenary import live as plenary_live
from plenary.models import Plenary
from summit.event.models import DOT_BUDGET_RANGE, SUPERMAJORITY_RANGE, Summit
from summit.event.refusals import Refused
from summit.organise.design_services import screens_follow

DOT_BUDGET_MIN, DOT_BUDGET_MAX = DOT_BUDGET_RANGE
SUPERMAJORITY_MIN, SUPERMAJORITY_MAX = SUPERMAJORITY_RANGE

# What the plenary's screens show of the summit: a change to these redraws them.
SHOWN_ON_SCREENS = frozenset({"title", "title_cy", "central_question", "central_question_cy"})
# How every big screen shows the summit's words: a change to it redraws every room's screens.
SHOWN_ON_EVERY_SCREEN = frozenset({"big_screen_languages"})


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every time zone this machine knows, in order. Read once: listing them reads the disk."""
    return tuple(sorted(zoneinfo.available_timezones()))


@cache
def _by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in time_zone_names()}


def known_time_zone(name: str) -> str | None:
    """The time zone's name as the database spells it ("europe/london" is Europe/London), or
    ``None`` for a name it does not know."""
    return _by_lower_name().get(name.strip().lower())


def _refuse_out_of_bounds(chosen: dict) -> None:
    if not DOT_BUDGET_MIN <= chosen["dot_budget"] <= DOT_BUDGET_MAX:
        raise Refused(
            _("Each person’s dots must be from %(low)d to %(high)d.")
            % {"low": DOT_BUDGET_MIN, "high": DOT_BUDGET_MAX}
        )
    if not SUPERMAJORITY_MIN <= chosen["supermajority"] <= SUPERMAJORITY_MAX:
        raise Refused(
            _("The supermajority must be from %(low)d to %(high)d per cent.")
            % {"low": SUPERMAJORITY_MIN, "high": SUPERMAJORITY_MAX}
        )
    if known_time_zone(chosen["time_zone"]) != chosen["time_zone"]:
        raise Refused(_("Choose a time zone from the list, like Europe/London."))
    if not chosen["title"].strip() or not chosen["central_question"].strip():
        raise Refused(_("A summit needs a title and a central question."))
    if chosen["big_screen_languages"] not in Summit.BigScreenLanguages.values:
        raise Refused(_("Choose how the big screens show the summit’s words."))


def change_settings(
    summit: Summit,
    *,
    title: str,
    title_cy: str,
    central_question: str,
    central_question_cy: str,
    summary: str,
    summary_cy: str,
    date: dt.date | None,
    venue: str,
    time_zone: str,
    welcome: str,
    welcome_cy: str,
    dot_budget: int,
    allow_anonymous: bool,
    supermajority: int,
    big_screen_languages: str,
    by: Participant,
) -> dict[str, object]:
    """The summit's own settings: what it is called, asks and is about (each in English and,
    where given, in Welsh), when and where it is, what attendees read first (in both too), the
    dots in a new breakout, whether attendees may stay anonymous, the share the
    supermajority rule asks for, and how the big screens show the summit's words (in each
    screen's language, or in English and Welsh side by side). Refused when a value is out of
    bounds.

    Side effects: the summit written and "Changed the summit's settings" logged with what
    changed (nothing when nothing did); after commit, when the title or the question changed
    (in either language), the plenary's screens redraw, and when how the big screens show
    the summit's words changed, every screen of the summit's rooms does. Returns what changed.
    """
    chosen = {
        "title": title,
        "title_cy": title_cy,
        "central_question": central_question,
        "central_question_cy": central_question_cy,
        "summary": summary,
        "summary_cy": summary_cy,
        "date": date,
        "venue": venue,
        "time_zone": time_zone,
        "welcome": welcome,
        "welcome_cy": welcome_cy,
        "dot_budget": dot_budget,
        "allow_anonymous": allow_anonymous,
        "supermajority": supermajority,
        "big_screen_languages": big_screen_languages,
    }
    _refuse_out_of_bounds(chosen)
    changed = {name: value for name, value in chosen.items() if getattr(summit, name) != value}
    if not changed:
        return changed
    with transaction.atomic():
        for name, value in changed.items():
            setattr(summit, name, value)
        summit.save(update_fields=list(changed))
        log_action(by, "Changed the summit's settings", detail=changed)
        _screens_follow(summit, set(changed))
    return changed


def _screens_follow(summit: Summit, changed: set[str]) -> None:
    """After commit, the screens that show what changed fetch what they show again."""
    if SHOWN_ON_EVERY_SCREEN & changed:
        transaction.on_commit(partial(screens_follow, summit.pk, ""), robust=True)
        return
    plenary = Plenary.objects.filter(summit=summit).first()
    if plenary is not None and SHOWN_ON_SCREENS & changed:
        transaction.on_commit(lambda: plenary_live.room_changed(plenary, ""), robust=True)


def _label(status: str) -> str:
    return str(Summit.Status(status).label)


def _refuse_move(summit: Summit, to: str) -> None:
    allowed = summit.status_moves()
    if to not in allowed:
        raise Refused(
            _("%(title)s is %(now)s, so it can move only to %(allowed)s.")
            % {
                "title": summit.title,
                "now": _label(summit.status),
                "allowed": _(" or ").join(_label(s) for s in allowed),
            }
        )
    joined = Participant.objects.filter(summit=summit, role=Participant.Role.ATTENDEE)
    if to == Summit.Status.DRAFT and joined.exists():
        raise Refused(
            _(
                "People have joined %(title)s already, so it cannot go back to draft: their "
                "join code would stop working. To stop taking new people, set a time on the "
                "joining page instead."
            )
            % {"title": summit.title}
        )


def move_summit(summit: Summit, to: str, *, by: Participant) -> Summit:
    """Move the summit to another status, if the table of moves allows it from where it is
    (``Summit.STATUS_MOVES``); back to draft only while no attendee has joined. What people
    may do follows the status: joining works while open and live only, and an archived summit
    leaves everyone's list of summits.

    Side effects: the summit written, "Moved the summit from X to Y" logged with both.
    """
    with transaction.atomic():
        # Locked, so two organisers pressing at once make one move, not two from one place.
        current = Summit.objects.select_for_update().get(pk=summit.pk)
        _refuse_move(current, to)
        was = current.status
        current.status = to
        current.save(update_fields=["status"])
        detail = {"from": was, "to": to}
        placed = place_first_thoughts(current) if to == Summit.Status.LIVE else 0
        if placed:
            detail["first_thoughts_placed"] = placed
        # The audit log is kept in the source language, whatever the organiser reads.
        with translation.override(settings.LANGUAGE_CODE):
            moved = f"Moved the summit from {_label(was)} to {_label(to)}"
        log_action(by, moved, detail=detail)
    summit.status = to
    return summit


def open_now(summit: Summit, *, by: Participant) -> Summit:
    """Open the summit for joining at once: any opening time set is cleared, and a summit
    in draft moves to open (as ``move_summit``). Refused when it is past being open.

    Side effects: the summit written; "Opened the summit for joining now" logged with the
    opening time cleared, and the move logged as ``move_summit`` logs it.
    """
    with transaction.atomic():
        current = Summit.objects.select_for_update().get(pk=summit.pk)
        if current.status not in {Summit.Status.DRAFT, Summit.Status.OPEN}:
            raise Refused(
                _("%(title)s is %(now)s already, so there is nothing to open.")
                % {"title": current.title, "now": _label(current.status)}
            )
        cleared = current.joining_opens_at
        current.joining_opens_at = None
        current.save(update_fields=["joining_opens_at"])
        log_action(by, "Opened the summit for joining now", detail={"opening_time": cleared})
        if current.status == Summit.Status.DRAFT:
            move_summit(current, Summit.Status.OPEN, by=by)
    summit.joining_opens_at = None
    summit.status = current.status
    return summit

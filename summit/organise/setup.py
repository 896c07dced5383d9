"""What organisers set up before and during the day: a new summit, how people join it, and
its breakout groups. Each change is one function that writes in a transaction and logs the
organiser's action (``by``) in the audit log with it."""

from __future__ import annotations

import copy
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.models import Participant, User
from breakouts import services as breakout_services
from breakouts.models import Breakout
from breakouts.placing import Preferences, preferences_honoured
from summit.event.design_check import check_design
from summit.event.design_reading import FORMAT, VERSION
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused
from summit.event.services import new_join_code_for
from summit.organise.design_file import import_summit_design, summit_design

# Joining


def change_joining(
    summit: Summit,
    *,
    joining_closes_at: dt.datetime | None,
    privacy_contact: str,
    retain_personal_data_until: dt.date | None,
    by: Participant,
    joining_opens_at: dt.datetime | None = None,
) -> Summit:
    """From when and until when the summit takes people, who they write to about their data
    and when it is erased. (Whether it takes people at all follows its status:
    ``summit_settings``.) Refused when it would stop taking people before it starts.

    Side effects: the summit written, "Changed how people join" logged with every setting.
    """
    if joining_opens_at and joining_closes_at and joining_opens_at >= joining_closes_at:
        raise Refused(_("Set the time to stop taking people after the time to start."))
    chosen = {
        "joining_opens_at": joining_opens_at,
        "joining_closes_at": joining_closes_at,
        "privacy_contact": privacy_contact,
        "retain_personal_data_until": retain_personal_data_until,
    }
    for name, value in chosen.items():
        setattr(summit, name, value)
    with transaction.atomic():
        summit.save(update_fields=list(chosen))
        log_action(by, "Changed how people join", detail=chosen)
    return summit


def replace_join_code(summit: Summit, *, by: Participant) -> str:
    """A new join code for the summit; the old code and link stop working at once.

    Side effects: the summit written, "Made a new join code" logged. Returns the new code.
    """
    with transaction.atomic():
        code = new_join_code_for(summit)
        log_action(by, "Made a new join code")
    return code


# New summits


def set_up_summit(
    user: User,
    *,
    title: str,
    central_question: str,
    date: dt.date | None,
    copy_from: Summit | None = None,
    design: dict | None = None,
) -> Summit:
    """A new summit in draft, with ``user`` as its first organiser: blank, a copy of
    ``copy_from``'s design (everything but its people and what they contributed), or made from
    ``design``, a design file's content. What is given here is the new summit's own: an empty
    ``title`` or ``central_question`` keeps the design's or the copied summit's, and so does
    an empty ``date`` a design file's. Refused (``Refused``) when the design is not right.

    Side effects: database writes only (nobody is in the summit yet to see it, and no
    organiser of it yet to log the action).
    """
    from_file = design is not None
    if from_file:
        check_design(design)
        design = copy.deepcopy(design)
    elif copy_from is not None:
        design = summit_design(copy_from)
    else:
        design = {"format": FORMAT, "version": VERSION, "summit": {"central_question": ""}}
    head = design["summit"]
    # A title or question typed here is the new summit's own: the design's Welsh version of
    # the one it replaces says something else, so it goes with it.
    if title:
        head.update(title=title, slug="", title_cy="")
    if central_question:
        head.update(central_question=central_question, central_question_cy="")
    if date or not from_file:
        head["date"] = date.isoformat() if date else None
    return set_up_summit_from_design(user, design)


def set_up_summit_from_design(user: User, design: dict) -> Summit:
    """A new summit in draft made from ``design``, the content of a design file (``format``
    and ``version`` may be left out), with ``user`` as its first organiser. Each subtheme in
    use that the design names no breakout for gets one; when the design has a run sheet its
    plenary is made with those polls, and when it has none the plenary makes its usual polls
    on first use. Refused (``Refused``, naming the place) when the design is not right.

    Side effects: database writes only (nobody is in the summit yet to see it, and no
    organiser of it yet to log the action).
    """
    design = {"format": FORMAT, "version": VERSION, **design}
    with transaction.atomic():
        summit = import_summit_design(design, breakout_per_subtheme=True)
        Participant.objects.create(
            user=user,
            summit=summit,
            role=Participant.Role.ORGANISER,
            display_name=user.get_full_name() or user.email or user.get_username(),
        )
    return summit


# Breakout groups


def add_breakout(subtheme: Subtheme, name: str, *, by: Participant) -> Breakout:
    """Another group on a subtheme; refused when the summit has a group of that name.

    Side effects: the breakout written, "Added a breakout" logged with its name.
    """
    with transaction.atomic():
        made = breakout_services.add_breakout(subtheme, name)
        log_action(by, "Added a breakout", detail={"name": made.name})
    return made


def mix_breakouts(summit: Summit, *, by: Participant) -> Preferences:
    """Share every attendee out again across the open breakouts, mixing sectors and honouring
    preferred subthemes as far as that allows; refused when no breakout is open. Returns how
    many of the people with a preference got it.

    Side effects: everyone's breakout written, "Shared everyone out across the breakouts
    again" logged with how many preferences were honoured; after commit, every breakout's
    screens refresh.
    """
    with transaction.atomic():
        breakout_services.mix_everyone(summit)
        honoured = preferences_honoured(summit.pk)
        log_action(
            by,
            "Shared everyone out across the breakouts again",
            detail={"preferences_honoured": honoured.honoured, "preferences": honoured.stated},
        )
    return honoured


def let_attendees_choose(summit: Summit, choose: bool, *, by: Participant) -> Summit:
    """Whether attendees may move themselves to another breakout, or stay where placed.

    Side effects: the summit written, "Changed whether attendees choose their breakout"
    logged with the choice.
    """
    summit.attendees_choose_breakout = choose
    with transaction.atomic():
        summit.save(update_fields=["attendees_choose_breakout"])
        log_action(
            by,
            "Changed whether attendees choose their breakout",
            detail={"attendees_choose": choose},
        )
    return summit

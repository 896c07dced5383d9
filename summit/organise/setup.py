"""What organisers set up before and during the day: a new summit, how people join it, and
its breakout groups. Each change is one function that writes in a transaction and logs the
organiser's action (``by``) in the audit log with it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.audit import log_action
from accounts.models import Participant, User
from breakouts import services as breakout_services
from breakouts.models import Breakout
from summit.event.models import Assumption, Material, Obstacle, Prompt, Subtheme, Summit
from summit.event.services import create_summit, new_join_code_for

# Joining


def change_joining(
    summit: Summit,
    *,
    status: str,
    joining_closes_at: dt.datetime | None,
    allow_anonymous: bool,
    privacy_contact: str,
    retain_personal_data_until: dt.date | None,
    by: Participant,
) -> Summit:
    """Whether the summit takes people now and until when, whether they may take part
    anonymously, and who they write to about their data and when it is erased.

    Side effects: the summit written, "Changed how people join" logged with every setting.
    """
    chosen = {
        "status": status,
        "joining_closes_at": joining_closes_at,
        "allow_anonymous": allow_anonymous,
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
    copy_from: Summit | None,
) -> Summit:
    """A new summit in draft, blank or copying ``copy_from``'s structure, with a breakout for
    each subtheme and ``user`` as its first organiser.

    Side effects: database writes only (nobody is in the summit yet to see it, and no
    organiser of it yet to log the action).
    """
    with transaction.atomic():
        summit = create_summit(
            title=title, central_question=central_question, date=date, copy_from=copy_from
        )
        breakout_services.ensure_breakouts(summit)
        Participant.objects.create(
            user=user,
            summit=summit,
            role=Participant.Role.ORGANISER,
            display_name=user.get_full_name() or user.email or user.get_username(),
        )
    return summit


def set_up_summit_from_design(user: User, design: dict) -> Summit:
    """A new summit in draft from a design (the design file's shape, already checked), with a
    breakout for each subtheme and ``user`` as its first organiser. Takes the summit's title
    and central question, its subthemes, areas to be addressed, working assumptions,
    obstacles and pre-reading sections: what a stimulus document proposes.

    Side effects: database writes only, as ``set_up_summit``.
    """
    head = design["summit"]
    with transaction.atomic():
        summit = create_summit(
            title=head["title"], central_question=head.get("central_question", ""), date=None
        )
        subthemes = [
            Subtheme.objects.create(
                summit=summit, order=n, title=item["title"], question=item["question"]
            )
            for n, item in enumerate(design.get("subthemes", []), start=1)
        ]
        Prompt.objects.bulk_create(
            Prompt(
                summit=summit,
                order=n,
                text=item["text"],
                subtheme=subthemes[item["subtheme"] - 1] if item.get("subtheme") else None,
            )
            for n, item in enumerate(design.get("areas", []), start=1)
        )
        for model, key in ((Assumption, "assumptions"), (Obstacle, "obstacles")):
            model.objects.bulk_create(
                model(summit=summit, order=n, text=item["text"])
                for n, item in enumerate(design.get(key, []), start=1)
            )
        Material.objects.bulk_create(
            Material(summit=summit, order=n, title=item["title"], body=item["body"])
            for n, item in enumerate(design.get("pre_reading", []), start=1)
        )
        breakout_services.ensure_breakouts(summit)
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


def mix_breakouts(summit: Summit, *, by: Participant) -> None:
    """Share every attendee out again across the open breakouts, mixing sectors; refused
    when no breakout is open.

    Side effects: everyone's breakout written, "Shared everyone out across the breakouts
    again" logged; after commit, every breakout's screens refresh.
    """
    with transaction.atomic():
        breakout_services.mix_everyone(summit)
        log_action(by, "Shared everyone out across the breakouts again")


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

"""What organisers change about the breakout groups: how many work on each subtheme, their
names, and who facilitates them. Each change is one function that writes in a transaction,
logs the organiser's action (``by``) in the audit log with it and, after the commit, tells
the group's open screens.

A group that holds anything of the day (members, ideas, outcomes) is never removed: the
record keeps what was said in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import log_action
from accounts.models import Participant
from breakouts import audit, live
from breakouts.models import Breakout, Idea, Outcome
from breakouts.services import new_breakout
from summit.event.models import Subtheme
from summit.event.refusals import Refused
from summit.live import close_screens

MOST_GROUPS = 30
NAME_MAX_LENGTH = Breakout._meta.get_field("name").max_length


# What a group holds


def _count_of(model, link: str) -> Coalesce:
    """How many rows of ``model`` point at the breakout through ``link``, as a subquery: one
    count each, rather than joins that multiply members by ideas."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_holdings(breakouts: QuerySet[Breakout]) -> QuerySet[Breakout]:
    """The breakouts, each with how many members, facilitators, ideas and outcomes it has."""
    return breakouts.annotate(
        member_count=_count_of(Breakout.members.through, "breakout"),
        facilitator_count=_count_of(Breakout.facilitators.through, "breakout"),
        idea_count=_count_of(Idea, "breakout"),
        outcome_count=_count_of(Outcome, "breakout"),
    )


def holdings(breakout: Breakout) -> list[str]:
    """What keeps the group (annotated by ``with_holdings``) from being removed, in words:
    its members, ideas and outcomes. Empty when nothing does."""
    said = [
        (breakout.member_count, ngettext("%(n)d member", "%(n)d members", breakout.member_count)),
        (breakout.idea_count, ngettext("%(n)d idea", "%(n)d ideas", breakout.idea_count)),
        (
            breakout.outcome_count,
            ngettext("%(n)d outcome", "%(n)d outcomes", breakout.outcome_count),
        ),
    ]
    return [words % {"n": n} for n, words in said if n]


def _kept_because(breakout: Breakout) -> str:
    """Why a group stays when fewer are asked for: what it holds, or its facilitators (the
    organiser chose them for it); empty when nothing keeps it."""
    n = breakout.facilitator_count
    facilitators = [ngettext("%(n)d facilitator", "%(n)d facilitators", n) % {"n": n}] if n else []
    return ", ".join([*holdings(breakout), *facilitators])


# How many groups on a subtheme


@dataclass
class GroupCount:
    """What setting the number of groups on a subtheme did."""

    subtheme: Subtheme
    count: int
    # How many groups work on it now: more than asked for when some were kept.
    now: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Groups that stay although fewer were asked for, each with why.
    kept: list[tuple[str, str]] = field(default_factory=list)


def group_names(subtheme: Subtheme, how_many: int, taken: set[str]) -> list[str]:
    """``how_many`` new names "<subtheme> <number>", the lowest numbers whose names the summit
    has not got already (``taken``, in lower case). A group named after the subtheme alone
    (as the first group is) counts as its number 1."""
    names = []
    number = 2 if subtheme.title.lower() in taken else 1
    while len(names) < how_many:
        suffix = f" {number}"
        name = subtheme.title[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix
        if name.lower() not in taken:
            names.append(name)
            taken.add(name.lower())
        number += 1
    return names


def set_group_count(subtheme: Subtheme, count: int, *, by: Participant) -> GroupCount:
    """Make ``count`` groups work on the subtheme: new ones are added, named after it and
    numbered, each with the summit's dot budget; fewer removes the newest groups that are
    empty (no members, facilitators, ideas or outcomes) and keeps the others, saying why.

    Side effects: breakouts written or deleted, "Set the number of groups on a subtheme"
    logged with what was added, removed and kept; after commit, the screens of a removed
    group are closed.
    """
    if subtheme.retired_at is not None:
        raise Refused(
            _("%(subtheme)s is retired, so it takes no new groups") % {"subtheme": subtheme}
        )
    if not 1 <= count <= MOST_GROUPS:
        raise Refused(_("Choose from 1 to %(most)d groups") % {"most": MOST_GROUPS})
    summit = subtheme.summit
    done = GroupCount(subtheme, count)
    with transaction.atomic():
        groups = list(with_holdings(subtheme.breakouts.select_for_update()).order_by("-pk"))
        if count > len(groups):
            taken = {n.lower() for n in summit.breakouts.values_list("name", flat=True)}
            names = group_names(subtheme, count - len(groups), taken)
            try:
                with transaction.atomic():
                    made = (new_breakout(subtheme, n, summit=summit) for n in names)
                    Breakout.objects.bulk_create(made)
            except IntegrityError:  # a name taken by a change made at the same moment
                raise Refused(_("The groups changed as you saved. Try again.")) from None
            done.added = names
        surplus = max(len(groups) - count, 0)
        for group in groups:
            if len(done.removed) == surplus:
                break
            why = _kept_because(group)
            if why:
                done.kept.append((group.name, why))
            else:
                done.removed.append(group.name)
                transaction.on_commit(partial(live.breakout_removed, group.pk), robust=True)
                group.delete()
        done.now = len(groups) + len(done.added) - len(done.removed)
        if done.added or done.removed:
            log_action(
                by,
                "Set the number of groups on a subtheme",
                place=subtheme.title,
                # Names in words, as the audit log shows them.
                detail={
                    "groups": count,
                    "added": ", ".join(done.added),
                    "removed": ", ".join(done.removed),
                    "kept": ", ".join(name for name, _why in done.kept),
                },
            )
    return done


# One group


def _name_taken(breakout: Breakout, name: str) -> bool:
    others = Breakout.objects.filter(summit_id=breakout.summit_id).exclude(pk=breakout.pk)
    return others.filter(name__iexact=name).exists()


def rename_breakout(breakout: Breakout, name: str, *, by: Participant) -> Breakout:
    """Call the group ``name``, unique in the summit (a change of case alone is allowed).

    Side effects: the breakout written, "Renamed a breakout" logged with the old and new
    names; after commit, every screen of the group shows the new name and draws its board
    again.
    """
    name = name.strip()
    if not name:
        raise Refused(_("Enter a name for the group"))
    if len(name) > NAME_MAX_LENGTH:
        raise Refused(
            _("The name must be %(most)d characters or fewer") % {"most": NAME_MAX_LENGTH}
        )
    if name == breakout.name:
        return breakout
    taken = _("There is already a breakout called “%(name)s”") % {"name": name}
    if _name_taken(breakout, name):
        raise Refused(taken)
    was = breakout.name
    try:
        with transaction.atomic():
            breakout.name = name
            breakout.save(update_fields=["name"])
            audit.log(by, "Renamed a breakout", breakout, was=was, now=name)
            said = format_lazy(gettext_lazy("This group is now called {name}"), name=name)
            transaction.on_commit(partial(live.breakout_renamed, breakout, said), robust=True)
    except IntegrityError:  # the same name taken meanwhile
        breakout.name = was
        raise Refused(taken) from None
    return breakout


def remove_breakout(breakout: Breakout, *, by: Participant) -> None:
    """Remove a group that holds nothing yet; refused when it has members, ideas or
    outcomes, which the record keeps. Its facilitators simply stop facilitating it.

    Side effects: the breakout deleted, "Removed a breakout" logged with its name; after
    commit, its open screens are closed.
    """
    with transaction.atomic():
        held = with_holdings(Breakout.objects.select_for_update().filter(pk=breakout.pk)).first()
        if held is None:
            raise Refused(_("That group has already been removed"))
        kept = holdings(held)
        if kept:
            raise Refused(
                _(
                    "%(name)s stays: it has %(holdings)s. Move its members to another group "
                    "on the people page; a group with ideas or outcomes stays in the record."
                )
                % {"name": breakout.name, "holdings": ", ".join(kept)}
            )
        log_action(
            by, "Removed a breakout", place=breakout.name, detail={"breakout_id": breakout.pk}
        )
        transaction.on_commit(partial(live.breakout_removed, breakout.pk), robust=True)
        held.delete()


# Facilitators


def may_facilitate(summit_id: int) -> QuerySet[Participant]:
    """Who may be made a facilitator of a group of the summit: its facilitators and
    organisers, in the order of their names."""
    return (
        Participant.objects.active()
        .filter(
            summit_id=summit_id,
            role__in=[Participant.Role.FACILITATOR, Participant.Role.ORGANISER],
        )
        .order_by("display_name", "pk")
    )


def add_facilitator(breakout: Breakout, person: Participant, *, by: Participant) -> None:
    """Make ``person`` (a facilitator or organiser of the summit) a facilitator of the group,
    beside any it has; they keep any other group they facilitate.

    Side effects: the facilitators written, "Made a person a facilitator of a breakout"
    logged with the person; after commit, every screen of the group draws its board again.
    """
    if not may_facilitate(breakout.summit_id).filter(pk=person.pk).exists():
        raise Refused(
            _(
                "Only the summit’s facilitators and organisers can facilitate a group. Change "
                "%(person)s’s role on the people page first."
            )
            % {"person": person.attribution}
        )
    if breakout.facilitators.filter(pk=person.pk).exists():
        raise Refused(
            _("%(person)s already facilitates %(name)s")
            % {"person": person.attribution, "name": breakout.name}
        )
    with transaction.atomic():
        breakout.facilitators.add(person)
        audit.log(
            by, "Made a person a facilitator of a breakout", breakout, person=person.attribution
        )
        said = gettext_lazy("This group has a new facilitator")
        transaction.on_commit(partial(live.board_changed, breakout, said), robust=True)


def remove_facilitator(breakout: Breakout, person: Participant, *, by: Participant) -> None:
    """``person`` stops facilitating the group.

    Side effects: the facilitators written, "Stopped a person facilitating a breakout" logged
    with the person; after commit, every screen of the group draws its board again and the
    person's own screens are closed, so that they reconnect with what they may now do.
    """
    if not breakout.facilitators.filter(pk=person.pk).exists():
        raise Refused(
            _("%(person)s does not facilitate %(name)s")
            % {"person": person.attribution, "name": breakout.name}
        )
    with transaction.atomic():
        breakout.facilitators.remove(person)
        audit.log(
            by, "Stopped a person facilitating a breakout", breakout, person=person.attribution
        )
        said = gettext_lazy("This group’s facilitators have changed")
        transaction.on_commit(partial(live.board_changed, breakout, said), robust=True)
        if not person.is_organiser:
            transaction.on_commit(partial(close_screens, person.pk), robust=True)

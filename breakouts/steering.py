"""What facilitators do to steer a breakout: phases and timers, the prompt, hiding, merging,
clustering, the spotlight and the voting rules. Each writes in a transaction (locking the
rows two facilitators might change at once), with the facilitator's action in the audit log,
and refreshes every screen on commit.

``by`` is the facilitator or organiser acting: their action goes in the audit log, with the
details the console sent. A script or the demo's set-up passes none, and nothing is logged.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Participant
from breakouts import announcements, audit
from breakouts.announcements import after_commit
from breakouts.board import screen_key_group
from breakouts.models import Breakout, Cluster, Idea, Vote, new_screen_key
from summit.event.models import DOT_BUDGET_RANGE, Prompt
from summit.event.refusals import Refused
from summit.live import close_group

TIMER_MAX_MINUTES = 180


def _locked(breakout: Breakout) -> Breakout:
    return Breakout.objects.select_for_update().select_related("summit").get(pk=breakout.pk)


def _check_minutes(minutes: int | None) -> None:
    if minutes is not None and not 1 <= minutes <= TIMER_MAX_MINUTES:
        said = gettext("A timer runs for 1 to %(most)d minutes")
        raise Refused(said % {"most": TIMER_MAX_MINUTES})


def set_phase(
    breakout: Breakout, phase: str, minutes: int | None = None, *, by: Participant | None = None
) -> Breakout:
    """Move the group to ``phase`` (forwards, or back a step to revisit), with an optional
    countdown of ``minutes`` that replaces any running timer.

    Side effects: the breakout written; "Moved the group to another phase" logged with the
    phase and minutes; after commit, every screen refreshes.
    """
    if phase not in Breakout.Phase.values:
        raise Refused(gettext("Choose one of the phases listed"))
    _check_minutes(minutes)
    with transaction.atomic():
        breakout = _locked(breakout)
        breakout.phase = phase
        breakout.timer_ends_at = timezone.now() + dt.timedelta(minutes=minutes) if minutes else None
        breakout.save(update_fields=["phase", "timer_ends_at"])
        audit.log(by, "Moved the group to another phase", breakout, phase=phase, minutes=minutes)
        after_commit(breakout, announcements.moved(phase, minutes))
    return breakout


def set_timer(
    breakout: Breakout, minutes: int | None, *, by: Participant | None = None
) -> Breakout:
    """Start (or, with ``None``, stop) the countdown for the current phase.

    Side effects: the breakout written; "Set the timer" logged with the minutes; after
    commit, every screen refreshes.
    """
    _check_minutes(minutes)
    with transaction.atomic():
        breakout = _locked(breakout)
        breakout.timer_ends_at = timezone.now() + dt.timedelta(minutes=minutes) if minutes else None
        breakout.save(update_fields=["timer_ends_at"])
        audit.log(by, "Set the timer", breakout, minutes=minutes)
        after_commit(breakout, announcements.timer(minutes))
    return breakout


def set_prompt(
    breakout: Breakout, prompt_id: int | None, *, by: Participant | None = None
) -> Breakout:
    """Choose which of the summit's questions the group works on (none, without an id); new
    ideas record it. Refused for a question of another summit, or none at all, and for one
    the organisers have retired (unless it is the group's question already).

    Side effects: the breakout written; "Set the question the group works on" logged with
    the question's id; after commit, every screen refreshes.
    """
    prompt = None
    if prompt_id:
        prompt = Prompt.objects.filter(pk=prompt_id, summit_id=breakout.summit_id).first()
        if prompt is None:
            raise Refused(gettext("Choose one of this summit’s questions"))
        if prompt.retired_at is not None and prompt.pk != breakout.current_prompt_id:
            raise Refused(gettext("The organisers have retired that question: choose another"))
    with transaction.atomic():
        breakout = _locked(breakout)
        breakout.current_prompt = prompt
        breakout.save(update_fields=["current_prompt"])
        audit.log(by, "Set the question the group works on", breakout, prompt=prompt_id)
        after_commit(breakout, announcements.NEW_QUESTION if prompt else "")
    return breakout


def set_voting_rules(
    breakout: Breakout,
    *,
    dot_budget: int,
    max_dots_per_idea: int,
    vote_display: str,
    by: Participant | None = None,
) -> Breakout:
    """How many dots each person has, how many may go on one idea, and whether totals show
    while voting. Fixed once voting starts, so nobody's dots are stranded.

    Side effects: the breakout written; "Set the voting rules" logged with the three rules;
    after commit, every screen refreshes.
    """
    low, high = DOT_BUDGET_RANGE
    if not low <= dot_budget <= high:
        said = gettext("Give each person between %(low)d and %(high)d dots")
        raise Refused(said % {"low": low, "high": high})
    if not 1 <= max_dots_per_idea <= dot_budget:
        raise Refused(
            gettext("The dots allowed on one idea must be between 1 and the dots each person has")
        )
    if vote_display not in Breakout.VoteDisplay.values:
        raise Refused(gettext("Choose when vote totals are shown"))
    with transaction.atomic():
        breakout = _locked(breakout)
        voting_started = {Breakout.Phase.VOTE, Breakout.Phase.AGREE, Breakout.Phase.CLOSED}
        if breakout.phase in voting_started:
            raise Refused(gettext("The voting rules are fixed once voting has started"))
        rules = {
            "dot_budget": dot_budget,
            "max_dots_per_idea": max_dots_per_idea,
            "vote_display": vote_display,
        }
        for name, value in rules.items():
            setattr(breakout, name, value)
        breakout.save(update_fields=list(rules))
        audit.log(by, "Set the voting rules", breakout, **rules)
        after_commit(breakout, announcements.voting_rules(dot_budget, max_dots_per_idea))
    return breakout


def set_rank_by(breakout: Breakout, rank_by: str, *, by: Participant | None = None) -> Breakout:
    """Order the voted wall by cross-sector support or by dots, on every screen.

    Side effects: the breakout written; "Changed how voted ideas are ordered" logged with the
    order; after commit, every screen refreshes.
    """
    if rank_by not in Breakout.RankBy.values:
        raise Refused(gettext("Choose how to order the ideas"))
    with transaction.atomic():
        breakout = _locked(breakout)
        breakout.rank_by = rank_by
        breakout.save(update_fields=["rank_by"])
        audit.log(by, "Changed how voted ideas are ordered", breakout, rank_by=rank_by)
        after_commit(breakout, announcements.ORDERED_BY[rank_by])
    return breakout


def _idea_in(breakout: Breakout, idea_id: int, *, lock: bool = True) -> Idea:
    ideas = Idea.objects.select_for_update() if lock else Idea.objects
    idea = ideas.filter(pk=idea_id, breakout=breakout).first()
    if idea is None:
        raise _no_idea(breakout, idea_id)
    return idea


def _no_idea(breakout: Breakout, number: int) -> Refused:
    said = gettext("There is no idea %(number)d in %(name)s")
    return Refused(said % {"number": number, "name": breakout.name})


def _steerable(breakout: Breakout) -> None:
    if breakout.phase == Breakout.Phase.CLOSED:
        raise Refused(gettext("The breakout has closed: reopen it by moving it back a phase first"))


def hide_idea(
    breakout: Breakout, idea_id: int, reason: str, *, by: Participant | None = None
) -> Idea:
    """Take an idea off attendees' screens and the big screen, giving a reason. The record
    keeps it, shown as hidden with the reason.

    Side effects: the idea written (and the spotlight turned off it); "Hid an idea" logged
    with the idea and the reason; after commit, every screen refreshes.
    """
    _steerable(breakout)
    if not reason.strip():
        raise Refused(gettext("Give a reason for hiding the idea: the record shows it"))
    with transaction.atomic():
        idea = _idea_in(breakout, idea_id)
        if idea.status != Idea.Status.VISIBLE:
            raise Refused(gettext("Only an idea on the wall can be hidden"))
        idea.status = Idea.Status.HIDDEN
        idea.hidden_reason = reason.strip()
        idea.save(update_fields=["status", "hidden_reason"])
        Breakout.objects.filter(pk=breakout.pk, spotlight=idea).update(spotlight=None)
        audit.log(by, "Hid an idea", breakout, idea_id=idea_id, reason=idea.hidden_reason)
        after_commit(breakout, announcements.HIDDEN)
    return idea


def restore_idea(breakout: Breakout, idea_id: int, *, by: Participant | None = None) -> Idea:
    """Put a hidden idea back on the wall.

    Side effects: the idea written; "Restored a hidden idea" logged with the idea; after
    commit, every screen refreshes.
    """
    _steerable(breakout)
    with transaction.atomic():
        idea = _idea_in(breakout, idea_id)
        if idea.status != Idea.Status.HIDDEN:
            raise Refused(gettext("Only a hidden idea can be put back"))
        idea.status = Idea.Status.VISIBLE
        idea.hidden_reason = ""
        idea.save(update_fields=["status", "hidden_reason"])
        audit.log(by, "Restored a hidden idea", breakout, idea_id=idea_id)
        after_commit(breakout, announcements.RESTORED)
    return idea


def merge_ideas(
    breakout: Breakout, source_id: int, target_id: int, *, by: Participant | None = None
) -> Idea:
    """Fold a duplicate (``source``) into the idea that stays (``target``).

    The source's comments and outcome links move to the target, and so do its dots: a person
    with dots on both keeps them all on the target, so no dot is lost or counted twice (the
    limit per idea binds only dots placed afterwards). The source stays in the record, marked
    as merged into the target. Both rows are locked in id order, so two facilitators merging
    at once cannot interleave.

    Side effects: both ideas, their dots, comments and outcomes written; "Merged two ideas"
    logged with the source as the idea and the target as "into"; after commit, every screen
    refreshes.
    """
    _steerable(breakout)
    if source_id == target_id:
        raise Refused(gettext("Choose two different ideas to merge"))
    with transaction.atomic():
        locked = {
            idea.pk: idea
            for idea in Idea.objects.select_for_update()
            .filter(pk__in=[source_id, target_id])
            .order_by("pk")
        }
        source, target = locked.get(source_id), locked.get(target_id)
        for number, idea in ((source_id, source), (target_id, target)):
            if idea is None or idea.breakout_id != breakout.pk:
                raise _no_idea(breakout, number)
            if idea.status != Idea.Status.VISIBLE:
                said = gettext("Idea %(number)d is not on the wall, so cannot be merged")
                raise Refused(said % {"number": number})
        for vote in Vote.objects.select_for_update().filter(idea=source):
            kept = Vote.objects.select_for_update().filter(idea=target, voter=vote.voter_id).first()
            if kept is None:
                vote.idea = target
                vote.save(update_fields=["idea"])
            else:
                kept.dots += vote.dots
                kept.save(update_fields=["dots"])
                vote.delete()
        source_cluster = source.cluster_id
        source.comments.update(idea=target)
        for outcome in source.outcomes.all():
            outcome.ideas.add(target)
            outcome.ideas.remove(source)
        source.status = Idea.Status.MERGED
        source.merged_into = target
        source.cluster = None
        source.save(update_fields=["status", "merged_into", "cluster"])
        if target.cluster_id is None and source_cluster:
            target.cluster_id = source_cluster
            target.save(update_fields=["cluster"])
        Breakout.objects.filter(pk=breakout.pk, spotlight_id=source.pk).update(spotlight=target)
        audit.log(by, "Merged two ideas", breakout, idea_id=source_id, into=target_id)
        after_commit(breakout, announcements.merged(target.text))
    return target


def new_cluster(breakout: Breakout, name: str) -> Cluster:
    """A cluster made in the caller's transaction, as every way of adding one makes it:
    refused once the breakout has closed, or for a name it has already (in any case)."""
    _steerable(breakout)
    _name_free(breakout, name)
    return Cluster.objects.create(breakout=breakout, name=name)


def _name_free(breakout: Breakout, name: str, cluster: Cluster | None = None) -> None:
    taken = Cluster.objects.filter(breakout=breakout, name__iexact=name)
    if (taken.exclude(pk=cluster.pk) if cluster else taken).exists():
        raise Refused(gettext("There is already a cluster called “%(name)s”") % {"name": name})


def add_cluster(breakout: Breakout, name: str, *, by: Participant | None = None) -> Cluster:
    """Side effects: the cluster made; "Added a cluster" logged with its name; after commit,
    every screen refreshes."""
    with transaction.atomic():
        cluster = new_cluster(breakout, name)
        audit.log(by, "Added a cluster", breakout, name=name)
        after_commit(breakout, announcements.new_cluster(name))
    return cluster


def rename_cluster(
    breakout: Breakout, cluster_id: int, name: str, *, by: Participant | None = None
) -> Cluster:
    """Side effects: the cluster written; "Renamed a cluster" logged with the cluster and its
    new name; after commit, every screen refreshes."""
    _steerable(breakout)
    with transaction.atomic():
        cluster = Cluster.objects.filter(pk=cluster_id, breakout=breakout).first()
        if cluster is None:
            raise Refused(gettext("That cluster is not in this breakout"))
        _name_free(breakout, name, cluster)
        cluster.name = name
        cluster.save(update_fields=["name"])
        audit.log(by, "Renamed a cluster", breakout, cluster_id=cluster_id, name=name)
        after_commit(breakout, announcements.cluster_renamed(name))
    return cluster


def remove_cluster(breakout: Breakout, cluster_id: int, *, by: Participant | None = None) -> None:
    """Its ideas stay, in no cluster.

    Side effects: the cluster deleted; "Removed a cluster" logged with the cluster; after
    commit, every screen refreshes.
    """
    _steerable(breakout)
    with transaction.atomic():
        deleted, _ = Cluster.objects.filter(pk=cluster_id, breakout=breakout).delete()
        if not deleted:
            raise Refused(gettext("That cluster is not in this breakout"))
        audit.log(by, "Removed a cluster", breakout, cluster_id=cluster_id)
        after_commit(breakout, announcements.CLUSTER_REMOVED)


def cluster_idea(
    breakout: Breakout, idea_id: int, cluster_id: int | None, *, by: Participant | None = None
) -> Idea:
    """Put an idea in a cluster, or in none.

    Side effects: the idea written; "Put an idea in a cluster" logged with the idea and the
    cluster; after commit, every screen refreshes.
    """
    _steerable(breakout)
    with transaction.atomic():
        idea = _idea_in(breakout, idea_id)
        known = Cluster.objects.filter(pk=cluster_id, breakout=breakout)
        if cluster_id is not None and not known.exists():
            raise Refused(gettext("That cluster is not in this breakout"))
        idea.cluster_id = cluster_id
        idea.save(update_fields=["cluster"])
        audit.log(by, "Put an idea in a cluster", breakout, idea_id=idea_id, cluster=cluster_id)
        after_commit(breakout, "")
    return idea


def spotlight(
    breakout: Breakout, idea_id: int | None, *, by: Participant | None = None
) -> Breakout:
    """Show one idea large on the big screen, or stop.

    Side effects: the breakout written; "Changed the spotlight" logged with the idea; after
    commit, every screen refreshes.
    """
    with transaction.atomic():
        locked = _locked(breakout)
        if idea_id is not None:
            idea = _idea_in(locked, idea_id, lock=False)
            if idea.status != Idea.Status.VISIBLE:
                raise Refused(gettext("Only an idea on the wall can be in the spotlight"))
        locked.spotlight_id = idea_id
        locked.save(update_fields=["spotlight"])
        audit.log(by, "Changed the spotlight", locked, idea=idea_id)
        after_commit(locked, announcements.SPOTLIGHT_ON if idea_id else announcements.SPOTLIGHT_OFF)
    return locked


def new_screen_link(breakout: Breakout, *, by: Participant | None = None) -> Breakout:
    """Replace the big screen's link.

    Side effects: the breakout written; "Made a new big-screen link" logged; after commit,
    screens open on the old link close (and are refused if they reconnect).
    """
    with transaction.atomic():
        locked = _locked(breakout)
        old = locked.screen_key
        locked.screen_key = new_screen_key()
        locked.save(update_fields=["screen_key"])
        audit.log(by, "Made a new big-screen link", locked)
        transaction.on_commit(partial(close_group, screen_key_group(old)), robust=True)
    return locked

"""What a breakout's screens hear when its board changes (``live.board_changed``), as the
screen reader's live region reads it out. Each is kept lazy, put together only when the
push is drawn, so that every screen hears it in its own language."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from breakouts import live
from breakouts.models import Breakout


def after_commit(breakout: Breakout, announcement: Promise | str) -> None:
    """Once the transaction commits, every screen of ``breakout`` fetches its board again and
    hears ``announcement`` (nothing, when it is empty)."""
    transaction.on_commit(partial(live.board_changed, breakout, announcement), robust=True)


# What each screen hears when the wall's order changes, by the order chosen.
ORDERED_BY = {
    Breakout.RankBy.SUPPORT: gettext_lazy("Ideas are ordered by cross-sector support"),
    Breakout.RankBy.DOTS: gettext_lazy("Ideas are ordered by dots"),
}


def moved(phase: str, minutes: int | None) -> Promise:
    """The group moved to ``phase``, with its timer if any."""
    label = Breakout.Phase(phase).label
    if not minutes:
        return format_lazy(gettext_lazy("The group moved to: {phase}"), phase=label)
    said = ngettext_lazy(
        "The group moved to: {phase}, {minutes} minute on the clock",
        "The group moved to: {phase}, {minutes} minutes on the clock",
        minutes,
    )
    return format_lazy(said, phase=label, minutes=minutes)


def timer(minutes: int | None) -> Promise:
    """The timer set to ``minutes``, or stopped."""
    if not minutes:
        return gettext_lazy("Timer stopped")
    said = ngettext_lazy("Timer set: {minutes} minute", "Timer set: {minutes} minutes", minutes)
    return format_lazy(said, minutes=minutes)


def voting_rules(dots: int, most: int) -> Promise:
    said = ngettext_lazy(
        "Each person has {dots} dot, at most {most} on one idea",
        "Each person has {dots} dots, at most {most} on one idea",
        dots,
    )
    return format_lazy(said, dots=dots, most=most)


def merged(text: str) -> Promise:
    """Two ideas merged into the one of ``text``."""
    return format_lazy(gettext_lazy("Two ideas were merged into one: {idea}"), idea=text[:80])


def new_cluster(name: str) -> Promise:
    return format_lazy(gettext_lazy("New cluster: {name}"), name=name)


def cluster_renamed(name: str) -> Promise:
    return format_lazy(gettext_lazy("Cluster renamed: {name}"), name=name)


def outcome_drafted(proposal: str) -> Promise:
    return format_lazy(gettext_lazy("Outcome drafted: {proposal}"), proposal=proposal[:80])


NEW_QUESTION = gettext_lazy("The group is working on a new question")
HIDDEN = gettext_lazy("An idea was hidden by the facilitator")
RESTORED = gettext_lazy("A hidden idea is back on the wall")
CLUSTER_REMOVED = gettext_lazy("A cluster was removed; its ideas are still on the wall")
SPOTLIGHT_ON = gettext_lazy("An idea is in the spotlight")
SPOTLIGHT_OFF = gettext_lazy("Spotlight off")
OUTCOME_WITHDRAWN = gettext_lazy("An outcome was withdrawn")
GROUPS_MIXED = gettext_lazy("Groups have been mixed again")
FIRST_THOUGHTS_PLACED = gettext_lazy("First thoughts written before the day are on the wall")

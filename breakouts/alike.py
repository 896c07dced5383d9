"""Ideas alike in meaning, in a breakout: what the engine (``summit.engine``) offers people, and
what a facilitator does with it. Sits with the services.

- While an attendee types an idea, up to three ideas on the wall like it (``similar_ideas``),
  so that they may build on one instead of saying it again.
- On the console, the pairs of ideas most likely to say one thing (``possible_duplicates``), to
  merge, the newer into the older (``merge_duplicate``), or to dismiss for good
  (``dismiss_duplicate``).
- In the cluster phase, the clusters the engine proposes for the ideas in none
  (``suggested_clusters``), to accept as an ordinary cluster (``accept_suggested_cluster``) or
  to discard for good (``discard_suggestion``); offered only by an engine whose groups reached
  the quality needed on the labelled set.

Each read asks the database a fixed number of queries however many ideas, and runs the engine
in the caller's thread: a view's worker thread, never the event loop. Each service writes in a
transaction of its own, logs the facilitator's action, and pushes after commit; sent again once
done, it changes nothing more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Participant
from breakouts import announcements, audit, live, steering
from breakouts.models import (
    CLUSTER_NAME_MAX_LENGTH,
    IDEA_MAX_LENGTH,
    Breakout,
    Cluster,
    DiscardedSuggestion,
    DismissedDuplicate,
    Idea,
)
from summit.engine import get_engine
from summit.event.refusals import Refused

SIMILAR_SHOWN = 3
# Fewer words than this say too little to be like anything.
SIMILAR_MIN_WORDS = 3
DUPLICATES_SHOWN = 10
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WallIdea:
    """An idea on the wall, as these panels show it."""

    pk: int
    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SimilarIdea:
    idea: WallIdea
    similarity: float


@dataclass(frozen=True)
class DuplicatePair:
    """Two ideas that may say one thing: merged, the newer goes into the older."""

    older: WallIdea
    newer: WallIdea
    similarity: float

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.similarity * 100)))


@dataclass(frozen=True)
class Duplicates:
    engine_name: str
    closed: bool
    pairs: list[DuplicatePair]


@dataclass
class Proposal:
    """A suggested cluster: its name and ideas as proposed, and which of them are ticked (all,
    until a refused acceptance sends back the facilitator's own choice with its ``error``)."""

    key: str
    name: str
    ideas: list[WallIdea]
    ticked: set[int] = field(default_factory=set)
    error: str = ""

    @property
    def slug(self) -> str:
        """The proposal's part of its elements' ids: short, and the same at every redraw."""
        return self.key[:16]


@dataclass(frozen=True)
class Suggestions:
    engine_name: str
    # Only in the cluster phase are clusters suggested at all.
    in_phase: bool
    offered: bool
    proposals: list[Proposal]


def _read(ideas) -> list[WallIdea]:
    """The ideas, oldest first. One query."""
    rows = ideas.order_by("created_at", "pk").values_list("pk", "text", "created_at")
    return [WallIdea(*row) for row in rows]


def _wall(breakout: Breakout, **where) -> list[WallIdea]:
    """The ideas on the wall, oldest first. One query."""
    return _read(Idea.objects.filter(breakout=breakout, status=Idea.Status.VISIBLE, **where))


def worth_looking_up(text: str) -> bool:
    """Whether a text says enough to be like another idea."""
    return len(WORD.findall(text)) >= SIMILAR_MIN_WORDS


def similar_ideas(breakout: Breakout, text: str) -> list[SimilarIdea]:
    """Up to ``SIMILAR_SHOWN`` ideas on the wall most like ``text``, best first; none for a
    text of fewer than ``SIMILAR_MIN_WORDS`` words. One query."""
    text = text.strip()[:IDEA_MAX_LENGTH]
    if not worth_looking_up(text):
        return []
    ideas = {idea.pk: idea for idea in _wall(breakout)}
    found = get_engine().similar(
        text, [(pk, idea.text) for pk, idea in ideas.items()], SIMILAR_SHOWN
    )
    return [SimilarIdea(ideas[pk], score) for pk, score in found]


def _in_order(one: int, other: int) -> tuple[int, int]:
    return (one, other) if one < other else (other, one)


def possible_duplicates(breakout: Breakout) -> Duplicates:
    """The pairs of ideas on the wall most likely to say one thing, best first, but for those
    a facilitator has dismissed; none once the breakout has closed (nothing can be merged).
    Two queries."""
    engine = get_engine()
    if breakout.phase == Breakout.Phase.CLOSED:
        return Duplicates(engine.name, closed=True, pairs=[])
    ideas = {idea.pk: idea for idea in _wall(breakout)}
    dismissed = set(
        DismissedDuplicate.objects.filter(breakout=breakout).values_list(
            "first_idea_id", "second_idea_id"
        )
    )
    wall = [(pk, idea.text) for pk, idea in ideas.items()]
    pairs = []
    for one, other, score in engine.duplicates(wall, DUPLICATES_SHOWN + len(dismissed)):
        if _in_order(one, other) in dismissed:
            continue
        older, newer = sorted((ideas[one], ideas[other]), key=lambda i: (i.created_at, i.pk))
        pairs.append(DuplicatePair(older, newer, score))
    return Duplicates(engine.name, closed=False, pairs=pairs[:DUPLICATES_SHOWN])


def suggestion_key(idea_ids: Iterable[int]) -> str:
    """What a suggested cluster is known by: its ideas, whatever the engine named it. The same
    ideas proposed together again are the same suggestion; with one more or one fewer, it is
    another."""
    ids = ",".join(str(pk) for pk in sorted(set(idea_ids)))
    return hashlib.sha256(ids.encode()).hexdigest()


def suggested_clusters(breakout: Breakout) -> Suggestions:
    """In the cluster phase, the clusters the engine proposes for the ideas on the wall in no
    cluster, of two ideas or more, but for those a facilitator has discarded; none from an
    engine whose groups are not good enough to offer. Two queries."""
    engine = get_engine()
    if breakout.phase != Breakout.Phase.CLUSTER:
        return Suggestions(engine.name, in_phase=False, offered=False, proposals=[])
    if not engine.offers_suggested_groups():
        return Suggestions(engine.name, in_phase=True, offered=False, proposals=[])
    ideas = {idea.pk: idea for idea in _wall(breakout, cluster__isnull=True)}
    discarded = set(
        DiscardedSuggestion.objects.filter(breakout=breakout).values_list("key", flat=True)
    )
    proposals = []
    for group in engine.suggest_groups([(pk, idea.text) for pk, idea in ideas.items()]):
        members = sorted(
            (ideas[key] for key in set(group.keys) if key in ideas),
            key=lambda i: (i.created_at, i.pk),
        )
        key = suggestion_key(idea.pk for idea in members)
        if len(members) < 2 or key in discarded:
            continue
        name = group.label.strip()[:CLUSTER_NAME_MAX_LENGTH]
        proposals.append(Proposal(key, name, members, ticked={i.pk for i in members}))
    return Suggestions(engine.name, in_phase=True, offered=True, proposals=proposals)


def refused_proposal(
    breakout: Breakout, proposed: list[int], ticked: list[int], name: str, error: str
) -> Proposal:
    """A suggested cluster sent back refused: the ideas it proposed (those in this breakout,
    on the wall or not now), with the name and ticks as the facilitator sent them, and why.
    One query."""
    ideas = _read(Idea.objects.filter(breakout=breakout, pk__in=proposed)) if proposed else []
    return Proposal(suggestion_key(proposed), name, ideas, set(ticked), error)


# Services


def _both_in(breakout: Breakout, one: int, other: int) -> list[tuple[int, str, int | None]]:
    """The two ideas, oldest first, as ``(pk, status, merged_into)``; refused unless both are
    ideas of this breakout, and two of them."""
    if one == other:
        raise Refused(gettext("Choose two different ideas"))
    rows = list(
        Idea.objects.filter(pk__in=[one, other], breakout=breakout)
        .order_by("created_at", "pk")
        .values_list("pk", "status", "merged_into")
    )
    if len(rows) != 2:
        raise Refused(gettext("Those ideas are not both in %(name)s") % {"name": breakout.name})
    return rows


def merge_duplicate(
    breakout: Breakout, one_id: int, other_id: int, *, by: Participant | None = None
) -> Idea:
    """Merge a possible duplicate: the newer of the two ideas into the older, which stays on
    the wall with the newer's comments, dots and outcomes (``steering.merge_ideas``, in its
    own transaction). Sent again once done, it changes nothing and returns the older.

    Side effects: those of ``merge_ideas``: both ideas and what hangs on them written; "Merged
    two ideas" logged, the newer as the idea and the older as "into"; after commit, every
    screen refreshes (so the consoles fetch their possible duplicates again).
    """
    (older, _, _), (newer, status, merged_into) = _both_in(breakout, one_id, other_id)
    if status == Idea.Status.MERGED and merged_into == older:
        return Idea.objects.get(pk=older)
    return steering.merge_ideas(breakout, newer, older, by=by)


def dismiss_duplicate(
    breakout: Breakout, one_id: int, other_id: int, *, by: Participant | None = None
) -> DismissedDuplicate:
    """Say that two ideas are not duplicates: they are never offered as a pair again. Sent
    again, it changes nothing.

    Side effects: the pair written, the lower id first; "Dismissed a possible duplicate" logged
    with the two ideas; after commit, the breakout's consoles fetch their possible duplicates
    again.
    """
    first, second = _in_order(one_id, other_id)
    with transaction.atomic():
        _both_in(breakout, first, second)
        dismissed, made = DismissedDuplicate.objects.get_or_create(
            breakout=breakout,
            first_idea_id=first,
            second_idea_id=second,
            defaults={"dismissed_by": by},
        )
        if made:
            audit.log(by, "Dismissed a possible duplicate", breakout, ideas=[first, second])
            transaction.on_commit(partial(live.alike_changed, breakout), robust=True)
    return dismissed


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Refused(gettext("Enter a name for the cluster"))
    if len(name) > CLUSTER_NAME_MAX_LENGTH:
        said = gettext("The cluster name must be %(limit)d characters or fewer")
        raise Refused(said % {"limit": CLUSTER_NAME_MAX_LENGTH})
    return name


def _accepted_already(breakout: Breakout, name: str, ideas: list[Idea]) -> Cluster | None:
    """The cluster of that name holding every one of the ideas: the acceptance, sent again."""
    cluster = Cluster.objects.filter(breakout=breakout, name__iexact=name).first()
    if cluster is not None and all(idea.cluster_id == cluster.pk for idea in ideas):
        return cluster
    return None


def accept_suggested_cluster(
    breakout: Breakout, name: str, idea_ids: Iterable[int], *, by: Participant | None = None
) -> Cluster:
    """Make a suggested cluster an ordinary one, named ``name``, with the ideas ticked:
    refused unless each is on this breakout's wall and in no cluster, or for a name the
    breakout has already. Sent again once done, it changes nothing and returns the cluster.

    Side effects: the cluster made (as ``steering.new_cluster`` makes every cluster) and the
    ideas put in it; "Accepted a suggested cluster" logged with its name and ideas; after
    commit, every screen refreshes.
    """
    name = _checked_name(name)
    ids = sorted(set(idea_ids))
    if not ids:
        raise Refused(gettext("Tick at least one idea to put in the cluster"))
    with transaction.atomic():
        ideas = list(
            Idea.objects.select_for_update().filter(pk__in=ids, breakout=breakout).order_by("pk")
        )
        if len(ideas) != len(ids):
            raise Refused(
                gettext("Some of those ideas are not in %(name)s") % {"name": breakout.name}
            )
        done = _accepted_already(breakout, name, ideas)
        if done is not None:
            return done
        for idea in ideas:
            if idea.status != Idea.Status.VISIBLE:
                said = gettext("Idea #%(number)d is no longer on the wall: untick it")
                raise Refused(said % {"number": idea.pk})
            if idea.cluster_id is not None:
                said = gettext("Idea #%(number)d is in a cluster already: untick it")
                raise Refused(said % {"number": idea.pk})
        cluster = steering.new_cluster(breakout, name)
        Idea.objects.filter(pk__in=ids).update(cluster=cluster)
        audit.log(by, "Accepted a suggested cluster", breakout, name=name, ideas=ids)
        announcements.after_commit(breakout, announcements.new_cluster(name))
    return cluster


def discard_suggestion(
    breakout: Breakout, idea_ids: Iterable[int], *, by: Participant | None = None
) -> DiscardedSuggestion:
    """Discard a suggested cluster, the ideas it proposed together: not offered again. Sent
    again, it changes nothing.

    Side effects: the suggestion's key written; "Discarded a suggested cluster" logged with its
    ideas; after commit, the breakout's consoles fetch their suggested clusters again.
    """
    ids = sorted(set(idea_ids))
    if len(ids) < 2:
        raise Refused(gettext("A suggested cluster has two ideas or more"))
    with transaction.atomic():
        if Idea.objects.filter(pk__in=ids, breakout=breakout).count() != len(ids):
            raise Refused(
                gettext("Some of those ideas are not in %(name)s") % {"name": breakout.name}
            )
        discarded, made = DiscardedSuggestion.objects.get_or_create(
            breakout=breakout, key=suggestion_key(ids), defaults={"discarded_by": by}
        )
        if made:
            audit.log(by, "Discarded a suggested cluster", breakout, ideas=ids)
            transaction.on_commit(partial(live.alike_changed, breakout), robust=True)
    return discarded

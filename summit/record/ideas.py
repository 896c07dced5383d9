"""The ideas of the record's breakouts: each idea with its dots, voters and cross-sector
support, the comments that built on it, the clusters they were put in, and the questions the
groups answered. A fixed number of queries, however many ideas there are.

Every person is named through the models' ``attribution`` properties, so whoever chose
anonymity is "Anonymous (sector)" wherever the record mentions them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from accounts.models import give_sector_names
from breakouts.models import Cluster, Comment, Idea
from summit.record.breakout_contents import (
    NO_SUPPORT,
    ClusterEntry,
    CommentEntry,
    IdeaEntry,
    IdeaSupport,
)
from summit.record.support import load_support, on_the_wall


def person_fields(related: str) -> list[str]:
    """For ``only()``: the whole of a related person, whatever their ``attribution`` reads,
    while the rows of a long table load only the fields the record shows."""
    return [related]


IDEA_FIELDS = (
    "breakout",
    "prompt",
    "cluster",
    "merged_into",
    "text",
    "anonymous",
    "spoken_sector",
    "status",
    "hidden_reason",
    "created_at",
    "edited_at",
    *person_fields("author"),
)


def with_totals(ideas):
    """Ideas with their dots, and how many people placed them."""
    return ideas.annotate(
        dot_total=Sum("votes__dots", default=0), voter_count=Count("votes", distinct=True)
    )


def contributor_sector(idea: Idea) -> str:
    """The sector an idea came from: the speaker's, for one typed in for a voice in the room;
    named as the summit names it (the author's ``sector_names``)."""
    return idea.author.sector_names.get(idea.spoken_sector or idea.author.sector, "")


def _idea_entry(
    idea: Idea, prompts: dict[int, int], clusters: dict[int, str], support: dict[int, IdeaSupport]
) -> IdeaEntry:
    return IdeaEntry(
        id=idea.pk,
        breakout=idea.breakout_id,
        text=idea.text,
        by=idea.attribution,
        sector=contributor_sector(idea),
        prompt=prompts.get(idea.prompt_id),
        status=idea.status,
        status_label=idea.get_status_display(),
        hidden_reason=idea.hidden_reason,
        merged_into=idea.merged_into_id,
        cluster=clusters.get(idea.cluster_id, ""),
        dots=idea.dot_total,
        voters=idea.voter_count,
        created_at=idea.created_at,
        edited_at=idea.edited_at,
        support=support.get(idea.pk, NO_SUPPORT),
    )


@dataclass
class Walls:
    """What the record's breakouts put on their walls."""

    ideas: dict[int, list[IdeaEntry]]  # by breakout, by number; none on the wall unless loaded
    clusters: dict[int, list[ClusterEntry]]  # by breakout
    answered: dict[int, set[int]]  # by breakout: the numbers of the questions its ideas answer
    support: dict[int, IdeaSupport]  # by idea
    wall: dict[int, list[int]]  # by breakout: the numbers of the ideas on its wall


def _clusters(breakout_ids: list[int]) -> tuple[dict[int, list[ClusterEntry]], dict[int, str]]:
    """Each breakout's clusters with the ideas in them (withdrawn ones left out). Two queries."""
    clusters = list(Cluster.objects.filter(breakout_id__in=breakout_ids))
    names = {c.pk: c.name for c in clusters}
    ideas: dict[int, list[int]] = defaultdict(list)
    for cluster_id, idea_id in (
        Idea.objects.filter(cluster_id__in=names)
        .exclude(status=Idea.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("cluster_id", "pk")
    ):
        ideas[cluster_id].append(idea_id)
    by_breakout: dict[int, list[ClusterEntry]] = defaultdict(list)
    for c in clusters:
        by_breakout[c.breakout_id].append(ClusterEntry(c.pk, c.name, ideas.get(c.pk, [])))
    return by_breakout, names


def _answered(breakout_ids: list[int], prompt_number: dict[int, int]) -> dict[int, set[int]]:
    answered: dict[int, set[int]] = defaultdict(set)
    for breakout_id, prompt_id in (
        Idea.objects.filter(breakout_id__in=breakout_ids, prompt__isnull=False)
        .order_by()
        .values_list("breakout_id", "prompt_id")
        .distinct()
    ):
        answered[breakout_id].add(prompt_number[prompt_id])
    return answered


def _add_comments(breakout_ids: list[int], ideas: list[IdeaEntry], names: dict[str, str]) -> None:
    """Each comment, oldest first, under the idea it built on. One query."""
    by_id = {i.id: i for i in ideas}
    for c in (
        Comment.objects.filter(idea__breakout_id__in=breakout_ids)
        .select_related("author")
        .only("idea", "text", "anonymous", "created_at", *person_fields("author"))
        .order_by("created_at", "pk")
    ):
        give_sector_names([c.author], names)
        by_id[c.idea_id].comments.append(
            CommentEntry(
                c.pk, c.idea_id, c.attribution, c.author.sector_label, c.text, c.created_at
            )
        )


def load_walls(
    breakout_ids: list[int],
    prompt_number: dict[int, int],
    names: dict[str, str],
    *,
    contributions: bool,
) -> Walls:
    """The breakouts' ideas, clusters and support, sectors named as in ``names`` (the
    summit's). With ``contributions=False`` the ideas on the wall and every comment are left
    out (the formats that stream them from ``rows`` read them there), but the numbers of the
    ideas on each wall stay."""
    clusters, cluster_names = _clusters(breakout_ids)
    answered = _answered(breakout_ids, prompt_number)
    ideas = (
        Idea.objects.filter(breakout_id__in=breakout_ids)
        .select_related("author")
        .only(*IDEA_FIELDS)
    )
    if not contributions:
        ideas = ideas.exclude(status=Idea.Status.VISIBLE)
    support = load_support(breakout_ids, names)
    ideas = list(with_totals(ideas).order_by("pk"))
    give_sector_names((i.author for i in ideas), names)
    entries = [_idea_entry(i, prompt_number, cluster_names, support) for i in ideas]
    wall = on_the_wall(breakout_ids, entries if contributions else None)
    if contributions:
        _add_comments(breakout_ids, entries, names)
    by_breakout: dict[int, list[IdeaEntry]] = defaultdict(list)
    for entry in entries:
        by_breakout[entry.breakout].append(entry)
    return Walls(by_breakout, clusters, answered, support, wall)

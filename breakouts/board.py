"""What a breakout's screens show, loaded in a fixed number of queries however many ideas."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import Participant, give_sector_names
from breakouts.models import (
    COMMENT_MAX_LENGTH,
    Breakout,
    Cluster,
    Comment,
    Idea,
    Outcome,
    Rating,
    Vote,
)
from summit.event.agreement import Agreement, decide
from summit.event.measures import (
    SectorCell,
    cross_sector_support,
    people_by_sector,
    support_order,
)
from summit.event.sectors import names_for

MEMBERS = "members"
FACILITATORS = "facilitators"
SCREEN = "screen"
AUDIENCES = (MEMBERS, FACILITATORS, SCREEN)


def breakout_group(breakout_id: int, audience: str) -> str:
    return f"breakout-{breakout_id}-{audience}"


def subtheme_work_group(subtheme_id: int) -> str:
    """The screens that follow the work of every breakout on a subtheme (its clusters,
    outcomes and ideas), as the themes across rooms do, without being a breakout's own."""
    return f"subtheme-{subtheme_id}-work"


def screen_key_group(key: str) -> str:
    """The big screens open on one link, closed together when the link is replaced."""
    return f"screen-{key}"


def _before_idea(name: str, breakout_id: int) -> str:
    """The part of an idea action's path that comes before the idea's id."""
    head, slot, _ = reverse(name, args=[breakout_id, 0]).rpartition("/0/")
    if not slot:
        raise ValueError(f"{name}'s path does not end in an idea's id and an action")
    return head + "/"


@dataclass(frozen=True)
class BoardPaths:
    """Where a board's forms post. An idea's actions are this board's path for them, the
    idea's id and the action (``ideas`` + "12/dots/"): reversing them once per board rather
    than once per card keeps a wall of a thousand ideas quick to draw."""

    ideas: str
    console_ideas: str
    spotlight: str


def statuses_for(audience: str) -> tuple[str, ...]:
    """The ideas an audience's wall shows: facilitators also see hidden ones."""
    if audience == FACILITATORS:
        return (Idea.Status.VISIBLE, Idea.Status.HIDDEN)
    return (Idea.Status.VISIBLE,)


def wall_counts(breakout: Breakout) -> dict[str, int]:
    """How many ideas each audience's wall shows, as its heading counts them. One query."""
    by_status = dict(
        Idea.objects.filter(breakout_id=breakout.pk)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {
        audience: sum(by_status.get(status, 0) for status in statuses_for(audience))
        for audience in AUDIENCES
    }


def ideas_for(breakout: Breakout, audience: str):
    """The ideas an audience sees: facilitators also see hidden ones, marked as hidden; each
    with its comments as ``card_comments``, but for the big screen, which shows none.

    An idea's card lists ``card_comments`` alone, set by whoever reads the idea for a card:
    the board here, a new idea (none yet) and a changed idea's push. Read once for all the
    audiences a card is drawn for, rather than once per audience."""
    ideas = (
        Idea.objects.filter(breakout=breakout, status__in=statuses_for(audience))
        .select_related("author")
        .annotate(
            dot_total=Sum("votes__dots", default=0),
            voter_count=Count("votes", distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    if audience == SCREEN:
        # The big screen shows no comments.
        return ideas
    return ideas.prefetch_related(
        Prefetch(
            "comments",
            queryset=Comment.objects.select_related("author").order_by("created_at", "id"),
            to_attr="card_comments",
        )
    )


@dataclass
class Board:
    """Everything one screen of a breakout shows, for one audience and (optionally) one person."""

    breakout: Breakout
    audience: str
    ideas: list[Idea]
    clusters: list  # of Cluster; on a pushed card, of live.ClusterChoice (id and name)
    outcomes: list[Outcome]
    viewer: Participant | None = None
    my_dots: dict[int, int] = field(default_factory=dict)
    my_ratings: dict[int, int] = field(default_factory=dict)
    # How many ideas the wall shows, where ``ideas`` are not all loaded (a pushed card).
    idea_count: int | None = None

    comment_max_length = COMMENT_MAX_LENGTH

    @property
    def wall_count(self) -> int:
        return len(self.ideas) if self.idea_count is None else self.idea_count

    @cached_property
    def comment_hint(self) -> str:
        """The limit beside every comment box, worded once for the whole board."""
        return gettext("(up to %(limit)d characters)") % {"limit": COMMENT_MAX_LENGTH}

    @property
    def console(self) -> bool:
        return self.audience == FACILITATORS

    @cached_property
    def paths(self) -> BoardPaths:
        pk = self.breakout.pk
        return BoardPaths(
            ideas=_before_idea("breakouts:dots", pk),
            console_ideas=_before_idea("breakouts:cluster_idea", pk),
            spotlight=reverse("breakouts:spotlight", args=[pk]),
        )

    @property
    def show_votes(self) -> bool:
        return self.console or self.breakout.votes_visible

    @property
    def dots_left(self) -> int:
        return self.breakout.dot_budget - sum(self.my_dots.values())

    rating_levels = Agreement.choices

    @property
    def mine(self) -> list[Idea]:
        """The viewer's own ideas, which they may change while ideas are gathered."""
        if self.viewer is None:
            return []
        return [
            i
            for i in self.ideas
            if i.author_id == self.viewer.pk and i.added_by_id is None and i.status == "visible"
        ]

    @property
    def wall(self) -> list[Idea]:
        return self.ranked if self.ranking else self.ideas

    @property
    def grouped(self) -> list[tuple[Cluster | None, list[Idea]]]:
        """Ideas by cluster, in cluster order, then those in none; empty clusters kept for the
        console so a facilitator can fill them."""
        by_cluster: dict[int | None, list[Idea]] = {}
        for idea in self.wall:
            by_cluster.setdefault(idea.cluster_id, []).append(idea)
        groups = [
            (cluster, by_cluster.get(cluster.pk, []))
            for cluster in self.clusters
            if self.console or by_cluster.get(cluster.pk)
        ]
        if by_cluster.get(None):
            groups.append((None, by_cluster[None]))
        return groups

    @property
    def ranking(self) -> bool:
        return self.show_votes and self.breakout.phase in {
            Breakout.Phase.AGREE,
            Breakout.Phase.CLOSED,
        }

    @property
    def ranked(self) -> list[Idea]:
        if self.breakout.rank_by == Breakout.RankBy.SUPPORT:
            return sorted(
                self.ideas, key=lambda i: support_order(i.support_score, i.voter_count, i.pk)
            )
        return sorted(self.ideas, key=lambda i: (-i.dot_total, -i.voter_count, i.pk))

    @property
    def use_clusters(self) -> bool:
        return bool(self.clusters) and self.breakout.phase != Breakout.Phase.GATHER

    @property
    def show_ratings(self) -> bool:
        return self.console or self.breakout.phase == Breakout.Phase.CLOSED


def named_supporters(
    supporters_by_sector: dict[str, int], names: dict[str, str]
) -> list[SectorCell]:
    """Supporters by sector as every screen and the record list them: the sector's name in
    ``names`` (the summit's) and how many, most first, then by name; sectors with fewer than
    ``SMALLEST_CELL`` supporters only together, last (``summit.event.measures``)."""
    named = ((names.get(s, s), n) for s, n in supporters_by_sector.items() if n)
    return people_by_sector(sorted(named, key=lambda pair: (-pair[1], pair[0])))


def attach_support(idea: Idea, supporters_by_sector: dict[str, int], names: dict[str, str]) -> None:
    """Set the idea's cross-sector support score, how many sectors support it, and its
    supporters by sector, as shown."""
    idea.support_score = cross_sector_support(supporters_by_sector)
    idea.supporting_sectors = sum(1 for n in supporters_by_sector.values() if n)
    idea.support_sectors = named_supporters(supporters_by_sector, names)
    # Beside the idea, only the sectors named: "from 3 sectors" already counts the rest, and
    # a cell of fewer than five said again on every card would tell nobody anything.
    idea.support_named = [cell for cell in idea.support_sectors if not cell.withheld]


def _attach_support(breakout: Breakout, ideas: list[Idea], names: dict[str, str]) -> None:
    """Each idea's supporters (anyone with a dot on it) by sector. One query."""
    by_idea: dict[int, dict[str, int]] = {}
    rows = (
        Vote.objects.filter(idea__breakout=breakout)
        .values_list("idea_id", "voter__sector")
        .annotate(n=Count("voter_id", distinct=True))
    )
    for idea_id, sector, n in rows:
        by_idea.setdefault(idea_id, {})[sector] = n
    for idea in ideas:
        attach_support(idea, by_idea.get(idea.pk, {}), names)


def load_board(breakout: Breakout, audience: str, viewer: Participant | None = None) -> Board:
    ideas = list(ideas_for(breakout, audience))
    clusters = list(Cluster.objects.filter(breakout=breakout))
    outcomes = list(
        Outcome.objects.filter(breakout=breakout)
        .annotate(
            **{
                f"level_{level}": Count("ratings", filter=Q(ratings__level=level))
                for level in Agreement.values
            }
        )
        .prefetch_related(Prefetch("ideas", queryset=Idea.objects.order_by("pk")))
    )
    board = Board(breakout, audience, ideas, clusters, outcomes, viewer)
    if viewer is not None:
        board.my_dots = dict(
            Vote.objects.filter(voter=viewer, idea__breakout=breakout).values_list(
                "idea_id", "dots"
            )
        )
        board.my_ratings = dict(
            Rating.objects.filter(rater=viewer, outcome__breakout=breakout).values_list(
                "outcome_id", "level"
            )
        )
    # Read once and handed to every author on the board, so naming a thousand anonymous
    # ideas' sectors asks nothing more.
    names = names_for(breakout)
    _attach_support(breakout, ideas, names)
    for idea in ideas:
        idea.my_dots = board.my_dots.get(idea.pk, 0)
        give_sector_names([idea.author], names)
        give_sector_names((c.author for c in getattr(idea, "card_comments", ())), names)
    for outcome in outcomes:
        outcome.my_level = board.my_ratings.get(outcome.pk)
        outcome.levels = [
            (level, label, getattr(outcome, f"level_{level}")) for level, label in Agreement.choices
        ]
        outcome.rated = sum(count for _, _, count in outcome.levels)
        outcome.decision = decide(
            {level: count for level, _, count in outcome.levels}, breakout.summit.supermajority
        )
    return board

"""Participation figures: who took part and how, overall and by sector, counted in the
database in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from accounts.models import Participant
from breakouts.models import Comment, Idea, Outcome, Rating, Vote
from plenary.models import Response
from summit.event.models import Summit
from summit.event.sectors import in_sector_order
from summit.record.contents import Figure, PollEntry, SectorActivity, SectorCount


@dataclass
class Contributions:
    """Ideas, comments and dots in the record's breakouts, by breakout and by sector."""

    ideas_by_breakout: Counter = field(default_factory=Counter)
    ideas_by_status: Counter = field(default_factory=Counter)
    ideas_by_sector: Counter = field(default_factory=Counter)
    comments_by_breakout: Counter = field(default_factory=Counter)
    comments_by_sector: Counter = field(default_factory=Counter)
    dots_by_breakout: Counter = field(default_factory=Counter)
    voters_by_sector: Counter = field(default_factory=Counter)


def count_contributions(breakout_ids: list[int]) -> Contributions:
    """Four queries, whatever the number of ideas."""
    counts = Contributions()
    for breakout_id, status, sector, spoken, n in (
        Idea.objects.filter(breakout_id__in=breakout_ids)
        .values_list("breakout_id", "status", "author__sector", "spoken_sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.ideas_by_breakout[breakout_id] += n
        counts.ideas_by_status[status] += n
        # An idea typed in for a voice in the room counts for the speaker's sector.
        counts.ideas_by_sector[spoken or sector] += n
    for breakout_id, sector, n in (
        Comment.objects.filter(idea__breakout_id__in=breakout_ids)
        .values_list("idea__breakout_id", "author__sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.comments_by_breakout[breakout_id] += n
        counts.comments_by_sector[sector] += n
    votes = Vote.objects.filter(idea__breakout_id__in=breakout_ids).order_by()
    counts.dots_by_breakout.update(
        dict(votes.values_list("idea__breakout_id").annotate(dots=Sum("dots")))
    )
    counts.voters_by_sector.update(
        dict(votes.values_list("voter__sector").annotate(n=Count("voter", distinct=True)))
    )
    return counts


def _took_part(summit: Summit, breakout_ids: list[int]) -> int:
    """How many attendees did anything: posted, built on, voted, rated or answered a poll."""
    me = OuterRef("pk")
    return (
        Participant.objects.active()
        .filter(summit=summit, role=Participant.Role.ATTENDEE)
        .filter(
            Exists(Idea.objects.filter(author=me, breakout_id__in=breakout_ids, spoken_sector=""))
            | Exists(Comment.objects.filter(author=me, idea__breakout_id__in=breakout_ids))
            | Exists(Vote.objects.filter(voter=me, idea__breakout_id__in=breakout_ids))
            | Exists(Rating.objects.filter(rater=me, outcome__breakout_id__in=breakout_ids))
            | Exists(Response.objects.filter(participant=me))
        )
        .count()
    )


def _respondents(summit: Summit) -> Counter:
    """People who answered at least one poll, by sector."""
    return Counter(
        dict(
            Response.objects.filter(poll__plenary__summit=summit)
            .values_list("participant__sector")
            .annotate(n=Count("participant", distinct=True))
            .order_by()
        )
    )


def participation(
    summit: Summit,
    breakout_ids: list[int],
    people: list[Participant],
    attendance: list[SectorCount],
    counts: Contributions,
    polls: list[PollEntry],
    outcomes: list[Outcome],
    ratings: dict[int, Counter],
    names: dict[str, str],
) -> tuple[list[Figure], list[SectorActivity]]:
    """The figures for the whole record, and what each sector contributed, in the summit's
    order of its sectors (``names``), every sector on its own (``attendance`` too: the record
    combines the small ones afterwards). Two queries."""
    attendees = sum(1 for p in people if p.role == Participant.Role.ATTENDEE)
    status = counts.ideas_by_status
    respondents = _respondents(summit)
    figures = [
        Figure(_("People in the summit"), len(people)),
        Figure(_("Attendees"), attendees),
        Figure(
            _("Attendees who took part in a breakout or a poll"), _took_part(summit, breakout_ids)
        ),
        Figure(_("Ideas posted"), sum(status.values())),
        Figure(_("Ideas on the wall"), status[Idea.Status.VISIBLE]),
        Figure(_("Ideas hidden by a facilitator"), status[Idea.Status.HIDDEN]),
        Figure(_("Ideas merged into another"), status[Idea.Status.MERGED]),
        Figure(_("Ideas withdrawn by their authors"), status[Idea.Status.WITHDRAWN]),
        Figure(_("Comments building on ideas"), sum(counts.comments_by_sector.values())),
        Figure(_("Dots placed"), sum(counts.dots_by_breakout.values())),
        Figure(_("People who placed dots"), sum(counts.voters_by_sector.values())),
        Figure(_("Outcomes drafted"), len(outcomes)),
        Figure(
            _("Ratings of outcomes in the groups"), sum(sum(c.values()) for c in ratings.values())
        ),
        Figure(_("Plenary polls run"), len(polls)),
        Figure(_("Poll responses"), sum(p.responses for p in polls)),
        Figure(_("People who answered a poll"), sum(respondents.values())),
    ]
    rows = {
        s.sector: SectorActivity(s.sector, attendees=s.attendees, people=s.total)
        for s in attendance
    }
    active = (
        counts.ideas_by_sector,
        counts.comments_by_sector,
        counts.voters_by_sector,
        respondents,
    )
    keys = in_sector_order(set(names).union(*active), names)
    for key in keys:
        label = names.get(key, key)
        activity = (
            counts.ideas_by_sector[key],
            counts.comments_by_sector[key],
            counts.voters_by_sector[key],
            respondents[key],
        )
        if label not in rows and any(activity):
            rows[label] = SectorActivity(label)
        if label in rows:
            row = rows[label]
            row.ideas, row.comments, row.voters, row.respondents = activity
    # In the summit's order; a row of attendance alone for a sector it does not know, last.
    order = dict.fromkeys([*(names.get(key, key) for key in keys), *rows])
    return figures, [rows[label] for label in order if label in rows]

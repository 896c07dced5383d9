"""The record's long tables (ideas, comments, votes, poll responses), one row at a time:
what the CSV bundle, the workbook and the JSON document stream them from.

They are read with chunked iterators, so however many rows there are, only one chunk of
them is held at once and each table costs one query. ``tables`` has the short ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from breakouts.models import Comment, Idea, Vote
from plenary.forms import levels_for
from plenary.models import Answer, Poll
from summit.event.agreement import RULES
from summit.record.breakout_contents import NO_SUPPORT
from summit.record.contents import Record
from summit.record.ideas import IDEA_FIELDS, contributor_sector, person_fields, with_totals

# Rows fetched from the database at a time. Large enough that a summit's tables take few
# round trips, small enough that a chunk of model instances stays a few megabytes.
CHUNK_SIZE = 2000

RULE_KEYS = tuple(key for key, _, _ in RULES)


def when(value) -> str | None:
    return value.isoformat() if value else None


def supporters(record: Record, idea: int) -> list[dict]:
    """An idea's supporters by sector, as the JSON document gives them."""
    return [
        {"sector": cell.label, "supporters": cell.count}
        for cell in record.support.get(idea, NO_SUPPORT).sectors
    ]


def idea_rows(record: Record) -> Iterator[dict]:
    """Each idea, with its cross-sector support and its supporters by sector in words
    ("Health and care (NHS) 2; Faith 1")."""
    names = {b.id: b.name for b in record.breakouts}
    ideas = (
        with_totals(Idea.objects.filter(breakout_id__in=names))
        .select_related("author", "prompt", "cluster")
        .only(*IDEA_FIELDS, "prompt__order", "cluster__name")
        .order_by("breakout__subtheme__order", "breakout__name", "pk")
    )
    for idea in ideas.iterator(chunk_size=CHUNK_SIZE):
        idea.author.sector_names = record.sector_names
        support = record.support.get(idea.pk, NO_SUPPORT)
        yield {
            "id": idea.pk,
            "breakout": names[idea.breakout_id],
            "question": idea.prompt.order if idea.prompt else None,
            "text": idea.text,
            "by": idea.attribution,
            "sector": contributor_sector(idea),
            "status": idea.status,
            "hidden_reason": idea.hidden_reason,
            "merged_into": idea.merged_into_id,
            "cluster": idea.cluster.name if idea.cluster else "",
            "dots": idea.dot_total,
            "voters": idea.voter_count,
            "support_score": support.rounded,
            "supporters_by_sector": support.breakdown("; "),
            "created_at": when(idea.created_at),
            "edited_at": when(idea.edited_at),
        }


def comment_rows(record: Record) -> Iterator[dict]:
    names = {b.id: b.name for b in record.breakouts}
    comments = (
        Comment.objects.filter(idea__breakout_id__in=names)
        .select_related("author", "idea")
        .only("idea__breakout", "text", "anonymous", "created_at", *person_fields("author"))
        .order_by("idea__breakout__subtheme__order", "idea__breakout__name", "idea_id", "pk")
    )
    for comment in comments.iterator(chunk_size=CHUNK_SIZE):
        comment.author.sector_names = record.sector_names
        yield {
            "id": comment.pk,
            "idea": comment.idea_id,
            "breakout": names[comment.idea.breakout_id],
            "text": comment.text,
            "by": comment.attribution,
            "sector": comment.author.sector_label,
            "created_at": when(comment.created_at),
        }


def vote_rows(record: Record) -> Iterator[dict]:
    names = {b.id: b.name for b in record.breakouts}
    votes = (
        Vote.objects.filter(idea__breakout_id__in=names)
        .select_related("voter", "idea")
        .only("idea__breakout", "dots", *person_fields("voter"))
        .order_by("idea__breakout__subtheme__order", "idea__breakout__name", "idea_id", "pk")
    )
    for vote in votes.iterator(chunk_size=CHUNK_SIZE):
        # By sector only: screens show totals, never who voted how, and so does the record.
        yield {
            "idea": vote.idea_id,
            "breakout": names[vote.idea.breakout_id],
            "sector": record.sector_names.get(vote.voter.sector, vote.voter.sector),
            "dots": vote.dots,
        }


def response_rows(record: Record) -> Iterator[dict]:
    """Every part of every answer: a choice, a place in a ranking, a position on a statement
    (with any challenge or reason), a word, a text. In the consensus check, only answers on
    the record's outcomes."""
    polls = [p.id for p in record.polls]
    outcomes = [o.id for o in record.outcomes]
    answers = (
        Answer.objects.filter(response__poll_id__in=polls)
        .filter(~Q(response__poll__kind=Poll.Kind.CONSENSUS) | Q(option__outcome_id__in=outcomes))
        .select_related("response__participant", "response__poll", "option")
        .only(
            "value",
            "text",
            "option__text",
            "option__text_cy",
            "response__poll__question",
            "response__poll__question_cy",
            "response__poll__kind",
            *person_fields("response__participant"),
        )
        .order_by("response__poll__created_at", "response__poll_id", "response_id", "pk")
    )
    levels: dict[int, dict[int, str]] = {}
    for answer in answers.iterator(chunk_size=CHUNK_SIZE):
        poll = answer.response.poll
        person = answer.response.participant
        person.sector_names = record.sector_names
        if poll.pk not in levels:
            levels[poll.pk] = dict(levels_for(poll)) if poll.rated else {}
        position = str(levels[poll.pk].get(answer.value, ""))
        if poll.kind == Poll.Kind.RANKING and answer.value is not None:
            position = _("Place %(place)s") % {"place": answer.value}
        yield {
            "poll": poll.pk,
            "question": poll.question,
            "question_cy": poll.question_cy,
            # A position alone is a vote, given by sector only; what the person wrote with it
            # (a challenge, a reason for a block) is theirs, named as they chose.
            "by": person.attribution if answer.text else None,
            "sector": person.sector_label,
            "item": answer.option.text if answer.option else "",
            "item_cy": answer.option.text_cy if answer.option else "",
            "value": answer.value,
            "position": position,
            "text": answer.text,
        }

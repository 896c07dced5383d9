"""The record as tables, one row at a time: what the CSV bundle, the workbook and the JSON
document are written from.

The long tables (ideas, comments, votes, poll responses) are read with chunked iterators,
so however many there are, only one chunk of them is held at once and each table costs one
query. The short ones come from the ``Record`` already built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Q

from breakouts.models import Comment, Idea, Vote
from plenary.forms import levels_for
from plenary.models import Answer, Poll
from summit.agreement import RULES, Agreement
from summit.record.build import (
    IDEA_FIELDS,
    SECTORS,
    contributor_sector,
    person_fields,
    with_totals,
)
from summit.record.contents import Record

# Rows fetched from the database at a time. Large enough that a summit's tables take few
# round trips, small enough that a chunk of model instances stays a few megabytes.
CHUNK_SIZE = 2000

RULE_KEYS = tuple(key for key, _, _ in RULES)


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: Callable[[], Iterator[dict]]


def _when(value) -> str | None:
    return value.isoformat() if value else None


def idea_rows(record: Record) -> Iterator[dict]:
    names = {b.id: b.name for b in record.breakouts}
    ideas = (
        with_totals(Idea.objects.filter(breakout_id__in=names))
        .select_related("author", "prompt", "cluster")
        .only(*IDEA_FIELDS, "prompt__order", "cluster__name")
        .order_by("breakout__subtheme__order", "breakout__name", "pk")
    )
    for idea in ideas.iterator(chunk_size=CHUNK_SIZE):
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
            "created_at": _when(idea.created_at),
            "edited_at": _when(idea.edited_at),
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
        yield {
            "id": comment.pk,
            "idea": comment.idea_id,
            "breakout": names[comment.idea.breakout_id],
            "text": comment.text,
            "by": comment.attribution,
            "sector": SECTORS[comment.author.sector],
            "created_at": _when(comment.created_at),
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
            "sector": SECTORS[vote.voter.sector],
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
            "response__poll__question",
            "response__poll__kind",
            *person_fields("response__participant"),
        )
        .order_by("response__poll__created_at", "response__poll_id", "response_id", "pk")
    )
    levels: dict[int, dict[int, str]] = {}
    for answer in answers.iterator(chunk_size=CHUNK_SIZE):
        poll = answer.response.poll
        person = answer.response.participant
        if poll.pk not in levels:
            levels[poll.pk] = dict(levels_for(poll)) if poll.rated else {}
        position = levels[poll.pk].get(answer.value, "")
        if poll.kind == Poll.Kind.RANKING and answer.value is not None:
            position = f"Place {answer.value}"
        yield {
            "poll": poll.pk,
            "question": poll.question,
            # A position alone is a vote, given by sector only; what the person wrote with it
            # (a challenge, a reason for a block) is theirs, named as they chose.
            "by": person.attribution if answer.text else None,
            "sector": SECTORS[person.sector],
            "item": answer.option.text if answer.option else "",
            "value": answer.value,
            "position": position,
            "text": answer.text,
        }


def summit_rows(record: Record) -> Iterator[dict]:
    for field, value in (
        ("Summit", record.title),
        ("Convened by", record.convener),
        ("The question for the day", record.central_question),
        ("Date", record.date.isoformat() if record.date else ""),
        ("Status", record.status),
        ("Covers", record.covers),
        ("Record made", record.generated_at.isoformat()),
        ("Record version", record.version),
    ):
        yield {"field": field, "value": value}
    for item in record.agenda:
        yield {
            "field": f"Agenda {item.starts_at}–{item.ends_at}".strip("– "),
            "value": item.title,
        }
    for row in record.attendance:
        yield {"field": f"Attendance: {row.sector}", "value": row.total}


def participant_rows(record: Record) -> Iterator[dict]:
    for person in record.people:
        yield {"name": person.name, "sector": person.sector, "role": person.role}


def cluster_rows(record: Record) -> Iterator[dict]:
    for breakout in record.breakouts:
        for cluster in breakout.clusters:
            yield {
                "id": cluster.id,
                "breakout": breakout.name,
                "name": cluster.name,
                "ideas": " ".join(f"#{i}" for i in cluster.ideas),
            }


def outcome_rows(record: Record) -> Iterator[dict]:
    for outcome in record.outcomes:
        own = outcome.checks[0]
        yield {
            "number": outcome.number,
            "id": outcome.id,
            "breakout": outcome.breakout,
            "proposal": outcome.proposal,
            "who_should_act": outcome.who_should_act,
            "when": outcome.horizon,
            "drafted_by": outcome.drafted_by,
            "draws_on": " ".join(f"#{s.idea}" for s in outcome.sources),
            "draws_on_text": "\n".join(
                f"#{s.idea}: {s.text} ({s.by}; {s.dots} dots)" for s in outcome.sources
            ),
            "group_rated": own.rated,
            **{f"group_{key}": getattr(own.decision, key) for key in RULE_KEYS},
        }


def consensus_rows(record: Record) -> Iterator[dict]:
    """Each outcome under each reading (the group's ratings, each plenary round), for all
    who rated it and then sector by sector."""
    for outcome in record.outcomes:
        for check in outcome.checks:
            counts = {level.value: level.count for level in check.levels}
            yield {
                "outcome": outcome.number,
                "where": check.where,
                "sector": "All sectors",
                "rated": check.rated,
                "support": check.decision.support,
                "stand_aside": counts[Agreement.STAND_ASIDE],
                "disagree": counts[Agreement.DISAGREE],
                "block": counts[Agreement.BLOCK],
                **{key: getattr(check.decision, key) for key in RULE_KEYS},
            }
            for split in check.sectors:
                yield {
                    "outcome": outcome.number,
                    "where": check.where,
                    "sector": split.sector,
                    "rated": split.support + split.stand_aside + split.disagree + split.block,
                    "support": split.support,
                    "stand_aside": split.stand_aside,
                    "disagree": split.disagree,
                    "block": split.block,
                    **dict.fromkeys(RULE_KEYS),
                }


def dissent_rows(record: Record) -> Iterator[dict]:
    for row in record.dissent:
        yield {
            "outcome": row.outcome,
            "breakout": row.breakout,
            "where": row.where,
            "position": row.position,
            "by": row.by,
            "sector": row.sector,
            "reason": row.reason,
        }


def poll_rows(record: Record) -> Iterator[dict]:
    """A row for each line of each poll's results: an answer and how many chose it, an item
    and its points, a statement and how many rated it, a word and how often it came."""
    for poll in record.polls:
        base = {
            "poll": poll.id,
            "question": poll.question,
            "kind": poll.kind_label,
            "state": poll.state,
            "responses": poll.responses,
        }
        lines = [(bar.label, bar.count, bar.note) for bar in poll.bars]
        lines += [
            (
                s.text,
                s.rated,
                "; ".join(f"{level.label} {level.count}" for level in s.levels),
            )
            for s in poll.statements
        ]
        lines += [(text, count, "") for text, count in poll.words]
        for item, count, detail in lines or [("", None, "")]:
            yield {**base, "item": item, "count": count, "detail": detail}


def tables(record: Record) -> list[Table]:
    return [
        Table("summit", "Summit", ["field", "value"], summit_rows),
        Table("participants", "Participants", ["name", "sector", "role"], participant_rows),
        Table(
            "ideas",
            "Ideas",
            [
                "id",
                "breakout",
                "question",
                "text",
                "by",
                "sector",
                "status",
                "hidden_reason",
                "merged_into",
                "cluster",
                "dots",
                "voters",
                "created_at",
                "edited_at",
            ],
            idea_rows,
        ),
        Table(
            "comments",
            "Comments",
            ["id", "idea", "breakout", "text", "by", "sector", "created_at"],
            comment_rows,
        ),
        Table("votes", "Votes", ["idea", "breakout", "sector", "dots"], vote_rows),
        Table("clusters", "Clusters", ["id", "breakout", "name", "ideas"], cluster_rows),
        Table(
            "outcomes",
            "Outcomes",
            [
                "number",
                "id",
                "breakout",
                "proposal",
                "who_should_act",
                "when",
                "drafted_by",
                "draws_on",
                "draws_on_text",
                "group_rated",
                *(f"group_{key}" for key in RULE_KEYS),
            ],
            outcome_rows,
        ),
        Table(
            "consensus",
            "Consensus check",
            [
                "outcome",
                "where",
                "sector",
                "rated",
                "support",
                "stand_aside",
                "disagree",
                "block",
                *RULE_KEYS,
            ],
            consensus_rows,
        ),
        Table(
            "dissent",
            "Dissent register",
            ["outcome", "breakout", "where", "position", "by", "sector", "reason"],
            dissent_rows,
        ),
        Table(
            "polls",
            "Polls",
            ["poll", "question", "kind", "state", "responses", "item", "count", "detail"],
            poll_rows,
        ),
        Table(
            "responses",
            "Poll responses",
            ["poll", "question", "by", "sector", "item", "value", "position", "text"],
            response_rows,
        ),
    ]

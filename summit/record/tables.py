"""The record as tables: what the CSV bundle and the workbook are written from, a sheet or
a file each. The long tables stream from ``rows``; the short ones come from the ``Record``
already built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from summit.event.agreement import Agreement
from summit.event.measures import withheld_or
from summit.record.actions import ACTION_COLUMNS, action_rows
from summit.record.breakout_contents import NO_SUPPORT, VoiceEntry
from summit.record.contents import Record
from summit.record.feedback import change_rows, feedback_rows
from summit.record.floor import QUESTION_COLUMNS, SESSION_COLUMNS, question_rows, session_rows
from summit.record.parts import rules_note
from summit.record.rows import (
    RULE_KEYS,
    comment_rows,
    idea_rows,
    response_rows,
    vote_rows,
    when,
)
from summit.record.shift import (
    SHIFT_COLUMNS,
    SHIFT_SECTOR_COLUMNS,
    shift_rows,
    shift_sector_rows,
)
from summit.record.themes import THEME_COLUMNS, theme_rows


@dataclass
class Table:
    name: str  # the CSV file's name: a machine key, the same in every language
    title: str  # the workbook's sheet: 31 characters at most, none of []:*?/\
    columns: list[str]
    rows: Callable[[], Iterator[dict]]


def summit_rows(record: Record) -> Iterator[dict]:
    """The summit's facts: ``value`` each in the record's language, but the organiser's
    texts, in English with their Welsh versions in ``value_cy``."""
    for field, value, welsh in (
        (pgettext("the event", "Summit"), record.title, record.title_cy),
        (_("Convened by"), record.convener, ""),
        (_("The question for the day"), record.central_question, record.central_question_cy),
        (_("Date"), record.date.isoformat() if record.date else "", ""),
        (_("Status"), record.status, ""),
        (_("Decision rules"), rules_note(record.supermajority), ""),
        (_("Supermajority (per cent)"), record.supermajority, ""),
        (_("Covers"), record.covers, ""),
        (_("Record made"), record.generated_at.isoformat(), ""),
        (_("Record version"), record.version, ""),
    ):
        yield {"field": field, "value": value, "value_cy": welsh}
    for item in record.agenda:
        times = f"{item.starts_at}–{item.ends_at}"
        yield {
            "field": (_("Agenda %(times)s") % {"times": times}).strip("– "),
            "value": item.title,
            "value_cy": item.title_cy,
        }
    for row in record.attendance:
        yield {
            "field": _("Attendance: %(sector)s") % {"sector": row.sector},
            "value": withheld_or(row.total),
            "value_cy": "",
        }


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
    everyone = _("All sectors")
    for outcome in record.outcomes:
        for check in outcome.checks:
            counts = {level.value: level.count for level in check.levels}
            yield {
                "outcome": outcome.number,
                "where": check.where,
                "sector": everyone,
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
                    "rated": withheld_or(split.rated),
                    "support": withheld_or(split.support),
                    "stand_aside": withheld_or(split.stand_aside),
                    "disagree": withheld_or(split.disagree),
                    "block": withheld_or(split.block),
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
            "question_cy": poll.question_cy,
            "kind": poll.kind_label,
            "state": poll.state,
            "responses": poll.responses,
        }
        lines = [(bar.label, bar.label_cy, bar.count, bar.note) for bar in poll.bars]
        lines += [
            (s.text, s.text_cy, s.rated, "; ".join(f"{v.label} {v.count}" for v in s.levels))
            for s in poll.statements
        ]
        lines += [(text, "", count, "") for text, count in poll.words]
        for item, welsh, count, detail in lines or [("", "", None, "")]:
            yield {**base, "item": item, "item_cy": welsh, "count": count, "detail": detail}


def ranking_rows(record: Record) -> Iterator[dict]:
    """Each breakout's ideas on the wall in both orders, place by place: the idea with the
    most dots beside the idea with the broadest cross-sector support."""
    for breakout in record.breakouts:
        for place, (dots, support) in enumerate(
            zip(breakout.by_dots, breakout.by_support, strict=True), start=1
        ):
            yield {
                "breakout": breakout.name,
                "place": place,
                "by_dots": dots,
                "dots": record.support.get(dots, NO_SUPPORT).dots,
                "by_support": support,
                "support_score": record.support.get(support, NO_SUPPORT).rounded,
            }


def _voices(record: Record) -> Iterator[tuple[str, VoiceEntry]]:
    for breakout in record.breakouts:
        if breakout.voice is not None:
            yield breakout.name, breakout.voice
    yield record.all_breakouts, record.voice


def voice_rows(record: Record) -> Iterator[dict]:
    """Each breakout's voice balance, then the balance across them. Members who did not
    contribute are counted, never named."""
    for name, voice in _voices(record):
        yield {
            "breakout": name,
            "members": voice.members,
            "contributors": voice.contributors,
            "did_not_contribute": voice.quiet,
            "contributions": voice.contributions,
            "evenness": voice.evenness,
            "unheard_sectors": "; ".join(map(str, voice.unheard)),
        }


def voice_sector_rows(record: Record) -> Iterator[dict]:
    for name, voice in _voices(record):
        for share in voice.sectors:
            yield {
                "breakout": name,
                "sector": share.sector,
                "members": withheld_or(share.members),
                "member_share": share.member_share,
                "contributions": share.contributions,
                "contribution_share": share.contribution_share,
            }


def audit_rows(record: Record) -> Iterator[dict]:
    for line in record.audit:
        yield {
            "created_at": when(line.at),
            "actor_name": line.who,
            "action": line.action,
            "place": line.place,
            "details": line.details,
        }


# The columns of the longer tables, in their order.
IDEA_COLUMNS = [
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
    "support_score",
    "supporters_by_sector",
    "created_at",
    "edited_at",
]

OUTCOME_COLUMNS = [
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
]

CONSENSUS_COLUMNS = [
    "outcome",
    "where",
    "sector",
    "rated",
    "support",
    "stand_aside",
    "disagree",
    "block",
    *RULE_KEYS,
]

# A poll's question and its options are the organiser's: each with its Welsh version beside.
POLL_COLUMNS = ["poll", "question", "question_cy", "kind", "state", "responses"]
POLL_COLUMNS += ["item", "item_cy", "count", "detail"]
RESPONSE_COLUMNS = ["poll", "question", "question_cy", "by", "sector", "item", "item_cy"]
RESPONSE_COLUMNS += ["value", "position", "text"]

VOICE_COLUMNS = [
    "breakout",
    "members",
    "contributors",
    "did_not_contribute",
    "contributions",
    "evenness",
    "unheard_sectors",
]

VOICE_SECTOR_COLUMNS = [
    "breakout",
    "sector",
    "members",
    "member_share",
    "contributions",
    "contribution_share",
]


def tables(record: Record) -> list[Table]:
    return [
        Table(
            "summit", pgettext("the event", "Summit"), ["field", "value", "value_cy"], summit_rows
        ),
        Table("participants", _("Participants"), ["name", "sector", "role"], participant_rows),
        Table("ideas", _("Ideas"), IDEA_COLUMNS, idea_rows),
        Table(
            "comments",
            _("Comments"),
            ["id", "idea", "breakout", "text", "by", "sector", "created_at"],
            comment_rows,
        ),
        Table("votes", _("Votes"), ["idea", "breakout", "sector", "dots"], vote_rows),
        Table("clusters", _("Clusters"), ["id", "breakout", "name", "ideas"], cluster_rows),
        Table(
            "rankings",
            _("Ideas ranked two ways"),
            ["breakout", "place", "by_dots", "dots", "by_support", "support_score"],
            ranking_rows,
        ),
        Table("outcomes", _("Outcomes"), OUTCOME_COLUMNS, outcome_rows),
        Table("themes", _("Themes across rooms"), THEME_COLUMNS, theme_rows),
        Table("actions", _("Follow-up actions"), ACTION_COLUMNS, action_rows),
        Table("consensus", _("Consensus check"), CONSENSUS_COLUMNS, consensus_rows),
        Table(
            "dissent",
            _("Dissent register"),
            ["outcome", "breakout", "where", "position", "by", "sector", "reason"],
            dissent_rows,
        ),
        Table(
            "polls",
            _("Polls"),
            POLL_COLUMNS,
            poll_rows,
        ),
        Table("shift", _("How views moved"), SHIFT_COLUMNS, shift_rows),
        Table(
            "shift_by_sector",
            _("How views moved by sector"),
            SHIFT_SECTOR_COLUMNS,
            shift_sector_rows,
        ),
        Table("qa_sessions", _("Sessions of questions"), SESSION_COLUMNS, session_rows),
        Table("questions", _("Questions from the floor"), QUESTION_COLUMNS, question_rows),
        Table(
            "responses",
            _("Poll responses"),
            RESPONSE_COLUMNS,
            response_rows,
        ),
        Table("voice_balance", _("Voice balance"), VOICE_COLUMNS, voice_rows),
        Table(
            "voice_by_sector",
            _("Voice balance by sector"),
            VOICE_SECTOR_COLUMNS,
            voice_sector_rows,
        ),
        Table(
            "audit_log",
            _("Moderation and facilitation log"),
            ["created_at", "actor_name", "action", "place", "details"],
            audit_rows,
        ),
        Table(
            "feedback",
            _("Feedback on the day"),
            ["question", "level", "label", "sector", "count"],
            feedback_rows,
        ),
        Table("feedback_changes", _("What should change"), ["text"], change_rows),
    ]

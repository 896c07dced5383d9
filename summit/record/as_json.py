"""The record as one JSON document, version 1, emitted piece by piece.

Whatever language the document is made in, each organiser's text is given in English under
its key and in Welsh beside it under the same key ending ``_cy`` ("" where there is none).

The document is described by ``schema/record-v1.schema.json``, served at the address its
``$schema`` gives (``views.record_schema``). The long arrays (ideas, comments, votes,
responses) are written a row at a time from ``rows``, so the whole document is never held in
memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder

from summit.record.actions import action_json
from summit.record.breakout_contents import (
    BreakoutEntry,
    Check,
    OutcomeEntry,
    SectorSplit,
    VoiceEntry,
)
from summit.record.contents import AgendaEntry, Level, PollEntry, Record, Remark
from summit.record.feedback import feedback_json
from summit.record.floor import floor_json
from summit.record.rows import (
    RULE_KEYS,
    comment_rows,
    idea_rows,
    response_rows,
    supporters,
    vote_rows,
)
from summit.record.shift import shift_json
from summit.record.themes import themes_json

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "record-v1.schema.json"
FLUSH_CHARS = 64 * 1024


def _dump(value) -> str:
    # Django's encoder writes a label marked for translation as its words in the record's
    # language.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def _levels(levels: list[Level]) -> list[dict]:
    return [{"level": v.value, "label": v.label, "count": v.count} for v in levels]


def _remarks(remarks: list[Remark]) -> list[dict]:
    return [
        {"by": r.by, "sector": r.sector, "position": r.position, "text": r.text} for r in remarks
    ]


def _sectors(sectors: list[SectorSplit]) -> list[dict]:
    return [
        {
            "sector": s.sector,
            "support": s.support,
            "stand_aside": s.stand_aside,
            "disagree": s.disagree,
            "block": s.block,
        }
        for s in sectors
    ]


def _check(check: Check) -> dict:
    return {
        "where": check.where,
        "poll": check.poll,
        "rated": check.rated,
        "levels": _levels(check.levels),
        "passes": {key: getattr(check.decision, key) for key in RULE_KEYS},
        "by_sector": _sectors(check.sectors),
        "remarks": _remarks(check.remarks),
    }


def _outcome(outcome: OutcomeEntry) -> dict:
    return {
        "number": outcome.number,
        "id": outcome.id,
        "proposal": outcome.proposal,
        "who_should_act": outcome.who_should_act,
        "when": outcome.horizon,
        "drafted_by": outcome.drafted_by,
        "draws_on": [
            {
                "idea": s.idea,
                "text": s.text,
                "by": s.by,
                "dots": s.dots,
                "voters": s.voters,
                "status": s.status,
            }
            for s in outcome.sources
        ],
        "checks": [_check(c) for c in outcome.checks],
        "actions": action_json(outcome),
    }


def _voice(voice: VoiceEntry) -> dict:
    return {
        "members": voice.members,
        "contributors": voice.contributors,
        "did_not_contribute": voice.quiet,
        "contributions": voice.contributions,
        "evenness": voice.evenness,
        "unheard_sectors": voice.unheard,
        "by_sector": [
            {
                "sector": s.sector,
                "members": s.members,
                "member_share": s.member_share,
                "contributions": s.contributions,
                "contribution_share": s.contribution_share,
            }
            for s in voice.sectors
        ],
    }


def _poll(poll: PollEntry) -> dict:
    return {
        "id": poll.id,
        "question": poll.question,
        "question_cy": poll.question_cy,
        "kind": poll.kind,
        "state": poll.state,
        "responses": poll.responses,
        "agenda_item": poll.agenda_item,
        "agenda_item_cy": poll.agenda_item_cy,
        "round": poll.round,
        "bars": [
            {"label": b.label, "label_cy": b.label_cy, "count": b.count, "note": b.note}
            for b in poll.bars
        ],
        "statements": [
            {
                "text": s.text,
                "text_cy": s.text_cy,
                "outcome": s.outcome,
                "rated": s.rated,
                "levels": _levels(s.levels),
                "passes": (
                    {key: getattr(s.decision, key) for key in RULE_KEYS} if s.decision else None
                ),
                "by_sector": _sectors(s.sectors),
                "remarks": _remarks(s.remarks),
            }
            for s in poll.statements
        ],
        "words": [{"text": text, "count": count} for text, count in poll.words],
        "texts": _remarks(poll.remarks),
    }


def _breakout(b: BreakoutEntry) -> dict:
    return {
        "id": b.id,
        "name": b.name,
        "subtheme": b.subtheme,
        "subtheme_cy": b.subtheme_cy,
        "phase": b.phase,
        "facilitators": b.facilitators,
        "members": b.members,
        "questions": [p.number for p in b.prompts],
        "idea_count": b.idea_count,
        "comment_count": b.comment_count,
        "dots": b.dots,
        "clusters": [{"id": c.id, "name": c.name, "ideas": c.ideas} for c in b.clusters],
        "hidden": [
            {"idea": i.id, "text": i.text, "by": i.by, "reason": i.hidden_reason} for i in b.hidden
        ],
        "merges": [{"idea": m.idea, "into": m.into} for m in b.merges],
        "outcomes": [_outcome(o) for o in b.outcomes],
        "by_dots": b.by_dots,
        "by_support": b.by_support,
        "voice_balance": _voice(b.voice) if b.voice else None,
    }


def _agenda_item(i: AgendaEntry) -> dict:
    return {
        "order": i.order,
        "kind": i.kind,
        "title": i.title,
        "title_cy": i.title_cy,
        "starts_at": i.starts_at or None,
        "ends_at": i.ends_at or None,
        "description": i.description,
        "description_cy": i.description_cy,
    }


def head(record: Record) -> dict:
    """Everything but the long arrays, in the document's order."""
    return {
        "version": record.version,
        "generated_at": record.generated_at.isoformat(),
        "scope": {"whole_summit": record.whole, "breakouts": record.scope},
        "summit": {
            "slug": record.slug,
            "title": record.title,
            "title_cy": record.title_cy,
            "convener": record.convener,
            "central_question": record.central_question,
            "central_question_cy": record.central_question_cy,
            "summary": record.summary,
            "summary_cy": record.summary_cy,
            "date": record.date.isoformat() if record.date else None,
            "status": record.status,
            "supermajority": record.supermajority,
        },
        "agenda": [_agenda_item(i) for i in record.agenda],
        "attendance": [
            {
                "sector": row.sector,
                "attendees": row.attendees,
                "facilitators": row.facilitators,
                "organisers": row.organisers,
            }
            for row in record.attendance
        ],
        "participants": [
            {"name": p.name, "sector": p.sector, "role": p.role} for p in record.people
        ],
        "assumptions": {
            "responses": record.assumptions_responses,
            "items": [
                {
                    "number": a.number,
                    "text": a.text,
                    "text_cy": a.text_cy,
                    "rated": a.rated,
                    "levels": _levels(a.levels),
                    "challenges": _remarks(a.challenges),
                }
                for a in record.assumptions
            ],
        },
        "obstacles": {
            "responses": record.obstacles_responses,
            "ranking": [
                {
                    "place": o.place,
                    "text": o.text,
                    "text_cy": o.text_cy,
                    "points": o.points,
                    "note": o.note,
                }
                for o in record.obstacles
            ],
        },
        "questions": [
            {"number": p.number, "text": p.text, "text_cy": p.text_cy, "subtheme": p.subtheme}
            for p in record.prompts
        ],
        "subthemes": [
            {
                "order": s.order,
                "title": s.title,
                "title_cy": s.title_cy,
                "question": s.question,
                "question_cy": s.question_cy,
            }
            for s in record.subthemes
        ],
        "breakouts": [_breakout(b) for b in record.breakouts],
    }


def tail(record: Record) -> dict:
    return {
        "themes": themes_json(record),
        "dissent": [
            {
                "outcome": d.outcome,
                "breakout": d.breakout,
                "where": d.where,
                "position": d.position,
                "by": d.by,
                "sector": d.sector,
                "reason": d.reason,
            }
            for d in record.dissent
        ],
        "polls": [_poll(p) for p in record.polls],
        "opinion_shift": shift_json(record),
        "qa_sessions": floor_json(record),
        "participation": {
            "figures": [{"label": f.label, "value": f.value} for f in record.figures],
            "by_sector": [
                {
                    "sector": s.sector,
                    "attendees": s.attendees,
                    "ideas": s.ideas,
                    "comments": s.comments,
                    "voters": s.voters,
                    "respondents": s.respondents,
                }
                for s in record.by_sector
            ],
            "voice_balance": _voice(record.voice),
        },
        "audit_log": [
            {
                "created_at": line.at.isoformat(),
                "actor_name": line.who,
                "action": line.action,
                "place": line.place,
                "detail": line.detail,
            }
            for line in record.audit
        ],
        "feedback": feedback_json(record.feedback),
    }


def _idea_rows(record: Record) -> Iterator[dict]:
    """The ideas, each with its supporters by sector as a list rather than in words."""
    for row in idea_rows(record):
        row["supporters_by_sector"] = supporters(record, row["id"])
        yield row


STREAMED = (
    ("ideas", _idea_rows),
    ("comments", comment_rows),
    ("votes", vote_rows),
    ("responses", response_rows),
)


def _pieces(record: Record, schema_url: str) -> Iterator[str]:
    yield "{"
    named = {"$schema": schema_url} if schema_url else {}
    for n, (key, value) in enumerate({**named, **head(record)}.items()):
        yield f"{',' if n else ''}\n{_dump(key)}:{_dump(value)}"
    for key, rows in STREAMED:
        yield f",\n{_dump(key)}:["
        for n, row in enumerate(rows(record)):
            yield f"{',' if n else ''}\n{_dump(row)}"
        yield "]"
    for key, value in tail(record).items():
        yield f",\n{_dump(key)}:{_dump(value)}"
    yield "}\n"


def json_document(record: Record, schema_url: str = "") -> Iterator[bytes]:
    """The document's UTF-8 bytes, in pieces of about 64 KB; with ``schema_url``, naming as
    its ``$schema`` where this installation serves the schema."""
    buffer: list[str] = []
    size = 0
    for piece in _pieces(record, schema_url):
        buffer.append(piece)
        size += len(piece)
        if size >= FLUSH_CHARS:
            yield "".join(buffer).encode()
            buffer.clear()
            size = 0
    yield "".join(buffer).encode()

"""The record's summary: what the day came to, without anyone's name. Each breakout's
outcomes with how they were rated (readings and sectors, never what people wrote), how views
moved, the follow-up actions with their status, and how many questions from the floor were
asked and answered. It is what participants see after the
day when the organisers share the summary, and what the public link shows, so it draws only
on what the record already loaded, and names nobody: outcomes are given by breakout, the
consensus check by sector with small sectors combined, the shift in totals, the questions
from the floor as counts alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from summit.record.blocks import Block
from summit.record.breakout_contents import ActionEntry, OutcomeEntry
from summit.record.contents import Record
from summit.record.floor import floor_summary
from summit.record.shift import shift_blocks
from summit.record.walk_breakout import check_blocks


@dataclass(frozen=True)
class ShownAction:
    """A follow-up action as a page shows it, its status drawn by the same partial the
    pushes draw (``breakouts/action_status.html#status``), so that it changes in place."""

    pk: int
    owner: str
    status: str
    label: str
    due: dt.date | None
    notes: str

    def get_status_display(self) -> str:
        return self.label


@dataclass(frozen=True)
class SummaryOutcome:
    number: int
    anchor: str
    proposal: str
    who_should_act: str
    horizon: str
    checks: list[Block]
    actions: list[ShownAction]


@dataclass(frozen=True)
class SummaryBreakout:
    id: int
    name: str
    subtheme: str
    outcomes: list[SummaryOutcome]
    subtheme_cy: str = ""


@dataclass(frozen=True)
class Summary:
    title: str
    convener: str
    central_question: str
    date: dt.date | None
    breakouts: list[SummaryBreakout]
    shift: list[Block]
    floor: list[Block]  # empty when no session of questions was held
    # The Welsh versions of the title and question, for a page to show in its reader's
    # language (``{% shown summary "title" %}``).
    title_cy: str = ""
    central_question_cy: str = ""


def _action(a: ActionEntry) -> ShownAction:
    return ShownAction(a.id, a.owner, a.key, a.status, a.due, a.notes)


def _outcome(o: OutcomeEntry) -> SummaryOutcome:
    anchor = f"outcome-{o.number}"
    return SummaryOutcome(
        number=o.number,
        anchor=anchor,
        proposal=o.proposal,
        who_should_act=o.who_should_act,
        horizon=o.horizon,
        checks=list(check_blocks(o, anchor, remarks=False)) if o.checks else [],
        actions=[_action(a) for a in o.actions],
    )


def summary_of(record: Record) -> Summary:
    """The summary of ``record`` (built with ``contributions=False``: it shows no ideas)."""
    return Summary(
        title=record.title,
        title_cy=record.title_cy,
        convener=record.convener,
        central_question=record.central_question,
        central_question_cy=record.central_question_cy,
        date=record.date,
        breakouts=[
            SummaryBreakout(
                b.id, b.name, b.subtheme, [_outcome(o) for o in b.outcomes], b.subtheme_cy
            )
            for b in record.breakouts
        ],
        shift=list(shift_blocks(record)),
        floor=floor_summary(record),
    )

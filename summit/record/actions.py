"""The record's follow-up actions: each outcome's actions as they stand when the record is
made, loaded in one query however many there are, and given under each outcome in the page,
Word and Markdown, as the ``actions`` table of the spreadsheet and CSV bundle, and in each
outcome of the JSON document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from breakouts.actions import STATUS_LABELS
from breakouts.models import Action
from summit.record.blocks import Block, Cell, Heading, Table, paragraph
from summit.record.breakout_contents import ActionEntry, OutcomeEntry
from summit.record.contents import Record

ACTION_COLUMNS = ["id", "outcome", "breakout", "owner", "status", "due", "notes"]


def attach_actions(outcomes: Iterable[OutcomeEntry]) -> None:
    """Give each outcome its actions, oldest first: one query."""
    entries = {o.id: o for o in outcomes}
    found: dict[int, list[ActionEntry]] = defaultdict(list)
    for pk, outcome_id, owner, status, due, notes in (
        Action.objects.filter(outcome_id__in=entries)
        .order_by("created_at", "pk")
        .values_list("pk", "outcome_id", "owner", "status", "due_on", "notes")
    ):
        label = str(STATUS_LABELS.get(status, status))
        found[outcome_id].append(ActionEntry(pk, owner, label, due, notes, status))
    for outcome_id, entry in entries.items():
        entry.actions = found[outcome_id]


def _due(action: ActionEntry) -> str:
    return action.due.isoformat() if action.due else ""


def action_blocks(outcome: OutcomeEntry, anchor: str) -> Iterator[Block]:
    """Under an outcome: who is to act on it, how far each action has got, and by when."""
    yield Heading(5, _("Follow-up actions"), f"{anchor}-actions")
    if not outcome.actions:
        yield paragraph(_("No follow-up actions were recorded."))
        return
    yield Table(
        [Cell(_("Who is to act")), Cell(_("Status")), Cell(_("Due")), Cell(_("Notes"))],
        [
            [
                Cell(a.owner, header=True),
                Cell(a.status),
                Cell(date_format(a.due, "j F Y") if a.due else _("No date set")),
                Cell(a.notes),
            ]
            for a in outcome.actions
        ],
        caption=_(
            "The follow-up actions of outcome %(number)s, as they stood when the record was made"
        )
        % {"number": outcome.number},
        look=("compact",),
    )


def action_rows(record: Record) -> Iterator[dict]:
    """Every action of the record, by outcome: a row each."""
    for outcome in record.outcomes:
        for a in outcome.actions:
            yield {
                "id": a.id,
                "outcome": outcome.number,
                "breakout": outcome.breakout,
                "owner": a.owner,
                "status": a.status,
                "due": _due(a),
                "notes": a.notes,
            }


def action_json(outcome: OutcomeEntry) -> list[dict]:
    return [
        {
            "id": a.id,
            "owner": a.owner,
            "status": a.status,
            "due": a.due.isoformat() if a.due else None,
            "notes": a.notes,
        }
        for a in outcome.actions
    ]

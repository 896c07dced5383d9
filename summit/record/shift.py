"""How views moved, in the record: every agreement scale asked again at the close, worked out
by ``plenary.shift`` from the polls the record loaded already (one query more, for their
answers), and given as blocks for the page, Word and Markdown, as rows for the spreadsheet
and CSV, and as the JSON document's ``opinion_shift``.

Only totals and means appear, never a person's pair of answers; a sector of fewer than five
people who answered both rounds is given only with the other small sectors, and movement of
fewer than five people as "fewer than 5".
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plenary.models import Poll, PollOption
from plenary.shift import Movement, PollShift, SectorShift, StatementShift, shifts_for, signed
from summit.event.measures import withheld_or
from summit.record.blocks import (
    Block,
    Cell,
    Close,
    Heading,
    Open,
    Table,
    head,
    paragraph,
    people,
)
from summit.record.contents import Record
from summit.record.texts import heading, words

NOTE = gettext_lazy(
    "Each agreement scale asked again at the close, statement by statement. Levels run from "
    "1 (strongly disagree) to 5 (strongly agree), so a shift above zero is towards agreement. "
    "“All who answered” compares everyone who answered each round; “answered both” follows "
    "each person who answered both rounds and gives only totals, never anyone’s own answers. "
    "Movement is given for five people or more, and a sector with fewer than five people who "
    "answered both only together with the other small sectors."
)


def load_shifts(polls: list[Poll], names: dict[str, str]) -> list[PollShift]:
    """The shift of each closing round among ``polls`` (those run, options prefetched) whose
    first round is there too: one query, none when no poll was asked again."""
    by_id = {poll.pk: poll for poll in polls}
    pairs = [
        (by_id[poll.baseline_id], poll)
        for poll in polls
        if poll.baseline_id and poll.baseline_id in by_id
    ]
    if not pairs:
        return []
    options = {poll.pk: list(poll.options.all()) for pair in pairs for poll in pair}
    return shifts_for(pairs, options, names)


def statement_option(shift: PollShift, s: StatementShift) -> PollOption:
    """The first round's option a statement is (its ``number`` its place), with its Welsh
    version: read from the options the polls were loaded with."""
    return list(shift.baseline.options.all())[s.number - 1]


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _movement_rows(s: StatementShift) -> list[list[Cell]]:
    moved = s.moved
    rows = [
        [_("Shift of the mean, all who answered"), s.shift_text],
        [_("Answered both rounds"), withheld_or(moved.people)],
    ]
    if not moved.withheld:
        rows += [
            [_("Their mean move"), moved.shift_text],
            [_("Moved towards agreement"), moved.up],
            [_("Moved away from agreement"), moved.down],
            [_("Stayed where they were"), moved.same],
        ]
    return [[Cell(label, header=True), Cell(value)] for label, value in rows]


SECTOR_HEAD = (
    gettext_lazy("Sector"),
    gettext_lazy("First round"),
    gettext_lazy("Mean"),
    gettext_lazy("Closing round"),
    gettext_lazy("Mean"),
    gettext_lazy("Shift of the mean"),
    gettext_lazy("Answered both"),
    gettext_lazy("Their mean move"),
    gettext_lazy("Up"),
    gettext_lazy("Down"),
    gettext_lazy("Same"),
)


def _sector_cells(row: SectorShift) -> list[Cell]:
    moved = row.moved
    return [
        Cell(row.sector, header=True),
        Cell(withheld_or(row.before)),
        Cell(_mean(row.mean_before)),
        Cell(withheld_or(row.after)),
        Cell(_mean(row.mean_after)),
        Cell(signed(row.shift)),
        Cell(withheld_or(moved.people)),
        Cell(moved.shift_text),
        *(Cell(withheld_or(n)) for n in (moved.up, moved.down, moved.same)),
    ]


def _statement(shift: PollShift, s: StatementShift) -> Iterator[Block]:
    yield Open("block")
    number = {"number": s.number}
    yield Heading(4, _("Statement %(number)s") % number)
    yield paragraph(words(statement_option(shift, s), "text"), "statement")
    yield Table(
        head(_("Position"), _("First round"), _("Closing round")),
        [
            *(
                [Cell(str(level.label), header=True), Cell(level.before), Cell(level.after)]
                for level in s.levels
            ),
            [Cell(_("Answered"), header=True), Cell(s.before), Cell(s.after)],
            [
                Cell(_("Mean level"), header=True),
                Cell(_mean(s.mean_before)),
                Cell(_mean(s.mean_after)),
            ],
        ],
        caption=_("Positions on statement %(number)s in each round") % number,
        look=("compact", "numbers"),
    )
    yield Table(
        head(_("Measure"), _("Value")),
        _movement_rows(s),
        caption=_("How views on statement %(number)s moved") % number,
        look=("compact", "numbers", "headless"),
    )
    if shift.asked_again:
        yield Table(
            head(*SECTOR_HEAD),
            [_sector_cells(row) for row in s.sectors],
            caption=_("How views on statement %(number)s moved, by sector") % number,
            empty=_("Nobody of a named sector answered both rounds."),
            look=("compact", "numbers"),
        )
    yield Close("block")


def shift_blocks(record: Record) -> Iterator[Block]:
    yield paragraph(str(NOTE))
    if not record.shifts:
        yield paragraph(_("No poll was asked again at the close."))
        return
    for shift in record.shifts:
        yield heading(3, (words(shift.baseline, "question"),))
        yield paragraph(
            _(
                "First round: %(first)s answered · closing round: %(closing)s · answered both: "
                "%(both)s"
            )
            % {
                "first": people(shift.before),
                "closing": people(shift.after),
                "both": people(shift.both),
            },
            "meta",
        )
        for statement in shift.statements:
            yield from _statement(shift, statement)


def _levels(s: StatementShift, when: str) -> str:
    return "; ".join(f"{level.label} {getattr(level, when)}" for level in s.levels)


def _moved(moved: Movement) -> dict:
    return {
        "both": withheld_or(moved.people),
        "mean_move": moved.shift,
        "up": withheld_or(moved.up),
        "down": withheld_or(moved.down),
        "same": withheld_or(moved.same),
    }


SHIFT_COLUMNS = [
    "poll",
    "closing_poll",
    "question",
    "question_cy",
    "statement",
    "text",
    "text_cy",
    "first_round",
    "closing_round",
    "mean_before",
    "mean_after",
    "shift",
    "both",
    "mean_move",
    "up",
    "down",
    "same",
    "first_round_levels",
    "closing_round_levels",
]

SHIFT_SECTOR_COLUMNS = [
    "poll",
    "statement",
    "sector",
    "first_round",
    "closing_round",
    "mean_before",
    "mean_after",
    "shift",
    "both",
    "mean_move",
    "up",
    "down",
    "same",
]


def shift_rows(record: Record) -> Iterator[dict]:
    """A row for each statement asked twice: each round's positions and mean, the shift of
    the mean, and the movement of those who answered both."""
    for shift in record.shifts:
        for s in shift.statements:
            yield {
                "poll": shift.baseline.pk,
                "closing_poll": shift.closing.pk,
                "question": shift.baseline.question,
                "question_cy": shift.baseline.question_cy,
                "statement": s.number,
                "text": s.text,
                "text_cy": statement_option(shift, s).text_cy,
                "first_round": s.before,
                "closing_round": s.after,
                "mean_before": s.mean_before,
                "mean_after": s.mean_after,
                "shift": s.shift,
                **_moved(s.moved),
                "first_round_levels": _levels(s, "before"),
                "closing_round_levels": _levels(s, "after"),
            }


def shift_sector_rows(record: Record) -> Iterator[dict]:
    """The same, sector by sector, small sectors only together."""
    for shift in record.shifts:
        for s in shift.statements:
            for row in s.sectors:
                yield {
                    "poll": shift.baseline.pk,
                    "statement": s.number,
                    "sector": row.sector,
                    "first_round": withheld_or(row.before),
                    "closing_round": withheld_or(row.after),
                    "mean_before": row.mean_before,
                    "mean_after": row.mean_after,
                    "shift": row.shift,
                    **_moved(row.moved),
                }


def _paired(moved: Movement) -> dict:
    return {
        "people": moved.people,
        "mean_move": moved.shift,
        "up": moved.up,
        "down": moved.down,
        "same": moved.same,
    }


def shift_json(record: Record) -> list[dict]:
    """The JSON document's ``opinion_shift``: counts of people withheld are null."""
    return [
        {
            "poll": shift.baseline.pk,
            "closing_poll": shift.closing.pk,
            "question": shift.baseline.question,
            "question_cy": shift.baseline.question_cy,
            "first_round": shift.before,
            "closing_round": shift.after,
            "both": shift.both,
            "statements": [
                {
                    "number": s.number,
                    "text": s.text,
                    "text_cy": statement_option(shift, s).text_cy,
                    "levels": [
                        {
                            "level": v.value,
                            "label": str(v.label),
                            "before": v.before,
                            "after": v.after,
                        }
                        for v in s.levels
                    ],
                    "first_round": s.before,
                    "closing_round": s.after,
                    "mean_before": s.mean_before,
                    "mean_after": s.mean_after,
                    "shift": s.shift,
                    "paired": _paired(s.moved),
                    "by_sector": [
                        {
                            "sector": str(row.sector),
                            "first_round": row.before,
                            "closing_round": row.after,
                            "mean_before": row.mean_before,
                            "mean_after": row.mean_after,
                            "shift": row.shift,
                            "paired": _paired(row.moved),
                        }
                        for row in s.sectors
                    ],
                }
                for s in shift.statements
            ],
        }
        for shift in record.shifts
    ]

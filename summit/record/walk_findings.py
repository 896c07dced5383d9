"""What the summit found, as blocks: the dissent register, every plenary poll that was run,
participation with the voice balance across the breakouts, and the moderation and
facilitation log."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.text import Truncator

from summit.event.measures import withheld_or
from summit.record import parts
from summit.record.blocks import (
    Block,
    Cell,
    Close,
    Heading,
    Open,
    Paragraph,
    Rows,
    Span,
    Table,
    Words,
    head,
    paragraph,
    plural,
)
from summit.record.contents import (
    ASSUMPTIONS,
    CONSENSUS,
    OBSTACLES,
    AuditLine,
    Dissent,
    PollEntry,
    Record,
)
from summit.record.walk_breakout import remark_items, rule_heads, verdicts, voice_blocks

# Where a poll's results are given instead, when they belong to another section.
ELSEWHERE = {ASSUMPTIONS: "Working assumptions", OBSTACLES: "Obstacles ranked"}


def _dissent(d: Dissent) -> list[Cell]:
    return [
        Cell(f"({d.breakout})", link=f"Outcome {d.outcome}", anchor=f"outcome-{d.outcome}"),
        Cell(d.where),
        Cell(d.position),
        Cell(d.by),
        Cell(d.reason or "No reason given"),
    ]


def dissent_blocks(record: Record) -> Iterator[Block]:
    yield paragraph(parts.DISSENT_NOTE)
    if not record.dissent:
        yield paragraph("Nobody blocked or disagreed with an outcome.")
        return
    yield Table(
        head(*parts.DISSENT_HEAD),
        Rows(record.dissent, _dissent),
        caption="Blocks and disagreements",
    )


def _consensus(poll: PollEntry, supermajority: int) -> Iterator[Block]:
    """A consensus check: each outcome's result, which the outcome gives in full."""
    yield Paragraph(
        (
            Span(
                "Each outcome’s result, by sector, is given with the outcome; blocks and "
                "disagreements are in the "
            ),
            Span("dissent register", "dissent"),
            Span("."),
        )
    )
    rows = []
    for s in poll.statements:
        first = Cell(s.text, header=True)
        if s.outcome:
            first = Cell(
                "", header=True, link=f"Outcome {s.outcome}", anchor=f"outcome-{s.outcome}"
            )
        rows.append([first, Cell(s.rated), *verdicts(s.rated, s.decision)])
    yield Table(
        [*head(*parts.CONSENSUS_HEAD), *rule_heads(supermajority)],
        rows,
        caption=f"{poll.question}: what each decision rule makes of each outcome",
        look=("compact", "numbers"),
    )


def _results(poll: PollEntry) -> Iterator[Block]:
    """Any other poll's results: its answers or items, its statements, its words, and what
    people wrote."""
    if poll.bars:
        ranking = poll.kind == "ranking"
        yield Table(
            head("Item" if ranking else "Answer", "Points" if ranking else "Chosen by", "Note"),
            [[Cell(b.label, header=True), Cell(b.count), Cell(b.note)] for b in poll.bars],
            caption=f"Results of {poll.question}",
            look=("compact", "numbers"),
        )
    for statement in poll.statements:
        yield paragraph(statement.text, "statement")
        yield Table(
            head(*(level.label for level in statement.levels), "Answered"),
            [[*(Cell(level.count) for level in statement.levels), Cell(statement.rated)]],
            caption=f"Positions on: {Truncator(statement.text).chars(80)}",
            look=("compact", "numbers"),
        )
        if statement.remarks:
            yield remark_items(statement.remarks)
    if poll.words:
        yield Words(poll.words)
    if poll.remarks:
        yield remark_items(poll.remarks)
    if not poll.responses:
        yield paragraph("Nobody answered.")


def _poll(poll: PollEntry, supermajority: int) -> Iterator[Block]:
    yield Open("block")
    yield Heading(3, poll.question)
    round_ = f", round {poll.round}" if poll.round else ""
    where = f" · {poll.agenda_item}" if poll.agenda_item else ""
    yield paragraph(
        f"{poll.kind_label}{round_} · {poll.state} · "
        f"{plural(poll.responses, 'response', 'responses')}{where}",
        "meta",
    )
    if poll.part in ELSEWHERE:
        yield Paragraph(
            (Span("The results are in "), Span(ELSEWHERE[poll.part], poll.part), Span("."))
        )
    elif poll.part == CONSENSUS:
        yield from _consensus(poll, supermajority)
    else:
        yield from _results(poll)
    yield Close("block")


def poll_blocks(record: Record) -> Iterator[Block]:
    for poll in record.polls:
        yield from _poll(poll, record.supermajority)
    if not record.polls:
        yield paragraph("No plenary polls were run.")


def participation_blocks(record: Record) -> Iterator[Block]:
    yield Table(
        head("Figure", "Number"),
        [[Cell(f.label, header=True), Cell(f.value)] for f in record.figures],
        caption="Participation figures",
        look=("numbers", "headless"),
    )
    yield Heading(3, "By sector")
    yield Table(
        head(
            "Sector",
            "Attendees",
            "Ideas",
            "Comments",
            "People who placed dots",
            "People who answered polls",
        ),
        [
            [Cell(s.sector, header=True)]
            + [
                Cell(withheld_or(n))
                for n in (s.attendees, s.ideas, s.comments, s.voters, s.respondents)
            ]
            for s in record.by_sector
        ],
        caption="Contributions by sector",
        look=("numbers",),
    )
    yield from voice_blocks(
        record.voice,
        "Voice balance across the breakouts",
        "voice-all",
        record.all_breakouts,
        parts.SUMMIT_VOICE_NOTE,
    )


def _logged(a: AuditLine) -> list[Cell]:
    return [
        Cell(parts.when(a.at), look="nowrap", at=a.at),
        Cell(a.who),
        Cell(a.action),
        Cell(a.place),
        Cell(a.details, look="text"),
    ]


def log_blocks(record: Record) -> Iterator[Block]:
    note = parts.AUDIT_NOTE
    yield paragraph(note if record.whole else f"{note} {parts.SCOPED_AUDIT_NOTE}")
    if not record.audit:
        yield paragraph("Nothing was logged.")
        return
    yield Table(
        head(*parts.AUDIT_HEAD),
        Rows(record.audit, _logged),
        caption="What facilitators and organisers did, oldest first",
        look=("compact", "log"),
    )

"""The record walked once, in its order, as the blocks every document is drawn from: the
page, the Word document and Markdown give the same sections, headings and words because
they draw the same walk.

The sections come from one list, so the contents name exactly the sections that follow.
This module walks the summit's own sections (about the record, the agenda, attendance, the
working assumptions, the obstacles, the subthemes and who took part); ``walk_breakout`` walks
each breakout, and ``walk_findings`` what the summit found (the dissent register, the
plenary's polls, participation and the log).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from summit.event.measures import withheld_or
from summit.record import parts
from summit.record.blocks import (
    Block,
    Cell,
    Close,
    Contents,
    Fact,
    Facts,
    Heading,
    Items,
    Open,
    Paragraph,
    Rows,
    Span,
    Table,
    Title,
    head,
    joined,
    paragraph,
)
from summit.record.contents import AgendaEntry, RankedItem, Record, SectorCount
from summit.record.feedback import TITLE as FEEDBACK_TITLE
from summit.record.feedback import feedback_blocks
from summit.record.floor import TITLE as FLOOR_TITLE
from summit.record.floor import floor_blocks
from summit.record.shift import shift_blocks
from summit.record.texts import around, subtheme_heading, words
from summit.record.themes import TITLE as THEMES_TITLE
from summit.record.themes import theme_blocks
from summit.record.walk_breakout import breakout_blocks, prompt_items, remark_items
from summit.record.walk_findings import (
    dissent_blocks,
    log_blocks,
    participation_blocks,
    poll_blocks,
)

NAMING_NOTE = gettext_lazy(
    "People are named as they chose: by name and organisation, or as “Anonymous” with their "
    "sector. Every outcome lists the ideas it draws on, with their dots; ideas are numbered "
    "as they were on the day (#12)."
)


@dataclass(frozen=True)
class Section:
    """A section of the record: its heading, what it holds, and how it starts."""

    anchor: str
    title: str
    body: Iterator[Block]
    part: str = "section"
    new_page: bool = False
    chapter: bool = False

    def blocks(self) -> Iterator[Block]:
        """The section's blocks, walked as they are drawn: once."""
        yield Open(self.part, self.anchor, new_page=self.new_page, chapter=self.chapter)
        yield Heading(2, self.title, self.anchor)
        yield from self.body
        yield Close(self.part)


@dataclass(frozen=True)
class Outline:
    """The record as it opens (its title and contents), then its sections in three parts:
    the summit's own, the breakouts, and what the summit found. Each section is walked only
    when it is drawn, so a document holds one section's blocks at a time."""

    title: Title
    contents: Contents
    summit: list[Section]
    breakouts: list[Section]
    findings: list[Section]

    @property
    def sections(self) -> list[Section]:
        return [*self.summit, *self.breakouts, *self.findings]


def _about(record: Record) -> Iterator[Block]:
    made = timezone.localtime(record.generated_at)
    title = words(record, "title")
    facts = [Fact(pgettext("the event", "Summit"), title.text, lang=title.lang)]
    if record.convener:
        facts.append(Fact(_("Convened by"), record.convener))
    facts += [
        Fact(_("Date"), date_format(record.date, "j F Y") if record.date else _("Not set")),
        Fact(_("Status"), record.status),
        Fact(_("Record made"), date_format(made, "j F Y, H:i"), at=record.generated_at),
        Fact(_("Covers"), record.covers),
    ]
    yield Facts(facts, compact=False)
    summary = words(record, "summary")
    if summary.text:
        yield paragraph(summary, "reading")
    yield paragraph(str(NAMING_NOTE), "reading")
    yield paragraph(parts.rules_note(record.supermajority), "reading")


def _agenda_row(i: AgendaEntry) -> list[Cell]:
    title, description = words(i, "title"), words(i, "description")
    return [
        Cell(f"{i.starts_at}–{i.ends_at}" if i.ends_at else i.starts_at, look="nowrap"),
        Cell(
            title.text,
            header=True,
            note=description.text,
            lang=title.lang,
            note_lang=description.lang,
        ),
        Cell(i.kind),
    ]


def _agenda(record: Record) -> Iterator[Block]:
    yield Table(
        head(_("Time"), _("Item"), _("Kind")),
        [_agenda_row(i) for i in record.agenda],
        caption=_("Agenda"),
        empty=_("No agenda was set."),
    )


def _attendance(record: Record) -> Iterator[Block]:
    def row(r: SectorCount) -> list[Cell]:
        numbers = (r.attendees, r.facilitators, r.organisers, r.total)
        return [Cell(r.sector, header=True), *(Cell(withheld_or(n)) for n in numbers)]

    yield Table(
        head(_("Sector"), _("Attendees"), _("Facilitators"), _("Organisers"), _("All")),
        [row(r) for r in record.attendance],
        caption=_("People in the summit by sector and role"),
        foot=row(record.attendance_total),
        look=("numbers",),
    )


def _assumptions(record: Record) -> Iterator[Block]:
    n = record.assumptions_responses
    yield paragraph(
        ngettext(
            "%(count)s person said how far they agree with each working assumption, and some "
            "challenged it in their own words.",
            "%(count)s people said how far they agree with each working assumption, and some "
            "challenged it in their own words.",
            n,
        )
        % {"count": n}
    )
    for a in record.assumptions:
        yield Open("block")
        yield Heading(3, _("Assumption %(number)s") % {"number": a.number})
        yield paragraph(words(a, "text"), "statement")
        if a.rated:
            yield Table(
                head(*(level.label for level in a.levels), _("Answered")),
                [[*(Cell(level.count) for level in a.levels), Cell(a.rated)]],
                caption=_("Positions on assumption %(number)s") % {"number": a.number},
                look=("compact", "numbers"),
            )
        else:
            yield paragraph(_("Nobody answered on this assumption."), "hint")
        if a.challenges:
            yield Heading(
                4, _("Challenges people wrote (%(count)s)") % {"count": len(a.challenges)}
            )
            yield remark_items(a.challenges)
        yield Close("block")


def _obstacles(record: Record) -> Iterator[Block]:
    n = record.obstacles_responses
    yield paragraph(
        ngettext(
            "%(count)s person ranked the obstacles. First place earns as many points as there "
            "are obstacles, last place one.",
            "%(count)s people ranked the obstacles. First place earns as many points as there "
            "are obstacles, last place one.",
            n,
        )
        % {"count": n}
    )

    def row(o: RankedItem) -> list[Cell]:
        text = words(o, "text")
        return [
            Cell(o.place),
            Cell(text.text, header=True, lang=text.lang),
            Cell(o.points),
            Cell(o.note),
        ]

    yield Table(
        head(_("Place"), _("Obstacle"), _("Points"), _("Average place")),
        [row(o) for o in record.obstacles],
        caption=_("Obstacles by points"),
        look=("numbers",),
    )


def _subthemes(record: Record) -> Iterator[Block]:
    for s in record.subthemes:
        yield subtheme_heading(3, s)
        yield paragraph(words(s, "question"), "statement")
        if s.prompts:
            yield Items(prompt_items(s.prompts), "prompts")
        if not s.breakouts:
            yield paragraph(_("Breakouts: none in this record."))
            continue
        spans = [Span(_("Breakouts: "))]
        for b in s.breakouts:
            if len(spans) > 1:
                spans.append(Span(", "))
            spans.append(Span(b.name, f"breakout-{b.id}"))
        yield Paragraph((*spans, Span(".")))


def _people(record: Record) -> Iterator[Block]:
    yield Table(
        head(_("Name"), _("Sector"), _("Role")),
        Rows(record.people, lambda p: [Cell(p.name), Cell(p.sector), Cell(p.role)]),
        caption=_("Everyone in the summit, as the record names them"),
    )


def record_title(record: Record) -> tuple[Span, ...]:
    """The record's title, as every document gives it: "The record of …", the summit's
    title in the record's language."""
    return around(_("The record of %(title)s"), "title", words(record, "title"))


def _title(record: Record) -> Title:
    named, question = words(record, "title"), words(record, "central_question")
    spans = record_title(record)
    return Title(
        joined(spans),
        named.text,
        record.convener,
        question.text,
        spans,
        named.lang,
        question.lang,
    )


def outline(record: Record) -> Outline:
    breakouts = [
        Section(
            f"breakout-{b.id}",
            _("Breakout: %(name)s") % {"name": b.name},
            breakout_blocks(b),
            part="breakout",
            new_page=True,
            chapter=True,
        )
        for b in record.breakouts
    ]
    summit = [
        Section("about", _("About this record"), _about(record)),
        Section("agenda", _("Agenda"), _agenda(record)),
        Section("attendance", _("Attendance by sector"), _attendance(record)),
        Section("assumptions", _("Working assumptions"), _assumptions(record), new_page=True),
        Section("obstacles", _("Obstacles ranked"), _obstacles(record)),
        Section("subthemes", _("Subthemes and questions"), _subthemes(record), new_page=True),
    ]
    findings = [
        Section("themes", str(THEMES_TITLE), theme_blocks(record), new_page=True, chapter=True),
        Section(
            "dissent", _("Dissent register"), dissent_blocks(record), new_page=True, chapter=True
        ),
        Section("polls", _("Plenary polls"), poll_blocks(record), new_page=True),
        Section("shift", _("How views moved"), shift_blocks(record), new_page=True),
        Section("floor", str(FLOOR_TITLE), floor_blocks(record), new_page=True),
        Section("participation", _("Participation"), participation_blocks(record), new_page=True),
        Section("log", _("Moderation and facilitation log"), log_blocks(record), new_page=True),
        Section("people", _("Who took part"), _people(record)),
        Section("feedback", str(FEEDBACK_TITLE), feedback_blocks(record), new_page=True),
    ]
    title = _title(record)
    every = [*summit, *breakouts, *findings]
    contents = Contents([Span(s.title, s.anchor) for s in every])
    return Outline(title, contents, summit, breakouts, findings)


def walk(record: Record) -> Iterator[Block]:
    """The record as blocks, in its order: the title, the contents, then each section."""
    opening = outline(record)
    yield opening.title
    yield opening.contents
    for section in opening.sections:
        yield from section.blocks()

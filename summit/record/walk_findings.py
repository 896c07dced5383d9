"""What the summit found, as blocks: the dissent register, every plenary poll that was run,
participation with the voice balance across the breakouts, and the moderation and
facilitation log."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from summit.event.bilingual import text_in
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
    linked,
    paragraph,
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
from summit.record.texts import heading, words
from summit.record.walk_breakout import remark_items, rule_heads, verdicts, voice_blocks

# Where a poll's results are given instead, when they belong to another section.
ELSEWHERE = {
    ASSUMPTIONS: gettext_lazy("Working assumptions"),
    OBSTACLES: gettext_lazy("Obstacles ranked"),
}


def _outcome_link(number: int) -> str:
    return _("Outcome %(number)s") % {"number": number}


def _dissent(d: Dissent) -> list[Cell]:
    return [
        Cell(f"({d.breakout})", link=_outcome_link(d.outcome), anchor=f"outcome-{d.outcome}"),
        Cell(d.where),
        Cell(d.position),
        Cell(d.by),
        Cell(d.reason or _("No reason given")),
    ]


def dissent_blocks(record: Record) -> Iterator[Block]:
    yield paragraph(str(parts.DISSENT_NOTE))
    if not record.dissent:
        yield paragraph(_("Nobody blocked or disagreed with an outcome."))
        return
    yield Table(
        head(*parts.DISSENT_HEAD),
        Rows(record.dissent, _dissent),
        caption=_("Blocks and disagreements"),
    )


def _consensus(poll: PollEntry, supermajority: int) -> Iterator[Block]:
    """A consensus check: each outcome's result, which the outcome gives in full."""
    yield Paragraph(
        linked(
            # Translators: the words in square brackets link to the dissent register.
            _(
                "Each outcome’s result, by sector, is given with the outcome; blocks and "
                "disagreements are in the [dissent register]."
            ),
            "dissent",
        )
    )
    rows = []
    for s in poll.statements:
        first = Cell(s.text, header=True)
        if s.outcome:
            first = Cell(
                "", header=True, link=_outcome_link(s.outcome), anchor=f"outcome-{s.outcome}"
            )
        rows.append([first, Cell(s.rated), *verdicts(s.rated, s.decision)])
    yield Table(
        [*head(*parts.CONSENSUS_HEAD), *rule_heads(supermajority)],
        rows,
        caption=_("%(question)s: what each decision rule makes of each outcome")
        % {"question": text_in(poll, "question")},
        look=("compact", "numbers"),
    )


def _results(poll: PollEntry) -> Iterator[Block]:
    """Any other poll's results: its answers or items, its statements, its words, and what
    people wrote."""
    if poll.bars:
        ranking = poll.kind == "ranking"
        yield Table(
            head(
                _("Item") if ranking else _("Answer"),
                _("Points") if ranking else _("Chosen by"),
                _("Note"),
            ),
            [_bar(words(b, "label"), b.count, b.note) for b in poll.bars],
            caption=_("Results of %(question)s") % {"question": text_in(poll, "question")},
            look=("compact", "numbers"),
        )
    for statement in poll.statements:
        text = words(statement, "text")
        yield paragraph(text, "statement")
        yield Table(
            head(*(level.label for level in statement.levels), _("Answered")),
            [[*(Cell(level.count) for level in statement.levels), Cell(statement.rated)]],
            caption=_("Positions on: %(statement)s")
            % {"statement": Truncator(text.text).chars(80)},
            look=("compact", "numbers"),
        )
        if statement.remarks:
            yield remark_items(statement.remarks)
    if poll.words:
        yield Words(poll.words)
    if poll.remarks:
        yield remark_items(poll.remarks)
    if not poll.responses:
        yield paragraph(_("Nobody answered."))


def _bar(label: Span, count: int, note: str) -> list[Cell]:
    return [Cell(label.text, header=True, lang=label.lang), Cell(count), Cell(note)]


def _poll(poll: PollEntry, supermajority: int) -> Iterator[Block]:
    yield Open("block")
    yield heading(3, (words(poll, "question"),))
    kind = poll.kind_label
    if poll.round:
        kind = _("%(kind)s, round %(round)s") % {"kind": kind, "round": poll.round}
    facts = [
        kind,
        poll.state,
        ngettext("%(count)s response", "%(count)s responses", poll.responses)
        % {"count": poll.responses},
    ]
    if poll.agenda_item:  # the agenda item's title, marked apart
        yield Paragraph((Span(" · ".join([*facts, ""])), words(poll, "agenda_item")), "meta")
    else:
        yield paragraph(" · ".join(facts), "meta")
    if poll.part in ELSEWHERE:
        yield Paragraph(
            linked(
                # Translators: the section's name, in square brackets, links to it.
                _("The results are in [%(section)s].") % {"section": ELSEWHERE[poll.part]},
                poll.part,
            )
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
        yield paragraph(_("No plenary polls were run."))


def participation_blocks(record: Record) -> Iterator[Block]:
    yield Table(
        head(_("Figure"), _("Number")),
        [[Cell(f.label, header=True), Cell(f.value)] for f in record.figures],
        caption=_("Participation figures"),
        look=("numbers", "headless"),
    )
    yield Heading(3, _("By sector"))
    yield Table(
        head(
            _("Sector"),
            _("Attendees"),
            _("Ideas"),
            _("Comments"),
            _("People who placed dots"),
            _("People who answered polls"),
        ),
        [
            [Cell(s.sector, header=True)]
            + [
                Cell(withheld_or(n))
                for n in (s.attendees, s.ideas, s.comments, s.voters, s.respondents)
            ]
            for s in record.by_sector
        ],
        caption=_("Contributions by sector"),
        look=("numbers",),
    )
    yield from voice_blocks(
        record.voice,
        _("Voice balance across the breakouts"),
        "voice-all",
        record.all_breakouts,
        str(parts.SUMMIT_VOICE_NOTE),
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
    note = str(parts.AUDIT_NOTE)
    yield paragraph(note if record.whole else f"{note} {parts.SCOPED_AUDIT_NOTE}")
    if not record.audit:
        yield paragraph(_("Nothing was logged."))
        return
    yield Table(
        head(*parts.AUDIT_HEAD),
        Rows(record.audit, _logged),
        caption=_("What facilitators and organisers did, oldest first"),
        look=("compact", "log"),
    )

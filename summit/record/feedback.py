"""The record's appendix on feedback: how people rated the day and how far they felt heard,
overall and by sector, and what they said should change, as blocks for the page, Word and
Markdown, as JSON and as the tables of the spreadsheet and CSV.

The results come loaded from ``accounts.feedback.load_feedback``, with its rules already
kept: no sector of fewer than five people who answered on its own, and what people wrote
without names or sectors.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.feedback import FeedbackQuestion, FeedbackResults
from summit.event.measures import withheld_or
from summit.record.blocks import Block, Cell, Item, Items, Table, head, paragraph
from summit.record.contents import Record

TITLE = gettext_lazy("Appendix: feedback on the day")
NOTE = gettext_lazy(
    "After the day began, everyone in the summit could answer a short form. A sector of "
    "fewer than 5 people who answered is counted only together with other sectors, so that "
    "no small sector's count can be worked out from the totals. What people wrote is listed "
    "without names or sectors, in the order of its words."
)


def _row(label: str, counts: list, answered) -> list[Cell]:
    return [Cell(label, header=True), *(Cell(withheld_or(n)) for n in counts), Cell(answered)]


def _question(question: FeedbackQuestion) -> Table:
    rows = []
    for row in question.by_sector:
        if row.withheld:
            rows.append(_row(row.sector, [None] * len(row.counts), None))
        else:
            rows.append(_row(row.sector, row.counts, row.answered))
    return Table(
        head(_("Sector"), *(level.label for level in question.levels), _("Answered")),
        rows,
        caption=_("%(question)s By sector") % {"question": question.question},
        title=question.question,
        foot=_row(_("All sectors"), [level.count for level in question.levels], question.answered),
        look=("numbers",),
    )


def feedback_blocks(record: Record) -> Iterator[Block]:
    results = record.feedback
    yield paragraph(str(NOTE))
    if results is None or not results.answered:
        yield paragraph(_("Nobody gave feedback."))
        return
    n = results.answered
    yield paragraph(
        ngettext("%(count)s person gave feedback.", "%(count)s people gave feedback.", n)
        % {"count": n}
    )
    for question in results.questions:
        yield _question(question)
    yield paragraph(_("What should change"), "label")
    yield Items(
        [Item(text) for text in results.changes],
        "remarks",
        empty=_("Nobody wrote what should change."),
    )


def _json_question(question: FeedbackQuestion) -> dict:
    return {
        "question": question.question,
        "levels": [
            {"level": v.value, "label": str(v.label), "count": v.count} for v in question.levels
        ],
        "by_sector": [
            {"sector": str(row.sector), "counts": row.counts, "answered": row.answered}
            for row in question.by_sector
        ],
    }


def feedback_json(results: FeedbackResults | None) -> dict:
    if results is None:
        return {"answered": 0, "questions": {}, "changes": []}
    return {
        "answered": results.answered,
        "questions": {q.key: _json_question(q) for q in results.questions},
        "changes": results.changes,
    }


def feedback_rows(record: Record) -> Iterator[dict]:
    """One row a level and sector, the totals of all sectors first."""
    if record.feedback is None:
        return
    everyone = _("All sectors")
    for question in record.feedback.questions:
        for n, level in enumerate(question.levels):
            yield {
                "question": question.question,
                "level": level.value,
                "label": str(level.label),
                "sector": everyone,
                "count": level.count,
            }
            for row in question.by_sector:
                yield {
                    "question": question.question,
                    "level": level.value,
                    "label": str(level.label),
                    "sector": str(row.sector),
                    "count": withheld_or(row.counts[n]),
                }


def change_rows(record: Record) -> Iterator[dict]:
    if record.feedback is not None:
        for text in record.feedback.changes:
            yield {"text": text}

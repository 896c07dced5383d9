"""Questions from the floor, in the record: every session of questions with every question
asked in it, whatever became of it, each with who asked it (as the record names everyone),
its status, the reason a moderator dismissed it or the note they kept of its answer, and its
support: how many backed it, by sector, and its cross-sector support score, as for ideas.

Loaded in three queries however many questions and supporters there are (one when no
session was held), and given as blocks for the page, Word and Markdown, as the
``qa_sessions`` and ``questions`` tables of the spreadsheet and CSV, and as the JSON
document's ``qa_sessions``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import give_sector_names
from breakouts.board import named_supporters
from plenary.models import QaSession, Question, QuestionSupport
from summit.event.measures import SectorCell, cross_sector_support, support_order
from summit.event.models import Summit
from summit.record import parts
from summit.record.blocks import (
    Block,
    Cell,
    Close,
    Fact,
    Facts,
    Heading,
    Open,
    Rows,
    Table,
    head,
    paragraph,
)
from summit.record.contents import Record
from summit.record.rows import when
from summit.record.texts import words

TITLE = gettext_lazy("Questions from the floor")
NOTE = gettext_lazy(
    "Every question asked from the floor, session by session in the order asked, whatever "
    "became of it: who asked it, named as they chose, what a moderator did with it, the "
    "reason they gave for dismissing it and the note they kept of its answer. A moderator's "
    "change to a question's words is marked as an edit. A supporter is anyone who backed the "
    "question; the questions are then given in order of cross-sector support, scored as "
    "ideas are (the sum over sectors of log2(1 + supporters)), ties going to more supporters "
    "and then the earlier question. A duplicate merged into another keeps its supporters, "
    "who support the one kept as well. A sector of fewer than 5 supporters is counted only "
    "together with other sectors, so that no small sector's count can be worked out."
)
EDITED = gettext_lazy("edited by a moderator")

S = Question.Status


@dataclass
class FloorQuestion:
    """A question as the record gives it: its asker only as the record names them."""

    id: int
    text: str
    by: str
    sector: str
    status: str
    status_label: str
    merged_into: int | None
    dismiss_reason: str
    answer_note: str
    created_at: dt.datetime
    answered_at: dt.datetime | None
    edited_at: dt.datetime | None
    supporters: int = 0
    score: float = 0.0
    # (sector, supporters), most first; sectors too small to show alone only together, last
    sectors: tuple[SectorCell, ...] = ()

    @property
    def rounded(self) -> float:
        return round(self.score, 2)

    def breakdown(self, separator: str = ", ") -> str:
        """The supporters by sector as words: "Local government 7, Faith 5"."""
        return separator.join(str(cell) for cell in self.sectors)

    @property
    def outcome(self) -> str:
        """What became of it: its status, with the question it was merged into or when."""
        if self.status == S.MERGED and self.merged_into is not None:
            return _("Merged into #%(number)s") % {"number": self.merged_into}
        if self.status == S.ANSWERED and self.answered_at is not None:
            return _("Answered at %(time)s") % {"time": _hhmm(self.answered_at)}
        return self.status_label

    @property
    def note(self) -> str:
        """The answer note of an answered question, or why a dismissed one was dismissed."""
        if self.status == S.DISMISSED:
            return self.dismiss_reason
        return self.answer_note


@dataclass
class FloorSession:
    id: int
    title: str
    agenda_item: str
    state: str
    state_label: str
    premoderated: bool
    questions: list[FloorQuestion] = field(default_factory=list)
    agenda_item_cy: str = ""

    @property
    def by_support(self) -> list[FloorQuestion]:
        """The questions in order of cross-sector support, as the chair ranks them."""
        return sorted(self.questions, key=lambda q: support_order(q.score, q.supporters, q.id))

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.status == S.ANSWERED)


def _hhmm(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


def _supporters(question_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each question's supporters, counted by their sector. One grouped query."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, sector, n in (
        QuestionSupport.objects.filter(question_id__in=question_ids)
        .values_list("question_id", "participant__sector")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    ):
        found[question_id][sector] = n
    return found


def _entry(question: Question, by_sector: dict[str, int], names: dict[str, str]) -> FloorQuestion:
    return FloorQuestion(
        id=question.pk,
        text=question.text,
        by=question.attribution,
        sector=question.author.sector_label,
        status=question.status,
        status_label=question.get_status_display(),
        merged_into=question.merged_into_id,
        dismiss_reason=question.dismiss_reason,
        answer_note=question.answer_note,
        created_at=question.created_at,
        answered_at=question.answered_at,
        edited_at=question.edited_at,
        supporters=sum(by_sector.values()),
        score=cross_sector_support(by_sector),
        sectors=tuple(named_supporters(by_sector, names)),
    )


def load_floor(summit: Summit, names: dict[str, str]) -> list[FloorSession]:
    """Every session of questions in the summit's plenary, oldest first, each with its
    questions in the order asked and their support by sector, sectors named as in ``names``
    (the summit's). Three queries, or one when no session was held."""
    sessions = {
        s.pk: FloorSession(
            s.pk,
            s.title,
            s.agenda_item.title if s.agenda_item else "",
            s.state,
            s.get_state_display(),
            s.premoderated,
            agenda_item_cy=s.agenda_item.title_cy if s.agenda_item else "",
        )
        for s in QaSession.objects.filter(plenary__summit=summit)
        .select_related("agenda_item")
        .order_by("created_at", "pk")
    }
    if not sessions:
        return []
    questions = list(
        Question.objects.filter(session_id__in=sessions)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    give_sector_names((q.author for q in questions), names)
    support = _supporters([q.pk for q in questions]) if questions else {}
    for q in questions:
        sessions[q.session_id].questions.append(_entry(q, support.get(q.pk, {}), names))
    return list(sessions.values())


# The page, Word and Markdown


def _asked(q: FloorQuestion) -> list[Cell]:
    text = f"{q.text} ({EDITED})" if q.edited_at else q.text
    return [
        Cell(f"#{q.id}"),
        Cell(text, look="text"),
        Cell(q.by),
        Cell(_hhmm(q.created_at), look="nowrap", at=q.created_at),
        Cell(q.outcome),
        Cell(q.note),
    ]


def _supported(place_and_question: tuple[int, FloorQuestion]) -> list[Cell]:
    place, q = place_and_question
    return [
        Cell(place),
        Cell(f"#{q.id} {q.text}", look="text"),
        Cell(q.supporters),
        Cell(parts.score(q.score)),
        Cell(q.breakdown() or _("None")),
        Cell(q.outcome),
    ]


def _session(session: FloorSession) -> Iterator[Block]:
    anchor = f"floor-session-{session.id}"
    yield Open("block")
    yield Heading(3, session.title, anchor)
    item = words(session, "agenda_item")
    facts = [Fact(_("Agenda item"), item.text, lang=item.lang)] if item.text else []
    asked = _("%(asked)s asked, %(answered)s answered") % {
        "asked": len(session.questions),
        "answered": session.answered,
    }
    yield Facts(
        [
            *facts,
            Fact(_("State"), session.state_label),
            Fact(_("Pre-moderated"), _("Yes") if session.premoderated else _("No")),
            Fact(_("Questions"), asked),
        ]
    )
    if not session.questions:
        yield paragraph(_("Nobody asked a question in this session."))
        yield Close("block")
        return
    yield Table(
        head(
            _("No."),
            _("Question"),
            _("Asked by"),
            _("Asked"),
            _("Status"),
            _("Answer note or reason"),
        ),
        Rows(session.questions, _asked),
        caption=_("The questions asked in %(session)s, in the order asked")
        % {"session": session.title},
    )
    yield Table(
        head(
            _("Place"),
            _("Question"),
            _("Supporters"),
            _("Cross-sector support"),
            _("Supporters by sector"),
            _("Status"),
        ),
        Rows(list(enumerate(session.by_support, start=1)), _supported),
        caption=_("The questions asked in %(session)s, in order of cross-sector support")
        % {"session": session.title},
        title=_("By cross-sector support"),
        look=("compact",),
    )
    yield Close("block")


def floor_blocks(record: Record) -> Iterator[Block]:
    yield paragraph(str(NOTE))
    if not record.floor:
        yield paragraph(_("No session of questions from the floor was held."))
        return
    for session in record.floor:
        yield from _session(session)


def floor_summary(record: Record) -> list[Block]:
    """What the summary says of the questions from the floor: how many, and no one's words
    or names. Nothing when no session was held."""
    if not record.floor:
        return []
    questions = [q for s in record.floor for q in s.questions]
    answered = sum(s.answered for s in record.floor)
    sessions = ngettext("%(count)s session", "%(count)s sessions", len(record.floor)) % {
        "count": len(record.floor)
    }
    were_answered = ngettext("%(count)s was answered", "%(count)s were answered", answered) % {
        "count": answered
    }
    return [
        paragraph(
            ngettext(
                "%(count)s question was asked from the floor in %(sessions)s; %(answered)s.",
                "%(count)s questions were asked from the floor in %(sessions)s; %(answered)s.",
                len(questions),
            )
            % {"count": len(questions), "sessions": sessions, "answered": were_answered}
        )
    ]


# The spreadsheet, the CSV bundle and the JSON document

SESSION_COLUMNS = ["id", "title", "agenda_item", "agenda_item_cy", "state", "premoderated"]
SESSION_COLUMNS += ["questions", "answered"]
QUESTION_COLUMNS = [
    "id",
    "session",
    "text",
    "by",
    "sector",
    "status",
    "merged_into",
    "supporters",
    "support_score",
    "supporters_by_sector",
    "dismiss_reason",
    "answer_note",
    "created_at",
    "answered_at",
    "edited_at",
]


def _session_row(s: FloorSession) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "agenda_item": s.agenda_item,
        "agenda_item_cy": s.agenda_item_cy,
        "state": s.state,
        "premoderated": s.premoderated,
    }


def session_rows(record: Record) -> Iterator[dict]:
    for s in record.floor:
        yield {**_session_row(s), "questions": len(s.questions), "answered": s.answered}


def _question(session: FloorSession, q: FloorQuestion) -> dict:
    return {
        "id": q.id,
        "session": session.id,
        "text": q.text,
        "by": q.by,
        "sector": q.sector,
        "status": q.status,
        "merged_into": q.merged_into,
        "supporters": q.supporters,
        "support_score": q.rounded,
        "supporters_by_sector": q.breakdown("; "),
        "dismiss_reason": q.dismiss_reason,
        "answer_note": q.answer_note,
        "created_at": when(q.created_at),
        "answered_at": when(q.answered_at),
        "edited_at": when(q.edited_at),
    }


def question_rows(record: Record) -> Iterator[dict]:
    """Every question, session by session in the order asked, its supporters by sector in
    words ("Local government 7; Other sectors together (…) 6")."""
    for session in record.floor:
        for q in session.questions:
            yield _question(session, q)


def floor_json(record: Record) -> list[dict]:
    """The JSON document's ``qa_sessions``: supporters by sector as a list, withheld null."""
    return [
        {
            **_session_row(s),
            "agenda_item": s.agenda_item or None,
            "questions": [
                {
                    **{k: v for k, v in _question(s, q).items() if k != "session"},
                    "supporters_by_sector": [
                        {"sector": cell.label, "supporters": cell.count} for cell in q.sectors
                    ],
                }
                for q in s.questions
            ],
            "by_support": [q.id for q in s.by_support],
        }
        for s in record.floor
    ]

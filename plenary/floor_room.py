"""What an attendee's phone shows of the questions from the floor: each session open for
questions (with its form) or closed (read only), its questions as everyone sees them, with
their support and whether the person looking supports each, and the person's own questions
whatever became of them. Loaded in a number of queries that does not grow with the number
of sessions, questions or supporters. Sessions not yet open are the moderators' alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Participant, give_sector_names
from plenary.floor_forms import AskForm
from plenary.models import Plenary, QaSession, Question, QuestionSupport
from plenary.questions import SEEN_BY_ALL, SORTS, QuestionView, sorted_by
from summit.event.sectors import sector_names

S = Question.Status
# The person's choice of order, kept in their session so every fetch of the list keeps it.
SORT_KEY = "floor_sort"


@dataclass
class Asking:
    """One session's form as it comes back from being sent: refused (with the text typed and
    its token, so sending it again stays one question), or with the question just asked."""

    session_id: int
    form: AskForm
    token: uuid.UUID
    asked: Question | None = None


@dataclass
class FloorSession:
    session: QaSession
    # Still to answer, the one being answered first, then in the order the person chose.
    questions: list[QuestionView] = field(default_factory=list)
    answered: list[QuestionView] = field(default_factory=list)
    form: AskForm | None = None
    token: uuid.UUID | None = None
    asked: Question | None = None

    @property
    def count(self) -> int:
        return len(self.questions) + len(self.answered)


@dataclass
class Floor:
    sessions: list[FloorSession]
    sort: str
    # The person's own questions, newest first, in every lane.
    mine: list[QuestionView] = field(default_factory=list)
    # A form sent to a session that no longer takes questions: said at the top.
    refused: Asking | None = None

    @property
    def open_sessions(self) -> list[FloorSession]:
        return [s for s in self.sessions if s.session.is_open]

    @property
    def closed_sessions(self) -> list[FloorSession]:
        return [s for s in self.sessions if not s.session.is_open]

    @property
    def seen(self) -> tuple[str, ...]:
        """The lanes whose questions everyone sees."""
        return SEEN_BY_ALL

    @property
    def any_questions(self) -> bool:
        return any(s.count for s in self.sessions)


def chosen_sort(request) -> str:
    """The order the person asked for now (``?sort=``), kept for the fetches that follow;
    else the one they chose before; else most support first."""
    asked = request.GET.get("sort")
    if asked in SORTS:
        if request.session.get(SORT_KEY) != asked:
            request.session[SORT_KEY] = asked
        return asked
    kept = request.session.get(SORT_KEY)
    return kept if kept in SORTS else SORTS[0]


def _questions(sessions: list[QaSession], viewer: Participant) -> list[Question]:
    """Everyone's questions that everyone sees, and the viewer's own in any lane, each with
    how many support it and whether the viewer does: one query."""
    by_id = {s.pk: s for s in sessions}
    theirs = QuestionSupport.objects.filter(question=OuterRef("pk"), participant=viewer)
    questions = list(
        Question.objects.filter(session_id__in=by_id)
        .filter(Q(status__in=SEEN_BY_ALL) | Q(author=viewer))
        .select_related("author", "merged_into")
        .annotate(support=Count("supports"), supported=Exists(theirs))
        .order_by("pk")
    )
    for question in questions:
        question.session = by_id[question.session_id]
    return questions


def load_floor(
    plenary: Plenary, viewer: Participant, sort: str, asking: Asking | None = None
) -> Floor:
    """The questions from the floor on ``viewer``'s phone, in ``sort`` order; ``asking``,
    the form of one session as it came back from being sent."""
    sessions = list(
        QaSession.objects.filter(
            plenary=plenary, state__in=[QaSession.State.OPEN, QaSession.State.CLOSED]
        )
    )
    if not sessions:
        return Floor([], sort, refused=asking)
    for session in sessions:
        session.plenary = plenary
    questions = _questions(sessions, viewer)
    # Once, for every anonymous asker's sector.
    give_sector_names((q.author for q in questions), sector_names(plenary.summit))
    views = [
        QuestionView(q, support=q.support, mine=q.author_id == viewer.pk, supported=q.supported)
        for q in questions
    ]
    floor = Floor([], sort, sorted((v for v in views if v.mine), key=lambda v: -v.question.pk))
    for session in sessions:
        shown = [
            v
            for v in views
            if v.question.session_id == session.pk and v.question.status in SEEN_BY_ALL
        ]
        still = sorted_by([v for v in shown if v.question.status != S.ANSWERED], sort)
        still.sort(key=lambda v: v.question.status != S.ANSWERING)
        answered = [v for v in shown if v.question.status == S.ANSWERED]
        answered.sort(key=lambda v: v.question.answered_at or v.question.created_at, reverse=True)
        part = FloorSession(session, still, answered)
        if session.is_open and asking is not None and asking.session_id == session.pk:
            part.form, part.token, part.asked = asking.form, asking.token, asking.asked
            asking = None
        elif session.is_open:
            part.form, part.token = AskForm(), uuid.uuid4()
        floor.sessions.append(part)
    floor.refused = asking
    return floor

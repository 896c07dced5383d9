"""The moderators' and chair's view of the questions from the floor: a session's questions
sorted into their lanes, with the top ones by support and by cross-sector support."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.models import give_sector_names
from plenary.models import Plenary, QaSession, Question
from plenary.questions import QuestionView, by_cross_sector_support, load_questions, sorted_by
from summit.event.sectors import sector_names

S = Question.Status
TOP = 5


@dataclass
class Lanes:
    """One session's questions, lane by lane, as the moderators work them."""

    session: QaSession | None
    sessions: list[QaSession] = field(default_factory=list)
    answering: list[QuestionView] = field(default_factory=list)
    queue: list[QuestionView] = field(default_factory=list)
    awaiting: list[QuestionView] = field(default_factory=list)
    published: list[QuestionView] = field(default_factory=list)
    answered: list[QuestionView] = field(default_factory=list)
    dismissed: list[QuestionView] = field(default_factory=list)
    merged: list[QuestionView] = field(default_factory=list)
    top_by_spread: list[QuestionView] = field(default_factory=list)
    top_by_support: list[QuestionView] = field(default_factory=list)

    @property
    def still_to_answer(self) -> list[QuestionView]:
        """What a duplicate may be merged into: every question not yet dealt with."""
        return [*self.answering, *self.queue, *self.awaiting, *self.published]


def sessions_of(plenary: Plenary) -> list[QaSession]:
    """The plenary's sessions, oldest first, each with how many questions it has and how
    many await review. One query."""
    return list(
        QaSession.objects.filter(plenary=plenary)
        .select_related("agenda_item")
        .annotate(
            asked=Count("questions"),
            awaiting=Count("questions", filter=Q(questions__status=S.AWAITING)),
        )
    )


def chosen_session(sessions: list[QaSession], session_id: str | None) -> QaSession | None:
    """The session asked for, else the first open one, else the latest."""
    by_id = {str(s.pk): s for s in sessions}
    if session_id in by_id:
        return by_id[session_id]
    open_now = [s for s in sessions if s.is_open]
    return open_now[0] if open_now else (sessions[-1] if sessions else None)


def load_lanes(plenary: Plenary, session_id: str | None = None) -> Lanes:
    """The lanes of the session asked for (or the one the chair most likely wants).
    A constant number of queries, however many questions and supporters."""
    sessions = sessions_of(plenary)
    session = chosen_session(sessions, session_id)
    lanes = Lanes(session, sessions)
    if session is None:
        return lanes
    session.plenary = plenary
    views = load_questions(session, lanes=S.values)
    # Once, for every anonymous asker's sector.
    give_sector_names((v.question.author for v in views), sector_names(plenary.summit))
    for view in views:
        getattr(lanes, _LANE[view.question.status]).append(view)
    lanes.queue.sort(key=lambda v: (v.question.queue_position or 0, v.question.pk))
    waiting = [*lanes.queue, *lanes.published]
    lanes.top_by_spread = by_cross_sector_support(waiting)[:TOP]
    lanes.top_by_support = sorted_by(waiting, "support")[:TOP]
    lanes.answered.sort(key=lambda v: v.question.answered_at or v.question.created_at)
    return lanes


_LANE = {
    S.ANSWERING: "answering",
    S.QUEUED: "queue",
    S.AWAITING: "awaiting",
    S.PUBLISHED: "published",
    S.ANSWERED: "answered",
    S.DISMISSED: "dismissed",
    S.MERGED: "merged",
}

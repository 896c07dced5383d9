"""Questions from the floor, as attendees send and support them, and as every screen reads
them: with their support, and the spread of that support over sectors that ranks them for
the chair (the same cross-sector support score as ideas: ``summit.event.measures``).

Asking and supporting are not audited (as answering a poll is not); each writes in a
transaction and pushes after commit (``plenary.floor_live``). The moderators' lanes are in
``plenary.moderation``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Participant
from plenary import floor_live
from plenary.models import Plenary, QaSession, Question, QuestionSupport
from summit.event.measures import cross_sector_support, support_order
from summit.event.refusals import Refused

# Where a question shows, lane by lane: attendees see only what is published or further on.
SEEN_BY_ALL = (
    Question.Status.PUBLISHED,
    Question.Status.QUEUED,
    Question.Status.ANSWERING,
    Question.Status.ANSWERED,
)
STILL_TO_ANSWER = (Question.Status.PUBLISHED, Question.Status.QUEUED)
SORTS = ("support", "newest")


def _may_take_part(person: Participant, session: QaSession) -> None:
    if person.removed_at is not None or person.summit_id != session.plenary.summit_id:
        raise Refused(_("You have been removed from this summit. Ask an organiser for help."))
    if not session.is_open:
        raise Refused(
            _("This session is closed to questions.")
            if session.state == QaSession.State.CLOSED
            else _("This session is not open for questions yet.")
        )


def ask_question(
    session: QaSession, author: Participant, text: str, client_token: uuid.UUID
) -> tuple[Question, bool]:
    """``author``'s question in ``session``, once per client token: named, or anonymous if
    they take part anonymously. Awaiting review when the session is pre-moderated, otherwise
    published at once. Returns the question and whether it is new.

    Side effects: the question written; after commit, a published one goes to every screen,
    and one awaiting review to the moderators'.
    """
    _may_take_part(author, session)
    existing = Question.objects.filter(author=author, client_token=client_token).first()
    if existing is not None:
        return existing, False
    summit = session.plenary.summit
    status = Question.Status.AWAITING if session.premoderated else Question.Status.PUBLISHED
    try:
        with transaction.atomic():
            question = Question.objects.create(
                session=session,
                author=author,
                text=text,
                anonymous=author.anonymous and summit.allow_anonymous,
                status=status,
                client_token=client_token,
            )
            question.session = session
            transaction.on_commit(partial(floor_live.question_asked, question), robust=True)
    except IntegrityError:
        return Question.objects.get(author=author, client_token=client_token), False
    return question, True


def support_question(question: Question, person: Participant, supported: bool) -> int:
    """Set whether ``person`` supports ``question``: one support each, taken back as freely.
    Setting what is already so changes nothing, so a retried request counts once. Refused
    for the asker's own question, for one not yet published or already dealt with, and once
    its session has closed. Returns the question's support now.

    Side effects: the support written or deleted; after commit, the new count to every
    screen (folded, as poll tallies are, when several come at once).
    """
    _may_take_part(person, question.session)
    if question.author_id == person.pk:
        raise Refused(_("You cannot support your own question."))
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.status not in (*STILL_TO_ANSWER, Question.Status.ANSWERING):
            raise Refused(_("This question is no longer taking support."))
        if supported:
            made = QuestionSupport.objects.get_or_create(question=locked, participant=person)[1]
        else:
            made = bool(
                QuestionSupport.objects.filter(question=locked, participant=person).delete()[0]
            )
        count = QuestionSupport.objects.filter(question=locked).count()
        if made:
            transaction.on_commit(partial(floor_live.support_changed, question, count), robust=True)
    return count


@dataclass
class QuestionView:
    """A question as a screen shows it: its support, by sector, and whether the person
    looking supports it (or asked it)."""

    question: Question
    support: int = 0
    by_sector: Counter = field(default_factory=Counter)
    score: float = 0.0
    mine: bool = False
    supported: bool = False

    @property
    def order_key(self) -> tuple:
        return support_order(self.score, self.support, self.question.pk)


def load_questions(
    session: QaSession, *, viewer: Participant | None = None, lanes=SEEN_BY_ALL
) -> list[QuestionView]:
    """The session's questions in ``lanes``, oldest first, each with its support and its
    score. Three queries, however many questions and supporters."""
    questions = list(
        Question.objects.filter(session=session, status__in=lanes).select_related(
            "author", "merged_into"
        )
    )
    mine = viewer.pk if viewer is not None else None
    views = {q.pk: QuestionView(q, mine=q.author_id == mine) for q in questions}
    rows = QuestionSupport.objects.filter(question_id__in=views).values_list(
        "question_id", "participant_id", "participant__sector"
    )
    for question_id, person_id, sector in rows:
        view = views[question_id]
        view.support += 1
        view.by_sector[sector] += 1
        if viewer is not None and person_id == viewer.pk:
            view.supported = True
    for view in views.values():
        view.score = cross_sector_support(view.by_sector)
    return list(views.values())


def sorted_by(views: list[QuestionView], sort: str) -> list[QuestionView]:
    """As attendees choose: most supporters first (then the earlier), or newest first."""
    if sort == "newest":
        return sorted(views, key=lambda v: -v.question.pk)
    return sorted(views, key=lambda v: (-v.support, v.question.pk))


def by_cross_sector_support(views: list[QuestionView]) -> list[QuestionView]:
    """As the chair ranks them: support spread across sectors first, so a question backed
    across sectors outranks a bloc's, then more supporters, then the earlier."""
    return sorted(views, key=lambda v: v.order_key)


def open_sessions(plenary: Plenary) -> list[QaSession]:
    """The plenary's sessions open for questions, with how many each has waiting for review."""
    return list(
        QaSession.objects.filter(plenary=plenary, state=QaSession.State.OPEN).annotate(
            awaiting=Count("questions", filter=Q(questions__status=Question.Status.AWAITING))
        )
    )

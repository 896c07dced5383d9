"""Working the questions from the floor: the sessions they are asked in, and the lanes a
question moves through (awaiting review, published, queued, now answering, answered,
dismissed, merged). Facilitators, organisers and the moderators an organiser names do this.

Each change writes in a transaction, logs the moderator's action in the audit log, and after
commit tells every screen of the plenary to fetch its questions again
(``plenary.floor_live``); putting a question on, or taking it off, the big screen redraws the
room, as any change to the big screen does.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Participant
from plenary import audit, floor_live, live
from plenary.models import Plenary, QaSession, Question, QuestionSupport
from summit.event.models import AgendaItem
from summit.event.refusals import Refused

S = Question.Status
# A question can still be put, or dealt with, from these lanes.
LIVE_LANES = (S.AWAITING, S.PUBLISHED, S.QUEUED, S.ANSWERING)


def _check(by: Participant, plenary: Plenary) -> None:
    if by.summit_id != plenary.summit_id or by.removed_at is not None or not by.moderates:
        raise Refused(_("Only the summit’s moderators work the questions from the floor."))


# Sessions


def add_session(
    plenary: Plenary,
    *,
    title: str,
    agenda_item: AgendaItem | None = None,
    premoderated: bool = False,
    by: Participant,
) -> QaSession:
    """A new session of questions, not yet open. Side effects: written; logged; the
    consoles fetch their questions again."""
    _check(by, plenary)
    if agenda_item is not None and agenda_item.summit_id != plenary.summit_id:
        raise Refused(_("Choose one of the summit’s agenda items."))
    with transaction.atomic():
        session = QaSession.objects.create(
            plenary=plenary, title=title, agenda_item=agenda_item, premoderated=premoderated
        )
        audit.log(by, "Added a session of questions from the floor", session=session.pk)
        _changed(plenary, gettext_lazy("A session of questions was added."))
    return session


def change_session(
    session: QaSession, *, state: str | None = None, premoderated: bool | None = None, by
) -> QaSession:
    """Open or close a session, or turn pre-moderation on or off. Closing it answers the
    question being answered, if any, and takes it off the big screen; a closed session is
    read only, and may be opened again. Side effects: written; logged; every screen
    fetches its questions again (and the room is redrawn if the big screen changed)."""
    plenary = session.plenary
    _check(by, plenary)
    if state is not None and state not in QaSession.State.values:
        raise Refused(_("Choose open or closed."))
    with transaction.atomic():
        current = QaSession.objects.select_for_update().get(pk=session.pk)
        changes = {}
        if state is not None and state != current.state:
            changes["state"] = (current.state, state)
            current.state = state
        if premoderated is not None and premoderated != current.premoderated:
            changes["premoderated"] = (current.premoderated, premoderated)
            current.premoderated = premoderated
        if not changes:
            return current
        current.save(update_fields=[*changes])
        if current.state == QaSession.State.CLOSED:
            answering = current.questions.filter(status=S.ANSWERING)
            answering.update(status=S.ANSWERED, answered_at=timezone.now())
            _off_screen(plenary, session=current)
        audit.log(
            by,
            "Changed a session of questions from the floor",
            session=current.pk,
            **{key: list(value) for key, value in changes.items()},
        )
        _changed(plenary, gettext_lazy("The questions from the floor have changed."))
    current.plenary = plenary
    return current


# Lanes


def _locked(question: Question) -> Question:
    session = question.session
    current = Question.objects.select_for_update().get(pk=question.pk)
    current.session = session
    return current


def _move(question: Question, to: str, allowed: tuple, by: Participant, action: str, **fields):
    """Move ``question`` to lane ``to`` from one of ``allowed``, writing ``fields`` too."""
    plenary = question.session.plenary
    _check(by, plenary)
    if question.session.state == QaSession.State.CLOSED:
        raise Refused(_("This session is closed: its questions are read only."))
    current = _locked(question)
    if current.status not in allowed:
        raise Refused(
            _("This question is %(status)s, so it cannot be moved there.")
            % {"status": current.get_status_display().lower()}
        )
    current.status = to
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=["status", *fields])
    audit.log(by, action, question=current.pk, status=to)
    return current


def publish(question: Question, *, by: Participant) -> Question:
    """A question awaiting review, published for everyone to see and support."""
    with transaction.atomic():
        current = _move(
            question, S.PUBLISHED, (S.AWAITING, S.DISMISSED), by, "Published a question"
        )
        current.dismiss_reason = ""
        current.save(update_fields=["dismiss_reason"])
        _changed(question.session.plenary, gettext_lazy("A question was published."))
    return current


def queue(question: Question, *, by: Participant) -> Question:
    """Put a question at the end of the chair's queue."""
    with transaction.atomic():
        last = Question.objects.filter(session_id=question.session_id, status=S.QUEUED).aggregate(
            last=Max("queue_position")
        )["last"]
        current = _move(
            question,
            S.QUEUED,
            (S.AWAITING, S.PUBLISHED),
            by,
            "Queued a question",
            queue_position=(last or 0) + 1,
        )
        _changed(question.session.plenary, gettext_lazy("A question was queued."))
    return current


def unqueue(question: Question, *, by: Participant) -> Question:
    """Take a question out of the queue, back among the published ones."""
    with transaction.atomic():
        current = _move(
            question,
            S.PUBLISHED,
            (S.QUEUED,),
            by,
            "Took a question out of the queue",
            queue_position=None,
        )
        _changed(question.session.plenary, "")
    return current


def move_in_queue(question: Question, step: int, *, by: Participant) -> Question:
    """Move a queued question one place earlier (``step`` -1) or later (+1)."""
    plenary = question.session.plenary
    _check(by, plenary)
    if step not in (-1, 1):
        raise Refused(_("Move a question one place up or down."))
    with transaction.atomic():
        queued = list(
            Question.objects.select_for_update()
            .filter(session_id=question.session_id, status=S.QUEUED)
            .order_by("queue_position", "id")
        )
        at = next((n for n, q in enumerate(queued) if q.pk == question.pk), None)
        if at is None:
            raise Refused(_("This question is not in the queue."))
        other = at + step
        if 0 <= other < len(queued):
            queued[at], queued[other] = queued[other], queued[at]
            for position, each in enumerate(queued, start=1):
                each.queue_position = position
            Question.objects.bulk_update(queued, ["queue_position"])
            audit.log(by, "Moved a question in the queue", question=question.pk, step=step)
            _changed(plenary, "")
    return queued[other] if 0 <= other < len(queued) else question


def answer_now(question: Question, *, by: Participant) -> Question:
    """The question the panel answers now: on the big screen, and highlighted on every
    phone. The one answered before it, if any, is marked answered."""
    plenary = question.session.plenary
    with transaction.atomic():
        Plenary.objects.select_for_update().filter(pk=plenary.pk).first()
        earlier = Question.objects.filter(session__plenary=plenary, status=S.ANSWERING)
        earlier.exclude(pk=question.pk).update(status=S.ANSWERED, answered_at=timezone.now())
        current = _move(
            question,
            S.ANSWERING,
            (S.AWAITING, S.PUBLISHED, S.QUEUED),
            by,
            "Put a question to the panel",
            queue_position=None,
        )
        plenary.showing = Plenary.Showing.FLOOR
        plenary.shown_question = current
        plenary.save(update_fields=["showing", "shown_question"])
        _changed(plenary, "")
        transaction.on_commit(
            partial(
                live.room_changed,
                plenary,
                gettext_lazy("A question from the floor is being answered."),
            ),
            robust=True,
        )
    return current


def mark_answered(question: Question, note: str = "", *, by: Participant) -> Question:
    """The question has been answered (an answer note, if given, goes on the record). It
    leaves the big screen."""
    with transaction.atomic():
        current = _move(
            question,
            S.ANSWERED,
            (S.PUBLISHED, S.QUEUED, S.ANSWERING),
            by,
            "Marked a question answered",
            queue_position=None,
            answer_note=note,
            answered_at=timezone.now(),
        )
        _off_screen(question.session.plenary, question=current)
        _changed(question.session.plenary, gettext_lazy("A question was answered."))
    return current


def dismiss(question: Question, reason: str, *, by: Participant) -> Question:
    """Set a question aside, with the reason (kept on the record)."""
    if not reason.strip():
        raise Refused(_("Say why the question is dismissed."))
    with transaction.atomic():
        current = _move(
            question,
            S.DISMISSED,
            LIVE_LANES,
            by,
            "Dismissed a question",
            queue_position=None,
            dismiss_reason=reason.strip(),
        )
        _off_screen(question.session.plenary, question=current)
        _changed(question.session.plenary, "")
    return current


def merge(question: Question, into: Question, *, by: Participant) -> Question:
    """A duplicate merged into another question of the same session: every supporter of
    either, and the duplicate's asker, support the one kept, each once."""
    if into.pk == question.pk or into.session_id != question.session_id:
        raise Refused(_("Merge a question into another of the same session."))
    with transaction.atomic():
        kept = Question.objects.select_for_update().get(pk=into.pk)
        if kept.status not in LIVE_LANES:
            raise Refused(_("Merge into a question still to be answered."))
        current = _move(
            question,
            S.MERGED,
            LIVE_LANES,
            by,
            "Merged a duplicate question",
            queue_position=None,
            merged_into=kept,
        )
        backers = set(
            QuestionSupport.objects.filter(question=current).values_list(
                "participant_id", flat=True
            )
        )
        backers.add(current.author_id)
        backers.discard(kept.author_id)
        QuestionSupport.objects.bulk_create(
            [QuestionSupport(question=kept, participant_id=pk) for pk in sorted(backers)],
            ignore_conflicts=True,
        )
        _off_screen(question.session.plenary, question=current)
        _changed(question.session.plenary, "")
    return current


def edit_question(question: Question, text: str, *, by: Participant) -> Question:
    """A moderator's change to a question's words (a typo, a name): shown as edited."""
    with transaction.atomic():
        current = _move(
            question,
            question.status,
            LIVE_LANES,
            by,
            "Edited a question",
            text=text,
            edited_at=timezone.now(),
        )
        _changed(question.session.plenary, "")
    return current


def _off_screen(plenary: Plenary, *, question: Question | None = None, session=None) -> None:
    """Take the question (or any of the session's) off the big screen, if it is there."""
    shown = Plenary.objects.filter(pk=plenary.pk, showing=Plenary.Showing.FLOOR)
    if question is not None:
        shown = shown.filter(shown_question=question)
    else:
        shown = shown.filter(shown_question__session=session)
    if shown.update(showing=Plenary.Showing.QUESTION, shown_question=None):
        plenary.showing, plenary.shown_question = Plenary.Showing.QUESTION, None
        transaction.on_commit(partial(live.room_changed, plenary, ""), robust=True)


def _changed(plenary: Plenary, announcement) -> None:
    """After commit, every screen fetches its questions again; ``announcement`` (lazy, so
    that each screen hears it in its own language) is said to those who listen."""
    transaction.on_commit(partial(floor_live.questions_changed, plenary, announcement), robust=True)

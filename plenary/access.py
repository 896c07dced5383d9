"""Who may see or steer the plenary: the one place that decides, for views and consumers."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import get_participant_for
from accounts.models import Participant
from breakouts.access import SCREEN_KEY
from plenary.models import Plenary, Poll, QaSession, Question
from plenary.services import plenary_for


@dataclass(frozen=True)
class PlenaryAccess:
    plenary: Plenary
    participant: Participant

    @property
    def can_facilitate(self) -> bool:
        return self.participant.is_organiser or self.participant.is_facilitator

    @property
    def can_moderate(self) -> bool:
        """Works the questions from the floor: a facilitator, an organiser, or a moderator
        an organiser has named."""
        return self.participant.moderates


def get_plenary_for(
    user, summit_slug: str, *, facilitate: bool = False, moderate: bool = False
) -> PlenaryAccess:
    """The summit's plenary and the asker's part in it. Everyone in the summit may follow it;
    ``facilitate`` needs a facilitator or organiser, ``moderate`` one of them or a named
    moderator. Raises as ``get_participant_for``, and ``PermissionDenied`` for someone in
    the summit who may not moderate."""
    participant = get_participant_for(user, summit_slug, facilitate=facilitate)
    access = PlenaryAccess(plenary_for(participant.summit), participant)
    if moderate and not access.can_moderate:
        raise PermissionDenied("Only moderators work the questions from the floor.")
    return access


def get_qa_session_for(access: PlenaryAccess, session_id: int) -> QaSession:
    """One of this plenary's sessions of questions; any other number is not found."""
    session = QaSession.objects.filter(pk=session_id, plenary=access.plenary).first()
    if session is None:
        raise Http404("No such session.")
    session.plenary = access.plenary
    return session


def get_question_for(access: PlenaryAccess, question_id: int) -> Question:
    """One of this plenary's questions from the floor, with its session; any other number
    is not found, and so is one awaiting review, dismissed or merged, for anyone but a
    moderator and its own asker."""
    question = (
        Question.objects.select_related("session", "author")
        .filter(pk=question_id, session__plenary=access.plenary)
        .first()
    )
    hidden = question is not None and question.status in HIDDEN_FROM_OTHERS
    if question is None or (
        hidden and not access.can_moderate and question.author_id != access.participant.pk
    ):
        raise Http404("No such question.")
    question.session.plenary = access.plenary
    return question


HIDDEN_FROM_OTHERS = (
    Question.Status.AWAITING,
    Question.Status.DISMISSED,
    Question.Status.MERGED,
)


def get_poll_for(access: PlenaryAccess, poll_id: int) -> Poll:
    """One of this plenary's polls; any other number is not found."""
    poll = Poll.objects.filter(pk=poll_id, plenary=access.plenary).first()
    if poll is None:
        raise Http404("No such poll.")
    poll.plenary = access.plenary
    return poll


def get_plenary_by_screen_key(key: str) -> Plenary | None:
    """The plenary whose big-screen link this is; ``None`` for any other string."""
    if not SCREEN_KEY.fullmatch(key):
        return None
    return Plenary.objects.select_related("summit").filter(screen_key=key).first()

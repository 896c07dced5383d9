"""Who may see or steer the plenary: the one place that decides, for views and consumers."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.access import get_participant_for
from accounts.models import Participant
from breakouts.access import SCREEN_KEY
from plenary.models import Plenary, Poll
from plenary.services import plenary_for


@dataclass(frozen=True)
class PlenaryAccess:
    plenary: Plenary
    participant: Participant

    @property
    def can_facilitate(self) -> bool:
        return self.participant.is_organiser or self.participant.is_facilitator


def get_plenary_for(user, summit_slug: str, *, facilitate: bool = False) -> PlenaryAccess:
    """The summit's plenary and the asker's part in it. Everyone in the summit may follow it;
    ``facilitate`` needs a facilitator or organiser. Raises as ``get_participant_for``."""
    participant = get_participant_for(user, summit_slug, facilitate=facilitate)
    return PlenaryAccess(plenary_for(participant.summit), participant)


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

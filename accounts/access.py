"""Who someone is at a summit: the one place that decides, for every view of the summit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Participant


def get_participant_for(user, summit_slug: str) -> Participant:
    """The user's participation in the summit, or ``Http404`` so outsiders learn nothing."""
    if not user.is_authenticated:
        raise PermissionDenied
    participant = (
        Participant.objects.select_related("summit")
        .filter(user=user, summit__slug=summit_slug)
        .first()
    )
    if participant is None:
        raise Http404("No such summit.")
    return participant

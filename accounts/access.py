"""Who someone is at a summit: the one place that decides, for every view of the summit."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
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


def signed_in(view):
    """Like ``login_required``, but an htmx request from a signed-out person gets a 403.

    A redirect would be followed inside the XHR and the sign-in page swapped into the form or
    list that made the request, replacing what the person typed; a 403 swaps nothing, and the
    page says the person is signed out while their text stays where it was.
    """
    redirecting = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and getattr(request, "htmx", False):
            raise PermissionDenied
        return redirecting(request, *args, **kwargs)

    return wrapper

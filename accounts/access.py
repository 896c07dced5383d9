"""Who someone is at a summit: the one place that decides, for every view of the summit."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Participant


def get_participant_for(
    user, summit_slug: str, *, facilitate: bool = False, organise: bool = False
) -> Participant:
    """The user's part in the summit, checked against what they ask to do.

    Raises ``Http404`` when the user is not (or no longer) in the summit, so outsiders learn
    nothing of it, and ``PermissionDenied`` when they are in it without the role asked for:
    ``facilitate`` needs a facilitator or organiser, ``organise`` an organiser.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    participant = (
        Participant.objects.active()
        .select_related("summit")
        .filter(user=user, summit__slug=summit_slug)
        .first()
    )
    if participant is None:
        raise Http404("No such summit.")
    if organise and not participant.is_organiser:
        raise PermissionDenied
    if facilitate and not (participant.is_organiser or participant.is_facilitator):
        raise PermissionDenied
    return participant


def may_create_summits(user) -> bool:
    """Organisers of any summit, and the installation's staff, may set up new summits."""
    if not user.is_authenticated or not user.has_usable_password():
        return False
    return (
        user.is_staff
        or Participant.objects.active().filter(user=user, role=Participant.Role.ORGANISER).exists()
    )


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

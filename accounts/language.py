"""A person's language, remembered for them (the services' layer).

The choice is theirs alone and shows nothing to anyone else, so it is kept without an audit
entry or a push: in the session, and on each of their parts in a summit, so that it comes back
when they sign in on another device and their emails are written in it.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from accounts.models import Participant
from summit.web.language import SESSION_KEY, is_offered


def choose_language(session, user, code: str) -> None:
    """Remember ``code`` as the person's language; ``ValueError`` if it is not offered."""
    if not is_offered(code):
        raise ValueError(f"{code!r} is not a language the app is offered in.")
    session[SESSION_KEY] = code
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            Participant.objects.filter(user=user).exclude(language=code).update(language=code)


@receiver(user_logged_in, dispatch_uid="summit.language.remembered")
def bring_back_language(sender, request, user, **kwargs) -> None:
    """Signing in brings back the language last chosen at a summit, unless one was chosen in
    this session already (on the sign-in page itself)."""
    session = getattr(request, "session", None)
    if session is None or is_offered(session.get(SESSION_KEY)):
        return
    remembered = (
        Participant.objects.filter(user=user)
        .exclude(language="")
        .order_by("-joined_at")
        .values_list("language", flat=True)
        .first()
    )
    if remembered and is_offered(remembered):
        session[SESSION_KEY] = remembered

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.utils.crypto import salted_hmac


def offline_queue_key(request) -> str:
    """Names what a page keeps on the device while it cannot send (static/js/offline.js): one
    person in one signed-in session. Someone else signing in on the same phone, or the same
    person after signing out, gets another name, and the page drops what the old one kept."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    session = request.session.session_key or ""
    return salted_hmac(
        "summit.offline-queue", f"{user.pk}:{session}", algorithm="sha256"
    ).hexdigest()[:32]


def site(request) -> dict:
    # The key is worked out only by a template that shows it.
    return {
        "demo_login_enabled": settings.DEMO_LOGIN,
        "offline_queue_key": partial(offline_queue_key, request),
    }

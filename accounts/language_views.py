"""The language switch on every page (with the views)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.language import choose_language

# A year: the cookie only carries the choice past signing out.
COOKIE_AGE = 365 * 24 * 60 * 60


def _back(request) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else reverse("home")


@require_POST
def switch_language(request):
    """Show the app in the language chosen, from now on, and go back to the same page."""
    code = request.POST.get("language", "")
    try:
        choose_language(request.session, request.user, code)
    except ValueError:
        messages.error(request, _("Choose English or Cymraeg."))
        return HttpResponseRedirect(_back(request))
    response = HttpResponseRedirect(_back(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Participant, User


@require_http_methods(["GET", "POST"])
def demo_login(request: HttpRequest) -> HttpResponse:
    """Enter as a demonstration account, without a password. Off unless DEMO_LOGIN is on."""
    if not settings.DEMO_LOGIN:
        raise Http404("The demo login is turned off.")
    people = (
        Participant.objects.filter(user__is_demo=True)
        .select_related("user", "summit")
        .order_by("summit__title", "role", "display_name")
    )
    error = None
    if request.method == "POST":
        user = User.objects.filter(is_demo=True, username=request.POST.get("username", "")).first()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            participant = user.participations.select_related("summit").first()
            if participant is None:
                return redirect("home")
            return redirect("summit_home", slug=participant.summit.slug)
        error = "Choose one of the demo accounts listed"
    return render(
        request,
        "accounts/demo_login.html",
        {"people": people, "error": error},
        status=422 if error else 200,
    )

"""How views moved: every agreement scale asked again at the close, its statements before and
after, for the organisers (the summit's facilitators may read it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import get_participant_for, signed_in
from plenary.forms import SCALE
from plenary.shift import load_shifts


@require_GET
@signed_in
def shift_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Each poll asked twice: both rounds' answers per statement as bars and a table, the
    shift for everyone who answered and for those who answered both, overall and by sector."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    summit = participant.summit
    context = {
        "summit": summit,
        "participant": participant,
        "shifts": load_shifts(summit.pk),
        "levels": SCALE,
    }
    return render(request, "summit/shift.html", context)

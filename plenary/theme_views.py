"""Putting a theme across rooms on the plenary's big screen, and taking it off: with the
views, each calling one service of ``plenary.themes``. Asked from the plenary console
(``view=facilitators``), the answer is the console; asked from a synthesis page, it is a
word on what the big screen now shows, said where the person is looking."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import signed_in
from plenary import themes
from plenary.access import PlenaryAccess, get_plenary_for
from plenary.forms import ThemeChoiceForm
from plenary.room import FACILITATORS
from plenary.views import console_refusal, console_response
from summit.event.refusals import Refused


def _from_console(request: HttpRequest) -> bool:
    return request.POST.get("view") == FACILITATORS


def _back_to(access: PlenaryAccess, subtheme_id: int | None) -> str:
    slug = access.plenary.summit.slug
    if subtheme_id:
        return reverse("synthesis_subtheme", args=[slug, subtheme_id])
    return reverse("synthesis", args=[slug])


def _subtheme(request: HttpRequest) -> int | None:
    asked = request.POST.get("subtheme", "")
    return int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 19 else None


def _answer(request, access: PlenaryAccess, said: str, subtheme_id: int | None, *, ok: bool):
    if _from_console(request):
        return console_response(request, access) if ok else console_refusal(request, access, said)
    if not request.htmx:
        (messages.success if ok else messages.error)(request, said)
        return redirect(_back_to(access, subtheme_id))
    partial = "theme_notice" if ok else "refusal"
    context = {"message": said}
    return render(request, f"plenary/room.html#{partial}", context, status=200 if ok else 422)


@require_POST
@signed_in
def show_theme(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_plenary_for(request.user, slug, facilitate=True)
    form = ThemeChoiceForm(request.POST)
    if not form.is_valid():
        said = next(iter(form.errors.values()))[0]
        return _answer(request, access, said, _subtheme(request), ok=False)
    try:
        theme = themes.show_theme(access.plenary, form.cleaned_data["theme"], by=access.participant)
    except Refused as refused:
        return _answer(request, access, str(refused), _subtheme(request), ok=False)
    said = _("“%(name)s” is on the big screen.") % {"name": theme.name}
    return _answer(request, access, said, theme.subtheme_id, ok=True)


@require_POST
@signed_in
def clear_theme(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_plenary_for(request.user, slug, facilitate=True)
    if themes.clear_theme(access.plenary, by=access.participant):
        said = _("The theme is off the big screen, which shows what it showed before.")
    else:
        said = _("No theme is on the big screen.")
    return _answer(request, access, said, _subtheme(request), ok=True)

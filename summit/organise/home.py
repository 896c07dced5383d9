"""The summit's own pages: the welcome page, an attendee's "my summit" and the pre-reading."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.access import get_participant_for, may_create_summits, signed_in
from accounts.forms import NO_PREFERENCE, JoinCodeForm, PreferenceForm, subthemes_offered
from accounts.models import Participant
from breakouts.first_thoughts import may_post_first_thoughts
from breakouts.models import Breakout
from summit.event.models import AgendaItem, Summit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    participations = []
    if request.user.is_authenticated:
        participations = list(request.user.participations.active().select_related("summit"))
    # An archived summit leaves everyone's list; its organisers keep it, set apart.
    archived = [p for p in participations if p.summit.status == Summit.Status.ARCHIVED]
    return render(
        request,
        "summit/home.html",
        {
            "participations": [p for p in participations if p not in archived],
            "archived": [p for p in archived if p.is_organiser],
            "form": JoinCodeForm(),
            "may_create": may_create_summits(request.user),
        },
    )


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "summit/privacy.html")


@require_GET
def summit_privacy(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit's privacy notice, filled from its settings: public, since people read it
    before they join, and it holds nothing about anyone."""
    summit = get_object_or_404(Summit, slug=slug)
    return render(request, "summit/privacy.html", {"summit": summit})


def now_and_next(
    agenda: list[AgendaItem], now: dt.time, on_now_id: int | None = None
) -> tuple[AgendaItem | None, AgendaItem | None]:
    """What is on and what comes after it: the item the facilitators have moved the day on
    to, if they have, or else whatever the agenda's times of day put at ``now``."""
    if on_now_id is not None:
        at = next((n for n, item in enumerate(agenda) if item.pk == on_now_id), None)
        if at is not None:
            return agenda[at], agenda[at + 1] if at + 1 < len(agenda) else None
    current = next(
        (i for i in agenda if i.starts_at and i.ends_at and i.starts_at <= now < i.ends_at), None
    )
    upcoming = next((i for i in agenda if i.starts_at and i.starts_at > now), None)
    return current, upcoming


@require_GET
@signed_in
def summit_home(request: HttpRequest, slug: str) -> HttpResponse:
    return summit_home_page(request, get_participant_for(request.user, slug))


def summit_home_page(
    request: HttpRequest, participant: Participant, preference_form: PreferenceForm | None = None
) -> HttpResponse:
    """The summit's home page for ``participant``; with a refused ``preference_form`` as a
    422."""
    summit = participant.summit
    agenda = list(summit.agenda.all())
    current, upcoming = now_and_next(agenda, summit.time_of_day(), summit.agenda_now_id)
    every_breakout = Breakout.objects.filter(summit=summit).select_related("subtheme")
    breakouts = every_breakout
    if not participant.is_organiser:
        breakouts = (
            breakouts.filter(members=participant) | breakouts.filter(facilitators=participant)
        ).distinct()
    if settings.DEMO_LOGIN and not participant.is_organiser and not participant.is_facilitator:
        breakouts = breakouts.prefetch_related(
            Prefetch(
                "facilitators",
                queryset=Participant.objects.filter(user__is_demo=True),
                to_attr="demo_facilitators",
            )
        )
    other_breakouts = []
    if summit.attendees_choose_breakout:
        mine = {b.pk for b in breakouts}
        other_breakouts = [
            b for b in every_breakout.exclude(phase=Breakout.Phase.CLOSED) if b.pk not in mine
        ]
    return render(
        request,
        "summit/summit_home.html",
        {
            "summit": summit,
            "participant": participant,
            "agenda": agenda,
            "current": current,
            "upcoming": upcoming,
            "breakouts": breakouts,
            "other_breakouts": other_breakouts,
            "subthemes": summit.subthemes.all(),
            "before_day": may_post_first_thoughts(summit),
            "preference_form": preference_form or _preference_form(participant),
        },
        status=422 if preference_form is not None and preference_form.errors else 200,
    )


def _preference_form(participant: Participant) -> PreferenceForm | None:
    """What an attendee sees of their preferred subtheme: asked only where there is a choice
    to make."""
    if participant.role != Participant.Role.ATTENDEE:
        return None
    subthemes = subthemes_offered(participant.summit)
    if len(subthemes) < 3:
        return None
    chosen = participant.preferred_subtheme_id
    initial = {"preferred_subtheme": str(chosen) if chosen else NO_PREFERENCE}
    return PreferenceForm(initial=initial, subthemes=subthemes)


@require_GET
@signed_in
def pre_reading(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug)
    summit = participant.summit
    return render(
        request,
        "summit/pre_reading.html",
        {"summit": summit, "participant": participant, "materials": summit.materials.all()},
    )

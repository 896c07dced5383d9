"""Before the day, on the summit's own pages: a person's first thoughts on its subthemes,
and the subtheme they would prefer to work on."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as account_services
from accounts.access import get_participant_for, signed_in
from accounts.forms import PreferenceForm, subthemes_offered
from accounts.models import Participant
from breakouts.first_thoughts import (
    may_post_first_thoughts,
    post_first_thought,
    withdraw_first_thought,
)
from breakouts.forms import FirstThoughtForm
from breakouts.models import FirstThought
from summit.event.bilingual import text_in
from summit.event.refusals import Refused
from summit.organise.home import summit_home_page


def _subthemes(participant: Participant) -> list[tuple[str, str]]:
    return [
        (str(s.pk), text_in(s, "title"))
        for s in participant.summit.subthemes.filter(retired_at__isnull=True)
    ]


@require_http_methods(["GET", "POST"])
@signed_in
def first_thoughts(request: HttpRequest, slug: str) -> HttpResponse:
    """Before the day, anyone in the summit writes first thoughts on its subthemes; on the
    day they are on the breakouts' walls. The person sees their own here."""
    participant = get_participant_for(request.user, slug)
    summit = participant.summit
    subthemes = _subthemes(participant)
    if request.method == "GET":
        form = FirstThoughtForm(initial={"client_token": uuid.uuid4()}, subthemes=subthemes)
    else:
        form = FirstThoughtForm(request.POST, subthemes=subthemes)
        if form.is_valid():
            try:
                post_first_thought(
                    author=participant,
                    subtheme=summit.subthemes.get(pk=form.cleaned_data["subtheme"]),
                    text=form.cleaned_data["text"],
                    client_token=form.cleaned_data["client_token"],
                )
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Your first thought is saved for the day."))
                return redirect("first_thoughts", slug=slug)
    return _page(request, participant, form)


def _page(request: HttpRequest, participant: Participant, form: FirstThoughtForm) -> HttpResponse:
    summit = participant.summit
    mine = (
        FirstThought.objects.filter(author=participant)
        .select_related("subtheme", "idea__breakout")
        .order_by("subtheme__order", "created_at", "id")
    )
    context = {
        "summit": summit,
        "participant": participant,
        "form": form,
        "mine": mine,
        "before_day": may_post_first_thoughts(summit),
    }
    status = 422 if form.errors else 200
    return render(request, "summit/first_thoughts.html", context, status=status)


@require_POST
@signed_in
def withdraw(request: HttpRequest, slug: str, thought_id: int) -> HttpResponse:
    """A person takes back one of their first thoughts before the day. Its words come back
    in the form, to change and save again, or to leave."""
    participant = get_participant_for(request.user, slug)
    subthemes = _subthemes(participant)
    try:
        thought = withdraw_first_thought(author=participant, thought_id=thought_id)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("first_thoughts", slug=slug)
    if thought is None:
        messages.info(request, _("That first thought is withdrawn already."))
        return redirect("first_thoughts", slug=slug)
    messages.success(
        request,
        _("First thought withdrawn. Its words are in the form below to change and save."),
    )
    initial = {
        "client_token": uuid.uuid4(),
        "subtheme": str(thought.subtheme_id),
        "text": thought.text,
    }
    return _page(request, participant, FirstThoughtForm(initial=initial, subthemes=subthemes))


@require_POST
@signed_in
def preference(request: HttpRequest, slug: str) -> HttpResponse:
    """An attendee says which subtheme they would prefer, from the summit's home page."""
    participant = get_participant_for(request.user, slug)
    form = PreferenceForm(request.POST, subthemes=subthemes_offered(participant.summit))
    if form.is_valid():
        try:
            account_services.prefer_subtheme(participant, form.preferred_subtheme_id)
        except Refused as refused:
            form.add_error("preferred_subtheme", str(refused))
        else:
            messages.success(request, _("Saved the subtheme you would prefer."))
            return redirect("summit_home", slug=slug)
    return summit_home_page(request, participant, preference_form=form)

"""After the day: each participant's "what we did" page, which their return link leads to
once the summit has closed, and the summary the organisers may publish at a public link.

What the page shows is the organisers' choice (``Summit.shared_after``): the record's summary
(``summit.record.summary``, naming nobody), the full record page, or nothing but the person's
own contributions. The follow-up actions' status changes on the page as organisers change it,
through the socket of ``summit.organise.consumers``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.models import Participant
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise.after import (
    publish_summary,
    share_after,
    summit_by_public_key,
    withdraw_public_link,
)
from summit.organise.after_forms import SharedAfterForm
from summit.organise.my_data import own_contributions
from summit.record.build import build_record
from summit.record.summary import summary_of
from summit.record.walk import outline

TEMPLATE = "summit/what_we_did.html"


def _shared(summit: Summit) -> dict:
    """What the organisers share of the record, once the summit has closed."""
    if not summit.is_over or summit.shared_after == Summit.SharedAfter.NOTHING:
        return {}
    full = summit.shared_after == Summit.SharedAfter.FULL
    record = build_record(summit, contributions=full, themes=full)
    shared = {"summary": summary_of(record)}
    if full:
        shared["outline"] = outline(record)
    return shared


def _page(
    request: HttpRequest, participant: Participant, form: SharedAfterForm | None = None
) -> dict:
    summit = participant.summit
    context = {"summit": summit, "participant": participant, **_shared(summit)}
    if summit.is_over:
        context["own"] = own_contributions(participant)
    if participant.is_organiser:
        context["form"] = form or SharedAfterForm(initial={"shared_after": summit.shared_after})
        if summit.public_key:
            context["public_url"] = request.build_absolute_uri(
                reverse("public_summary", args=[summit.public_key])
            )
    return context


@require_GET
@signed_in
@never_cache
def what_we_did(request: HttpRequest, slug: str) -> HttpResponse:
    """What the summit did, for the people who took part: open once it has closed."""
    participant = get_participant_for(request.user, slug)
    return render(request, TEMPLATE, _page(request, participant))


@require_POST
@signed_in
def choose_shared(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug, organise=True)
    form = SharedAfterForm(request.POST)
    if form.is_valid():
        try:
            share_after(participant.summit, form.cleaned_data["shared_after"], by=participant)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Saved what participants see after the day."))
            return redirect("what_we_did", slug=slug)
    context = {**_page(request, participant, form), "failed": True}
    return render(request, TEMPLATE, context, status=422)


@require_POST
@signed_in
def publish_link(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug, organise=True)
    publish_summary(participant.summit, by=participant)
    messages.success(request, _("The summary is published at its public link."))
    return redirect("what_we_did", slug=slug)


@require_POST
@signed_in
def withdraw_link(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug, organise=True)
    withdraw_public_link(participant.summit, by=participant)
    messages.success(request, _("The public link is withdrawn: it no longer works."))
    return redirect("what_we_did", slug=slug)


@require_GET
@never_cache
def public_summary(request: HttpRequest, key: str) -> HttpResponse:
    """The summary at its public link, for anyone who has it, until it is withdrawn."""
    summit = summit_by_public_key(key)
    if summit is None:
        raise Http404("No such summary.")
    summary = summary_of(build_record(summit, contributions=False, themes=False))
    context = {"summary": summary, "summit": summit, "key": key}
    return render(request, "summit/public_summary.html", context)

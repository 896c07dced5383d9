"""Feedback on the day: everyone in the summit gives theirs on the closing form, and its
organisers and facilitators read the results, by sector and without names. Each answer is
one call to ``accounts.feedback.give_feedback``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_participant_for, signed_in
from accounts.feedback import feedback_of, feedback_refusal, give_feedback, load_feedback
from summit.event.refusals import Refused
from summit.organise.feedback_forms import FeedbackForm


@require_http_methods(["GET", "POST"])
@signed_in
def feedback_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The closing form, filled in with the person's earlier answers if they gave any."""
    participant = get_participant_for(request.user, slug)
    summit = participant.summit
    earlier = feedback_of(participant)
    initial = (
        {"useful": earlier.useful, "heard": earlier.heard, "change": earlier.change}
        if earlier
        else {}
    )
    # An empty post is a post: every question unanswered is said, never a blank form again.
    data = request.POST if request.method == "POST" else None
    form = FeedbackForm(data, initial=initial)
    refusal = feedback_refusal(summit)
    if request.method == "POST" and form.is_valid():
        try:
            give_feedback(participant, **form.cleaned_data)
        except Refused as refused:
            refusal = str(refused)
        else:
            messages.success(request, _("Thank you: your feedback is saved."))
            return redirect("summit_home", slug=slug)
    failed = request.method == "POST"
    return render(
        request,
        "summit/feedback.html",
        {
            "summit": summit,
            "participant": participant,
            "form": form,
            "earlier": earlier,
            "refusal": refusal,
            "failed": failed,
        },
        status=422 if failed else 200,
    )


@require_GET
@signed_in
def feedback_results(request: HttpRequest, slug: str) -> HttpResponse:
    """How people answered, overall and by sector, and what they wrote, named by no one."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    return render(
        request,
        "summit/feedback_results.html",
        {
            "summit": participant.summit,
            "participant": participant,
            "results": load_feedback(participant.summit),
        },
    )

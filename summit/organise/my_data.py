"""A person's own data: everything the summit holds about them, to read, to download as
JSON, and to have erased (UK GDPR's rights of access, portability and erasure)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_participant_for, signed_in
from accounts.feedback import feedback_of
from accounts.models import AuditEntry, Participant
from breakouts.models import Comment, FirstThought, Idea, Rating, Vote
from plenary.models import Answer
from summit.event.bilingual import text_in
from summit.event.refusals import Refused
from summit.organise.people import erase_participant


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(participant: Participant) -> dict:
    """Everything held about the person in this summit, in a fixed number of queries."""
    votes = Vote.objects.filter(voter=participant).select_related("idea")
    ratings = Rating.objects.filter(rater=participant).select_related("outcome")
    answers = Answer.objects.filter(response__participant=participant).select_related(
        "response__poll", "option"
    )
    return {
        "summit": text_in(participant.summit, "title"),
        "you": _you(participant),
        **own_contributions(participant),
        "dot_votes": [
            {"idea": v.idea.text, "dots": v.dots, "last_changed": _when(v.updated_at)}
            for v in votes
        ],
        "outcome_ratings": [
            {"outcome": r.outcome.proposal, "rating": r.get_level_display()} for r in ratings
        ],
        "poll_answers": [
            {
                "poll": text_in(a.response.poll, "question"),
                "option": text_in(a.option, "text") if a.option else None,
                "value": a.value,
                "text": a.text,
                "answered": _when(a.response.updated_at),
            }
            for a in answers
        ],
        "actions_as_facilitator_or_organiser": [
            {"action": e.action, "where": e.place, "when": _when(e.created_at)}
            for e in AuditEntry.objects.filter(actor=participant)
        ],
        "feedback_on_the_day": _feedback(feedback_of(participant)),
    }


def own_contributions(participant: Participant) -> dict:
    """What the person wrote: first thoughts, ideas and comments (three queries)."""
    ideas = Idea.objects.filter(author=participant).select_related("breakout", "prompt")
    comments = Comment.objects.filter(author=participant).select_related("idea")
    thoughts = FirstThought.objects.filter(author=participant).select_related("subtheme")
    return {
        "first_thoughts": [
            {
                "subtheme": text_in(t.subtheme, "title"),
                "text": t.text,
                "posted_anonymously": t.anonymous,
                "posted": _when(t.created_at),
            }
            for t in thoughts
        ],
        "ideas": [
            {
                "breakout": i.breakout.name,
                "text": i.text,
                "question": text_in(i.prompt, "text") if i.prompt else None,
                "posted_anonymously": i.anonymous,
                "status": i.get_status_display(),
                "posted": _when(i.created_at),
                "edited": _when(i.edited_at),
            }
            for i in ideas
        ],
        "comments": [
            {
                "on_idea": c.idea.text,
                "text": c.text,
                "posted_anonymously": c.anonymous,
                "posted": _when(c.created_at),
            }
            for c in comments
        ],
    }


def _you(participant: Participant) -> dict:
    user = participant.user
    preferred = participant.preferred_subtheme
    return {
        "name": participant.display_name,
        "organisation": participant.organisation,
        "sector": participant.sector_label,
        "role": participant.get_role_display(),
        "named_in_the_record": not participant.anonymous,
        "shown_as": participant.attribution,
        "email": user.email,
        "signs_in_with_a_password": user.has_usable_password(),
        "joined": _when(participant.joined_at),
        "removed": _when(participant.removed_at),
        "preferred_subtheme": text_in(preferred, "title") if preferred else None,
    }


def _feedback(feedback) -> dict | None:
    if feedback is None:
        return None
    return {
        "how_useful": feedback.get_useful_display(),
        "how_far_heard": feedback.get_heard_display(),
        "what_should_change": feedback.change,
        "last_changed": _when(feedback.updated_at),
    }


@require_GET
@signed_in
def my_data(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug)
    return render(
        request,
        "summit/my_data.html",
        {
            "summit": participant.summit,
            "participant": participant,
            "data": personal_data(participant),
        },
    )


@require_GET
@signed_in
def my_data_download(request: HttpRequest, slug: str) -> HttpResponse:
    participant = get_participant_for(request.user, slug)
    response = JsonResponse(
        {"exported": timezone.now().isoformat(), **personal_data(participant)},
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    name = f"my-data-{participant.summit.slug}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@signed_in
def erase_me(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask, then erase the person's details; they are signed out."""
    participant = get_participant_for(request.user, slug)
    if request.method == "POST":
        try:
            erase_participant(participant)
        except Refused as refused:
            messages.error(request, str(refused))
            return redirect("my_data", slug=slug)
        logout(request)
        messages.success(
            request,
            _(
                "Your details have been erased. What you contributed stays in the record as "
                "“Anonymous” with your sector."
            ),
        )
        return redirect("home")
    return render(
        request,
        "summit/erase_me.html",
        {"summit": participant.summit, "participant": participant},
    )

"""The views of ideas alike (``breakouts.alike``): the look-up of similar ideas as an attendee
types, and the console's panels of possible duplicates and suggested clusters with their
actions. Each parses, checks access, calls one service or read, and renders its panel's
partial; the engine runs here, in the request's worker thread."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts.access import signed_in
from breakouts import alike
from breakouts.access import BreakoutAccess, get_breakout_for
from breakouts.alike_forms import LookupForm, PairForm, SuggestionForm
from summit.event.refusals import Refused
from summit.web.ratelimit import lookup_rate

TEMPLATE = "breakouts/alike.html"


@require_POST
@signed_in
def similar(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """Up to three ideas on the wall like the one being typed, or none: posted, so that
    unsent words stay out of addresses and logs. Too short a text, a group not taking ideas,
    or too many look-ups in a minute find none (quietly: the idea can be posted all the same)."""
    access = get_breakout_for(request.user, breakout_id)
    form = LookupForm(request.POST)
    found = []
    if form.is_valid() and access.breakout.accepts_ideas:
        text = form.cleaned_data["text"]
        if alike.worth_looking_up(text) and not lookup_rate.refusal(request, access.participant.pk):
            found = alike.similar_ideas(access.breakout, text)
    context = {"breakout": access.breakout, "similar": found}
    return render(request, f"{TEMPLATE}#similar", context)


def console_panels(breakout) -> dict:
    """What the console's panels of ideas alike show, for the console's page."""
    return {
        "duplicates": alike.possible_duplicates(breakout),
        "suggestions": alike.suggested_clusters(breakout),
    }


def _steer(request: HttpRequest, breakout_id: int) -> BreakoutAccess:
    return get_breakout_for(request.user, breakout_id, facilitate=True)


def _duplicates(request: HttpRequest, access: BreakoutAccess) -> HttpResponse:
    context = {
        "breakout": access.breakout,
        "duplicates": alike.possible_duplicates(access.breakout),
    }
    return render(request, f"{TEMPLATE}#duplicates", context)


def _suggestions(request: HttpRequest, access: BreakoutAccess) -> HttpResponse:
    context = {
        "breakout": access.breakout,
        "suggestions": alike.suggested_clusters(access.breakout),
    }
    return render(request, f"{TEMPLATE}#suggestions", context)


@require_GET
@signed_in
def duplicates(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """The possible duplicates panel, fetched when the console's socket (re)opens and when the
    ideas on the wall change."""
    return _duplicates(request, _steer(request, breakout_id))


@require_GET
@signed_in
def suggestions(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """The suggested clusters panel, fetched as the possible duplicates are."""
    return _suggestions(request, _steer(request, breakout_id))


def _attempt(form, act: Callable[[dict], object]) -> str:
    """Check the form and run ``act`` (one service) with what it read: why it was refused, in
    words, or nothing."""
    if not form.is_valid():
        return next(iter(form.errors.values()))[0]
    try:
        act(form.cleaned_data)
    except Refused as refused:
        return str(refused)
    return ""


def _said_above(request: HttpRequest, message: str, slot: str) -> HttpResponse:
    """A refusal in a panel's message slot, above what it lists."""
    response = render(request, "breakouts/board.html#refusal", {"message": message}, status=422)
    return reswap(retarget(response, slot), "innerHTML")


def _without_page(request: HttpRequest, access: BreakoutAccess, message: str) -> HttpResponse:
    """Sent without htmx: back to the console, with the refusal (if any) above it."""
    if message:
        messages.error(request, message)
    return redirect("breakouts:console", breakout_id=access.breakout.pk)


def _pair_action(request: HttpRequest, breakout_id: int, service: Callable) -> HttpResponse:
    """Merge or dismiss a possible duplicate: the panel after it, or the refusal above it,
    with nothing changed."""
    access = _steer(request, breakout_id)
    message = _attempt(
        PairForm(request.POST),
        lambda d: service(access.breakout, d["first"], d["second"], by=access.participant),
    )
    if not request.htmx:
        return _without_page(request, access, message)
    if message:
        return _said_above(request, message, "#duplicates-message")
    return _duplicates(request, access)


@require_POST
@signed_in
def merge_duplicate(request: HttpRequest, breakout_id: int) -> HttpResponse:
    return _pair_action(request, breakout_id, alike.merge_duplicate)


@require_POST
@signed_in
def dismiss_duplicate(request: HttpRequest, breakout_id: int) -> HttpResponse:
    return _pair_action(request, breakout_id, alike.dismiss_duplicate)


def _suggestion_action(
    request: HttpRequest, breakout_id: int, act: Callable[[BreakoutAccess, dict], object]
) -> HttpResponse:
    """Accept or discard a suggested cluster: the panel after it; refused, the suggestion
    again with the message by it, and its name and ticks as they were sent."""
    access = _steer(request, breakout_id)
    form = SuggestionForm(request.POST)
    message = _attempt(form, lambda data: act(access, data))
    if not request.htmx:
        return _without_page(request, access, message)
    if not message:
        return _suggestions(request, access)
    proposal = alike.refused_proposal(
        access.breakout,
        form.cleaned_data.get("proposal") or [],
        form.cleaned_data.get("ideas") or [],
        # As typed, but for a NUL, which no page should carry (the message says so).
        request.POST.get("name", "").replace("\x00", ""),
        message,
    )
    if not proposal.ideas:  # no suggestion of this breakout's to draw again: said above them
        return _said_above(request, message, "#suggestions-message")
    context = {"breakout": access.breakout, "proposal": proposal}
    response = render(request, f"{TEMPLATE}#proposal", context, status=422)
    return reswap(retarget(response, f"#proposal-{proposal.slug}"), "outerHTML")


def _accept(access: BreakoutAccess, data: dict) -> object:
    by = access.participant
    return alike.accept_suggested_cluster(access.breakout, data["name"], data["ideas"], by=by)


def _discard(access: BreakoutAccess, data: dict) -> object:
    return alike.discard_suggestion(access.breakout, data["proposal"], by=access.participant)


@require_POST
@signed_in
def accept_suggestion(request: HttpRequest, breakout_id: int) -> HttpResponse:
    return _suggestion_action(request, breakout_id, _accept)


@require_POST
@signed_in
def discard_suggestion(request: HttpRequest, breakout_id: int) -> HttpResponse:
    return _suggestion_action(request, breakout_id, _discard)


# The console's panels and their actions, each URL named after its view.
CONSOLE_ROUTES = (
    ("duplicates/", duplicates),
    ("duplicates/merge/", merge_duplicate),
    ("duplicates/dismiss/", dismiss_duplicate),
    ("suggestions/", suggestions),
    ("suggestions/accept/", accept_suggestion),
    ("suggestions/discard/", discard_suggestion),
)

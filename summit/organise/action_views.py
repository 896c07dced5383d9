"""The summit's follow-up actions: each breakout's outcomes with what is to be done about
them after the day. Organisers make, change and remove actions whatever the summit's status
(each change one call to ``breakouts.actions``); the summit's facilitators read the page."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.models import Participant
from breakouts import actions
from breakouts.models import Action, Breakout, Outcome
from summit.event.refusals import Refused
from summit.organise.action_forms import ActionForm


def _organiser(request: HttpRequest, slug: str) -> Participant:
    return get_participant_for(request.user, slug, organise=True)


def _at(slug: str, outcome_id: int) -> str:
    return f"{reverse('actions', args=[slug])}#outcome-{outcome_id}"


def _by_breakout(summit) -> list[tuple[Breakout, list[Outcome]]]:
    """Each breakout with its outcomes, each outcome with its actions: three queries, however
    many there are."""
    breakouts = list(Breakout.objects.filter(summit=summit).only("name", "summit", "subtheme"))
    outcomes = defaultdict(list)
    for outcome in (
        Outcome.objects.filter(breakout__summit=summit)
        .only("breakout", "proposal", "who_should_act", "horizon", "created_at")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("created_at", "pk")))
        .order_by("created_at", "pk")
    ):
        outcomes[outcome.breakout_id].append(outcome)
    return [(b, outcomes[b.pk]) for b in breakouts]


@require_GET
@signed_in
def actions_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The outcomes by breakout, each with its actions."""
    person = get_participant_for(request.user, slug, facilitate=True)
    summit = person.summit
    groups = _by_breakout(summit)
    return render(
        request,
        "summit/actions.html",
        {
            "summit": summit,
            "participant": person,
            "may_change": person.is_organiser,
            "groups": groups,
            "outcome_count": sum(len(outcomes) for _, outcomes in groups),
            "actions_group": actions.actions_group(summit.pk),
        },
    )


@require_POST
@signed_in
def make_actions(request: HttpRequest, slug: str) -> HttpResponse:
    """An action for each outcome that has none, its owner the outcome's "who should act"."""
    organiser = _organiser(request, slug)
    try:
        made = actions.actions_from_outcomes(organiser.summit, by=organiser)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        if made:
            said = ngettext("Made %(n)d action.", "Made %(n)d actions.", made) % {"n": made}
        else:
            said = _("Every outcome has an action already: none was made.")
        messages.success(request, said)
    return redirect("actions", slug=slug)


def _form_page(request, organiser, form, outcome, action=None) -> HttpResponse:
    context = {
        "summit": organiser.summit,
        "participant": organiser,
        "form": form,
        "outcome": outcome,
        "action": action,
    }
    status = 422 if form.errors else 200
    return render(request, "summit/action_form.html", context, status=status)


def _form_data(form: ActionForm) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("owner", "status", "due_on", "notes")}


@require_http_methods(["GET", "POST"])
@signed_in
def add_action(request: HttpRequest, slug: str, outcome_id: int) -> HttpResponse:
    """Another action for one outcome."""
    organiser = _organiser(request, slug)
    outcome = get_object_or_404(
        Outcome.objects.select_related("breakout__summit"),
        pk=outcome_id,
        breakout__summit=organiser.summit,
    )
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_action(outcome, **_form_data(form), by=organiser)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            said = _("Added an action for %(who)s.") % {"who": form.cleaned_data["owner"]}
            messages.success(request, said)
            return redirect(_at(slug, outcome.pk))
    return _form_page(request, organiser, form, outcome)


def _action_in(organiser: Participant, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("outcome__breakout__summit"),
        pk=action_id,
        outcome__breakout__summit=organiser.summit,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def change_action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    """One action's owner, status, due date and notes."""
    organiser = _organiser(request, slug)
    action = _action_in(organiser, action_id)
    form = ActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.change_action(action, **_form_data(form), by=organiser)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            said = _("Saved the action for %(who)s.") % {"who": changed.owner}
            messages.success(request, said)
            return redirect(_at(slug, action.outcome_id))
    return _form_page(request, organiser, form, action.outcome, action)


@require_POST
@signed_in
def remove_action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    organiser = _organiser(request, slug)
    action = _action_in(organiser, action_id)
    try:
        actions.remove_action(action, by=organiser)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Removed the action for %(who)s.") % {"who": action.owner})
    return redirect(_at(slug, action.outcome_id))

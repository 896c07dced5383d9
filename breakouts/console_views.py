"""The facilitator's console and every action on it: thin views over breakouts.steering."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from breakouts import services, steering, views, voting
from breakouts.access import BreakoutAccess, get_breakout_for
from breakouts.balance import voice_balance
from breakouts.board import FACILITATORS
from breakouts.forms import (
    ClusterForm,
    ClusterIdeaForm,
    HideForm,
    MergeForm,
    OnBehalfForm,
    OutcomeForm,
    PhaseForm,
    PromptForm,
    RankByForm,
    SpotlightForm,
    TimerForm,
    VotingRulesForm,
)
from breakouts.models import Idea, Outcome
from breakouts.views import board_context, console_forms, refusal
from summit.event.models import Prompt
from summit.event.refusals import Refused

# What each console action is called in the audit log.
AUDITED = {
    "rank_by": "Changed how voted ideas are ordered",
    "phase": "Moved the group to another phase",
    "timer": "Set the timer",
    "prompt": "Set the question the group works on",
    "voting_rules": "Set the voting rules",
    "hide": "Hid an idea",
    "restore": "Restored a hidden idea",
    "merge": "Merged two ideas",
    "add_cluster": "Added a cluster",
    "rename_cluster": "Renamed a cluster",
    "remove_cluster": "Removed a cluster",
    "cluster_idea": "Put an idea in a cluster",
    "spotlight": "Changed the spotlight",
    "on_behalf": "Added an idea said in the room",
    "add_outcome": "Drafted an outcome",
    "edit_outcome": "Redrafted an outcome",
    "delete_outcome": "Deleted an outcome",
    "new_screen_link": "Made a new big-screen link",
}


def act(request: HttpRequest, access: BreakoutAccess, form, action) -> HttpResponse:
    """A console action: as ``views.act``, and written to the audit log."""
    audit = AUDITED[request.resolver_match.url_name]
    return views.act(request, access, form, action, audit=audit)


def _steer(request: HttpRequest, breakout_id: int) -> BreakoutAccess:
    return get_breakout_for(request.user, breakout_id, facilitate=True)


@require_GET
@signed_in
def console(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    context = board_context(request, access, FACILITATORS)
    context.update(console_forms(access), voice=voice_balance(access.breakout))
    return render(request, "breakouts/console.html", context)


@require_GET
@signed_in
def voice(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """The voice balance panel, fetched when the console's socket (re)opens."""
    access = _steer(request, breakout_id)
    context = {"voice": voice_balance(access.breakout), "breakout_id": breakout_id}
    return render(request, "breakouts/voice.html#panel", context)


@require_POST
@signed_in
def rank_by(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        RankByForm(request.POST),
        lambda d: steering.set_rank_by(access.breakout, d["rank_by"]),
    )


@require_POST
@signed_in
def phase(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        PhaseForm(request.POST),
        lambda d: steering.set_phase(access.breakout, d["phase"], d["minutes"]),
    )


@require_POST
@signed_in
def timer(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        TimerForm(request.POST),
        lambda d: steering.set_timer(access.breakout, d["minutes"]),
    )


@require_POST
@signed_in
def prompt(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)

    def choose(data):
        chosen = None
        if data["prompt"]:
            chosen = Prompt.objects.filter(pk=data["prompt"]).first()
            if chosen is None:
                raise Refused("Choose one of this summit’s questions")
        steering.set_prompt(access.breakout, chosen)

    return act(request, access, PromptForm(request.POST), choose)


@require_POST
@signed_in
def voting_rules(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        VotingRulesForm(request.POST),
        lambda d: steering.set_voting_rules(access.breakout, **d),
    )


@require_POST
@signed_in
def hide(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        HideForm(request.POST),
        lambda d: steering.hide_idea(access.breakout, idea_id, d["reason"]),
    )


@require_POST
@signed_in
def restore(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(request, access, None, lambda d: steering.restore_idea(access.breakout, idea_id))


@require_POST
@signed_in
def merge(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        MergeForm(request.POST),
        lambda d: steering.merge_ideas(access.breakout, idea_id, d["into"]),
    )


@require_POST
@signed_in
def add_cluster(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        ClusterForm(request.POST),
        lambda d: steering.add_cluster(access.breakout, d["name"]),
    )


@require_POST
@signed_in
def rename_cluster(request: HttpRequest, breakout_id: int, cluster_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        ClusterForm(request.POST),
        lambda d: steering.rename_cluster(access.breakout, cluster_id, d["name"]),
    )


@require_POST
@signed_in
def remove_cluster(request: HttpRequest, breakout_id: int, cluster_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request, access, None, lambda d: steering.remove_cluster(access.breakout, cluster_id)
    )


@require_POST
@signed_in
def cluster_idea(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        ClusterIdeaForm(request.POST),
        lambda d: steering.cluster_idea(access.breakout, idea_id, d["cluster"]),
    )


@require_POST
@signed_in
def spotlight(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(
        request,
        access,
        SpotlightForm(request.POST),
        lambda d: steering.spotlight(access.breakout, d["idea"]),
    )


@require_POST
@signed_in
def on_behalf(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """An idea said in the room by someone without a device, typed by the facilitator."""
    access = _steer(request, breakout_id)
    members = access.breakout.members.filter(removed_at__isnull=True)

    def post(data):
        kind, who = data["speaker"]
        services.post_idea(
            breakout=access.breakout,
            author=who if kind == "member" else access.participant,
            text=data["text"],
            client_token=data["client_token"],
            anonymous=kind == "member" and who.anonymous,
            added_by=access.participant,
            spoken_sector=who if kind == "sector" else "",
        )

    return act(request, access, OnBehalfForm(request.POST, members=members), post)


@require_POST
@signed_in
def save_outcome(
    request: HttpRequest, breakout_id: int, outcome_id: int | None = None
) -> HttpResponse:
    access = _steer(request, breakout_id)
    breakout = access.breakout
    outcome = None
    if outcome_id is not None:
        outcome = Outcome.objects.filter(pk=outcome_id, breakout=breakout).first()
        if outcome is None:
            return refusal(request, access, "That outcome is not in this breakout")
    choices = Idea.objects.filter(breakout=breakout, status=Idea.Status.VISIBLE).values_list(
        "pk", "text"
    )
    form = OutcomeForm(request.POST, idea_choices=list(choices))
    return act(
        request,
        access,
        form,
        lambda d: voting.save_outcome(
            breakout,
            drafted_by=access.participant,
            proposal=d["proposal"],
            who_should_act=d["who_should_act"],
            horizon=d["horizon"],
            idea_ids=d["ideas"],
            outcome=outcome,
        ),
    )


@require_POST
@signed_in
def delete_outcome(request: HttpRequest, breakout_id: int, outcome_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    return act(request, access, None, lambda d: voting.delete_outcome(access.breakout, outcome_id))


@require_POST
@signed_in
def new_screen_link(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """Replace the big screen's link; the old one stops working at once."""
    access = _steer(request, breakout_id)
    return act(request, access, None, lambda d: steering.new_screen_link(access.breakout))

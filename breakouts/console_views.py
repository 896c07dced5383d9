"""The facilitator's console: its page, its voice balance panel, and every action on it as one
table, served by one view. Each action reads its form and calls one service
(``breakouts.steering``, ``breakouts.voting`` or ``breakouts.services``), which writes, logs
the action in the audit log and pushes to the breakout's screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from breakouts import services, steering, voting
from breakouts.access import BreakoutAccess, get_breakout_for
from breakouts.alike_views import console_panels
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
from breakouts.models import Breakout, Idea
from breakouts.views import act, board_context, console_forms
from summit.event.sectors import sector_choices


@dataclass(frozen=True)
class ConsoleAction:
    """One action on the console: its URL's name, its path after the console's own, the form
    it reads (given ``form_kwargs(breakout)`` as well, if set) and the one service it calls,
    as ``call(breakout, by, cleaned_data, **ids)`` with ``by`` the facilitator acting and
    ``ids`` the ids in its path."""

    name: str
    route: str
    call: Callable[..., object]
    form: type[forms.Form] | None = None
    form_kwargs: Callable[[Breakout], dict] | None = None


def _members(breakout: Breakout) -> dict:
    """Who an idea said in the room may be put down to: the group's members, or someone
    from one of the summit's sectors."""
    return {
        "members": breakout.members.filter(removed_at__isnull=True),
        "sectors": sector_choices(breakout.summit),
    }


def _wall(breakout: Breakout) -> dict:
    """The ideas an outcome may draw on: those on the group's wall."""
    visible = Idea.objects.filter(breakout=breakout, status=Idea.Status.VISIBLE)
    return {"idea_choices": list(visible.values_list("pk", "text"))}


def _save_outcome(breakout: Breakout, by, data: dict, outcome_id: int | None = None):
    return voting.save_outcome(
        breakout,
        drafted_by=by,
        proposal=data["proposal"],
        who_should_act=data["who_should_act"],
        horizon=data["horizon"],
        idea_ids=data["ideas"],
        outcome_id=outcome_id,
    )


ACTIONS = (
    ConsoleAction(
        "rank_by",
        "rank-by/",
        lambda breakout, by, d: steering.set_rank_by(breakout, d["rank_by"], by=by),
        RankByForm,
    ),
    ConsoleAction(
        "phase",
        "phase/",
        lambda breakout, by, d: steering.set_phase(breakout, d["phase"], d["minutes"], by=by),
        PhaseForm,
    ),
    ConsoleAction(
        "timer",
        "timer/",
        lambda breakout, by, d: steering.set_timer(breakout, d["minutes"], by=by),
        TimerForm,
    ),
    ConsoleAction(
        "prompt",
        "prompt/",
        lambda breakout, by, d: steering.set_prompt(breakout, d["prompt"], by=by),
        PromptForm,
    ),
    ConsoleAction(
        "voting_rules",
        "voting-rules/",
        lambda breakout, by, d: steering.set_voting_rules(breakout, **d, by=by),
        VotingRulesForm,
    ),
    ConsoleAction(
        "hide",
        "ideas/<int:idea_id>/hide/",
        lambda breakout, by, d, idea_id: steering.hide_idea(breakout, idea_id, d["reason"], by=by),
        HideForm,
    ),
    ConsoleAction(
        "restore",
        "ideas/<int:idea_id>/restore/",
        lambda breakout, by, d, idea_id: steering.restore_idea(breakout, idea_id, by=by),
    ),
    ConsoleAction(
        "merge",
        "ideas/<int:idea_id>/merge/",
        lambda breakout, by, d, idea_id: steering.merge_ideas(breakout, idea_id, d["into"], by=by),
        MergeForm,
    ),
    ConsoleAction(
        "cluster_idea",
        "ideas/<int:idea_id>/cluster/",
        lambda breakout, by, d, idea_id: steering.cluster_idea(
            breakout, idea_id, d["cluster"], by=by
        ),
        ClusterIdeaForm,
    ),
    ConsoleAction(
        "add_cluster",
        "clusters/",
        lambda breakout, by, d: steering.add_cluster(breakout, d["name"], by=by),
        ClusterForm,
    ),
    ConsoleAction(
        "rename_cluster",
        "clusters/<int:cluster_id>/",
        lambda breakout, by, d, cluster_id: steering.rename_cluster(
            breakout, cluster_id, d["name"], by=by
        ),
        ClusterForm,
    ),
    ConsoleAction(
        "remove_cluster",
        "clusters/<int:cluster_id>/remove/",
        lambda breakout, by, d, cluster_id: steering.remove_cluster(breakout, cluster_id, by=by),
    ),
    ConsoleAction(
        "spotlight",
        "spotlight/",
        lambda breakout, by, d: steering.spotlight(breakout, d["idea"], by=by),
        SpotlightForm,
    ),
    # An idea said in the room by someone without a device, typed by the facilitator.
    ConsoleAction(
        "on_behalf",
        "on-behalf/",
        lambda breakout, by, d: services.add_idea_said_in_room(
            breakout=breakout,
            by=by,
            speaker=d["speaker"],
            text=d["text"],
            client_token=d["client_token"],
        ),
        OnBehalfForm,
        _members,
    ),
    ConsoleAction("add_outcome", "outcomes/", _save_outcome, OutcomeForm, _wall),
    ConsoleAction("edit_outcome", "outcomes/<int:outcome_id>/", _save_outcome, OutcomeForm, _wall),
    ConsoleAction(
        "delete_outcome",
        "outcomes/<int:outcome_id>/delete/",
        lambda breakout, by, d, outcome_id: voting.delete_outcome(breakout, outcome_id, by=by),
    ),
    # Replaces the big screen's link; the old one stops working at once.
    ConsoleAction(
        "new_screen_link",
        "screen-link/",
        lambda breakout, by, d: steering.new_screen_link(breakout, by=by),
    ),
)


def _steer(request: HttpRequest, breakout_id: int) -> BreakoutAccess:
    return get_breakout_for(request.user, breakout_id, facilitate=True)


@require_GET
@signed_in
def console(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = _steer(request, breakout_id)
    context = board_context(request, access, FACILITATORS)
    context.update(console_forms(access), voice=voice_balance(access.breakout))
    context.update(console_panels(access.breakout))
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
def console_action(
    request: HttpRequest, breakout_id: int, action: ConsoleAction, **ids: int
) -> HttpResponse:
    """Any of the console's actions, as ``action`` (its row in ``ACTIONS``) says: the
    console's board after it, or the refusal, with nothing changed."""
    access = _steer(request, breakout_id)
    form = None
    if action.form is not None:
        extra = action.form_kwargs(access.breakout) if action.form_kwargs else {}
        form = action.form(request.POST, **extra)
    breakout, by = access.breakout, access.participant
    return act(request, access, form, lambda data: action.call(breakout, by, data, **ids))

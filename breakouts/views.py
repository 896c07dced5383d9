from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from breakouts import services
from breakouts.access import BreakoutAccess, get_breakout_for
from breakouts.forms import IdeaForm


def _page_context(access: BreakoutAccess, **extra) -> dict:
    breakout = access.breakout
    return {
        "breakout": breakout,
        "summit": breakout.summit,
        "participant": access.participant,
        "can_facilitate": access.can_facilitate,
        "ideas": services.visible_ideas(breakout),
        **extra,
    }


@require_GET
@signed_in
def breakout_page(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    context = _page_context(access, form=IdeaForm(), client_token=uuid.uuid4())
    return render(request, "breakouts/breakout.html", context)


@require_POST
@signed_in
def post_idea(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    form = IdeaForm(request.POST)
    idea = None
    if form.is_valid():
        try:
            idea, _ = services.post_idea(
                breakout=access.breakout,
                author=access.participant,
                text=form.cleaned_data["text"],
                client_token=form.cleaned_data["client_token"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except services.Refused as refusal:
            form.add_error("text", str(refusal))
    if idea is None:
        # Keep what was typed, and the token, so fixing and resending stays one idea.
        token = form.cleaned_data.get("client_token") or uuid.uuid4()
        context = _page_context(access, form=form, client_token=token)
        template = (
            "breakouts/breakout.html#idea_form" if request.htmx else "breakouts/breakout.html"
        )
        return render(request, template, context, status=422)
    if not request.htmx:
        return redirect("breakouts:breakout", breakout_id=access.breakout.pk)
    context = _page_context(access, form=IdeaForm(), client_token=uuid.uuid4(), posted=idea)
    return render(request, "breakouts/breakout.html#idea_form", context)


@require_GET
@signed_in
def idea_list(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """The current list, fetched by a screen whenever its socket (re)opens, to catch up."""
    access = get_breakout_for(request.user, breakout_id)
    console = access.can_facilitate and request.GET.get("view") == "console"
    context = _page_context(access, console=console)
    return render(request, "breakouts/ideas.html#idea_list", context)


@require_GET
@signed_in
def console(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id, facilitate=True)
    members = access.breakout.members.order_by("display_name")
    return render(
        request,
        "breakouts/console.html",
        _page_context(access, console=True, members=members),
    )

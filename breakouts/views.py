"""Members' pages and actions in a breakout, and its big screen: thin views, each calling one
service (``breakouts.services`` or ``breakouts.voting``) that writes and pushes."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts.access import get_participant_for, signed_in
from accounts.models import give_sector_names
from breakouts import live, services, voting
from breakouts.access import BreakoutAccess, get_breakout_by_screen_key, get_breakout_for
from breakouts.board import FACILITATORS, MEMBERS, SCREEN, Board, load_board
from breakouts.forms import CommentForm, DotsForm, EditIdeaForm, IdeaForm, RatingForm
from breakouts.models import Breakout, Idea, Outcome
from summit.event.refusals import Refused
from summit.event.sectors import sector_choices, sector_names
from summit.web.qr import qr_svg
from summit.web.ratelimit import ActionRate, post_rate, vote_rate


def audience_for(request: HttpRequest, access: BreakoutAccess) -> str:
    """The console's board for facilitators who ask for it; the members' board otherwise."""
    asked = request.POST.get("view") or request.GET.get("view")
    return FACILITATORS if access.can_facilitate and asked == FACILITATORS else MEMBERS


def board_context(request: HttpRequest, access: BreakoutAccess, audience: str) -> dict:
    breakout = access.breakout
    viewer = access.participant if audience == MEMBERS else None
    # Read before the board: whatever is pushed from here on is asked for again.
    seq = live.latest_push(breakout.pk, audience)
    # The summit's sectors, read once for the board and, on the console, its controls and
    # voice balance.
    prefetch_related_objects([breakout.summit], "sectors")
    return seq | {
        "breakout": breakout,
        "summit": breakout.summit,
        "participant": access.participant,
        "can_facilitate": access.can_facilitate,
        "board": load_board(breakout, audience, viewer),
        "now": timezone.now(),
        "token": uuid.uuid4(),
    }


def form_context(access: BreakoutAccess) -> dict:
    """What the idea form and the card of a new idea need: the board's settings for a member,
    without loading its ideas (the new card reaches everyone else through their sockets)."""
    breakout = access.breakout
    return {
        "breakout": breakout,
        "summit": breakout.summit,
        "participant": access.participant,
        "board": Board(breakout, MEMBERS, [], [], [], viewer=access.participant),
        "token": uuid.uuid4(),
    }


def board_response(request: HttpRequest, access: BreakoutAccess) -> HttpResponse:
    """After an action: the asker's board, fresh (their socket brings everyone else's).
    Without JavaScript, a form's post goes back to the page instead."""
    audience = audience_for(request, access)
    if request.method == "POST":
        # The action changed the breakout through its own (locked) copy.
        access.breakout.refresh_from_db()
    if not request.htmx and request.method == "POST":
        name = "breakouts:console" if audience == FACILITATORS else "breakouts:breakout"
        return redirect(name, breakout_id=access.breakout.pk)
    context = board_context(request, access, audience)
    if audience == FACILITATORS:
        context.update(console_forms(access))
    return render(request, "breakouts/board.html#board", context)


def refusal(request: HttpRequest, access: BreakoutAccess, message: str) -> HttpResponse:
    """A refused action: the message where the person is looking, their input untouched."""
    if not request.htmx:
        messages.error(request, message)
        audience = audience_for(request, access)
        name = "breakouts:console" if audience == FACILITATORS else "breakouts:breakout"
        return redirect(name, breakout_id=access.breakout.pk)
    response = render(request, "breakouts/board.html#refusal", {"message": message}, status=422)
    return reswap(retarget(response, "#board-message"), "innerHTML")


def form_refusal(request: HttpRequest, access: BreakoutAccess, form) -> HttpResponse:
    return refusal(request, access, next(iter(form.errors.values()))[0])


def console_forms(access: BreakoutAccess) -> dict:
    """What the console's controls list: the summit's questions and the group's members."""
    breakout = access.breakout
    summit = breakout.summit
    members = list(breakout.members.filter(removed_at__isnull=True))
    give_sector_names(members, sector_names(summit))
    return {
        # A retired question is offered no more, but stays chosen where it is chosen now.
        "prompts": list(
            summit.prompts.filter(Q(retired_at__isnull=True) | Q(pk=breakout.current_prompt_id))
        ),
        "members": members,
        "sectors": sector_choices(summit),
    }


@require_GET
@signed_in
def breakout_page(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    context = board_context(request, access, MEMBERS)
    context.update(form=IdeaForm(), client_token=uuid.uuid4())
    return render(request, "breakouts/breakout.html", context)


@require_GET
@signed_in
def board(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """The board, fetched by a screen whenever its socket (re)opens or the board changes;
    or, for a screen that says which push it saw last, what it missed since, if all kept."""
    access = get_breakout_for(request.user, breakout_id)
    missed = missed_pushes(request, breakout_id, audience_for(request, access))
    if missed is not None:
        return missed
    return board_response(request, access)


def missed_pushes(request: HttpRequest, breakout_id: int, audience: str) -> HttpResponse | None:
    """The pushes a reconnecting screen missed, applied as they would have been live, or
    ``None`` if it has to fetch its whole board (it names no push, or too much has gone)."""
    seen, drawn = request.GET.get("since", ""), request.GET.get("drawn", "0")
    if not (seen.isdigit() and drawn.isdigit()) or max(len(seen), len(drawn)) > 20:
        return None
    pushes = live.missed(breakout_id, audience, int(seen), int(drawn))
    if pushes is None:
        return None
    return reswap(HttpResponse("".join(pushes)), "none")


def contribute(request: HttpRequest, access: BreakoutAccess, form, service, **where):
    """An idea or a comment: ``form`` checked, then the person's rate of posting, then
    ``service`` (``where`` saying where it goes) with what they typed, once per token. What it
    made, or ``None`` with the refusal on the form's text, nothing changed."""
    if form.is_valid() and (too_fast := post_rate.refusal(request, access.participant.pk)):
        form.add_error("text", too_fast)
    if not form.is_valid():
        return None
    try:
        made, _ = service(
            **where,
            author=access.participant,
            text=form.cleaned_data["text"],
            client_token=form.cleaned_data["client_token"],
            anonymous=form.cleaned_data["anonymous"] or access.participant.anonymous,
        )
    except Refused as refused:
        form.add_error("text", str(refused))
        return None
    return made


@require_POST
@signed_in
def post_idea(request: HttpRequest, breakout_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    form = IdeaForm(request.POST)
    idea = contribute(request, access, form, services.post_idea, breakout=access.breakout)
    if idea is None:
        # Keep what was typed, and the token, so fixing and resending stays one idea.
        token = form.cleaned_data.get("client_token") or uuid.uuid4()
        if request.htmx:
            context, template = form_context(access), "breakouts/breakout.html#idea_form"
        else:
            context, template = board_context(request, access, MEMBERS), "breakouts/breakout.html"
        context.update(form=form, client_token=token)
        return render(request, template, context, status=422)
    if not request.htmx:
        return redirect("breakouts:breakout", breakout_id=access.breakout.pk)
    # Only the form and the new card: drawing the whole board here made each post cost as
    # much as the board's size.
    context = form_context(access)
    context.update(form=IdeaForm(), client_token=uuid.uuid4(), posted=idea)
    return render(request, "breakouts/breakout.html#idea_form", context)


def _idea(access: BreakoutAccess, idea_id: int) -> Idea:
    idea = (
        Idea.objects.select_related("breakout__summit", "author")
        .filter(pk=idea_id, breakout=access.breakout)
        .first()
    )
    if idea is None:
        raise Http404("No such idea in this breakout.")
    return idea


def act(
    request: HttpRequest,
    access: BreakoutAccess,
    form,
    action: Callable[[dict], object],
    *,
    rate: ActionRate | None = None,
) -> HttpResponse:
    """Validate ``form`` (if any) and run ``action(cleaned_data)``, one service that owns its
    transaction, its audit entry and its push: the asker's board after it, or the refusal,
    with nothing changed. With ``rate``, one action too many in a minute is refused."""
    if form is not None and not form.is_valid():
        return form_refusal(request, access, form)
    if rate is not None and (too_fast := rate.refusal(request, access.participant.pk)):
        return refusal(request, access, too_fast)
    try:
        action(form.cleaned_data if form is not None else {})
    except Refused as refused:
        return refusal(request, access, str(refused))
    return board_response(request, access)


@require_POST
@signed_in
def edit_idea(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    idea = _idea(access, idea_id)
    return act(
        request,
        access,
        EditIdeaForm(request.POST),
        lambda d: services.edit_idea(idea, access.participant, d["text"]),
        rate=post_rate,
    )


@require_POST
@signed_in
def withdraw_idea(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    idea = _idea(access, idea_id)
    return act(
        request,
        access,
        None,
        lambda d: services.withdraw_idea(idea, access.participant),
        rate=post_rate,
    )


@require_POST
@signed_in
def comment(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    """A comment on an idea: the asker's board after it; refused, the idea's comment box
    again, with the message by it and the text as typed."""
    access = get_breakout_for(request.user, breakout_id)
    idea = _idea(access, idea_id)
    form = CommentForm(request.POST, idea=idea)
    if contribute(request, access, form, services.comment, idea=idea) is None:
        return comment_refusal(request, access, idea, form)
    return board_response(request, access)


def comment_refusal(
    request: HttpRequest, access: BreakoutAccess, idea: Idea, form: CommentForm
) -> HttpResponse:
    """The idea's comment box in place of the one sent: the first message by it, the text
    and the token as sent, so that sending it again stays one comment."""
    message = next(iter(form.errors.values()))[0]
    if not request.htmx:
        return refusal(request, access, message)
    token = form.cleaned_data.get("client_token") or uuid.uuid4()
    board = Board(access.breakout, audience_for(request, access), [], [], [])
    context = {
        "board": board,
        "breakout": access.breakout,
        "idea": idea,
        "token": token,
        "comment_error": message,
        # As typed, but for a NUL, which no page should carry (the message says so).
        "comment_text": request.POST.get("text", "").replace("\x00", ""),
    }
    response = render(request, "breakouts/board.html#comment_form", context, status=422)
    return reswap(retarget(response, f"#comment-form-{idea.pk}"), "outerHTML")


@require_POST
@signed_in
def dots(request: HttpRequest, breakout_id: int, idea_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    idea = _idea(access, idea_id)
    return act(
        request,
        access,
        DotsForm(request.POST),
        lambda d: voting.set_dots(idea, access.participant, d["dots"]),
        rate=vote_rate,
    )


@require_POST
@signed_in
def rate(request: HttpRequest, breakout_id: int, outcome_id: int) -> HttpResponse:
    access = get_breakout_for(request.user, breakout_id)
    outcome = Outcome.objects.filter(pk=outcome_id, breakout=access.breakout).first()
    if outcome is None:
        raise Http404("No such outcome in this breakout.")
    outcome.breakout = access.breakout
    return act(
        request,
        access,
        RatingForm(request.POST),
        lambda d: voting.rate_outcome(outcome, access.participant, d["level"]),
        rate=vote_rate,
    )


@require_POST
@signed_in
def choose(request: HttpRequest, breakout_id: int) -> HttpResponse:
    """An attendee moves to this breakout, where the summit lets them choose."""
    breakout = Breakout.objects.select_related("summit").filter(pk=breakout_id).first()
    if breakout is None:
        raise Http404("No such breakout.")
    participant = get_participant_for(request.user, breakout.summit.slug)
    try:
        services.choose_breakout(participant, breakout)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("summit_home", slug=breakout.summit.slug)
    messages.success(request, gettext("You are now in %(name)s.") % {"name": breakout.name})
    return redirect("breakouts:breakout", breakout_id=breakout.pk)


def _screen_breakout(key: str) -> Breakout:
    breakout = get_breakout_by_screen_key(key)
    if breakout is None:
        raise Http404("No such screen.")
    return breakout


def _screen_context(request: HttpRequest, breakout: Breakout) -> dict:
    seq = live.latest_push(breakout.pk, SCREEN)  # before the board, as for the other screens
    return seq | {
        "breakout": breakout,
        "summit": breakout.summit,
        "board": load_board(breakout, SCREEN),
        "now": timezone.now(),
        "screen_key": breakout.screen_key,
    }


@require_GET
def screen(request: HttpRequest, key: str) -> HttpResponse:
    """The breakout's big screen: read-only, for a projector, opened by its link alone."""
    breakout = _screen_breakout(key)
    context = _screen_context(request, breakout)
    join_url = request.build_absolute_uri(reverse("join_summit", args=[breakout.summit.join_code]))
    context.update(join_url=join_url, qr=qr_svg(join_url))
    return render(request, "breakouts/screen.html", context)


@require_GET
def screen_board(request: HttpRequest, key: str) -> HttpResponse:
    breakout = _screen_breakout(key)
    missed = missed_pushes(request, breakout.pk, SCREEN)
    if missed is not None:
        return missed
    return render(request, "breakouts/board.html#screen_board", _screen_context(request, breakout))

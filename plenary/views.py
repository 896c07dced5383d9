"""The plenary's pages: the attendees' room, the facilitators' console and the big screen,
and every action on them: thin views, each calling one service (``plenary.polls``,
``plenary.answers`` or ``plenary.steering``) that writes, logs and pushes."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts.access import signed_in
from plenary import answers, polls, steering
from plenary.access import PlenaryAccess, get_plenary_by_screen_key, get_plenary_for, get_poll_for
from plenary.floor_room import chosen_sort, load_floor
from plenary.forms import AgendaForm, AnswerForm, ShowForm
from plenary.models import Answer, Plenary
from plenary.poll_forms import NewPollForm
from plenary.results import tally
from plenary.room import ATTENDEES, FACILITATORS, SCREEN, PollView, initial_for, load_room
from summit.event.refusals import Refused
from summit.web.qr import qr_svg
from summit.web.ratelimit import vote_rate


def _audience(request: HttpRequest, access: PlenaryAccess) -> str:
    asked = request.POST.get("view") or request.GET.get("view")
    return FACILITATORS if access.can_facilitate and asked == FACILITATORS else ATTENDEES


def room_context(access: PlenaryAccess, audience: str) -> dict:
    viewer = access.participant if audience == ATTENDEES else None
    return {
        "summit": access.plenary.summit,
        "participant": access.participant,
        "can_facilitate": access.can_facilitate,
        "room": load_room(access.plenary, audience, viewer),
    }


def _join(request: HttpRequest, plenary: Plenary) -> dict:
    url = request.build_absolute_uri(reverse("join_summit", args=[plenary.summit.join_code]))
    return {"join_url": url, "qr": qr_svg(url)}


@require_GET
@signed_in
def room(request: HttpRequest, slug: str) -> HttpResponse:
    """The room on an attendee's phone: what is on, the open polls, results when shown, and
    the questions from the floor (in the order asked for with ``?sort=``, or chosen before)."""
    access = get_plenary_for(request.user, slug)
    # The summit's sectors, read once for the results and the questions' anonymous askers.
    prefetch_related_objects([access.plenary.summit], "sectors")
    context = room_context(access, ATTENDEES)
    context["floor"] = load_floor(access.plenary, access.participant, chosen_sort(request))
    return render(request, "plenary/room_page.html", context)


@require_GET
@signed_in
def panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The room's live part, fetched when a screen's socket (re)opens or the room changes."""
    access = get_plenary_for(request.user, slug)
    return render(
        request, "plenary/room.html#room", room_context(access, _audience(request, access))
    )


@require_POST
@signed_in
def answer(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
    """An attendee's answer to a poll. Refused, it comes back with what they chose and typed."""
    access = get_plenary_for(request.user, slug)
    poll = get_poll_for(access, poll_id)
    options = list(poll.options.all())
    form = AnswerForm(poll, options, request.POST)
    if form.is_valid() and (too_fast := vote_rate.refusal(request, access.participant.pk)):
        form.add_error(None, too_fast)
    if form.is_valid():
        try:
            answers.answer_poll(poll, access.participant, form.parts)
        except Refused as refused:
            form.add_error(None, str(refused))
    if not request.htmx:
        if form.errors:
            messages.error(request, form.first_error())
        else:
            messages.success(request, _("Your answer is saved."))
        return redirect("plenary:room", slug=slug)
    poll.refresh_from_db()
    view = PollView(poll, options, form=form, count=poll.responses.count())
    context = {"view": view, "summit": access.plenary.summit}
    if poll.results_shown:
        view.results = tally(poll, options, supermajority=access.plenary.summit.supermajority)
    if form.errors:
        mine = Answer.objects.filter(response__poll=poll, response__participant=access.participant)
        view.answered = mine.exists()
        return render(request, "plenary/room.html#poll", context, status=422)
    saved = list(
        Answer.objects.filter(response__poll=poll, response__participant=access.participant)
    )
    view.form = AnswerForm(poll, options, initial=initial_for(poll, saved))
    view.answered = True
    return render(request, "plenary/room.html#poll", {**context, "saved": True})


# The console


def _steer(request: HttpRequest, slug: str) -> PlenaryAccess:
    return get_plenary_for(request.user, slug, facilitate=True)


def console_response(request: HttpRequest, access: PlenaryAccess) -> HttpResponse:
    if not request.htmx:
        return redirect("plenary:console", slug=access.plenary.summit.slug)
    access.plenary.refresh_from_db()
    access.plenary.summit.refresh_from_db()
    return render(request, "plenary/room.html#room", room_context(access, FACILITATORS))


def console_refusal(request: HttpRequest, access: PlenaryAccess, message: str) -> HttpResponse:
    """A refused action: the message where the facilitator is looking, nothing else changed."""
    if not request.htmx:
        messages.error(request, message)
        return redirect("plenary:console", slug=access.plenary.summit.slug)
    response = render(request, "plenary/room.html#refusal", {"message": message}, status=422)
    return reswap(retarget(response, "#room-message"), "innerHTML")


def _act(request: HttpRequest, access: PlenaryAccess, form, action: Callable) -> HttpResponse:
    """Validate ``form`` (if any) and run ``action(cleaned_data)``, one service that logs
    itself: the console after it, or the refusal, nothing changed."""
    if form is not None and not form.is_valid():
        return console_refusal(request, access, next(iter(form.errors.values()))[0])
    data = form.cleaned_data if form is not None else {}
    try:
        action(data)
    except Refused as refused:
        return console_refusal(request, access, str(refused))
    return console_response(request, access)


@require_GET
@signed_in
def console(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    context = room_context(access, FACILITATORS)
    context.update(_join(request, access.plenary), new_poll=NewPollForm())
    return render(request, "plenary/console.html", context)


@require_POST
@signed_in
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    return _act(
        request,
        access,
        AgendaForm(request.POST),
        lambda d: steering.move_agenda(access.plenary, d["item"], by=access.participant),
    )


@require_POST
@signed_in
def show(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    return _act(
        request,
        access,
        ShowForm(request.POST),
        lambda d: steering.show(
            access.plenary,
            d["showing"],
            poll_id=d["poll"],
            breakout_id=d["breakout"],
            idea_id=d["idea"],
            message=d["message"],
            by=access.participant,
        ),
    )


@require_POST
@signed_in
def next_report(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    return _act(
        request,
        access,
        None,
        lambda d: steering.next_report(access.plenary, by=access.participant),
    )


@require_POST
@signed_in
def new_poll(request: HttpRequest, slug: str) -> HttpResponse:
    """A new poll; refused, the form comes back with what was typed and why."""
    access = _steer(request, slug)
    form = NewPollForm(request.POST)
    if form.is_valid():
        try:
            polls.create_poll(
                access.plenary,
                kind=form.cleaned_data["kind"],
                question=form.cleaned_data["question"],
                question_cy=form.cleaned_data["question_cy"],
                options=form.cleaned_data["option_lines"],
                options_cy=form.cleaned_data["option_lines_cy"],
                multiple=form.cleaned_data["multiple"],
                allow_comment=form.cleaned_data["allow_comment"],
                by=access.participant,
            )
        except Refused as refused:
            form.add_error(None, str(refused))
    if not request.htmx:
        if form.errors:
            messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("plenary:console", slug=slug)
    if form.errors:
        context = {"new_poll": form, "summit": access.plenary.summit}
        return render(request, "plenary/console.html#new_poll", context, status=422)
    context = {"new_poll": NewPollForm(), "summit": access.plenary.summit, "made": True}
    return render(request, "plenary/console.html#new_poll", context)


def _poll_action(name: str, action: Callable) -> Callable:
    """A console view acting on one poll: ``action(poll, posted, by)`` calls its service."""

    @require_POST
    @signed_in
    def view(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
        access = _steer(request, slug)
        poll = get_poll_for(access, poll_id)
        return _act(request, access, None, lambda d: action(poll, request.POST, access.participant))

    view.__name__ = name
    return view


open_poll = _poll_action("open_poll", lambda poll, posted, by: polls.open_poll(poll, by=by))
close_poll = _poll_action("close_poll", lambda poll, posted, by: polls.close_poll(poll, by=by))
delete_poll = _poll_action("delete_poll", lambda poll, posted, by: polls.delete_poll(poll, by=by))
poll_results = _poll_action(
    "poll_results",
    lambda poll, posted, by: polls.show_results(poll, posted.get("shown") == "1", by=by),
)


@require_POST
@signed_in
def consensus(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    return _act(
        request,
        access,
        None,
        lambda d: polls.prepare_consensus_check(access.plenary, by=access.participant),
    )


@require_POST
@signed_in
def new_screen_link(request: HttpRequest, slug: str) -> HttpResponse:
    access = _steer(request, slug)
    return _act(
        request,
        access,
        None,
        lambda d: steering.new_screen_link(access.plenary, by=access.participant),
    )


# The big screen


def _screen_plenary(key: str) -> Plenary:
    plenary = get_plenary_by_screen_key(key)
    if plenary is None:
        raise Http404("No such screen.")
    return plenary


@require_GET
def screen(request: HttpRequest, key: str) -> HttpResponse:
    """The plenary's big screen: read-only, for a projector, opened by its link alone."""
    plenary = _screen_plenary(key)
    context = {"summit": plenary.summit, "room": load_room(plenary, SCREEN)}
    context.update(_join(request, plenary), socket=f"/ws/screens/plenary/{plenary.screen_key}/")
    return render(request, "plenary/screen.html", context)


@require_GET
def screen_panel(request: HttpRequest, key: str) -> HttpResponse:
    """The big screen's room, fetched when its socket (re)opens or the room changes; with
    its heading, drawn again over the page's."""
    plenary = _screen_plenary(key)
    context = {"summit": plenary.summit, "room": load_room(plenary, SCREEN)}
    context.update(_join(request, plenary))
    return render(request, "plenary/room.html#screen_room", context)

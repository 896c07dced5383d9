"""The run sheet: the plenary's polls in the order they are to run, prepared before the day.
Organisers add, change, move and remove polls not yet opened; the summit's facilitators read
it. Each change is one call to ``plenary.run_sheet`` (or ``plenary.polls.delete_poll``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from plenary import polls, run_sheet
from plenary.access import PlenaryAccess, get_poll_for
from plenary.models import Poll, PollOption
from plenary.run_sheet_forms import ChangePollForm, PreparePollForm, agenda_label, initial_for
from plenary.services import plenary_for
from summit.event.bilingual import text_in
from summit.event.refusals import Refused


@dataclass
class Row:
    """One poll of the run sheet as the page lists it."""

    poll: Poll
    options: list[PollOption]
    source_count: int | None
    first: bool
    last: bool
    asked_again: bool = False  # its closing round is on the run sheet

    @property
    def may_ask_again(self) -> bool:
        return (
            self.poll.kind == Poll.Kind.SCALE and not self.poll.baseline_id and not self.asked_again
        )

    @property
    def prepared(self) -> bool:
        return self.poll.state == Poll.State.DRAFT

    @property
    def moves(self) -> list[tuple[str, str, bool]]:
        """Each way it can move, its button's words, and whether it is at that end already."""
        return [
            (run_sheet.UP, _("Move up"), self.first),
            (run_sheet.DOWN, _("Move down"), self.last),
        ]

    @property
    def agenda(self) -> str:
        item = self.poll.agenda_item
        return agenda_label(item) if item else ""


def _access(request: HttpRequest, slug: str, *, organise: bool) -> PlenaryAccess:
    """Organisers change the run sheet; the summit's facilitators may read it."""
    participant = get_participant_for(request.user, slug, facilitate=True, organise=organise)
    return PlenaryAccess(plenary_for(participant.summit), participant)


def _rows(access: PlenaryAccess) -> list[Row]:
    plenary = access.plenary
    found = (
        run_sheet.in_running_order(plenary)
        .select_related("agenda_item", "baseline")
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("order", "id")))
    )
    counts = {
        source: len(polls.source_options(plenary.summit_id, source))
        for source in (Poll.Source.ASSUMPTIONS, Poll.Source.OBSTACLES)
    }
    found = list(found)
    asked_again = {poll.baseline_id for poll in found if poll.baseline_id}
    return [
        Row(
            poll,
            list(poll.options.all()),
            counts.get(poll.source) if poll.source else None,
            first=n == 0,
            last=n == len(found) - 1,
            asked_again=poll.pk in asked_again,
        )
        for n, poll in enumerate(found)
    ]


def _context(access: PlenaryAccess, **extra) -> dict:
    return {
        "summit": access.plenary.summit,
        "participant": access.participant,
        "may_change": access.participant.is_organiser,
        "rows": _rows(access),
        **extra,
    }


def _at(slug: str, poll: Poll) -> str:
    return f"{reverse('run_sheet', args=[slug])}#poll-{poll.pk}"


@require_http_methods(["GET", "POST"])
@signed_in
def run_sheet_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The run sheet, and the form that adds a poll to its end."""
    access = _access(request, slug, organise=request.method == "POST")
    summit = access.plenary.summit
    form = None
    if access.participant.is_organiser:
        agenda = list(summit.agenda.all())
        form = PreparePollForm(request.POST or None, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        try:
            poll = run_sheet.prepare_poll(
                access.plenary,
                **form.cleaned_data["prepared"],
                agenda_item=form.chosen_agenda_item(),
                by=access.participant,
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            said = _("Added “%(question)s” to the end of the run sheet.")
            messages.success(request, said % {"question": text_in(poll, "question")})
            return redirect(_at(slug, poll))
    status = 422 if form is not None and form.errors else 200
    return render(request, "summit/run_sheet.html", _context(access, form=form), status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def change_poll(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
    """A prepared poll's wording, options and agenda item, on a page of its own."""
    access = _access(request, slug, organise=True)
    poll = get_poll_for(access, poll_id)
    back = _at(slug, poll)
    if poll.state != Poll.State.DRAFT:
        messages.error(request, _("This poll has been opened, so it can no longer be changed."))
        return redirect(back)
    options = list(poll.options.all())
    agenda = list(access.plenary.summit.agenda.all())
    form = ChangePollForm(
        request.POST or None,
        poll=poll,
        agenda=agenda,
        initial=initial_for(poll, options),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = run_sheet.change_prepared_poll(
                poll,
                **form.cleaned_data["changed"],
                agenda_item=form.chosen_agenda_item(),
                by=access.participant,
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            said = _("Saved the changes to “%(question)s”.")
            messages.success(request, said % {"question": text_in(changed, "question")})
            return redirect(back)
    context = {
        "summit": access.plenary.summit,
        "participant": access.participant,
        "poll": poll,
        "options": options,
        "form": form,
    }
    status = 422 if form.errors else 200
    return render(request, "summit/run_sheet_change.html", context, status=status)


@require_POST
@signed_in
def move_poll(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
    """One place up or down. From the page's script, the list comes back in its new order
    with the same button focused; without it, the page again at the poll."""
    access = _access(request, slug, organise=True)
    poll = get_poll_for(access, poll_id)
    try:
        place = run_sheet.move_poll(poll, request.POST.get("direction", ""), by=access.participant)
    except Refused as refused:
        said, refusal = str(refused), str(refused)
    else:
        said = _("Moved “%(question)s” to place %(place)d.")
        said, refusal = said % {"question": text_in(poll, "question"), "place": place}, ""
    if not request.htmx:
        if refusal:
            messages.error(request, refusal)
        return redirect(_at(slug, poll))
    context = _context(access, announcement=said, refusal=refusal)
    return render(request, "summit/run_sheet.html#polls", context, status=422 if refusal else 200)


@require_POST
@signed_in
def remove_poll(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
    """Take a poll nobody has seen off the run sheet."""
    access = _access(request, slug, organise=True)
    poll = get_poll_for(access, poll_id)
    try:
        polls.delete_poll(poll, by=access.participant)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(_at(slug, poll))
    said = _("Removed “%(question)s” from the run sheet.")
    messages.success(request, said % {"question": text_in(poll, "question")})
    return redirect("run_sheet", slug=slug)


@require_POST
@signed_in
def ask_again(request: HttpRequest, slug: str, poll_id: int) -> HttpResponse:
    """Ask an agreement scale again at the close: its closing round goes at the end of the
    run sheet, and the page opens at it."""
    access = _access(request, slug, organise=True)
    poll = get_poll_for(access, poll_id)
    try:
        closing = run_sheet.ask_again(poll, by=access.participant)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(_at(slug, poll))
    said = _("“%(question)s” will be asked again at the close: its closing round is at the end.")
    messages.success(request, said % {"question": text_in(poll, "question")})
    return redirect(_at(slug, closing))

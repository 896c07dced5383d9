"""The summit's settings page: organisers change the summit's own settings and move it from
one status to the next; its facilitators read them. Each change is one call to
``summit.organise.summit_settings``, which writes it and logs it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.models import Participant
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise import summit_settings
from summit.organise.settings_forms import SettingsForm

Status = Summit.Status

# Each move's button, and what it means for the people at the summit. The buttons say what
# to do ("Open for joining"), where the status they lead to says what the summit is.
MOVE_WORDS = {
    (Status.DRAFT, Status.OPEN): (
        pgettext_lazy("status move", "Open for joining"),
        gettext_lazy(
            "The join code and link start to work, so people can join and read the "
            "pre-reading before the day."
        ),
    ),
    (Status.OPEN, Status.LIVE): (
        pgettext_lazy("status move", "Start the day (live)"),
        gettext_lazy("The summit is running. People can still join with the code."),
    ),
    (Status.OPEN, Status.DRAFT): (
        pgettext_lazy("status move", "Back to draft"),
        gettext_lazy("The join code stops working. Only while nobody has joined."),
    ),
    (Status.LIVE, Status.CLOSED): (
        pgettext_lazy("status move", "Close"),
        gettext_lazy(
            "The summit is over: nobody new can join. Everything contributed stays for the record."
        ),
    ),
    (Status.LIVE, Status.OPEN): (
        pgettext_lazy("status move", "Back to open for joining"),
        gettext_lazy("The day has not started after all. People can still join."),
    ),
    (Status.CLOSED, Status.ARCHIVED): (
        pgettext_lazy("status move", "Archive"),
        gettext_lazy(
            "The summit leaves everyone’s list of summits. Organisers find it under "
            "“Archived” and can bring it back."
        ),
    ),
    (Status.CLOSED, Status.LIVE): (
        pgettext_lazy("status move", "Reopen (live)"),
        gettext_lazy("The summit runs again, and people can join with the code again."),
    ),
    (Status.ARCHIVED, Status.CLOSED): (
        pgettext_lazy("status move", "Bring back from the archive"),
        gettext_lazy("The summit shows in people’s lists again, still closed."),
    ),
}


def _initial(summit: Summit) -> dict:
    return {
        name: getattr(summit, name)
        for name in (
            "title",
            "title_cy",
            "central_question",
            "central_question_cy",
            "summary",
            "summary_cy",
            "date",
            "venue",
            "time_zone",
            "welcome",
            "welcome_cy",
            "dot_budget",
            "allow_anonymous",
            "supermajority",
            "big_screen_languages",
        )
    }


def _page(
    request: HttpRequest,
    participant: Participant,
    form: SettingsForm | None,
    *,
    refusal: str = "",
) -> HttpResponse:
    summit = participant.summit
    moves = []
    for to in summit.status_moves():
        button, hint = MOVE_WORDS[(summit.status, to)]
        moves.append({"to": to, "button": button, "hint": hint})
    failed = bool(refusal or (form is not None and form.errors))
    return render(
        request,
        "summit/settings.html",
        {
            "summit": summit,
            "participant": participant,
            "form": form,
            "moves": moves,
            "refusal": refusal,
            "failed": failed,
            "time_zones": summit_settings.time_zone_names() if form is not None else (),
        },
        status=422 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def summit_settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit's own settings and its status. Its facilitators read them; only its
    organisers change them."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    if not participant.is_organiser:
        if request.method == "POST":
            raise PermissionDenied
        return _page(request, participant, None)
    summit = participant.summit
    form = SettingsForm(request.POST or None, initial=_initial(summit))
    if request.method == "POST" and form.is_valid():
        try:
            changed = summit_settings.change_settings(summit, **form.cleaned_data, by=participant)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Saved the summit’s settings.") if changed else _("Nothing had changed."),
            )
            return redirect("summit_settings", slug=slug)
    return _page(request, participant, form)


@require_POST
@signed_in
def summit_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the summit on (or back) one status; a move the table does not allow from where
    the summit is, forged or out of date, comes back with the reason."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    try:
        summit_settings.move_summit(summit, request.POST.get("to", ""), by=organiser)
    except Refused as refused:
        form = SettingsForm(initial=_initial(summit))
        return _page(request, organiser, form, refusal=str(refused))
    messages.success(
        request,
        _("%(title)s is now %(status)s.")
        % {"title": summit.title, "status": summit.get_status_display()},
    )
    return redirect("summit_settings", slug=slug)

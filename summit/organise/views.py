"""Organisers' pages: the people in a summit, how people join it and its breakout groups
(new summits are set up in ``summit.organise.design_file_views``). Each change is one call to
``summit.organise.people`` or ``summit.organise.setup``, which writes it and logs it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.audit import detail_items
from accounts.models import Participant, give_sector_names
from breakouts.balance import summit_balance, voice_balances
from breakouts.models import Breakout
from summit.event.measures import people_by_sector
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.event.sectors import sector_names, sectors_of
from summit.organise import people, setup, summit_settings
from summit.organise.forms import JoiningForm, PersonForm
from summit.web.qr import qr_svg


def _join_url(request: HttpRequest, summit: Summit) -> str:
    return request.build_absolute_uri(reverse("join_summit", args=[summit.join_code]))


@require_GET
@signed_in
def people_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone in the summit, with counts by sector; organisers change roles and groups."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    everyone = list(
        Participant.objects.active()
        .filter(summit=summit)
        .prefetch_related("breakouts", "facilitated_breakouts")
        .order_by("role", "joined_at", "pk")
    )
    breakouts = list(Breakout.objects.filter(summit=summit))
    counts = dict(
        Participant.objects.active()
        .filter(summit=summit)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .values_list("sector", "n")
    )
    sectors = sectors_of(summit)
    # The sectors people may choose, and a retired one for as long as anyone is in it; the
    # small ones only together (summit.event.measures.people_by_sector).
    by_sector = people_by_sector(
        (sector.name, counts.get(sector.key, 0))
        for sector in sectors
        if sector.retired_at is None or counts.get(sector.key)
    )
    give_sector_names(everyone, {sector.key: sector.name for sector in sectors})
    rows = []
    for person in everyone:
        groups = [*person.facilitated_breakouts.all(), *person.breakouts.all()]
        rows.append({"person": person, "breakout": groups[0] if groups else None})
    return render(
        request,
        "summit/people.html",
        {
            "summit": summit,
            "participant": organiser,
            "rows": rows,
            "breakouts": breakouts,
            "roles": Participant.Role.choices,
            "by_sector": by_sector,
            "total": len(everyone),
        },
    )


def _person_in(organiser: Participant, person_id: int) -> Participant:
    return get_object_or_404(
        Participant.objects.active().select_related("summit"),
        pk=person_id,
        summit=organiser.summit,
    )


@require_POST
@signed_in
def update_person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    person = _person_in(organiser, person_id)
    form = PersonForm(request.POST, summit=organiser.summit)
    if form.is_valid():
        try:
            people.update_participant(
                person,
                role=form.cleaned_data["role"],
                breakout=form.cleaned_data["breakout"],
                moderates_questions=form.cleaned_data["moderates_questions"],
                by=organiser,
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("Saved the changes to %(person)s.") % {"person": person.attribution}
            )
    else:
        errors = "; ".join(e for field in form for e in field.errors)
        messages.error(
            request,
            _("Nothing was changed for %(person)s: %(errors)s.")
            % {"person": person.attribution, "errors": errors},
        )
    return redirect(f"{reverse('people', args=[slug])}#person-{person.pk}")


@require_http_methods(["GET", "POST"])
@signed_in
def remove_person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """Ask, then remove: the person loses access; their contributions stay in the record."""
    organiser = get_participant_for(request.user, slug, organise=True)
    person = _person_in(organiser, person_id)
    if request.method == "POST":
        try:
            people.remove_participant(person, by=organiser)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Removed %(person)s from %(summit)s.")
                % {"person": person.attribution, "summit": organiser.summit},
            )
        return redirect("people", slug=slug)
    return render(
        request,
        "summit/remove_person.html",
        {
            "summit": organiser.summit,
            "participant": organiser,
            "person": person,
            "idea_count": person.ideas.count(),
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def joining(request: HttpRequest, slug: str) -> HttpResponse:
    """The join code, link and QR code, and from when and until when the summit takes
    people. Times are typed and shown as a clock where the summit is held reads them."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    with timezone.override(summit.zone()):
        return _joining(request, organiser, summit)


def _joining(request: HttpRequest, organiser: Participant, summit: Summit) -> HttpResponse:
    initial = {
        "joining_opens_at": summit.joining_opens_at,
        "joining_closes_at": summit.joining_closes_at,
        "privacy_contact": summit.privacy_contact,
        "retain_personal_data_until": summit.retain_personal_data_until,
    }
    form = JoiningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.change_joining(summit, **form.cleaned_data, by=organiser)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved how people join."))
            return redirect("joining", slug=summit.slug)
    url = _join_url(request, summit)
    context = {"summit": summit, "participant": organiser, "form": form, "url": url}
    context["opens_later"] = summit.opens_later(timezone.now())
    context["qr"] = qr_svg(url)
    return render(request, "summit/joining.html", context, status=422 if form.errors else 200)


@require_POST
@signed_in
def open_now(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's "Open now": people may join at once, whatever time was set."""
    organiser = get_participant_for(request.user, slug, organise=True)
    try:
        summit_settings.open_now(organiser.summit, by=organiser)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The summit is open: people can join now."))
    return redirect("joining", slug=slug)


@require_POST
@signed_in
def new_join_code(request: HttpRequest, slug: str) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    code = setup.replace_join_code(organiser.summit, by=organiser)
    messages.success(
        request,
        _("The new join code is %(code)s. The old code and link no longer work.") % {"code": code},
    )
    return redirect("joining", slug=slug)


@require_GET
@signed_in
def join_screen(request: HttpRequest, slug: str) -> HttpResponse:
    """For the projector: the join code and QR code, large enough to read across a room."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    summit = participant.summit
    url = _join_url(request, summit)
    return render(
        request,
        "summit/join_screen.html",
        {"summit": summit, "participant": participant, "url": url, "qr": qr_svg(url)},
    )


@require_POST
@signed_in
def mix_breakouts(request: HttpRequest, slug: str) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    try:
        honoured = setup.mix_breakouts(organiser.summit, by=organiser)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        said = _("Everyone has been shared out again, mixing sectors.")
        if honoured.stated:
            said = ngettext(
                "Everyone has been shared out again, mixing sectors. %(honoured)d of "
                "%(stated)d person with a preference got it.",
                "Everyone has been shared out again, mixing sectors. %(honoured)d of "
                "%(stated)d people with a preference got it.",
                honoured.stated,
            ) % {"honoured": honoured.honoured, "stated": honoured.stated}
        messages.success(request, said)
    return redirect("breakouts_setup", slug=slug)


@require_POST
@signed_in
def breakout_choice(request: HttpRequest, slug: str) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = setup.let_attendees_choose(
        organiser.summit, request.POST.get("choose") == "on", by=organiser
    )
    messages.success(
        request,
        _("Attendees can now choose their group.")
        if summit.attendees_choose_breakout
        else _("Attendees stay in the group they are given."),
    )
    return redirect("breakouts_setup", slug=slug)


@require_GET
@signed_in
def voice_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Voice balance across every breakout, so a quiet group shows up early. The overview
    refreshes itself every few seconds."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    groups = list(Breakout.objects.filter(summit=summit).select_related("subtheme"))
    balances = voice_balances([g.pk for g in groups], sector_names(summit))
    for group in groups:
        group.voice = balances[group.pk]
    context = {
        "summit": summit,
        "participant": organiser,
        "groups": groups,
        "whole": summit_balance([g.voice for g in groups]),
    }
    template = "summit/voice.html#overview" if request.htmx else "summit/voice.html"
    return render(request, template, context)


AUDIT_PAGE_SIZE = 100


@require_GET
@signed_in
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Every facilitator's and organiser's action, newest first."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    page = Paginator(summit.audit_entries.all(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.detail_items = detail_items(entry.detail)
    return render(
        request,
        "summit/audit_log.html",
        {"summit": summit, "participant": organiser, "page": page},
    )

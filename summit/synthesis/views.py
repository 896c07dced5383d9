"""The synthesis pages: the summit's subthemes with their leads, and each subtheme's themes
with what is mapped to them, the candidates for what is not, and the themes by sector. Thin
views: each checks access (``access``), calls one service and renders. A refused theme comes
back with its form, the words typed and the problem by the field; a refused button says why
where the person is looking, nothing else changed."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts.access import signed_in
from accounts.models import Participant
from breakouts.models import Breakout, Cluster, Outcome
from summit.event.models import Subtheme
from summit.event.refusals import Refused
from summit.event.sectors import sector_names
from summit.synthesis import services
from summit.synthesis.access import (
    SynthesisAccess,
    get_item_for,
    get_subtheme_for,
    get_synthesis_for,
    get_theme_for,
)
from summit.synthesis.board import Synthesis, gather
from summit.synthesis.by_sector import themes_by_sector
from summit.synthesis.candidates import offer_candidates
from summit.synthesis.forms import LeadForm, MapForm, NewThemeForm, ThemeForm
from summit.synthesis.models import SynthesisLead, Theme

PAGE = "synthesis/page.html"


# The summit's subthemes and its leads


def _leads(access: SynthesisAccess) -> tuple[list[Participant], list[Participant]]:
    """The summit's leads (organisers, then the facilitators named), and the facilitators
    who might be named. Two queries."""
    summit = access.summit
    named = {
        lead.participant_id
        for lead in SynthesisLead.objects.filter(summit=summit, participant__removed_at=None)
    }
    people = list(
        Participant.objects.active()
        .filter(summit=summit, role__in=[Participant.Role.ORGANISER, Participant.Role.FACILITATOR])
        .order_by("display_name", "pk")
    )
    leads = [p for p in people if p.is_organiser] + [p for p in people if p.pk in named]
    others = [p for p in people if p.is_facilitator and p.pk not in named]
    for person in people:
        person.named_lead = person.pk in named
    return leads, others


def _subthemes(access: SynthesisAccess) -> list[Subtheme]:
    """The summit's subthemes, each with how many themes it has and how many of its
    clusters and outcomes are mapped and not. Three queries."""
    subthemes = list(
        Subtheme.objects.filter(summit=access.summit).annotate(theme_count=Count("themes"))
    )
    counts: dict[int, dict[str, int]] = {s.pk: {"mapped": 0, "unmapped": 0} for s in subthemes}
    for model in (Cluster, Outcome):
        for subtheme, mapped, unmapped in (
            model.objects.filter(breakout__summit=access.summit)
            .values_list("breakout__subtheme")
            .annotate(
                mapped=Count("pk", filter=Q(theme_link__isnull=False)),
                unmapped=Count("pk", filter=Q(theme_link__isnull=True)),
            )
            .order_by()
        ):
            counts[subtheme]["mapped"] += mapped
            counts[subtheme]["unmapped"] += unmapped
    for subtheme in subthemes:
        subtheme.mapped = counts[subtheme.pk]["mapped"]
        subtheme.unmapped = counts[subtheme.pk]["unmapped"]
    return subthemes


def _index(request: HttpRequest, access: SynthesisAccess, form: LeadForm | None = None):
    leads, others = _leads(access)
    form = form or LeadForm(people=others)
    context = {
        "summit": access.summit,
        "participant": access.participant,
        "access": access,
        "subthemes": _subthemes(access),
        "leads": leads,
        "form": form,
    }
    status = 422 if form.errors else 200
    return render(request, "synthesis/index.html", context, status=status)


@require_GET
@signed_in
def synthesis_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit's subthemes, each with its themes and how much is mapped, and who leads the
    synthesis: for organisers, leads and facilitators."""
    return _index(request, get_synthesis_for(request.user, slug))


@require_POST
@signed_in
def add_lead(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_synthesis_for(request.user, slug, organise=True)
    form = LeadForm(request.POST, people=_leads(access)[1])
    if form.is_valid():
        try:
            person = services.name_lead(access.summit, form.chosen.pk, by=access.participant)
        except Refused as refused:
            form.add_error("person", str(refused))
        else:
            said = _("%(name)s leads the synthesis.") % {"name": person.attribution}
            messages.success(request, said)
            return redirect("synthesis", slug=slug)
    return _index(request, access, form)


@require_POST
@signed_in
def remove_lead(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug, organise=True)
    services.remove_lead(access.summit, person_id, by=access.participant)
    messages.success(request, _("The list of synthesis leads is saved."))
    return redirect("synthesis", slug=slug)


# A subtheme's synthesis


def board_context(access: SynthesisAccess, subtheme: Subtheme, **forms) -> dict:
    """Everything the board shows, in a fixed number of queries however much is mapped:
    the themes with their ideas, rooms and support, the candidates the engine offers for
    what is not mapped (the engine runs here, in the view's worker thread), and the themes
    by sector. ``forms`` are refused forms to show again as they were sent."""
    names = sector_names(access.summit)
    themes = Theme.objects.filter(subtheme=subtheme)
    breakouts = Breakout.objects.filter(subtheme=subtheme)
    synthesis = gather(themes, breakouts, names).get(subtheme.pk) or Synthesis(subtheme.pk)
    offer_candidates(synthesis)
    for item in synthesis.items:
        item.may_map = access.may_map(item.breakout_id)
    changing = forms.get("changing")
    for entry in synthesis.themes:
        theme = entry.theme
        if changing is not None and changing[0] == theme.pk:
            entry.form = changing[1]
        else:
            entry.form = ThemeForm(
                initial={"name": theme.name, "description": theme.description}, pk=theme.pk
            )
    return {
        "summit": access.summit,
        "participant": access.participant,
        "access": access,
        "subtheme": subtheme,
        "synthesis": synthesis,
        "by_sector": themes_by_sector(synthesis, names),
        "new_theme": forms.get("new_theme") or NewThemeForm(initial={"client_token": uuid.uuid4()}),
        "mapping": forms.get("mapping"),
    }


def _page(request: HttpRequest, access: SynthesisAccess, subtheme: Subtheme, **forms):
    context = board_context(access, subtheme, **forms)
    refused = any(getattr(form, "errors", None) for form in _forms_in(forms))
    return render(request, PAGE, context, status=422 if refused else 200)


def _forms_in(forms: dict) -> list:
    changing = forms.get("changing")
    return [forms.get("new_theme"), changing[1] if changing else None]


@require_GET
@signed_in
def synthesis_page(request: HttpRequest, slug: str, subtheme_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug)
    return _page(request, access, get_subtheme_for(access, subtheme_id))


@require_GET
@signed_in
def synthesis_board(request: HttpRequest, slug: str, subtheme_id: int) -> HttpResponse:
    """The page's live part, fetched when its socket (re)opens or a push says it changed."""
    access = get_synthesis_for(request.user, slug)
    subtheme = get_subtheme_for(access, subtheme_id)
    return render(request, f"{PAGE}#board", board_context(access, subtheme))


def _done(request, access: SynthesisAccess, subtheme: Subtheme, said: str) -> HttpResponse:
    """After a change: the asker's board, fresh (their socket brings everyone else's); without
    JavaScript, the page again, with what was done."""
    if not request.htmx:
        if said:
            messages.success(request, said)
        return redirect("synthesis_subtheme", slug=access.summit.slug, subtheme_id=subtheme.pk)
    response = render(request, f"{PAGE}#board", board_context(access, subtheme))
    return reswap(retarget(response, "#board"), "outerHTML")


def _refused(request, access: SynthesisAccess, subtheme: Subtheme, message: str):
    """A refused button: the message where the person is looking, nothing else changed."""
    if not request.htmx:
        messages.error(request, message)
        return redirect("synthesis_subtheme", slug=access.summit.slug, subtheme_id=subtheme.pk)
    response = render(request, f"{PAGE}#refusal", {"message": message}, status=422)
    return reswap(retarget(response, "#synthesis-message"), "innerHTML")


def _form_refused(request, access, subtheme, partial: str, **forms) -> HttpResponse:
    """A refused form, with what was typed and the problem by the field: the form alone
    for htmx (it replaces itself), else the whole page."""
    if not request.htmx:
        return _page(request, access, subtheme, **forms)
    context = board_context(access, subtheme, **forms)
    if "changing" in forms:
        pk = forms["changing"][0]
        context["entry"] = next(e for e in context["synthesis"].themes if e.theme.pk == pk)
    return render(request, f"{PAGE}#{partial}", context, status=422)


@require_POST
@signed_in
def add_theme(request: HttpRequest, slug: str, subtheme_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug, lead=True)
    subtheme = get_subtheme_for(access, subtheme_id)
    form = NewThemeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            theme = services.add_theme(
                subtheme,
                data["name"],
                data["description"],
                client_token=data["client_token"],
                by=access.participant,
            )
        except Refused as refused:
            form.add_error("name", str(refused))
        else:
            return _done(
                request, access, subtheme, _("Added the theme %(name)s.") % {"name": theme.name}
            )
    if "client_token" in form.errors:  # sent without one: the form again carries a new one
        form.data = form.data.copy()
        form.data["client_token"] = str(uuid.uuid4())
    return _form_refused(request, access, subtheme, "add_theme", new_theme=form)


@require_POST
@signed_in
def change_theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug, lead=True)
    theme = get_theme_for(access, theme_id)
    form = ThemeForm(request.POST, pk=theme.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_theme(theme, data["name"], data["description"], by=access.participant)
        except Refused as refused:
            form.add_error("name", str(refused))
        else:
            return _done(request, access, theme.subtheme, _("The theme is saved."))
    changing = (theme.pk, form)
    return _form_refused(request, access, theme.subtheme, "theme_form", changing=changing)


@require_POST
@signed_in
def remove_theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug, lead=True)
    theme = get_theme_for(access, theme_id)
    try:
        services.remove_theme(theme, by=access.participant)
    except Refused as refused:
        return _refused(request, access, theme.subtheme, str(refused))
    return _done(
        request, access, theme.subtheme, _("Removed the theme %(name)s.") % {"name": theme.name}
    )


@require_POST
@signed_in
def map_item(request: HttpRequest, slug: str, kind: str, item_id: int) -> HttpResponse:
    """A cluster or outcome mapped to the theme a person confirmed: one of the candidates,
    another theme chosen, or (a lead's) a new theme made from a cluster's name."""
    access = get_synthesis_for(request.user, slug)
    item = get_item_for(access, kind, item_id)
    subtheme = item.breakout.subtheme
    form = MapForm(request.POST, key=f"{kind}-{item.pk}")
    if not form.is_valid():
        return _refused(request, access, subtheme, next(iter(form.errors.values()))[0])
    try:
        link = services.map_item(
            item, form.cleaned_data["theme"], may_make=access.is_lead, by=access.participant
        )
    except Refused as refused:
        return _refused(request, access, subtheme, str(refused))
    return _done(request, access, subtheme, _("Mapped to %(name)s.") % {"name": link.theme.name})


@require_POST
@signed_in
def unmap_item(request: HttpRequest, slug: str, kind: str, item_id: int) -> HttpResponse:
    access = get_synthesis_for(request.user, slug)
    item = get_item_for(access, kind, item_id)
    services.unmap_item(item, by=access.participant)
    return _done(request, access, item.breakout.subtheme, _("Taken out of its theme."))

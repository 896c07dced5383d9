"""The organisers' content editor: the summit's design, part by part (the table in
``summit.organise.design``). Organisers of the summit change it through
``summit.organise.design_services``; its facilitators may read every page, with no forms."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.models import Participant
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.event.sectors import sectors_of
from summit.organise import design_services
from summit.organise.design import PARTS, Part


def _person(request: HttpRequest, slug: str) -> Participant:
    """Organisers change the design; facilitators may only read it (a change is refused)."""
    if request.method == "POST":
        return get_participant_for(request.user, slug, organise=True)
    return get_participant_for(request.user, slug, facilitate=True)


def _named(part: Part, item) -> str:
    return Truncator(part.name_of(item)).chars(80)


def _list_url(summit: Summit, part: Part, item=None) -> str:
    url = reverse("design_part", args=[summit.slug, part.slug])
    return f"{url}#item-{item.pk}" if item is not None else url


def _counts(summit: Summit) -> list[dict]:
    """Each part with how many items it has and how many of those are retired: one query a
    part."""
    rows = []
    for part in PARTS.values():
        if part.slug == "sectors":
            sectors = sectors_of(summit)  # the nine defaults until the summit has its own
            total, retired = len(sectors), sum(s.retired_at is not None for s in sectors)
        else:
            wanted = {"retired": Count("pk", filter=Q(retired_at__isnull=False))}
            counted = (
                part.items(summit)
                .select_related(None)
                .order_by()
                .aggregate(total=Count("pk"), **(wanted if part.retirable else {}))
            )
            total, retired = counted["total"], counted.get("retired", 0)
        rows.append({"part": part, "total": total, "retired": retired})
    return rows


@require_GET
@signed_in
def design(request: HttpRequest, slug: str) -> HttpResponse:
    """Every part of the summit's design, with how many items each has."""
    person = _person(request, slug)
    summit = person.summit
    return render(
        request,
        "summit/design/overview.html",
        {"summit": summit, "participant": person, "parts": _counts(summit)},
    )


@require_http_methods(["GET", "POST"])
@signed_in
def design_part(request: HttpRequest, slug: str, part: Part) -> HttpResponse:
    """One part's items in order, each to change, move, remove or retire, and a form to add
    another at the end."""
    person = _person(request, slug)
    summit = person.summit
    part.prepare(summit)
    posted = request.method == "POST"
    form = part.form(request.POST if posted else None, summit=summit)
    if posted and form.is_valid():
        try:
            item = design_services.add_item(summit, part, form.cleaned_data, by=person)
        except Refused as refused:
            form.add_error(part.name_field, str(refused))
        else:
            messages.success(request, gettext("Added “%(name)s”.") % {"name": _named(part, item)})
            return redirect(_list_url(summit, part, item))
    items = list(part.items(summit))
    for item in items:
        item.design_name = _named(part, item)
    return render(
        request,
        "summit/design/part.html",
        {
            "summit": summit,
            "participant": person,
            "part": part,
            "items": items,
            "form": form,
            "may_edit": person.is_organiser,
            "up": design_services.UP,
            "down": design_services.DOWN,
        },
        status=422 if form.errors else 200,
    )


def _item(summit: Summit, part: Part, item_id: int):
    item = get_object_or_404(part.items(summit), pk=item_id)
    item.summit = summit
    return item


@require_http_methods(["GET", "POST"])
@signed_in
def design_item(request: HttpRequest, slug: str, part: Part, item_id: int) -> HttpResponse:
    """One item: its form for organisers, what it says for facilitators."""
    person = _person(request, slug)
    summit = person.summit
    item = _item(summit, part, item_id)
    name = _named(part, item)  # as saved: a refused change leaves it so
    posted = request.method == "POST"
    form = part.form(request.POST if posted else None, summit=summit, item=item)
    if posted and form.is_valid():
        try:
            design_services.change_item(part, item, form.cleaned_data, by=person)
        except Refused as refused:
            form.add_error(part.name_field, str(refused))
        else:
            said = gettext("Saved the changes to “%(name)s”.") % {"name": _named(part, item)}
            messages.success(request, said)
            return redirect(_list_url(summit, part, item))
    item.design_name = name
    return render(
        request,
        "summit/design/item.html",
        {
            "summit": summit,
            "participant": person,
            "part": part,
            "item": item,
            "form": form,
            "may_edit": person.is_organiser,
        },
        status=422 if form.errors else 200,
    )


def _act(request: HttpRequest, slug: str, part: Part, item_id: int, act, done: str):
    """Do ``act`` to the item as an organiser; say how it went on the part's page."""
    person = _person(request, slug)
    summit = person.summit
    item = _item(summit, part, item_id)
    name = {"name": _named(part, item)}
    try:
        act(item, person)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done % name)
    return redirect(_list_url(summit, part, item))


@require_POST
@signed_in
def design_move(request: HttpRequest, slug: str, part: Part, item_id: int) -> HttpResponse:
    direction = request.POST.get("direction", "")
    done = (
        gettext("Moved “%(name)s” up.")
        if direction == design_services.UP
        else gettext("Moved “%(name)s” down.")
    )
    return _act(
        request,
        slug,
        part,
        item_id,
        lambda item, by: design_services.move_item(part, item, direction, by=by),
        done,
    )


@require_POST
@signed_in
def design_remove(request: HttpRequest, slug: str, part: Part, item_id: int) -> HttpResponse:
    person = _person(request, slug)
    summit = person.summit
    item = _item(summit, part, item_id)
    name = {"name": _named(part, item)}
    try:
        design_services.remove_item(part, item, by=person)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(_list_url(summit, part, item))
    messages.success(request, gettext("Removed “%(name)s”.") % name)
    return redirect(_list_url(summit, part))


def _retirable(part: Part) -> None:
    if not part.retirable:
        raise Http404("This part has nothing to retire.")


@require_POST
@signed_in
def design_retire(request: HttpRequest, slug: str, part: Part, item_id: int) -> HttpResponse:
    _retirable(part)
    return _act(
        request,
        slug,
        part,
        item_id,
        lambda item, by: design_services.retire_item(part, item, by=by),
        gettext("Retired “%(name)s”. It stays in the record and is no longer offered."),
    )


@require_POST
@signed_in
def design_restore(request: HttpRequest, slug: str, part: Part, item_id: int) -> HttpResponse:
    _retirable(part)
    return _act(
        request,
        slug,
        part,
        item_id,
        lambda item, by: design_services.restore_item(part, item, by=by),
        gettext("Brought back “%(name)s”."),
    )

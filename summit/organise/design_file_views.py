"""New summits and design files: setting up a summit blank, as a copy, or from an uploaded
design file; downloading a summit's design file; and the file's published schema."""

from __future__ import annotations

import json
from functools import cache

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_participant_for, may_create_summits, signed_in
from accounts.models import Participant
from summit.event.design import SCHEMA_PATH, design_json
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise import setup
from summit.organise.design_file import summit_design
from summit.organise.forms import NewSummitForm

SCHEMA = "application/schema+json"
# Fields may be added to the schema within its version: readers ask again after an hour, and
# its ETag makes asking cheap.
SCHEMA_MAX_AGE = 3600


@require_http_methods(["GET", "POST"])
@signed_in
def new_summit(request: HttpRequest) -> HttpResponse:
    """A new summit: blank, copying the design of one the organiser runs, or from a design
    file they upload."""
    if not may_create_summits(request.user):
        raise PermissionDenied
    sources = Summit.objects.filter(
        participants__user=request.user,
        participants__role=Participant.Role.ORGANISER,
        participants__removed_at__isnull=True,
    ).order_by("title")
    form = NewSummitForm(request.POST or None, request.FILES or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summit = setup.set_up_summit(
                request.user,
                title=data["title"],
                central_question=data["central_question"],
                date=data["date"],
                copy_from=form.source,
                design=form.design,
            )
        except Refused as refusal:
            form.add_error("design_file" if form.design else None, str(refusal))
        else:
            messages.success(
                request,
                _("%(title)s is set up and not yet open for joining. Open it when you are ready.")
                % {"title": summit.title},
            )
            return redirect("summit_settings", slug=summit.slug)
    return render(
        request,
        "summit/new_summit.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def schema_url(request: HttpRequest) -> str:
    """Where this installation serves the design file's schema, in full: its ``$id``, and the
    ``$schema`` of every file it makes."""
    return request.build_absolute_uri(reverse("design_schema"))


@require_GET
@signed_in
@never_cache
def design_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit's design file, for its organisers and facilitators: everything but its
    people and what they contributed, to keep, share or start another summit from."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    design = summit_design(participant.summit, schema_url=schema_url(request))
    response = HttpResponse(design_json(design), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-design.json"'
    return response


@cache
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@require_GET
@cache_control(public=True, max_age=SCHEMA_MAX_AGE)
def design_schema(request: HttpRequest) -> HttpResponse:
    """The design file's schema, for anyone (it describes a shape, and holds no one's data),
    its ``$id`` the address it is served at."""
    schema = {**_schema(), "$id": schema_url(request)}
    body = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type=SCHEMA)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)

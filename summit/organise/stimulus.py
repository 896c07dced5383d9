"""Organisers' pages for starting a summit from their own stimulus document: upload it, see
what was found in it, change or confirm, and the summit is set up through
``summit.organise.setup.set_up_summit_from_design``. Nothing is made before they confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import may_create_summits, signed_in
from summit.event.refusals import Refused
from summit.organise import setup
from summit.organise.stimulus_forms import StimulusConfirmForm, StimulusUploadForm

UPLOAD_PAGE = "summit/new_summit_stimulus.html"
CONFIRM_PAGE = "summit/new_summit_stimulus_confirm.html"


def _found(found: dict) -> dict:
    """How many of each part the document offered, for the confirm page's summary."""
    return {
        "assumptions": len(found["assumptions"]),
        "obstacles": len(found["obstacles"]),
        "subthemes": len(found["subthemes"]),
        "areas": len(found["areas"]),
        "sections": len(found["pre_reading"]),
        "title": bool(found["summit"].get("title")),
        "central_question": bool(found["summit"].get("central_question")),
    }


@require_http_methods(["GET", "POST"])
@signed_in
def new_summit_from_stimulus(request: HttpRequest) -> HttpResponse:
    """The organiser uploads their stimulus document; what it proposes comes back to confirm."""
    if not may_create_summits(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, UPLOAD_PAGE, {"form": StimulusUploadForm()})
    form = StimulusUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, UPLOAD_PAGE, {"form": form}, status=422)
    confirm = StimulusConfirmForm.from_stimulus(form.found)
    return render(
        request,
        CONFIRM_PAGE,
        {"form": confirm, "found": _found(form.found), "document": form.cleaned_data["document"]},
    )


@require_http_methods(["GET", "POST"])
@signed_in
def confirm_summit_from_stimulus(request: HttpRequest) -> HttpResponse:
    """What the organiser confirmed becomes a new summit in draft; they go to its home."""
    if not may_create_summits(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("new_summit_from_stimulus")  # nothing to confirm without a document
    form = StimulusConfirmForm(request.POST)
    if form.is_valid():
        try:
            summit = setup.set_up_summit_from_design(request.user, form.design())
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "%(title)s is set up from your document and not yet open for joining. "
                    "Open it when you are ready."
                )
                % {"title": summit.title},
            )
            return redirect("summit_home", slug=summit.slug)
    return render(request, CONFIRM_PAGE, {"form": form}, status=422)

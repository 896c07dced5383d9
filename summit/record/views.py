"""The record's page and downloads, for organisers (the whole summit) and facilitators (their
own breakouts, with the plenary)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from functools import cache, partial, wraps

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from accounts.access import get_participant_for, signed_in
from accounts.audit import log_action
from accounts.models import Participant
from breakouts.models import Breakout
from summit.record.as_csv import csv_zip
from summit.record.as_docx import docx
from summit.record.as_json import SCHEMA_PATH, json_document
from summit.record.as_markdown import markdown
from summit.record.as_xlsx import xlsx
from summit.record.build import build_record
from summit.record.contents import Record
from summit.record.walk import outline
from summit.web.language import is_offered

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCHEMA = "application/schema+json"
# Fields may be added to the schema within its version: readers ask again after an hour, and
# its ETag makes asking cheap.
SCHEMA_MAX_AGE = 3600

DOWNLOADS = (
    ("record_docx", _("Word document (.docx)"), _("headings, tables and numbered outcomes")),
    ("record_markdown", _("Markdown (.md)"), _("plain text with headings")),
    ("record_xlsx", _("Spreadsheet (.xlsx)"), _("a sheet for each table")),
    ("record_csv", _("CSV files (.zip)"), _("a file for each table")),
    ("record_json", _("JSON (.json)"), _("for analysis, with a published schema")),
)


def _record_for(
    request: HttpRequest, slug: str, *, contributions: bool = True
) -> tuple[Participant, Record]:
    """The record this person may have: the whole summit for an organiser, and for a
    facilitator their own breakouts (with the plenary). Refused to anyone else."""
    participant = get_participant_for(request.user, slug, facilitate=True)
    breakouts = None
    if not participant.is_organiser:
        breakouts = Breakout.objects.filter(summit=participant.summit, facilitators=participant)
    return participant, build_record(participant.summit, breakouts, contributions=contributions)


def _logged(participant: Participant, record: Record, kind: str) -> None:
    """Write to the audit log that ``participant`` took the record away, or opened its page:
    who has had which record is part of the summit's own record."""
    action = "Opened the record page" if kind == "page" else f"Exported the record ({kind})"
    log_action(
        participant,
        action,
        detail={"format": kind, "breakouts": "all" if record.whole else record.scope},
    )


def _filename(record: Record, extension: str) -> str:
    scope = "" if record.whole else "-" + slugify(" ".join(record.scope) or "no breakouts")
    return f"{record.slug}-record{scope}.{extension}"


def _download(response: HttpResponse, record: Record, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_filename(record, extension)}"'
    return response


async def _in_sync_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Each chunk made in the request's own sync thread, where its database connection lives.

    Served over ASGI, Django would otherwise read a plain iterator into one list before
    sending the first byte, which is what streaming is here to avoid.
    """
    step = sync_to_async(partial(next, chunks, None), thread_sensitive=True)
    try:
        while (chunk := await step()) is not None:
            yield chunk
    finally:
        await sync_to_async(chunks.close, thread_sensitive=True)()


def in_language(view):
    """A download in the language the organiser chose for it (``?language=cy``), else in
    their page's; written wholly in it, to the last chunk of a streamed one."""

    @wraps(view)
    def download(request: HttpRequest, slug: str) -> HttpResponse:
        chosen = request.GET.get("language", "")
        language = chosen if is_offered(chosen) else translation.get_language()
        with translation.override(language):
            response = view(request, slug)
        response.headers["Content-Language"] = language
        return response

    return download


def _chunks_in(chunks: Iterator[bytes], language: str) -> Iterator[bytes]:
    """Each chunk made in ``language``, and the language let go between them."""
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _stream(request: HttpRequest, chunks: Iterator[bytes], content_type: str):
    chunks = _chunks_in(chunks, translation.get_language())
    if isinstance(request, ASGIRequest):
        chunks = _in_sync_thread(chunks)
    return StreamingHttpResponse(chunks, content_type=content_type)


def schema_url(request: HttpRequest) -> str:
    """Where this installation serves the JSON document's schema, in full: its ``$id``, and
    the ``$schema`` of every document it makes."""
    return request.build_absolute_uri(reverse("record_schema"))


@cache
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@require_GET
@cache_control(public=True, max_age=SCHEMA_MAX_AGE)
def record_schema(request: HttpRequest) -> HttpResponse:
    """The JSON document's schema, for anyone (it describes a shape, and holds no one's
    data), its ``$id`` the address it is served at."""
    schema = {**_schema(), "$id": schema_url(request)}
    body = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type=SCHEMA)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_GET
@signed_in
@never_cache
def record_page(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug)
    _logged(participant, record, "page")
    downloads = [(label, reverse(name, args=[slug]), note) for name, label, note in DOWNLOADS]
    languages = [(code, name) for code, name in settings.LANGUAGES]
    context = {
        "participant": participant,
        "outline": outline(record),
        "downloads": downloads,
        "languages": languages,
        "schema_url": reverse("record_schema"),
    }
    return render(request, "summit/record/record.html", context)


@require_GET
@signed_in
@never_cache
@in_language
def record_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug)
    response = HttpResponse(markdown(record), content_type="text/markdown; charset=utf-8")
    _logged(participant, record, "markdown")
    return _download(response, record, "md")


@require_GET
@signed_in
@never_cache
@in_language
def record_docx(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug)
    response = HttpResponse(docx(record), content_type=DOCX)
    _logged(participant, record, "docx")
    return _download(response, record, "docx")


@require_GET
@signed_in
@never_cache
@in_language
def record_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug, contributions=False)
    response = HttpResponse(xlsx(record), content_type=XLSX)
    _logged(participant, record, "xlsx")
    return _download(response, record, "xlsx")


@require_GET
@signed_in
@never_cache
@in_language
def record_csv(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug, contributions=False)
    _logged(participant, record, "csv")
    return _download(_stream(request, csv_zip(record), "application/zip"), record, "zip")


@require_GET
@signed_in
@never_cache
@in_language
def record_json(request: HttpRequest, slug: str) -> HttpResponse:
    participant, record = _record_for(request, slug, contributions=False)
    _logged(participant, record, "json")
    document = json_document(record, schema_url(request))
    return _download(_stream(request, document, "application/json"), record, "json")

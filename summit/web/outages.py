"""When the database cannot be reached: a clear "try again" answer instead of an error page,
and one clear line in the log. Django reconnects by itself once the database is back, so the
app needs no restart."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseOutageMiddleware:
    """Turn a lost database connection into a 503 that says to try again.

    An htmx form gets the answer as an error, so nothing is swapped and the typed text stays
    in the form, with the page's own "not sent, try again" message beside it.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable while serving %s %s: %s", request.method, request.path, exception
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

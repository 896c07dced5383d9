"""Each person's language, the same for their pages and their screens' sockets.

A person's choice, made with the switch on every page, is kept in their session (and in the
language cookie, so that it outlasts signing out); the accounts app also keeps it on each
of their parts in a summit, and brings it back into the session when they sign in. With no
choice yet, the browser's ``Accept-Language`` decides, and then English, the source language.

A socket is given the language of the page that opened it: the same session, the same
cookie and the same browser, read from the socket's scope.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.decorators import sync_and_async_middleware

SESSION_KEY = "summit_language"


def offered() -> list[str]:
    """The codes of the languages offered, the source language first."""
    return [code for code, _ in settings.LANGUAGES]


def is_offered(code: object) -> bool:
    return isinstance(code, str) and code in offered()


def or_source(code: object) -> str:
    """``code`` where it is a language offered, else the source language: what an email to
    someone who never chose one, or chose one no longer offered, is written in."""
    return code if is_offered(code) else settings.LANGUAGE_CODE


def _chosen(session) -> str | None:
    if session is None:
        return None
    try:
        code = session.get(SESSION_KEY)
    except (OperationalError, InterfaceError):
        # The database is away: the page that follows says so (summit.web.outages), in the
        # language of the browser, which is all that can be known without the session.
        return None
    return code if is_offered(code) else None


# Pages a device keeps one copy of for whoever uses it next (the offline page, the service
# worker, the manifest): their language is the device's, from its cookie or browser, and
# the session is left unread, so that the copy does not vary by it.
SHARED_COPIES = ("offline", "service_worker", "manifest")


@cache
def _shared_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in SHARED_COPIES)


def for_request(request) -> str:
    """The language a page is shown in: the person's choice, else their browser's."""
    session = None if request.path in _shared_paths() else getattr(request, "session", None)
    return _chosen(session) or translation.get_language_from_request(request)


def chosen_for(request) -> str | None:
    """The language the person chose with the switch (kept in their session, or in the
    cookie past signing out); ``None`` when they never chose one, so that what their
    browser asks for is not taken for their choice."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return _chosen(getattr(request, "session", None)) or (cookie if is_offered(cookie) else None)


def for_scope(scope) -> str:
    """The language a socket's pushes come in: as ``for_request`` for the page it was opened
    from. Django's own reading of the cookie and of ``Accept-Language`` is given them as a
    request would carry them."""
    chosen = _chosen(scope.get("session"))
    if chosen:
        return chosen
    headers = dict(scope.get("headers") or ())
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    browser = SimpleNamespace(
        COOKIES=scope.get("cookies") or {}, META={"HTTP_ACCEPT_LANGUAGE": accept}
    )
    return translation.get_language_from_request(browser)


def _begin(request) -> str:
    language = for_request(request)
    request.LANGUAGE_CODE = language
    return language


def _end(response, language: str):
    patch_vary_headers(response, ("Accept-Language",))
    response.headers.setdefault("Content-Language", language)
    return response


@sync_and_async_middleware
def language_middleware(get_response):
    """Shows each request in its person's language (after the session middleware), and lets
    it go after, so nothing else the thread does afterwards is in it."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            language = _begin(request)
            with translation.override(language):
                return _end(await get_response(request), language)

    else:

        def middleware(request):
            language = _begin(request)
            with translation.override(language):
                return _end(get_response(request), language)

    return middleware

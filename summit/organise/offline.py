"""What lets a phone keep going without a network: the web app manifest (so the attendee's
page can be installed), the service worker (which keeps the offline page and the static files)
and the offline page it shows when a page cannot be reached. Views only: nothing here writes.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

# The colours of the app's header and page (static/css/summit.css: --brand, --background).
THEME_COLOUR = "#1d4f91"
BACKGROUND_COLOUR = "#ffffff"

# Kept by the service worker when it installs, so the offline page can be drawn without a
# network; every other static file is kept as pages fetch it.
PRECACHED_STATIC = (
    "css/summit.css",
    "js/summit.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a phone can add the summit to its home screen and open it as an
    app. Cached for an hour: it changes only with a new release."""
    data = {
        "name": gettext("Summit"),
        "short_name": gettext("Summit"),
        "description": gettext("Take part in a summit: ideas, comments, votes and polls."),
        "lang": "en-GB",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static(f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site's root so that its scope covers every page.

    Never cached for long: browsers check it for updates, and a new release (new static file
    names) must reach phones on their next visit.
    """
    assets = [static(path) for path in PRECACHED_STATIC]
    offline_url = reverse("offline")
    # A new name for the worker's cache whenever what it keeps changes.
    version = hashlib.sha256("\n".join([offline_url, *assets]).encode()).hexdigest()[:12]
    context = {
        "assets": assets,
        "offline_url": offline_url,
        "static_url": static(""),
        "version": version,
    }
    response = render(
        request, "summit/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a phone shows when a page cannot be reached. The service worker keeps a copy, so
    it holds nothing about the person: anyone on the device may see it."""
    response = render(request, "summit/offline.html")
    patch_cache_control(response, public=True, max_age=3600)
    return response

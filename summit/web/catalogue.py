"""The words the browser scripts show (``static/js/summit.js``), in the language a page is in.

Each page loads the catalogue of its own language, named in the address
(``/i18n/cy/catalogue.js``): Django's ``JavaScriptCatalog`` gives ``gettext``, ``ngettext`` and
``interpolate`` for the ``djangojs`` translations. That view takes its language from the
request (the language a person chose, or their browser's); here the address alone decides, so
the address of a catalogue always means the same words and the browser may keep it for an
hour. A language the site does not speak is not found.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

# How long a browser keeps a catalogue: it changes only with a new release.
MAX_AGE_SECONDS = 3600

_catalogue = JavaScriptCatalog.as_view()


@require_GET
def js_catalogue(request: HttpRequest, language: str) -> HttpResponse:
    """The ``djangojs`` catalogue of ``language`` (one of ``settings.LANGUAGES``), as a
    script; any other language is not found."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise Http404("No such language.")
    with translation.override(language):
        response = _catalogue(request)
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return response

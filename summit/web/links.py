"""Absolute links for what leaves the app without a request to take its address from: email."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


def absolute_url(name: str, *args) -> str:
    """The full address of the named page, on the site's address (the ``SITE_URL`` setting).

    Raises ``ImproperlyConfigured`` when ``SITE_URL`` is not set: an email with links to
    nowhere is worse than none.
    """
    if not settings.SITE_URL:
        raise ImproperlyConfigured(
            "Set SITE_URL (such as https://summit.example.org) so that emails can link to it."
        )
    return settings.SITE_URL + reverse(name, args=args)

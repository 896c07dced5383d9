"""The catalogue of the words the browser scripts show (summit/web/catalogue.py): one for each
language the site speaks, chosen by its address alone, kept by the browser for an hour, and
loaded by every page in its own language before static/js/summit.js."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.trans_real import DjangoTranslation

# A text of static/js/summit.js, shown when a phase's time runs out.
FROM_SUMMIT_JS = "Time is up"


def _catalogue(language: str, **headers):
    return Client().get(reverse("js_catalogue", args=[language]), **headers)


def _welsh(text: str) -> str:
    """The Welsh of a text of the browser scripts, as the compiled catalogue has it."""
    welsh = DjangoTranslation("cy", domain="djangojs").gettext(text)
    assert welsh != text, f"no Welsh for {text!r} in locale/cy/LC_MESSAGES/djangojs.mo"
    return welsh


def _carries(response, welsh: str) -> bool:
    return json.dumps(welsh) in response.content.decode()


@pytest.mark.django_db
def test_the_welsh_catalogue_carries_the_welsh_of_summit_js():
    response = _catalogue("cy")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert _carries(response, _welsh(FROM_SUMMIT_JS))
    # Welsh counts in six forms (zero, one, two, few, many, other).
    assert "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5" in response.content.decode()


@pytest.mark.django_db
def test_the_english_catalogue_is_served_without_the_welsh():
    response = _catalogue("en-gb")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "django.gettext = function" in response.content.decode()
    assert not _carries(response, _welsh(FROM_SUMMIT_JS))


@pytest.mark.django_db
def test_the_language_in_the_address_wins_over_the_browsers_and_the_cookies():
    cookie = settings.LANGUAGE_COOKIE_NAME
    english_asked = Client(HTTP_ACCEPT_LANGUAGE="cy")
    english_asked.cookies[cookie] = "cy"
    welsh_asked = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    welsh_asked.cookies[cookie] = "en-gb"
    welsh = _welsh(FROM_SUMMIT_JS)

    assert not _carries(english_asked.get(reverse("js_catalogue", args=["en-gb"])), welsh)
    assert _carries(welsh_asked.get(reverse("js_catalogue", args=["cy"])), welsh)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en", "CY", "xx-yy"])
def test_a_language_the_site_does_not_speak_is_not_found(language):
    assert _catalogue(language).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_a_catalogue_may_be_kept_by_the_browser_for_an_hour(language):
    cache = _catalogue(language)["Cache-Control"]

    assert "public" in cache
    assert "max-age=3600" in cache


@pytest.mark.django_db
def test_a_page_loads_the_catalogue_of_its_language_before_summit_js():
    html = Client().get(reverse("home")).content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', html)
    catalogue = reverse("js_catalogue", args=[settings.LANGUAGE_CODE])
    assert catalogue in scripts
    summit_js = next(i for i, src in enumerate(scripts) if src.endswith("js/summit.js"))
    assert scripts.index(catalogue) < summit_js

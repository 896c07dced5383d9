"""Each person's language: chosen with the switch on every page, remembered in the session,
the cookie and on their part in a summit, else taken from the browser; the page's ``lang``
follows it, and so do its sockets."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Participant
from summit.web.language import SESSION_KEY, for_scope
from tests.conftest import client_for, make_participant

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    text = response.content.decode()
    start = text.index('<html lang="') + len('<html lang="')
    return text[start : text.index('"', start)]


def test_english_by_default_and_welsh_when_the_browser_asks_for_it():
    english = Client().get(reverse("home"))
    assert _lang(english) == "en-gb"
    assert english["Content-Language"] == "en-gb"
    welsh = Client().get(reverse("home"), headers={"accept-language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert _lang(welsh) == "cy"
    assert welsh["Content-Language"] == "cy"
    assert "Accept-Language" in welsh["Vary"]
    # A browser asking for American English gets the British English the app is written in.
    assert _lang(Client().get("/", headers={"accept-language": "en-US"})) == "en-gb"


def test_every_page_offers_the_other_language_in_its_own_name():
    page = Client().get(reverse("privacy")).content.decode()
    assert 'name="language" value="cy" lang="cy"' in page
    assert ">Cymraeg</button>" in page
    assert 'name="next" value="/privacy/"' in page


def test_the_switch_remembers_the_choice_over_the_browser_and_goes_back():
    client = Client()
    response = client.post(reverse("switch_language"), {"language": "cy", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert client.session[SESSION_KEY] == "cy"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    page = client.get(reverse("privacy"), headers={"accept-language": "en-GB"})
    assert _lang(page) == "cy"
    assert 'value="en-gb" lang="en-gb"' in page.content.decode()


def test_the_cookie_outlasts_signing_out():
    client = Client()
    client.post(reverse("switch_language"), {"language": "cy", "next": "/"})
    client.session.flush()
    assert _lang(client.get("/")) == "cy"


def test_a_language_not_offered_is_refused_plainly_and_changes_nothing():
    client = Client()
    response = client.post(
        reverse("switch_language"), {"language": "fr", "next": "/privacy/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/privacy/"
    assert "Choose English or Cymraeg." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert _lang(response) == "en-gb"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_the_switch_goes_back_only_to_a_page_of_this_site(target):
    response = Client().post(reverse("switch_language"), {"language": "cy", "next": target})
    assert response["Location"] == reverse("home")


def test_a_person_joined_keeps_their_language_on_their_part_in_the_summit(summit):
    person = make_participant(summit)
    person.user.email = "cymraeg@example.org"
    person.user.save()
    client = client_for(person)
    client.post(reverse("switch_language"), {"language": "cy", "next": "/"})
    person.refresh_from_db()
    assert person.language == "cy"
    # Signing in again elsewhere brings it back, whatever that browser prefers.
    elsewhere = Client()
    elsewhere.post(
        reverse("login"),
        {"email": "cymraeg@example.org", "password": "a-long-test-password"},
        headers={"accept-language": "en-GB"},
    )
    assert elsewhere.session.get(SESSION_KEY) == "cy"
    assert _lang(elsewhere.get("/", headers={"accept-language": "en-GB"})) == "cy"


def test_joining_records_the_language_the_person_joined_in(summit):
    from django.utils import translation

    with translation.override("cy"):
        person = make_participant(summit)
    assert person.language == "cy"
    with translation.override("de"):
        assert make_participant(summit).language == ""
    assert Participant.objects.filter(language="cy").count() == 1


def test_a_socket_takes_the_language_of_the_page_that_opened_it():
    class Session(dict):
        pass

    assert for_scope({"session": Session({SESSION_KEY: "cy"})}) == "cy"
    cookie = {settings.LANGUAGE_COOKIE_NAME: "cy"}
    assert for_scope({"session": Session(), "cookies": cookie}) == "cy"
    headers = [(b"accept-language", b"cy,en;q=0.8")]
    assert for_scope({"session": Session(), "cookies": {}, "headers": headers}) == "cy"
    assert for_scope({"headers": [(b"accept-language", b"fr")]}) == "en-gb"
    # A choice that is not offered (a tampered session) is passed over.
    assert for_scope({"session": Session({SESSION_KEY: "xx"}), "headers": []}) == "en-gb"


def test_the_record_downloads_in_the_language_chosen_for_it(summit):
    organiser = make_participant(summit, Participant.Role.ORGANISER)
    client = client_for(organiser)
    page = client.get(reverse("record", args=[summit.slug])).content.decode()
    markdown = reverse("record_markdown", args=[summit.slug])
    assert f'href="{markdown}?language=cy" download hreflang="cy"' in page
    welsh = client.get(f"{markdown}?language=cy")
    assert welsh["Content-Language"] == "cy"
    english = client.get(f"{markdown}?language=en-gb")
    assert welsh.content != english.content
    assert "Cofnod" in welsh.content.decode()
    # Streamed to the last chunk in Welsh, though the page asking was in English.
    json_welsh = client.get(reverse("record_json", args=[summit.slug]) + "?language=cy")
    body = b"".join(json_welsh.streaming_content).decode()
    assert json_welsh["Content-Language"] == "cy"
    assert json.loads(body)["summit"]["title"] == summit.title
    # A language not offered: the page's own.
    assert client.get(f"{markdown}?language=xx")["Content-Language"] == "en-gb"


def test_with_the_database_away_the_browser_decides_and_the_page_says_so(monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def away(self, *args, **kwargs):
        raise OperationalError("the database is away")

    monkeypatch.setattr(SessionStore, "load", away)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-whose-row-cannot-be-read"
    response = client.get(reverse("privacy"), headers={"accept-language": "cy"})
    assert response["Content-Language"] == "cy"

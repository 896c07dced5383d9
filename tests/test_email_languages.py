"""Each email in its reader's language: "starts tomorrow" in the person's own, an invitation
and its reminder in the one the organiser chose for it, with the organiser's words in it too;
and the language an invited person's part in the summit starts in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invite, Participant, User
from summit.event.models import Material, Summit
from summit.organise import reminders
from tests.conftest import client_for, make_participant

# 09:00 in London on Tuesday 16 June 2026: the day before the summit.
NOW = dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC)
TITLE = "The Place Summit"
TITLE_CY = "Yr Uwchgynhadledd Lle"


def _summit(date: dt.date = dt.date(2026, 6, 17)) -> Summit:
    summit = Summit.objects.create(
        slug="place",
        title=TITLE,
        title_cy=TITLE_CY,
        central_question="How?",
        date=date,
        venue="Neuadd y Dref",
        status=Summit.Status.OPEN,
    )
    Material.objects.create(
        summit=summit, order=1, title="The state of our places", title_cy="Cyflwr ein lleoedd"
    )
    # No Welsh title: a Welsh email shows the English one, marked as English.
    Material.objects.create(summit=summit, order=2, title="Further reading")
    return summit


def _person(summit: Summit, email: str, language: str, **kwargs) -> Participant:
    person = make_participant(summit, **kwargs)
    person.user.email = email
    person.user.save(update_fields=["email"])
    Participant.objects.filter(pk=person.pk).update(language=language)
    return person


def _to(address: str):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message


def _html(message) -> str:
    return message.alternatives[0].content


def _choose(client: Client, language: str) -> None:
    """Choose a language with the switch on every page."""
    response = client.post(reverse("switch_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


# "Starts tomorrow": in each person's own language


def test_starts_tomorrow_in_welsh_for_a_welsh_participant(db):
    summit = _summit()
    _person(summit, "bethan@example.org", "cy", name="Bethan Jones")

    reminders.send_reminders(NOW)

    note = _to("bethan@example.org")
    assert note.subject == f"Mae {TITLE_CY} yn dechrau yfory"
    assert "Helo Bethan Jones," in note.body
    assert f"Mae {TITLE_CY} yn dechrau yfory, Dydd Mercher 17 Mehefin 2026." in note.body
    assert "- Cyflwr ein lleoedd" in note.body
    assert "- Further reading" in note.body
    assert TITLE not in note.body
    assert "starts tomorrow" not in note.body
    html = _html(note)
    assert '<html lang="cy">' in html
    assert f"<title>{TITLE_CY}</title>" in html
    assert f"Mae {TITLE_CY} yn dechrau yfory" in html
    assert "Cyflwr ein lleoedd" in html
    assert '<span lang="en-gb">Further reading</span>' in html


@pytest.mark.parametrize("language", ["en-gb", "", "fr"], ids=["english", "none", "not-offered"])
def test_starts_tomorrow_in_english_for_anyone_else(db, language):
    summit = _summit()
    _person(summit, "ben@example.org", language, name="Ben Carter")
    _person(summit, "bethan@example.org", "cy", name="Bethan Jones")

    reminders.send_reminders(NOW)

    note = _to("ben@example.org")
    assert note.subject == f"{TITLE} starts tomorrow"
    assert "Hello Ben Carter," in note.body
    assert f"{TITLE} starts tomorrow, Wednesday 17 June 2026." in note.body
    assert "- The state of our places" in note.body
    assert TITLE_CY not in note.body
    html = _html(note)
    assert '<html lang="en-gb">' in html
    assert f"<title>{TITLE}</title>" in html
    # The Welsh note sent in the same run stays Welsh.
    assert _to("bethan@example.org").subject == f"Mae {TITLE_CY} yn dechrau yfory"


def test_starts_tomorrow_in_welsh_shows_english_title_where_no_welsh_one(db):
    summit = _summit()
    Summit.objects.filter(pk=summit.pk).update(title_cy="")
    _person(summit, "bethan@example.org", "cy")

    reminders.send_reminders(NOW)

    assert _to("bethan@example.org").subject == f"Mae {TITLE} yn dechrau yfory"


# Invitations: in the language the organiser chose


def _tomorrow() -> Summit:
    """A summit tomorrow where it is held, for an invitation made now to be reminded of."""
    return _summit(timezone.localtime(timezone.now()).date() + dt.timedelta(days=1))


def _invite(client: Client, summit: Summit, **data):
    return client.post(
        reverse("invites", args=[summit.slug]),
        {"email": "priya@example.org", "role": "facilitator", **data},
    )


def test_invitation_chosen_in_welsh_is_sent_in_welsh_and_its_reminder_too(
    db, django_capture_on_commit_callbacks
):
    summit = _tomorrow()
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    client = client_for(organiser)
    _choose(client, "en-gb")  # the organiser's own pages are in English

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, summit, language="cy")

    assert response.status_code == 200
    assert Invite.objects.get().language == "cy"
    invitation = _to("priya@example.org")
    assert invitation.subject == f"Gwahoddiad: {TITLE_CY}, fel hwylusydd"
    assert (
        f"Mae Olivia Okafor wedi eich gwahodd fel hwylusydd i'r uwchgynhadledd hon: {TITLE_CY}."
        in (invitation.body)
    )
    assert "has invited you" not in invitation.body
    assert TITLE not in invitation.body
    mail.outbox.clear()

    reminders.send_reminders(timezone.now())

    reminder = _to("priya@example.org")
    assert reminder.subject == f"Nodyn atgoffa: eich gwahoddiad – {TITLE_CY}, yfory"
    assert reminder.body.startswith("Helo,")
    assert f"Cawsoch wahoddiad i'r uwchgynhadledd {TITLE_CY} fel hwylusydd" in reminder.body
    # Until when the invitation works, on the summit's clock, in Welsh too.
    assert "(amser Europe/London)" in reminder.body
    assert "You were invited" not in reminder.body
    assert '<html lang="cy">' in _html(reminder)
    assert f"<title>{TITLE_CY}</title>" in _html(reminder)


def test_invitation_chosen_in_english_from_a_welsh_page_is_sent_in_english(
    db, django_capture_on_commit_callbacks
):
    summit = _tomorrow()
    client = client_for(make_participant(summit, Participant.Role.ORGANISER, name="Olivia"))
    _choose(client, "cy")

    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, summit, language="en-gb")

    invitation = _to("priya@example.org")
    assert invitation.subject == f"Invitation to {TITLE} as facilitator"
    assert f"Olivia has invited you to {TITLE} as facilitator." in invitation.body
    mail.outbox.clear()

    reminders.send_reminders(timezone.now())

    reminder = _to("priya@example.org")
    assert reminder.subject == f"Reminder: your invitation to {TITLE}, tomorrow"
    assert '<html lang="en-gb">' in _html(reminder)


@pytest.mark.parametrize("page", ["en-gb", "cy"])
def test_invite_form_starts_in_the_organisers_page_language(db, page):
    summit = _summit()
    client = client_for(make_participant(summit, Participant.Role.ORGANISER))
    _choose(client, page)

    html = client.get(reverse("invites", args=[summit.slug])).content.decode()

    checked = re.search(r'<input type="radio" name="language" value="([\w-]+)"[^>]*checked', html)
    assert checked.group(1) == page
    # Each language is named in itself, and marked so.
    assert '<span lang="cy">Cymraeg</span>' in html
    assert '<span lang="en-gb">English</span>' in html


def test_invite_form_sent_without_a_language_takes_the_page_language(
    db, django_capture_on_commit_callbacks
):
    summit = _summit()
    client = client_for(make_participant(summit, Participant.Role.ORGANISER))
    _choose(client, "cy")

    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, summit)

    assert Invite.objects.get().language == "cy"


@pytest.mark.parametrize("language", ["fr", "en", "CY", "cy-GB"])
def test_invite_form_refuses_a_language_not_offered(
    db, django_capture_on_commit_callbacks, language
):
    summit = _summit()
    client = client_for(make_participant(summit, Participant.Role.ORGANISER))
    _choose(client, "en-gb")

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, summit, language=language)

    assert response.status_code == 422
    assert "Select English or Cymraeg for the invitation" in response.content.decode()
    assert not Invite.objects.exists()
    assert mail.outbox == []


# Accepting: the invitation's language, unless the person chose another


def _welsh_invitation() -> tuple[Summit, str]:
    summit = _summit()
    organiser = make_participant(summit, Participant.Role.ORGANISER)
    _, token = services.invite(
        summit=summit,
        by=organiser,
        email="priya@example.org",
        role="facilitator",
        language="cy",
        accept_url_for=lambda token: f"http://testserver/invite/{token}/",
    )
    return summit, token


DETAILS = {
    "first_name": "Priya",
    "last_name": "Shah",
    "organisation": "Testshire Council",
    "sector": "local_government",
    "password": "kettle-harbour-lantern-9",
}


@pytest.mark.parametrize(("page", "expected"), [("en-gb", "en-gb"), (None, "cy"), ("cy", "cy")])
def test_accepting_a_welsh_invitation_as_someone_new(db, page, expected):
    _, token = _welsh_invitation()
    client = Client()
    if page:
        _choose(client, page)

    response = client.post(reverse("accept_invite", args=[token]), DETAILS)

    assert response.status_code == 302
    participant = Participant.objects.get(user__email="priya@example.org")
    assert participant.language == expected
    # Their pages from now on are in it too.
    home = client.get(response.url)
    assert home.headers["Content-Language"] == expected


@pytest.mark.parametrize(("page", "expected"), [("en-gb", "en-gb"), (None, "cy")])
def test_accepting_a_welsh_invitation_signed_in_from_another_summit(db, page, expected):
    summit, token = _welsh_invitation()
    elsewhere = Summit.objects.create(slug="elsewhere", title="Elsewhere", central_question="?")
    known = make_participant(elsewhere, Participant.Role.FACILITATOR)
    User.objects.filter(pk=known.user_id).update(email="priya@example.org")
    Participant.objects.filter(pk=known.pk).update(language="")
    client = client_for(known)
    if page:
        _choose(client, page)

    response = client.post(reverse("accept_invite", args=[token]))

    assert response.status_code == 302
    assert Participant.objects.get(summit=summit, user=known.user).language == expected

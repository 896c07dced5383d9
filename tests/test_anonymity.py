"""Someone who chose anonymity is never named to anyone else: not in a page, a fragment or a
push. The test searches everything other people receive for their name and organisation."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from tests.conftest import client_for, make_participant, socket_for

SECRETS = ("Zainab", "Quietly", "Hidden Housing Trust")


def _named_nowhere(html: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in html, f"{secret!r} appears in {where}"


@pytest.fixture
def quiet(breakout):
    person = make_participant(
        breakout.summit,
        name="Zainab Quietly",
        organisation="Hidden Housing Trust",
        sector="health",
        anonymous=True,
    )
    breakout.members.add(person)
    return person


def _post(person, breakout, text: str, **extra):
    return client_for(person).post(
        reverse("breakouts:post_idea", args=[breakout.pk]),
        {"text": text, "client_token": str(uuid.uuid4()), **extra},
        HTTP_HX_REQUEST="true",
    )


def test_anonymous_attendee_is_named_in_no_page_others_receive(
    breakout, quiet, attendee, facilitator, organiser
):
    assert _post(quiet, breakout, "Pool the housing and health budgets").status_code == 200
    summit = breakout.summit
    pages = [
        (attendee, reverse("breakouts:breakout", args=[breakout.pk])),
        (attendee, reverse("breakouts:board", args=[breakout.pk])),
        (attendee, reverse("summit_home", args=[summit.slug])),
        (facilitator, reverse("breakouts:console", args=[breakout.pk])),
        (facilitator, reverse("breakouts:board", args=[breakout.pk]) + "?view=facilitators"),
        (organiser, reverse("breakouts:console", args=[breakout.pk])),
        (organiser, reverse("people", args=[summit.slug])),
        (organiser, reverse("remove_person", args=[summit.slug, quiet.pk])),
    ]

    for viewer, url in pages:
        response = client_for(viewer).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        _named_nowhere(html, f"{url} as {viewer.display_name}")
        if "idea" in url or "console" in url or url.endswith(f"/{breakout.pk}/"):
            assert "Pool the housing and health budgets" in html
            assert "Anonymous (Health and care (NHS))" in html


def test_anonymous_attendee_still_sees_their_own_name(breakout, quiet):
    html = client_for(quiet).get(reverse("summit_home", args=[breakout.summit.slug])).content

    assert b"Zainab Quietly" in html


def test_idea_posted_anonymously_by_a_named_person_does_not_name_them(
    breakout, attendee, facilitator
):
    _post(attendee, breakout, "Named idea")
    _post(attendee, breakout, "Unnamed idea", anonymous="on")

    html = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk]))
    cards = html.content.decode().split('<li class="idea"')[1:]

    unnamed = next(card for card in cards if "Unnamed idea" in card)
    named = next(card for card in cards if "Named idea" in card)
    assert "Aisha Rahman" not in unnamed
    assert "Anonymous (Local government)" in unnamed
    assert "Aisha Rahman" in named


async def _listen(breakout, person):
    socket = await socket_for(f"/ws/breakouts/{breakout.pk}/", person)
    assert (await socket.connect())[0]
    return socket


@pytest.mark.django_db(transaction=True)
async def test_anonymous_attendee_is_named_in_no_push(breakout, quiet, attendee, facilitator):
    sockets = [await _listen(breakout, attendee), await _listen(breakout, facilitator)]

    response = await sync_to_async(_post)(quiet, breakout, "Shared outcomes framework")

    assert response.status_code == 200
    for socket in sockets:
        html = await socket.receive_from(timeout=3)
        assert "Shared outcomes framework" in html
        assert "Anonymous (Health and care (NHS))" in html
        _named_nowhere(html, "a push")
        await socket.disconnect()

"""Pushes in each screen's language: a screen joins its groups in its page's language, a push
is rendered once per language present in the room, and each screen hears its own."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async

from breakouts import live as breakouts_live
from breakouts.models import Idea
from summit.live import group_in, in_languages, split_group, wanted
from summit.live.languages import joined
from tests.conftest import socket_for

IDEA = "Share one front door for every service"


def test_only_the_source_language_is_wanted_until_a_screen_joins_in_another(db):
    assert wanted("room-1") == ["en-gb"]
    joined(["room-1"], "cy")
    assert wanted("room-1") == ["en-gb", "cy"]
    assert wanted("room-2") == ["en-gb"]
    # Any group of the push with a Welsh screen wants Welsh.
    assert wanted("room-2", "room-1") == ["en-gb", "cy"]


def test_a_text_with_no_words_goes_to_every_language_and_one_per_language_to_its_own():
    sent = in_languages([("room", "<p>same</p>"), ("hall", {"cy": "<p>Helo</p>"})])
    assert sent == [
        (group_in("room", "en-gb"), "<p>same</p>"),
        (group_in("room", "cy"), "<p>same</p>"),
        (group_in("hall", "cy"), "<p>Helo</p>"),
    ]
    assert split_group(group_in("breakout-7-members", "cy")) == ("breakout-7-members", "cy")


@pytest.mark.django_db(transaction=True)
async def test_each_screen_hears_a_new_idea_in_its_own_language(breakout, attendee, facilitator):
    # The attendee chose Welsh: signing in brings it back into their session.
    attendee.language = "cy"
    await sync_to_async(attendee.save)()
    path = f"/ws/breakouts/{breakout.pk}/"
    welsh = await socket_for(path, attendee)
    english = await socket_for(path, facilitator)
    assert (await welsh.connect())[0]
    assert (await english.connect())[0]

    idea = await sync_to_async(Idea.objects.create)(
        breakout=breakout, author=attendee, text=IDEA, client_token=uuid.uuid4()
    )
    await sync_to_async(breakouts_live.idea_added)(idea)

    heard_in_welsh = await welsh.receive_from(timeout=3)
    heard_in_english = await english.receive_from(timeout=3)
    assert f"Syniad newydd: {IDEA}" in heard_in_welsh
    assert f"New idea: {IDEA}" not in heard_in_welsh
    assert f"New idea: {IDEA}" in heard_in_english
    assert "Syniad newydd" not in heard_in_english
    await welsh.disconnect()
    await english.disconnect()

"""A console that lost its connection catches up on what it missed alone, not its whole wall."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Idea

pytestmark = pytest.mark.e2e

EARLIER = 200


@pytest.fixture
def busy_room(room):
    breakout, attendee, _ = room
    Idea.objects.bulk_create(
        Idea(breakout=breakout, author=attendee, text=f"Earlier {n}", client_token=uuid.uuid4())
        for n in range(EARLIER)
    )
    return room


def _cut_off(page):
    """Route the page's sockets through the test, so that one can be dropped, and ask the
    page to hand over its socket when it closes, so that it can be opened again."""
    sockets = []

    def through(socket):
        sockets.append((socket, socket.connect_to_server()))

    page.route_web_socket(re.compile("/ws/"), through)
    page.reload()
    page.evaluate(
        "document.addEventListener('htmx:wsClose', function (event) {"
        " window.droppedSocket = event.detail.socketWrapper; })"
    )
    return sockets


def test_console_that_missed_three_posts_fetches_them_alone(busy_room, page_for):
    breakout, attendee, facilitator = busy_room
    console = page_for(facilitator, reverse("breakouts:console", args=[breakout.pk]))
    sockets = _cut_off(console)
    status = console.locator("[data-connection-status]")
    expect(status).to_have_attribute("data-state", "open")
    expect(console.locator("#idea-list .idea")).to_have_count(EARLIER)
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    catch_ups = []
    console.on("response", lambda r: catch_ups.append(r) if "since=" in r.url else None)

    page_side, server_side = sockets[-1]
    page_side.close(code=1000)
    server_side.close()
    expect(status).to_have_attribute("data-state", "closed")
    catch_ups.clear()
    for n in range(3):
        phone.get_by_label("Your idea").fill(f"Missed while away {n}")
        phone.get_by_role("button", name="Post idea").click()
        expect(phone.get_by_label("Your idea")).to_have_value("")
    console.evaluate("window.droppedSocket.reconnect()")

    expect(status).to_have_attribute("data-state", "open")
    for n in range(3):
        expect(console.locator("#idea-list")).to_contain_text(f"Missed while away {n}")
    expect(console.locator("#idea-list .idea")).to_have_count(EARLIER + 3)
    # The catch-up was the pushes it missed (and a few before), not the wall of 203 ideas.
    [catch_up] = catch_ups
    assert catch_up.status == 200
    assert catch_up.headers["hx-reswap"] == "none"
    assert len(catch_up.body()) < 100_000
    board = reverse("breakouts:board", args=[breakout.pk])
    whole = console.request.get(f"{board}?view=facilitators")
    assert len(whole.body()) > 10 * len(catch_up.body())
    # The new cards carry the console's tools, as if they had arrived live.
    expect(console.locator("#idea-list .idea").first.locator(".idea__tools")).to_have_count(1)

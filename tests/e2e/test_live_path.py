"""The live path: an attendee posts an idea; the facilitator's console shows it, no reload."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Idea
from tests.e2e.conftest import axe_violations, quiet
from tests.e2e.summit_day import settled

pytestmark = pytest.mark.e2e


def test_attendee_post_appears_on_facilitator_console_without_reload(room, page_for):
    breakout, attendee, facilitator = room
    console = page_for(facilitator, reverse("breakouts:console", args=[breakout.pk]))
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    console.evaluate("window.loadedOnce = true")
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))

    phone.get_by_label("Your idea").fill("A place compact signed by every partner")
    phone.get_by_role("button", name="Post idea").click()

    expect(console.locator("#idea-list")).to_contain_text(
        "A place compact signed by every partner", timeout=2000
    )
    expect(console.locator("#idea-list .idea")).to_have_count(1)
    assert console.evaluate("window.loadedOnce") is True
    expect(phone.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()
    expect(phone.locator("#idea-list .idea")).to_have_count(1)
    expect(phone.get_by_label("Your idea")).to_have_value("")
    assert Idea.objects.filter(text="A place compact signed by every partner").count() == 1


def test_refused_post_keeps_the_text_and_explains(room, page_for, browser_problems):
    breakout, attendee, _ = room
    browser_problems.expect_status(422, reverse("breakouts:post_idea", args=[breakout.pk]))
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    long_text = "z" * 501

    phone.get_by_label("Your idea").fill(long_text)
    phone.get_by_role("button", name="Post idea").click()

    expect(phone.locator(".error-summary")).to_contain_text("500 characters or fewer")
    expect(phone.locator(".error-summary")).to_be_focused()
    expect(phone.get_by_label("Your idea")).to_have_value(long_text)
    assert not Idea.objects.exists()


def test_post_without_a_connection_waits_and_a_second_press_still_posts_once(
    room, page_for, browser_problems
):
    breakout, attendee, _ = room
    # Offline, the post fails to send and the page's socket drops: the browser says so.
    browser_problems.expect_console(
        r"net::ERR_INTERNET_DISCONNECTED|^htmx:(sendError|afterRequest), "
    )
    browser_problems.expect_console(r"^WebSocket connection to .* failed")
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    phone.get_by_label("Your idea").fill("Sent from the back of the hall")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Post idea").click()
    waiting = phone.locator("#idea-form [data-send-waiting]")
    expect(waiting).to_contain_text("Waiting to send")
    expect(phone.get_by_label("Your idea")).to_have_value("Sent from the back of the hall")
    # Pressed again while still offline: the same post waits, once.
    phone.get_by_role("button", name="Post idea").click()
    expect(waiting).to_have_count(1)
    expect(phone.locator("[data-send-error]")).to_be_hidden()
    assert phone.evaluate("JSON.parse(localStorage.getItem('summit-waiting')).items.length") == 1
    phone.context.set_offline(False)

    expect(phone.locator("#idea-list .idea")).to_have_count(1, timeout=15000)
    expect(phone.locator("[data-send-waiting]")).to_have_count(0)
    phone.wait_for_timeout(2000)
    assert Idea.objects.filter(text="Sent from the back of the hall").count() == 1


def test_post_after_signing_out_elsewhere_keeps_the_text_and_says_why(
    room, page_for, browser_problems
):
    breakout, attendee, _ = room
    post = reverse("breakouts:post_idea", args=[breakout.pk])
    browser_problems.expect_status(403, post)
    browser_problems.expect_console(rf"^Response Status Error Code 403 from {post}")
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    # Connected and caught up while still signed in: only the post goes without the session.
    settled(phone)
    phone.get_by_label("Your idea").fill("Written just as my session ended")

    phone.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    phone.get_by_role("button", name="Post idea").click()

    expect(phone.locator("[data-send-error]")).to_contain_text(
        "no longer in this group or signed in"
    )
    expect(phone.get_by_label("Your idea")).to_have_value("Written just as my session ended")
    assert not Idea.objects.exists()


def test_console_reconnects_after_a_server_restart_and_catches_up(
    room, page_for, own_server, browser_problems
):
    breakout, attendee, facilitator = room
    # While the server is down, the console's attempts to reconnect and catch up fail, and
    # htmx reports each failed socket (its error event) and fetch.
    browser_problems.expect_console(r"^WebSocket connection to .* failed|^\[object Event\]$")
    browser_problems.expect_console(r"net::ERR_(CONNECTION_(RESET|REFUSED)|EMPTY_RESPONSE)")
    browser_problems.expect_console(r"^htmx:(sendError|afterRequest), ")
    # The service worker's script, if the browser is still fetching it when the server stops.
    browser_problems.expect_console(r"error occurred when fetching the script")
    path = reverse("breakouts:console", args=[breakout.pk])
    console = page_for(facilitator, path, base_url=own_server.url)
    status = console.locator("[data-connection-status]")
    expect(status).to_have_attribute("data-state", "open")
    console.evaluate("window.loadedOnce = true")
    settled(console)  # its panels fetched, so none is cut off by the stop

    own_server.stop()
    expect(status).to_have_attribute("data-state", "closed")
    # Posted through another worker while this screen's server was down.
    Idea.objects.create(
        breakout=breakout,
        author=attendee,
        text="Posted while the console was away",
        client_token="8a1d7f0e-4a0b-4a3e-9a59-2c7a3d0f6c11",
    )
    own_server.start()

    expect(status).to_have_attribute("data-state", "open", timeout=20000)
    expect(console.locator("#idea-list")).to_contain_text("Posted while the console was away")
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]), own_server.url)
    phone.get_by_label("Your idea").fill("Posted after the reconnect")
    phone.get_by_role("button", name="Post idea").click()
    expect(console.locator("#idea-list .idea")).to_have_count(2)
    expect(console.locator("#idea-list .idea").first).to_contain_text("Posted after the reconnect")
    assert console.evaluate("window.loadedOnce") is True


def test_pages_have_no_accessibility_violations(room, page_for, browser_problems):
    breakout, attendee, facilitator = room
    browser_problems.expect_status(422, reverse("breakouts:post_idea", args=[breakout.pk]))
    Idea.objects.create(
        breakout=breakout,
        author=attendee,
        text="Idea shown during the scan",
        client_token="0f8e3c1a-7e55-4c43-8a4b-4c0a1d9e2b7f",
    )
    console = page_for(facilitator, reverse("breakouts:console", args=[breakout.pk]))
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    assert axe_violations(console) == []
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Post idea").click()
    expect(phone.locator(".error-summary")).to_be_visible()
    assert axe_violations(phone) == []


def test_a_catch_up_drawn_before_a_post_does_not_hide_it(room, page_for):
    """The board fetched when the socket opens can be drawn before a post and arrive after it."""
    breakout, attendee, _ = room
    held = []
    fetched = []

    def hold_first_board(route):
        fetched.append(route.request.url)
        if held:
            route.continue_()
            return
        # The whole board, as a screen that missed too much gets it, drawn now, before the post.
        whole = re.sub(r"[?&]since=\d+", "", route.request.url)
        held.append((route, route.fetch(url=whole)))

    board_url = reverse("breakouts:board", args=[breakout.pk])
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    quiet(phone)  # the first page's own catch-up is done
    phone.route(f"**{board_url}?*", hold_first_board)
    phone.reload()
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(50)
    assert held, "the catch-up fetch was never made"

    phone.get_by_label("Your idea").fill("A shared estate strategy")
    phone.get_by_role("button", name="Post idea").click()
    expect(phone.locator("#idea-list .idea")).to_have_count(1)
    route, stale = held[0]
    assert "A shared estate strategy" not in stale.text()
    phone.evaluate("document.getElementById('board').dataset.before = 'post'")
    route.fulfill(response=stale)

    # The stale answer is dropped, not swapped in, and what was missed is fetched again.
    for _ in range(100):
        if len(fetched) > 1:
            break
        phone.wait_for_timeout(50)
    assert len(fetched) > 1, "the stale catch-up was not followed by another"
    quiet(phone)
    expect(phone.locator("#board[data-before]")).to_have_count(1)
    expect(phone.locator("#idea-list .idea")).to_have_count(1)
    expect(phone.locator("#idea-list")).to_contain_text("A shared estate strategy")

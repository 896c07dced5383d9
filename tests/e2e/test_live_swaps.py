"""Swaps that must not trouble the browser: a tally pushed to a big screen that is still fetching
its view is dropped silently, a form swapped after a person resized its text box copies no
inline style (which the CSP would refuse), and a group's new name reaches the heading of every
screen open on it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Idea
from breakouts.services import ensure_breakouts
from plenary.models import Poll
from plenary.services import open_poll, plenary_for
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import quiet

pytestmark = pytest.mark.e2e

LIVE = 5000
# Counts the pushes that reach the page carrying a given poll's results.
_COUNT_PUSHES = """id => {
  window.pushesWith = 0;
  document.addEventListener("htmx:wsBeforeMessage", event => {
    if (event.detail.message.includes(`id="${id}"`)) window.pushesWith += 1;
  });
}"""


@pytest.fixture
def room(transactional_db):
    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    attendee = make_participant(summit, name="Aisha Rahman")
    breakout.members.add(attendee)
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    plenary = plenary_for(summit)
    ranking = open_poll(plenary.polls.get(kind=Poll.Kind.RANKING))
    return summit, breakout, plenary, ranking, attendee, organiser


def test_results_pushed_before_the_big_screen_fetched_its_view_are_dropped_silently(
    room, page_for, context_for, browser_problems
):
    summit, _, plenary, ranking, attendee, organiser = room
    screen = context_for().new_page()
    screen.goto(reverse("plenary:screen", args=[plenary.screen_key]))
    expect(screen.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    quiet(screen)
    screen.evaluate(_COUNT_PUSHES, f"poll-{ranking.pk}-results")
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    screen.route("**/panel/**", hold)
    console = page_for(organiser, reverse("plenary:console", args=[summit.slug]))
    phone = page_for(attendee, reverse("plenary:room", args=[summit.slug]))

    # Results revealed: the screen asks for its view again, and the answer is held back.
    poll = console.locator(f"#poll-{ranking.pk}")
    poll.get_by_role("button", name=re.compile("^Reveal results")).click()
    expect(poll.get_by_role("button", name=re.compile("^Hide results"))).to_be_visible()
    for _ in range(LIVE // 50):
        if held:
            break
        screen.wait_for_timeout(50)
    assert held, "the screen never asked for its view again"
    # An answer's results reach the screen, which does not show them yet.
    phone.locator(f"#poll-{ranking.pk}").get_by_role("button", name="Send my answer").click()
    screen.wait_for_function("() => window.pushesWith === 1", timeout=LIVE)
    expect(screen.locator(f"#poll-{ranking.pk}-results")).to_have_count(0)

    released.append(True)
    for route in held:
        route.continue_()
    expect(screen.locator(f"#poll-{ranking.pk}-count")).to_have_text("1 response", timeout=LIVE)
    expect(screen.locator(f"#poll-{ranking.pk}-results .chart__row")).to_have_count(6)
    browser_problems.check()


def test_posting_from_a_resized_text_box_copies_no_inline_style(room, page_for, browser_problems):
    _, breakout, _, _, attendee, _ = room
    page = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    box = page.get_by_label("Your idea")
    # Dragging the corner of a text box sets its size as an inline style.
    box.evaluate("box => { box.style.height = '12rem'; }")

    box.fill("Start with the estates that wait longest")
    page.get_by_role("button", name="Post idea").click()

    expect(page.locator("#idea-list")).to_contain_text("Start with the estates that wait longest")
    assert Idea.objects.filter(breakout=breakout).count() == 1
    browser_problems.check()


def test_a_renamed_group_shows_its_new_name_on_every_open_screen(
    room, page_for, context_for, browser_problems
):
    summit, breakout, _, _, attendee, organiser = room
    member = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    console = page_for(organiser, reverse("breakouts:console", args=[breakout.pk]))
    screen = context_for().new_page()
    screen.goto(reverse("breakouts:screen", args=[breakout.screen_key]))
    expect(screen.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    setup = page_for(organiser, reverse("breakouts_setup", args=[summit.slug]))

    row = setup.locator(f"#group-{breakout.pk}")
    row.locator("summary").click()
    row.get_by_label("New name").fill("Stories of place")
    row.get_by_role("button", name="Rename").click()

    expect(setup.locator(".messages")).to_contain_text("is now called Stories of place")
    for page in (member, console, screen):
        expect(page.locator("#breakout-name")).to_have_text("Stories of place", timeout=LIVE)
        expect(page.locator("#live-status")).to_have_text(
            "This group is now called Stories of place"
        )
    browser_problems.check()

"""The plenary from the facilitators' console: a poll opens on two phones without reload, the
big screen's chart follows each answer, and a consensus check with one block is read under
each decision rule."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Outcome
from breakouts.services import ensure_breakouts
from plenary import services
from plenary.forms import Part
from plenary.models import Poll
from summit.event.agreement import Agreement
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Pushes go through the channel layer to another process; allow for a slow machine.
LIVE = 5000
PROPOSAL = "A shared place board with citizens on it, chaired in turn by each partner"
REASON = "It leaves out the parish and town councils"


@pytest.fixture
def room(transactional_db):
    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    aisha = make_participant(summit, name="Aisha Rahman", sector="local_government")
    ben = make_participant(summit, name="Ben Carter", sector="health")
    chloe = make_participant(summit, name="Chloe Evans", sector="resident")
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    Outcome.objects.create(breakout=breakout, proposal=PROPOSAL, who_should_act="Council leaders")
    plenary = services.plenary_for(summit)
    return summit, plenary, aisha, ben, chloe, farah


@pytest.fixture
def phone_for(page_for):
    """A participant's phone: a small touch viewport, signed in, on a path."""

    def open_phone(participant, path: str):
        page = page_for(participant, path)
        page.set_viewport_size(PHONE["viewport"])
        return page

    return open_phone


def _screen(context_for, path: str):
    page = context_for(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(path)
    return page


def _poll(page, poll: Poll):
    return page.locator(f"#board #poll-{poll.pk}")


def _console_button(console, poll: Poll, name: str):
    return _poll(console, poll).get_by_role("button", name=re.compile(f"^{name}"))


def test_poll_opens_on_phones_and_the_big_screen_follows_every_answer(
    room, page_for, phone_for, context_for
):
    summit, plenary, aisha, ben, _, farah = room
    ranking = Poll.objects.get(plenary=plenary, kind=Poll.Kind.RANKING)
    obstacles = [o.text for o in ranking.options.all()]
    room_path = reverse("plenary:room", args=[summit.slug])
    console = page_for(farah, reverse("plenary:console", args=[summit.slug]))
    phone_a = phone_for(aisha, room_path)
    phone_b = phone_for(ben, room_path)
    screen = _screen(context_for, reverse("plenary:screen", args=[plenary.screen_key]))
    pages = {"console": console, "phone A": phone_a, "phone B": phone_b, "screen": screen}
    for name, page in pages.items():
        expect(page.locator("[data-connection-status]"), name).to_have_attribute(
            "data-state", "open"
        )
        page.evaluate("window.loadedOnce = true")
    expect(phone_a.locator("#board")).to_contain_text("No poll is open just now")
    expect(screen.locator("#board")).to_contain_text(summit.central_question)

    # The facilitator opens the ranking and reveals its results as they come in.
    _console_button(console, ranking, "Open").click()
    expect(_poll(console, ranking)).to_contain_text("on the big screen", timeout=LIVE)
    _console_button(console, ranking, "Reveal results").click()
    for phone in (phone_a, phone_b):
        expect(_poll(phone, ranking).get_by_role("button", name="Send my answer")).to_be_visible(
            timeout=LIVE
        )
    expect(screen.locator("#board")).to_contain_text(ranking.question, timeout=LIVE)
    expect(screen.locator("#board")).to_contain_text("No answers yet")
    assert axe_violations(phone_a) == []

    # A puts the last obstacle first with the keyboard buttons; B keeps the given order.
    last = _poll(phone_a, ranking).locator("[data-ranking-item]").filter(has_text=obstacles[-1])
    for _ in range(len(obstacles) - 1):
        last.get_by_role("button", name=re.compile("^Move up")).click()
    expect(_poll(phone_a, ranking).locator(".ranking__text").first).to_have_text(obstacles[-1])
    _poll(phone_a, ranking).get_by_role("button", name="Send my answer").click()
    expect(_poll(phone_a, ranking)).to_contain_text("Your answer is saved")

    first_row = screen.locator(f"#poll-{ranking.pk}-results .chart__row").first
    expect(first_row.locator(".chart__label")).to_have_text(obstacles[-1], timeout=LIVE)
    expect(first_row.locator(".chart__value")).to_contain_text("6 points")
    expect(screen.locator(f"#poll-{ranking.pk}-count")).to_have_text("1 response")

    _poll(phone_b, ranking).get_by_role("button", name="Send my answer").click()
    expect(_poll(phone_b, ranking)).to_contain_text("Your answer is saved")
    # First place earns 6 points, last 1: the first obstacle now has 6 + 5.
    expect(first_row.locator(".chart__label")).to_have_text(obstacles[0], timeout=LIVE)
    expect(first_row.locator(".chart__value")).to_contain_text("11 points")
    expect(screen.locator(f"#poll-{ranking.pk}-count")).to_have_text("2 responses")
    expect(console.locator(f"#poll-{ranking.pk}-count")).to_have_text("2 responses")
    assert axe_violations(screen) == []
    assert axe_violations(console) == []

    # Closed, it stops taking answers on the phones, which keep its results.
    _console_button(console, ranking, "Close").click()
    for phone in (phone_a, phone_b):
        expect(
            _poll(phone, ranking).get_by_role("button", name=re.compile("answer"))
        ).to_have_count(0, timeout=LIVE)
        expect(_poll(phone, ranking).locator(".chart__row").first).to_contain_text(obstacles[0])
    for name, page in pages.items():
        assert page.evaluate("window.loadedOnce") is True, f"the {name} reloaded"


def test_consensus_check_with_one_block_fails_consensus_but_passes_majority(
    room, page_for, phone_for, context_for, browser_problems
):
    summit, plenary, aisha, ben, chloe, farah = room
    room_path = reverse("plenary:room", args=[summit.slug])
    console = page_for(farah, reverse("plenary:console", args=[summit.slug]))
    phone_a = phone_for(aisha, room_path)
    phone_b = phone_for(ben, room_path)
    screen = _screen(context_for, reverse("plenary:screen", args=[plenary.screen_key]))
    for page in (console, phone_a, phone_b, screen):
        expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    console.get_by_role("button", name=re.compile("^Prepare the consensus check")).click()
    expect(console.locator("#board")).to_contain_text(services.CONSENSUS_QUESTION)
    check = Poll.objects.get(plenary=plenary, kind=Poll.Kind.CONSENSUS)
    _console_button(console, check, "Open").click()
    statement = _poll(phone_a, check).get_by_role("group", name=re.compile(re.escape(PROPOSAL)))
    expect(statement).to_be_visible(timeout=LIVE)

    # A block without a reason is refused, and what A typed elsewhere is kept.
    statement.get_by_label("Block", exact=True).check()
    browser_problems.expect_status(422, reverse("plenary:answer", args=[summit.slug, check.pk]))
    _poll(phone_a, check).get_by_role("button", name="Send my answer").click()
    summary = _poll(phone_a, check).locator(".error-summary")
    expect(summary).to_contain_text("Say why you block proposal 1")
    expect(summary).to_be_focused()
    statement = _poll(phone_a, check).get_by_role("group", name=re.compile(re.escape(PROPOSAL)))
    expect(statement.get_by_label("Block", exact=True)).to_be_checked()
    assert axe_violations(phone_a) == []
    statement.get_by_label("Your reason (needed if you block)").fill(REASON)
    _poll(phone_a, check).get_by_role("button", name="Send my answer").click()
    expect(_poll(phone_a, check)).to_contain_text("Your answer is saved")

    ben_statement = _poll(phone_b, check).get_by_role("group", name=re.compile(re.escape(PROPOSAL)))
    ben_statement.get_by_label("Fully support", exact=True).check()
    _poll(phone_b, check).get_by_role("button", name="Send my answer").click()
    expect(_poll(phone_b, check)).to_contain_text("Your answer is saved")
    option = check.options.get()
    services.answer_poll(check, chloe, [Part(option_id=option.pk, value=Agreement.RESERVATIONS)])

    # Made here, Chloe's answer reaches the screens with the next change: revealing results.
    _console_button(console, check, "Reveal results").click()
    expect(console.locator(f"#poll-{check.pk}-count")).to_have_text("3 responses", timeout=LIVE)
    console.locator(f"#poll-{check.pk} .remarks summary").click()
    expect(console.locator(f"#poll-{check.pk} .remarks")).to_contain_text(REASON)
    for page in (screen, phone_b):
        rules = page.locator(f"#poll-{check.pk}-results .rules")
        expect(rules).to_contain_text("Consensus (nobody blocks): does not pass", timeout=LIVE)
        expect(rules).to_contain_text("Supermajority", timeout=LIVE)
        expect(rules.locator(".rule--fail")).to_have_count(2)
        expect(rules).to_contain_text(
            "Simple majority (more than half of those who rated it support it): passes"
        )
    # The reasons people gave stay on the console.
    expect(screen.locator("#board")).not_to_contain_text(REASON)
    assert axe_violations(screen) == []

"""A phone that loses its network while answering: a plenary poll answer and a rating of a
breakout's outcome, sent without a network, wait on the phone, say so by their form, and are
sent exactly once when the network returns."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Breakout, Outcome, Rating
from plenary import polls
from plenary.models import Answer, Poll, Response
from plenary.services import plenary_for
from summit.event.agreement import Agreement
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import waiting_on_device

pytestmark = pytest.mark.e2e

# Sending again waits for the network's return, the socket's reopening or the retry timer.
LIVE = 15000
WAITING = "Waiting to send"
QUESTION = "Which day suits the follow-up meeting?"
PROPOSAL = "A shared place board with citizens on it"


@pytest.fixture
def open_poll(transactional_db):
    summit = load_place_summit()[0]
    aisha = make_participant(summit, name="Aisha Rahman")
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    poll = polls.create_poll(
        plenary_for(summit),
        kind=Poll.Kind.CHOICE,
        question=QUESTION,
        options=["Tuesday", "Thursday"],
    )
    polls.open_poll(poll)
    return poll, aisha, farah


def _posts_arriving(page, path: str) -> list[str]:
    """Every post of the page's to ``path`` that reached the server, as it happens."""
    arrived = []
    page.on(
        "requestfinished",
        lambda r: (
            arrived.append(r.url) if r.method == "POST" and urlsplit(r.url).path == path else None
        ),
    )
    return arrived


def _offline(page, problems) -> None:
    """The phone loses its network: its failed posts, and its socket's, are expected."""
    problems.watch(page.context)
    problems.expect_console(r"ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed")
    problems.expect_console(r"^htmx:(afterRequest|sendError), ")
    page.context.set_offline(True)


def _waits(page, form) -> None:
    """The form says its post waits, as does the page to screen readers, without "Not sent"."""
    expect(form.locator("[data-send-waiting]")).to_contain_text(WAITING)
    expect(page.locator("#live-status")).to_contain_text(WAITING)
    expect(form.locator("[data-send-error]")).to_be_hidden()


def _sent_once(page, arrived: list[str]) -> None:
    """Nothing is left waiting, and later retries (timer, socket) find nothing to send."""
    expect(page.locator("[data-send-waiting]")).to_have_count(0)
    page.wait_for_timeout(3000)
    assert len(arrived) == 1, arrived
    assert waiting_on_device(page) is None


def test_poll_answer_chosen_offline_is_sent_once_when_the_network_returns(
    open_poll, phone, page_for, browser_problems
):
    poll, aisha, farah = open_poll
    thursday = poll.options.get(text="Thursday")
    slug = poll.plenary.summit.slug
    console = page_for(farah, reverse("plenary:console", args=[slug]))
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    page = phone(aisha, reverse("plenary:room", args=[slug]))
    arrived = _posts_arriving(page, reverse("plenary:answer", args=[slug, poll.pk]))
    card = page.locator(f"#board #poll-{poll.pk}")

    _offline(page, browser_problems)
    card.get_by_label("Thursday").check()
    card.get_by_role("button", name="Send my answer").click()
    _waits(page, card.locator("form"))
    expect(card.get_by_label("Thursday")).to_be_checked()
    assert f'["choice","{thursday.pk}"]' in waiting_on_device(page)
    assert not Response.objects.exists()
    page.context.set_offline(False)

    expect(card).to_contain_text("Your answer is saved", timeout=LIVE)
    expect(card.get_by_label("Thursday")).to_be_checked()
    expect(console.locator(f"#poll-{poll.pk}-count")).to_have_text("1 response", timeout=LIVE)
    _sent_once(page, arrived)
    mine = Answer.objects.filter(response__participant=aisha, response__poll=poll)
    assert list(mine.values_list("option_id", flat=True)) == [thursday.pk]
    assert Response.objects.count() == 1
    expect(console.locator(f"#poll-{poll.pk}-count")).to_have_text("1 response")


@pytest.fixture
def agreeing(room):
    """A breakout agreeing its outcomes: one outcome to rate, two members, a facilitator."""
    breakout, aisha, farah = room
    ben = make_participant(breakout.summit, name="Ben Carter", sector="health")
    breakout.members.add(ben)
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.AGREE)
    outcome = Outcome.objects.create(
        breakout=breakout, proposal=PROPOSAL, who_should_act="Council leaders"
    )
    return breakout, outcome, aisha, ben, farah


def _rate_offline(page, problems, outcome):
    """The phone rates the outcome "Fully support" without a network: the rating's card."""
    card = page.locator(f"#board #outcome-{outcome.pk}")
    _offline(page, problems)
    _levels(card).get_by_label("Fully support").check()
    card.get_by_role("button", name="Save my rating").click()
    _waits(page, card.locator("form"))
    expect(_levels(card).get_by_label("Fully support")).to_be_checked()
    assert f'["level","{Agreement.FULL}"]' in waiting_on_device(page)
    assert not Rating.objects.exists()
    return card


def _levels(card):
    return card.get_by_role("group", name="How far do you agree?")


def test_outcome_rating_sent_offline_is_kept_and_sent_once(
    agreeing, phone, page_for, browser_problems
):
    breakout, outcome, aisha, _, farah = agreeing
    console = page_for(farah, reverse("breakouts:console", args=[breakout.pk]))
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]))
    arrived = _posts_arriving(page, reverse("breakouts:rate", args=[breakout.pk, outcome.pk]))

    card = _rate_offline(page, browser_problems, outcome)
    page.context.set_offline(False)

    ratings = console.locator(f"#outcome-{outcome.pk} .ratings")
    expect(ratings).to_contain_text("Fully support: 1", timeout=LIVE)
    _sent_once(page, arrived)
    # The phone's board, drawn again after the rating, shows it as the person's own.
    expect(_levels(card).get_by_label("Fully support")).to_be_checked()
    assert list(Rating.objects.values_list("rater_id", "level")) == [(aisha.pk, Agreement.FULL)]
    expect(ratings).to_contain_text("Fully support: 1")


def test_rating_answered_after_the_board_is_drawn_again_is_sent_once(
    agreeing, phone, page_for, browser_problems
):
    """The network returns, the waiting rating goes, and before its answer comes back another
    member's rating has the phone draw its board again: the answer still ends the wait."""
    breakout, outcome, aisha, ben, _ = agreeing
    board = reverse("breakouts:breakout", args=[breakout.pk])
    other = page_for(ben, board)
    expect(other.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    page = phone(aisha, board)
    path = reverse("breakouts:rate", args=[breakout.pk, outcome.pk])
    arrived = _posts_arriving(page, path)

    card = _rate_offline(page, browser_problems, outcome)
    held = []
    page.route(f"**{path}", lambda route: route.continue_() if held else held.append(route))
    page.evaluate("document.getElementById('board').dataset.before = 'offline'")
    with page.expect_request(lambda r: r.method == "POST" and urlsplit(r.url).path == path):
        page.context.set_offline(False)
    expect(page.locator("[data-connection-status]")).to_have_attribute(
        "data-state", "open", timeout=LIVE
    )
    other_card = other.locator(f"#board #outcome-{outcome.pk}")
    _levels(other_card).get_by_label("Stand aside").check()
    other_card.get_by_role("button", name="Save my rating").click()
    expect(page.locator("#board[data-before]")).to_have_count(0, timeout=LIVE)
    # The board drawn afresh shows the rating still waiting, as it is.
    expect(card.locator("[data-send-waiting]")).to_contain_text(WAITING)
    assert len(held) == 1
    held[0].continue_()

    _sent_once(page, arrived)
    expect(_levels(card).get_by_label("Fully support")).to_be_checked()
    assert dict(Rating.objects.values_list("rater_id", "level")) == {
        aisha.pk: Agreement.FULL,
        ben.pk: Agreement.STAND_ASIDE,
    }

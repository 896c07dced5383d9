"""Before, during and after the day, in one walk: an attendee joins before the day once the
organiser opens it, states a preference, posts a first thought and answers the baseline
assumptions check; on the day the thought is on their breakout's wall and the closing round
shows how views moved by sector; after the organiser closes the summit, their return link
shows the outcomes and an action whose status the organiser changes, live."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Participant
from breakouts.models import Action, Breakout, Idea, Outcome
from breakouts.services import ensure_breakouts
from plenary.models import Answer, Poll, Response
from plenary.run_sheet import ask_again
from plenary.services import ASSUMPTIONS_QUESTION, plenary_for
from summit.event.models import Summit
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations
from tests.e2e.summit_day import settled

pytestmark = pytest.mark.e2e

LIVE = 10_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
THOUGHT = "Residents should sit on the board that spends the money"
# Enough people of one sector answer both rounds for that sector to be shown on its own.
OTHERS = 5


@pytest.fixture
def summit_before(transactional_db):
    summit = load_place_summit()[0]
    ensure_breakouts(summit)
    Summit.objects.filter(pk=summit.pk).update(
        status=Summit.Status.DRAFT, joining_opens_at=timezone.now() + dt.timedelta(days=3)
    )
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    baseline = Poll.objects.get(plenary=plenary_for(summit), question=ASSUMPTIONS_QUESTION)
    closing = ask_again(baseline)
    summit.refresh_from_db()
    return summit, organiser, baseline, closing


def _answered_by_others(summit: Summit, poll: Poll, level: int) -> None:
    """Five more people of the health sector answer ``poll`` at ``level`` throughout."""
    people = list(
        Participant.objects.filter(summit=summit, display_name__startswith="Health attendee")
    )
    while len(people) < OTHERS:
        people.append(
            make_participant(summit, name=f"Health attendee {len(people) + 1}", sector="health")
        )
    for person in people:
        response = Response.objects.create(poll=poll, participant=person)
        Answer.objects.bulk_create(
            Answer(response=response, option=option, value=level) for option in poll.options.all()
        )


def _answer_every_statement(phone, poll: Poll, level: str) -> None:
    """The attendee, the first to answer, places every statement at ``level``."""
    board = phone.locator(f"#board #poll-{poll.pk}")
    statements = board.locator("fieldset.statement")
    expect(statements).to_have_count(poll.options.count())
    for n in range(poll.options.count()):
        statements.nth(n).get_by_label(level, exact=True).check()
    board.get_by_role("button", name="Send my answer").click()
    expect(board).to_contain_text(re.compile(r"\b1 response\b"), timeout=LIVE)


def _open_from_console(console, poll: Poll) -> None:
    console.goto(reverse("plenary:console", args=[poll.plenary.summit.slug]))
    # Once the board the console fetches as its socket opens is drawn, as a person would see
    # it: a click on the board it replaces would be lost with it.
    settled(console)
    console.locator(f"#board #poll-{poll.pk}").get_by_role(
        "button", name=re.compile("^Open")
    ).first.click()
    # Open now: the console offers to close it.
    expect(
        console.locator(f"#board #poll-{poll.pk}").get_by_role("button", name=re.compile("^Close"))
    ).to_be_visible(timeout=LIVE)


def _before_the_day(summit, organiser, baseline, page_for, context_for, browser_problems):
    phone = context_for(**PHONE).new_page()
    join = reverse("join_summit", args=[summit.join_code])
    browser_problems.expect_status(403, join)
    phone.goto(join)
    expect(phone.locator("main")).to_contain_text("opens for joining on")

    joining = page_for(organiser, reverse("joining", args=[summit.slug]))
    joining.get_by_role("button", name="Open now").click()
    expect(joining.locator(".messages")).to_be_visible()

    phone.goto(join)
    phone.get_by_label("Name", exact=True).fill("Priya Shah")
    phone.get_by_label("Health and care (NHS)").check()
    phone.get_by_label("Citizen agency").check()
    phone.get_by_label("Name me with my organisation").check()
    phone.get_by_role("button", name="Join the summit").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(summit.title)
    attendee = Participant.objects.get(display_name="Priya Shah")
    assert attendee.preferred_subtheme.title == "Citizen agency"

    phone.goto(reverse("first_thoughts", args=[summit.slug]))
    phone.get_by_label("Citizen agency").check()
    phone.get_by_label("Your first thought").fill(THOUGHT)
    phone.get_by_role("button", name="Save my first thought").click()
    expect(phone.locator(".messages")).to_contain_text("Your first thought is saved")

    console = page_for(organiser, reverse("plenary:console", args=[summit.slug]))
    _open_from_console(console, baseline)
    phone.goto(reverse("plenary:room", args=[summit.slug]))
    _answer_every_statement(phone, baseline, "Disagree")
    _answered_by_others(summit, baseline, 2)
    return phone, console, attendee


def _on_the_day(summit, organiser, closing, phone, console, page_for):
    settings = page_for(organiser, reverse("summit_settings", args=[summit.slug]))
    settings.get_by_role("button", name="Start the day (live)").click()
    expect(settings.locator(".messages")).to_contain_text("Live")

    phone.goto(reverse("summit_home", args=[summit.slug]))
    breakout_link = phone.locator("#breakouts-heading + ul a").first
    breakout_name = breakout_link.inner_text()
    breakout_link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(breakout_name)
    assert Breakout.objects.get(name=breakout_name).subtheme.title == "Citizen agency"
    thought = phone.locator("#idea-list li").filter(has_text=THOUGHT)
    expect(thought).to_contain_text("Posted beforehand")

    _open_from_console(console, closing)
    phone.goto(reverse("plenary:room", args=[summit.slug]))
    _answer_every_statement(phone, closing, "Strongly agree")
    _answered_by_others(summit, closing, 5)

    shift = page_for(organiser, reverse("shift", args=[summit.slug]))
    expect(shift.locator("main")).to_contain_text("Health and care (NHS)")
    expect(shift.locator("main")).to_contain_text("Closing round")
    shift.locator("details.sector-split summary").first.click()
    # Six of health answered both rounds, from Disagree (2) to Strongly agree (5).
    health = shift.locator("details.sector-split").first.locator(
        "tr", has_text="Health and care (NHS)"
    )
    expect(health).to_contain_text("+3.00")
    assert axe_violations(shift) == []


def _after_the_day(summit, organiser, attendee, page_for, context_for):
    breakout = attendee.breakouts.get()
    outcome = Outcome.objects.create(
        breakout=breakout,
        proposal="A residents' seat on every budget board",
        who_should_act="Councils",
    )
    action = Action.objects.create(outcome=outcome, owner="Testshire Council")
    settings = page_for(organiser, reverse("summit_settings", args=[summit.slug]))
    settings.get_by_role("button", name="Close", exact=True).click()
    expect(settings.locator("body")).to_contain_text("Closed")

    returning = context_for().new_page()
    returning.goto(reverse("return_link", args=[account_services.make_return_link_key(attendee)]))
    returning.locator("main").get_by_role("button").first.click()
    expect(returning).to_have_url(reverse("what_we_did", args=[summit.slug]))
    expect(returning.locator("main")).to_contain_text("A residents' seat on every budget board")
    status = returning.locator(f"#action-{action.pk}-status")
    expect(status).to_have_text("Proposed")
    expect(returning.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    change = page_for(organiser, reverse("action", args=[summit.slug, action.pk]))
    change.get_by_label("Status").select_option(label="In progress")
    change.get_by_role("button", name="Save the changes").click()
    expect(status).to_have_text("In progress", timeout=LIVE)


def test_an_attendee_takes_part_before_during_and_after_the_day(
    summit_before, page_for, context_for, browser_problems
):
    summit, organiser, baseline, closing = summit_before

    phone, console, attendee = _before_the_day(
        summit, organiser, baseline, page_for, context_for, browser_problems
    )
    _on_the_day(summit, organiser, closing, phone, console, page_for)
    _after_the_day(summit, organiser, attendee, page_for, context_for)

    assert Idea.objects.get(text=THOUGHT).posted_beforehand
    assert Action.objects.get().get_status_display() == "In progress"

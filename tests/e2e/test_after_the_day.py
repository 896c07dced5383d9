"""After the day: the organiser closes the summit, an attendee follows their return link to
"what we did" and sees an outcome and its action; the organiser changes the action's status
and the attendee's page shows it without a reload."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Participant
from breakouts.models import Action, Outcome
from breakouts.services import ensure_breakouts
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

LIVE = 5000


@pytest.fixture
def day(transactional_db):
    summit = load_place_summit()[0]
    summit.status = summit.Status.LIVE
    summit.save(update_fields=["status"])
    breakout = ensure_breakouts(summit)[0]
    attendee = make_participant(summit, name="Aisha Rahman")
    breakout.members.add(attendee)
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pool the place budgets", who_should_act="Councils"
    )
    action = Action.objects.create(outcome=outcome, owner="Testshire Council")
    return summit, attendee, organiser, action


def test_attendee_sees_the_outcome_and_its_action_change_live(day, page_for, context_for):
    summit, attendee, organiser, action = day
    settings = page_for(organiser, reverse("summit_settings", args=[summit.slug]))
    settings.get_by_role("button", name="Close", exact=True).click()
    expect(settings.locator("body")).to_contain_text("Closed")

    key = account_services.make_return_link_key(attendee)
    page = context_for().new_page()
    page.goto(reverse("return_link", args=[key]))
    page.locator("main").get_by_role("button").first.click()

    expect(page).to_have_url(reverse("what_we_did", args=[summit.slug]))
    expect(page.get_by_role("heading", name="What we did", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Pool the place budgets")
    status = page.locator(f"#action-{action.pk}-status")
    expect(status).to_have_text("Proposed")
    expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    page.evaluate("window.loadedOnce = true")
    assert axe_violations(page) == []

    change = page_for(organiser, reverse("action", args=[summit.slug, action.pk]))
    change.get_by_label("Status").select_option(label="Done")
    change.get_by_role("button", name="Save the changes").click()

    expect(status).to_have_text("Done", timeout=LIVE)
    assert page.evaluate("window.loadedOnce") is True


def test_public_summary_shows_the_action_live_and_passes_axe(
    day, page_for, context_for, browser_problems
):
    summit, _, organiser, action = day
    organising = page_for(organiser, reverse("what_we_did", args=[summit.slug]))
    organising.get_by_role("button", name="Publish the summary at a public link").click()
    public_url = organising.locator("main a[href*='/p/']").get_attribute("href")

    page = context_for().new_page()
    page.goto(public_url)
    expect(page.locator("main")).to_contain_text("Pool the place budgets")
    expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    assert axe_violations(page) == []

    change = page_for(organiser, reverse("action", args=[summit.slug, action.pk]))
    change.get_by_label("Status").select_option(label="Accepted")
    change.get_by_role("button", name="Save the changes").click()
    expect(page.locator(f"#action-{action.pk}-status")).to_have_text("Accepted", timeout=LIVE)

    organising.goto(reverse("what_we_did", args=[summit.slug]))
    organising.get_by_role("button", name="Withdraw the public link").click()
    browser_problems.expect_status(404, public_url)
    browser_page = context_for().new_page()
    assert browser_page.goto(public_url).status == 404

"""Joining for real: a new attendee on a phone joins by code, reaches their breakout and
posts; the organiser sees them on the people page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Idea
from breakouts.services import ensure_breakouts
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def summit_open(transactional_db):
    summit = load_place_summit()[0]
    ensure_breakouts(summit)
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    return summit, organiser


def test_new_attendee_joins_by_code_on_a_phone_and_posts(
    summit_open, context_for, page_for, browser_problems
):
    summit, organiser = summit_open
    phone = context_for(**PHONE).new_page()

    phone.goto("/")
    phone.get_by_label("Join code").fill(summit.join_code.lower())
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Join {summit.title}")

    # Sending it empty shows the GOV.UK error summary, focused, with a link to each field.
    browser_problems.expect_status(422, reverse("join_summit", args=[summit.join_code]))
    phone.get_by_role("button", name="Join the summit").click()
    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Select the sector you are here from")
    assert axe_violations(phone) == []

    phone.get_by_label("Name", exact=True).fill("Priya Shah")
    phone.get_by_label("Organisation", exact=True).fill("Kirklees Council")
    phone.get_by_label("Local government").check()
    phone.get_by_label("Name me with my organisation").check()
    phone.get_by_role("button", name="Join the summit").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(summit.title)
    assert axe_violations(phone) == []
    breakout_link = phone.locator("#breakouts-heading + ul a").first
    breakout_name = breakout_link.inner_text()
    breakout_link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(breakout_name)
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    phone.get_by_label("Your idea").fill("Pool budgets across the place")
    phone.get_by_role("button", name="Post idea").click()
    expect(phone.locator("#idea-list")).to_contain_text("Pool budgets across the place")
    expect(phone.locator("#idea-list")).to_contain_text("Priya Shah, Kirklees Council")
    assert axe_violations(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"

    people = page_for(organiser, reverse("people", args=[summit.slug]))
    row = people.get_by_role("row").filter(has_text="Priya Shah")
    expect(row).to_contain_text("Local government")
    expect(row.locator("select[name=breakout] option:checked")).to_have_text(breakout_name)
    assert axe_violations(people) == []
    joined = Participant.objects.get(display_name="Priya Shah")
    assert joined.role == Participant.Role.ATTENDEE
    assert Idea.objects.get(text="Pool budgets across the place").author == joined


def test_join_screen_shows_code_and_qr_for_the_projector(summit_open, page_for):
    summit, organiser = summit_open
    screen = page_for(organiser, reverse("join_screen", args=[summit.slug]))

    expect(screen.locator(".big-screen__code")).to_have_text(summit.join_code)
    expect(screen.get_by_role("img", name="QR code of the join link")).to_be_visible()
    assert axe_violations(screen) == []

"""The pages of the day's end, checked as in test_every_page: the follow-up actions as an
organiser keeps them (made from the outcomes, one changed, one refused) and as a facilitator
reads them, and the feedback form (refused, then sent) with its results."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Action
from summit.event.models import Summit
from tests.e2e.summit_day import (  # noqa: F401
    day,
    findings_on,
    findings_once_settled,
    live_day,
)

pytestmark = pytest.mark.e2e


def _actions(today, context_for, problems) -> list[str]:
    slug = today.summit.slug
    page = context_for(today.organiser).new_page()
    found = findings_on(page, "actions, none yet", reverse("actions", args=[slug]))
    page.get_by_role("button", name="Make an action for each outcome that has none").click()
    expect(page.locator(".messages")).to_be_visible()
    found += findings_once_settled(page, "actions, made from the outcomes")

    action = Action.objects.filter(outcome__breakout__summit=today.summit).first()
    path = reverse("action", args=[slug, action.pk])
    found += findings_on(page, "an action", path)
    page.get_by_label("Who is to act").fill("")
    problems.expect_status(422, path)
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found += findings_once_settled(page, "an action, refused")
    page.get_by_label("Who is to act").fill("Testshire Council")
    page.get_by_label("Status").select_option(label="Accepted")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".messages")).to_be_visible()
    found += findings_once_settled(page, "actions, one accepted")

    reader = context_for(today.facilitator).new_page()
    found += findings_on(reader, "actions, facilitator", reverse("actions", args=[slug]))
    expect(
        reader.get_by_role("button", name="Make an action for each outcome that has none")
    ).to_have_count(0)
    return found


def _feedback(today, context_for, problems) -> list[str]:
    slug = today.summit.slug
    path = reverse("feedback", args=[slug])
    page = context_for(today.attendee).new_page()
    found = findings_on(page, "feedback", path)
    problems.expect_status(422, path)
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found += findings_once_settled(page, "feedback, refused")
    page.get_by_role("group", name="How useful was the day for you?").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("group", name="How far did you feel heard?").get_by_role("radio").last.check()
    page.get_by_label("What should change?").fill("More time in the groups")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".messages")).to_be_visible()
    found += findings_once_settled(page, "feedback, sent")

    organiser = context_for(today.organiser).new_page()
    results = reverse("feedback_results", args=[slug])
    found += findings_on(organiser, "feedback results", results)
    expect(organiser.locator("main")).to_contain_text("More time in the groups")
    return found


def test_pages_of_the_days_end_are_clean_at_every_size(
    live_day,  # noqa: F811
    context_for,
    browser_problems,
):
    today = live_day.day
    Summit.objects.filter(pk=today.summit.pk).update(status=Summit.Status.CLOSED)

    found = _actions(today, context_for, browser_problems)
    found += _feedback(today, context_for, browser_problems)

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()

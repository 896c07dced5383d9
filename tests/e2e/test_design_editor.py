"""The organisers' content editor in a browser: its pages checked as in test_every_page (axe
at every size, no console error, no failed request), as organisers and facilitators see them,
retired items and refused forms included; and an organiser who uses only the keyboard adds a
working assumption and moves it up the list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from summit.event.models import Assumption
from summit.organise.design import PARTS
from summit.organise.design_services import retire_item
from tests.e2e.summit_day import (  # noqa: F401
    day,
    findings_on,
    findings_once_settled,
    live_day,
    people_of,
)
from tests.e2e.test_keyboard_journey import Keyboard

pytestmark = pytest.mark.e2e

NEW = "Trust is built between people before it is built between organisations"


def test_design_pages_are_clean_at_every_size(live_day, context_for, browser_problems):  # noqa: F811
    today = live_day.day
    slug = today.summit.slug
    retire_item(PARTS["areas"], PARTS["areas"].items(today.summit).last(), by=today.organiser)
    agenda = PARTS["agenda"].items(today.summit).first()
    people = people_of(live_day)
    organising = context_for(people["organiser"]).new_page()
    reading = context_for(people["facilitator"]).new_page()
    found = []

    for label, path in (
        ("design", reverse("design", args=[slug])),
        ("design, working assumptions", reverse("design_part", args=[slug, "assumptions"])),
        ("design, areas with one retired", reverse("design_part", args=[slug, "areas"])),
        ("design, agenda item", reverse("design_item", args=[slug, "agenda", agenda.pk])),
    ):
        found += findings_on(organising, label, path)
    for label, path in (
        ("design, facilitator", reverse("design", args=[slug])),
        ("design, agenda, facilitator", reverse("design_part", args=[slug, "agenda"])),
    ):
        found += findings_on(reading, label, path)

    # A refused agenda item: the error summary and the messages by its fields.
    browser_problems.expect_status(422, reverse("design_part", args=[slug, "agenda"]))
    organising.goto(reverse("design_part", args=[slug, "agenda"]))
    organising.get_by_label("Title", exact=True).fill("Closing plenary")
    organising.get_by_label("Starts at").fill("16:00")
    organising.get_by_label("Ends at").fill("15:00")
    organising.get_by_role("button", name="Add an agenda item").click()
    expect(organising.locator(".error-summary")).to_contain_text("The end must be after the start")
    expect(organising).to_have_title("Error: Agenda: Place Summit – Summit")
    found += findings_once_settled(organising, "design, agenda refused")

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()


def test_an_organiser_adds_an_assumption_and_moves_it_up_by_keyboard(
    live_day,  # noqa: F811
    context_for,
):
    today = live_day.day
    page = context_for(today.organiser).new_page()
    page.goto(reverse("design_part", args=[today.summit.slug, "assumptions"]))
    keys = Keyboard(page)
    before = list(Assumption.objects.filter(summit=today.summit).values_list("text", flat=True))

    keys.to(page.get_by_role("textbox", name="Working assumption", exact=True), within=60)
    page.keyboard.type(NEW)
    keys.to(page.get_by_role("button", name="Add a working assumption"))
    page.keyboard.press("Enter")

    items = page.locator(
        ".design-list > li .design-item__name:not([lang=cy])"
    )  # the English, each Welsh under it
    expect(items.last).to_have_text(NEW)
    expect(page.locator(".messages")).to_contain_text(f"Added “{NEW}”.")
    added = Assumption.objects.get(summit=today.summit, text=NEW)
    moved = page.locator(f"#item-{added.pk}")
    # The page opens at the new item, so its own buttons are the next stops.
    expect(moved).to_be_focused()
    keys.last_look = None
    keys.to(moved.get_by_role("button", name="Move up"), within=3)
    page.keyboard.press("Enter")

    expect(items).to_have_text([*before[:-1], NEW, before[-1]])
    expect(page.locator(".messages")).to_contain_text("Moved “")
    expect(page.locator(f"#item-{added.pk}")).to_be_focused()

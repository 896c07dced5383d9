"""Themes across rooms in a real browser: two breakouts on one subtheme, each with a cluster on
pooling budgets. The lead adds a theme, and maps both rooms' clusters to it from the
candidates offered; the theme draws on both breakouts, with its dots and sectors, on the
lead's page and, without reload, on a facilitator's. The lead puts it on the plenary's big
screen, which shows it live, follows a further mapping, and goes back to what it showed when
the theme is taken off."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plenary.services import plenary_for
from summit.event.measures import OTHER_SECTORS
from tests.e2e.conftest import quiet
from tests.e2e.summit_day import LIVE, settled

pytestmark = pytest.mark.e2e

THEME = "Pooled budgets across the place"


def _open(context_for, person, path: str, **options):
    page = context_for(person, **options).new_page()
    page.goto(path)
    settled(page)
    page.evaluate("window.loadedOnce = true")
    return page


def _figure(part, label: str):
    """What a summary list in ``part`` gives against ``label``."""
    return part.locator(f"xpath=.//dt[normalize-space()='{label}']/following-sibling::dd[1]")


def _map_from_candidates(page, item_id: str) -> None:
    item = page.locator(f"#item-{item_id}")
    candidate = item.get_by_role("button", name=re.compile(f"^Map to “{THEME}” \\(\\d+% alike\\)"))
    expect(candidate).to_be_visible()
    candidate.click()
    # Mapped: the item sits under the theme, with its way back, before the next is mapped.
    unmap = page.locator(f"#item-{item_id}").get_by_role("button", name=re.compile("^Unmap"))
    expect(unmap).to_be_visible(timeout=LIVE)


def test_a_lead_maps_two_rooms_to_a_theme_and_puts_it_on_the_big_screen(
    rooms, context_for, browser_problems
):
    summit = rooms.summit
    path = reverse("synthesis_subtheme", args=[summit.slug, rooms.first.subtheme_id])
    plenary = plenary_for(summit)
    lead = _open(context_for, rooms.organiser, path)
    watching = _open(context_for, rooms.other_facilitator, path)
    screen = _open(
        context_for,
        None,
        reverse("plenary:screen", args=[plenary.screen_key]),
        viewport={"width": 1920, "height": 1080},
    )
    expect(screen.locator("main")).to_contain_text("The question for the day")

    form = lead.locator("#new-theme")
    form.get_by_label("Theme", exact=True).fill(THEME)
    form.get_by_label("Short description (optional)").fill("Council and NHS money together")
    form.get_by_role("button", name="Add the theme").click()
    theme = lead.locator("#board article.theme", has_text=THEME)
    expect(theme).to_be_visible()

    _map_from_candidates(lead, f"cluster-{rooms.budgets.pk}")
    expect(theme.locator(f"#item-cluster-{rooms.budgets.pk}")).to_be_visible()
    _map_from_candidates(lead, f"cluster-{rooms.joint.pk}")
    expect(theme.locator(f"#item-cluster-{rooms.joint.pk}")).to_be_visible()

    for page in (lead, watching):
        shown = page.locator("#board article.theme", has_text=THEME)
        rooms_shown = f"{rooms.first.name}, Second room"
        expect(_figure(shown, "Rooms")).to_have_text(rooms_shown, timeout=LIVE)
        expect(_figure(shown, "Dots")).to_have_text("18 dots from 13 people")
        expect(_figure(shown, "Cross-sector support")).to_contain_text("from 3 sectors")
        sectors = f"Local government 6, {OTHER_SECTORS} 7"
        expect(_figure(shown, "Supporters by sector")).to_have_text(sectors)
    # Both pages have heard the second mapping, and the lead's board has caught up with the
    # pushes, as a person sees it: a board drawn again under a click would take the click.
    heard = f"“{rooms.joint.name}” from Second room is now in"
    for page in (watching, lead):
        expect(page.locator("#live-status")).to_contain_text(heard, timeout=LIVE)
    quiet(lead)
    theme.get_by_role("button", name=re.compile(f"^Put on the big screen.*{THEME}")).click()
    shown_message = f"“{THEME}” is on the big screen"
    expect(lead.locator("#synthesis-message")).to_contain_text(shown_message, timeout=LIVE)
    card = screen.locator(".screen-theme")
    expect(card.locator(".screen-theme__name")).to_have_text(THEME, timeout=LIVE)
    expect(_figure(card, "Rooms")).to_have_text(f"{rooms.first.name}, Second room")
    expect(_figure(card, "Ideas")).to_have_text("3")
    expect(_figure(card, "Dots")).to_have_text("18")
    expect(_figure(card, "Sectors")).to_contain_text("Supported from 3 sectors: Local government 6")

    # Further mappings reach the big screen as they are made: the outcome draws on an idea
    # the theme has already; the residents' cluster, chosen from the list, brings another.
    _map_from_candidates(lead, f"outcome-{rooms.outcome.pk}")
    expect(theme.locator(f"#item-outcome-{rooms.outcome.pk}")).to_be_visible()
    lead.locator(f"#item-cluster-{rooms.voice.pk}").get_by_role(
        "button", name="Map", exact=True
    ).click()
    expect(theme.locator(f"#item-cluster-{rooms.voice.pk}")).to_be_visible()
    expect(_figure(card, "Ideas")).to_have_text("4", timeout=LIVE)
    expect(_figure(card, "Dots")).to_have_text("19")

    lead.get_by_role("button", name="Take any theme off the plenary’s big screen").click()
    expect(lead.locator("#synthesis-message")).to_contain_text("The theme is off the big screen")
    expect(screen.locator("main")).to_contain_text("The question for the day", timeout=LIVE)
    expect(screen.locator(".screen-theme")).to_have_count(0)

    for page in (lead, watching, screen):
        assert page.evaluate("window.loadedOnce") is True
    browser_problems.check()

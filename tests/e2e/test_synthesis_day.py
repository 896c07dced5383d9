"""The synthesis of a day, in one browser journey: in the first of two rooms on a subtheme,
attendees post ideas, two of them near-duplicates; the one typing the second is offered the
first; the room's facilitator merges the pair the console suggests; the synthesis lead maps
both rooms' clusters to one theme from the candidates offered; the subtheme's synthesis page
shows the theme drawing on both breakouts, with its dots and sectors, and the plenary's big
screen shows it. The engine is words in common (the tests' settings)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Idea
from plenary.services import plenary_for
from tests.conftest import make_participant
from tests.e2e.conftest import PHONE
from tests.e2e.summit_day import LIVE, settled
from tests.e2e.test_breakout_journey import _post_idea
from tests.e2e.test_synthesis_journey import THEME, _figure, _map_from_candidates, _open

pytestmark = pytest.mark.e2e

FIRST = "Give councils multi-year budgets"
AGAIN = "Multi-year budgets for councils, please"


def _offer_and_merge(rooms, context_for) -> None:
    """Two attendees of the first room post near-duplicates; the second is offered the first
    as they type; the facilitator merges the pair from the console's suggestions."""
    first_room = reverse("breakouts:breakout", args=[rooms.first.pk])
    typist = make_participant(rooms.summit, name="Dewi Morgan", sector="voluntary")
    rooms.first.members.add(typist)
    console = _open(
        context_for, rooms.facilitator, reverse("breakouts:console", args=[rooms.first.pk])
    )
    poster = _open(context_for, rooms.attendee, first_room)
    phone = _open(context_for, typist, first_room, viewport=PHONE)

    _post_idea(poster, FIRST)
    first = Idea.objects.get(text=FIRST)
    expect(phone.locator(f"#board #idea-{first.pk}")).to_be_visible(timeout=LIVE)

    box = phone.get_by_label("Your idea")
    box.fill(AGAIN)
    offered = phone.locator("#similar-ideas .similar__idea")
    expect(offered).to_have_count(1, timeout=LIVE)
    expect(offered).to_contain_text(FIRST)
    phone.get_by_role("button", name="Post idea").click()
    expect(phone.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()
    again = Idea.objects.get(text=AGAIN)

    pair = console.locator(f"#duplicate-{first.pk}-{again.pk}")
    expect(pair).to_contain_text("% alike", timeout=LIVE)
    pair.get_by_role("button", name=f"Merge #{again.pk} into #{first.pk}").click()
    for page in (console, poster, phone):
        expect(page.locator(f"#board #idea-{again.pk}")).to_have_count(0, timeout=LIVE)
        expect(page.locator(f"#board #idea-{first.pk}")).to_be_visible()


def test_near_duplicates_merged_and_two_rooms_brought_into_one_theme_on_the_big_screen(
    rooms, context_for, browser_problems
):
    _offer_and_merge(rooms, context_for)

    plenary = plenary_for(rooms.summit)
    screen = _open(
        context_for,
        None,
        reverse("plenary:screen", args=[plenary.screen_key]),
        viewport={"width": 1920, "height": 1080},
    )
    lead = _open(
        context_for,
        rooms.organiser,
        reverse("synthesis_subtheme", args=[rooms.summit.slug, rooms.first.subtheme_id]),
    )
    # The rooms' last changes have reached the page (it fetches its themes again for them).
    settled(lead)
    form = lead.locator("#new-theme")
    form.get_by_label("Theme", exact=True).fill(THEME)
    form.get_by_role("button", name="Add the theme").click()
    theme = lead.locator("#board article.theme", has_text=THEME)
    expect(theme).to_be_visible()
    _map_from_candidates(lead, f"cluster-{rooms.budgets.pk}")
    _map_from_candidates(lead, f"cluster-{rooms.joint.pk}")

    both_rooms = f"{rooms.first.name}, {rooms.second.name}"
    expect(_figure(theme, "Rooms")).to_have_text(both_rooms, timeout=LIVE)
    expect(_figure(theme, "Dots")).to_have_text("18 dots from 13 people")
    expect(_figure(theme, "Supporters by sector")).to_contain_text("Local government 6")

    theme.get_by_role("button", name=re.compile(f"^Put on the big screen.*{THEME}")).click()
    card = screen.locator(".screen-theme")
    expect(card.locator(".screen-theme__name")).to_have_text(THEME, timeout=LIVE)
    expect(_figure(card, "Rooms")).to_have_text(both_rooms)
    expect(_figure(card, "Dots")).to_have_text("18")
    expect(_figure(card, "Sectors")).to_contain_text("Local government 6")
    browser_problems.check()

"""The pages of the themes across rooms, checked as in test_every_page: the synthesis pages as
an organiser keeps them (a theme with its mapped cluster, the candidates for an outcome not
yet mapped, the themes by sector, a theme refused) and as a facilitator reads them, the
plenary's console and big screen with the theme on it, and the record with its themes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Cluster
from plenary.models import Plenary
from summit.synthesis.models import Theme, ThemeLink
from tests.e2e.summit_day import (  # noqa: F401
    day,
    findings_on,
    findings_once_settled,
    live_day,
)

pytestmark = pytest.mark.e2e


def test_synthesis_pages_are_clean_at_every_size(
    live_day,  # noqa: F811
    context_for,
    browser_problems,
):
    today = live_day.day
    slug = today.summit.slug
    subtheme = today.breakout.subtheme
    # Written as they stand, with nothing pushed: this thread's event loop runs the browser.
    theme = Theme.objects.create(
        subtheme=subtheme, name="Money follows the place", description="Pooled", position=1
    )
    Theme.objects.create(subtheme=subtheme, name="Citizens in the room", position=2)
    ThemeLink.objects.create(theme=theme, cluster=Cluster.objects.get(breakout=today.breakout))
    Plenary.objects.filter(pk=live_day.plenary.pk).update(shown_theme=theme)
    path = reverse("synthesis_subtheme", args=[slug, subtheme.pk])

    organiser = context_for(today.organiser).new_page()
    found = findings_on(organiser, "synthesis, organiser", reverse("synthesis", args=[slug]))
    found += findings_on(organiser, "themes of a subtheme, lead", path)
    expect(organiser.locator("#board")).to_contain_text("Themes by sector")
    form = organiser.locator("#new-theme")
    browser_problems.expect_status(422, reverse("synthesis_add_theme", args=[slug, subtheme.pk]))
    form.get_by_role("button", name="Add the theme").click()
    expect(organiser.locator("#new-theme .error-summary")).to_be_visible()
    found += findings_once_settled(organiser, "themes of a subtheme, a theme refused")
    found += findings_on(
        organiser, "plenary console, a theme on screen", reverse("plenary:console", args=[slug])
    )
    found += findings_on(organiser, "record with themes", reverse("record", args=[slug]))

    facilitator = context_for(today.facilitator).new_page()
    found += findings_on(facilitator, "synthesis, facilitator", reverse("synthesis", args=[slug]))
    found += findings_on(facilitator, "themes of a subtheme, facilitator", path)

    projector = context_for().new_page()
    screen = reverse("plenary:screen", args=[live_day.plenary.screen_key])
    found += findings_on(projector, "plenary big screen, a theme", screen)
    expect(projector.locator(".screen-theme__name")).to_have_text("Money follows the place")

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()

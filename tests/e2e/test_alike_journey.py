"""Ideas alike, in a real browser: as one attendee types an idea another has posted already,
the page offers it to build on instead, keeping what was typed; they post their own all the
same, and the facilitator's console finds the pair among its possible duplicates and merges
it, and every wall shows one idea. The engine is words in common (the tests' settings); the
console's suggested clusters, which it does not offer, are drawn by an engine that does."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Breakout, Cluster, Idea
from summit.engine import reset_engine
from tests.conftest import client_for
from tests.e2e.conftest import PHONE, axe_violations, quiet
from tests.e2e.test_breakout_journey import (  # noqa: F401  (the group, for the tests)
    LIVE,
    _post_idea,
    _wall_count,
    group,
)
from tests.test_alike import DATA, DATA_AGAIN, GROUPING, POOL, POOL_AGAIN

pytestmark = pytest.mark.e2e

FIRST = "Give councils multi-year budgets"
AGAIN = "Multi-year budgets for councils, please"


def test_a_near_duplicate_is_offered_to_build_on_then_merged_from_the_console(
    group,  # noqa: F811
    page_for,
    browser_problems,
):
    breakout, aisha, ben, farah = group
    page_path = reverse("breakouts:breakout", args=[breakout.pk])
    console = page_for(farah, reverse("breakouts:console", args=[breakout.pk]))
    page_a = page_for(aisha, page_path)
    page_b = page_for(ben, page_path)
    page_b.set_viewport_size(PHONE)
    screens = {"console": console, "attendee A": page_a, "attendee B": page_b}
    for page in screens.values():
        expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
        page.evaluate("window.loadedOnce = true")

    # Aisha posts an idea; it reaches Ben's wall.
    _post_idea(page_a, FIRST)
    first = Idea.objects.get(text=FIRST, author=aisha)
    expect(page_b.locator(f"#board #idea-{first.pk}")).to_contain_text(FIRST, timeout=LIVE)
    expect(console.locator("#duplicates")).to_contain_text("No possible duplicates", timeout=LIVE)

    # Ben types much the same: after a pause, the page offers Aisha's idea, and the polite
    # region says so in a word.
    box = page_b.get_by_label("Your idea")
    box.fill(AGAIN)
    offered = page_b.locator("#similar-ideas")
    expect(offered.get_by_role("heading", name="Similar ideas on the wall")).to_be_visible(
        timeout=LIVE
    )
    expect(offered.locator(".similar__idea")).to_have_count(1)
    expect(offered.locator(".similar__idea")).to_contain_text(FIRST)
    expect(page_b.locator("#similar-status")).to_have_text("Similar ideas on the wall")
    expect(page_b.locator("#similar-status")).to_have_attribute("aria-live", "polite")
    assert axe_violations(page_b) == []

    # "Build on this instead" opens that idea's comments with the cursor in its box; what Ben
    # typed stays in the idea box.
    offered.get_by_role("link", name="Build on this instead").click()
    card = page_b.locator(f"#board #idea-{first.pk}")
    comment_box = card.get_by_label("Build on this idea")
    expect(comment_box).to_be_visible()
    expect(comment_box).to_be_focused()
    expect(box).to_have_value(AGAIN)

    # He posts his own all the same: one tap on the button, as ever.
    page_b.get_by_role("button", name="Post idea").click()
    expect(page_b.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()
    again = Idea.objects.get(text=AGAIN, author=ben)
    expect(page_b.locator("#similar-ideas .similar__idea")).to_have_count(0)
    for name, page in screens.items():
        expect(_wall_count(page), f"count on the {name}").to_have_text("(2)", timeout=LIVE)

    # The console finds the pair, says how alike and which way a merge goes, and merges it.
    pair = console.locator(f"#duplicate-{first.pk}-{again.pk}")
    expect(pair).to_contain_text("% alike", timeout=LIVE)
    expect(pair).to_contain_text(FIRST)
    expect(pair).to_contain_text(AGAIN)
    expect(pair).to_contain_text(f"Merging keeps the older idea, #{first.pk}")
    expect(console.locator("#duplicates")).to_contain_text(
        "Similar ideas found by: words in common (TF-IDF)"
    )
    assert axe_violations(console) == []
    pair.get_by_role("button", name=f"Merge #{again.pk} into #{first.pk}").click()

    for name, page in screens.items():
        expect(_wall_count(page), f"count on the {name}").to_have_text("(1)", timeout=LIVE)
        expect(page.locator("#board .idea"), f"ideas on the {name}").to_have_count(1)
        expect(page.locator(f"#board #idea-{first.pk}")).to_contain_text(FIRST)
    expect(console.locator("#duplicates")).to_contain_text("No possible duplicates", timeout=LIVE)
    again.refresh_from_db()
    assert (again.status, again.merged_into_id) == (Idea.Status.MERGED, first.pk)
    for name, page in screens.items():
        assert page.evaluate("window.loadedOnce") is True, f"the {name} reloaded"


def _drawn_with_an_engine_that_groups(participant):
    """A route's handler answering as the server would, but with an engine whose suggested
    clusters are offered: drawn here, in the test's process, for the participant."""
    client = client_for(participant)

    def fulfil(route) -> None:
        with override_settings(SYNTHESIS_ENGINE=GROUPING):
            reset_engine()
            address = urlsplit(route.request.url)
            response = client.get(address.path, QUERY_STRING=address.query)
        reset_engine()
        headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    return fulfil


def test_suggested_clusters_are_offered_clean_and_one_is_accepted_as_edited(
    group,  # noqa: F811
    context_for,
    live_url,
):
    breakout, aisha, ben, farah = group
    pool, _, pool_again, _ = (
        Idea.objects.create(breakout=breakout, author=author, text=text, client_token=uuid.uuid4())
        for author, text in ((aisha, POOL), (ben, DATA), (aisha, POOL_AGAIN), (ben, DATA_AGAIN))
    )
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.CLUSTER)
    console_path = reverse("breakouts:console", args=[breakout.pk])
    page = context_for(farah).new_page()
    # The panel as the console fetches it when its socket opens.
    suggestions = reverse("breakouts:suggestions", args=[breakout.pk])
    page.route(f"{live_url}{suggestions}", _drawn_with_an_engine_that_groups(farah))
    page.goto(console_path)
    expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    quiet(page)

    panel = page.locator("#suggestions")
    expect(panel.locator(".alike__proposal")).to_have_count(2)
    proposal = panel.locator(".alike__proposal").filter(has_text=POOL)
    expect(proposal.get_by_role("checkbox")).to_have_count(2)
    for checkbox in proposal.get_by_role("checkbox").all():
        expect(checkbox).to_be_checked()
    assert axe_violations(page) == []
    assert not Cluster.objects.exists()

    proposal.get_by_label("Name of the cluster").fill("Pooled budgets")
    proposal.get_by_role("button", name="Accept").click()

    cluster = page.locator("#board .cluster__name", has_text="Pooled budgets")
    expect(cluster).to_be_visible(timeout=LIVE)
    made = Cluster.objects.get(breakout=breakout)
    assert made.name == "Pooled budgets"
    assert set(made.ideas.values_list("pk", flat=True)) == {pool.pk, pool_again.pk}

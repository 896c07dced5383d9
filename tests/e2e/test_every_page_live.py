"""The live pages after pushes have changed them: another person posts an idea and a comment,
a poll is answered and another's results are revealed. Every screen shows it without reload,
stays clean for axe at every size and logs nothing, and each change is announced in the
page's live region without taking the focus from someone typing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.summit_day import (  # noqa: F401
    LIVE,
    day,
    findings_at_every_size,
    live_day,
    people_of,
    settled,
)

pytestmark = pytest.mark.e2e

IDEA = "Open every council budget meeting to residents of the place"
COMMENT = "Hold them in the evening so that people who work can come"
HALF_WRITTEN = "Ask the young people's council what "


def _open(context_for, live, who: str, path: str):
    page = context_for(people_of(live)[who]).new_page()
    page.goto(path)
    settled(page)
    page.evaluate("window.loadedOnce = true")
    return page


def _typing(page, text: str):
    """A person part way through writing an idea, the cursor in the box."""
    box = page.get_by_label("Your idea")
    box.click()
    page.keyboard.type(text)
    return box


def _announced(page, text: str, box, typed: str) -> None:
    """The live region says what arrived, and the person typing kept the focus and the text."""
    status = page.locator("#live-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(text, timeout=LIVE)
    expect(box).to_be_focused()
    expect(box).to_have_value(typed)


def _breakout_pushes(live, context_for) -> dict:
    """Ben posts an idea and builds on the group's first idea; the other member, the console
    and the big screen follow."""
    other = live.day.other
    path = reverse("breakouts:breakout", args=[other.pk])
    pages = {
        "newcomer's page": _open(context_for, live, "newcomer", path),
        "console": _open(
            context_for, live, "other facilitator", reverse("breakouts:console", args=[other.pk])
        ),
        "big screen": _open(
            context_for, live, "projector", reverse("breakouts:screen", args=[other.screen_key])
        ),
    }
    poster = _open(context_for, live, "other member", path)
    box = _typing(pages["newcomer's page"], HALF_WRITTEN)

    poster.get_by_label("Your idea").fill(IDEA)
    poster.get_by_role("button", name="Post idea").click()
    for name, page in pages.items():
        expect(page.locator("#board .idea").filter(has_text=IDEA), name).to_be_visible(timeout=LIVE)
    _announced(pages["newcomer's page"], f"New idea: {IDEA}", box, HALF_WRITTEN)

    card = poster.locator(f"#idea-{live.day.other_idea.pk}")
    card.locator("summary", has_text="Comments").click()
    card.get_by_label("Build on this idea").fill(COMMENT)
    card.get_by_role("button", name="Comment").click()
    for name in ("newcomer's page", "console"):
        comment = pages[name].locator(f"#idea-{live.day.other_idea.pk} .comment")
        expect(comment, name).to_contain_text(COMMENT, timeout=LIVE)
    _announced(pages["newcomer's page"], f"New comment: {COMMENT}", box, HALF_WRITTEN)
    return {**pages, "poster's page": poster}


def _plenary_pushes(live, context_for) -> dict:
    """The newcomer answers the open ranking; the facilitators reveal the open-text poll's
    results. Phones, the console and the big screen follow."""
    slug, key = live.day.summit.slug, live.plenary.screen_key
    room = reverse("plenary:room", args=[slug])
    pages = {
        "phone": _open(context_for, live, "attendee", room),
        "console": _open(context_for, live, "organiser", reverse("plenary:console", args=[slug])),
        "big screen": _open(context_for, live, "projector", reverse("plenary:screen", args=[key])),
    }
    answering = _open(context_for, live, "newcomer", room)
    ranking, texts = live.ranking, live.texts

    answering.locator(f"#poll-{ranking.pk}").get_by_role("button", name="Send my answer").click()
    expect(answering.locator(f"#poll-{ranking.pk}")).to_contain_text("Your answer is saved")
    for name, page in pages.items():
        expect(page.locator(f"#poll-{ranking.pk}-count"), name).to_have_text(
            "3 responses", timeout=LIVE
        )

    reveal = pages["console"].locator(f"#poll-{texts.pk}")
    reveal.get_by_role("button", name=re.compile("^Reveal results")).click()
    for page in (pages["phone"], answering):
        revealed = page.locator(f"#poll-{texts.pk}-results")
        expect(revealed).to_contain_text("Trust local leaders with the money", timeout=LIVE)
        expect(page.locator("#live-status")).to_have_text(f"Results are shown: {texts.question}")
    expect(reveal.get_by_role("button", name=re.compile("^Hide results"))).to_be_visible()
    return {**pages, "answering phone": answering}


def test_live_pages_stay_clean_after_pushes(live_day, context_for, browser_problems):  # noqa: F811
    found = []
    for pushed in (_breakout_pushes, _plenary_pushes):
        pages = pushed(live_day, context_for)
        for name, page in pages.items():
            found += findings_at_every_size(page, f"{pushed.__name__}: {name}")
            assert page.evaluate("window.loadedOnce") is True, f"{name} reloaded"

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()

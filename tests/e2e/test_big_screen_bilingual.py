"""The plenary's big screen in English and Welsh side by side, on a projector: a poll with its
results revealed, its question, options and the screen's own labels in two columns, each in its
language, nothing for axe to find, and nothing wider than the screen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plenary.models import Answer, Plenary, Poll, PollOption, Response
from plenary.services import plenary_for
from summit.event.models import Summit
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations, quiet

pytestmark = pytest.mark.e2e

LIVE = 5000
QUESTION = "Where should the money go first?"
QUESTION_CY = "I ble dylai’r arian fynd yn gyntaf?"
OPTIONS = [("Prevention", "Atal"), ("Housing", "Tai"), ("Transport", "")]
PROJECTORS = {"720p": (1280, 720), "1080p": (1920, 1080)}


@pytest.fixture
def screen_path(transactional_db) -> str:
    summit = load_place_summit()[0]
    Summit.objects.filter(pk=summit.pk).update(big_screen_languages=Summit.BigScreenLanguages.BOTH)
    plenary = plenary_for(summit)
    poll = Poll.objects.create(
        plenary=plenary,
        kind=Poll.Kind.CHOICE,
        question=QUESTION,
        question_cy=QUESTION_CY,
        state=Poll.State.OPEN,
        results_shown=True,
    )
    for order, (text, text_cy) in enumerate(OPTIONS, start=1):
        option = PollOption.objects.create(poll=poll, order=order, text=text, text_cy=text_cy)
        response = Response.objects.create(poll=poll, participant=make_participant(summit))
        Answer.objects.create(response=response, option=option)
    Plenary.objects.filter(pk=plenary.pk).update(showing=Plenary.Showing.POLL, shown_poll=poll)
    return reverse("plenary:screen", args=[plenary.screen_key])


def test_the_bilingual_big_screen_is_clean_and_fits_a_projector(context_for, screen_path):
    width, height = PROJECTORS["720p"]
    page = context_for(viewport={"width": width, "height": height}).new_page()
    page.goto(screen_path)
    status = page.locator("[data-connection-status]")
    expect(status).to_have_attribute("data-state", "open", timeout=LIVE)
    quiet(page)

    question = page.locator(".screen-poll__question")
    expect(question.locator('[lang="en-gb"]')).to_have_text(QUESTION)
    expect(question.locator('[lang="cy"]')).to_have_text(QUESTION_CY)
    title = page.locator(".big-screen__title")
    expect(title.locator('[lang="en-gb"]')).to_have_text("Place Summit")
    expect(title.locator('[lang="cy"]')).not_to_be_empty()
    label = page.locator(".chart__label").first
    expect(label.locator('[lang="en-gb"]')).to_have_text("Prevention")
    expect(label.locator('[lang="cy"]')).to_have_text("Atal")
    # No Welsh for "Transport": shown once, in English.
    expect(page.locator(".chart__label", has_text="Transport").locator("[lang]")).to_have_count(1)
    # The two columns side by side, not one under the other.
    english, welsh = question.locator(".side-by-side__version").all()
    assert english.bounding_box()["x"] < welsh.bounding_box()["x"]
    assert english.bounding_box()["y"] == welsh.bounding_box()["y"]

    for size, (width, height) in PROJECTORS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == [], size
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, size

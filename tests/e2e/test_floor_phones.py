"""Questions from the floor on two phones: one attendee asks, the other sees the question
arrive without a reload (keeping what they were typing) and supports it, and the asker sees
the support counted without a reload; the big screen, showing no question, drops the pushes
silently. The phone page with questions on it passes axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from plenary import moderation
from plenary.models import QaSession, Question
from plenary.services import plenary_for
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

# Pushes go through the channel layer to another process; allow for a slow machine.
LIVE = 5000
QUESTION = "Who will hold the pooled budget, and who can we ask about it afterwards?"
HALF_TYPED = "How will residents"
# Counts the pushes that reach a page about the questions from the floor.
_COUNT_PUSHES = """() => {
  window.questionPushes = 0;
  document.addEventListener("htmx:wsBeforeMessage", event => {
    if (/data-refresh-questions|-support"/.test(event.detail.message)) window.questionPushes += 1;
  });
}"""


@pytest.fixture
def floor(transactional_db):
    summit = load_place_summit()[0]
    # Aisha takes part anonymously: Ben sees her sector, never her name.
    aisha = make_participant(summit, name="Aisha Rahman", sector="local_government", anonymous=True)
    ben = make_participant(summit, name="Ben Carter", sector="health")
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    session = moderation.add_session(
        plenary_for(summit), title="Questions for the panel", by=organiser
    )
    moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)
    return summit, aisha, ben, plenary_for(summit)


def _questions(page):
    return page.locator("#floor-questions")


def test_a_question_asked_on_one_phone_is_supported_on_another_live(
    floor, phone, context_for, browser_problems
):
    summit, aisha, ben, plenary = floor
    screen = context_for().new_page()
    screen.goto(reverse("plenary:screen", args=[plenary.screen_key]))
    expect(screen.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    screen.evaluate(_COUNT_PUSHES)
    room = reverse("plenary:room", args=[summit.slug])
    asker = phone(aisha, room)
    neighbour = phone(ben, room)
    for page in (asker, neighbour):
        page.evaluate("window.loadedOnce = true")
    # Ben is in the middle of a question of his own when Aisha's arrives.
    neighbour.get_by_label("Your question for the panel").fill(HALF_TYPED)
    questions_url = reverse("plenary:questions", args=[summit.slug])
    fetched = []
    neighbour.on("request", lambda request: fetched.append(request.url))

    asker.get_by_label("Your question for the panel").fill(QUESTION)
    asker.get_by_role("button", name="Ask the question").click()
    expect(_questions(asker).locator(".floor-mine")).to_contain_text(QUESTION)
    expect(_questions(asker).get_by_label("Your question for the panel")).to_have_value("")
    question = Question.objects.get()

    item = neighbour.locator(f"#question-{question.pk}")
    expect(item).to_contain_text(QUESTION, timeout=LIVE)
    expect(item).to_contain_text("Anonymous (Local government)")
    expect(_questions(neighbour)).not_to_contain_text("Aisha Rahman")
    expect(neighbour.get_by_label("Your question for the panel")).to_have_value(HALF_TYPED)
    # The question came to Ben's phone as its card: his phone did not fetch its questions.
    assert not [url for url in fetched if questions_url in url]

    support = item.get_by_role("button", name=re.compile("^Support"))
    expect(support).to_have_attribute("aria-pressed", "false")
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(neighbour.locator(f"#question-{question.pk}-support")).to_have_text("1 supporter")

    # The asker sees the count rise, and her question among her own with its status.
    expect(asker.locator(f"#question-{question.pk}-support")).to_have_text(
        "1 supporter", timeout=LIVE
    )
    expect(_questions(asker).locator(".floor-mine")).to_contain_text("Published")

    # The big screen heard the question and its support, and showed neither.
    screen.wait_for_function("() => window.questionPushes >= 2", timeout=LIVE)
    expect(screen.locator("#board")).not_to_contain_text(QUESTION)
    assert axe_violations(neighbour) == []
    assert axe_violations(asker) == []
    for page in (asker, neighbour):
        assert page.evaluate("window.loadedOnce") is True  # never reloaded
    browser_problems.check()

    # Taking the support back counts down on both phones.
    support.click()
    expect(support).to_have_attribute("aria-pressed", "false")
    expect(asker.locator(f"#question-{question.pk}-support")).to_have_text(
        "0 supporters", timeout=LIVE
    )

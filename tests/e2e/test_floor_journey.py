"""Questions from the floor from start to record: three attendees on phones ask and support
questions, one of them anonymously; a moderator named by the organiser merges a duplicate and
dismisses one with a reason; the chair queues two, moves one up by keyboard, puts it to the
panel (the big screen and every phone show it without a reload) and marks it answered with a
note; the record has all of it, and the anonymous asker's name is in no format."""

from __future__ import annotations

import json
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
from tests.test_record import bundle_of, docx_of, docx_text, json_of, markdown_of, workbook_of

pytestmark = pytest.mark.e2e

LIVE = 5000
BUDGET = "Who will hold the pooled budget once the summit is over?"
DUPLICATE = "Who holds the pooled budget afterwards?"
LUNCH = "Can lunch be earlier next time?"
RESIDENTS = "How will residents be heard between summits?"
REASON = "A question for the organisers, not the panel"
NOTE = "The council will write to everyone with the answer"


@pytest.fixture
def floor(transactional_db):
    summit = load_place_summit()[0]
    aisha = make_participant(summit, name="Aisha Rahman", sector="local_government", anonymous=True)
    ben = make_participant(summit, name="Ben Carter", sector="health")
    chloe = make_participant(summit, name="Chloe Evans", sector="resident")
    mo = make_participant(summit, name="Mo Moderator", sector="faith")
    Participant.objects.filter(pk=mo.pk).update(moderates_questions=True)
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    session = moderation.add_session(plenary_for(summit), title="Ask the panel", by=organiser)
    moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)
    return summit, (aisha, ben, chloe), mo, farah, organiser


def _ask(page, text: str) -> None:
    page.get_by_label("Your question for the panel").fill(text)
    page.get_by_role("button", name="Ask the question").click()
    # The notice that it was sent goes when the questions are drawn again; the list of the
    # person's own questions keeps it.
    expect(page.locator(".floor-mine")).to_contain_text(text)


def _support(page, question: Question) -> None:
    button = page.locator(f"#question-{question.pk}").get_by_role(
        "button", name=re.compile("^Support")
    )
    expect(button).to_be_visible(timeout=LIVE)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def _card(page, question: Question):
    return page.locator(f"#lanes #question-{question.pk}")


def _move(page, question: Question, name: str) -> None:
    _card(page, question).get_by_role("button", name=re.compile(f"^{name}")).click()


def test_questions_go_from_phones_through_the_lanes_to_the_record(
    floor, phone, page_for, context_for, browser_problems
):
    summit, people, mo, farah, organiser = floor
    room = reverse("plenary:room", args=[summit.slug])
    phones = [phone(person, room) for person in people]
    for page in phones:
        page.evaluate("window.loadedOnce = true")
    aisha, ben, chloe = phones
    screen = context_for().new_page()
    screen.goto(reverse("plenary:screen", args=[plenary_for(summit).screen_key]))
    expect(screen.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    _ask(aisha, BUDGET)
    _ask(ben, DUPLICATE)
    _ask(chloe, LUNCH)
    _ask(chloe, RESIDENTS)
    asked = {q.text: q for q in Question.objects.all()}
    _support(ben, asked[BUDGET])
    _support(chloe, asked[BUDGET])
    _support(aisha, asked[RESIDENTS])
    expect(chloe.locator("#floor-questions")).not_to_contain_text("Aisha Rahman")

    # The moderator merges the duplicate and dismisses the question for the organisers.
    moderator = page_for(mo, reverse("plenary:moderate", args=[summit.slug]))
    expect(moderator.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    merging = moderator.locator("#lanes section", has_text="Merge a duplicate")
    merging.get_by_label("The duplicate").select_option(label=DUPLICATE)
    merging.get_by_label("Merge it into").select_option(label=BUDGET)
    merging.get_by_role("button", name="Merge", exact=True).click()
    expect(_card(moderator, asked[DUPLICATE])).to_contain_text("Merged into")
    lunch = _card(moderator, asked[LUNCH])
    lunch.locator("summary", has_text="Dismiss").click()
    lunch.get_by_label("Why is it dismissed?").fill(REASON)
    lunch.get_by_role("button", name="Dismiss", exact=True).click()
    expect(_card(moderator, asked[LUNCH])).to_contain_text(f"Dismissed: {REASON}")
    # Ben asked the duplicate and supports the question kept: he counts once, beside Chloe.
    expect(_card(moderator, asked[BUDGET])).to_contain_text("2 supporters")
    assert axe_violations(moderator) == []

    # The chair queues two, moves the second up by keyboard, and puts it to the panel.
    chair = page_for(farah, reverse("plenary:moderate", args=[summit.slug]))
    _move(chair, asked[BUDGET], "Queue")
    expect(_card(chair, asked[BUDGET])).to_contain_text("Queued")
    _move(chair, asked[RESIDENTS], "Queue")
    up = _card(chair, asked[RESIDENTS]).get_by_role("button", name=re.compile("^Move up"))
    up.focus()
    chair.keyboard.press("Enter")
    queue = chair.locator("#lanes section", has_text="The chair’s queue").locator(".question-card")
    expect(queue.first).to_contain_text(RESIDENTS)
    expect(chair.locator(f"#question-{asked[RESIDENTS].pk}-up")).to_be_focused()
    # The moderator's page follows the chair's without a reload.
    expect(moderator.locator("#lanes section", has_text="The chair’s queue")).to_contain_text(
        RESIDENTS, timeout=LIVE
    )
    _move(chair, asked[RESIDENTS], "Answer now")

    expect(screen.locator("#board")).to_contain_text(RESIDENTS, timeout=LIVE)
    for page in phones:
        expect(page.locator(".on-screen")).to_contain_text(RESIDENTS, timeout=LIVE)
        expect(page.locator(".on-screen")).to_contain_text("Now answering")
    assert axe_violations(chair) == []
    assert axe_violations(screen) == []

    answering = _card(chair, asked[RESIDENTS])
    answering.locator("summary", has_text="Mark answered").click()
    answering.get_by_label("Answer note for the record (optional)").fill(NOTE)
    answering.get_by_role("button", name="Mark answered", exact=True).click()
    expect(_card(chair, asked[RESIDENTS])).to_contain_text(f"Answer note: {NOTE}")
    expect(screen.locator("#board")).not_to_contain_text(RESIDENTS, timeout=LIVE)
    expect(chloe.locator(".floor-mine")).to_contain_text("Answered", timeout=LIVE)
    for page in phones:
        assert page.evaluate("window.loadedOnce") is True
    browser_problems.check()

    _record_has_it_all(summit, organiser)


def _record_has_it_all(summit, organiser) -> None:
    page_text = markdown_of(organiser)
    for text in (BUDGET, DUPLICATE, LUNCH, RESIDENTS, REASON, NOTE):
        assert text in page_text, text
    document = docx_text(docx_of(organiser))
    sheets = workbook_of(organiser)
    bundle = bundle_of(organiser)
    as_json = json.dumps(json_of(organiser), ensure_ascii=False)
    assert NOTE in document
    assert REASON in as_json
    everything = "\n".join(
        [page_text, document, as_json, json.dumps(sheets, default=str), json.dumps(bundle)]
    )
    assert "Anonymous (Local government)" in everything
    assert "Aisha Rahman" not in everything

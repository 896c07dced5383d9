"""The app in Welsh: an attendee switches to Cymraeg on the home page, joins, reads the
pre-reading, posts an idea and answers a poll, every label in Welsh, while the facilitator's
console in English shows the idea live; the organiser downloads the record in Welsh."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Breakout, Idea
from breakouts.services import ensure_breakouts
from plenary import services
from plenary.models import Response
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LIVE = 5000
IDEA = "Cyllidebau ar y cyd ar gyfer y lle cyfan"
QUESTION_CY = "Pa un sydd bwysicaf i'ch ardal chi?"


def welsh(msgid: str, context: str | None = None) -> str:
    """The Welsh the catalogue has for ``msgid``, which is not the English."""
    with translation.override("cy"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text != msgid, f"no Welsh for {msgid!r}"
    return text


@pytest.fixture
def summit_open(transactional_db):
    summit = load_place_summit()[0]
    ensure_breakouts(summit)
    # The Place Summit ships its content in Welsh too; the test names what it reads.
    summit.title_cy = summit.title_cy or "Yr Uwchgynhadledd Lle"
    summit.save()
    section = summit.materials.filter(kind="section").first()
    section.title_cy = section.title_cy or "Y cwestiwn canolog"
    section.body_cy = section.body_cy or "Sut y gall llywodraethu seiliedig ar le weithio?"
    section.save()
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")
    facilitator = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    plenary = services.plenary_for(summit)
    poll = services.create_poll(
        plenary, kind="choice", question="Which matters most to your area?", options=["A", "B"]
    )
    poll.question_cy = QUESTION_CY
    poll.save()
    for option, text in zip(poll.options.all(), ["Iechyd", "Tai"], strict=True):
        option.text_cy = text
        option.save()
    services.open_poll(poll)
    return summit, organiser, facilitator, section, poll


def test_an_attendee_takes_part_in_welsh_beside_an_english_console(
    summit_open, context_for, page_for
):
    summit, organiser, facilitator, section, poll = summit_open
    phone = context_for(**PHONE).new_page()

    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "en-gb")
    phone.get_by_role("button", name="Cymraeg").click()
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    assert axe_violations(phone) == []
    phone.get_by_label(welsh("Join code")).fill(summit.join_code)
    phone.get_by_role("button", name=welsh("Continue")).click()

    phone.get_by_label(welsh("Name"), exact=True).fill("Gwen Morgan")
    phone.get_by_label(welsh("Organisation"), exact=True).fill("Cyngor Gwynedd")
    phone.locator("input[name=sector][value=local_government]").check()
    phone.get_by_label(welsh("Name me with my organisation")).check()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name=welsh("Join the summit")).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(summit.title_cy)
    assert axe_violations(phone) == []
    joined = Participant.objects.get(display_name="Gwen Morgan")
    assert joined.language == "cy"

    # The pre-reading, in Welsh.
    phone.locator(f'a[href="{reverse("pre_reading", args=[summit.slug])}"]').first.click()
    expect(phone.locator("main")).to_contain_text(section.body_cy)
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    assert axe_violations(phone) == []

    # An idea, posted in Welsh, reaches the English console live.
    breakout = Breakout.objects.get(members=joined)
    breakout.facilitators.add(facilitator)
    console = page_for(facilitator, reverse("breakouts:console", args=[breakout.pk]))
    expect(console.locator("html")).to_have_attribute("lang", "en-gb")
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    phone.goto(reverse("breakouts:breakout", args=[breakout.pk]))
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    phone.get_by_label(welsh("Your idea")).fill(IDEA)
    phone.get_by_role("button", name=welsh("Post idea")).click()
    expect(phone.locator("#idea-list")).to_contain_text(IDEA)
    assert axe_violations(phone) == []
    idea = Idea.objects.get(text=IDEA)
    card = console.locator(f"#idea-{idea.pk}")
    expect(card).to_contain_text(IDEA, timeout=LIVE)
    # The card the console was pushed is in English, though a Welsh page posted it.
    expect(card).to_contain_text("Gwen Morgan")
    expect(card).to_contain_text("Steer idea #")
    expect(card).not_to_contain_text(welsh("Merge"))

    # A poll, answered in Welsh.
    phone.goto(reverse("plenary:room", args=[summit.slug]))
    board = phone.locator(f"#board #poll-{poll.pk}")
    expect(board).to_contain_text(QUESTION_CY)
    board.get_by_label("Tai").check()
    board.get_by_role("button", name=welsh("Send my answer")).click()
    expect(board).to_contain_text(
        welsh("Your answer is saved. You can change it until the poll closes.")
    )
    assert axe_violations(phone) == []
    assert Response.objects.filter(poll=poll, participant=joined).count() == 1

    # The record, downloaded in Welsh by an organiser reading English.
    record = page_for(organiser, reverse("record", args=[summit.slug]))
    markdown = reverse("record_markdown", args=[summit.slug])
    with record.expect_download() as download:
        record.locator(f'a[href="{markdown}?language=cy"]').click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    with translation.override("cy"):
        heading = translation.gettext("The record of %(title)s") % {"title": ""}
    assert heading.strip() in text
    assert IDEA in text

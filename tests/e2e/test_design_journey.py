"""A new organiser designs a summit in the browser from their own stimulus document, and it
works on the day: nothing is edited by hand and nothing is loaded from a file of ours.

The organiser uploads the fictional Coastal Towns Roundtable's stimulus document as Word,
confirms what was found, adds a sector, sets the agenda and two breakouts per subtheme,
prepares two polls and opens the summit; then an attendee joins from the new sector, posts in
their breakout and answers a prepared poll the organiser opens from the console.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant, User
from breakouts.models import Breakout, Idea
from plenary.models import Answer, Poll
from summit.event.models import AgendaItem, Summit

pytestmark = pytest.mark.e2e

DOCUMENT = Path(__file__).resolve().parents[1] / "fixtures" / "coastal_towns_stimulus.docx"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEW_SECTOR = "Fishing and the sea"
POLL_QUESTION = "Which harbour should host the next roundtable?"


@pytest.fixture
def organiser_user(transactional_db):
    return User.objects.create_user(
        username="nia", email="nia@example.org", password="a long passphrase", is_staff=True
    )


def _upload_and_confirm(page) -> Summit:
    page.goto(reverse("new_summit"))
    page.get_by_role("link", name=re.compile("stimulus document")).click()
    page.get_by_label(re.compile("document", re.I)).first.set_input_files(str(DOCUMENT))
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check what was found in your document"
    )
    # What the document holds is offered to confirm, under the words the document used.
    expect(page.get_by_label("Subthemes", exact=True)).to_have_value(
        re.compile("Young people: What would make young people choose to stay or return\\?")
    )
    expect(page.get_by_label("Working assumptions", exact=True)).to_have_value(
        re.compile("Residents know their towns better than any national programme does.")
    )
    page.get_by_role("button", name="Set up the summit").click()
    summit = Summit.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(summit.title)
    return summit


def _add_sector(page, summit: Summit) -> None:
    page.goto(reverse("design_part", args=[summit.slug, "sectors"]))
    page.get_by_label("Name", exact=True).fill(NEW_SECTOR)
    page.get_by_role("button", name="Add a sector").click()
    expect(page.locator("main")).to_contain_text(NEW_SECTOR)


def _add_agenda_item(page, summit: Summit, kind: str, title: str, times: tuple[str, str]):
    page.goto(reverse("design_part", args=[summit.slug, "agenda"]))
    page.locator(f"input[name=kind][value={kind}]").check()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Starts at").fill(times[0])
    page.get_by_label("Ends at").fill(times[1])
    page.get_by_role("button", name="Add an agenda item").click()
    expect(page.locator("main")).to_contain_text(title)


def _two_groups_per_subtheme(page, summit: Summit) -> None:
    page.goto(reverse("breakouts_setup", args=[summit.slug]))
    for subtheme in summit.subthemes.all():
        section = page.locator(f"#subtheme-{subtheme.pk}")
        section.get_by_label("Groups on this subtheme").fill("2")
        section.get_by_role("button", name="Save the number of groups").click()
        expect(page.locator(".messages")).to_contain_text(f"Added 1 group on {subtheme.title}")


def _prepare_polls(page, summit: Summit) -> None:
    page.goto(reverse("run_sheet", args=[summit.slug]))
    page.get_by_label("Multiple choice", exact=True).check()
    page.get_by_label("Question", exact=True).fill(POLL_QUESTION)
    page.get_by_label("Answers, items or statements, one per line").fill("Whitby\nTenby\nOban")
    page.get_by_role("button", name="Add the poll").click()
    expect(page.locator("main")).to_contain_text(POLL_QUESTION)
    page.get_by_label("Word cloud", exact=True).check()
    page.get_by_label("Question", exact=True).fill("One word for the coast in ten years’ time")
    page.get_by_role("button", name="Add the poll").click()
    expect(page.locator("main")).to_contain_text("One word for the coast")


def _attendee_joins_and_posts(context_for, summit: Summit):
    phone = context_for(**PHONE).new_page()
    phone.goto(reverse("join_summit", args=[summit.join_code]))
    phone.get_by_label("Name", exact=True).fill("Morwenna Trevithick")
    phone.get_by_label(NEW_SECTOR).check()
    phone.get_by_label("Name me with my organisation").check()
    phone.get_by_role("button", name="Join the summit").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(summit.title)
    breakout_link = phone.locator("#breakouts-heading + ul a").first
    breakout_name = breakout_link.inner_text()
    breakout_link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(breakout_name)
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    phone.get_by_label("Your idea").fill("A harbour board with residents on it")
    phone.get_by_role("button", name="Post idea").click()
    expect(phone.locator("#idea-list")).to_contain_text("A harbour board with residents on it")
    return phone


def test_a_new_organiser_designs_a_summit_from_their_document_and_it_runs(
    organiser_user, context_for, browser_problems
):
    organiser = context_for(SimpleNamespace(user=organiser_user)).new_page()
    summit = _upload_and_confirm(organiser)
    assert summit.status == Summit.Status.DRAFT
    # As the document lists them: 4 themes, 3 givens, 5 barriers, 8 questions.
    assert summit.subthemes.count() == 4
    assert summit.assumptions.count() == 3
    assert summit.obstacles.count() == 5
    assert summit.prompts.count() == 8

    _add_sector(organiser, summit)
    _add_agenda_item(organiser, summit, "plenary", "Welcome and the question", ("09:30", "10:00"))
    _add_agenda_item(organiser, summit, "breakout", "Groups on the themes", ("10:00", "11:15"))
    _two_groups_per_subtheme(organiser, summit)
    _prepare_polls(organiser, summit)

    organiser.goto(reverse("summit_settings", args=[summit.slug]))
    organiser.get_by_role("button", name="Open for joining").click()
    expect(organiser.locator(".messages")).to_be_visible()
    summit.refresh_from_db()
    assert summit.status == Summit.Status.OPEN
    assert list(summit.agenda.values_list("kind", flat=True)) == [
        AgendaItem.Kind.PLENARY,
        AgendaItem.Kind.BREAKOUT,
    ]
    for subtheme in summit.subthemes.all():
        assert Breakout.objects.filter(subtheme=subtheme).count() == 2

    phone = _attendee_joins_and_posts(context_for, summit)
    attendee = Participant.objects.get(display_name="Morwenna Trevithick")
    assert attendee.sector == summit.sectors.get(name=NEW_SECTOR).key
    assert Idea.objects.get(text="A harbour board with residents on it").author == attendee

    poll = Poll.objects.get(plenary__summit=summit, question=POLL_QUESTION)
    organiser.goto(reverse("plenary:console", args=[summit.slug]))
    console_poll = organiser.locator(f"#board #poll-{poll.pk}")
    console_poll.get_by_role("button", name=re.compile("^Open")).click()
    expect(console_poll.get_by_role("button", name=re.compile("^Close"))).to_be_visible()

    phone.goto(reverse("plenary:room", args=[summit.slug]))
    answer = phone.locator(f"#board #poll-{poll.pk}")
    answer.get_by_label("Tenby").check()
    answer.get_by_role("button", name="Send my answer").click()
    # The answer is taken once the room redraws with it (the note saying so may be redrawn away).
    expect(answer).to_contain_text("1 response", timeout=10_000)
    chosen = Answer.objects.get(response__participant=attendee, response__poll=poll)
    assert chosen.option.text == "Tenby"

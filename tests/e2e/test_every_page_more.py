"""The rest of the pages a person can reach, checked as in test_every_page: the ways in (an
invitation, a return link, a password reset, and what each shows when the link does not work,
or when joining is closed), the pages a person is taken to when they act (the confirmations
before removing a person or erasing one's details, the notices after changing a role, sharing
the groups out, adding a group or its facilitator or making a new join code, a name refused for
a group, a return link just made), and the run sheet as an organiser changes it and a
facilitator reads it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from accounts import services
from accounts.models import Invite, Participant, User
from breakouts.models import Breakout
from plenary.models import Poll
from plenary.polls import make_poll
from summit.event.models import Summit
from tests.e2e.summit_day import (  # noqa: F401
    day,
    findings_on,
    findings_once_settled,
    live_day,
    people_of,
)

pytestmark = pytest.mark.e2e

STIMULUS = Path(__file__).resolve().parents[1] / "fixtures" / "coastal_towns_stimulus.docx"
NEWCOMER_EMAIL = "nia.okafor@example.org"
KNOWN_EMAIL = "obi.other@example.org"


def _invite(live, email: str, role: str = Participant.Role.FACILITATOR) -> tuple[Invite, str]:
    """An invitation made as the organisers' page makes it, and its token, for the link."""
    today = live.day
    return services.invite(
        summit=today.summit,
        by=today.organiser,
        email=email,
        role=role,
        accept_url_for=lambda token: reverse("accept_invite", args=[token]),
    )


def ways_in(live) -> list[tuple[str, str, str, int]]:
    """The pages on the way in, as (person, name, path, status): an invitation to someone new,
    to someone with an account and to someone signed in; a return link; a password reset."""
    today = live.day
    User.objects.filter(pk=today.other_facilitator.user.pk).update(email=KNOWN_EMAIL)
    invitation = reverse("accept_invite", args=[_invite(live, NEWCOMER_EMAIL)[1]])
    known = _invite(live, KNOWN_EMAIL, Participant.Role.ORGANISER)[1]
    replaced = services.make_return_link_key(today.attendee)
    key = services.make_return_link_key(today.attendee)
    user = today.facilitator.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return [
        ("visitor", "invitation, new account", invitation, 200),
        ("visitor", "invitation, known account", reverse("accept_invite", args=[known]), 200),
        ("facilitator", "invitation, signed in", invitation, 200),
        ("visitor", "invitation, not working", reverse("accept_invite", args=["used"]), 404),
        ("visitor", "return link", reverse("return_link", args=[key]), 200),
        ("visitor", "return link, replaced", reverse("return_link", args=[replaced]), 404),
        ("visitor", "password reset, sent", reverse("password_reset_done"), 200),
        (
            "visitor",
            "password reset, new password",
            reverse("password_reset_confirm", args=[uid, token]),
            200,
        ),
        (
            "visitor",
            "password reset, link not working",
            reverse("password_reset_confirm", args=[uid, "no-such-token"]),
            200,
        ),
        ("visitor", "password reset, done", reverse("password_reset_complete"), 200),
        ("visitor", "join, wrong code", reverse("join_summit", args=["NOSUCHCODE"]), 404),
    ]


def test_ways_in_are_clean_at_every_size(live_day, context_for, browser_problems):  # noqa: F811
    people = people_of(live_day)
    pages = {name: context_for(people[name]).new_page() for name in ("visitor", "facilitator")}
    found = []

    for name, label, path, status in ways_in(live_day):
        found += findings_on(pages[name], label, path, status, browser_problems)
    expect(pages["visitor"].locator("main")).to_contain_text("There is no summit with that code")

    summit = live_day.day.summit
    closed = timezone.now() - datetime.timedelta(minutes=1)
    Summit.objects.filter(pk=summit.pk).update(joining_closes_at=closed)
    refused = reverse("join_summit", args=[summit.join_code])
    found += findings_on(pages["visitor"], "joining closed", refused, 403, browser_problems)
    expect(pages["visitor"].locator("main")).to_contain_text("has expired")

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()


def _organiser_acts(live, context_for) -> list[str]:
    """The organiser changes a person's role, asks to remove them, lets attendees choose
    their group, shares everyone out again and makes a new join code; the invitations list
    one waiting and one withdrawn."""
    today = live.day
    slug = today.summit.slug
    _invite(live, NEWCOMER_EMAIL)
    services.withdraw_invite(_invite(live, KNOWN_EMAIL)[0], by=today.organiser)
    page = context_for(today.organiser).new_page()
    found = findings_on(page, "invites, one waiting", reverse("invites", args=[slug]))
    expect(page.locator("tbody tr")).to_have_count(2)

    page.goto(reverse("people", args=[slug]))
    row = page.locator(f"#person-{today.open_person.pk}")
    row.locator("select[name=role]").select_option(Participant.Role.FACILITATOR)
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Tomasz Open")
    found += findings_once_settled(page, "people, a role changed")

    page.locator(f"#person-{today.open_person.pk}").get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Tomasz Open")
    found += findings_once_settled(page, "remove a person, asked")

    page.goto(reverse("breakouts_setup", args=[slug]))
    page.get_by_label("Let attendees choose their own group").check()
    page.locator("form.panel").get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Attendees can now choose")
    found += findings_once_settled(page, "breakouts set-up, attendees choose")
    page.get_by_role("button", name="Share everyone out again").click()
    expect(page.locator(".messages")).to_be_visible()
    found += findings_once_settled(page, "breakouts set-up, shared out again")

    page.goto(reverse("joining", args=[slug]))
    page.get_by_role("button", name="Make a new join code").click()
    expect(page.locator(".messages")).to_contain_text("The new join code is")
    found += findings_once_settled(page, "joining, a new code")
    return found


def _organiser_sets_up_groups(live, context_for, problems) -> list[str]:
    """The organiser puts a second group on a subtheme, asks for a name the summit has
    already (refused: the problem at the top and by the field) and gives the group a
    facilitator."""
    today = live.day
    slug = today.summit.slug
    page = context_for(today.organiser).new_page()
    page.goto(reverse("breakouts_setup", args=[slug]))
    section = page.locator(f"#subtheme-{today.breakout.subtheme_id}")
    section.get_by_label("Groups on this subtheme").fill("2")
    section.get_by_role("button", name="Save the number of groups").click()
    expect(page.locator(".messages")).to_contain_text("Added 1 group on")
    found = findings_once_settled(page, "breakouts set-up, a group added")

    made = Breakout.objects.filter(subtheme_id=today.breakout.subtheme_id).latest("pk")
    row = page.locator(f"#group-{made.pk}")
    row.locator("summary").click()
    row.get_by_label("New name").fill(today.other.name)
    problems.expect_status(422, reverse("rename_breakout", args=[slug, made.pk]))
    row.get_by_role("button", name="Rename").click()
    expect(page.locator(".error-summary")).to_contain_text("There is already a breakout called")
    found += findings_once_settled(page, "breakouts set-up, a name refused")

    row = page.locator(f"#group-{made.pk}")
    row.get_by_label("Add a facilitator").select_option(index=1)
    row.get_by_role("button", name="Add the facilitator").click()
    expect(page.locator(".messages")).to_contain_text("now facilitates")
    return found + findings_once_settled(page, "breakouts set-up, a facilitator added")


def _organiser_starts_from_a_document(live, context_for) -> list[str]:
    """The organiser uploads their stimulus document and sees what was found in it."""
    page = context_for(live.day.organiser).new_page()
    found = findings_on(page, "new summit from a document", reverse("new_summit_from_stimulus"))
    page.get_by_label("Your stimulus document").set_input_files(STIMULUS)
    page.get_by_role("button", name="Read the document").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Check what was found in your document")
    return found + findings_once_settled(page, "new summit from a document, what was found")


def _attendee_acts(live, context_for) -> list[str]:
    """An attendee sees the groups they may move to, and asks to have their details erased."""
    today = live.day
    slug = today.summit.slug
    page = context_for(today.attendee).new_page()
    found = findings_on(page, "summit home, choosing a group", reverse("summit_home", args=[slug]))
    expect(page.get_by_role("heading", name="Choose another group")).to_be_visible()

    page.goto(reverse("my_data", args=[slug]))
    page.get_by_role("link", name="Erase my details").click()
    expect(page.get_by_role("button", name="Erase my details")).to_be_visible()
    return found + findings_once_settled(page, "erase my details, asked")


def _newcomer_makes_a_return_link(live, context_for) -> list[str]:
    """Someone who joined with the code, so has no password, makes a link for another device:
    in place on the summit's home page, and as a page of its own where scripts do not run."""
    user = live.newcomer.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    home = reverse("summit_home", args=[live.day.summit.slug])
    page = context_for(live.newcomer).new_page()
    page.goto(home)
    page.get_by_role("button", name="Make my return link").click()
    expect(page.locator("#return-link")).to_contain_text("/r/")
    found = findings_once_settled(page, "summit home, return link made")

    page.goto(home)
    form = page.locator("form", has=page.get_by_role("button", name="Make my return link"))
    with page.expect_navigation():
        form.evaluate("form => form.submit()")  # as a browser without scripts sends it
    expect(page.get_by_role("heading", level=1)).to_have_text("Your return link")
    return found + findings_once_settled(page, "return link made")


def test_pages_after_acting_are_clean_at_every_size(live_day, context_for, browser_problems):  # noqa: F811
    found = _organiser_acts(live_day, context_for)
    found += _organiser_sets_up_groups(live_day, context_for, browser_problems)
    found += _organiser_starts_from_a_document(live_day, context_for)
    found += _attendee_acts(live_day, context_for)
    found += _newcomer_makes_a_return_link(live_day, context_for)

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()


def test_summit_settings_are_clean_at_every_size(live_day, context_for, browser_problems):  # noqa: F811
    """The summit's settings as its organiser changes them (a refused number, a move to live)
    and as a facilitator reads them."""
    today = live_day.day
    url = reverse("summit_settings", args=[today.summit.slug])
    Summit.objects.filter(pk=today.summit.pk).update(status=Summit.Status.OPEN)
    page = context_for(today.organiser).new_page()
    found = findings_on(page, "settings", url)

    browser_problems.expect_status(422, url)
    page.get_by_label("Dots each person has in a new breakout").fill("99")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter a number of dots from 1 to 20")
    found += findings_once_settled(page, "settings, a refused number")

    page.get_by_role("button", name="Start the day (live)").click()
    expect(page.locator(".messages")).to_contain_text("is now Live")
    found += findings_once_settled(page, "settings, moved to live")

    reader = context_for(today.facilitator).new_page()
    found += findings_on(reader, "settings, facilitator", url)
    expect(reader.get_by_role("button", name="Save the settings")).to_have_count(0)


def test_run_sheet_is_clean_at_every_size_and_moves_by_keyboard(
    live_day,  # noqa: F811
    context_for,
    browser_problems,
):
    today = live_day.day
    slug = today.summit.slug
    url = reverse("run_sheet", args=[slug])
    plenary = live_day.plenary
    # Arranged without the services' pushes: this thread runs the browser's event loop.
    make_poll(plenary, Poll.Kind.CHOICE, "Which first?", ["A", "B"], position=90)
    last = make_poll(plenary, Poll.Kind.CONSENSUS, "Where do we stand?", [], position=91)
    page = context_for(today.organiser).new_page()
    found = findings_on(page, "run sheet", url)

    page.locator(f"#move-up-{last.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_contain_text("to place")
    expect(page.locator(f"#move-up-{last.pk}")).to_be_focused()
    items = page.locator(".run-sheet > li")
    expect(items.nth(items.count() - 2)).to_have_id(f"poll-{last.pk}")
    found += findings_once_settled(page, "run sheet, a poll moved")

    browser_problems.expect_status(422, url)
    page.get_by_role("radio", name="Multiple choice", exact=True).check()
    page.get_by_role("button", name="Add the poll").click()
    expect(page.locator(".error-summary")).to_be_focused()
    found += findings_once_settled(page, "run sheet, a poll refused")

    page.goto(reverse("run_sheet_poll", args=[slug, last.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a prepared poll")
    found += findings_once_settled(page, "run sheet, changing a poll")

    reader = context_for(today.facilitator).new_page()
    found += findings_on(reader, "run sheet, facilitator", url)
    expect(reader.get_by_role("button", name="Add the poll")).to_have_count(0)

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()


def test_before_the_day_pages_are_clean_at_every_size(
    live_day,  # noqa: F811
    context_for,
    browser_problems,
):
    """Before the day: the join link refused until the opening time, the first thoughts page
    as it first shows, refusing an empty thought and with a thought saved, and the summit's
    home page with the preferred subtheme."""
    today = live_day.day
    summit = today.summit
    Summit.objects.filter(pk=summit.pk).update(
        status=Summit.Status.OPEN,
        joining_opens_at=timezone.now() + datetime.timedelta(days=2),
    )
    visitor = context_for(None).new_page()
    refused = reverse("join_summit", args=[summit.join_code])
    found = findings_on(visitor, "joining not open yet", refused, 403, browser_problems)
    expect(visitor.locator("main")).to_contain_text("opens for joining on")

    page = context_for(today.attendee).new_page()
    path = reverse("first_thoughts", args=[summit.slug])
    found += findings_on(page, "first thoughts", path)
    page.get_by_role("radio").first.check()
    browser_problems.expect_status(422, path)
    page.get_by_role("button", name="Save my first thought").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your first thought")
    found += findings_once_settled(page, "first thoughts, refused")
    page.get_by_label("Your first thought").fill("Start from what the high street already has")
    page.get_by_role("button", name="Save my first thought").click()
    expect(page.locator(".messages")).to_contain_text("Your first thought is saved")
    found += findings_once_settled(page, "first thoughts, one saved")
    found += findings_on(
        page, "summit home, before the day", reverse("summit_home", args=[summit.slug])
    )

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()

"""A board drawn again keeps the panels a person opened or closed on it."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from breakouts.models import Breakout, Comment, Idea

pytestmark = pytest.mark.e2e

QUIET = "Share the estate between partners"
TALKED_ABOUT = "A single front door for residents"


def test_open_and_closed_comment_panels_stay_so_when_the_board_is_drawn_again(room, page_for):
    breakout, attendee, facilitator = room
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)
    quiet = Idea.objects.create(
        breakout=breakout, author=facilitator, text=QUIET, client_token=uuid.uuid4()
    )
    talked_about = Idea.objects.create(
        breakout=breakout, author=facilitator, text=TALKED_ABOUT, client_token=uuid.uuid4()
    )
    Comment.objects.create(
        idea=talked_about, author=facilitator, text="Start with housing", client_token=uuid.uuid4()
    )
    phone = page_for(attendee, reverse("breakouts:breakout", args=[breakout.pk]))
    expect(phone.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    quiet_panel = phone.locator(f"#idea-{quiet.pk} details.comments")
    talked_panel = phone.locator(f"#idea-{talked_about.pk} details.comments")
    expect(quiet_panel).not_to_have_attribute("open", "")  # no comments: closed at first
    expect(talked_panel).to_have_attribute("open", "")  # comments: open at first

    quiet_panel.locator("summary").click()
    talked_panel.locator("summary").click()
    phone.evaluate("document.getElementById('board').dataset.before = 'dot'")
    phone.get_by_role("button", name=f"Add a dot to: {QUIET}").click()

    expect(phone.locator("#board[data-before]")).to_have_count(0)  # drawn again
    expect(phone.locator(f"#idea-{quiet.pk} .vote__mine")).to_contain_text("Your dots: 1")
    expect(quiet_panel).to_have_attribute("open", "")
    expect(talked_panel).not_to_have_attribute("open", "")

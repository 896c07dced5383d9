"""Voice balance on the facilitator's console: a quiet member is listed, posts, and leaves the
list without the console reloading."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.services import ensure_breakouts
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

LIVE = 5000


@pytest.fixture
def group(transactional_db):
    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    quiet = make_participant(summit, name="Grace Quill", sector="faith")
    breakout.members.add(quiet)
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    breakout.facilitators.add(farah)
    return breakout, quiet, farah


def test_quiet_member_leaves_the_list_when_they_post(group, page_for):
    breakout, quiet, farah = group
    console = page_for(farah, reverse("breakouts:console", args=[breakout.pk]))
    member = page_for(quiet, reverse("breakouts:breakout", args=[breakout.pk]))
    for page in (console, member):
        expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    console.evaluate("window.loadedOnce = true")
    not_heard = console.locator("#voice-quiet")
    expect(not_heard).to_contain_text("Grace Quill")
    # Grace is her sector's only member in the group: it is not named on its own.
    expect(console.locator("#voice-balance")).to_contain_text(
        "Sectors present but unheard: Other sectors together "
        "(no sector of fewer than 5 people is shown alone)"
    )
    assert axe_violations(console) == []

    member.get_by_label("Your idea").fill("Ask the faith groups to host the listening events")
    member.get_by_role("button", name="Post idea").click()

    expect(not_heard).to_contain_text("Everyone has contributed.", timeout=LIVE)
    expect(console.locator("#voice-balance")).not_to_contain_text("Sectors present but unheard")
    expect(console.locator("#voice-balance")).to_contain_text("1 of 1")
    assert console.evaluate("window.loadedOnce") is True

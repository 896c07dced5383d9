"""A breakout from gather to closed: a facilitator steers, two attendees take part, and every
screen (the console, both attendees' pages, the big screen) follows each step without reload."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Cluster, Comment, Idea, Outcome, Rating, Vote
from breakouts.services import ensure_breakouts
from summit.event.agreement import Agreement
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

IDEA_A = "One front door for every family needing help"
IDEA_B = "Share housing and health data across partners"
COMMENT = "Start with the three estates with the longest waits"
PROPOSAL = "Build a shared data agreement between council and NHS by the spring"
WHO = "Council and integrated care board chief executives"
# Pushes go through the channel layer to another process; allow for a slow machine.
LIVE = 5000


@pytest.fixture
def group(transactional_db):
    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    aisha = make_participant(summit, name="Aisha Rahman", sector="local_government")
    ben = make_participant(
        summit, name="Ben Carter", sector="health", organisation="Testshire NHS Trust"
    )
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    breakout.members.add(aisha, ben)
    breakout.facilitators.add(farah)
    return breakout, aisha, ben, farah


@pytest.fixture
def open_screen(context_for):
    """The big screen in a context of its own, signed in as nobody, as on the projector."""

    def open_page(path: str):
        page = context_for().new_page()
        page.goto(path)
        return page

    return open_page


def _current_phase(page):
    return page.locator('#board [aria-current="step"]')


def _card(page, idea: Idea):
    return page.locator(f"#board #idea-{idea.pk}")


def _wall_count(page):
    """The count in the wall's heading, "Ideas from the group (N)"."""
    return page.locator("#board #wall-heading #wall-count")


def _move_group(console, phase: str, minutes: str = "") -> None:
    console.get_by_label("Phase", exact=True).select_option(label=phase)
    console.get_by_label("With a timer of (minutes, optional)").fill(minutes)
    console.get_by_role("button", name="Move the group").click()


def _post_idea(page, text: str) -> None:
    page.get_by_label("Your idea").fill(text)
    page.get_by_role("button", name="Post idea").click()
    expect(page.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()


def _add_dot(page, idea: Idea, now_mine: int) -> None:
    card = _card(page, idea)
    card.get_by_role("button", name=re.compile(r"^Add a dot")).click()
    expect(card.locator(".vote__mine")).to_have_text(f"Your dots: {now_mine}", timeout=LIVE)


def test_facilitator_takes_group_from_gather_to_closed_with_every_screen_live(
    group, page_for, open_screen, browser_problems
):
    breakout, aisha, ben, farah = group
    page_path = reverse("breakouts:breakout", args=[breakout.pk])
    console = page_for(farah, reverse("breakouts:console", args=[breakout.pk]))
    page_a = page_for(aisha, page_path)
    page_b = page_for(ben, page_path)
    page_b.set_viewport_size({"width": 390, "height": 844})
    screen = open_screen(reverse("breakouts:screen", args=[breakout.screen_key]))
    screens = {"console": console, "attendee A": page_a, "attendee B": page_b, "screen": screen}
    attendees_and_screen = [page_a, page_b, screen]
    for page in screens.values():
        expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
        page.evaluate("window.loadedOnce = true")

    # Gather: each attendee posts an idea; every screen shows both, and counts them.
    for name, page in screens.items():
        expect(_wall_count(page), f"count on the {name}").to_have_text("(0)")
    _post_idea(page_a, IDEA_A)
    for name, page in screens.items():
        expect(_wall_count(page), f"count on the {name}").to_have_text("(1)", timeout=LIVE)
    _post_idea(page_b, IDEA_B)
    idea_a = Idea.objects.get(text=IDEA_A, author=aisha)
    idea_b = Idea.objects.get(text=IDEA_B, author=ben)
    for name, page in screens.items():
        expect(_card(page, idea_a), f"A's idea on the {name}").to_contain_text(IDEA_A, timeout=LIVE)
        expect(_card(page, idea_b), f"B's idea on the {name}").to_contain_text(IDEA_B, timeout=LIVE)
        expect(page.locator("#board .idea"), f"ideas on the {name}").to_have_count(2)
        expect(_wall_count(page), f"count on the {name}").to_have_text("(2)", timeout=LIVE)
        expect(_current_phase(page), f"phase on the {name}").to_have_text("Gather ideas")
    expect(_card(screen, idea_b)).to_contain_text("Ben Carter")
    assert axe_violations(page_a) == []
    assert axe_violations(console) == []

    # Build, with a five-minute timer on every screen.
    _move_group(console, "Build on ideas", "5")
    for name, page in screens.items():
        expect(_current_phase(page), f"phase on the {name}").to_have_text(
            "Build on ideas", timeout=LIVE
        )
        expect(page.locator("#board").get_by_role("timer"), f"timer on the {name}").to_have_text(
            re.compile(r"^[45]:[0-5]\d$"), timeout=LIVE
        )
    expect(page_a.get_by_label("Your idea")).to_be_visible()

    # B builds on A's idea, on a phone: a comment over the limit is refused by its own box,
    # which keeps the text and takes the focus; once shortened it goes. A's page shows the
    # comment as it arrives.
    browser_problems.expect_status(422, reverse("breakouts:comment", args=[breakout.pk, idea_a.pk]))
    card_on_b = _card(page_b, idea_a)
    card_on_b.locator("summary", has_text="Comments").click()
    too_long = COMMENT + " " + "x" * (300 - len(COMMENT))
    card_on_b.get_by_label("Build on this idea").fill(too_long)
    card_on_b.get_by_role("button", name="Comment").click()
    error = card_on_b.locator(".comment-form .error-message")
    expect(error).to_have_text(
        f"Error: Your comment on “{IDEA_A}” must be 300 characters or fewer (it has 301)",
        timeout=LIVE,
    )
    expect(error).to_be_in_viewport()
    box = card_on_b.get_by_label("Build on this idea")
    expect(box).to_have_value(too_long)
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(re.compile("must be 300 characters or fewer"))
    expect(page_b.locator("#board-message")).to_be_empty()
    assert not Comment.objects.exists()
    box.fill(COMMENT)
    card_on_b.get_by_role("button", name="Comment").click()
    expect(_card(page_b, idea_a).locator(".comment")).to_contain_text(COMMENT, timeout=LIVE)
    comment_on_a = _card(page_a, idea_a).locator(".comment").filter(has_text=COMMENT)
    expect(comment_on_a).to_contain_text("Ben Carter", timeout=LIVE)
    comments_on_a = _card(page_a, idea_a).locator("summary", has_text="Comments")
    expect(comments_on_a).to_contain_text("Comments (1)")
    comments_on_a.click()
    expect(comment_on_a).to_be_visible()
    expect(_card(console, idea_a).locator(".comment")).to_contain_text(COMMENT)

    # The facilitator groups A's idea into a new cluster, from the idea's "Steer" tools.
    console.get_by_label("New cluster").fill("Joining up services")
    console.get_by_role("button", name="Add cluster").click()
    expect(console.locator(".cluster__name", has_text="Joining up services")).to_be_visible(
        timeout=LIVE
    )
    tools = _card(console, idea_a).locator("details.idea__tools")
    tools.locator("summary", has_text="Steer").click()
    tools.get_by_label("Cluster", exact=True).select_option(label="Joining up services")
    tools.get_by_role("button", name="Move", exact=True).click()
    cluster = Cluster.objects.get(breakout=breakout, name="Joining up services")
    for name, page in screens.items():
        section = page.locator(f'#board section[aria-labelledby="cluster-{cluster.pk}"]')
        expect(section.locator(".cluster__name")).to_contain_text("Joining up services")
        expect(section.locator(f"#idea-{idea_a.pk}"), f"cluster on the {name}").to_be_visible(
            timeout=LIVE
        )
        expect(section.locator(".idea"), f"cluster on the {name}").to_have_count(1)

    # Vote: dots go on; only the facilitator sees totals while the vote is open.
    _move_group(console, "Vote")
    for name, page in screens.items():
        expect(_current_phase(page), f"phase on the {name}").to_have_text("Vote", timeout=LIVE)
    expect(page_a.get_by_label("Your idea")).to_be_hidden()
    expect(page_a.locator("#dots-left")).to_contain_text("You have 5 of 5 dots left")
    _add_dot(page_a, idea_b, 1)
    _add_dot(page_a, idea_b, 2)
    expect(page_a.locator("#dots-left")).to_contain_text("You have 3 of 5 dots left")
    expect(page_a.locator("#dots-left")).to_contain_text("Totals are shown when the vote closes")
    _add_dot(page_b, idea_a, 1)
    _add_dot(page_b, idea_b, 1)
    expect(page_b.locator("#dots-left")).to_contain_text("You have 3 of 5 dots left")
    both = "3 dots from 2 people · cross-sector support 2.00, from 2 sectors"
    expect(console.locator(f"#idea-{idea_b.pk}-total")).to_contain_text(both, timeout=LIVE)
    # One supporter from each sector: counted in "from 2 sectors", neither named on its own.
    expect(console.locator(f"#idea-{idea_b.pk}-total .idea__sectors")).to_have_count(0)
    expect(console.locator(f"#idea-{idea_a.pk}-total")).to_contain_text(
        "1 dot from 1 person · cross-sector support 1.00, from 1 sector", timeout=LIVE
    )
    for page in attendees_and_screen:
        expect(page.locator("#board .idea__total")).to_have_count(0)
        expect(page.locator("#board")).not_to_contain_text("dots from")
    assert dict(Vote.objects.filter(voter=aisha).values_list("idea_id", "dots")) == {idea_b.pk: 2}
    assert axe_violations(page_a) == []
    assert axe_violations(console) == []

    # Agree: totals are out; the facilitator drafts an outcome and both attendees rate it.
    _move_group(console, "Agree outcomes")
    for name, page in screens.items():
        expect(_current_phase(page), f"phase on the {name}").to_have_text(
            "Agree outcomes", timeout=LIVE
        )
        expect(page.locator(f"#idea-{idea_b.pk}-total")).to_contain_text(both)
        expect(page.locator(f"#idea-{idea_a.pk}-total")).to_contain_text("1 dot from 1 person")
    draft = console.locator("form", has=console.get_by_text("Draft an outcome"))
    draft.get_by_label("What the group proposes").fill(PROPOSAL)
    draft.get_by_label("Who should act").fill(WHO)
    draft.get_by_label(re.compile(re.escape(IDEA_B))).check()
    draft.get_by_role("button", name="Add the outcome").click()
    for name, page in screens.items():
        article = page.locator("#board article.outcome").filter(has_text=PROPOSAL)
        expect(article, f"outcome on the {name}").to_be_visible(timeout=LIVE)
        expect(article).to_contain_text(WHO)
        expect(article).to_contain_text(IDEA_B)
    outcome = Outcome.objects.get(breakout=breakout, proposal=PROPOSAL)
    assert list(outcome.ideas.all()) == [idea_b]
    for page, level in ((page_a, "Fully support"), (page_b, "Stand aside")):
        rating = page.locator(f"#outcome-{outcome.pk}")
        rating.get_by_role("group", name="How far do you agree?").get_by_label(level).check()
        rating.get_by_role("button", name="Save my rating").click()
    ratings = console.locator(f"#outcome-{outcome.pk} .ratings")
    expect(ratings).to_contain_text("Fully support: 1", timeout=LIVE)
    expect(ratings).to_contain_text("Stand aside: 1", timeout=LIVE)
    assert dict(Rating.objects.filter(outcome=outcome).values_list("rater_id", "level")) == {
        aisha.pk: Agreement.FULL,
        ben.pk: Agreement.STAND_ASIDE,
    }

    # Closed: every screen says so, and the ratings are out.
    _move_group(console, "Closed")
    for name, page in screens.items():
        expect(_current_phase(page), f"phase on the {name}").to_have_text("Closed", timeout=LIVE)
        expect(page.locator(f"#outcome-{outcome.pk} .ratings")).to_contain_text("Fully support: 1")
    expect(page_a.get_by_text("The group is not taking new ideas in this phase.")).to_be_visible()
    expect(page_b.get_by_role("button", name="Save my rating")).to_have_count(0)

    for name, page in screens.items():
        assert page.evaluate("window.loadedOnce") is True, f"the {name} reloaded"

"""A phone that loses its network: what an attendee posts meanwhile waits on the phone, says
so by its form, and is sent exactly once when the network returns, even with the page closed
and opened again; a refusal is shown by the form with the text kept; a page that cannot load
shows the offline page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Breakout, Comment, Idea, Vote
from breakouts.services import ensure_breakouts, post_idea
from summit.organise.design_file import load_place_summit
from tests.conftest import make_participant
from tests.e2e.conftest import quiet, session_cookie_for, waiting_on_device

pytestmark = pytest.mark.e2e

IDEA = "A shared minibus for the three villages"
# Pushes go through the channel layer to another process; sending again waits for the
# network's return, the socket's reopening or the retry timer.
LIVE = 15000
WAITING = "Waiting to send"


@pytest.fixture
def group(transactional_db):
    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    aisha = make_participant(summit, name="Aisha Rahman", sector="local_government")
    ben = make_participant(summit, name="Ben Carter", sector="health")
    farah = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    breakout.members.add(aisha, ben)
    breakout.facilitators.add(farah)
    return breakout, aisha, ben, farah


def _console(page_for, breakout, farah):
    console = page_for(farah, reverse("breakouts:console", args=[breakout.pk]))
    expect(console.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    return console


def _post_idea_offline(page, text: str = IDEA) -> None:
    page.context.set_offline(True)
    page.get_by_label("Your idea").fill(text)
    page.get_by_role("button", name="Post idea").click()
    expect(page.locator("#idea-form [data-send-waiting]")).to_contain_text(WAITING)
    # Said to screen readers too, and not as the old "Not sent" error.
    expect(page.locator("#live-status")).to_contain_text(WAITING)
    expect(page.locator("#idea-form [data-send-error]")).to_be_hidden()
    expect(page.get_by_label("Your idea")).to_have_value(text)


def _closed_while_waiting(phone, participant, path: str):
    """The participant's phone posts an idea offline, its page is closed and the network comes
    back: the browser context, with the idea waiting in its storage."""
    page = phone(participant, path)
    context = page.context
    _post_idea_offline(page)
    page.close()
    context.set_offline(False)
    return context


def _posted(page) -> None:
    expect(page.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible(
        timeout=LIVE
    )


def test_idea_posted_offline_is_sent_once_when_the_network_returns(group, phone, page_for):
    breakout, aisha, _, farah = group
    console = _console(page_for, breakout, farah)
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]))

    _post_idea_offline(page)
    assert IDEA in waiting_on_device(page)
    assert not Idea.objects.filter(text=IDEA).exists()
    page.context.set_offline(False)

    _posted(page)
    expect(page.locator("[data-send-waiting]")).to_have_count(0)
    expect(page.get_by_label("Your idea")).to_have_value("")
    expect(console.locator("#board .idea").filter(has_text=IDEA)).to_have_count(1, timeout=LIVE)
    expect(page.locator("#board .idea").filter(has_text=IDEA)).to_have_count(1, timeout=LIVE)
    assert waiting_on_device(page) is None
    # Later retries (timer, socket) find nothing left to send.
    page.wait_for_timeout(3000)
    assert Idea.objects.filter(text=IDEA).count() == 1
    expect(console.locator("#board .idea").filter(has_text=IDEA)).to_have_count(1)


def test_comments_on_two_ideas_and_a_dot_wait_and_each_arrive_once(group, phone, page_for):
    breakout, aisha, ben, farah = group
    first, _ = post_idea(
        breakout=breakout, author=ben, text="Open libraries later", client_token=uuid.uuid4()
    )
    second, _ = post_idea(
        breakout=breakout, author=ben, text="Cheaper bus fares", client_token=uuid.uuid4()
    )
    console = _console(page_for, breakout, farah)
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]))

    # Both comment forms were drawn with one token; both comments must still arrive.
    page.context.set_offline(True)
    for idea, text in ((first, "Until nine on weekdays"), (second, "Half fares for under-25s")):
        card = page.locator(f"#board #idea-{idea.pk}")
        card.locator("summary").click()
        card.get_by_label("Build on this idea").fill(text)
        card.get_by_role("button", name="Comment", exact=True).click()
        expect(card.locator(".comment-form [data-send-waiting]")).to_contain_text(WAITING)
        expect(card.get_by_label("Build on this idea")).to_have_value(text)
    page.context.set_offline(False)

    for idea, text in ((first, "Until nine on weekdays"), (second, "Half fares for under-25s")):
        comments = console.locator(f"#comments-{idea.pk} .comment")
        expect(comments.filter(has_text=text)).to_have_count(1, timeout=LIVE)
    expect(page.locator("[data-send-waiting]")).to_have_count(0, timeout=LIVE)
    page.wait_for_timeout(3000)
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        "Half fares for under-25s",
        "Until nine on weekdays",
    ]

    # A dot, added offline, counts once.
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)
    page.reload()
    expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    quiet(page)
    card = page.locator(f"#board #idea-{first.pk}")
    page.context.set_offline(True)
    card.get_by_role("button", name=re.compile(r"^Add a dot")).click()
    expect(card.locator("[data-send-waiting]")).to_contain_text(WAITING)
    page.context.set_offline(False)
    expect(card.locator(".vote__mine")).to_have_text("Your dots: 1", timeout=LIVE)
    assert list(Vote.objects.filter(voter=aisha).values_list("idea_id", "dots")) == [(first.pk, 1)]


def test_idea_waiting_when_the_page_closed_is_sent_by_the_next_page(group, phone, page_for):
    breakout, aisha, _, farah = group
    console = _console(page_for, breakout, farah)
    path = reverse("breakouts:breakout", args=[breakout.pk])

    context = _closed_while_waiting(phone, aisha, path)
    assert not Idea.objects.filter(text=IDEA).exists()
    again = context.new_page()
    again.goto(path)

    _posted(again)
    expect(console.locator("#board .idea").filter(has_text=IDEA)).to_have_count(1, timeout=LIVE)
    again.wait_for_timeout(3000)
    assert Idea.objects.filter(text=IDEA, author=aisha).count() == 1
    assert waiting_on_device(again) is None


def test_idea_waiting_is_never_sent_as_someone_else_on_the_same_phone(group, phone, live_url):
    breakout, aisha, ben, _ = group
    path = reverse("breakouts:breakout", args=[breakout.pk])

    context = _closed_while_waiting(phone, aisha, path)
    assert not Idea.objects.filter(text=IDEA).exists()
    # Ben signs in on the same phone.
    context.clear_cookies()
    context.add_cookies([session_cookie_for(ben, live_url)])
    ben_page = context.new_page()
    ben_page.goto(path)
    expect(ben_page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")

    ben_page.wait_for_timeout(3000)
    assert list(Idea.objects.filter(text=IDEA).values_list("author__display_name", flat=True)) == []
    assert waiting_on_device(ben_page) is None
    expect(ben_page.get_by_label("Your idea")).to_have_value("")


def test_refusal_of_a_waiting_idea_is_shown_by_the_form_with_the_text_kept(group, phone):
    breakout, aisha, _, _ = group
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]))
    too_long = " ".join(["Buses"] * 100)

    _post_idea_offline(page, too_long)
    page.context.set_offline(False)

    error = page.locator("#idea-form .error-summary")
    expect(error).to_contain_text("Your idea must be 500 characters or fewer", timeout=LIVE)
    expect(page.get_by_label("Your idea")).to_have_value(too_long)
    expect(page.locator("[data-send-waiting]")).to_have_count(0)
    assert not Idea.objects.exists()
    assert waiting_on_device(page) is None


def test_retry_after_a_lost_answer_makes_no_second_idea(group, phone, page_for):
    breakout, aisha, _, farah = group
    console = _console(page_for, breakout, farah)
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]))
    lost = []

    def reach_server_then_lose_the_answer(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/ideas/post/", reach_server_then_lose_the_answer)
    page.get_by_label("Your idea").fill(IDEA)
    page.get_by_role("button", name="Post idea").click()

    expect(page.locator("#idea-form [data-send-waiting]")).to_contain_text(WAITING)
    assert lost == [200]
    assert Idea.objects.filter(text=IDEA).count() == 1
    _posted(page)
    expect(console.locator("#board .idea").filter(has_text=IDEA)).to_have_count(1, timeout=LIVE)
    page.wait_for_timeout(3000)
    assert Idea.objects.filter(text=IDEA).count() == 1


def test_page_that_cannot_load_offline_shows_the_offline_page(group, phone):
    breakout, aisha, _, _ = group
    page = phone(aisha, reverse("breakouts:breakout", args=[breakout.pk]), service_workers="allow")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.reload()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.locator("main")).to_contain_text(
        "What you typed is kept and will be sent when the connection returns."
    )
    # Another page, never visited, gets the same answer.
    page.goto(reverse("summit_home", args=[breakout.summit.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    # Drawn with the app's own stylesheet, from the worker's copy (.page is 48rem wide).
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "768px"

    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("You are offline")
    expect(page).to_have_url(
        re.compile(re.escape(reverse("summit_home", args=[breakout.summit.slug])))
    )
    assert refused == []


def test_form_that_cannot_wait_still_says_not_sent(group, phone):
    breakout, _, _, farah = group
    page = phone(farah, reverse("plenary:console", args=[breakout.summit.slug]))
    form = page.locator("#new-poll")

    page.context.set_offline(True)
    form.get_by_label("Question", exact=True).fill("Which day suits?")
    form.get_by_role("button", name="Make the poll").click()

    expect(form.locator("[data-send-error]")).to_contain_text("Not sent: there is no connection")
    expect(form.locator("[data-send-waiting]")).to_have_count(0)
    expect(form.get_by_label("Question", exact=True)).to_have_value("Which day suits?")
    assert waiting_on_device(page) is None

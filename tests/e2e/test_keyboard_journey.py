"""A person who uses only the keyboard joins a summit, posts an idea, spends a dot and answers
a poll. The skip link comes first and moves focus to the main content; every stop shows its
focus visibly (its outline or shadow differs from when it is not focused); Tab moves forward
through the page in its order and always gets out of it again."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Breakout, Idea, Vote
from breakouts.services import ensure_breakouts
from plenary.models import Poll
from plenary.polls import make_poll, open_poll
from plenary.services import plenary_for
from summit.organise.design_file import load_place_summit

pytestmark = pytest.mark.e2e

IDEA = "Let each place set its own measures of success"
QUESTION = "Which should the summit take on first?"
ANSWERS = ["Pooled budgets", "Shared data", "Citizens' panels"]
LIVE = 5000

# Where focus is now, how it looks, and whether it came after the last stop in the page; the
# last stop's look now it has lost focus, to compare with how it looked focused.
_STEP = """() => {
  const look = el => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor]
      .join(" | ");
  };
  const el = document.activeElement;
  const before = window.lastStop || null;
  window.lastStop = el;
  const s = getComputedStyle(el);
  const name = el.getAttribute("aria-label") || el.innerText || el.value || el.id || el.tagName;
  const after = before && before.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  return {
    name: name.trim().slice(0, 60),
    body: el === document.body,
    look: look(el),
    marked: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2)
      || s.boxShadow !== "none",
    beforeLook: before && before !== el ? look(before) : null,
    forward: !before || before === document.body || !!after,
  };
}"""


class Keyboard:
    """Tab, and what each Tab shows: every stop visibly focused, in the page's order."""

    def __init__(self, page) -> None:
        self.page = page
        self.last_look: str | None = None
        self.stops: list[str] = []

    def tab(self) -> dict:
        self.page.keyboard.press("Tab")
        step = self.page.evaluate(_STEP)
        if self.last_look is not None and step["beforeLook"] is not None:
            assert step["beforeLook"] != self.last_look, f"no visible focus on {self.stops[-1]}"
        self.last_look = None if step["body"] else step["look"]
        if not step["body"]:
            assert step["marked"], f"{step['name']}: no outline or shadow when focused"
            assert step["forward"], f"Tab went back up the page to {step['name']}"
        self.stops.append(step["name"])
        return step

    def to(self, locator, *, within: int = 40) -> int:
        """Tab until ``locator`` has focus; how many presses that took."""
        for presses in range(1, within + 1):
            self.tab()
            if locator.evaluate("el => el === document.activeElement"):
                return presses
        raise AssertionError(f"never reached {locator} in {within} presses: {self.stops}")

    def new_page(self) -> None:
        """A page loaded: the next Tab starts from its top."""
        self.last_look = None
        self.page.evaluate("window.lastStop = null")


@pytest.fixture
def summit_open(transactional_db):
    summit = load_place_summit()[0]
    ensure_breakouts(summit)
    plenary = plenary_for(summit)
    poll = make_poll(plenary, Poll.Kind.CHOICE, QUESTION, ANSWERS)
    open_poll(poll)
    return summit, poll


def _skip_link(page, keys: Keyboard) -> None:
    first = keys.tab()
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert first["marked"]
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    keys.new_page()


def _join(page, keys: Keyboard, summit) -> None:
    keys.to(page.get_by_label("Join code"))
    page.keyboard.type(summit.join_code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {summit.title}")
    keys.new_page()
    keys.to(page.get_by_label("Name", exact=True))
    page.keyboard.type("Kai Morgan")
    assert keys.to(page.get_by_label("Organisation", exact=True)) == 1
    page.keyboard.type("Calderdale Council")
    # A group of radios is one stop: arrows choose within it, Tab leaves it.
    assert keys.to(page.get_by_role("radio").first) == 1
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio").nth(1)).to_be_checked()
    keys.to(page.get_by_label("Name me with my organisation"), within=3)
    page.keyboard.press("Space")
    keys.to(page.get_by_role("button", name="Join the summit"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(summit.title)
    keys.new_page()


def _post_idea(page, keys: Keyboard) -> Breakout:
    keys.to(page.locator("#breakouts-heading + ul a").first)
    page.keyboard.press("Enter")
    expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
    keys.new_page()
    box = page.get_by_label("Your idea")
    keys.to(box)
    page.keyboard.type(IDEA)
    keys.to(page.get_by_role("button", name="Post idea"), within=3)
    page.keyboard.press("Enter")
    expect(page.locator("#idea-list")).to_contain_text(IDEA)
    expect(page.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()
    expect(box).to_be_focused()
    return Idea.objects.get(text=IDEA).breakout


def _no_trap(page, keys: Keyboard) -> None:
    """Tab goes through the rest of the page, out of it, and back in at the skip link."""
    skip = page.get_by_role("link", name="Skip to main content")
    keys.to(skip, within=80)
    keys.new_page()


def _vote(page, keys: Keyboard) -> None:
    expect(page.locator("#dots-left")).to_contain_text("You have 5 of 5 dots left")
    add = page.get_by_role("button", name=f"Add a dot to: {IDEA}")
    keys.to(add)
    page.keyboard.press("Enter")
    expect(page.locator(".vote__mine")).to_have_text("Your dots: 1", timeout=LIVE)
    # The board is drawn afresh; the focus stays on the button just pressed.
    expect(add).to_be_focused()


def _answer_poll(page, keys: Keyboard, poll) -> None:
    keys.to(page.get_by_label(ANSWERS[0]))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label(ANSWERS[1])).to_be_checked()
    keys.to(page.get_by_role("button", name="Send my answer"), within=2)
    page.keyboard.press("Enter")
    expect(page.locator(f"#poll-{poll.pk}")).to_contain_text("Your answer is saved")


def test_keyboard_only_join_post_vote_and_answer(summit_open, context_for, browser_problems):
    summit, poll = summit_open
    page = context_for().new_page()
    keys = Keyboard(page)
    page.goto("/")

    _skip_link(page, keys)
    _join(page, keys, summit)
    breakout = _post_idea(page, keys)
    _no_trap(page, keys)

    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)
    page.reload()
    keys.new_page()
    _vote(page, keys)
    kai = Participant.objects.get(display_name="Kai Morgan")
    assert Vote.objects.get(voter=kai).dots == 1

    page.goto(reverse("plenary:room", args=[summit.slug]))
    keys.new_page()
    _answer_poll(page, keys, poll)
    assert poll.responses.get().participant == kai
    browser_problems.check()

"""A summit in full swing, for the browser tests that go through every page: the record's day
(ideas of every status, comments, dots, a cluster, outcomes rated, polls answered) with one
group still gathering ideas, a poll open on the big screen with its results revealed, and a
person of each kind to look at it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Participant
from breakouts.models import Breakout
from plenary.models import Plenary, Poll
from plenary.services import plenary_for
from tests.conftest import make_participant
from tests.e2e.conftest import axe_violations, quiet
from tests.test_record import Day, day  # noqa: F401  (the fixture summit's day, for the tests)

# The sizes people see Summit at: a phone in one hand, a facilitator's laptop, a projector.
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "projector": (1920, 1080)}
# Pushes go through the channel layer to another process; allow for a slow machine.
LIVE = 5000


@dataclass
class LiveDay:
    day: Day
    plenary: Plenary
    ranking: Poll
    assumptions: Poll
    texts: Poll
    other_member: Participant
    newcomer: Participant


@pytest.fixture
def live_day(day, other_member, transactional_db):  # noqa: F811
    """The record's day, part way through: the other group gathering ideas against a timer,
    with a second member; the ranking of obstacles open again, its results revealed and on
    the big screen; the assumptions' results revealed; the open-text poll's still hidden."""
    other = day.other
    newcomer = make_participant(day.summit, name="Chloe Evans", sector="resident")
    other.members.add(newcomer)
    Breakout.objects.filter(pk=other.pk).update(
        phase=Breakout.Phase.GATHER, timer_ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    plenary = plenary_for(day.summit)
    polls = plenary.polls
    ranking = polls.get(kind=Poll.Kind.RANKING)
    assumptions = polls.get(kind=Poll.Kind.SCALE)
    texts = polls.get(kind=Poll.Kind.TEXT)
    Poll.objects.filter(pk=ranking.pk).update(state=Poll.State.OPEN, results_shown=True)
    Poll.objects.filter(pk=assumptions.pk).update(results_shown=True)
    Plenary.objects.filter(pk=plenary.pk).update(showing=Plenary.Showing.POLL, shown_poll=ranking)
    return LiveDay(day, plenary, ranking, assumptions, texts, other_member, newcomer)


def settled(page) -> None:
    """Wait until a live page's socket is open and its catch-up fetch has been drawn."""
    status = page.locator("[data-connection-status]")
    if status.count():
        expect(status).to_have_attribute("data-state", "open", timeout=LIVE)
    quiet(page)


def findings_on(page, label: str, path: str, status: int = 200, problems=None) -> list[str]:
    """Open a page as its person would and wait for it to settle: what axe finds on it at
    each size. A page that answers with an error on purpose says so to ``problems``."""
    if status != 200:
        problems.expect_status(status, path)
    response = page.goto(path)
    assert response.status == status, f"{label}: {response.status}"
    return findings_once_settled(page, label)


def findings_once_settled(page, label: str) -> list[str]:
    """What axe finds at each size on the page a person has just been taken to."""
    settled(page)
    expect(page.locator(".demo-banner")).to_be_visible()
    return findings_at_every_size(page, label)


def findings_at_every_size(page, label: str) -> list[str]:
    """What axe finds on the page as it is now, at each size, named by page and size."""
    found = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        found += [f"{label}, {size}: {violation}" for violation in axe_violations(page)]
    return found


def people_of(live: LiveDay) -> dict[str, Participant | None]:
    """Everyone who looks at the summit, each in a browser of their own; None is a visitor
    who has not signed in, or a projector."""
    return {
        "visitor": None,
        "attendee": live.day.attendee,
        "facilitator": live.day.facilitator,
        "organiser": live.day.organiser,
        "other facilitator": live.day.other_facilitator,
        "other member": live.other_member,
        "newcomer": live.newcomer,
        "projector": None,
    }

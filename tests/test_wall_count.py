"""The wall's count of ideas, "Ideas from the group (N)": pushed with every idea that comes onto
the wall or leaves it, to each audience as its own wall counts (hidden ideas on the console
only), and the same number the board shows when a screen fetches it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from breakouts import services, steering
from breakouts.board import FACILITATORS, MEMBERS, SCREEN, breakout_group
from breakouts.models import Breakout, Idea
from tests.conftest import client_for, in_english

COUNT = re.compile(
    r'<span class="count" id="wall-count"( hx-swap-oob="outerHTML")?>\((\d+)\)</span>'
)


def _idea(breakout, author, text: str, **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


@pytest.fixture
def wall(breakout, attendee, facilitator):
    """Two ideas on the wall and one hidden from attendees."""
    _idea(breakout, attendee, "Pool the data")
    _idea(breakout, attendee, "Share the budgets")
    _idea(breakout, attendee, "Sack the chief executive", status=Idea.Status.HIDDEN)
    return breakout


@pytest.fixture
def sent(monkeypatch) -> dict[str, str]:
    """What each group of screens was pushed, joined, by group."""
    fragments: dict[str, str] = {}

    def push(pairs, **_) -> None:
        for group, html in in_english(pairs):
            fragments[group] = fragments.get(group, "") + html

    monkeypatch.setattr("breakouts.live.push", push)
    monkeypatch.setattr("breakouts.live.send", push)
    return fragments


def _pushed_counts(sent: dict[str, str], breakout: Breakout) -> dict[str, int]:
    counts = {}
    for audience in (MEMBERS, FACILITATORS, SCREEN):
        found = COUNT.findall(sent.get(breakout_group(breakout.pk, audience), ""))
        assert len(found) == 1, f"{audience}: {found}"
        oob, count = found[0]
        assert oob, f"{audience}: the count is not swapped out of band"
        counts[audience] = int(count)
    return counts


def _board_count(html: str) -> int:
    found = COUNT.findall(html)
    assert len(found) == 1, found
    assert not found[0][0], "the board's own count is not out of band"
    return int(found[0][1])


def _boards(breakout, attendee, facilitator) -> dict[str, int]:
    """The count on each audience's board, as a screen fetches it."""
    board = reverse("breakouts:board", args=[breakout.pk])
    screen = reverse("breakouts:screen_board", args=[breakout.screen_key])
    return {
        MEMBERS: _board_count(client_for(attendee).get(board).content.decode()),
        FACILITATORS: _board_count(
            client_for(facilitator).get(board, {"view": FACILITATORS}).content.decode()
        ),
        SCREEN: _board_count(Client().get(screen).content.decode()),
    }


def test_wall_count_new_idea_pushes_each_audience_the_count_its_wall_shows(
    wall, attendee, facilitator, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_idea(
            breakout=wall, author=attendee, text="Open the data", client_token=uuid.uuid4()
        )

    pushed = _pushed_counts(sent, wall)
    assert pushed == {MEMBERS: 3, FACILITATORS: 4, SCREEN: 3}
    assert pushed == _boards(wall, attendee, facilitator)


def test_wall_count_withdrawal_pushes_the_lower_count_with_the_cards_removal(
    wall, attendee, facilitator, sent, django_capture_on_commit_callbacks
):
    idea = Idea.objects.get(text="Pool the data")

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_idea(idea, attendee)

    pushed = _pushed_counts(sent, wall)
    assert pushed == {MEMBERS: 1, FACILITATORS: 2, SCREEN: 1}
    assert pushed == _boards(wall, attendee, facilitator)
    members = sent[breakout_group(wall.pk, MEMBERS)]
    assert f'<li id="idea-{idea.pk}" hx-swap-oob="delete"></li>' in members


def test_wall_count_an_edit_pushes_no_count(
    wall, attendee, sent, django_capture_on_commit_callbacks
):
    idea = Idea.objects.get(text="Pool the data")

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_idea(idea, attendee, "Pool the data across partners")

    for group, html in sent.items():
        assert "Pool the data across partners" in html, group
        assert 'id="wall-count"' not in html, group


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # Hidden from attendees and the big screen; still on the console, marked.
        ("hide", {MEMBERS: 1, FACILITATORS: 3, SCREEN: 1}),
        ("restore", {MEMBERS: 3, FACILITATORS: 3, SCREEN: 3}),
        ("merge", {MEMBERS: 1, FACILITATORS: 2, SCREEN: 1}),
    ],
)
def test_wall_count_a_reshaped_wall_refreshes_every_screen_to_its_own_count(
    wall, attendee, facilitator, sent, django_capture_on_commit_callbacks, change, expected
):
    first = Idea.objects.get(text="Pool the data")
    second = Idea.objects.get(text="Share the budgets")
    hidden = Idea.objects.get(status=Idea.Status.HIDDEN)
    Breakout.objects.filter(pk=wall.pk).update(phase=Breakout.Phase.CLUSTER)
    wall.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        if change == "hide":
            steering.hide_idea(wall, first.pk, "Off the question", by=facilitator)
        elif change == "restore":
            steering.restore_idea(wall, hidden.pk, by=facilitator)
        else:
            steering.merge_ideas(wall, first.pk, second.pk, by=facilitator)

    # Each screen is told to fetch its board again, which counts as its wall shows.
    for audience in (MEMBERS, FACILITATORS, SCREEN):
        assert "data-refresh-board" in sent[breakout_group(wall.pk, audience)], audience
    assert _boards(wall, attendee, facilitator) == expected


def test_wall_count_the_posters_own_form_answer_carries_no_count(breakout, attendee, sent):
    response = client_for(attendee).post(
        reverse("breakouts:post_idea", args=[breakout.pk]),
        {"text": "Pool the data", "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )

    # Its form knows nothing of the wall: the push brings the poster's screen the count.
    assert response.status_code == 200
    assert "Pool the data" in response.content.decode()
    assert 'id="wall-count"' not in response.content.decode()

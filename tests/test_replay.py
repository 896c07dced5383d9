"""A screen that reconnects is sent the pushes it missed, numbered and kept per group of
screens, rather than its whole board (summit/web/replay.py, breakouts/live.py)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from breakouts import services, steering
from breakouts.board import FACILITATORS, MEMBERS, breakout_group
from breakouts.models import Breakout
from summit.live import group_in
from summit.web import replay
from tests.conftest import client_for, use_redis_counts

NUMBER = re.compile(r"<!--seq \S+ (\d+)-->")


@pytest.fixture(params=["this process", "redis"])
def store(request, settings):
    """Each test runs on both stores: this process's memory and the local Redis."""
    if request.param == "redis":
        use_redis_counts(settings)
    yield request.param
    replay.clear()


def _numbers(messages: list[str]) -> list[int]:
    return [int(NUMBER.match(message).group(1)) for message in messages]


def test_replay_numbers_each_group_one_up_from_the_time_it_started(store):
    first = replay.record([("room-a", "<p>1</p>"), ("room-b", "<p>x</p>")])
    second = replay.record([("room-a", "<p>2</p>")])

    (group_a, a1), (group_b, b1) = first
    [(_, a2)] = second
    assert (group_a, group_b) == ("room-a", "room-b")
    assert a1.endswith("<p>1</p>")
    assert b1.endswith("<p>x</p>")
    assert a2.endswith("<p>2</p>")
    n1, n2 = _numbers([a1, a2])
    assert n2 == n1 + 1
    assert n1 > 1_700_000_000_000_000  # microseconds since 1970: a new count starts high
    assert replay.latest("room-a") == n2
    started = replay.latest("room-c")  # a count starts when a board is drawn before any push
    assert started > n2
    assert replay.since("room-c", started) == []
    [(_, c1)] = replay.record([("room-c", "<p>c</p>")])
    assert _numbers([c1]) == [started + 1]
    assert replay.since("room-c", started) == [c1]


def test_replay_since_gives_what_came_after_with_a_few_before(store):
    sent = [html for _, html in (replay.record([("room", f"<p>{i}</p>")])[0] for i in range(10))]
    numbers = _numbers(sent)

    assert replay.since("room", numbers[7]) == sent[8 - replay.OVERLAP :]
    assert replay.since("room", numbers[-1]) == sent[-replay.OVERLAP :]
    assert replay.since("room", numbers[1]) == sent
    # None from before the screen's board was drawn: the board holds them.
    assert replay.since("room", numbers[7], drawn=numbers[7]) == sent[8:]
    assert replay.since("room", numbers[7], drawn=numbers[5]) == sent[6:]


def test_replay_since_is_none_when_what_was_missed_is_gone_or_unknown(store):
    sent = [replay.record([("room", f"<p>{i}</p>")])[0][1] for i in range(replay.KEPT + 5)]
    numbers = _numbers(sent)

    assert replay.since("room", numbers[2]) is None  # pushed out of what is kept
    assert replay.since("room", numbers[4]) is not None  # the oldest kept follows it
    assert replay.since("room", numbers[-1] + 1) is None  # not a number of this count
    assert replay.since("room", 12) is None
    assert replay.since("quiet-room", 0) == []
    assert replay.since("quiet-room", numbers[-1]) is None


def test_replay_without_redis_pushes_unnumbered_and_screens_fetch_everything(settings):
    use_redis_counts(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1

    assert replay.record([("room", "<p>1</p>")]) == [("room", "<p>1</p>")]
    assert replay.latest("room") is None
    assert replay.since("room", 5) is None


# The board's catch-up


def _post(breakout: Breakout, author, text: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.post_idea(breakout=breakout, author=author, text=text, client_token=uuid.uuid4())


def _board_seq(client, url: str) -> int:
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    return int(re.search(r'data-seq="(\d+)"', html).group(1))


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [MEMBERS, FACILITATORS])
def test_board_since_gives_the_missed_cards_alone(
    store, breakout, attendee, facilitator, audience, django_capture_on_commit_callbacks
):
    viewer = facilitator if audience == FACILITATORS else attendee
    client = client_for(viewer)
    url = reverse("breakouts:board", args=[breakout.pk]) + f"?view={audience}"
    for n in range(30):
        _post(breakout, attendee, f"Earlier idea {n}", django_capture_on_commit_callbacks)
    seq = _board_seq(client, url)
    for n in range(3):
        _post(breakout, attendee, f"Missed idea {n}", django_capture_on_commit_callbacks)

    response = client.get(f"{url}&since={seq}", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert 'id="board"' not in html
    assert [f"Missed idea {n}" in html for n in range(3)] == [True, True, True]
    # The few pushes before it too, in case they arrive after it, and nothing older.
    assert "Earlier idea 29" in html
    assert "Earlier idea 20" not in html
    assert max(int(number) for number in NUMBER.findall(html)) > seq
    assert len(NUMBER.findall(html)) == 3 + replay.OVERLAP
    assert len(response.content) < 100_000
    # Each audience's own cards: the console's carry the facilitator's tools.
    assert ('class="idea__tools"' in html) is (audience == FACILITATORS)


@pytest.mark.django_db
def test_board_since_a_change_of_shape_gives_the_whole_board(
    store, breakout, attendee, facilitator, django_capture_on_commit_callbacks
):
    client = client_for(attendee)
    url = reverse("breakouts:board", args=[breakout.pk])
    seq = _board_seq(client, url)
    _post(breakout, attendee, "Before the phase moved", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        steering.set_phase(breakout, Breakout.Phase.BUILD, by=facilitator)

    response = client.get(f"{url}?since={seq}", headers={"HX-Request": "true"})

    assert "HX-Reswap" not in response
    assert '<div id="board"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("since", ["", "abc", "-5", "1" * 30, "12"])
def test_board_since_not_a_kept_number_gives_the_whole_board(store, breakout, attendee, since):
    client = client_for(attendee)
    url = reverse("breakouts:board", args=[breakout.pk])

    response = client.get(f"{url}?since={since}", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Reswap" not in response
    assert '<div id="board"' in response.content.decode()


@pytest.mark.django_db
def test_board_since_a_member_asking_for_the_console_gets_the_members_pushes(
    store, breakout, attendee, facilitator, django_capture_on_commit_callbacks
):
    client = client_for(attendee)
    url = reverse("breakouts:board", args=[breakout.pk])
    seq = _board_seq(client, url)
    _post(breakout, attendee, "Seen by all", django_capture_on_commit_callbacks)
    console_seq = replay.latest(group_in(breakout_group(breakout.pk, FACILITATORS), "en-gb"))

    response = client.get(f"{url}?view={FACILITATORS}&since={seq}")
    console = client.get(f"{url}?view={FACILITATORS}&since={console_seq - 1}")

    assert response["HX-Reswap"] == "none"
    members_pushes = replay.since(group_in(breakout_group(breakout.pk, MEMBERS), "en-gb"), seq)
    assert response.content.decode() == "".join(members_pushes)
    assert "HX-Reswap" not in console  # not a number of the members' count: the whole board


@pytest.mark.django_db
def test_screen_board_since_gives_the_big_screens_pushes(
    store, breakout, attendee, django_capture_on_commit_callbacks
):
    url = reverse("breakouts:screen_board", args=[breakout.screen_key])
    seq = _board_seq(client_for(attendee), url)
    _post(breakout, attendee, "On the big screen", django_capture_on_commit_callbacks)

    response = client_for(attendee).get(f"{url}?since={seq}")

    assert response["HX-Reswap"] == "none"
    assert "On the big screen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("missed", [1, 20])
def test_board_since_takes_the_same_queries_however_much_was_missed(
    store, breakout, attendee, missed, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client = client_for(attendee)
    url = reverse("breakouts:board", args=[breakout.pk])
    seq = _board_seq(client, url)
    for n in range(missed):
        _post(breakout, attendee, f"Idea {n}", django_capture_on_commit_callbacks)

    # The session, the user, and who may use the breakout.
    with django_assert_num_queries(3):
        response = client.get(f"{url}?since={seq}")

    assert response["HX-Reswap"] == "none"


@pytest.mark.django_db
def test_board_since_leaves_the_voice_balance_to_its_own_fetch(
    store, breakout, attendee, facilitator, django_capture_on_commit_callbacks
):
    client = client_for(facilitator)
    url = reverse("breakouts:board", args=[breakout.pk]) + f"?view={FACILITATORS}"
    seq = _board_seq(client, url)
    _post(breakout, attendee, "Heard at last", django_capture_on_commit_callbacks)

    html = client.get(f"{url}&since={seq}").content.decode()

    assert "Heard at last" in html
    assert 'id="voice-balance"' not in html


@pytest.mark.django_db
def test_board_since_its_own_drawing_gives_nothing_from_before_it(
    store, breakout, attendee, django_capture_on_commit_callbacks
):
    client = client_for(attendee)
    url = reverse("breakouts:board", args=[breakout.pk])
    _post(breakout, attendee, "Before the board was drawn", django_capture_on_commit_callbacks)
    seq = _board_seq(client, url)

    unchanged = client.get(f"{url}?since={seq}&drawn={seq}")
    _post(breakout, attendee, "After it", django_capture_on_commit_callbacks)
    missed = client.get(f"{url}?since={seq}&drawn={seq}").content.decode()

    assert unchanged["HX-Reswap"] == "none"
    assert unchanged.content == b""
    assert "After it" in missed
    assert "Before the board was drawn" not in missed

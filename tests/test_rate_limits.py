"""Flood limits: one attendee sending too fast is refused with a clear message and keeps
their text, without slowing anyone else; a whole address is limited far more loosely."""

from __future__ import annotations

import threading
import uuid

import pytest
import redis
from django.test import RequestFactory
from django.urls import reverse

from breakouts.models import Breakout, Idea, Vote
from plenary.models import Poll, Response
from plenary.services import open_poll, plenary_for
from summit.web import counts
from summit.web.ratelimit import post_rate
from tests.conftest import client_for, make_participant, use_redis_counts

pytestmark = pytest.mark.django_db


def _post(client, breakout, text: str):
    return client.post(
        reverse("breakouts:post_idea", args=[breakout.pk]),
        {"text": text, "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )


def test_posting_too_fast_is_refused_keeping_the_text_others_unaffected(
    breakout, attendee, other_member, settings
):
    settings.POSTS_PER_MINUTE = 3
    flooder = client_for(attendee)
    other = make_participant(breakout.summit, name="Quiet Quinn")
    breakout.members.add(other)

    sent = [_post(flooder, breakout, f"Idea {n}").status_code for n in range(3)]
    refused = _post(flooder, breakout, "One idea too many")
    calm = _post(client_for(other), breakout, "My first idea")

    assert sent == [200, 200, 200]
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "You are sending very quickly. Wait a few seconds, then send again." in body
    assert "One idea too many</textarea>" in body
    assert not Idea.objects.filter(text="One idea too many").exists()
    assert calm.status_code == 200
    assert Idea.objects.filter(text="My first idea").exists()


def test_a_refused_flood_is_answered_slowly_and_an_allowed_post_at_once(
    breakout, attendee, settings, monkeypatch
):
    settings.POSTS_PER_MINUTE = 1
    settings.REFUSAL_DELAY_SECONDS = 1.5
    waits: list[float] = []
    monkeypatch.setattr("summit.web.ratelimit.time.sleep", waits.append)
    client = client_for(attendee)

    allowed = _post(client, breakout, "Pool the data")
    waited_when_allowed = list(waits)
    refused = _post(client, breakout, "And again")

    assert allowed.status_code == 200
    assert waited_when_allowed == []
    assert refused.status_code == 422
    assert waits == [1.5]


def test_a_minute_allowance_cannot_be_spent_in_one_burst(breakout, attendee, settings, monkeypatch):
    settings.POSTS_PER_MINUTE = 20
    clock = [1_000_020.0]  # the start of a minute
    monkeypatch.setattr("summit.web.ratelimit.time.time", lambda: clock[0])
    client = client_for(attendee)

    burst = [_post(client, breakout, f"Idea {n}").status_code for n in range(6)]
    clock[0] += 10
    later = _post(client, breakout, "Ten seconds on").status_code

    # A quarter of the minute's twenty in any ten seconds; then more, as the minute allows.
    assert burst == [200] * 5 + [422]
    assert later == 200


def test_comments_count_towards_the_posting_limit(breakout, attendee, settings):
    settings.POSTS_PER_MINUTE = 1
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.BUILD)
    client = client_for(attendee)
    _post(client, breakout, "Pool the data")
    idea = Idea.objects.get()

    response = client.post(
        reverse("breakouts:comment", args=[breakout.pk, idea.pk]),
        {"text": "And the budgets", "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert "sending very quickly" in response.content.decode()
    assert idea.comments.count() == 0


def test_voting_too_fast_is_refused(breakout, attendee, settings):
    settings.VOTES_PER_MINUTE = 2
    idea = Idea.objects.create(
        breakout=breakout, author=attendee, text="Pool", client_token=uuid.uuid4()
    )
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)
    client = client_for(attendee)
    url = reverse("breakouts:dots", args=[breakout.pk, idea.pk])

    statuses = [
        client.post(url, {"dots": n}, HTTP_HX_REQUEST="true").status_code for n in (1, 2, 3)
    ]

    assert statuses == [200, 200, 422]
    assert Vote.objects.get().dots == 2


def test_plenary_answers_too_fast_are_refused_keeping_the_text(summit, attendee, settings):
    settings.VOTES_PER_MINUTE = 1
    plenary = plenary_for(summit)
    words = open_poll(Poll.objects.get(plenary=plenary, kind=Poll.Kind.WORDS))
    client = client_for(attendee)
    url = reverse("plenary:answer", args=[summit.slug, words.pk])

    first = client.post(url, {"word": ["Trust"]}, HTTP_HX_REQUEST="true")
    second = client.post(url, {"word": ["Courage"]}, HTTP_HX_REQUEST="true")

    assert first.status_code == 200
    assert second.status_code == 422
    assert 'value="Courage"' in second.content.decode()
    assert "sending very quickly" in second.content.decode()
    assert Response.objects.get().answers.get().text == "Trust"


def test_one_address_is_limited_across_people(breakout, attendee, settings):
    settings.ACTIONS_PER_MINUTE_PER_ADDRESS = 2
    people = [make_participant(breakout.summit, name=f"Person {n}") for n in range(3)]
    breakout.members.add(*people)

    statuses = [_post(client_for(p), breakout, f"From {p.pk}").status_code for p in people]

    assert statuses == [200, 200, 422]


@pytest.fixture
def cache_down(monkeypatch):
    """The counts refuse every call, as while Redis restarts."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    def refuse(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for name in ("current", "count_each", "mark", "remaining_ms", "mark_anew"):
        monkeypatch.setattr(f"summit.web.counts.{name}", refuse)


def test_posting_goes_on_unlimited_while_the_cache_is_down(breakout, attendee, cache_down, caplog):
    response = _post(client_for(attendee), breakout, "Posted while Redis restarts")

    assert response.status_code == 200
    assert Idea.objects.filter(text="Posted while Redis restarts").count() == 1
    assert "Rate limits not applied: the cache (Redis) is unavailable" in caplog.text


def test_join_codes_still_checked_while_the_cache_is_down(summit, client, cache_down):
    unknown = client.post(reverse("join"), {"code": "NOPE00"})
    known = client.post(reverse("join"), {"code": summit.join_code})

    assert unknown.status_code == 422
    assert "There is no summit with that code" in unknown.content.decode()
    assert known.status_code == 302
    assert known["Location"] == reverse("join_summit", args=[summit.join_code])


# The flood limits count on Redis in one pipeline. These tests run that path against the Redis
# on this machine (as in CI) whichever store the rest of the suite uses.
@pytest.fixture
def pipelines(monkeypatch):
    """Each Redis pipeline run, and each command sent to Redis on its own."""
    runs = {"pipelines": 0, "commands": 0}
    execute, execute_command = redis.client.Pipeline.execute, redis.client.Redis.execute_command

    def counted_execute(self, *args, **kwargs):
        runs["pipelines"] += 1
        return execute(self, *args, **kwargs)

    def counted_command(self, *args, **kwargs):
        runs["commands"] += 1
        return execute_command(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted_execute)
    monkeypatch.setattr(redis.client.Redis, "execute_command", counted_command)
    return runs


def test_on_redis_the_three_counts_take_one_round_trip(
    redis_counts, pipelines, settings, monkeypatch
):
    settings.POSTS_PER_MINUTE = 20
    settings.REFUSAL_DELAY_SECONDS = 0
    clock = [1_000_020.0]  # the start of a minute
    monkeypatch.setattr("summit.web.ratelimit.time.time", lambda: clock[0])
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")

    burst = [post_rate.refusal(request, 7) for _ in range(6)]
    clock[0] += 10
    later = post_rate.refusal(request, 7)

    assert pipelines == {"pipelines": 7, "commands": 0}
    assert burst == [None] * 5 + [
        "You are sending very quickly. Wait a few seconds, then send again."
    ]
    assert later is None
    # The counts sit under the keys that are read back, one for each window.
    minute = 1_000_020 // 60
    assert counts.current(f"rate:post:p7:{minute}") == 7
    assert counts.current(f"rate:post:b7:{1_000_020 // 10}") == 6
    assert counts.current(f"rate:post:b7:{1_000_030 // 10}") == 1
    assert counts.current(f"rate:all:192.0.2.7:{minute}") == 7


def test_on_redis_each_count_expires_with_its_window_which_later_counts_leave_alone(
    redis_counts, monkeypatch
):
    monkeypatch.setattr("summit.web.ratelimit.time.time", lambda: 1_000_020.0)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    client = redis_counts
    person = counts.key(f"rate:post:p7:{1_000_020 // 60}")
    in_burst = counts.key(f"rate:post:b7:{1_000_020 // 10}")
    address = counts.key(f"rate:all:192.0.2.7:{1_000_020 // 60}")

    post_rate.refusal(request, 7)
    first = {key: client.ttl(key) for key in (person, in_burst, address)}
    client.expire(person, 5)  # as if most of the minute had gone by
    post_rate.refusal(request, 7)

    assert 0 < first[person] <= 60
    assert 0 < first[in_burst] <= 10
    assert 0 < first[address] <= 60
    assert 0 < client.ttl(person) <= 5


def test_on_redis_every_request_shares_one_connection_pool(redis_counts):
    # Under ASGI each request runs in a context of its own (as each thread here does); they
    # share one Redis client, so requests one after another reuse one connection instead of
    # each opening a new one.
    seen = []

    def request():
        counts.count_each(("shared", 60))
        client = counts.redis_client()
        seen.append((client, client.connection_pool, client.client_id()))

    for _ in range(5):
        thread = threading.Thread(target=request)
        thread.start()
        thread.join()

    assert len({id(client) for client, _, _ in seen}) == 1
    assert len({id(pool) for _, pool, _ in seen}) == 1
    # The server saw one connection: the same one answered every request.
    assert len({connection for _, _, connection in seen}) == 1
    assert counts.current("shared") == 5


def test_on_redis_posting_goes_on_unlimited_while_redis_is_unreachable(
    breakout, attendee, settings, caplog
):
    # Nothing listens on port 1 here: every call to Redis is refused at once.
    use_redis_counts(settings, "redis://127.0.0.1:1/0")

    response = _post(client_for(attendee), breakout, "Posted while Redis is away")

    assert response.status_code == 200
    assert Idea.objects.filter(text="Posted while Redis is away").count() == 1
    assert "Rate limits not applied: the cache (Redis) is unavailable" in caplog.text


def test_in_this_process_each_count_expires_with_its_window_which_later_counts_leave_alone(
    settings, monkeypatch
):
    # Without Redis (the embedded default) the counts keep to their windows in this process.
    settings.REDIS_URL = None
    clock = [500.0]
    monkeypatch.setattr("summit.web.counts.time.monotonic", lambda: clock[0])

    first = counts.count_each(("minute", 60), ("burst", 10))
    clock[0] += 9
    second = counts.count_each(("minute", 60), ("burst", 10))
    clock[0] += 1  # the burst's window, started by its first count, is over
    third = counts.count_each(("minute", 60), ("burst", 10))
    clock[0] += 50

    assert (first, second, third) == ([1, 1], [2, 2], [3, 1])
    assert (counts.current("minute"), counts.current("burst")) == (0, 0)

"""Redis, the channel layer and the workers' shared counts, restarts while a breakout is
running: posting carries on, and the facilitator's console catches up and goes live again by
itself."""

from __future__ import annotations

import re

import pytest

from tests.faults.conftest import (
    ATTENDEE,
    FACILITATOR,
    expect_shown,
    idea_texts,
    open_screen,
    post_idea,
)

pytestmark = pytest.mark.faults

# The console must catch up within this long of Redis coming back, with no reload.
CATCH_UP_MS = 30_000
LIVE_MS = 10_000

# A log line, at warning level or worse, that says the channel layer or Redis is out of reach.
OUTAGE_LINE = re.compile(
    r"^.*\b(WARNING|ERROR|CRITICAL)\b.*(redis|channel layer).*"
    r"(unavailable|unreachable|lost|down|outage|interrupted|failed|cannot|could not).*$",
    re.IGNORECASE | re.MULTILINE,
)


def test_console_catches_up_after_redis_restarts_mid_session(database, redis, serve, person):
    app = serve(database, redis.url, "--workers", "2")
    console_path = f"/breakouts/{database.breakout_id}/console/"
    console = open_screen(person(app.url, FACILITATOR), console_path)
    phone = open_screen(person(app.url, ATTENDEE), f"/breakouts/{database.breakout_id}/")

    assert post_idea(phone, "Posted before Redis stopped") == 200
    expect_shown(console, "Posted before Redis stopped", LIVE_MS, "live before the outage")

    redis.stop()
    status = post_idea(phone, "Posted while Redis was down")
    assert status == 200, f"posting during the Redis outage answered {status}; see {app.log}"
    assert database.count_ideas("Posted while Redis was down") == 1
    redis.start()

    expect_shown(
        console, "Posted while Redis was down", CATCH_UP_MS, "console after Redis came back"
    )
    assert post_idea(phone, "Posted after Redis came back") == 200
    expect_shown(console, "Posted after Redis came back", LIVE_MS, "live after the outage")
    assert idea_texts(console) == [
        "Posted after Redis came back",
        "Posted while Redis was down",
        "Posted before Redis stopped",
    ]
    assert console.evaluate("window.loadedOnce") is True
    outage = OUTAGE_LINE.findall(app.output())
    assert outage, f"the log does not name the Redis outage; see {app.log}"

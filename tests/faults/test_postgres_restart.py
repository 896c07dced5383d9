"""PostgreSQL restarts under a running app: a post sent meanwhile gets a clear "try again"
answer and keeps its text; sent again once the database is back, it makes one idea, with no
restart of the app, and the facilitator's console shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.faults.conftest import (
    ATTENDEE,
    FACILITATOR,
    expect_shown,
    idea_texts,
    open_screen,
    system_redis_url,
)

pytestmark = pytest.mark.faults

TEXT = "Pool the place budgets under one board"
LIVE_MS = 10_000


def _send(phone):
    with phone.expect_response(lambda r: "/ideas/post/" in r.url) as response:
        phone.get_by_role("button", name="Post idea").click()
    return response.value


def test_post_during_a_postgres_restart_says_try_again_and_resends_once(cluster, serve, person):
    database = cluster.database
    app = serve(database, system_redis_url(), "--workers", "2")
    console = open_screen(
        person(app.url, FACILITATOR), f"/breakouts/{database.breakout_id}/console/"
    )
    phone = open_screen(person(app.url, ATTENDEE), f"/breakouts/{database.breakout_id}/")
    phone.get_by_label("Your idea").fill(TEXT)

    cluster.stop()
    refused = _send(phone)

    assert refused.status == 503, f"answered {refused.status}; see {app.log}"
    assert refused.headers.get("retry-after") == "5"
    assert "Try again in a moment" in refused.text()
    expect(phone.locator("[data-send-error]")).to_contain_text(
        "Not sent: the summit could not save it just now"
    )
    expect(phone.get_by_label("Your idea")).to_have_value(TEXT)
    assert "Database unavailable while serving POST /breakouts/" in app.output()

    cluster.start()
    accepted = _send(phone)

    assert accepted.status == 200, f"answered {accepted.status} once back; see {app.log}"
    expect(phone.get_by_role("status").filter(has_text="Your idea was posted")).to_be_visible()
    expect(phone.get_by_label("Your idea")).to_have_value("")
    assert database.count_ideas(TEXT) == 1
    expect_shown(console, TEXT, LIVE_MS, "console after PostgreSQL came back")
    assert idea_texts(console) == [TEXT]
    assert console.evaluate("window.loadedOnce") is True
    assert app.process.poll() is None
    assert app.live_worker_pids() == app.worker_pids, "a worker was restarted"

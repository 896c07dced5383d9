"""One of the app's worker processes is killed outright: the screens it served reconnect to
the others and catch up, and every screen shows every idea once, with no reload."""

from __future__ import annotations

import psutil
import pytest
from playwright.sync_api import expect

from tests.faults.conftest import (
    ATTENDEE,
    FACILITATOR,
    OTHER_ATTENDEE,
    expect_shown,
    idea_texts,
    open_screen,
    post_idea,
    screen_state,
    system_redis_url,
    wait_for,
)

pytestmark = pytest.mark.faults

CATCH_UP_MS = 30_000
BEFORE = "Posted before the worker was killed"
AFTER = [
    "First idea after the worker was killed",
    "Second idea after the worker was killed",
    "Third idea after the worker was killed",
]


def _sockets_on(pid: int, port: int) -> int:
    """Connections the worker holds open on the app's port (sockets and kept-alive HTTP)."""
    return sum(
        1
        for c in psutil.Process(pid).net_connections(kind="tcp")
        if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
    )


def test_every_screen_shows_every_idea_once_after_a_worker_is_killed(database, serve, person):
    app = serve(database, system_redis_url(), "--workers", "2", "--no-restart")
    breakout = database.breakout_id
    facilitator = person(app.url, FACILITATOR)
    attendee = person(app.url, ATTENDEE)
    screens = [
        open_screen(facilitator, f"/breakouts/{breakout}/console/"),
        open_screen(facilitator, f"/breakouts/{breakout}/console/"),
        open_screen(attendee, f"/breakouts/{breakout}/"),
        open_screen(attendee, f"/breakouts/{breakout}/"),
        open_screen(person(app.url, OTHER_ATTENDEE), f"/breakouts/{breakout}/"),
    ]
    assert post_idea(screens[2], BEFORE) == 200
    for screen in screens:
        expect_shown(screen, BEFORE, 10_000, "live before the kill")

    # Which worker holds which socket cannot be asked of the browser; kill the busier one,
    # so that most screens lose their connection.
    load = {pid: _sockets_on(pid, app.port) for pid in app.worker_pids}
    victim = max(load, key=load.get)
    assert load[victim] > 0, f"no worker holds a connection: {load}"
    app.kill_worker(victim)
    wait_for(lambda: f"Worker {victim} exited (-9)" in app.output(), 10, "serve to see it")
    assert app.live_worker_pids() == [pid for pid in app.worker_pids if pid != victim]

    # A poster that connects afresh, so it reaches the surviving worker.
    poster = open_screen(person(app.url, OTHER_ATTENDEE), f"/breakouts/{breakout}/")
    for text in AFTER:
        assert post_idea(poster, text) == 200, f"posting after the kill failed; see {app.log}"
    expected = [*reversed(AFTER), BEFORE]

    for number, screen in enumerate(screens, start=1):
        for text in expected:
            expect_shown(screen, text, CATCH_UP_MS, f"screen {number} after the kill")
        assert idea_texts(screen) == expected, f"screen {number}: {screen_state(screen)}"
        assert screen.evaluate("window.loadedOnce") is True
        expect(screen.locator("[data-connection-status]")).to_have_attribute(
            "data-state", "open", timeout=CATCH_UP_MS
        )
    closed = [s.evaluate("window.socketClosures") for s in screens]
    assert any(closed), f"no screen was on the killed worker ({load}); the test proved nothing"
    for text in expected:
        assert database.count_ideas(text) == 1

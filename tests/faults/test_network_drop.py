"""A screen's network drops for 30 seconds while the group carries on: once it is back, the
facilitator's console shows every idea posted meanwhile, newest first, each once, without
a reload."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.faults.conftest import (
    ATTENDEE,
    FACILITATOR,
    expect_shown,
    idea_texts,
    open_screen,
    post_idea,
    screen_state,
    system_redis_url,
)
from tests.faults.proxy import Proxy

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 30
CATCH_UP_MS = 30_000
LIVE_MS = 10_000
BEFORE = "Posted before the console's network dropped"
DURING = [
    "First idea while the console was cut off",
    "Second idea while the console was cut off",
    "Third idea while the console was cut off",
]
AFTER = "Posted once the console was back"


@pytest.fixture
def proxy_to():
    proxies: list[Proxy] = []

    def start(port: int) -> Proxy:
        proxy = Proxy(port)
        proxies.append(proxy)
        proxy.start()
        return proxy

    yield start
    for proxy in proxies:
        proxy.stop()


def test_console_catches_up_in_order_after_its_network_drops(database, serve, person, proxy_to):
    app = serve(database, system_redis_url(), "--workers", "2")
    proxy = proxy_to(app.port)
    proxied = f"http://127.0.0.1:{proxy.port}"
    console = open_screen(
        person(proxied, FACILITATOR), f"/breakouts/{database.breakout_id}/console/"
    )
    # The attendee reaches the app directly, not through the proxy.
    phone = open_screen(person(app.url, ATTENDEE), f"/breakouts/{database.breakout_id}/")
    status = console.locator("[data-connection-status]")

    assert post_idea(phone, BEFORE) == 200
    expect_shown(console, BEFORE, LIVE_MS, "live before the drop")

    proxy.cut()
    cut_at = time.monotonic()
    expect(status).to_have_attribute("data-state", "closed", timeout=10_000)
    for text in DURING:
        assert post_idea(phone, text) == 200
        time.sleep(1)
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
    assert idea_texts(console) == [BEFORE], "the console saw ideas through a cut network"
    proxy.restore()

    for text in DURING:
        expect_shown(console, text, CATCH_UP_MS, "console after its network came back")
    expect(status).to_have_attribute("data-state", "open", timeout=CATCH_UP_MS)
    assert post_idea(phone, AFTER) == 200
    expect_shown(console, AFTER, LIVE_MS, "live after the drop")

    expected = [AFTER, *reversed(DURING), BEFORE]
    assert idea_texts(console) == expected, screen_state(console)
    assert console.evaluate("window.loadedOnce") is True
    assert console.evaluate("window.socketClosures") >= 1

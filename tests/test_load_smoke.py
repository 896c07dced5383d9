"""The load benchmark's smoke scenario against the embedded stack: every post reaches every
screen that should show it.

The app is served by ``manage.py serve`` in a process of its own on a SQLite file in a
temporary folder and a port of its own, so this runs beside parallel test workers. Attendees
join over HTTP, screens listen over WebSockets from a client process, ideas and poll answers
are posted over HTTP. Nothing here is timed.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import load


def test_load_smoke_every_post_reaches_every_expected_screen():
    scenario = replace(load.SCENARIOS["smoke"], duration=2, drain=2)

    [result] = asyncio.run(load.run(scenario, settings_module="tests.settings"))

    rows = load.rows_for(result)
    figures = rows["_figures"]
    assert rows["screens connected"] == f"{len(result.screens)} of {len(result.screens)}"
    ideas = [p for p in result.posts if p.poll is None]
    answers = [p for p in result.posts if p.poll is not None]
    assert ideas
    assert answers
    assert all(p.ok for p in result.posts)
    rooms = {screen.room for screen, _ in result.screens.values()}
    assert load.PLENARY in rooms
    assert len(rooms) >= 2
    assert figures["expected"] > len(result.posts)
    assert figures["lost"] == 0, figures["missing"]
    assert figures["received"] == figures["expected"]
    assert figures["dropped"] == 0
    for screen, record in result.screens.values():
        for post in result.posts:
            if post.room != screen.room:
                continue
            if post.poll is None:
                assert post.number in record["got"], (screen, post)
            else:
                shown = max(count for count, _ in record["counts"][post.poll])
                assert shown >= post.position, (screen, post)


def test_load_smoke_a_stalled_screen_is_cut_loose_and_holds_no_one_back():
    # Two screens stop reading; daphne's keepalive pings (every second here) find them out.
    scenario = replace(load.SCENARIOS["smoke"], duration=4, drain=2, slow=2, ping=1)

    [result] = asyncio.run(load.run(scenario, settings_module="tests.settings"))

    figures = load.rows_for(result)["_figures"]
    assert len(result.slow) == 2
    # A slow screen stalls once a push waits unread in it; one that was sent nothing still
    # answers pings, and rightly stays.
    stalled = [s for s in result.slow.values() if s["frames"] or not s["open"]]
    assert stalled, result.slow
    assert all(not s["open"] for s in stalled), result.slow
    assert all(p.ok for p in result.posts)
    assert figures["lost"] == 0, figures["missing"]
    assert figures["received"] == figures["expected"] > 0

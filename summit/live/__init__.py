"""Pushing server-rendered HTML to screens, with one fan-out hub per worker process.

A service, once its write has committed, renders each fragment once per audience and sends it
to that audience's group on the channel layer (``push``, ``close_group``). Each worker process
has one hub (``summit.live.hub``) that takes each message off the layer once and writes it to
every local screen of the group (``summit.live.screens``).

Two paths lead from the hub to a screen's socket, settled once per screen as it joins:

- the plain path, Channels' and Django's own supported path: each push goes through the
  consumer's own ``send`` (ASGI, the session middleware, daphne), and HTTP through Django's
  stock ``ASGIHandler``;
- the fast path (``summit.live.fast``, the only code that reaches inside daphne, Twisted,
  autobahn, Channels or Django): each push framed once and written straight to every socket,
  and a request's middleware and view in one trip to a thread kept for later.

The fast path is taken when ``LIVE_FAST_PATH`` is on (the default) and every library it relies
on is installed at a version it was proven on; the plain path otherwise, and from the moment
the fast path fails in this process. Either way the hub itself is the same: one channel per
process on the layer, coalescing, and the beats that find a lost layer, all through Channels'
public channel-layer API, with nothing private read or replaced.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import connections

from summit.live.codes import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_RECONNECT,
    CLOSE_UNEXPECTED_MESSAGE,
)
from summit.live.fast import PROVEN, frame_writer, http_application, text_frame
from summit.live.hub import BEAT_SECONDS, COALESCE_SECONDS, Hub, hub_for
from summit.live.languages import (
    Fragment,
    group_in,
    in_languages,
    offered,
    render_each,
    rendered,
    split_group,
    text_in,
    wanted,
)
from summit.live.screens import HtmlPushConsumer, NoSuchScreen

__all__ = [
    "BEAT_SECONDS",
    "CLOSE_FORBIDDEN",
    "CLOSE_NOT_FOUND",
    "CLOSE_RECONNECT",
    "CLOSE_UNEXPECTED_MESSAGE",
    "COALESCE_SECONDS",
    "PROVEN",
    "Fragment",
    "HtmlPushConsumer",
    "Hub",
    "NoSuchScreen",
    "Serving",
    "close_group",
    "close_screens",
    "frame_writer",
    "group_in",
    "http_application",
    "hub_for",
    "in_languages",
    "later",
    "participant_group",
    "push",
    "render_each",
    "rendered",
    "send",
    "split_group",
    "text_frame",
    "text_in",
    "wanted",
]

logger = logging.getLogger(__name__)


# Work put off for later (a push that sums up several changes), on the loop serving the app.

_serving_loop: asyncio.AbstractEventLoop | None = None
_later_tasks: set[asyncio.Task] = set()


class Serving:
    """The application's outermost layer. It notes the event loop serving it, where ``later``
    puts work off to; and it keeps the server's own ``send`` in a socket's scope, under
    ``server_send``, for the fast path: the session middleware wraps every message a consumer
    sends, to save the session and set its cookie, which a push never needs, so pushes on the
    fast path go straight to the server, at a third less cost.

    A key added to the scope by a middleware and the server's own ``send`` called with a
    ``websocket.send`` message are both plain ASGI; what makes skipping the middleware a
    shortcut is the assumption that it does nothing to such a message, so the plain path does
    not use the key."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        global _serving_loop
        _serving_loop = asyncio.get_running_loop()
        if scope["type"] == "websocket":
            scope = {**scope, "server_send": send}
        return await self.app(scope, receive, send)


def later(delay: float, func, *args) -> bool:
    """Run the blocking ``func(*args)`` in a thread of its own after ``delay`` seconds. False,
    with nothing done, when no event loop is serving the app (a management command, Django's
    test client): the caller then does the work at once."""
    loop = _serving_loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return False

    def start() -> None:
        task = loop.create_task(sync_to_async(_run_later, thread_sensitive=False)(func, args))
        _later_tasks.add(task)
        task.add_done_callback(_later_tasks.discard)

    loop.call_soon_threadsafe(loop.call_later, delay, start)
    return True


def _run_later(func, args) -> None:
    try:
        func(*args)
    except Exception:
        logger.exception("Work put off for later failed: %s", getattr(func, "__name__", func))
    finally:
        # Outside a request nothing else hands this thread's connection back to the pool.
        connections.close_all()


def participant_group(participant_id: int) -> str:
    """Every open screen of one person, so that removing them closes what they have open."""
    return f"participant-{participant_id}"


def close_screens(participant_id: int) -> None:
    """Close every screen the person has open; they are refused when they reconnect."""
    close_group(participant_group(participant_id))


def close_group(group: str) -> None:
    """Close every screen in the group, in every language."""
    named = [group_in(group, code) for code in offered()]
    _send_all([(name, {"type": "screen.close", "group": name}) for name in named])


def push(fragments: Iterable[tuple[str, Fragment]], *, coalesce: str | None = None) -> None:
    """Send each ``(group, fragment)`` to every screen in the group: a fragment rendered per
    language (``rendered``) to the screens in each language, one text to them all.

    With ``coalesce``, a key naming what the fragments show (one poll's tally, say), a newer
    push with the same key may replace this one on screens that have not been sent it yet.

    Called once a write has committed, which stands even when the layer is down: the failure
    is logged, and screens catch up when they reconnect.
    """
    send(in_languages(fragments), coalesce=coalesce)


def send(fragments: Iterable[tuple[str, str]], *, coalesce: str | None = None) -> None:
    """``push`` for fragments already in their groups' languages (``in_languages``)."""
    _send_all(
        [
            (group, {"type": "push.html", "group": group, "html": html, "coalesce": coalesce})
            for group, html in fragments
        ]
    )


def _send_all(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception(
            "Live updates not sent: the channel layer is unreachable. Screens catch up on "
            "what they missed when they reconnect."
        )

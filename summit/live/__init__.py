"""Pushing server-rendered HTML to screens, with one fan-out hub per worker process.

A service, once its write has committed, renders each fragment once per audience and sends it
to that audience's group on the channel layer. Each worker process has one hub: one channel
on the layer, joined to every group that has a screen in this process. A message therefore
crosses the layer once per process, not once per screen, and the hub writes it to each local
screen's socket directly, in the order it arrived.

Updates that come faster than anyone can read them (dot totals, poll tallies) carry a
``coalesce`` key: a screen gets the first at once, and of those that follow within
``COALESCE_SECONDS`` only the newest, since each one replaces the last.

The hub also checks that the layer still carries its messages, with a numbered beat sent to
itself every ``BEAT_SECONDS``. When a beat cannot be sent, goes missing or stops arriving (as
when Redis restarts), pushes may have been lost: the hub closes every screen it holds with
``CLOSE_RECONNECT``, the browser reconnects, and a reconnecting screen fetches what it missed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import struct
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from asgiref.sync import async_to_sync, sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import connections

logger = logging.getLogger(__name__)

# Close codes for refusals, in the 4000 range WebSocket leaves to applications. The htmx
# extension reconnects only after abnormal closures, so a refused screen does not retry.
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_UNEXPECTED_MESSAGE = 4400
# "Reconnect and catch up": summit.js reopens the socket after a short random pause. (The
# standard 1012 would do, but daphne's WebSocket library lets a server send only 1000 and
# 3000-4999.)
CLOSE_RECONNECT = 4012

BEAT_SECONDS = 0.5
# No beat back for this long, though beats are being sent: the layer has stopped delivering.
SILENCE_SECONDS = 10.0
COALESCE_SECONDS = 0.15
# Joining a group waits at most this long for the layer before the screen is refused.
JOIN_TIMEOUT_SECONDS = 5.0


# Work put off for later (a push that sums up several changes), on the loop serving the app.

_serving_loop: asyncio.AbstractEventLoop | None = None
_later_tasks: set[asyncio.Task] = set()


class Serving:
    """The application's outermost layer. It notes the event loop serving it, where ``later``
    puts work off to; and it keeps the server's own ``send`` in a socket's scope: the session
    middleware wraps every message a consumer sends, to save the session and set its cookie,
    which a push never needs, so pushes go straight to the server, at a third less cost."""

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
    """Close every screen in the group."""
    _send_all([(group, {"type": "screen.close", "group": group})])


def push(fragments: Iterable[tuple[str, str]], *, coalesce: str | None = None) -> None:
    """Send each ``(group, html)`` pair to every screen in the group.

    With ``coalesce``, a key naming what the fragments show (one poll's tally, say), a newer
    push with the same key may replace this one on screens that have not been sent it yet.

    Called once a write has committed, which stands even when the layer is down: the failure
    is logged, and screens catch up when they reconnect.
    """
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


@dataclass
class _Waiting:
    """A coalescing message held back for a group, and when it is due."""

    key: str
    message: dict
    due: float


class Hub:
    """The fan-out of one worker process (one event loop) for one channel layer."""

    def __init__(self, layer) -> None:
        self.layer = layer
        # Each group's screens in this process, in the order they joined.
        self.members: dict[str, dict[AsyncWebsocketConsumer, None]] = {}
        self.channel: str | None = None
        self.lock = asyncio.Lock()
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.tasks: list[asyncio.Task] = []
        self.waiting: dict[str, _Waiting] = {}
        self.last_sent: dict[tuple[str, str], float] = {}
        self.beats_sent = 0
        self.beats_seen = 0
        self.last_beat_at = 0.0
        self.outage = False

    # Screens joining and leaving

    async def join(self, screen: AsyncWebsocketConsumer, groups: Iterable[str]) -> None:
        if self.outage:
            # Until beats come back, a screen that joined would miss pushes unseen: refusing
            # it makes the browser retry, backing off, instead of flapping.
            raise ConnectionError("The channel layer is not carrying messages yet.")
        async with asyncio.timeout(JOIN_TIMEOUT_SECONDS), self.lock:
            if self.channel is None:
                await self._start()
            for group in groups:
                if group not in self.members:
                    await self.layer.group_add(group, self.channel)
                    self.members[group] = {}
                self.members[group][screen] = None

    async def leave(self, screen: AsyncWebsocketConsumer, groups: Iterable[str]) -> None:
        async with self.lock:
            for group in groups:
                screens = self.members.get(group)
                if screens is None:
                    continue
                screens.pop(screen, None)
                if not screens:
                    del self.members[group]
                    self.waiting.pop(group, None)
                    for sent in [k for k in self.last_sent if k[0] == group]:
                        del self.last_sent[sent]
                    try:
                        await self.layer.group_discard(group, self.channel)
                    except Exception:  # the layer is down; the group lapses with it
                        logger.debug("Could not leave %s on the channel layer", group)
            if not self.members and self.channel is not None:
                await self._stop()

    async def _start(self) -> None:
        self.channel = await self.layer.new_channel("hub.")
        self.beats_sent = self.beats_seen = 0
        self.last_beat_at = asyncio.get_running_loop().time()
        self.tasks = [
            asyncio.create_task(self._receive()),
            asyncio.create_task(self._deliver()),
            asyncio.create_task(self._beat()),
        ]

    async def _stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []
        self.channel = None
        self.outage = False
        self.inbox = asyncio.Queue()
        self.waiting.clear()
        self.last_sent.clear()

    # Messages from the layer to the screens

    async def _receive(self) -> None:
        """Read the hub's channel; delivery happens in one other task, so order holds."""
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Reading from the channel layer failed")
                await self._lost("it could not be read")
                await asyncio.sleep(BEAT_SECONDS)
                continue
            if message.get("type") == "hub.beat":
                await self._beat_seen(message["n"])
            else:
                self.inbox.put_nowait(message)

    async def _deliver(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            timeout = None
            if self.waiting:
                timeout = max(0.0, min(w.due for w in self.waiting.values()) - loop.time())
            try:
                message = await asyncio.wait_for(self.inbox.get(), timeout)
            except TimeoutError:
                message = None
            now = loop.time()
            for group, waiting in list(self.waiting.items()):
                if waiting.due <= now:
                    del self.waiting[group]
                    await self._write(group, waiting.message)
            if message is not None:
                await self._route(message, now)

    async def _route(self, message: dict, now: float) -> None:
        group = message.get("group")
        if group not in self.members:
            return
        waiting = self.waiting.get(group)
        key = message.get("coalesce")
        if waiting is not None and waiting.key == key:
            waiting.message = message  # the newer replaces what has not gone out yet
            return
        if waiting is not None:  # what waits goes out before anything newer, keeping order
            del self.waiting[group]
            await self._write(group, waiting.message)
        if key is not None:
            last = self.last_sent.get((group, key))
            if last is not None and now - last < COALESCE_SECONDS:
                self.waiting[group] = _Waiting(key, message, last + COALESCE_SECONDS)
                return
        await self._write(group, message)

    async def _write(self, group: str, message: dict) -> None:
        key = message.get("coalesce")
        if key is not None:
            self.last_sent[(group, key)] = asyncio.get_running_loop().time()
        screens = list(self.members.get(group, ()))
        if message["type"] == "screen.close":
            for screen in screens:
                await _close(screen, CLOSE_FORBIDDEN)
            return
        frame = {"type": "websocket.send", "text": message["html"]}
        raw = None
        for screen in screens:
            try:
                if screen.write_frame is not None:
                    if raw is None:
                        raw = text_frame(message["html"])
                    if screen.write_frame(raw):
                        continue
                await screen.push_send(frame)
            except Exception:  # one broken socket must not hold back the rest
                logger.debug("Could not write to a screen", exc_info=True)

    # Is the layer still carrying messages?

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(BEAT_SECONDS)
            try:
                async with asyncio.timeout(BEAT_SECONDS * 4):
                    await self.layer.send(
                        self.channel, {"type": "hub.beat", "n": self.beats_sent + 1}
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                await self._lost("a beat could not be sent")
                continue
            self.beats_sent += 1
            if loop.time() - self.last_beat_at > SILENCE_SECONDS:
                self.last_beat_at = loop.time()
                await self._lost(f"nothing came back for {SILENCE_SECONDS:.0f} s")

    async def _beat_seen(self, n: int) -> None:
        self.last_beat_at = asyncio.get_running_loop().time()
        missed = n - self.beats_seen - 1
        self.beats_seen = max(self.beats_seen, n)
        if missed > 0:
            await self._lost(f"{missed} beat(s) went missing")
        elif self.outage:
            self.outage = False
            logger.warning("Live updates restored: the channel layer is carrying messages again.")

    async def _lost(self, why: str) -> None:
        """Messages may have been lost: every screen here reconnects and catches up."""
        screens = {s for members in self.members.values() for s in members}
        if not self.outage:
            logger.error(
                "Live updates interrupted: the channel layer (Redis, when configured) failed: "
                "%s. Closing %d screen(s) in this process so they reconnect and catch up.",
                why,
                len(screens),
            )
        self.outage = True
        for screen in screens:
            await _close(screen, CLOSE_RECONNECT)


async def _close(screen: AsyncWebsocketConsumer, code: int) -> None:
    try:
        await screen.close(code=code)
    except Exception:
        logger.warning("Could not close a screen", exc_info=True)


# One hub for each event loop and channel layer: a worker process has one of each.
_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# Writing one push to many sockets. Through ASGI, each socket's copy is a message of its
# own: encoded, framed, logged and queued for the event loop to write when the socket is
# ready, which registers the socket with the loop and takes it off again, every time. The
# frame is the same bytes for every screen, so it is made once and written straight to each
# socket whose last write has gone out.


def text_frame(html: str) -> bytes:
    """A whole WebSocket text message, unmasked, as a server sends it (RFC 6455, 5.2)."""
    payload = html.encode()
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


def frame_writer(send):
    """For a socket that daphne serves over plain TCP (``send`` being its reply function for
    that connection), a function that writes a ready-made frame to it and says whether it
    did; ``None`` for anything else (a test client, TLS), which takes the ASGI way. The
    connection's own writes (keepalive pings, closing frames) go straight to the socket too."""
    from autobahn.websocket.protocol import WebSocketProtocol
    from twisted.internet.tcp import Connection

    protocol = next(iter(getattr(send, "args", ())), None)
    transport = getattr(protocol, "transport", None)
    if not isinstance(protocol, WebSocketProtocol) or not isinstance(transport, Connection):
        return None
    transport.write = functools.partial(_write_through, transport)

    def write(frame: bytes) -> bool:
        if (
            protocol.state != WebSocketProtocol.STATE_OPEN
            or protocol.send_queue
            or not transport.connected
            or transport.disconnecting
        ):
            return False  # not open yet, or closing: ASGI's way knows what to do
        transport.write(frame)
        return True

    return write


def _write_through(transport, data: bytes) -> None:
    """Twisted's write for this connection, but straight to the socket when nothing waits to
    go before it. Twisted's own write has the event loop watch the socket, writes once it is
    writable and stops watching: two changes to the loop's watch list and a turn of the loop
    for every frame, the keepalive pings of a thousand screens included. Order is kept: behind
    anything still waiting, and the rest of a partial send waits in turn."""
    write = type(transport).write
    if transport.offset != len(transport.dataBuffer) or transport._tempDataLen:
        write(transport, data)  # behind what is still waiting to go
        return
    if not transport.connected or transport.disconnecting:
        write(transport, data)  # Twisted knows what a closing connection does with it
        return
    try:
        sent = transport.socket.send(data)
    except BlockingIOError:
        sent = 0
    except OSError:
        write(transport, data)  # Twisted finds the error and closes the connection
        return
    if sent < len(data):
        write(transport, data[sent:])  # the rest when the socket can take it


def hub_for(layer) -> Hub:
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(id(layer))
    if hub is None or hub.layer is not layer:
        hub = hubs[id(layer)] = Hub(layer)
    return hub


class NoSuchScreen(AsyncWebsocketConsumer):
    """A socket address that no screen has (a mistyped or made-up link): refused plainly,
    rather than left to fail as a routing error."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)


class HtmlPushConsumer(AsyncWebsocketConsumer):
    """A screen that listens: it joins its groups through the process's hub on connect, and
    the hub writes pushed HTML straight to its socket."""

    # No channel of its own on the layer: the hub holds the one channel of this process.
    channel_layer_alias = None
    groups_joined: tuple[str, ...] = ()
    write_frame = None

    async def join(self, *groups: str) -> None:
        # Pushes skip the session middleware's wrapping of each message (see ``Serving``);
        # set before joining, since a push may come while the later groups are joined.
        self.push_send = self.scope.get("server_send", self.base_send)
        self.write_frame = frame_writer(self.push_send)
        hub = hub_for(get_channel_layer())
        try:
            await hub.join(self, groups)
        except Exception:
            # Refused before accepting: the browser sees an abnormal closure and retries.
            logger.warning("Screen refused for now: the channel layer is unreachable")
            await hub.leave(self, groups)
            await self.close()
            return
        self.hub, self.groups_joined = hub, groups
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.groups_joined:
            await self.hub.leave(self, self.groups_joined)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Screens only listen; people act over HTTP, where forms are validated and CSRF-checked.
        logger.info("Closing a screen that sent a message: %s", self.scope["path"])
        await self.close(code=CLOSE_UNEXPECTED_MESSAGE)

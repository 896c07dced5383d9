"""The fan-out hub of one worker process, on Channels' public channel-layer API alone.

Each worker process has one hub: one channel on the layer, joined to every group that has a
screen in this process. A message therefore crosses the layer once per process, not once per
screen, and the hub writes it to each local screen in the order it arrived. The hub runs the
same whichever path a screen was given as it joined (see ``summit.live.fast``): it calls the
screen's ``write_frame`` when it has one, and its ``push_send`` otherwise.

Updates that come faster than anyone can read them (dot totals, poll tallies) carry a
``coalesce`` key: a screen gets the first at once, and of those that follow within
``COALESCE_SECONDS`` only the newest, since each one replaces the last.

The hub also checks that the layer still carries its messages, with a numbered beat sent to
itself every ``BEAT_SECONDS``. When a beat cannot be sent, goes missing or stops arriving (as
when Redis restarts), pushes may have been lost: the hub closes every screen it holds with
``CLOSE_RECONNECT``, the browser reconnects, and a reconnecting screen fetches what it missed.
A screen whose write raises is closed the same way, so that it never misses a push unseen.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from channels.generic.websocket import AsyncWebsocketConsumer

from summit.live.codes import CLOSE_FORBIDDEN, CLOSE_RECONNECT
from summit.live.fast import failed, text_frame

logger = logging.getLogger("summit.live")

BEAT_SECONDS = 0.5
# No beat back for this long, though beats are being sent: the layer has stopped delivering.
SILENCE_SECONDS = 10.0
COALESCE_SECONDS = 0.15
# Joining a group waits at most this long for the layer before the screen is refused.
JOIN_TIMEOUT_SECONDS = 5.0


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
                self._drop(screen)
                await _close(screen, CLOSE_FORBIDDEN)
            return
        frame = {"type": "websocket.send", "text": message["html"]}
        raw = None
        for screen in screens:
            write_frame = screen.write_frame
            if write_frame is not None:
                if raw is None:
                    raw = text_frame(message["html"])
                try:
                    if write_frame(raw):
                        continue
                except Exception as error:
                    await self._fast_write_failed(screen, error)
                    continue
            try:
                await screen.push_send(frame)
            except Exception as error:  # one broken socket must not hold back the rest
                await self._send_failed(screen, error)

    async def _fast_write_failed(self, screen, error: Exception) -> None:
        """The fast path raised writing this screen's push, so the screen may have missed it:
        it reconnects and catches up. The close goes through Channels' own send, and when the
        failure says the fast path cannot work here, the screen's next connection (and every
        other that joins) takes the plain path."""
        failed(error, "writing a push straight to a screen's socket")
        self._drop(screen)
        await _close(screen, CLOSE_RECONNECT)

    async def _send_failed(self, screen, error: Exception) -> None:
        logger.warning(
            "Could not send a push to a screen (%s: %s); closing it so that it reconnects and "
            "catches up.",
            type(error).__name__,
            error,
        )
        self._drop(screen)
        await _close(screen, CLOSE_RECONNECT)

    def _drop(self, screen) -> None:
        """A screen told to close hears nothing more from the hub (writes to a closing socket
        only fail); its groups are left for good as its connection ends."""
        for screens in self.members.values():
            screens.pop(screen, None)

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
        for members in self.members.values():
            members.clear()
        for screen in screens:
            await _close(screen, CLOSE_RECONNECT)


async def _close(screen: AsyncWebsocketConsumer, code: int) -> None:
    try:
        await screen.close(code=code)
    except Exception:  # best effort: the socket may be gone already
        logger.warning("Could not close a screen", exc_info=True)


# One hub for each event loop and channel layer: a worker process has one of each.
_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hub_for(layer) -> Hub:
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(id(layer))
    if hub is None or hub.layer is not layer:
        hub = hubs[id(layer)] = Hub(layer)
    return hub

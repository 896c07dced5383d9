"""The fan-out hub: one channel per process on the layer, order kept, no leaks between rooms,
coalescing of fast updates, and screens sent to reconnect when the layer loses messages."""

from __future__ import annotations

import asyncio
import functools
import logging
import select

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from twisted.internet.tcp import Connection
from websockets.frames import Frame, Opcode

import summit.config.asgi  # noqa: F401  (sets up logging first, so that caplog sees the app's lines)
from summit import live
from summit.live import CLOSE_FORBIDDEN, CLOSE_RECONNECT, Hub, frame_writer, hub_for, text_frame
from summit.live import hub as hub_module
from tests.conftest import socket_for
from tests.live_sockets import daphne_like


class Screen:
    """Stands in for a consumer: records what the hub writes to it and how it is closed."""

    write_frame = None

    def __init__(self, fail: bool = False) -> None:
        self.frames: list[str] = []
        self.closed: list[int] = []
        self.fail = fail

    async def push_send(self, message: dict) -> None:
        if self.fail:
            raise ConnectionResetError("gone")
        self.frames.append(message["text"])

    async def close(self, code: int | None = None) -> None:
        self.closed.append(code)


def message(group: str, html: str, coalesce: str | None = None) -> dict:
    return {"type": "push.html", "group": group, "html": html, "coalesce": coalesce}


async def settle(condition, timeout: float = 3.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.fixture
async def layer():
    return InMemoryChannelLayer(capacity=10_000)


@pytest.fixture
async def hub(layer):
    hub = Hub(layer)
    yield hub
    if hub.channel is not None:
        await hub._stop()


async def test_every_push_reaches_every_screen_of_the_group_in_order(hub, layer):
    screens = [Screen() for _ in range(5)]
    for screen in screens:
        await hub.join(screen, ["room-a"])

    for n in range(300):
        await layer.group_send("room-a", message("room-a", f"<p>{n}</p>"))

    expected = [f"<p>{n}</p>" for n in range(300)]
    await settle(lambda: all(len(s.frames) == 300 for s in screens))
    assert all(screen.frames == expected for screen in screens)


async def test_the_layer_holds_one_channel_per_process_not_one_per_screen(hub, layer):
    for _ in range(50):
        await hub.join(Screen(), ["room-a", "person-1"])

    assert set(layer.groups) == {"room-a", "person-1"}
    assert all(set(members) == {hub.channel} for members in layer.groups.values())


async def test_no_push_leaks_into_another_group(hub, layer):
    here, there = Screen(), Screen()
    await hub.join(here, ["room-a"])
    await hub.join(there, ["room-b"])

    await layer.group_send("room-a", message("room-a", "<p>for a</p>"))
    await layer.group_send("room-b", message("room-b", "<p>for b</p>"))

    await settle(lambda: here.frames and there.frames)
    await asyncio.sleep(0.1)
    assert here.frames == ["<p>for a</p>"]
    assert there.frames == ["<p>for b</p>"]


async def test_a_screen_that_left_hears_nothing_more(hub, layer):
    staying, leaving = Screen(), Screen()
    await hub.join(staying, ["room-a"])
    await hub.join(leaving, ["room-a"])
    await hub.leave(leaving, ["room-a"])

    await layer.group_send("room-a", message("room-a", "<p>after</p>"))

    await settle(lambda: staying.frames)
    assert leaving.frames == []


async def test_the_hub_stops_and_leaves_the_layer_when_its_last_screen_goes(hub, layer):
    screen = Screen()
    await hub.join(screen, ["room-a"])
    tasks = list(hub.tasks)

    await hub.leave(screen, ["room-a"])

    assert hub.channel is None
    assert all(task.done() for task in tasks)
    assert layer.groups == {}


async def test_a_broken_socket_does_not_hold_back_the_others(hub, layer):
    broken, fine = Screen(fail=True), Screen()
    await hub.join(broken, ["room-a"])
    await hub.join(fine, ["room-a"])

    for n in range(3):
        await layer.group_send("room-a", message("room-a", f"<p>{n}</p>"))

    await settle(lambda: len(fine.frames) == 3)
    assert fine.frames == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]
    assert broken.closed == [CLOSE_RECONNECT]  # sent to reconnect and catch up, once


async def test_a_close_message_closes_the_group_as_forbidden(hub, layer):
    person, other = Screen(), Screen()
    await hub.join(person, ["room-a", "person-7"])
    await hub.join(other, ["room-a", "person-8"])

    await layer.group_send("person-7", {"type": "screen.close", "group": "person-7"})

    await settle(lambda: person.closed)
    assert person.closed == [CLOSE_FORBIDDEN]
    assert other.closed == []


async def test_fast_updates_coalesce_to_the_first_at_once_and_the_newest_after(hub, layer):
    screen = Screen()
    await hub.join(screen, ["room-a"])

    for n in range(1, 6):
        await layer.group_send("room-a", message("room-a", f"<p>{n} answered</p>", "poll-1"))

    await settle(lambda: len(screen.frames) == 2)
    await asyncio.sleep(hub_module.COALESCE_SECONDS + 0.1)
    assert screen.frames == ["<p>1 answered</p>", "<p>5 answered</p>"]


async def test_a_group_left_leaves_nothing_of_its_coalescing_behind(hub, layer):
    leaving, staying = Screen(), Screen()
    await hub.join(leaving, ["room-a"])
    await hub.join(staying, ["room-b"])
    await layer.group_send("room-a", message("room-a", "<p>tally</p>", "poll-1"))
    await settle(lambda: leaving.frames)

    await hub.leave(leaving, ["room-a"])

    assert hub.channel is not None
    assert not [sent for sent in hub.last_sent if sent[0] == "room-a"]


async def test_coalescing_never_reorders_what_a_screen_is_sent(hub, layer):
    screen = Screen()
    await hub.join(screen, ["room-a"])

    await layer.group_send("room-a", message("room-a", "<p>tally 1</p>", "poll-1"))
    await layer.group_send("room-a", message("room-a", "<p>tally 2</p>", "poll-1"))
    await layer.group_send("room-a", message("room-a", "<p>poll closed</p>"))
    await layer.group_send("room-a", message("room-a", "<p>other tally</p>", "poll-2"))

    await settle(lambda: len(screen.frames) == 4)
    assert screen.frames == [
        "<p>tally 1</p>",
        "<p>tally 2</p>",
        "<p>poll closed</p>",
        "<p>other tally</p>",
    ]


async def test_updates_spaced_wider_than_the_window_all_arrive(hub, layer, monkeypatch):
    monkeypatch.setattr(hub_module, "COALESCE_SECONDS", 0.05)
    screen = Screen()
    await hub.join(screen, ["room-a"])

    for n in range(4):
        await layer.group_send("room-a", message("room-a", f"<p>{n}</p>", "poll-1"))
        await asyncio.sleep(0.08)

    await settle(lambda: len(screen.frames) == 4)


class LosingLayer(InMemoryChannelLayer):
    """An in-memory layer that can be told to fail sends or silently drop messages."""

    def __init__(self) -> None:
        super().__init__(capacity=10_000)
        self.refuse = False
        self.drop = False

    async def send(self, channel, message):
        if self.refuse:
            raise ConnectionError("Connection refused")
        if self.drop:
            return
        await super().send(channel, message)


@pytest.fixture
async def fragile(monkeypatch):
    monkeypatch.setattr(hub_module, "BEAT_SECONDS", 0.05)
    layer = LosingLayer()
    hub = Hub(layer)
    yield hub, layer
    if hub.channel is not None:
        await hub._stop()


async def test_a_layer_that_refuses_sends_sends_every_screen_to_reconnect(fragile, caplog):
    hub, layer = fragile
    screens = [Screen(), Screen()]
    for screen in screens:
        await hub.join(screen, ["room-a"])
    await settle(lambda: hub.beats_seen >= 1)

    with caplog.at_level(logging.ERROR, logger="summit.live"):
        layer.refuse = True
        await settle(lambda: all(s.closed for s in screens))

    assert all(screen.closed[0] == CLOSE_RECONNECT for screen in screens)
    assert "Live updates interrupted" in caplog.text


async def test_screens_are_refused_during_an_outage_and_welcome_after(fragile, caplog):
    hub, layer = fragile
    screen = Screen()
    await hub.join(screen, ["room-a"])
    layer.refuse = True
    await settle(lambda: screen.closed)

    with pytest.raises(ConnectionError):
        await hub.join(Screen(), ["room-a"])
    layer.refuse = False
    await settle(lambda: not hub.outage)
    await hub.join(Screen(), ["room-a"])

    assert "Live updates restored" in caplog.text


async def test_a_message_lost_in_the_layer_sends_every_screen_to_reconnect(fragile, caplog):
    hub, layer = fragile
    screen = Screen()
    await hub.join(screen, ["room-a"])
    await settle(lambda: hub.beats_seen >= 1)

    layer.drop = True  # a beat vanishes, as pub/sub messages do while a subscriber reconnects
    await asyncio.sleep(hub_module.BEAT_SECONDS * 3)
    layer.drop = False

    await settle(lambda: screen.closed)
    assert screen.closed[0] == CLOSE_RECONNECT
    assert "went missing" in caplog.text


async def test_a_healthy_layer_never_sends_screens_to_reconnect(fragile):
    hub, _ = fragile
    screen = Screen()
    await hub.join(screen, ["room-a"])

    await asyncio.sleep(hub_module.BEAT_SECONDS * 10)

    assert hub.beats_seen >= 5
    assert screen.closed == []


async def test_one_hub_per_event_loop_and_layer(layer):
    assert hub_for(layer) is hub_for(layer)
    assert hub_for(layer) is not hub_for(InMemoryChannelLayer())


@pytest.mark.django_db(transaction=True)
async def test_a_screen_is_refused_for_now_while_the_layer_is_down(
    breakout, attendee, monkeypatch, caplog
):
    async def unreachable(group, channel):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(get_channel_layer(), "group_add", unreachable)
    socket = await socket_for(f"/ws/breakouts/{breakout.pk}/", attendee)

    connected, _ = await socket.connect()

    assert not connected
    assert "channel layer is unreachable" in caplog.text
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_push_while_the_layer_is_down_is_logged_and_the_write_stands(monkeypatch, caplog):
    async def unreachable(group, message):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(get_channel_layer(), "group_send", unreachable)

    live.push([("room-a", "<p>lost</p>")])

    assert "Live updates not sent" in caplog.text


@pytest.mark.django_db(transaction=True)
async def test_two_screens_of_one_process_share_one_hub(breakout, attendee, facilitator):
    member = await socket_for(f"/ws/breakouts/{breakout.pk}/", attendee)
    console = await socket_for(f"/ws/breakouts/{breakout.pk}/", facilitator)
    assert (await member.connect())[0]
    assert (await console.connect())[0]

    hub = hub_for(get_channel_layer())
    screens = {s for members in hub.members.values() for s in members}
    assert len(screens) == 2
    # The screens' groups are in their language already: sent as they are.
    await sync_to_async(live.send)(
        [(group, f"<p>{group}</p>") for group in hub.members if group.startswith("breakout")]
    )
    assert (await member.receive_from(timeout=3)).startswith("<p>breakout")
    assert (await console.receive_from(timeout=3)).startswith("<p>breakout")
    await member.disconnect()
    await console.disconnect()
    assert hub.channel is None


@pytest.mark.django_db(transaction=True)
async def test_pushes_go_straight_to_the_server_past_the_session_middleware(
    breakout, attendee, settings
):
    settings.LIVE_FAST_PATH = True  # a shortcut of the fast path; the plain one keeps to Channels
    member = await socket_for(f"/ws/breakouts/{breakout.pk}/", attendee)
    assert (await member.connect())[0]

    hub = hub_for(get_channel_layer())
    [screen] = {s for members in hub.members.values() for s in members}
    assert screen.push_send is screen.scope["server_send"]
    assert screen.push_send is not screen.base_send
    await member.disconnect()


# Frames written straight to daphne's sockets


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_text_frame_is_the_standard_unmasked_frame(size):
    html = ("é" + "x" * size)[:size] if size else ""
    expected = Frame(Opcode.TEXT, html.encode()).serialize(mask=False)
    assert text_frame(html) == expected


@pytest.fixture
def daphne_like_socket():
    """A WebSocket protocol over a real TCP-like socket pair, as daphne holds one once the
    handshake is done, and the reply function daphne gives the app for it."""

    async def handle_reply(protocol, message) -> None:
        raise AssertionError("the frame should have been written straight to the socket")

    with daphne_like(handle_reply) as connection:
        yield connection


def test_frame_goes_straight_to_an_open_daphne_socket_in_order(daphne_like_socket):
    _protocol, reactor, client, send = daphne_like_socket
    write = frame_writer(send)
    frames = [text_frame(f"<p>{n}</p>") for n in range(3)]

    assert all(write(frame) for frame in frames)

    assert client.recv(1000) == b"".join(frames)
    assert reactor.writers == []  # nothing left for the loop to write later


def test_frame_waits_behind_what_the_socket_has_not_yet_sent(daphne_like_socket):
    protocol, reactor, client, send = daphne_like_socket
    write = frame_writer(send)
    # Buffered by Twisted's own write, as when the socket was full.
    Connection.write(protocol.transport, b"earlier")

    assert write(text_frame("later"))

    assert not _ready(client)  # nothing jumps the queue
    assert protocol.transport._tempDataBuffer == [b"earlier", text_frame("later")]
    assert reactor.writers == [protocol.transport]


def test_the_connections_own_writes_go_straight_to_the_socket_too(daphne_like_socket):
    protocol, reactor, client, send = daphne_like_socket
    from autobahn.twisted.websocket import WebSocketServerFactory
    from autobahn.websocket.protocol import TrafficStats

    # What autobahn sets on a protocol as its connection is made.
    protocol.factory = WebSocketServerFactory()
    for name in protocol.CONFIG_ATTRS:
        setattr(protocol, name, getattr(protocol.factory, name))
    protocol.trafficStats = TrafficStats()
    frame_writer(send)

    protocol.sendPing(b"beat")  # as daphne's keepalive does every few seconds

    assert client.recv(1000) == b"\x89\x04beat"
    assert reactor.writers == []


def test_what_the_socket_cannot_take_at_once_waits_for_the_loop(daphne_like_socket):
    protocol, reactor, _client, send = daphne_like_socket
    write = frame_writer(send)
    frame = text_frame("x" * 5_000_000)  # more than a socket pair's buffer holds

    assert write(frame)
    assert write(text_frame("after"))

    sent = len(frame) - protocol.transport._tempDataLen + len(text_frame("after"))
    assert 0 < sent < len(frame)
    assert reactor.writers == [protocol.transport]
    assert protocol.transport._tempDataBuffer[-1] == text_frame("after")


def _ready(sock) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def test_frame_left_to_asgi_when_the_socket_is_not_open_or_not_daphnes(daphne_like_socket):
    protocol, _reactor, client, send = daphne_like_socket
    write = frame_writer(send)
    protocol.state = protocol.STATE_CLOSING
    assert write(text_frame("late")) is False
    assert not _ready(client)

    async def other_send(message) -> None:
        pass

    assert frame_writer(other_send) is None
    assert frame_writer(functools.partial(other_send)) is None


class FrameScreen(Screen):
    """A screen whose socket takes ready-made frames, or (``open=False``) not yet."""

    def __init__(self, open: bool = True) -> None:
        super().__init__()
        self.raw: list[bytes] = []
        self.open = open

    def write_frame(self, frame: bytes) -> bool:
        if self.open:
            self.raw.append(frame)
        return self.open


async def test_hub_writes_one_ready_made_frame_to_every_socket_that_takes_it():
    hub = Hub(InMemoryChannelLayer())
    direct, opening, plain = FrameScreen(), FrameScreen(open=False), Screen()
    for screen in (direct, opening, plain):
        await hub.join(screen, ["room"])
    try:
        await hub.layer.group_send("room", message("room", "<p>é</p>"))
        await settle(lambda: plain.frames and opening.frames)
        assert direct.raw == [text_frame("<p>é</p>")]
        assert direct.frames == []
        assert opening.frames == plain.frames == ["<p>é</p>"]
    finally:
        for screen in (direct, opening, plain):
            await hub.leave(screen, ["room"])

"""What the live fast path relies on inside daphne, Twisted, autobahn, Channels, Django and
asgiref, proven on the versions installed; and the plain path it falls back to, by setting, on
unproven versions, and on any failure.

An upgrade that changes what the fast path relies on fails here: first the pins
(``pyproject.toml`` must say what ``PROVEN`` says), then the behaviour, on a real daphne server
in a process of its own, serving an app of this module's own to a real WebSocket client.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import RequestFactory

from summit.live import CLOSE_RECONNECT, Hub, text_frame
from summit.live.fast import frame_writer, http, socket_writers, sockets, switch
from tests.live_sockets import daphne_like

ROOT = Path(__file__).resolve().parents[1]

# What the fast path reads of autobahn's protocol and Twisted's connection (see its docstrings).
PROTOCOL_NAMES = ("state", "send_queue", "STATE_OPEN", "transport")
TRANSPORT_NAMES = ("offset", "dataBuffer", "_tempDataLen", "socket", "connected", "disconnecting")
TEMP_LEN = "_tempDataLen"
# More than a loopback socket takes in one send, so the rest must wait in Twisted's buffer.
BIG = "x" * 8_000_000
REPORT = "LIVE_CONTRACT_REPORT"


@pytest.fixture
def fresh_switch(monkeypatch):
    """The fast path as a process finds it when it starts: nothing checked, nothing failed."""
    monkeypatch.setattr(switch, "state", switch.State())
    return switch


# The pins


def test_pins_in_pyproject_are_the_ranges_the_fast_path_was_proven_on():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {
        re.match(r"[A-Za-z0-9_.-]+", pin).group().lower(): pin for pin in project["dependencies"]
    }

    assert {name: pins.get(name) for name in switch.PROVEN} == {
        name: f"{name}>={low},<{high}" for name, (low, high) in switch.PROVEN.items()
    }


def test_the_installed_libraries_are_inside_the_proven_ranges():
    assert switch.unproven() == []


def test_versions_are_compared_as_numbers_not_as_text():
    assert switch.release("26.10.0") >= switch.release("26.10")
    assert switch.release("26.10.0") < switch.release("26.11")
    assert switch.release("4.10") > switch.release("4.9")  # "4.10" < "4.9" as text
    assert switch.release("3.13.0rc1") == (3, 13, 0)


# Choosing the path


@pytest.fixture
def daphne_socket():
    """An open WebSocket protocol over a socket pair, as daphne holds one once the handshake is
    done, and the ``send`` daphne gives the app for it."""

    async def handle_reply(protocol, message) -> None:
        pass

    with daphne_like(handle_reply) as connection:
        yield connection


def test_with_the_fast_path_off_the_plain_path_is_taken_and_nothing_is_patched(
    fresh_switch, settings, daphne_socket
):
    settings.LIVE_FAST_PATH = False
    protocol, _reactor, _client, send = daphne_socket

    assert socket_writers({"server_send": send}) is None
    assert "write" not in vars(protocol.transport)  # Twisted's own write, untouched
    assert type(http.http_application()) is ASGIHandler


def test_with_the_fast_path_on_a_daphne_socket_takes_it(fresh_switch, settings, daphne_socket):
    settings.LIVE_FAST_PATH = True
    _protocol, _reactor, client, send = daphne_socket

    server_send, write_frame = socket_writers({"server_send": send})

    assert server_send is send
    assert write_frame(text_frame("<p>straight</p>"))
    assert client.recv(100) == text_frame("<p>straight</p>")
    assert isinstance(http.http_application(), http.Handler)


@pytest.mark.parametrize(
    ("library", "version"),
    [("twisted", "26.11.0"), ("daphne", "4.1.9"), ("autobahn", "27.1.0"), ("django", "6.2")],
)
def test_versions_outside_the_proven_ranges_take_the_plain_path_with_one_warning(
    fresh_switch, settings, monkeypatch, caplog, daphne_socket, library, version
):
    settings.LIVE_FAST_PATH = True
    installed = switch.installed_version
    monkeypatch.setattr(
        switch, "installed_version", lambda name: version if name == library else installed(name)
    )
    protocol, _reactor, _client, send = daphne_socket

    assert socket_writers({"server_send": send}) is None
    assert socket_writers({"server_send": send}) is None
    assert type(http.http_application()) is ASGIHandler

    assert "write" not in vars(protocol.transport)
    low, high = switch.PROVEN[library]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"{library} {version}, proven on >={low},<{high}" in warnings[0]
    assert "Channels' and Django's own path" in warnings[0]


@pytest.mark.django_db(transaction=True)
async def test_with_the_fast_path_off_pushes_go_through_channels_own_send(
    fresh_switch, settings, breakout, attendee
):
    from channels.layers import get_channel_layer

    from summit import live
    from tests.conftest import socket_for

    settings.LIVE_FAST_PATH = False
    member = await socket_for(f"/ws/breakouts/{breakout.pk}/", attendee)
    assert (await member.connect())[0]

    hub = live.hub_for(get_channel_layer())
    [screen] = {s for members in hub.members.values() for s in members}
    await sync_to_async(live.send)(
        [(group, "<p>plain</p>") for group in hub.members if group.startswith("breakout")]
    )

    assert screen.push_send == screen.send_through_channels
    assert screen.write_frame is None
    assert await member.receive_from(timeout=3) == "<p>plain</p>"
    await member.disconnect()


# Failing at run time


class FastScreen:
    """Stands in for a consumer on the fast path; ``fail`` is what its frame writer raises."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.raw: list[bytes] = []
        self.frames: list[str] = []
        self.closed: list[int] = []
        self.fail = fail

    def write_frame(self, frame: bytes) -> bool:
        if self.fail is not None:
            raise self.fail
        self.raw.append(frame)
        return True

    async def push_send(self, message: dict) -> None:
        self.frames.append(message["text"])

    async def close(self, code: int | None = None) -> None:
        self.closed.append(code)


class PlainScreen(FastScreen):
    """Stands in for a consumer on the plain path; ``fail`` is what its send raises."""

    write_frame = None

    async def push_send(self, message: dict) -> None:
        if self.fail is not None:
            raise self.fail
        self.frames.append(message["text"])


async def _push_twice(screens) -> None:
    hub = Hub(InMemoryChannelLayer())
    for screen in screens:
        await hub.join(screen, ["room"])
    try:
        for n in range(2):
            await hub.layer.group_send(
                "room", {"type": "push.html", "group": "room", "html": f"<p>{n}</p>"}
            )
        async with asyncio.timeout(3):
            while not all(len(s.raw) + len(s.frames) == 2 or s.closed for s in screens):
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
    finally:
        for screen in screens:
            await hub.leave(screen, ["room"])


async def test_a_fast_write_that_raises_warns_once_and_sends_that_screen_to_reconnect(
    fresh_switch, settings, caplog
):
    settings.LIVE_FAST_PATH = True
    assert switch.enabled()
    renamed = AttributeError("'Connection' object has no attribute 'offset'")
    broken = [FastScreen(fail=renamed), FastScreen(fail=renamed)]
    fast, plain = FastScreen(), PlainScreen()

    await _push_twice([*broken, fast, plain])

    assert [screen.closed for screen in broken] == [[CLOSE_RECONNECT], [CLOSE_RECONNECT]]
    assert fast.raw == [text_frame("<p>0</p>"), text_frame("<p>1</p>")]
    assert plain.frames == ["<p>0</p>", "<p>1</p>"]
    assert fast.closed == plain.closed == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "live fast path failed while writing a push" in warnings[0]
    assert not switch.enabled()  # what joins from now on takes the plain path


async def test_a_plain_write_that_raises_warns_and_sends_that_screen_to_reconnect(caplog):
    broken, fine = PlainScreen(fail=ConnectionResetError("gone")), PlainScreen()

    await _push_twice([broken, fine])

    assert broken.closed == [CLOSE_RECONNECT]
    assert fine.frames == ["<p>0</p>", "<p>1</p>"]
    assert [r.levelno for r in caplog.records if "Could not send a push" in r.getMessage()] == [
        logging.WARNING
    ]


def test_a_socket_write_past_twisted_that_raises_takes_twisteds_own_and_reconnects(
    fresh_switch, settings, caplog, daphne_socket
):
    settings.LIVE_FAST_PATH = True
    protocol, reactor, _client, send = daphne_socket
    write = frame_writer(send)
    protocol.transport.dataBuffer = None  # as if Twisted kept its buffer some other way

    assert write(text_frame("kept"))

    transport = protocol.transport
    assert "write" not in vars(transport)  # Twisted's own write from now on
    assert reactor.writers == [transport]  # the frame waits in Twisted's buffer, not lost
    assert not switch.enabled()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    closes = []
    protocol.sendClose = lambda code=None, reason=None: closes.append(code)
    [(func, args, kwargs)] = reactor.later
    func(*args, **kwargs)
    assert closes == [CLOSE_RECONNECT]


def test_an_http_handler_django_no_longer_builds_as_assumed_gives_djangos_own(
    fresh_switch, settings, monkeypatch, caplog
):
    settings.LIVE_FAST_PATH = True

    def init_without_async(self) -> None:
        self.load_middleware()  # a Django that stopped asking for an async chain

    monkeypatch.setattr(ASGIHandler, "__init__", init_without_async)

    assert type(http.http_application()) is ASGIHandler
    assert "building the HTTP handler" in caplog.text


# Django's and Channels' side of the contract


def test_django_asks_for_an_async_middleware_chain_and_awaits_it(rf: RequestFactory):
    asked = []

    class Recording(ASGIHandler):
        def load_middleware(self, is_async: bool = False) -> None:
            asked.append(is_async)
            super().load_middleware(is_async=is_async)

    Recording()
    plain = BaseHandler()
    plain.load_middleware(is_async=False)
    chain = "_middleware_chain"

    assert asked == [True]
    assert not inspect.iscoroutinefunction(getattr(plain, chain))
    answer = HttpResponse("from the chain")

    async def whole_chain(request):
        return answer

    setattr(plain, chain, whole_chain)
    assert asyncio.run(plain.get_response_async(rf.get("/"))) is answer


@pytest.mark.django_db
async def test_channels_session_middleware_needs_nothing_from_a_push(monkeypatch):
    """Pushes on the fast path skip the session middleware's wrapping of ``send``."""
    from channels.sessions import InstanceSessionWrapper, SessionMiddlewareStack
    from channels.testing import WebsocketCommunicator

    saved = []

    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        scope["session"]["seen"] = True  # a changed session, as a push's wrapper would see
        saved.clear()
        await send({"type": "websocket.send", "text": "push"})
        await receive()

    original = InstanceSessionWrapper.save_session

    async def save_session(self):
        saved.append(True)
        await original(self)

    monkeypatch.setattr(InstanceSessionWrapper, "save_session", save_session)
    socket = WebsocketCommunicator(SessionMiddlewareStack(app), "/")
    assert (await socket.connect())[0]

    assert await socket.receive_output(timeout=3) == {"type": "websocket.send", "text": "push"}
    await socket.disconnect()
    assert saved == []


# daphne, Twisted and autobahn, for real


async def contract_app(scope, receive, send):
    """An app of this module's own, served by daphne in the test below: it takes the fast path
    on its one socket and writes down what it found in the file named by LIVE_CONTRACT_REPORT."""
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    facts = await _exercise(send)
    Path(os.environ[REPORT]).write_text(json.dumps(facts))
    await receive()


async def _exercise(send) -> dict:
    from autobahn.websocket.protocol import WebSocketProtocol
    from twisted.internet.tcp import Connection

    protocol = next(iter(getattr(send, "args", ())), None)
    transport = getattr(protocol, "transport", None)
    missing = [f"protocol.{n}" for n in PROTOCOL_NAMES if not hasattr(protocol, n)]
    missing += [f"transport.{n}" for n in TRANSPORT_NAMES if not hasattr(transport, n)]
    facts = {
        "daphne's send": isinstance(send, functools.partial),
        "autobahn's protocol": isinstance(protocol, WebSocketProtocol),
        "twisted's connection": isinstance(transport, Connection),
        "missing": missing,
        "the handshake's answer went out": await _drained(transport),
        "open once accepted": protocol.state == WebSocketProtocol.STATE_OPEN
        and not protocol.send_queue
        and bool(transport.connected)
        and not transport.disconnecting,
    }
    write = frame_writer(send)
    facts["a frame writer"] = write is not None
    facts["the connection writes through"] = (
        getattr(transport.write, "func", None) is sockets._write_through
    )
    wrote = [write(text_frame("1 fast"))]
    await send({"type": "websocket.send", "text": "2 daphne"})
    wrote.append(write(text_frame("3 fast")))
    wrote.append(write(text_frame(BIG)))
    facts["what the socket cannot take waits"] = _waiting(transport) > 0
    wrote.append(write(text_frame("5 fast")))
    await send({"type": "websocket.send", "text": "6 daphne"})
    facts["every write taken"] = wrote == [True, True, True, True]
    facts["all of it went out"] = await _drained(transport)
    await send({"type": "websocket.close", "code": CLOSE_RECONNECT})
    facts["closing is not open"] = protocol.state != WebSocketProtocol.STATE_OPEN
    facts["closing is left to daphne"] = write(text_frame("too late")) is False
    return facts


def _waiting(transport) -> int:
    """What Twisted holds for this connection and has not written yet."""
    return len(transport.dataBuffer) - transport.offset + getattr(transport, TEMP_LEN)


async def _drained(transport, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _waiting(transport):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def test_daphne_serves_the_fast_path_as_it_assumes(tmp_path):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    report, log = tmp_path / "report.json", tmp_path / "daphne.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", REPORT: str(report)}
    app = f"{__name__}:contract_app"
    with open(log, "w") as out:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "0", app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        port = _listening_port(server, log)
        received, closed = [], None
        with connect(f"ws://127.0.0.1:{port}/", max_size=None, open_timeout=10) as client:
            try:
                while True:
                    received.append(client.recv(timeout=10))
            except ConnectionClosed as error:
                closed = error.rcvd.code if error.rcvd else None
        facts = json.loads(report.read_text()) if report.exists() else None
    finally:
        server.kill()
        server.wait(timeout=10)

    assert facts is not None, log.read_text()
    assert received == ["1 fast", "2 daphne", "3 fast", BIG, "5 fast", "6 daphne"]
    assert closed == CLOSE_RECONNECT
    assert facts.pop("missing") == []
    assert facts == dict.fromkeys(facts, True)


def _listening_port(server: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"Listening on TCP address 127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"daphne did not start:\n{log.read_text()}")

"""A WebSocket connection as daphne holds one once its handshake is done, over a real socket
pair, for the tests of the live path's frames (``test_fanout.py``, ``test_live_contract.py``)."""

from __future__ import annotations

import functools
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager


class Reactor:
    """Enough of a reactor for a Twisted connection that is never run."""

    def __init__(self) -> None:
        self.writers: list = []
        self.later: list = []

    def addWriter(self, writer) -> None:
        if writer not in self.writers:  # as a reactor does
            self.writers.append(writer)

    def removeWriter(self, writer) -> None:
        self.writers.remove(writer)

    def callLater(self, delay, func, *args, **kwargs) -> None:
        self.later.append((func, args, kwargs))


@contextmanager
def daphne_like(handle_reply: Callable[..., Awaitable[None]]) -> Iterator[tuple]:
    """An open autobahn protocol on a Twisted connection over a socket pair, the reactor, the
    client's end (failing rather than hanging on what never arrives), and the ``send`` daphne
    gives the app for the connection: ``functools.partial(handle_reply, protocol)``."""
    from autobahn.twisted.websocket import WebSocketServerProtocol
    from twisted.internet.tcp import Connection

    server, client = socket.socketpair()
    server.setblocking(False)
    client.settimeout(2)
    protocol = WebSocketServerProtocol()
    reactor = Reactor()
    protocol.transport = Connection(server, protocol, reactor=reactor)
    protocol.transport.connected = 1
    protocol.state = WebSocketServerProtocol.STATE_OPEN
    protocol.send_queue = deque()
    try:
        yield protocol, reactor, client, functools.partial(handle_reply, protocol)
    finally:
        server.close()
        client.close()

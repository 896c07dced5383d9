"""Writing a push straight to the sockets daphne serves: the socket half of the fast path.

Through ASGI, each screen's copy of a push is a message of its own: encoded, framed, logged and
queued for the event loop to write when the socket is ready, which registers the socket with
the loop and takes it off again, every time. The frame is the same bytes for every screen, so
it is made once and written straight to each socket whose last write has gone out; and the
connection's own writes (daphne's keepalive pings, closing frames) go straight to it too.

What this relies on, proven on the versions in ``switch.PROVEN``:

- daphne gives the app ``functools.partial(Server.handle_reply, protocol)`` as a WebSocket's
  ``send``, ``protocol`` being autobahn's WebSocket protocol over a Twisted TCP ``Connection``;
- autobahn's ``protocol.state`` is ``STATE_OPEN`` from the handshake until a close begins, and
  its ``send_queue`` holds writes it has put off (which must go first);
- Twisted's ``Connection`` holds what it has not written yet in ``dataBuffer`` from ``offset``
  on, then in a list of ``_tempDataLen`` bytes; its ``socket``, ``connected`` and
  ``disconnecting`` mean what they say; and its class's ``write`` buffers behind all that.
"""

from __future__ import annotations

import functools
import struct

from summit.live.codes import CLOSE_RECONNECT
from summit.live.fast.switch import enabled, failed


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


def socket_writers(scope: dict):
    """How a screen joining now is written to on the fast path: ``(send, write_frame)``, the
    server's own ``send`` (past the session middleware, see ``summit.live.Serving``) and a
    writer of ready-made frames, or ``None`` where daphne does not serve the socket over plain
    TCP. ``None`` instead of the pair: the plain path, Channels' own send."""
    send = scope.get("server_send")
    if send is None or not enabled():
        return None
    try:
        return send, frame_writer(send)
    except Exception as error:  # nothing sent yet: this screen simply takes the plain path
        failed(error, "preparing a screen's socket")
        return None


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
    try:
        direct = (
            transport.offset == len(transport.dataBuffer)
            and not transport._tempDataLen
            and transport.connected
            and not transport.disconnecting
        )
        sock = transport.socket
    except Exception as error:  # Twisted has changed inside: its own write from now on
        _stop_writing_through(transport, error)
        direct = False
    if not direct:
        # Behind what is still waiting to go; or closing, where Twisted knows what to do.
        write(transport, data)
        return
    try:
        sent = sock.send(data)
    except BlockingIOError:
        sent = 0
    except OSError:
        write(transport, data)  # Twisted finds the error and closes the connection
        return
    if sent < len(data):
        write(transport, data[sent:])  # the rest when the socket can take it


def _stop_writing_through(transport, error: Exception) -> None:
    """Give the connection Twisted's own write back and have its screen reconnect, which it
    then does on the plain path: nothing of this write is lost (Twisted's write takes it), but
    the frame writer of this connection rests on what just failed."""
    transport.__dict__.pop("write", None)
    failed(error, "writing to a socket ahead of Twisted's buffer")
    protocol, reactor = getattr(transport, "protocol", None), getattr(transport, "reactor", None)
    if protocol is not None and reactor is not None:
        # Later, not now: this write may be part of a frame autobahn is still sending.
        reactor.callLater(0, _reconnect, protocol)


def _reconnect(protocol) -> None:
    try:
        protocol.sendClose(code=CLOSE_RECONNECT)
    except Exception as error:  # best effort: the connection may be closing already
        failed(error, "closing a socket whose writes failed")

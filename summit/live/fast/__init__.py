"""The fast path, and the one place in the app that reaches inside daphne, Twisted, autobahn,
Channels or Django.

Two shortcuts, each worth a share of a busy worker's time (``bench/README.md``):

- ``sockets``: a push is framed once and written straight to each socket daphne serves, and
  the connection's own writes go straight to the socket when nothing waits before them;
- ``http``: a request's middleware and view run in one trip to a thread kept for later.

Beside them, Channels' and Django's own supported path is always there, and is taken instead
(``switch``): when ``LIVE_FAST_PATH`` is off; when a library it relies on is installed outside
the versions it was proven on (``PROVEN``, pinned the same in ``pyproject.toml``); and from the
moment the fast path raises in a way that says it cannot work in this process. A screen whose
write fails is closed with ``CLOSE_RECONNECT``, so it reconnects and catches up. An upgrade can
slow the app down, then, but never silence it.
"""

from __future__ import annotations

from summit.live.fast.http import Handler, RequestThread, http_application
from summit.live.fast.sockets import frame_writer, socket_writers, text_frame
from summit.live.fast.switch import PROVEN, enabled, failed

__all__ = [
    "PROVEN",
    "Handler",
    "RequestThread",
    "enabled",
    "failed",
    "frame_writer",
    "http_application",
    "socket_writers",
    "text_frame",
]

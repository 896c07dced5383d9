"""The codes a screen's socket is closed with, in the 4000 range WebSocket leaves to
applications. The htmx extension reconnects only after abnormal closures, so a refused screen
does not retry; ``summit.js`` reopens a socket closed with ``CLOSE_RECONNECT``."""

from __future__ import annotations

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_UNEXPECTED_MESSAGE = 4400
# "Reconnect and catch up": summit.js reopens the socket after a short random pause and fetches
# what it missed. (The standard 1012 would do, but daphne's WebSocket library lets a server send
# only 1000 and 3000-4999.)
CLOSE_RECONNECT = 4012

from __future__ import annotations

from breakouts.routing import websocket_urlpatterns as breakout_sockets
from plenary.routing import websocket_urlpatterns as plenary_sockets

websocket_urlpatterns = [*breakout_sockets, *plenary_sockets]

from __future__ import annotations

from breakouts.routing import websocket_urlpatterns as breakout_sockets

websocket_urlpatterns = [*breakout_sockets]

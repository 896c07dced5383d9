from __future__ import annotations

from django.urls import path

from breakouts.consumers import BreakoutConsumer

websocket_urlpatterns = [
    path("ws/breakouts/<int:breakout_id>/", BreakoutConsumer.as_asgi()),
]

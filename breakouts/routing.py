from __future__ import annotations

from django.urls import path

from breakouts.consumers import BreakoutConsumer, BreakoutScreenConsumer

websocket_urlpatterns = [
    path("ws/breakouts/<int:breakout_id>/", BreakoutConsumer.as_asgi()),
    path("ws/screens/breakouts/<str:key>/", BreakoutScreenConsumer.as_asgi()),
]

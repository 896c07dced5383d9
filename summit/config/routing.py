from __future__ import annotations

from django.urls import path

from breakouts.routing import websocket_urlpatterns as breakout_sockets
from plenary.routing import websocket_urlpatterns as plenary_sockets
from summit.organise.consumers import PublicSummaryConsumer, WhatWeDidConsumer
from summit.synthesis.routing import websocket_urlpatterns as synthesis_sockets

websocket_urlpatterns = [
    *breakout_sockets,
    *plenary_sockets,
    *synthesis_sockets,
    path("ws/summits/<slug:slug>/actions/", WhatWeDidConsumer.as_asgi()),
    path("ws/public/<str:key>/", PublicSummaryConsumer.as_asgi()),
]

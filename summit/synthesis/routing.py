from __future__ import annotations

from django.urls import path

from summit.synthesis.consumers import SynthesisConsumer

websocket_urlpatterns = [
    path("ws/synthesis/<slug:slug>/<int:subtheme_id>/", SynthesisConsumer.as_asgi()),
]

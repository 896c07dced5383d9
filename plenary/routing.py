from __future__ import annotations

from django.urls import path

from plenary.consumers import PlenaryConsumer, PlenaryScreenConsumer

websocket_urlpatterns = [
    path("ws/plenary/<slug:slug>/", PlenaryConsumer.as_asgi()),
    path("ws/screens/plenary/<str:key>/", PlenaryScreenConsumer.as_asgi()),
]

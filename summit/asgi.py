"""ASGI entry point: HTTP through Django, WebSockets through Channels with the session's user."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from summit.live import NoSuchScreen, Serving  # noqa: E402
from summit.routing import websocket_urlpatterns  # noqa: E402

# Every screen's address, then anything else, refused.
sockets = [*websocket_urlpatterns, re_path(r"", NoSuchScreen.as_asgi())]

application = Serving(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(sockets))),
        }
    )
)

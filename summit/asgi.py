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


class ServerSend:
    """Keeps the server's own ``send`` in a socket's scope. The session middleware wraps every
    message a consumer sends, to save the session and set its cookie, which a push never
    needs: pushes go straight to the server (``summit/live.py``), at a third less cost."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "server_send": send}, receive, send)


# Every screen's address, then anything else, refused.
sockets = [*websocket_urlpatterns, re_path(r"", NoSuchScreen.as_asgi())]

application = Serving(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": ServerSend(
                AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(sockets)))
            ),
        }
    )
)

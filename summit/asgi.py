"""ASGI entry point: HTTP through Django, WebSockets through Channels with the session's user."""

from __future__ import annotations

import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class Handler(ASGIHandler):
    """Django's ASGI handler, with the middleware and the view run in one trip to a thread.

    For ASGI Django builds its middleware around an async core, so with sync middleware (all
    of ours) each request went from the event loop to a thread for the middleware, back to the
    loop for the URL and the view's wrapper, and to the thread again for the view: a tenth of a
    busy worker's time went on these trips. Built as for WSGI and wrapped once, the whole chain
    runs in one."""

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        if is_async:
            self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
django.setup(set_prefix=False)
django_asgi_app = Handler()

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

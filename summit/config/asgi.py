"""ASGI entry point: HTTP through Django, WebSockets through Channels with the session's user.

The live package gives the HTTP handler and the outermost layer, on its fast path or on
Django's and Channels' own (``LIVE_FAST_PATH``; see ``summit/live/fast/``).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.config.settings")
django.setup(set_prefix=False)

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from summit.config.routing import websocket_urlpatterns  # noqa: E402
from summit.live import NoSuchScreen, Serving, http_application  # noqa: E402

# Every screen's address, then anything else, refused.
sockets = [*websocket_urlpatterns, re_path(r"", NoSuchScreen.as_asgi())]

application = Serving(
    ProtocolTypeRouter(
        {
            "http": http_application(),
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(sockets))),
        }
    )
)

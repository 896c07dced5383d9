"""ASGI entry point: HTTP through Django, WebSockets through Channels with the session's user."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# Threads kept for the next request; more requests than this at once get threads that end.
IDLE_THREADS = 64


class RequestThread(ThreadPoolExecutor):
    """The one thread a request's blocking work runs in, kept for a later request."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self.last = None

    def submit(self, fn, /, *args, **kwargs):
        self.last = super().submit(fn, *args, **kwargs)
        return self.last

    @property
    def idle(self) -> bool:
        """Whether everything given to it is done (one thread: in the order given)."""
        return self.last is None or self.last.done()


class Handler(ASGIHandler):
    """Django's ASGI handler, with the middleware and the view run in one trip to a thread,
    and that thread kept for later requests.

    For ASGI Django builds its middleware around an async core, so with sync middleware (all
    of ours) each request went from the event loop to a thread for the middleware, back to the
    loop for the URL and the view's wrapper, and to the thread again for the view. Built as
    for WSGI and wrapped once, the whole chain runs in one. And Django starts a new thread for
    each request; here a request takes a thread another has finished with."""

    def __init__(self) -> None:
        super().__init__()
        self.idle_threads: list[RequestThread] = []

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        if is_async:
            self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # refused, as Django does
        thread = self.idle_threads.pop() if self.idle_threads else RequestThread()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            self.hand_back(thread)

    def hand_back(self, thread: RequestThread) -> None:
        """Keep a request's thread for the next, unless it still has work to finish (a request
        whose client went away may leave its view running: the next would wait behind it)."""
        if thread.idle and len(self.idle_threads) < IDLE_THREADS:
            self.idle_threads.append(thread)
        else:
            thread.shutdown(wait=False)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.config.settings")
django.setup(set_prefix=False)
django_asgi_app = Handler()

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from summit.config.routing import websocket_urlpatterns  # noqa: E402
from summit.live import NoSuchScreen, Serving  # noqa: E402

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

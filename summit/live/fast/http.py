"""Django's ASGI handler with a request's middleware and view in one trip to a thread, and that
thread kept for later requests: the HTTP half of the fast path.

For ASGI Django builds its middleware around an async core, so with sync middleware (all of
ours) each request went from the event loop to a thread for the middleware, back to the loop
for the URL and the view's wrapper, and to the thread again for the view. Built as for WSGI and
wrapped once, the whole chain runs in one. And Django starts a new thread for each request;
here a request takes a thread another has finished with.

What this relies on, proven on the versions in ``switch.PROVEN``: Django's ``ASGIHandler``
calls ``load_middleware(is_async=True)`` as it is made, and its ``get_response_async`` awaits
``self._middleware_chain(request)``, which ``load_middleware(is_async=False)`` builds as a plain
function; asgiref runs thread-sensitive work inside ``ThreadSensitiveContext(executor=...)`` on
that executor's thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

from summit.live.fast.switch import enabled, failed

# Threads kept for the next request; more requests than this at once get threads that end.
IDLE_THREADS = 64


def http_application() -> ASGIHandler:
    """The app's HTTP handler: the fast one when the fast path is on, Django's own otherwise
    (and when the fast one cannot be built on the Django installed)."""
    if enabled():
        try:
            return Handler()
        except Exception as error:
            failed(error, "building the HTTP handler")
    return ASGIHandler()


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
    and that thread kept for later requests."""

    def __init__(self) -> None:
        self.idle_threads: list[RequestThread] = []
        self.chain_in_one_trip = False
        super().__init__()
        if not self.chain_in_one_trip:
            # Django no longer asks for an async chain: the plain one would never be awaited.
            raise TypeError("Django's ASGI handler did not load its middleware for async use")

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        if is_async:
            chain = self._middleware_chain
            if not callable(chain):
                raise TypeError("Django's middleware chain is not where it was")
            self._middleware_chain = sync_to_async(chain, thread_sensitive=True)
            self.chain_in_one_trip = True

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

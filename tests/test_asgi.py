"""HTTP through the fast path's ASGI handler (``summit/live/fast/http.py``)."""

from __future__ import annotations

import threading

import pytest
from asgiref.sync import AsyncToSync
from asgiref.testing import ApplicationCommunicator
from django.urls import reverse

import summit.config.asgi  # noqa: F401  (sets Django up as the app does)
from summit.live.fast.http import Handler, RequestThread, http_application
from summit.web.outages import DatabaseOutageMiddleware


def _scope(path: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


@pytest.fixture
def handler(settings) -> Handler:
    """The app's HTTP handler on the fast path, as ``summit/config/asgi.py`` asks for it."""
    settings.LIVE_FAST_PATH = True
    return http_application()


async def _get(handler: Handler, path: str) -> tuple[int, bytes]:
    communicator = ApplicationCommunicator(handler, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=5)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=5)  # the request's own ending, after its answer
    return start["status"], body


@pytest.mark.django_db(transaction=True)
async def test_a_request_runs_its_middleware_and_view_in_one_trip_to_a_thread(handler, monkeypatch):
    # Django's own ASGI handler goes from the thread running the middleware back to the event
    # loop (AsyncToSync) and out to a thread again for the view, on every request.
    back_to_the_loop = []
    call = AsyncToSync.__call__

    def counted(self, *args, **kwargs):
        back_to_the_loop.append(threading.current_thread().name)
        return call(self, *args, **kwargs)

    monkeypatch.setattr(AsyncToSync, "__call__", counted)

    status, body = await _get(handler, reverse("login"))

    assert status == 200
    assert b"<h1>Sign in" in body
    assert back_to_the_loop == []


@pytest.mark.django_db(transaction=True)
async def test_a_request_takes_the_thread_an_earlier_one_finished_with(handler, monkeypatch):
    threads = []
    call = DatabaseOutageMiddleware.__call__

    def noted(self, request):
        threads.append(threading.current_thread())
        return call(self, request)

    monkeypatch.setattr(DatabaseOutageMiddleware, "__call__", noted)

    first, _ = await _get(handler, reverse("login"))
    started = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", _no_new_thread)
    second, _ = await _get(handler, reverse("login"))
    monkeypatch.setattr(threading.Thread, "start", started)

    assert first == second == 200
    assert threads[0] is threads[1]
    assert threads[0].name.startswith("request")


def _no_new_thread(self) -> None:
    raise AssertionError(f"a new thread was started: {self.name}")


def test_a_request_thread_still_busy_is_not_idle():
    thread = RequestThread()
    release = threading.Event()
    assert thread.idle

    running = thread.submit(release.wait, 5)
    assert not thread.idle

    release.set()
    running.result(timeout=5)
    assert thread.idle
    thread.shutdown()


def test_a_thread_still_busy_is_not_kept_for_the_next_request():
    handler = Handler()
    release = threading.Event()
    busy, done = RequestThread(), RequestThread()
    busy.submit(release.wait, 5)  # a view still running after its client went away
    done.submit(int).result(timeout=5)

    handler.hand_back(busy)
    handler.hand_back(done)
    release.set()

    assert handler.idle_threads == [done]
    busy.shutdown()
    done.shutdown()


def test_threads_beyond_the_idle_limit_end(monkeypatch):
    monkeypatch.setattr("summit.live.fast.http.IDLE_THREADS", 1)
    handler = Handler()
    kept, extra = RequestThread(), RequestThread()

    handler.hand_back(kept)
    handler.hand_back(extra)

    assert handler.idle_threads == [kept]
    assert extra._shutdown
    kept.shutdown()

"""HTTP through the app's own ASGI handler (``summit/asgi.py``)."""

from __future__ import annotations

import threading

import pytest
from asgiref.sync import AsyncToSync
from asgiref.testing import ApplicationCommunicator
from django.urls import reverse

from summit.asgi import application


async def _get(path: str) -> tuple[int, bytes]:
    scope = {
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
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=5)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    return start["status"], body


@pytest.mark.django_db(transaction=True)
async def test_a_request_runs_its_middleware_and_view_in_one_trip_to_a_thread(monkeypatch):
    # Django's own ASGI handler goes from the thread running the middleware back to the event
    # loop (AsyncToSync) and out to a thread again for the view, on every request.
    back_to_the_loop = []
    call = AsyncToSync.__call__

    def counted(self, *args, **kwargs):
        back_to_the_loop.append(threading.current_thread().name)
        return call(self, *args, **kwargs)

    monkeypatch.setattr(AsyncToSync, "__call__", counted)

    status, body = await _get(reverse("login"))

    assert status == 200
    assert b"<h1>Sign in" in body
    assert back_to_the_loop == []

"""A lost database connection: a clear "try again" answer, never an error page, and the app
carries on once the database is back."""

from __future__ import annotations

import uuid

import pytest
from django.db import OperationalError
from django.urls import reverse

from breakouts import services
from breakouts.models import Idea
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def outage(monkeypatch):
    """The database refuses the write, as while PostgreSQL restarts."""

    def refuse(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr("breakouts.views.services.post_idea", refuse)


def _post(client, breakout, text: str, token: str, **headers):
    return client.post(
        reverse("breakouts:post_idea", args=[breakout.pk]),
        {"text": text, "client_token": token},
        **headers,
    )


def test_post_during_an_outage_says_try_again_and_logs_it(breakout, attendee, outage, caplog):
    response = _post(
        client_for(attendee),
        breakout,
        "Pool the budgets",
        str(uuid.uuid4()),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Try again in a moment" in body
    assert "your text is still in the form" in body
    assert "Database unavailable while serving POST" in caplog.text
    assert Idea.objects.count() == 0


def test_same_post_after_the_outage_goes_through_once(breakout, attendee, monkeypatch):
    client = client_for(attendee)
    token = str(uuid.uuid4())
    real = services.post_idea
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr("breakouts.views.services.post_idea", flaky)

    first = _post(client, breakout, "Pool the budgets", token, HTTP_HX_REQUEST="true")
    second = _post(client, breakout, "Pool the budgets", token, HTTP_HX_REQUEST="true")
    third = _post(client, breakout, "Pool the budgets", token, HTTP_HX_REQUEST="true")

    assert (first.status_code, second.status_code, third.status_code) == (503, 200, 200)
    assert Idea.objects.filter(text="Pool the budgets").count() == 1


def test_other_errors_are_not_dressed_up_as_outages(breakout, attendee, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("breakouts.views.services.post_idea", broken)
    client = client_for(attendee)
    client.raise_request_exception = False

    response = _post(client, breakout, "Pool the budgets", str(uuid.uuid4()))

    assert response.status_code == 500

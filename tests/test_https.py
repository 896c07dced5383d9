"""Headers and cookies as production serves them over HTTPS.

The production values are read from ``summit/config/settings.py`` itself, run with ``DEBUG=0`` and
no other switch set, and laid over the test settings for each test: what is checked here is
what a real deployment sends, not a copy of it. Requests arrive over HTTPS either directly
(``secure=True``) or from the TLS-terminating proxy the production settings trust.
"""

from __future__ import annotations

import re
import runpy
import uuid
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Participant
from breakouts.models import Comment, Idea, Vote
from plenary.models import Poll
from plenary.services import open_poll, plenary_for

ROOT = Path(__file__).resolve().parents[1]
HOST = "summit.example.org"
ORIGIN = f"https://{HOST}"
PASSWORD = "correct-horse-battery-staple"

# Switches that would move a production value away from its default.
_SWITCHES = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_PROXY",
    "DEMO_LOGIN",
)
# What production settings decide about headers, cookies, hosts and middleware; the rest
# (database, static storage, password hashing) stays as the tests have it.
_TAKEN = re.compile(
    r"^(DEBUG|ALLOWED_HOSTS|DEMO_LOGIN|MIDDLEWARE|X_FRAME_OPTIONS|SECURE_\w+|"
    r"SESSION_COOKIE_\w+|CSRF_\w+|WHITENOISE_ADD_HEADERS_FUNCTION)$"
)


def production_values(monkeypatch) -> dict:
    """The header, cookie and host settings ``summit/config/settings.py`` makes with DEBUG off."""
    for name in _SWITCHES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-" + "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", HOST)
    made = runpy.run_path(str(ROOT / "summit" / "config" / "settings.py"))
    return {name: value for name, value in made.items() if _TAKEN.match(name)}


@pytest.fixture
def production(monkeypatch):
    values = production_values(monkeypatch)
    with override_settings(**values):
        yield values


def https_client() -> Client:
    return Client(SERVER_NAME=HOST, HTTP_HOST=HOST)


@pytest.fixture
def busy(breakout, attendee, facilitator, organiser):
    """A breakout and plenary with something on every screen: ideas, comments, dots, an
    open poll."""
    ideas = Idea.objects.bulk_create(
        Idea(breakout=breakout, author=attendee, text=f"Idea {n}", client_token=uuid.uuid4())
        for n in range(3)
    )
    Comment.objects.create(
        idea=ideas[0], author=attendee, text="Build on it", client_token=uuid.uuid4()
    )
    Vote.objects.create(idea=ideas[0], voter=attendee, dots=2)
    plenary = plenary_for(breakout.summit)
    open_poll(Poll.objects.filter(plenary=plenary).order_by("pk").first())
    return breakout


def _pages(breakout, attendee, facilitator, organiser) -> list[tuple[str, str, Participant | None]]:
    """(label, path, who asks) for every main page, each as someone allowed to see it."""
    summit = breakout.summit
    slug = summit.slug
    plenary = plenary_for(summit)
    return [
        ("home", reverse("home"), None),
        ("privacy", reverse("privacy"), None),
        ("join code", reverse("join"), None),
        ("join form", reverse("join_summit", args=[summit.join_code]), None),
        ("sign in", reverse("login"), None),
        ("summit home", reverse("summit_home", args=[slug]), attendee),
        ("pre-reading", reverse("pre_reading", args=[slug]), attendee),
        ("summit privacy", reverse("summit_privacy", args=[slug]), attendee),
        ("my data", reverse("my_data", args=[slug]), attendee),
        ("breakout", reverse("breakouts:breakout", args=[breakout.pk]), attendee),
        ("board fragment", reverse("breakouts:board", args=[breakout.pk]), attendee),
        ("console", reverse("breakouts:console", args=[breakout.pk]), facilitator),
        ("breakout screen", reverse("breakouts:screen", args=[breakout.screen_key]), None),
        ("plenary room", reverse("plenary:room", args=[slug]), attendee),
        ("plenary console", reverse("plenary:console", args=[slug]), facilitator),
        ("plenary screen", reverse("plenary:screen", args=[plenary.screen_key]), None),
        ("join screen", reverse("join_screen", args=[slug]), organiser),
        ("people", reverse("people", args=[slug]), organiser),
        ("invites", reverse("invites", args=[slug]), organiser),
        ("breakouts set-up", reverse("breakouts_setup", args=[slug]), organiser),
        ("voice balance", reverse("voice", args=[slug]), organiser),
        ("audit log", reverse("audit_log", args=[slug]), organiser),
        ("record", reverse("record", args=[slug]), organiser),
    ]


def _client_as(person: Participant | None) -> Client:
    client = https_client()
    if person is not None:
        client.force_login(person.user)
    return client


def assert_secure_headers(response) -> None:
    """Every protective header, whatever the response."""
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age, hsts
    assert int(max_age.group(1)) >= 31536000, hsts
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        assert "includeSubDomains" in hsts
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert directives.get("frame-ancestors") == ["'none'"], csp
    assert directives.get("default-src") == ["'self'"], csp
    assert directives.get("base-uri") == ["'none'"], csp
    assert directives.get("object-src") == ["'none'"], csp
    for kind in ("script-src", "style-src"):
        assert kind in directives, csp
        assert all(s == "'self'" or s.startswith("'nonce-") for s in directives[kind]), csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"


def test_production_settings_are_the_ones_under_test(production):
    # The fixture took these from summit/config/settings.py with DEBUG off; guard against a rename
    # that would leave a test here checking the test settings instead.
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["DEMO_LOGIN"] is False
    assert settings.ALLOWED_HOSTS == [HOST]


def test_https_every_kind_of_response_carries_the_headers(
    production, busy, attendee, facilitator, other_member
):
    breakout = busy
    as_attendee = _client_as(attendee)
    responses = {
        "page": as_attendee.get(reverse("breakouts:breakout", args=[breakout.pk]), secure=True),
        "fragment": as_attendee.get(
            reverse("breakouts:board", args=[breakout.pk]), secure=True, HTTP_HX_REQUEST="true"
        ),
        "refusal (403)": _client_as(other_member).get(
            reverse("breakouts:console", args=[breakout.pk]), secure=True
        ),
        "refusal (404)": as_attendee.get("/no/such/page/", secure=True),
        "redirect": https_client().get(
            reverse("breakouts:breakout", args=[breakout.pk]), secure=True
        ),
        "static file": https_client().get(f"{settings.STATIC_URL}css/summit.css", secure=True),
    }

    static = responses["static file"]
    assert b"".join(static.streaming_content)
    static.close()
    statuses = {label: r.status_code for label, r in responses.items()}
    assert statuses == {
        "page": 200,
        "fragment": 200,
        "refusal (403)": 403,
        "refusal (404)": 404,
        "redirect": 302,
        "static file": 200,
    }
    assert "<html" not in responses["fragment"].content.decode()
    assert responses["redirect"].url.startswith(reverse("login"))
    for label, response in responses.items():
        try:
            assert_secure_headers(response)
        except AssertionError as failure:
            raise AssertionError(f"{label}: {failure}") from failure


def test_https_behind_the_proxy_is_recognised_and_carries_the_headers(production, attendee):
    response = _client_as(attendee).get(
        reverse("summit_home", args=[attendee.summit.slug]), HTTP_X_FORWARDED_PROTO="https"
    )

    assert response.status_code == 200
    assert response.wsgi_request.is_secure()
    assert_secure_headers(response)


@pytest.mark.parametrize("path", ["/", "/accounts/login/?next=/s/place-summit/"])
def test_plain_http_is_redirected_to_https(production, summit, path):
    for extra in ({}, {"HTTP_X_FORWARDED_PROTO": "http"}):
        response = https_client().get(path, **extra)

        assert response.status_code == 301
        assert response.url == f"https://{HOST}{path}"


def _assert_session_cookie(response) -> None:
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] in {"Lax", "Strict"}


def _assert_csrf_cookie(response) -> None:
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie.value
    assert cookie["secure"] is True
    assert cookie["samesite"] in {"Lax", "Strict"}


def test_https_staff_sign_in_sets_secure_cookies(production, facilitator):
    facilitator.user.email = "farah@example.org"
    facilitator.user.set_password(PASSWORD)
    facilitator.user.save(update_fields=["email", "password"])
    client = https_client()

    form = client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"email": "farah@example.org", "password": PASSWORD}, secure=True
    )

    _assert_csrf_cookie(form)
    assert response.status_code == 302
    _assert_session_cookie(response)
    assert_secure_headers(response)


def test_https_demo_sign_in_sets_secure_cookies(production, summit):
    from django.core.management import call_command

    call_command("setup_demo")
    client = https_client()

    # Off in production unless an organiser turns it on for a rehearsal.
    assert client.get(reverse("demo_login"), secure=True).status_code == 404
    with override_settings(DEMO_LOGIN=True):
        page = client.get(reverse("demo_login"), secure=True)
        response = client.post(
            reverse("demo_login"), {"username": "demo-facilitator-1"}, secure=True
        )

    _assert_csrf_cookie(page)
    assert response.status_code == 302
    _assert_session_cookie(response)


def test_https_joining_as_attendee_sets_secure_cookies(production, breakout):
    summit = breakout.summit
    client = https_client()
    url = reverse("join_summit", args=[summit.join_code])

    form = client.get(url, secure=True)
    response = client.post(
        url,
        {
            "display_name": "Priya Shah",
            "organisation": "Testshire Council",
            "sector": "health",
            "attribution": "named",
            "join_token": str(uuid.uuid4()),
        },
        secure=True,
    )

    _assert_csrf_cookie(form)
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_session_cookie(response)
    # The cookie that remembers the device is as well guarded as the session's.
    device = response.cookies[f"summit-{summit.pk}"]
    assert (device["secure"], device["httponly"], device["samesite"]) == (True, True, "Lax")
    assert Participant.objects.filter(summit=summit, display_name="Priya Shah").exists()


_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_NONCE = re.compile(r"'nonce-([^']+)'")


def test_https_no_page_has_inline_script_without_nonce_or_inline_style(
    production, busy, attendee, facilitator, organiser
):
    breakout = busy
    checked = []
    for label, path, who in _pages(breakout, attendee, facilitator, organiser):
        response = _client_as(who).get(path, secure=True)
        assert response.status_code == 200, (label, path, response.status_code)
        html = response.content.decode()
        nonce = _NONCE.search(response.headers["Content-Security-Policy"])

        for attributes in _SCRIPT.findall(html):
            if re.search(r"\bsrc\s*=", attributes):
                continue
            found = re.search(r'\bnonce="([^"]+)"', attributes)
            assert found, f"{label}: inline <script{attributes}> without a nonce"
            assert nonce, f"{label}: a nonce on the page but none in the policy"
            assert found.group(1) == nonce.group(1), f"{label}: the nonce differs"
        assert not re.search(r"<style\b", html, re.IGNORECASE), f"{label}: a <style> element"
        assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE), f"{label}: a style attribute"
        assert_secure_headers(response)
        checked.append(label)

    assert len(checked) == len(_pages(breakout, attendee, facilitator, organiser))


def _application():
    """The ASGI application as ``summit/config/asgi.py`` builds it under the settings in force."""
    return runpy.run_path(str(ROOT / "summit" / "config" / "asgi.py"))["application"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "admitted"),
    [
        (b"https://evil.example.com", False),
        (b"http://127.0.0.1", False),  # allowed in development, not in production
        (ORIGIN.encode(), True),
    ],
)
async def test_production_socket_refuses_a_foreign_origin(monkeypatch, breakout, origin, admitted):
    values = production_values(monkeypatch)
    with override_settings(**values):
        application = _application()
        # The big screen's socket admits whoever holds its link, so only the origin decides.
        socket = WebsocketCommunicator(
            application,
            f"/ws/screens/breakouts/{breakout.screen_key}/",
            headers=[(b"origin", origin), (b"host", HOST.encode())],
        )
        connected, _ = await socket.connect()
        await socket.disconnect()

    assert connected is admitted

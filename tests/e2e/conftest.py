"""Real-browser tests: Chromium through Playwright against the app served by daphne.

The server runs in its own process, as in production, on the test database, so WebSockets,
the channel layer and static files all take their real paths.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
APP = "summit.config.asgi:application"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """daphne serving the app on the test database, in its own process, as in production."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = ROOT / "test-results" / f"daphne-{self.port}.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": _test_database_url(),
            # Production mode, so pages behave as attendees will see them (no debug pages or
            # debug scripts), but over plain HTTP on the loopback address.
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
        }
        self.log.parent.mkdir(exist_ok=True)
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), APP],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):  # noqa: S310
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"daphne did not start; see {self.log}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    server = Server()
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def own_server(django_db_setup):
    """A server of the test's own, for tests that stop and restart it."""
    server = Server()
    server.start()
    yield server
    server.stop()


def chromium_path() -> str | None:
    """Debian's Chromium where installed; otherwise Playwright's own download, if any."""
    configured = os.environ.get("SUMMIT_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def serious_violations(page) -> list[str]:
    """What axe-core finds on the page that is serious or critical for WCAG."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Sync Playwright keeps an event loop running in the test thread; the ORM calls the tests
    # make to arrange data are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def session_cookie_for(participant, base_url: str) -> dict:
    """A browser cookie signing the participant in, in a session of its own."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(participant.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = participant.user.get_session_auth_hash()
    session.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}


@pytest.fixture
def page_for(browser, live_url, transactional_db):
    """A new browser context signed in as the given participant, on a given path."""
    contexts = []

    def open_page(participant, path: str, base_url: str = live_url):
        context = browser.new_context(base_url=base_url)
        context.add_cookies([session_cookie_for(participant, base_url)])
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()

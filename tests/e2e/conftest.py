"""Real-browser tests: Chromium through Playwright against the app served by daphne.

The server runs in its own process, as in production, on the test database, so WebSockets,
the channel layer and static files all take their real paths.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

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


# Every page counts its htmx requests still out, and notes when the last one ended, so a test
# can wait for a page's fetches to be answered and drawn (``quiet``) rather than for half a
# second with no traffic at all after every page (Playwright's "networkidle").
REQUESTS_OUT = """
window.__requestsOut = 0;
window.__quietSince = 0;
document.addEventListener("htmx:beforeSend", function (event) {
  window.__requestsOut += 1;
  event.detail.xhr.addEventListener("loadend", function () {
    window.__requestsOut -= 1;
    window.__quietSince = performance.now();
  });
});
"""
# How long a page stays with no request out before it counts as quiet: what an answer's swap
# starts (htmx settles 20 ms after a swap; a swapped-in panel may fetch in turn) begins by then.
QUIET_MS = 100
_QUIET = f"""() => document.readyState === "complete" && window.__requestsOut === 0
    && performance.now() - window.__quietSince >= {QUIET_MS}"""


def quiet(page, timeout: float = 10_000) -> None:
    """Wait until the page's requests are all answered and drawn, and none followed."""
    page.wait_for_function(_QUIET, timeout=timeout)


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


# Every rule axe-core holds for WCAG 2.0, 2.1 and 2.2 at A and AA, and its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
_AXE_RUN = """options => axe.run(document, options).then(results => results.violations.map(
    v => `${v.id} (${v.impact}): ${v.help}: `
        + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(", ")
))"""


def axe_violations(page) -> list[str]:
    """Everything axe-core finds on the page against WCAG 2.2 AA and its best practices, of
    any impact (minor and moderate included), each with the first few elements it names."""
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    return page.evaluate(_AXE_RUN, AXE_OPTIONS)


class BrowserProblems:
    """What the browser reports going wrong on the pages a test opens: every console message
    of type error or warning (a style or script the CSP refused, an htmx error, a failed
    load) and every response of 400 or more to a page's own requests.

    A test that provokes one on purpose says so first (``expect_status``, ``expect_console``);
    everything else fails the test, when it calls ``check`` and again at its end."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.statuses: list[tuple[int, str]] = []
        self.messages: list[re.Pattern] = []

    def watch(self, context) -> None:
        context.on("console", self._console)
        context.on("response", self._response)

    def expect_status(self, status: int, url: str) -> None:
        """A response of ``status`` to ``url`` (a path, or an address ending in it) is wanted,
        as is the browser's console line saying it failed to load."""
        self.statuses.append((status, url))

    def expect_console(self, pattern: str) -> None:
        """Console errors and warnings matching ``pattern`` are wanted (a lost connection the
        test brings about, say)."""
        self.messages.append(re.compile(pattern))

    def _wanted_status(self, status: int, url: str) -> bool:
        return any(status == s and urlsplit(url).path == urlsplit(u).path for s, u in self.statuses)

    def _console(self, message) -> None:
        if message.type not in {"error", "warning"}:
            return
        text = message.text
        failed = re.match(r"Failed to load resource: .* status of (\d+)", text)
        if failed and self._wanted_status(int(failed[1]), message.location.get("url", "")):
            return
        if any(pattern.search(text) for pattern in self.messages):
            return
        page = message.page.url if message.page else "?"
        self.found.append(f"console {message.type} on {page}: {text}")

    def _response(self, response) -> None:
        if response.status >= 400 and not self._wanted_status(response.status, response.url):
            self.found.append(f"{response.status} for {response.request.method} {response.url}")

    def check(self) -> None:
        found, self.found = self.found, []
        assert found == [], "the browser reported problems:\n" + "\n".join(found)


@pytest.fixture
def browser_problems():
    """Console errors and warnings and failed requests of the test's pages: none allowed
    unless the test expects them."""
    problems = BrowserProblems()
    yield problems
    problems.check()


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
def context_for(browser, live_url, transactional_db, browser_problems):
    """A new browser context, watched for problems, signed in as the given participant if
    one is given (else nobody's, as on a projector)."""
    contexts = []

    def open_context(participant=None, base_url: str = live_url, **options):
        context = browser.new_context(base_url=base_url, **options)
        context.add_init_script(script=REQUESTS_OUT)
        contexts.append(context)
        browser_problems.watch(context)
        if participant is not None:
            context.add_cookies([session_cookie_for(participant, base_url)])
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page_for(context_for, live_url):
    """A new browser context signed in as the given participant, on a given path."""

    def open_page(participant, path: str, base_url: str = live_url):
        page = context_for(participant, base_url).new_page()
        page.goto(path)
        return page

    return open_page


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_url):
    """A phone-sized browser of its own, signed in as the participant, for a phone that loses
    its network (``context.set_offline``).

    Without the service worker unless asked for: Chromium's offline emulation does not reach
    requests a worker passes on to the network, so a post "sent offline" could still arrive.
    Posts never go through the worker in the app; only the emulation needs this."""
    from playwright.sync_api import expect

    contexts = []

    def open_phone(participant, path: str, service_workers: str = "block", **options):
        context = browser.new_context(
            base_url=live_url, viewport=PHONE, service_workers=service_workers, **options
        )
        context.add_init_script(script=REQUESTS_OUT)
        context.add_cookies([session_cookie_for(participant, live_url)])
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        expect(page.locator("[data-connection-status]")).to_have_attribute("data-state", "open")
        # The board fetched as the socket opened has arrived, and will not redraw it later.
        quiet(page)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def waiting_on_device(page) -> str | None:
    """What the page keeps waiting to send on the device, as stored (None when nothing)."""
    return page.evaluate("window.localStorage.getItem('summit-waiting')")


@pytest.fixture
def room(transactional_db):
    """A breakout of the Place Summit with one attendee and its facilitator."""
    from accounts.models import Participant
    from breakouts.services import ensure_breakouts
    from summit.organise.design_file import load_place_summit
    from tests.conftest import make_participant

    summit = load_place_summit()[0]
    breakout = ensure_breakouts(summit)[0]
    attendee = make_participant(summit, name="Aisha Rahman", sector="local_government")
    facilitator = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    breakout.members.add(attendee)
    breakout.facilitators.add(facilitator)
    return breakout, attendee, facilitator

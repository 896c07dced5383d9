"""Fixtures for the fault tests: real Redis, PostgreSQL and app processes that the tests stop,
start, kill and cut off, and a real browser watching.

Everything runs on 127.0.0.1. The system's PostgreSQL (5432) and Redis (6379) are only ever
used, never stopped: a test that stops a service stops a private one it started itself.
Every process, database and cluster started here is removed in teardown, pass or fail.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import psycopg
import pytest
from psycopg import sql

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "test-results" / "faults"
PYTHON = sys.executable
HOST = "127.0.0.1"

# The demo people setup_demo makes: the first breakout's facilitator and two of its members.
FACILITATOR = "demo-facilitator-1"
ATTENDEE = "demo-attendee-1"
OTHER_ATTENDEE = "demo-attendee-4"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def unique_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def log_path(name: str) -> Path:
    LOGS.mkdir(parents=True, exist_ok=True)
    return LOGS / f"{name}-{secrets.token_hex(3)}.log"


def end_process_tree(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process this suite started, and any it started in turn, by their ids."""
    if process.poll() is None:
        with suppress(psutil.NoSuchProcess):
            children = psutil.Process(process.pid).children(recursive=True)
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    else:
        children = []
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(children, timeout=timeout)


# PostgreSQL


class Postgres:
    """Where a PostgreSQL server listens, and how to reach it as its superuser."""

    def __init__(self, port: int, user: str = "postgres", password: str = "") -> None:
        self.port = port
        self.user = user
        self.password = password

    def url(self, database: str) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=HOST,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=database,
            autocommit=True,
            connect_timeout=5,
        )

    def create_database(self, name: str, template: str | None = None) -> None:
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect() as connection:
            connection.execute(query)

    def drop_database(self, name: str) -> None:
        with self.connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def count_ideas(self, database: str, text: str) -> int:
        with self.connect(database) as connection:
            row = connection.execute(
                "SELECT count(*) FROM breakouts_idea WHERE text = %s", (text,)
            ).fetchone()
            return row[0]


def system_postgres() -> Postgres:
    """The system server, from DATABASE_URL when it names PostgreSQL on this machine."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        if parts.hostname not in {HOST, "localhost"}:
            pytest.skip("The fault tests only use a PostgreSQL server on 127.0.0.1.")
        return Postgres(parts.port or 5432, parts.username or "postgres", parts.password or "")
    return Postgres(5432)


def prepare_database(postgres: Postgres, name: str) -> int:
    """Migrate a new database and load the demo summit; returns the first breakout's id."""
    env = app_environment(postgres.url(name), redis_url=None)
    log = log_path(f"prepare-{name}")
    with open(log, "w") as out:
        for command in (
            ["migrate", "--no-input", "-v", "0"],
            ["setup_demo", "--url", f"http://{HOST}:8000"],
        ):
            result = subprocess.run(  # noqa: S603
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=120,
            )
            if result.returncode != 0:
                raise RuntimeError(f"manage.py {command[0]} failed; see {log}")
    match = re.search(r"/breakouts/(\d+)/console/", log.read_text())
    assert match, f"setup_demo printed no breakout console; see {log}"
    return int(match.group(1))


class Database:
    def __init__(self, postgres: Postgres, name: str, breakout_id: int) -> None:
        self.postgres = postgres
        self.name = name
        self.breakout_id = breakout_id

    @property
    def url(self) -> str:
        return self.postgres.url(self.name)

    def count_ideas(self, text: str) -> int:
        return self.postgres.count_ideas(self.name, text)


@pytest.fixture(scope="session")
def template_database():
    """One migrated database with the demo summit, copied for each test that needs one."""
    postgres = system_postgres()
    try:
        postgres.connect().close()
    except psycopg.OperationalError as error:
        pytest.skip(f"No PostgreSQL on 127.0.0.1:{postgres.port}: {error}")
    name = unique_name("summit_faults_template")
    postgres.create_database(name)
    try:
        breakout_id = prepare_database(postgres, name)
        yield Database(postgres, name, breakout_id)
    finally:
        postgres.drop_database(name)


@pytest.fixture
def database(template_database):
    """A fresh database of the test's own on the system server, dropped afterwards."""
    postgres = template_database.postgres
    name = unique_name("summit_faults")
    postgres.create_database(name, template=template_database.name)
    try:
        yield Database(postgres, name, template_database.breakout_id)
    finally:
        postgres.drop_database(name)


def _postgres_bin() -> Path:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        pytest.skip("No PostgreSQL server binaries under /usr/lib/postgresql.")
    return versions[-1].parent


class Cluster:
    """A private PostgreSQL cluster in a temporary directory, on a port of its own."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="summit-faults-pg-"))
        self.data = self.root / "data"
        self.log = log_path("postgres")
        self.port = free_port()
        self.postgres = Postgres(self.port)
        self.as_root = os.geteuid() == 0
        if self.as_root:
            # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.log.touch()
            os.chown(self.log, owner.pw_uid, owner.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(  # noqa: S603
            command, check=True, capture_output=True, timeout=60, cwd=self.root
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses={HOST}"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        # Fast: every open connection is cut, as when the server restarts under the app.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.running():
            with suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster():
    """A private, running PostgreSQL cluster with a migrated demo database named ``summit``."""
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        cluster.postgres.create_database("summit")
        cluster.database = Database(
            cluster.postgres, "summit", prepare_database(cluster.postgres, "summit")
        )
        yield cluster
    finally:
        cluster.remove()


# Redis


class Redis:
    """A private redis-server on a port of its own, with nothing saved to disc."""

    def __init__(self) -> None:
        self.executable = shutil.which("redis-server")
        if not self.executable:
            pytest.skip("No redis-server on this machine.")
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.log = log_path("redis")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    self.executable,
                    "--port",
                    str(self.port),
                    "--bind",
                    HOST,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._pong, 10, f"redis-server on port {self.port}")

    def _pong(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            end_process_tree(self.process)
            self.process = None
        wait_for(lambda: not port_open(self.port), 10, "redis-server to close its port")


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def system_redis_url() -> str:
    url = os.environ.get("REDIS_URL") or f"redis://{HOST}:6379/0"
    if urlsplit(url).hostname not in {HOST, "localhost"}:
        pytest.skip("The fault tests only use a Redis server on 127.0.0.1.")
    return url


# The app


def app_environment(database_url: str, redis_url: str | None, prefix: str | None = None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": database_url,
        # Production mode over plain HTTP on the loopback address.
        "DEBUG": "0",
        "SECRET_KEY": "faults-only-secret-key-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DEMO_LOGIN": "1",
        # The tests post quickly, as one person; rate limits are tested elsewhere.
        "POSTS_PER_MINUTE": "1000",
        "PYTHONUNBUFFERED": "1",
        "REDIS_PREFIX": prefix or unique_name("summit-faults"),
    }
    env.pop("REDIS_URL", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class App:
    """``manage.py serve`` in its own process, its output and its workers' in one log."""

    def __init__(self, database: Database, redis_url: str, *args: str) -> None:
        self.database = database
        self.env = app_environment(database.url, redis_url)
        self.args = args
        self.log = log_path("serve")
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.port = 0
        self.worker_pids: list[int] = []

    def start(self) -> None:
        port = free_port()
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [PYTHON, "manage.py", "serve", "--port", str(port), *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        listening = wait_for(self._listening, 30, f"the app to listen; see {self.log}")
        self.port = int(listening.group(1))
        self.url = f"http://{HOST}:{self.port}"
        self.worker_pids = [int(pid) for pid in listening.group(2).split()]
        wait_for(self._answers, 30, f"the app to answer; see {self.log}", interval=0.2)

    def _listening(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"The app exited; see {self.log}")
        return re.search(r"Listening on http://127\.0\.0\.1:(\d+)/ .*?: ([\d ]+)", self.output())

    def _answers(self) -> bool:
        # Every worker up: each logs when daphne starts listening on the shared socket.
        return self.output().count("Listening on TCP address") >= len(self.worker_pids)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def live_worker_pids(self) -> list[int]:
        return [pid for pid in self.worker_pids if psutil.pid_exists(pid)]

    def kill_worker(self, pid: int) -> None:
        assert pid in self.worker_pids
        os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            end_process_tree(self.process, timeout=15)
            self.process = None
        for pid in self.worker_pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def serve():
    """Start the app: ``serve(database, redis_url, *serve_args)``; stopped afterwards."""
    apps: list[App] = []

    def start(database: Database, redis_url: str, *args: str) -> App:
        app = App(database, redis_url, *args)
        apps.append(app)
        app.start()
        return app

    yield start
    for app in apps:
        app.stop()


# The browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def person(browser):
    """A browser context signed in as a demo person: ``person(base_url, username)``."""
    contexts = []

    def sign_in(base_url: str, username: str):
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        page = context.new_page()
        page.goto("/demo/")
        with page.expect_navigation():
            page.locator(f'form:has(input[name="username"][value="{username}"]) button').click()
        assert "/s/" in page.url, f"{username} did not get in: {page.url}"
        page.close()
        return context

    yield sign_in
    for context in contexts:
        with suppress(Exception):
            context.close()


def open_screen(context, path: str):
    """A page of the context on ``path``, its socket open, that counts its socket's closures
    and remembers it has not been reloaded."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(path)
    expect(page.locator("[data-connection-status]")).to_have_attribute(
        "data-state", "open", timeout=10_000
    )
    page.evaluate(
        """() => {
            window.loadedOnce = true;
            window.socketClosures = 0;
            document.addEventListener("htmx:wsClose", () => { window.socketClosures += 1; });
        }"""
    )
    return page


def idea_texts(page) -> list[str]:
    return page.locator("#idea-list .idea .idea__text").all_inner_texts()


def post_idea(page, text: str) -> int:
    """Post an idea from an attendee's page; returns the response's status."""
    page.get_by_label("Your idea").fill(text)
    with page.expect_response(lambda r: "/ideas/post/" in r.url) as response:
        page.get_by_role("button", name="Post idea").click()
    status = response.value.status
    if status == 200:
        from playwright.sync_api import expect

        expect(page.get_by_label("Your idea")).to_have_value("")
    return status


def screen_state(page) -> str:
    """What a screen's socket has been through, for a failure message."""
    state = page.evaluate(
        """() => ({
            status: document.querySelector("[data-connection-status]")?.dataset.state,
            closures: window.socketClosures,
            loadedOnce: window.loadedOnce === true,
        })"""
    )
    return (
        f"socket {state['status']}, closed {state['closures']} time(s) since the page opened, "
        f"{'not ' if state['loadedOnce'] else ''}reloaded; ideas shown: {idea_texts(page)}"
    )


def expect_shown(page, text: str, timeout_ms: int, why: str) -> None:
    """The screen's idea list shows ``text`` within ``timeout_ms``, or say what it went through."""
    from playwright.sync_api import expect

    try:
        expect(page.locator("#idea-list")).to_contain_text(text, timeout=timeout_ms)
    except AssertionError as error:
        raise AssertionError(
            f"{why}: {text!r} not shown within {timeout_ms / 1000:g} s; {screen_state(page)}"
        ) from error

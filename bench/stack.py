"""The stack a load run drives: a fresh database with the Place Summit, and the app served.

Two shapes. The full stack: a fresh PostgreSQL database ``summit_bench`` on the system
server (dropped again after the run), the system Redis under a prefix of its own (its keys
removed after the run), and ``manage.py serve --workers W`` on one port. The embedded
stack: a SQLite file, the in-memory channel layer and one worker.

The summit is set up in a process of its own (``python bench/stack.py setup``), through the
app's own services: the Place Summit, its demo people, as many breakouts as asked for (the
demo facilitators share them out), open multiple-choice polls for the plenary and one session
of questions from the floor, open and not pre-moderated. It prints what the clients need as
JSON: the join code, the breakouts' ids and big-screen keys, the plenary's big-screen key,
the polls and the session.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "summit_bench"
REDIS = "redis://127.0.0.1:6379/0"
LISTENING = re.compile(r"Listening on (http://[\d.]+:\d+)/ with \d+ worker\(s\): ([\d ]+)")


@dataclass
class Stack:
    """The app served for a run, with what was set up in it; ``start()`` then ``stop()``."""

    embedded: bool = False
    workers: int = 2
    breakouts: int = 3
    polls: int = 1
    # Flood limits for the run: per person and per client address (every client here is
    # 127.0.0.1, so the address limit is raised out of the way; the per-person ones stay).
    posts_per_minute: int = 20
    votes_per_minute: int = 600
    actions_per_address: int = 10_000_000
    ping_interval: int = 10
    ping_timeout: int = 10
    # tests.settings for the smoke test: the same app with a fast password hasher and static
    # files served from their folders, so nothing is collected into the checkout.
    settings_module: str = "summit.config.settings"
    debug: bool = False
    workdir: Path | None = None
    url: str = ""
    pids: list[int] = field(default_factory=list)
    summit: dict = field(default_factory=dict)
    _process: subprocess.Popen | None = None
    _tmp: tempfile.TemporaryDirectory | None = None
    _prefix: str = ""
    _log: Path | None = None
    _access: threading.Thread | None = None

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            DEBUG="1" if self.debug else "0",
            SECRET_KEY=self._secret,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            # Plain HTTP on the loopback address: no redirect to HTTPS, cookies sent over HTTP.
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            SECURE_HSTS_SECONDS="0",
            POSTS_PER_MINUTE=str(self.posts_per_minute),
            VOTES_PER_MINUTE=str(self.votes_per_minute),
            ACTIONS_PER_MINUTE_PER_ADDRESS=str(self.actions_per_address),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.embedded:
            env["DATABASE_URL"] = f"sqlite:///{self.workdir / 'bench.sqlite3'}"
        else:
            env["DATABASE_URL"] = f"{POSTGRES}/{DATABASE}"
            env["REDIS_URL"] = REDIS
            env["REDIS_PREFIX"] = self._prefix
        return env

    def start(self) -> Stack:
        self._secret = "bench-" + secrets.token_urlsafe(40)
        self._prefix = f"summit-bench-{os.getpid()}-{secrets.token_hex(3)}"
        if self.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="summit-bench-")
            self.workdir = Path(self._tmp.name)
        if self.embedded:
            self.workers = 1
        else:
            _fresh_database()
        env = self.env()
        if self.settings_module == "summit.config.settings" and not self.debug:
            _collect_static(env)
        setup = subprocess.run(  # noqa: S603
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "setup",
                "--breakouts",
                str(self.breakouts),
                "--polls",
                str(self.polls),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if setup.returncode:
            raise RuntimeError(f"Setting up the summit failed:\n{setup.stderr[-3000:]}")
        self.summit = json.loads(setup.stdout.strip().splitlines()[-1])
        self._log = self.workdir / "serve.log"
        command = [sys.executable, "manage.py", "serve", "--port", "0"]
        command += ["--workers", str(self.workers)]
        command += ["--ping-interval", str(self.ping_interval)]
        command += ["--ping-timeout", str(self.ping_timeout)]
        with open(self._log, "w") as log:
            self._process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
            )
        line = self._process.stdout.readline()
        found = LISTENING.search(line)
        if not found:
            self.stop()
            raise RuntimeError(f"serve did not start: {line!r}\n{self.log_tail()}")
        self.url = found.group(1)
        self.pids = [int(pid) for pid in found.group(2).split()]
        # daphne writes its access log to the standard output it shares with serve: read it
        # all along, or the workers stop once the pipe is full.
        self._access = threading.Thread(
            target=_copy, args=(self._process.stdout, self.workdir / "access.log"), daemon=True
        )
        self._access.start()
        _wait_until_serving(self.url)
        return self

    def worker_processes(self) -> list[psutil.Process]:
        """The serving processes now (a worker that died has been replaced)."""
        try:
            return psutil.Process(self._process.pid).children()
        except (psutil.NoSuchProcess, AttributeError):
            return []

    def log_tail(self, chars: int = 3000) -> str:
        if self._log is None or not self._log.exists():
            return ""
        return self._log.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._access is not None:
                self._access.join(timeout=10)
            self._process.stdout.close()
            self._process = None
        if not self.embedded and self._prefix:
            _forget_redis_keys(self._prefix)
            _drop_database()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _copy(stream, path: Path) -> None:
    with open(path, "w") as out:
        for line in stream:
            out.write(line)


def _fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def _drop_database() -> None:
    import psycopg

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection,
    ):
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _forget_redis_keys(prefix: str) -> None:
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"*{prefix}*", count=1000):
            client.delete(key)
        client.close()


def _collect_static(env: dict[str, str]) -> None:
    """Production settings serve static files from a manifest: collect them once, under a
    lock so that two runs at once do not write the same files."""
    lock_path = Path(tempfile.gettempdir()) / "summit-bench-collectstatic.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = ROOT / "staticfiles" / "staticfiles.json"
        newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
        if manifest.exists() and manifest.stat().st_mtime >= newest:
            return
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )


def _wait_until_serving(url: str, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url + "/", timeout=5)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def setup(breakouts: int, polls: int) -> dict:
    """The summit for a run, through the app's own services (run in the stack's settings)."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from accounts.models import Participant
    from breakouts.demo import DEMO_PASSWORD, setup_demo
    from breakouts.models import Breakout
    from breakouts.services import add_breakout
    from breakouts.steering import set_phase
    from plenary.models import Poll, QaSession
    from plenary.moderation import add_session, change_session
    from plenary.services import create_poll, open_poll, plenary_for
    from summit.organise.design_file import load_place_summit

    call_command("migrate", verbosity=0, interactive=False)
    summit, _ = load_place_summit()
    groups = setup_demo(summit)
    facilitators = [group.facilitators.select_related("user").first() for group in groups]
    subthemes = list(summit.subthemes.all())
    while len(groups) < breakouts:
        number = len(groups) + 1
        group = add_breakout(subthemes[number % len(subthemes)], f"Bench group {number}")
        group.facilitators.add(facilitators[number % len(facilitators)])
        groups.append(group)
    # Fewer groups than the demo's own: the others are closed, so that the app places
    # everyone who joins in the ones asked for.
    for group in groups[breakouts:]:
        set_phase(group, Breakout.Phase.CLOSED)
    plenary = plenary_for(summit)
    made = []
    for number in range(polls):
        poll = create_poll(
            plenary,
            kind=Poll.Kind.CHOICE,
            question=f"Bench question {number + 1}: which comes first?",
            options=["Money", "Power", "People"],
        )
        open_poll(poll)
        made.append({"id": poll.pk, "options": list(poll.options.values_list("pk", flat=True))})
    # Questions from the floor go straight to everyone, as the organisers may choose.
    organiser = summit.participants.filter(role=Participant.Role.ORGANISER).first()
    session = add_session(plenary, title="Questions for the panel", by=organiser)
    change_session(session, state=QaSession.State.OPEN, by=organiser)
    return {
        "slug": summit.slug,
        "join_code": summit.join_code,
        "password": DEMO_PASSWORD,
        "facilitators": sorted({f.user.email for f in facilitators}),
        "breakouts": [
            {
                "id": group.pk,
                "screen_key": group.screen_key,
                "facilitator": group.facilitators.select_related("user").first().user.email,
            }
            for group in groups[:breakouts]
        ],
        "plenary_screen_key": plenary.screen_key,
        "polls": made,
        "qa_session": session.pk,
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    made = sub.add_parser("setup", help="Set up the summit (in the stack's environment).")
    made.add_argument("--breakouts", type=int, default=3)
    made.add_argument("--polls", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(setup(args.breakouts, args.polls)))

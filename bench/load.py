"""Live screens under load: the app driven over its real interfaces, from other processes.

Starts the stack (``bench/stack.py``), has attendees join through the join page over HTTP,
signs the demo facilitators in, opens WebSocket screens (attendees' pages, facilitators'
consoles, big screens) from several client processes, then posts ideas (or answers polls)
over HTTP at a target rate, each idea carrying a marker with its number and the time it was
sent, or questions from the floor with their supports (``floor_load.py``). Every screen notes
when each marker (or poll count, or support count) first reaches it. Prints one
markdown table per run: latency from post to screen, lost deliveries, posts and deliveries a
second, and the server's CPU and memory.

    .venv/bin/python bench/load.py smoke
    .venv/bin/python bench/load.py breakout-day            # PostgreSQL, Redis, 2 workers
    .venv/bin/python bench/load.py plenary-peak --workers 4
    .venv/bin/python bench/load.py plenary-questions        # asking and supporting
    .venv/bin/python bench/load.py saturation --duration 20   # app and bare websockets
    .venv/bin/python bench/load.py embedded --slow 20 --flood

Everything runs on 127.0.0.1; the machine's cores are shared between the server and the
clients, so the clients' own cost is part of what limits the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor_load
from stack import Stack

# Each request would otherwise be logged.
logging.getLogger("httpx").setLevel(logging.WARNING)

MARKER = re.compile(r"BM(\d+)T(\d+)")
# The count a poll's screens show, read by its number alone: "12 responses", "12 ymateb".
COUNT = re.compile(r'id="poll-(\d+)-count"[^>]*>(\d+) ')
BREAKOUT_LINK = re.compile(r'href="/breakouts/(\d+)/"')
JOIN_TOKEN = re.compile(r'name="join_token" value="([^"]+)"')
SECTORS = [
    "local_government",
    "health",
    "voluntary",
    "faith",
    "business",
    "resident",
    "academia",
    "national_government",
    "other",
]
PLENARY = "plenary"
# The cookie the language switch leaves (Django's default name for it).
LANGUAGE_COOKIE = "django_language"
PROGRESS = {"on": False}


def say(message: str) -> None:
    """Progress on stderr, when run from the command line."""
    if PROGRESS["on"]:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


@dataclass
class Scenario:
    name: str
    screens: int
    breakouts: int
    plenary_share: float  # of the attendees' screens, the part open on the plenary
    rate: float  # posts a second; 0 for as fast as the server takes them
    duration: float
    posts: str = "ideas"  # ideas, answers, both, or questions (asked at ``rate``)
    supports: float = 0.0  # with questions: supports of them a second
    embedded: bool = False
    workers: int = 2
    reference: bool = False
    drain: float = 5.0
    clients: int = 2
    slow: int = 0
    flood: bool = False
    in_flight: int = 8  # concurrent posts in the saturation scenario
    ping: int = 10  # serve's --ping-interval and --ping-timeout: when a stalled screen is cut
    welsh: float = 0.0  # the share of attendees and big screens reading in Welsh


SCENARIOS = {
    "breakout-day": Scenario("breakout-day", 2000, 30, 0.1, 50, 60),
    "plenary-peak": Scenario("plenary-peak", 1000, 3, 1.0, 10, 60, posts="answers"),
    "plenary-questions": Scenario(
        "plenary-questions", 1000, 3, 1.0, 1, 60, posts="questions", supports=10
    ),
    "saturation": Scenario("saturation", 500, 10, 0.0, 0, 20, reference=True),
    "embedded": Scenario("embedded", 300, 3, 0.1, 10, 60, embedded=True, workers=1),
    "smoke": Scenario(
        "smoke", 12, 2, 0.3, 4, 3, posts="both", embedded=True, workers=1, drain=2, clients=1
    ),
}


@dataclass
class Screen:
    """One WebSocket screen: where it connects, as whom, and what it should receive."""

    number: int
    path: str
    room: str  # "b<breakout id>" or "plenary"
    kind: str  # attendee, console, big screen
    cookie: str = ""
    slow: bool = False


@dataclass
class Person:
    cookie: str
    csrf: str
    breakout: int | None = None


@dataclass
class Post:
    number: int
    room: str
    sent: float
    ok: bool = False
    status: int = 0  # the HTTP status (0: no answer)
    poll: int | None = None  # for an answer: the poll, and its place among accepted answers
    position: int = 0


@dataclass
class Result:
    label: str
    screens: dict = field(default_factory=dict)
    posts: list = field(default_factory=list)
    noun: str = "post"  # what the posts are, in the table's rows
    supports: list = field(default_factory=list)  # of questions from the floor
    seconds: float = 0.0
    cpu: list = field(default_factory=list)
    rss: list = field(default_factory=list)
    slow: dict = field(default_factory=dict)
    flood: dict = field(default_factory=dict)
    frame_bytes: float = 0.0
    rows: dict = field(default_factory=dict)


# The screens' side: client processes, each an asyncio loop holding many sockets.


def _slow_socket(url: str) -> socket.socket:
    """A connected socket with a tiny receive buffer, for a screen that stops reading."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    return sock


async def _screen(ws_url: str, origin: str, screen: Screen, record: dict, opened) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    headers = {"Cookie": screen.cookie} if screen.cookie else {}
    options = {
        "compression": None,
        "open_timeout": 60,
        "close_timeout": 3,
        "ping_interval": None,
    }
    if screen.slow:
        options.update(max_queue=1, sock=_slow_socket(ws_url))
    for attempt in range(3):
        try:
            ws = await connect(
                ws_url + screen.path, origin=origin, additional_headers=headers, **options
            )
            break
        except (OSError, TimeoutError, ConnectionClosed) as error:
            if attempt == 2:
                record["error"] = repr(error)
                opened.release()
                return
            await asyncio.sleep(0.5 + attempt)
    record["ws"] = ws
    opened.release()
    if screen.slow:
        return  # never reads: the server has to cope
    got = record["got"]
    try:
        async for message in ws:
            now = time.time()
            record["frames"] += 1
            record["bytes"] += len(message)
            for found in MARKER.finditer(message):
                number = int(found[1])
                if number not in got:
                    got[number] = now - int(found[2]) / 1e6
            _note_counts(COUNT, message, now, record["best"], record["counts"])
            _note_counts(
                floor_load.SUPPORT, message, now, record["best_supports"], record["supports"]
            )
    except ConnectionClosed:
        pass
    if not record.get("stopping"):
        # Closed by the server, not by this client at the end of the run.
        record["closed"] = ws.close_code or -1


def _note_counts(pattern, message: str, now: float, best: dict, seen: dict) -> None:
    """Note each count (a poll's responses, a question's supporters) that rises above what
    the screen has shown of it before, and when."""
    for found in pattern.finditer(message):
        key, count = int(found[1]), int(found[2])
        if count > best.get(key, 0):
            best[key] = count
            seen.setdefault(key, []).append((count, now))


async def _drain_slow(ws) -> dict:
    """Read what a slow screen left unread: was it cut loose by the server?"""
    from websockets.exceptions import ConnectionClosed

    frames = 0
    try:
        async with asyncio.timeout(3):
            async for _ in ws:
                frames += 1
    except (ConnectionClosed, TimeoutError):
        pass
    return {"frames": frames, "code": ws.close_code, "open": ws.close_code is None}


async def _client(ws_url: str, origin: str, screens: list[Screen]) -> dict:
    """Open the screens, say how many opened, read until told to stop (a line on stdin)."""
    records = {
        s.number: {
            "got": {},
            "counts": {},
            "supports": {},
            "best": {},
            "best_supports": {},
            "frames": 0,
            "bytes": 0,
            "closed": None,
        }
        for s in screens
    }
    gate = asyncio.Semaphore(32)
    opened = asyncio.Semaphore(0)

    async def one(screen: Screen) -> None:
        async with gate:
            task = asyncio.create_task(
                _screen(ws_url, origin, screen, records[screen.number], opened)
            )
            await opened.acquire()
        await task

    tasks = [asyncio.create_task(one(s)) for s in screens]
    while sum(1 for r in records.values() if "ws" in r or "error" in r) < len(screens):
        await asyncio.sleep(0.05)
    print(json.dumps({"connected": sum(1 for r in records.values() if "ws" in r)}), flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    stalled = [s.number for s in screens if s.slow and "ws" in records[s.number]]
    for record in records.values():
        record["stopping"] = True
    drained = await asyncio.gather(*(_drain_slow(records[n]["ws"]) for n in stalled))
    slow = dict(zip(stalled, drained, strict=True))
    await asyncio.gather(*(r["ws"].close() for r in records.values() if "ws" in r))
    await asyncio.gather(*tasks, return_exceptions=True)
    for record in records.values():
        record.pop("ws", None)
        record.pop("best")
        record.pop("best_supports")
        record.pop("stopping")
        for key in ("got", "counts", "supports"):
            record[key] = list(record[key].items())
    return {"records": list(records.items()), "slow": list(slow.items())}


def client_main() -> None:
    """A client process: its screens come as JSON on stdin, its findings go to stdout."""
    job = json.loads(sys.stdin.readline())
    screens = [Screen(**s) for s in job["screens"]]
    print(json.dumps(asyncio.run(_client(job["ws_url"], job["origin"], screens))), flush=True)


# The people's side: joining, signing in and posting over HTTP.


def _cookie(client: httpx.AsyncClient) -> tuple[str, str]:
    jar = {c.name: c.value for c in client.cookies.jar}
    return "; ".join(f"{k}={v}" for k, v in jar.items()), jar.get("csrftoken", "")


def in_welsh(number: int, share: float) -> bool:
    """Whether the ``number``th of a kind of screen reads in Welsh, spread evenly at ``share``."""
    return int((number + 1) * share) > int(number * share)


async def join(url: str, code: str, number: int, want_breakout: bool, language: str = "") -> Person:
    """An attendee joins by the summit's join link, as a browser would; with ``language``,
    from a page in that language (as after the language switch), which they keep."""
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"Origin": url}) as client:
        if language:
            client.cookies.set(LANGUAGE_COOKIE, language)
        page = await client.get(f"/j/{code}/")
        page.raise_for_status()
        token = JOIN_TOKEN.search(page.text)[1]
        data = {
            "display_name": f"Load attendee {number}",
            "organisation": "Bench Borough Council",
            "sector": SECTORS[number % len(SECTORS)],
            "attribution": "named",
            "join_token": token,
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        }
        joined = await client.post(f"/j/{code}/", data=data, follow_redirects=want_breakout)
        if joined.status_code not in (200, 302):
            raise RuntimeError(f"Joining failed ({joined.status_code}): {joined.text[:300]}")
        breakout = None
        if want_breakout:
            found = BREAKOUT_LINK.search(joined.text)
            breakout = int(found[1]) if found else None
        cookie, csrf = _cookie(client)
        return Person(cookie, csrf, breakout)


async def sign_in(url: str, email: str, password: str) -> Person:
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"Origin": url}) as client:
        (await client.get("/accounts/login/")).raise_for_status()
        data = {
            "email": email,
            "password": password,
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        }
        signed = await client.post("/accounts/login/", data=data)
        if signed.status_code != 302:
            raise RuntimeError(f"Signing in as {email} failed ({signed.status_code}).")
        cookie, csrf = _cookie(client)
        return Person(cookie, csrf)


async def gather_limited(coroutines, limit: int) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


def idea_text(number: int, prefix: str = "BM") -> str:
    stamp = int(time.time() * 1e6)
    return f"Load idea {number}: pool the budgets of the place {prefix}{number}T{stamp}"


class AppPoster:
    """Posts through the app's own endpoints, each as the person posting."""

    def __init__(self, url: str, slug: str) -> None:
        self.url, self.slug = url, slug
        # Several small connection pools rather than one large one: httpx's pool looks over
        # every connection for every request waiting, which once the server falls behind
        # took the posting process more CPU than the posts.
        self.clients = [
            httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=8))
            for _ in range(8)
        ]
        self.turn = itertools.count()

    @property
    def client(self) -> httpx.AsyncClient:
        return self.clients[next(self.turn) % len(self.clients)]

    def _headers(self, person: Person) -> dict:
        return {
            "Cookie": person.cookie,
            "X-CSRFToken": person.csrf,
            "HX-Request": "true",
            "Origin": self.url,
        }

    async def idea(self, person: Person, text: str) -> int:
        data = {"text": text, "client_token": str(uuid.uuid4())}
        answer = await self.client.post(
            f"/breakouts/{person.breakout}/ideas/post/", data=data, headers=self._headers(person)
        )
        return answer.status_code

    async def answer(self, person: Person, poll: dict, number: int) -> int:
        option = poll["options"][number % len(poll["options"])]
        answer = await self.client.post(
            f"/s/{self.slug}/plenary/polls/{poll['id']}/answer/",
            data={"choice": str(option)},
            headers=self._headers(person),
        )
        return answer.status_code

    async def ask(
        self, person: Person, session: int, number: int, text: str
    ) -> tuple[int, int | None]:
        """A question from the floor: the status, and the question's id from the panel that
        comes back (the card holding the marker of ``number``)."""
        data = {"text": text, "client_token": str(uuid.uuid4())}
        answer = await self.client.post(
            f"/s/{self.slug}/plenary/questions/sessions/{session}/ask/",
            data=data,
            headers=self._headers(person),
        )
        return answer.status_code, floor_load.asked_question(answer.text, number)

    async def support(self, person: Person, question: int) -> tuple[int, int]:
        """Support a question: the status, and the question's support count now."""
        answer = await self.client.post(
            f"/s/{self.slug}/plenary/questions/{question}/support/",
            data={"supported": "1"},
            headers=self._headers(person),
        )
        return answer.status_code, floor_load.support_shown(answer.text, question)

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()


class ReferencePoster:
    """Posts to the reference server over publisher sockets, each post acknowledged."""

    def __init__(self, ws_url: str, sockets: int = 8) -> None:
        self.ws_url, self.count = ws_url, sockets
        self.pending: dict[int, asyncio.Future] = {}
        self.sockets: list = []
        self.readers: list = []
        self.turn = itertools.count()

    async def open(self) -> ReferencePoster:
        from websockets.asyncio.client import connect

        for _ in range(self.count):
            ws = await connect(self.ws_url + "/publish", compression=None, ping_interval=None)
            self.sockets.append(ws)
            self.readers.append(asyncio.create_task(self._read(ws)))
        return self

    async def _read(self, ws) -> None:
        with contextlib.suppress(Exception):
            async for message in ws:
                future = self.pending.pop(json.loads(message)["id"], None)
                if future is not None and not future.done():
                    future.set_result(200)

    async def send(self, room: str, text: str) -> int:
        number = next(self.turn)
        future = asyncio.get_running_loop().create_future()
        self.pending[number] = future
        ws = self.sockets[number % len(self.sockets)]
        await ws.send(json.dumps({"id": number, "room": room, "text": text}))
        return await future

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        for reader in self.readers:
            reader.cancel()


# Measuring the server.


class Sampler:
    """CPU (% of one core, summed over the serving processes) and resident memory, twice a
    second, from psutil."""

    def __init__(self, processes) -> None:
        self.processes = processes
        self.cpu: list[float] = []
        self.rss: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        seen: dict[int, psutil.Process] = {}
        first = True
        while first or not self._stop.wait(0.5):
            cpu = rss = 0.0
            for process in self.processes():
                try:
                    if process.pid not in seen:
                        # A process's first reading only starts its CPU clock.
                        seen[process.pid] = process
                        process.cpu_percent(None)
                    else:
                        cpu += seen[process.pid].cpu_percent(None)
                    rss += process.memory_info().rss
                except psutil.Error:
                    continue
            if not first:
                self.cpu.append(cpu)
            self.rss.append(rss / 2**20)
            first = False

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# One run.


def plan_screens(scenario: Scenario, breakouts: list[dict], plenary_key: str) -> dict:
    """How many screens of each kind, and where: consoles and a big screen for every room
    that has attendees' screens, the rest attendees."""
    use_breakouts = scenario.plenary_share < 1.0
    use_plenary = scenario.plenary_share > 0
    rooms = breakouts if use_breakouts else []
    staff = 2 * len(rooms) + (2 if use_plenary else 0)
    attendees = max(0, scenario.screens - staff)
    on_plenary = round(attendees * scenario.plenary_share)
    return {
        "rooms": rooms,
        "plenary": use_plenary,
        "plenary_attendees": on_plenary,
        "breakout_attendees": attendees - on_plenary,
        "plenary_key": plenary_key,
    }


async def people_for(
    url: str, summit: dict, plan: dict, welsh: float = 0.0
) -> tuple[list, list, dict]:
    """Everyone joins (or signs in) over HTTP, a few at a time; the share ``welsh`` of the
    attendees in Welsh (the facilitators read English)."""
    code = summit["join_code"]
    total = plan["breakout_attendees"] + plan["plenary_attendees"]
    languages = ["cy" if in_welsh(n, welsh) else "" for n in range(total)]
    joined = await gather_limited(
        (join(url, code, n, n < plan["breakout_attendees"], languages[n]) for n in range(total)),
        8,
    )
    staff = dict(
        zip(
            summit["facilitators"],
            await gather_limited(
                (sign_in(url, email, summit["password"]) for email in summit["facilitators"]), 3
            ),
            strict=True,
        )
    )
    return joined[: plan["breakout_attendees"]], joined[plan["breakout_attendees"] :], staff


def app_screens(
    plan: dict, summit: dict, members, plenary_people, staff, slow: int, welsh: float = 0.0
) -> list:
    """Every screen of the run: consoles and big screens first, then attendees' pages; the
    share ``welsh`` of the big screens in Welsh."""
    specs = []  # (path, room, kind, cookie)
    for n, room in enumerate(plan["rooms"]):
        where = f"b{room['id']}"
        console = staff[room["facilitator"]].cookie
        projector = f"{LANGUAGE_COOKIE}=cy" if in_welsh(n, welsh) else ""
        specs.append((f"/ws/breakouts/{room['id']}/", where, "console", console))
        specs.append(
            (f"/ws/screens/breakouts/{room['screen_key']}/", where, "big screen", projector)
        )
    for person in members:
        specs.append(
            (f"/ws/breakouts/{person.breakout}/", f"b{person.breakout}", "attendee", person.cookie)
        )
    if plan["plenary"]:
        page = f"/ws/plenary/{summit['slug']}/"
        console = staff[summit["facilitators"][0]].cookie
        specs.append((page, PLENARY, "console", console))
        specs.append((f"/ws/screens/plenary/{plan['plenary_key']}/", PLENARY, "big screen", ""))
        specs += [(page, PLENARY, "attendee", person.cookie) for person in plenary_people]
    screens = [Screen(n, *spec) for n, spec in enumerate(specs)]
    attendees = [s for s in screens if s.kind == "attendee"]
    for n in range(slow):
        # A second device of someone already here, which stops reading.
        twin = attendees[n % len(attendees)]
        screens.append(replace(twin, number=len(screens), slow=True))
    return screens


def reference_screens(app: list[Screen]) -> list[Screen]:
    """The same screens in the same rooms, on the reference server."""
    return [replace(s, path=f"/room/{s.room}", cookie="") for s in app]


def open_screens(ws_url: str, origin: str, screens: list[Screen], clients: int) -> list:
    """Client processes holding the screens between them; returns once all have opened."""
    processes = []
    for n in range(clients):
        share = [asdict(s) for s in screens[n::clients]]
        if not share:
            continue
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(Path(__file__).resolve()), "--client"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        process.stdin.write(json.dumps({"ws_url": ws_url, "origin": origin, "screens": share}))
        process.stdin.write("\n")
        process.stdin.flush()
        processes.append(process)
    connected = 0
    for process in processes:
        line = process.stdout.readline()
        if not line:
            close_screens(processes)
            raise RuntimeError("A client process died while opening its screens.")
        connected += json.loads(line)["connected"]
    return processes, connected


def close_screens(processes: list) -> tuple[dict, dict]:
    """Tell the client processes to stop, and collect what each screen saw."""
    for process in processes:
        with contextlib.suppress(OSError):
            process.stdin.write("stop\n")
            process.stdin.flush()
    records, slow = {}, {}
    for process in processes:
        line = process.stdout.readline()
        process.wait(timeout=60)
        process.stdin.close()
        process.stdout.close()
        if not line:
            continue
        answer = json.loads(line)
        for number, record in answer["records"]:
            record["got"] = dict(record["got"])
            record["counts"] = {int(poll): seen for poll, seen in record["counts"]}
            record["supports"] = {int(question): seen for question, seen in record["supports"]}
            records[number] = record
        slow.update(answer["slow"])
    return records, slow


async def post_for(
    scenario: Scenario, send_idea, send_answer, posters: list, answerers: list, polls: list
) -> tuple[list[Post], float, dict]:
    """Post at the scenario's rate (or as fast as answered, for saturation) for its duration.
    Returns the posts, the seconds spent posting and what the flood achieved."""
    kinds = {"ideas": ["idea"], "answers": ["answer"], "both": ["idea", "answer"]}[scenario.posts]
    posts: list[Post] = []
    answered = itertools.count()
    flood = {"accepted": 0, "refused": 0}
    flooder = posters.pop() if scenario.flood and len(posters) > 1 else None

    async def one(number: int) -> None:
        kind = kinds[number % len(kinds)]
        if kind == "idea":
            person = posters[number % len(posters)]
            post = Post(number, f"b{person.breakout}", time.time())
            posts.append(post)
            status = await _answered(send_idea(person, idea_text(number)))
        else:
            turn = next(answered)
            poll = polls[turn // len(answerers)]
            person = answerers[turn % len(answerers)]
            post = Post(number, PLENARY, time.time(), poll=poll["id"])
            posts.append(post)
            status = await _answered(send_answer(person, poll, turn))
        post.status = status
        post.ok = status == 200

    flooded = itertools.count()

    async def flooding(until: float) -> None:
        while time.monotonic() < until:
            status = await _answered(send_idea(flooder, idea_text(next(flooded), "BF")))
            flood["accepted" if status == 200 else "refused"] += 1

    start = time.monotonic()
    until = start + scenario.duration
    # A few requests at a time, as a script hammering the form would.
    background = [asyncio.create_task(flooding(until)) for _ in range(4 if flooder else 0)]
    numbers = itertools.count()
    if scenario.rate:
        await floor_load.at_rate(scenario.rate, start, until, one)
    else:

        async def loop() -> None:
            while time.monotonic() < until:
                await one(next(numbers))

        await asyncio.gather(*(loop() for _ in range(scenario.in_flight)))
    seconds = time.monotonic() - start
    await asyncio.gather(*background)
    return posts, seconds, flood if flooder else {}


async def _answered(request) -> int:
    """The status of a post, or 0 when it got no answer at all."""
    try:
        return await request
    except (httpx.HTTPError, OSError):
        return 0


def answers_needed(scenario: Scenario, answerers: int) -> int:
    if scenario.posts in ("ideas", "questions") or not answerers:
        return 1
    share = 1 if scenario.posts == "answers" else 2
    rate = scenario.rate or 200
    return max(1, math.ceil(rate * (scenario.duration + 1) / share / answerers) + 1)


async def run_app(scenario: Scenario, *, settings_module: str = "summit.config.settings") -> Result:
    """Start the stack, bring the screens in, post, measure; stop the stack."""
    breakouts = scenario.breakouts
    guess = plan_screens(scenario, [{}] * breakouts, "")
    stack = Stack(
        embedded=scenario.embedded,
        workers=scenario.workers,
        breakouts=breakouts,
        polls=answers_needed(scenario, guess["plenary_attendees"]),
        # Saturation posts as fast as it can from a few people: no per-person limit then.
        posts_per_minute=1_000_000 if not scenario.rate else 20,
        settings_module=settings_module,
        ping_interval=scenario.ping,
        ping_timeout=scenario.ping,
    )
    say(f"Starting the {'embedded' if scenario.embedded else 'full'} stack")
    stack.start()
    say(f"Serving at {stack.url} with {stack.workers} worker(s)")
    try:
        return await _measure_app(scenario, stack)
    except BaseException:
        print(stack.log_tail(), file=sys.stderr)
        raise
    finally:
        stack.stop()


async def _measure_app(scenario: Scenario, stack: Stack) -> Result:
    summit = stack.summit
    plan = plan_screens(scenario, summit["breakouts"], summit["plenary_screen_key"])
    members, plenary_people, staff = await people_for(stack.url, summit, plan, scenario.welsh)
    say(f"{len(members) + len(plenary_people)} attendees joined, {len(staff)} facilitators in")
    screens = app_screens(
        plan, summit, members, plenary_people, staff, scenario.slow, scenario.welsh
    )
    poster = AppPoster(stack.url, summit["slug"])
    ws_url = stack.url.replace("http://", "ws://")
    if scenario.posts == "questions":
        posting = _questions(scenario, poster, plenary_people, summit["qa_session"])
    else:
        posters = [p for p in members if p.breakout]
        posting = _posts(
            scenario, poster.idea, poster.answer, posters, plenary_people, summit["polls"]
        )
    result = await _drive(
        scenario,
        f"app ({'SQLite, in-memory layer' if scenario.embedded else 'PostgreSQL, Redis'}, "
        f"{stack.workers} worker{'s' if stack.workers > 1 else ''})",
        ws_url,
        stack.url,
        screens,
        posting,
        stack.worker_processes,
    )
    await poster.close()
    return result


def _posts(scenario, send_idea, send_answer, posters, answerers, polls):
    """Posting ideas or poll answers, for ``_drive``."""

    async def posting(result: Result) -> None:
        result.posts, result.seconds, result.flood = await post_for(
            scenario, send_idea, send_answer, list(posters), answerers, polls
        )

    return posting


def _questions(scenario: Scenario, poster: AppPoster, attendees: list, session: int):
    """Asking questions from the floor and supporting them, for ``_drive``. The questions
    are the run's posts, each to reach every screen of the plenary."""

    async def posting(result: Result) -> None:
        asked, result.supports, result.seconds = await floor_load.ask_and_support(
            poster, attendees, session, scenario.rate, scenario.supports, scenario.duration
        )
        result.noun = "question"
        result.posts = [Post(q.number, PLENARY, q.sent, q.ok, q.status) for q in asked]

    return posting


async def run_reference(scenario: Scenario, app_screens_used: list[Screen], frame: int) -> Result:
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(Path(__file__).with_name("reference.py")), "--frame", str(frame)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        ws_url = re.search(r"(ws://[\d.:]+)/", line)[1]
        poster = await ReferencePoster(ws_url).open()
        screens = reference_screens(app_screens_used)
        rooms = sorted({s.room for s in screens if s.room != PLENARY})
        members = [Person("", "", int(room[1:])) for room in rooms] * 4
        polls = [{"id": n, "options": [0]} for n in range(1, 1000)]

        async def idea(person: Person, text: str) -> int:
            return await poster.send(f"b{person.breakout}", text)

        async def answer(person: Person, poll: dict, turn: int) -> int:
            count = turn % 1000 + 1
            span = f'<span id="poll-{poll["id"]}-count" hx-swap-oob="outerHTML">{count} responses</span>'  # noqa: E501
            return await poster.send(PLENARY, span)

        reference = replace(scenario, flood=False)
        result = await _drive(
            reference,
            "reference (bare websockets, 1 process)",
            ws_url,
            "http://127.0.0.1",
            screens,
            _posts(reference, idea, answer, members, [Person("", "")] * 1000, polls),
            lambda: [psutil.Process(process.pid)],
        )
        await poster.close()
        return result
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


async def _drive(scenario, label, ws_url, origin, screens, posting, processes) -> Result:
    """Open the screens, post (``posting(result)`` fills in the posts and the seconds they
    took), drain, and gather what every screen saw."""
    clients = max(1, min(scenario.clients, len(screens)))
    say(f"{label}: opening {len(screens)} screens")
    running, connected = open_screens(ws_url, origin, screens, clients)
    say(f"{connected} screens open; posting for {scenario.duration:g} s")
    result = Result(label)
    result.rows["screens connected"] = f"{connected} of {len(screens)}"
    sampler = Sampler(processes).start()
    try:
        await posting(result)
        say(f"Posted {len(result.posts) + len(result.supports)}; draining for {scenario.drain:g} s")
        await asyncio.sleep(scenario.drain)
    finally:
        sampler.stop()
        records, slow = close_screens(running)
    result.slow, result.cpu, result.rss = slow, sampler.cpu, sampler.rss
    result.screens = {s.number: (s, records.get(s.number)) for s in screens}
    return result


# Turning what the screens saw into figures.


def analyse(result: Result) -> dict:
    """Expected and received deliveries, latencies, and the rest of the table's rows."""
    accepted = [p for p in result.posts if p.ok]
    by_room: dict[str, list[Post]] = {}
    for post in accepted:
        by_room.setdefault(post.room, []).append(post)
    # An answer's place among the accepted answers to its poll, in the order they were sent.
    by_poll: dict[int, list[Post]] = {}
    for post in sorted(accepted, key=lambda p: p.number):
        if post.poll is not None:
            by_poll.setdefault(post.poll, []).append(post)
            post.position = len(by_poll[post.poll])
    latencies, expected, received, dropped = [], 0, 0, 0
    close_codes: dict[str, int] = {}
    missing: dict[int, list[int]] = {}
    frames = frame_bytes = 0
    for number, (screen, record) in result.screens.items():
        if screen.slow:
            continue
        record = record or {"got": {}, "counts": {}, "frames": 0, "bytes": 0, "closed": None}
        frames += record["frames"]
        frame_bytes += record["bytes"]
        if record.get("closed") is not None or "error" in record:
            dropped += 1
            code = str(record.get("closed") or "not opened")
            close_codes[code] = close_codes.get(code, 0) + 1
        for post in by_room.get(screen.room, []):
            expected += 1
            if post.poll is None:
                latency = record["got"].get(post.number)
            else:
                latency = next(
                    (
                        when - post.sent
                        for count, when in record["counts"].get(post.poll, [])
                        if count >= post.position
                    ),
                    None,
                )
            if latency is None:
                missing.setdefault(number, []).append(post.number)
            else:
                received += 1
                latencies.append(latency * 1000)
    result.frame_bytes = frame_bytes / frames if frames else 0.0
    return {
        "accepted": len(accepted),
        "expected": expected,
        "received": received,
        "lost": expected - received,
        "missing": missing,
        "dropped": dropped,
        "close_codes": close_codes,
        "latencies": sorted(latencies),
    }


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


def rows_for(result: Result) -> dict[str, str]:
    figures = analyse(result)
    ms = figures["latencies"]
    kinds: dict[str, int] = {}
    for screen, _ in result.screens.values():
        key = "slow" if screen.slow else screen.kind
        kinds[key] = kinds.get(key, 0) + 1
    rows = dict(result.rows)
    rows["screens (attendee / console / big screen / slow)"] = " / ".join(
        str(kinds.get(k, 0)) for k in ("attendee", "console", "big screen", "slow")
    )
    statuses: dict[str, int] = {}
    for post in result.posts:
        if not post.ok:
            statuses[str(post.status)] = statuses.get(str(post.status), 0) + 1
    noun = result.noun
    # Other posts beside the questions: their rows say which deliveries they count.
    of = "" if noun == "post" else f"{noun} "
    rows[f"{noun}s sent / accepted"] = f"{len(result.posts)} / {figures['accepted']}" + _tally(
        statuses, "HTTP"
    )
    rows[f"{noun}s/s achieved"] = f"{figures['accepted'] / result.seconds:.1f}"
    rows[f"{of}deliveries expected / received"] = f"{figures['expected']} / {figures['received']}"
    rows[f"lost {of}deliveries"] = str(figures["lost"])
    rows["screens dropped"] = str(figures["dropped"]) + _tally(figures["close_codes"], "close")
    rows[f"{of}deliveries/s"] = f"{figures['received'] / result.seconds:.0f}"
    if ms:
        rows[f"{of}latency p50 / p95 / p99 / max (ms)"] = " / ".join(
            f"{v:.0f}"
            for v in (
                statistics.median(ms),
                _quantile(ms, 0.95),
                _quantile(ms, 0.99),
                ms[-1],
            )
        )
    if result.supports:
        rows.update(floor_load.support_rows(result.screens, result.supports, _quantile))
    if result.cpu:
        rows["server CPU, % of one core (mean / peak)"] = (
            f"{statistics.fmean(result.cpu):.0f} / {max(result.cpu):.0f}"
        )
        rows["server memory, RSS MiB (start / peak / end)"] = (
            f"{result.rss[0]:.0f} / {max(result.rss):.0f} / {result.rss[-1]:.0f}"
        )
    rows["mean frame (bytes)"] = f"{result.frame_bytes:.0f}"
    if result.flood:
        rows["flood: posts accepted / refused"] = (
            f"{result.flood['accepted']} / {result.flood['refused']}"
        )
    if result.slow:
        cut = sum(1 for s in result.slow.values() if not s["open"])
        rows["slow screens closed by the server"] = f"{cut} of {len(result.slow)}"
    result.rows = rows
    result.rows["_figures"] = figures
    return rows


def _tally(counts: dict[str, int], what: str) -> str:
    if not counts:
        return ""
    return " (" + ", ".join(f"{what} {k}: {v}" for k, v in sorted(counts.items())) + ")"


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def _in_welsh(scenario: Scenario) -> str:
    return f", {scenario.welsh:.0%} of attendees and big screens in Welsh" if scenario.welsh else ""


def table(scenario: Scenario, results: list[Result]) -> str:
    rows = [rows_for(r) for r in results]
    names = list(dict.fromkeys(k for r in rows for k in r if not k.startswith("_")))
    head = f"| {scenario.name} | " + " | ".join(r.label for r in results) + " |"
    lines = [
        f"Machine: {machine()}",
        f"Scenario {scenario.name}: {scenario.screens} screens, {scenario.breakouts} breakouts, "
        f"{'as fast as answered' if not scenario.rate else f'{scenario.rate:g} posts/s'} "
        f"({scenario.posts}{f', {scenario.supports:g} supports/s' if scenario.supports else ''}), "
        f"{scenario.duration:g} s, drain {scenario.drain:g} s, "
        f"{scenario.clients} client processes"
        + (
            f", {scenario.welsh:.0%} of attendees and big screens in Welsh"
            if scenario.welsh
            else ""
        ),
        "",
        head,
        "|---|" + "---:|" * len(results),
    ]
    lines += [f"| {name} | " + " | ".join(r.get(name, "") for r in rows) + " |" for name in names]
    if len(results) == 2:
        app, reference = (r.rows["_figures"]["received"] / r.seconds for r in results)
        lines.append(
            f"\nApp deliveries/s as a share of the reference's: {app / reference:.2f}"
            if reference
            else ""
        )
    return "\n".join(lines)


async def run(
    scenario: Scenario, *, settings_module: str = "summit.config.settings"
) -> list[Result]:
    app = await run_app(scenario, settings_module=settings_module)
    results = [app]
    if scenario.reference:
        rows_for(app)
        frame = int(app.frame_bytes) or 1500
        used = [s for s, _ in app.screens.values()]
        results.append(await run_reference(scenario, used, frame))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--screens", type=int)
    parser.add_argument("--breakouts", type=int)
    parser.add_argument("--rate", type=float, help="Posts a second; 0 for as fast as possible.")
    parser.add_argument("--supports", type=float, help="Supports a second, with questions.")
    parser.add_argument("--duration", type=float, help="Seconds of posting.")
    parser.add_argument("--drain", type=float, help="Seconds to wait for deliveries after.")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--clients", type=int, help="Client processes holding the screens.")
    parser.add_argument(
        "--in-flight", type=int, help="Posts at a time when posting as fast as answered."
    )
    parser.add_argument("--embedded", action="store_true", help="SQLite, in-memory, 1 worker.")
    parser.add_argument("--slow", type=int, help="Extra screens that never read.")
    parser.add_argument("--flood", action="store_true", help="One attendee posts flat out.")
    parser.add_argument("--reference", action="store_true", help="Also run the reference.")
    parser.add_argument(
        "--welsh", type=float, help="The share of attendees and big screens reading in Welsh."
    )
    args = parser.parse_args(argv)
    scenario = SCENARIOS[args.scenario]
    changes = {
        key: getattr(args, key)
        for key in (
            "screens",
            "breakouts",
            "rate",
            "supports",
            "duration",
            "drain",
            "workers",
            "clients",
            "in_flight",
            "welsh",
        )
        if getattr(args, key) is not None
    }
    if args.slow is not None:
        changes["slow"] = args.slow
    if args.embedded:
        changes.update(embedded=True, workers=1)
    if args.flood:
        changes["flood"] = True
    if args.reference:
        changes["reference"] = True
    scenario = replace(scenario, **changes)
    PROGRESS["on"] = True
    results = asyncio.run(run(scenario))
    print(table(scenario, results))


if __name__ == "__main__":
    if sys.argv[1:] == ["--client"]:
        client_main()
    else:
        main()

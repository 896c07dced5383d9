"""Counts and marks shared by every worker: in Redis when ``REDIS_URL`` is set, else in this
process's memory (the embedded default, where this process is the only one).

A count goes up by one at a time and lasts for its window (the rate limits); a mark is set
for some milliseconds, once, by whichever worker gets there first (the voice balance's
window). On Redis each call is one round trip, however many keys it touches. While Redis
cannot be reached every call raises one of ``UNAVAILABLE``; callers carry on without.

One Redis client, and so one connection pool, serves the whole process: made on first use,
not per request, since under ASGI each request runs in a context of its own and anything
kept per context would open a new connection to Redis for each.
"""

from __future__ import annotations

import threading
import time

import redis
from django.conf import settings

# What Redis out of reach raises: its own errors, or the socket's.
UNAVAILABLE = (redis.RedisError, OSError)

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def redis_client() -> redis.Redis | None:
    """This process's Redis client, or ``None`` without ``REDIS_URL``."""
    url = settings.REDIS_URL
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                client = _clients[url] = redis.Redis.from_url(url)
    return client


def key(name: str) -> str:
    """The Redis key a count or mark called ``name`` is kept under."""
    return f"{settings.REDIS_PREFIX}:{name}"


def count_each(*counters: tuple[str, int]) -> list[int]:
    """Add one to each ``(name, window in seconds)`` and return the new counts.

    A count's window starts with its first one: later ones leave its expiry alone."""
    client = redis_client()
    if client is None:
        return _here.count_each(counters)
    pipeline = client.pipeline(transaction=False)
    for name, window in counters:
        pipeline.incr(key(name))
        # EXPIRE NX (Redis 7 or later) sets the window only on a key without one: the first
        # count starts the clock and later ones leave it, and a key somehow left without an
        # expiry gets one at the next count.
        pipeline.expire(key(name), window, nx=True)
    return pipeline.execute()[::2]


def current(name: str) -> int:
    """The count ``name`` has reached in its window; 0 when it has none."""
    client = redis_client()
    if client is None:
        return _here.current(name)
    return int(client.get(key(name)) or 0)


def mark(name: str, ms: int) -> bool:
    """Set the mark ``name`` for ``ms`` milliseconds unless it is set already; whether it
    was set by this call."""
    client = redis_client()
    if client is None:
        return _here.mark(name, ms)
    return bool(client.set(key(name), 1, px=ms, nx=True))


def remaining_ms(name: str) -> int:
    """How many milliseconds the mark ``name`` has left; 0 when it is not set."""
    client = redis_client()
    if client is None:
        return _here.remaining_ms(name)
    return max(client.pttl(key(name)), 0)


def mark_anew(name: str, ms: int, *, clearing: str) -> None:
    """Set the mark ``name`` for ``ms`` milliseconds, set or not, and clear ``clearing``."""
    client = redis_client()
    if client is None:
        _here.mark_anew(name, ms, clearing)
        return
    client.pipeline(transaction=False).delete(key(clearing)).set(key(name), 1, px=ms).execute()


def keep_marks(names: list[str], ms: int) -> None:
    """Set each mark of ``names`` for ``ms`` milliseconds from now, set or not."""
    client = redis_client()
    if client is None:
        for name in names:
            _here.keep(name, ms)
        return
    pipeline = client.pipeline(transaction=False)
    for name in names:
        pipeline.set(key(name), 1, px=ms)
    pipeline.execute()


def marked(names: list[str]) -> list[bool]:
    """Whether each mark of ``names`` is set."""
    client = redis_client()
    if client is None:
        return [_here.remaining_ms(name) > 0 for name in names]
    return [value is not None for value in client.mget([key(name) for name in names])]


def clear() -> None:
    """Forget every count and mark (under this prefix, on Redis)."""
    client = redis_client()
    if client is None:
        _here.clear()
        return
    names = list(client.scan_iter(match=key("*"), count=1000))
    if names:
        client.delete(*names)


class _InThisProcess:
    """Counts and marks in a dict, each with the time it expires, behind a lock: requests
    run in several threads of the one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[int, float]] = {}  # name: (value, expires at)
        self.sweep_above = 1024

    def _live(self, name: str, now: float) -> int | None:
        entry = self.entries.get(name)
        if entry is None:
            return None
        if entry[1] <= now:
            del self.entries[name]
            return None
        return entry[0]

    def _sweep(self, now: float) -> None:
        # Each minute brings new keys (a count per person per window): drop the expired ones
        # now and then, so the dict stays the size of what is live.
        if len(self.entries) > self.sweep_above:
            self.entries = {n: e for n, e in self.entries.items() if e[1] > now}
            self.sweep_above = max(1024, 2 * len(self.entries))

    def count_each(self, counters) -> list[int]:
        now = time.monotonic()
        counted = []
        with self.lock:
            self._sweep(now)
            for name, window in counters:
                value = self._live(name, now)
                if value is None:
                    self.entries[name] = (1, now + window)
                else:
                    self.entries[name] = (value + 1, self.entries[name][1])
                counted.append(self.entries[name][0])
        return counted

    def current(self, name: str) -> int:
        with self.lock:
            return self._live(name, time.monotonic()) or 0

    def mark(self, name: str, ms: int) -> bool:
        now = time.monotonic()
        with self.lock:
            if self._live(name, now) is not None:
                return False
            self._sweep(now)
            self.entries[name] = (1, now + ms / 1000)
            return True

    def remaining_ms(self, name: str) -> int:
        now = time.monotonic()
        with self.lock:
            if self._live(name, now) is None:
                return 0
            return max(round((self.entries[name][1] - now) * 1000), 0)

    def mark_anew(self, name: str, ms: int, clearing: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.entries.pop(clearing, None)
            self.entries[name] = (1, now + ms / 1000)

    def keep(self, name: str, ms: int) -> None:
        with self.lock:
            self.entries[name] = (1, time.monotonic() + ms / 1000)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_here = _InThisProcess()

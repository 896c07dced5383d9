"""What was pushed lately to each room's screens, numbered, so that a screen that reconnects
asks for what it missed instead of fetching everything again: in Redis when ``REDIS_URL`` is
set, so that every worker numbers and keeps a room's pushes alike, else in this process (the
embedded default, where it is the only one).

Each push to a group of screens takes the group's next number, and goes out with it in front
(``<!--seq group N-->``, a comment, which htmx passes over when it swaps a message in). A group's
count starts at the time it started, in microseconds, so numbers only grow, even when Redis
or this process forgets a count: a number from before can never be mistaken for one after.
The last ``KEPT`` pushes of each group are kept for ``KEPT_SECONDS``.

A screen remembers the highest number it has seen and, when it reconnects, asks for the
pushes after it. It gets them, with the ``OVERLAP`` pushes before (pushes committed by
several workers can arrive out of their order, and every push is made to be applied twice
without harm) but none from before its board was drawn (the board holds them, and may show
more than they do: what is the person's own, a later phase), or ``None`` when some of them
are no longer kept, or the number is not one of this count: then the screen fetches
everything, as before.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from functools import cache

from summit.web import counts

logger = logging.getLogger(__name__)

KEPT = 60
KEPT_SECONDS = 6 * 60 * 60
OVERLAP = 4
MARKER = re.compile(r"<!--seq (\S+) (\d+)-->")

# One round trip: number the push, keep it with the group's last KEPT, renew both keys.
_RECORD = """
local n = redis.call('INCR', KEYS[1])
local number
if n == 1 then
  number = ARGV[2]
  redis.call('SET', KEYS[1], number)
else
  number = string.format('%.0f', n)
end
redis.call('RPUSH', KEYS[2], number .. ':' .. ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return number
"""
# Numbers travel as decimal strings: Lua's own way of writing a number as long as these
# (about 2**50) is in exponent form.


def _keys(group: str) -> tuple[str, str]:
    return counts.key(f"push:n:{group}"), counts.key(f"push:kept:{group}")


def _start() -> int:
    """Where a new count starts: now, in microseconds."""
    return time.time_ns() // 1000


def marked(group: str, number: int, html: str) -> str:
    """The message a screen is sent: the push's group and number in front of what it shows
    (a screen may hear more than one group, and keeps count of its board's alone)."""
    return f"<!--seq {group} {number}-->{html}"


@cache
def _record_script(client):
    """The script that numbers a push, registered once for this process's client (each of
    its calls runs it by its hash, loading it first only where Redis does not have it)."""
    return client.register_script(_RECORD)


def record(fragments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Number each ``(group, html)`` push, keep it, and give it back marked with its number;
    unmarked if Redis cannot be reached (the screens then fetch everything when they
    reconnect, as they would without this)."""
    client = counts.redis_client()
    if client is None:
        numbers = [_here.record(group, html) for group, html in fragments]
        return [(g, marked(g, n, html)) for (g, html), n in zip(fragments, numbers, strict=True)]
    script = _record_script(client)
    pipeline = client.pipeline(transaction=False)
    for group, html in fragments:
        script(keys=_keys(group), args=[html, _start(), KEPT, KEPT_SECONDS], client=pipeline)
    try:
        numbers = pipeline.execute()
    except counts.UNAVAILABLE:
        logger.warning("Pushes not numbered: Redis is unreachable. Screens catch up in full.")
        return list(fragments)
    return [
        (group, marked(group, int(number), html))
        for (group, html), number in zip(fragments, numbers, strict=True)
    ]


def latest(group: str) -> int | None:
    """The number of the group's latest push (its count started now if it has none), or
    ``None`` if it cannot be known (Redis away): read before what a screen is drawn from, so
    that anything pushed after it is asked for again."""
    client = counts.redis_client()
    if client is None:
        return _here.latest(group)
    number_key = _keys(group)[0]
    pipeline = client.pipeline(transaction=False)
    pipeline.set(number_key, _start(), nx=True, ex=KEPT_SECONDS).get(number_key)
    try:
        return int(pipeline.execute()[1])
    except counts.UNAVAILABLE:
        return None


def since(group: str, seen: int, drawn: int = 0) -> list[str] | None:
    """The group's pushes after number ``seen``, with the ``OVERLAP`` before it but none up
    to ``drawn`` (the number a screen's board was drawn with: what it shows already holds
    them), as they were sent; ``None`` when they are not all kept, or ``seen`` is not a
    number of this count."""
    client = counts.redis_client()
    if client is None:
        return _here.since(group, seen, drawn)
    number_key, kept_key = _keys(group)
    try:
        current, rows = (
            client.pipeline(transaction=False).get(number_key).lrange(kept_key, 0, -1).execute()
        )
    except counts.UNAVAILABLE:
        return None
    kept = []
    for row in rows:
        number, _, html = row.decode().partition(":")
        kept.append((int(number), html))
    return _after(group, int(current or 0), kept, seen, drawn)


def _after(
    group: str, current: int, kept: list[tuple[int, str]], seen: int, drawn: int
) -> list[str] | None:
    if seen > current or seen < 0:
        return None
    if seen < current and (not kept or kept[0][0] > seen + 1):
        return None  # some of what was missed is no longer kept
    position = next((i for i, (number, _) in enumerate(kept) if number > seen), len(kept))
    start = max(0, position - OVERLAP)
    while start < position and kept[start][0] <= drawn:
        start += 1
    return [marked(group, number, html) for number, html in kept[start:]]


class _InThisProcess:
    """Each group's count and last pushes in a dict, behind a lock: pushes are recorded from
    the threads that commit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.groups: dict[str, tuple[int, deque, float]] = {}  # count, kept, last push at

    def _group(self, group: str, now: float) -> tuple[int, deque, float] | None:
        entry = self.groups.get(group)
        if entry is not None and now - entry[2] > KEPT_SECONDS:
            del self.groups[group]
            return None
        return entry

    def record(self, group: str, html: str) -> int:
        now = time.monotonic()
        with self.lock:
            entry = self._group(group, now)
            number = _start() if entry is None else entry[0] + 1
            kept = deque(maxlen=KEPT) if entry is None else entry[1]
            kept.append((number, html))
            self.groups[group] = (number, kept, now)
        return number

    def latest(self, group: str) -> int:
        now = time.monotonic()
        with self.lock:
            entry = self._group(group, now)
            if entry is None:
                entry = self.groups[group] = (_start(), deque(maxlen=KEPT), now)
            return entry[0]

    def since(self, group: str, seen: int, drawn: int) -> list[str] | None:
        with self.lock:
            entry = self._group(group, time.monotonic())
            current, kept = (0, []) if entry is None else (entry[0], list(entry[1]))
        return _after(group, current, kept, seen, drawn)

    def clear(self) -> None:
        with self.lock:
            self.groups.clear()


_here = _InThisProcess()


def clear() -> None:
    """Forget every group's count and pushes kept in this process (Redis's go with
    ``counts.clear``, under the same prefix)."""
    _here.clear()

"""Questions from the floor under load, for the plenary-questions scenario of ``load.py``.

Attendees in the plenary ask the panel at one rate and support one another's questions at
another, over the app's own endpoints, while every screen of the plenary listens. Each
question's text carries the load tool's marker (``BM<number>T<microseconds>``), so each
screen notes when it arrives, as with ideas. A support carries nothing to the screens but
the question's new count (``<span id="question-<pk>-support" ...>n supporters</span>``),
folded like a poll's tally when several come at once; the count a support made comes back
in the answer to it, and it counts as delivered to a screen when that screen first shows at
least that count.

Nothing here imports ``load.py``: it is handed the poster and the attendees, and gives back
what was asked and supported.
"""

from __future__ import annotations

import asyncio
import bisect
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

# A question's card, in the panel an asker gets back; its support count, wherever it shows.
QUESTION_CARD = re.compile(r'<li[^>]*\bid="question-(\d+)"')
SUPPORT = re.compile(r'id="question-(\d+)-support"[^>]*>(\d+) supporter')
# A new question's card and every support count are pushed to every screen of the plenary
# (phones, consoles and the big screen), and each is expected on every one of them.
PLENARY = "plenary"


def question_text(number: int) -> str:
    stamp = int(time.time() * 1e6)
    return f"Question {number} from the floor: who holds the budget here? BM{number}T{stamp}"


def asked_question(panel: str, number: int) -> int | None:
    """The question marked ``number`` in the panel an asker gets back: the card it is in."""
    where = panel.find(f"BM{number}T")
    cards = QUESTION_CARD.findall(panel, 0, max(where, 0))
    return int(cards[-1]) if where >= 0 and cards else None


def support_shown(fragment: str, question: int) -> int:
    """The support count shown for ``question`` in a fragment; 0 if it shows none."""
    for found in SUPPORT.finditer(fragment):
        if int(found[1]) == question:
            return int(found[2])
    return 0


@dataclass
class Asked:
    number: int
    sent: float
    status: int = 0  # the HTTP status (0: no answer)
    question: int | None = None  # its id, read from the answer

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.question is not None


@dataclass
class Support:
    number: int
    question: int
    sent: float
    status: int = 0
    count: int = 0  # the question's support with this one in, from the answer

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.count > 0


@dataclass
class Floor:
    """Who asked which question so far in a run, and who supports which."""

    people: int
    askers: dict[int, int] = field(default_factory=dict)  # question: the attendee who asked
    backed: set[tuple[int, int]] = field(default_factory=set)  # (attendee, question)

    def choose(self, number: int) -> tuple[int, int] | None:
        """Who gives support ``number``, and to which question. The attendees take turns
        from the last (askers take theirs from the first), over the questions asked so far
        in turn, never their own question nor one they support already."""
        questions = list(self.askers)
        person = self.people - 1 - number % self.people
        for turn in range(len(questions)):
            question = questions[(number + turn) % len(questions)]
            if self.askers[question] != person and (person, question) not in self.backed:
                self.backed.add((person, question))
                return person, question
        return None


async def at_rate(rate: float, start: float, until: float, one) -> None:
    """Call ``one(0)``, ``one(1)``... ``rate`` times a second from ``start`` until ``until``,
    each in a task of its own, and wait for them all. Every scenario with a rate is paced so
    (``load.post_for``)."""
    tasks = set()
    number = 0
    while (due := start + number / rate) < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        task = asyncio.create_task(one(number))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        number += 1
    await asyncio.gather(*tasks)


async def ask_and_support(
    poster, attendees: list, session: int, asks: float, supports: float, duration: float
) -> tuple[list[Asked], list[Support], float]:
    """Ask ``asks`` questions a second and give ``supports`` supports a second, for
    ``duration`` seconds. Returns the questions, the supports and the seconds it took."""
    floor = Floor(len(attendees))
    asked: list[Asked] = []
    given: list[Support] = []

    async def ask(number: int) -> None:
        question = Asked(number, time.time())
        asked.append(question)
        person = number % len(attendees)
        try:
            question.status, question.question = await poster.ask(
                attendees[person], session, number, question_text(number)
            )
        except (httpx.HTTPError, OSError):
            return
        if question.ok:
            floor.askers[question.question] = person

    async def support(number: int) -> None:
        chosen = floor.choose(number)
        if chosen is None:
            return  # nothing to support yet
        person, question = chosen
        support = Support(number, question, time.time())
        given.append(support)
        try:
            support.status, support.count = await poster.support(attendees[person], question)
        except (httpx.HTTPError, OSError):
            return

    start = time.monotonic()
    until = start + duration
    await asyncio.gather(at_rate(asks, start, until, ask), at_rate(supports, start, until, support))
    return asked, given, time.monotonic() - start


# What the screens saw of the supports.


def support_figures(screens: dict, supports: list[Support]) -> dict:
    """For every screen of the plenary and every accepted support: when the screen first
    showed the count that support made. And the screens whose last count for a question is
    below the supports it was given (each pair of screen and question counted once)."""
    accepted = [s for s in supports if s.ok]
    given = Counter(s.question for s in accepted)
    latencies, expected, received, short = [], 0, 0, 0
    for screen, record in screens.values():
        if screen.slow or screen.room != PLENARY:
            continue
        seen = (record or {}).get("supports", {})
        # Each screen notes a question's count only when it rises: in order, for bisect.
        shown = {q: ([c for c, _ in seen[q]], [w for _, w in seen[q]]) for q in seen}
        for support in accepted:
            expected += 1
            counts, times = shown.get(support.question, ([], []))
            at = bisect.bisect_left(counts, support.count)
            if at < len(counts):
                received += 1
                latencies.append((times[at] - support.sent) * 1000)
        short += sum(1 for q, n in given.items() if (shown[q][0][-1] if q in shown else 0) < n)
    return {
        "sent": len(supports),
        "accepted": len(accepted),
        "expected": expected,
        "received": received,
        "short": short,
        "latencies": sorted(latencies),
    }


def support_rows(screens: dict, supports: list[Support], quantile) -> dict[str, str]:
    """The table's rows for the supports; ``quantile(sorted values, q)`` as the others use."""
    figures = support_figures(screens, supports)
    refused = Counter(str(s.status) for s in supports if not s.ok)
    rows = {
        "supports sent / accepted": f"{figures['sent']} / {figures['accepted']}"
        + "".join(f" (HTTP {k}: {v})" for k, v in sorted(refused.items())),
        "support deliveries expected / received": f"{figures['expected']} / {figures['received']}",
        "supports lost (screens short of a question's count after the drain)": str(
            figures["short"]
        ),
    }
    ms = figures["latencies"]
    if ms:
        rows["support latency p50 / p95 / p99 / max (ms)"] = " / ".join(
            f"{v:.0f}"
            for v in (statistics.median(ms), quantile(ms, 0.95), quantile(ms, 0.99), ms[-1])
        )
    return rows

"""How long the live pages take on the server, and how many queries, for a big breakout.

Builds a synthetic Place Summit in a throwaway database with ``bench/record.py``'s builder:
500 participants in 5 breakouts, so each breakout holds 100 members and 1,000 ideas (with
comments, dots, clusters and outcomes in the same proportions as the record's benchmark), and
the plenary's polls answered by everyone. It then asks for each page as the person who opens
it would, and for the fragment each screen fetches when its socket (re)opens, and prints one
markdown table: the median and 90th percentile of the server time, the queries and the size.

Then it carries the summit through its day and measures the pages added for it: an
attendee's first thoughts before the day (``bench/pages_after.py``); once it is live, the
questions from the floor, with one open session of questions supported by the room
(``bench/pages_floor.py``); and once it has closed, the follow-up actions, an attendee's
"what we did" page and the public summary, how views moved on the assumptions check asked
again at the close, and the feedback results. Their numbers follow the participants': at
500, 300 first thoughts and 400 feedback answers; ``--questions`` and ``--supports`` set the
questions from the floor. Before any page is measured, the clusters and outcomes of ten rooms
on one subtheme are mapped to ``--themes`` themes; once the day is live, the synthesis pages
and the big screen with a theme on it are measured, the candidates offered by the engine a
running app chooses (``bench/pages_synthesis.py``).

The server time is the wall-clock time around the Django test client's ``get`` in this
process, the whole answer read: URL routing, middleware, the view, its queries and the
template. No network, no TLS, no browser; the database is the real one named.

    .venv/bin/python bench/pages.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --ideas 1000 --participants 500 --repeat 20
    .venv/bin/python bench/pages.py --ideas 250 --participants 125 --breakouts 2 \\
        --questions 50 --supports 500                     # smaller, to compare the queries

With PostgreSQL a test database is created beside the one named and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

# A page timed ``--record-repeat`` times rather than ``--repeat``: it takes seconds.
SLOW = True


def make_summit(ideas: int, participants: int, breakouts: int):
    """A summit whose first breakout holds ``ideas`` ideas and the given share of the
    ``participants``; the plenary with a poll open and its results on the big screen."""
    from record import make_summit as make_record_summit

    from breakouts.models import Breakout
    from plenary.models import Poll
    from plenary.services import open_poll, plenary_for, show_results

    summit, organiser, made = make_record_summit(participants, ideas * breakouts, breakouts)
    group = Breakout.objects.get(summit=summit, name="Group 1")
    # The heaviest board: dots and cross-sector support shown beside every idea.
    group.phase = Breakout.Phase.VOTE
    group.save(update_fields=["phase"])
    plenary = plenary_for(summit)
    poll = Poll.objects.filter(plenary=plenary, kind=Poll.Kind.SCALE).order_by("pk").first()
    show_results(open_poll(poll), True)
    people = {
        "organiser": organiser,
        "facilitator": group.facilitators.get(),
        "attendee": group.members.order_by("pk").first(),
    }
    made["ideas in the breakout"] = group.ideas.count()
    made["members of the breakout"] = group.members.count()
    return summit, group, plenary, people, made


def miss_three_posts(group, people) -> dict[str, int]:
    """Post three ideas, as screens that had lost their connection would miss them; the
    number of each audience's last push before them, as such a screen asks with."""
    import uuid

    from breakouts import live, services
    from breakouts.board import AUDIENCES
    from breakouts.models import Breakout

    seen = {audience: live.latest_push(group.pk, audience)["seq"] for audience in AUDIENCES}
    # Ideas are posted while gathering them; the board measured is the vote's, the heaviest.
    Breakout.objects.filter(pk=group.pk).update(phase=Breakout.Phase.GATHER)
    group.refresh_from_db()
    for n in range(3):
        text = f"Missed while reconnecting {n}"
        services.post_idea(
            breakout=group, author=people["attendee"], text=text, client_token=uuid.uuid4()
        )
    Breakout.objects.filter(pk=group.pk).update(phase=Breakout.Phase.VOTE)
    group.refresh_from_db()
    return seen


def pages(summit, group, plenary, seen) -> list[tuple]:
    """(label, who asks, path, fetched by htmx, and ``SLOW`` for a page timed
    ``--record-repeat`` times) for every page of the day measured first."""
    from django.urls import reverse

    slug = summit.slug
    board = reverse("breakouts:board", args=[group.pk])
    screen_board = reverse("breakouts:screen_board", args=[group.screen_key])
    panel = reverse("plenary:panel", args=[slug])
    return [
        ("breakout: facilitator console", "facilitator", reverse("breakouts:console", args=[group.pk]), False),  # noqa: E501
        ("breakout: console's board on reconnect", "facilitator", f"{board}?view=facilitators", True),  # noqa: E501
        ("breakout: console's board on reconnect, three posts missed", "facilitator", f"{board}?view=facilitators&since={seen['facilitators']}", True),  # noqa: E501
        ("breakout: console's voice balance on reconnect", "facilitator", reverse("breakouts:voice", args=[group.pk]), True),  # noqa: E501
        ("breakout: attendee page", "attendee", reverse("breakouts:breakout", args=[group.pk]), False),  # noqa: E501
        ("breakout: attendee's board on reconnect", "attendee", f"{board}?view=members", True),
        ("breakout: attendee's board on reconnect, three posts missed", "attendee", f"{board}?view=members&since={seen['members']}", True),  # noqa: E501
        ("breakout: big screen", None, reverse("breakouts:screen", args=[group.screen_key]), False),
        ("breakout: big screen's board on reconnect", None, screen_board, True),
        ("breakout: big screen's board on reconnect, three posts missed", None, f"{screen_board}?since={seen['screen']}", True),  # noqa: E501
        ("plenary: attendee room", "attendee", reverse("plenary:room", args=[slug]), False),
        ("plenary: attendee's room on reconnect", "attendee", f"{panel}?view=attendees", True),
        ("plenary: facilitator console", "facilitator", reverse("plenary:console", args=[slug]), False),  # noqa: E501
        ("plenary: console's room on reconnect", "facilitator", f"{panel}?view=facilitators", True),
        ("plenary: big screen", None, reverse("plenary:screen", args=[plenary.screen_key]), False),
        ("plenary: big screen's room on reconnect", None, reverse("plenary:screen_panel", args=[plenary.screen_key]), True),  # noqa: E501
        ("record page (HTML)", "organiser", reverse("record", args=[slug]), False, SLOW),
    ]  # fmt: skip


def fetch(client, path: str, htmx: bool) -> int:
    """Ask for ``path`` and read the whole answer, keeping none of it."""
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def clients_for(people) -> dict:
    """A client signed in as each person, and one signed in as nobody (the big screens)."""
    from django.test import Client

    clients = {None: Client()}
    for role, person in people.items():
        clients[role] = Client()
        clients[role].force_login(person.user)
    return clients


def measure(clients, measured: list[tuple], repeat: int, record_repeat: int) -> list[tuple]:
    """A row for each of the ``measured`` pages (as ``pages`` lists them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    for label, who, path, htmx, *slow in measured:
        client = clients[who]
        # First the queries, on a run that also warms up (templates compiled, modules
        # imported); then the time, on runs of their own.
        with CaptureQueriesContext(connection) as captured:
            size = fetch(client, path, htmx)
        queries = len(captured)
        times = []
        for _ in range(record_repeat if slow else repeat):
            started = time.perf_counter()
            fetch(client, path, htmx)
            times.append(time.perf_counter() - started)
        rows.append(
            (label, statistics.median(times), percentile(times, 0.9), queries, size, len(times))
        )
    return rows


def through_the_day(summit, plenary, people, clients, args) -> tuple[list[tuple], dict]:
    """Carry the summit from before the day to after it, measuring the pages of each stage
    while it lasts; the rows, and what was made for them."""
    from pages_after import (
        after_the_day_pages,
        ask_the_assumptions_again,
        before_the_day_pages,
        close_the_day,
        give_feedback_on_the_day,
        write_first_thoughts,
    )
    from pages_floor import ask_and_support, floor_pages
    from pages_synthesis import synthesis_shown

    from accounts.models import Participant
    from summit.event.models import Summit
    from summit.organise.summit_settings import move_summit

    def measured(stage: list[tuple]) -> list[tuple]:
        return measure(clients, stage, args.repeat, args.record_repeat)

    attendees = list(
        Participant.objects.filter(summit=summit, role=Participant.Role.ATTENDEE).order_by("pk")
    )
    made = write_first_thoughts(summit, people, attendees, args.participants * 3 // 5)
    rows = measured(before_the_day_pages(summit))
    # The day: the first thoughts go onto the walls as the summit goes live.
    move_summit(summit, Summit.Status.LIVE, by=people["organiser"])
    with synthesis_shown(summit, plenary, people) as stage:
        rows += measured(stage)
    made |= ask_and_support(summit, people, attendees, args.questions, args.supports)[1]
    rows += measured(floor_pages(summit, plenary))
    made |= give_feedback_on_the_day(attendees, args.participants * 4 // 5)
    made |= ask_the_assumptions_again(plenary, attendees)
    made |= close_the_day(summit, people)
    rows += measured(after_the_day_pages(summit, made.pop("public key")))
    return rows, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=1000, help="ideas in each breakout")
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--breakouts", type=int, default=5)
    parser.add_argument("--questions", type=int, default=200, help="questions from the floor")
    parser.add_argument("--supports", type=int, default=2000, help="tries at supporting a question")
    parser.add_argument("--themes", type=int, default=8, help="themes on the subtheme synthesised")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each page")
    parser.add_argument(
        "--record-repeat", type=int, default=5, help="timed runs of the record page"
    )
    args = parser.parse_args()

    from pages_synthesis import make_synthesis
    from record import throwaway_database

    with throwaway_database() as connection:
        started = time.perf_counter()
        summit, group, plenary, people, made = make_summit(
            args.ideas, args.participants, args.breakouts
        )
        made |= make_synthesis(summit, people, args.themes)
        print(
            f"Made on {connection.vendor} in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in made.items())
        )
        print()
        clients = clients_for(people)
        seen = miss_three_posts(group, people)
        measured = pages(summit, group, plenary, seen)
        rows = measure(clients, measured, args.repeat, args.record_repeat)
        later, made = through_the_day(summit, plenary, people, clients, args)
        rows += later
        print("Then, through the day: " + ", ".join(f"{n:,} {what}" for what, n in made.items()))
        print()
    print("| page | median (ms) | p90 (ms) | queries | size (KiB) | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, median, p90, queries, size, runs in rows:
        print(
            f"| {label} | {median * 1000:.1f} | {p90 * 1000:.1f} | {queries} "
            f"| {size / 1024:,.1f} | {runs} |"
        )


if __name__ == "__main__":
    main()

"""How long the summit record takes to make, and how much memory, for a large summit.

Builds a synthetic Place Summit of 500 participants and 10,000 ideas (with comments, dots,
clusters, outcomes rated in their groups, and the plenary's polls answered, the consensus
check included) in a throwaway database, then asks for each format as an organiser would and
prints one table: the time, the peak of Python memory (tracemalloc), the queries and the
size of what was sent.

    .venv/bin/python bench/record.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/record.py

With PostgreSQL a test database is created beside the one named and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

FORMATS = ("record", "record_docx", "record_markdown", "record_xlsx", "record_csv", "record_json")
LABELS = {
    "record": "page (HTML)",
    "record_docx": "DOCX",
    "record_markdown": "Markdown",
    "record_xlsx": "XLSX",
    "record_csv": "CSV zip (streamed)",
    "record_json": "JSON (streamed)",
}


def make_summit(people: int, ideas: int, breakouts: int, seed: int = 1):
    """A summit of ``people`` attendees in ``breakouts`` groups who posted ``ideas`` ideas."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Participant, User
    from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating, Vote
    from plenary.models import Answer, Poll, PollOption, Response
    from plenary.services import plenary_for
    from summit.event.agreement import Agreement
    from summit.event.sectors import sector_names
    from summit.organise.design_file import load_place_summit

    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    summit = load_place_summit()[0]
    subthemes = list(summit.subthemes.all())
    groups = Breakout.objects.bulk_create(
        Breakout(summit=summit, subtheme=subthemes[n % len(subthemes)], name=f"Group {n + 1}")
        for n in range(breakouts)
    )
    sectors = list(sector_names(summit))
    no_password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench-{n}", password=no_password) for n in range(people + breakouts + 2)
    )
    staff = [
        Participant(
            user=users[n],
            summit=summit,
            role=Participant.Role.FACILITATOR if n < breakouts else Participant.Role.ORGANISER,
            display_name=f"Facilitator {n}",
            organisation="Bench Council",
            sector=sectors[n % len(sectors)],
        )
        for n in range(breakouts + 2)
    ]
    attendees = [
        Participant(
            user=users[breakouts + 2 + n],
            summit=summit,
            display_name=f"Attendee {n}",
            organisation=f"Organisation {n % 40}",
            sector=sectors[n % len(sectors)],
            anonymous=n % 5 == 0,
        )
        for n in range(people)
    ]
    Participant.objects.bulk_create(staff + attendees)
    organiser = staff[-1]
    member = {}
    Breakout.facilitators.through.objects.bulk_create(
        Breakout.facilitators.through(breakout_id=g.pk, participant_id=staff[n].pk)
        for n, g in enumerate(groups)
    )
    Breakout.members.through.objects.bulk_create(
        Breakout.members.through(breakout_id=groups[n % breakouts].pk, participant_id=p.pk)
        for n, p in enumerate(attendees)
    )
    for n, p in enumerate(attendees):
        member.setdefault(groups[n % breakouts].pk, []).append(p)

    clusters = Cluster.objects.bulk_create(
        Cluster(breakout=g, name=f"Theme {k + 1}") for g in groups for k in range(5)
    )
    by_group = {}
    for c in clusters:
        by_group.setdefault(c.breakout_id, []).append(c)
    rows = []
    for n in range(ideas):
        group = groups[n % breakouts]
        author = rng.choice(member[group.pk])
        status = Idea.Status.VISIBLE
        roll = rng.random()
        if roll < 0.05:
            status = Idea.Status.HIDDEN
        elif roll < 0.06:
            status = Idea.Status.WITHDRAWN
        rows.append(
            Idea(
                breakout=group,
                author=author,
                text=f"Idea {n}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))),
                anonymous=rng.random() < 0.1,
                status=status,
                hidden_reason="Off the subject" if status == Idea.Status.HIDDEN else "",
                cluster=rng.choice(by_group[group.pk]) if rng.random() < 0.5 else None,
                client_token=uuid.uuid4(),
            )
        )
    made = Idea.objects.bulk_create(rows, batch_size=2000)
    visible = {}
    for idea in made:
        if idea.status == Idea.Status.VISIBLE:
            visible.setdefault(idea.breakout_id, []).append(idea)
    merged = [i for ideas_ in visible.values() for i in ideas_[1::50]]
    for idea in merged:
        idea.status = Idea.Status.MERGED
        idea.merged_into = visible[idea.breakout_id][0]
        idea.cluster = None
    Idea.objects.bulk_update(merged, ["status", "merged_into", "cluster"], batch_size=1000)
    Comment.objects.bulk_create(
        (
            Comment(
                idea=idea,
                author=rng.choice(member[idea.breakout_id]),
                text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))),
                anonymous=rng.random() < 0.1,
                client_token=uuid.uuid4(),
            )
            for idea in made
            for _ in range(2)
        ),
        batch_size=2000,
    )
    votes = []
    for group in groups:
        for person in member[group.pk]:
            for idea in rng.sample(visible[group.pk], 5):
                votes.append(Vote(idea=idea, voter=person, dots=rng.randint(1, 3)))
    Vote.objects.bulk_create(votes, batch_size=2000)

    outcomes = []
    for group in groups:
        for k in range(5):
            outcomes.append(
                Outcome(
                    breakout=group,
                    proposal=f"Outcome {k + 1} of {group.name}: "
                    + " ".join(rng.choice(WORDS) for _ in range(30)),
                    who_should_act="Councils and their partners",
                )
            )
    Outcome.objects.bulk_create(outcomes)
    Outcome.ideas.through.objects.bulk_create(
        Outcome.ideas.through(outcome_id=o.pk, idea_id=i.pk)
        for o in outcomes
        for i in rng.sample(visible[o.breakout_id], 3)
    )
    Rating.objects.bulk_create(
        (
            Rating(outcome=o, rater=person, level=rng.choice(Agreement.values))
            for o in outcomes
            for person in member[o.breakout_id]
        ),
        batch_size=2000,
    )

    plenary = plenary_for(summit)
    Poll.objects.filter(plenary=plenary).update(state=Poll.State.CLOSED)
    consensus = Poll.objects.create(
        plenary=plenary, kind=Poll.Kind.CONSENSUS, question="Consensus check", state="closed"
    )
    PollOption.objects.bulk_create(
        PollOption(poll=consensus, order=n, text=o.proposal, outcome=o)
        for n, o in enumerate(outcomes, start=1)
    )
    Poll.objects.create(
        plenary=plenary, kind=Poll.Kind.TEXT, question="What first?", state="closed"
    )
    polls = {p.kind: p for p in Poll.objects.filter(plenary=plenary)}
    poll_of = {p.pk: p for p in polls.values()}
    options = {p.pk: list(p.options.all()) for p in polls.values()}
    responses = Response.objects.bulk_create(
        Response(poll=poll, participant=person) for poll in polls.values() for person in attendees
    )
    answers = []
    for response in responses:
        poll = poll_of[response.poll_id]
        opts = options[poll.pk]
        if poll.kind == Poll.Kind.SCALE:
            for o in opts:
                text = "It depends on the place" if rng.random() < 0.1 else ""
                answers.append(
                    Answer(response=response, option=o, value=rng.randint(1, 5), text=text)
                )
        elif poll.kind == Poll.Kind.RANKING:
            for place, o in enumerate(rng.sample(opts, len(opts)), start=1):
                answers.append(Answer(response=response, option=o, value=place))
        elif poll.kind == Poll.Kind.WORDS:
            for word in rng.sample(WORDS, 2):
                answers.append(Answer(response=response, text=word))
        elif poll.kind == Poll.Kind.CONSENSUS:
            for o in rng.sample(opts, min(30, len(opts))):
                level = rng.choice(Agreement.values)
                reason = "It bypasses the councillors" if level == Agreement.BLOCK else ""
                answers.append(Answer(response=response, option=o, value=level, text=reason))
        else:
            answers.append(Answer(response=response, text="Trust local leaders"))
    Answer.objects.bulk_create(answers, batch_size=5000)
    return (
        summit,
        organiser,
        {
            "participants": len(staff) + len(attendees),
            "ideas": len(made),
            "comments": Comment.objects.count(),
            "votes": len(votes),
            "outcomes": len(outcomes),
            "ratings": Rating.objects.count(),
            "poll answers": len(answers),
        },
    )


WORDS = (
    "place",
    "council",
    "partners",
    "residents",
    "trust",
    "budget",
    "health",
    "care",
    "data",
    "share",
    "local",
    "national",
    "leadership",
    "citizens",
    "panel",
    "community",
    "assets",
    "narrative",
    "power",
    "legitimacy",
    "consensus",
    "outcome",
    "services",
    "prevention",
    "housing",
    "transport",
    "youth",
    "voluntary",
    "faith",
    "business",
    "evidence",
    "long",
    "term",
)


def fetch(client, url: str) -> int:
    """Ask for ``url`` and read the whole answer as a browser would, keeping none of it."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(summit, organiser) -> list[tuple]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(organiser.user)
    rows = []
    for name in FORMATS:
        url = reverse(name, args=[summit.slug])
        # First the queries (and a warm start: templates compiled, modules imported)...
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            fetch(client, url)
        queries = len(captured)  # read now: the context reads the log when asked
        # ...then the time, and the peak of Python's memory on a run of its own, since
        # tracing every allocation slows the run down.
        started = time.perf_counter()
        size = fetch(client, url)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        fetch(client, url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append((LABELS[name], seconds, peak / 2**20, queries, size / 2**20))
    return rows


@contextmanager
def throwaway_database():
    """Django set up on a test database of its own (a SQLite file in a temporary folder, or
    one beside ``DATABASE_URL``'s), dropped afterwards; yields the connection."""
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("SUMMIT_TEST_DB", str(Path(folder) / "bench.sqlite3"))
        django.setup()
        # As in production: no debug bookkeeping of every query.
        setup_test_environment(debug=False)
        name = connection.creation.create_test_db(verbosity=0, keepdb=False)
        try:
            yield connection
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--breakouts", type=int, default=20)
    args = parser.parse_args()

    with throwaway_database() as connection:
        started = time.perf_counter()
        summit, organiser, made = make_summit(args.people, args.ideas, args.breakouts)
        print(
            f"Made on {connection.vendor} in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in made.items())
        )
        print()
        rows = measure(summit, organiser)
    head = ("format", "time (s)", "peak memory (MiB)", "queries", "size (MiB)")
    print(f"{head[0]:<20} {head[1]:>9} {head[2]:>18} {head[3]:>8} {head[4]:>11}")
    for label, seconds, peak, queries, size in rows:
        print(f"{label:<20} {seconds:>9.2f} {peak:>18.1f} {queries:>8} {size:>11.2f}")


if __name__ == "__main__":
    main()

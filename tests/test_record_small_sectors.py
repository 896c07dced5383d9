"""The record's tables by sector, in every format, show no sector of fewer than five people on
its own: attendance, what each sector contributed, each breakout's voice balance, ratings of
outcomes in the group and in the plenary, and each idea's supporters. Six of health and four
of faith: neither is shown on its own, as six less than the total would give the four away,
and all ten are given together as "Other sectors together (no sector of fewer than 5 people
is shown alone)". With one of business as well, health has its own row and faith and business
are counted together; with a fifth of faith, faith has its own row. Where everyone in a table
is fewer than five together, the row gives no count of them at all."""

from __future__ import annotations

import json
import re
import uuid

import jsonschema
import pytest

from accounts.models import Participant
from breakouts.models import Breakout, Idea, Outcome, Rating, Vote
from plenary.models import Answer, Poll, PollOption, Response
from plenary.services import plenary_for
from summit.event.agreement import Agreement
from summit.event.measures import OTHER_SECTORS
from tests.conftest import make_participant
from tests.test_record import (
    bundle_of,
    docx_of,
    docx_text,
    json_of,
    markdown_of,
    page_of,
    schema,
    workbook_of,
)

HEALTH = "Health and care (NHS)"
OTHER = str(OTHER_SECTORS)
WITHHELD = "fewer than 5"


class Room:
    """A breakout of six people of health and four of faith (unless told other numbers), each
    of whom put a dot on one idea, rated one outcome in the group and answered the plenary's
    consensus check on it."""

    def __init__(self, summit, breakout: Breakout, health: int = 6, faith: int = 4) -> None:
        self.summit = summit
        self.breakout = breakout
        # The organiser is of health too, so the summit's other sectors have nobody in them.
        self.organiser = make_participant(
            summit, Participant.Role.ORGANISER, name="Olivia Okafor", sector="health"
        )
        self.idea = Idea.objects.create(
            breakout=breakout,
            author=self.organiser,
            text="Pool budgets for each place",
            client_token=uuid.uuid4(),
        )
        self.outcome = Outcome.objects.create(
            breakout=breakout, proposal="Councils and the NHS pool budgets", who_should_act="All"
        )
        self.outcome.ideas.set([self.idea])
        self.poll = Poll.objects.create(
            plenary=plenary_for(summit),
            kind=Poll.Kind.CONSENSUS,
            question="Where do you stand?",
            state=Poll.State.CLOSED,
        )
        self.option = PollOption.objects.create(
            poll=self.poll, order=1, text=self.outcome.proposal, outcome=self.outcome
        )
        for n in range(health):
            self.add(f"Hana {n}", "health")
        for n in range(faith):
            self.add(f"Fatima {n}", "faith")

    def add(self, name: str, sector: str) -> None:
        person = make_participant(self.summit, name=name, sector=sector)
        self.breakout.members.add(person)
        Vote.objects.create(idea=self.idea, voter=person, dots=1)
        Rating.objects.create(outcome=self.outcome, rater=person, level=Agreement.FULL)
        response = Response.objects.create(poll=self.poll, participant=person)
        Answer.objects.create(response=response, option=self.option, value=Agreement.FULL)


@pytest.fixture
def room(summit, breakout) -> Room:
    return Room(summit, breakout)


@pytest.fixture
def few(summit, breakout) -> Room:
    """Three of faith, and the organiser of health: fewer than five in every table."""
    return Room(summit, breakout, health=0, faith=3)


def _words(text: str) -> str:
    """A document's text as a reader meets it: no markup, Markdown's escapes undone, table
    cells one space apart."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.replace("|", " ").replace("*", " ").split())


def _documents(person: Participant) -> dict[str, str]:
    return {
        "page": _words(page_of(person)[0]),
        "markdown": _words(markdown_of(person)),
        "docx": _words(docx_text(docx_of(person))),
    }


def test_json_gives_a_sector_of_four_only_among_others(room):
    document = json_of(room.organiser)

    # Six of health beside four of faith: health too is given only among the others, or six
    # less than the total would count faith's four.
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["attendance"] == [
        {"sector": OTHER, "attendees": 10, "facilitators": 0, "organisers": 1},
    ]
    activity = document["participation"]["by_sector"]
    assert [(s["sector"], s["attendees"], s["voters"]) for s in activity] == [(OTHER, 10, 10)]
    voice = document["breakouts"][0]["voice_balance"]["by_sector"]
    assert [(s["sector"], s["members"], s["member_share"], s["contributions"]) for s in voice] == [
        (OTHER, 10, 100.0, 10),
    ]
    checks = document["breakouts"][0]["outcomes"][0]["checks"]
    assert [c["by_sector"] for c in checks] == [
        [{"sector": OTHER, "support": 10, "stand_aside": 0, "disagree": 0, "block": 0}]
    ] * 2
    (idea,) = document["ideas"]
    assert idea["supporters_by_sector"] == [{"sector": OTHER, "supporters": 10}]
    assert not re.search(
        "Faith|Health",
        json.dumps([document["attendance"], activity, voice, checks, idea["supporters_by_sector"]]),
    )

    room.add("Bilal 0", "business")
    document = json_of(room.organiser)

    # With one of business, faith's four and business's one are five together: health is
    # shown on its own, and the others counted together.
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["attendance"] == [
        {"sector": HEALTH, "attendees": 6, "facilitators": 0, "organisers": 1},
        {"sector": OTHER, "attendees": 5, "facilitators": 0, "organisers": 0},
    ]
    activity = document["participation"]["by_sector"]
    assert [(s["sector"], s["attendees"], s["voters"]) for s in activity] == [
        (HEALTH, 6, 6),
        (OTHER, 5, 5),
    ]
    voice = document["breakouts"][0]["voice_balance"]["by_sector"]
    assert [(s["sector"], s["members"], s["member_share"], s["contributions"]) for s in voice] == [
        (HEALTH, 6, 54.5, 6),
        (OTHER, 5, 45.5, 5),
    ]
    checks = document["breakouts"][0]["outcomes"][0]["checks"]
    assert [c["by_sector"] for c in checks] == [
        [
            {"sector": HEALTH, "support": 6, "stand_aside": 0, "disagree": 0, "block": 0},
            {"sector": OTHER, "support": 5, "stand_aside": 0, "disagree": 0, "block": 0},
        ]
    ] * 2
    (poll,) = [p for p in document["polls"] if p["id"] == room.poll.pk]
    assert poll["statements"][0]["by_sector"] == checks[0]["by_sector"]
    (idea,) = document["ideas"]
    assert idea["supporters_by_sector"] == [
        {"sector": HEALTH, "supporters": 6},
        {"sector": OTHER, "supporters": 5},
    ]
    assert idea["support_score"] == 6.13  # counted from every sector all the same
    assert not re.search(
        "Faith|Business",
        json.dumps([document["attendance"], activity, voice, checks, idea["supporters_by_sector"]]),
    )


def test_json_gives_no_count_where_everyone_is_fewer_than_five_together(few):
    document = json_of(few.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    withheld = {"sector": OTHER, "attendees": None, "facilitators": None, "organisers": None}
    assert document["attendance"] == [withheld]
    activity = document["participation"]["by_sector"]
    assert [(s["sector"], s["attendees"], s["voters"]) for s in activity] == [(OTHER, None, None)]
    voice = document["breakouts"][0]["voice_balance"]["by_sector"]
    assert [(s["sector"], s["members"], s["member_share"], s["contributions"]) for s in voice] == [
        (OTHER, None, None, 3),
    ]
    checks = document["breakouts"][0]["outcomes"][0]["checks"]
    assert [c["by_sector"] for c in checks] == [
        [{"sector": OTHER, "support": None, "stand_aside": None, "disagree": None, "block": None}]
    ] * 2
    (poll,) = [p for p in document["polls"] if p["id"] == few.poll.pk]
    assert poll["statements"][0]["by_sector"] == checks[0]["by_sector"]
    (idea,) = document["ideas"]
    assert idea["supporters_by_sector"] == [{"sector": OTHER, "supporters": None}]
    assert idea["support_score"] == 2.0  # counted from every sector all the same
    assert not re.search(
        "Faith|Health",
        json.dumps([document["attendance"], activity, voice, checks, idea["supporters_by_sector"]]),
    )


def test_json_gives_a_sector_of_five_on_its_own(room):
    room.add("Fatima 5", "faith")

    document = json_of(room.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    assert [(s["sector"], s["attendees"]) for s in document["attendance"]] == [
        (HEALTH, 6),
        ("Faith", 5),
    ]
    voice = document["breakouts"][0]["voice_balance"]["by_sector"]
    assert [(s["sector"], s["members"]) for s in voice] == [(HEALTH, 6), ("Faith", 5)]
    checks = document["breakouts"][0]["outcomes"][0]["checks"]
    assert [s["sector"] for c in checks for s in c["by_sector"]] == [HEALTH, "Faith"] * 2
    assert document["ideas"][0]["supporters_by_sector"] == [
        {"sector": HEALTH, "supporters": 6},
        {"sector": "Faith", "supporters": 5},
    ]
    assert OTHER not in json.dumps(document)


# The tables by sector, by their names in the CSV bundle and in the workbook.
BY_SECTOR = {
    "summit": "Summit",
    "ideas": "Ideas",
    "consensus": "Consensus check",
    "voice_by_sector": "Voice balance by sector",
}


def _tables(person: Participant) -> dict[str, dict[str, list[dict]]]:
    """The tables by sector, from the CSV bundle and from the workbook."""
    bundle, book = bundle_of(person), workbook_of(person)
    return {
        "csv": {name: bundle[name] for name in BY_SECTOR},
        "xlsx": {name: book[title] for name, title in BY_SECTOR.items()},
    }


def test_tables_give_a_sector_of_four_only_among_others(room):
    room.add("Bilal 0", "business")

    for kind, tables in _tables(room.organiser).items():
        attendance = {
            r["field"]: r["value"] for r in tables["summit"] if r["field"].startswith("Attendance")
        }
        # Faith's four and business's one: five together, counted, neither on its own.
        assert attendance == {
            f"Attendance: {HEALTH}": _n(kind, 7),
            f"Attendance: {OTHER}": _n(kind, 5),
        }
        (idea,) = tables["ideas"]
        assert idea["supporters_by_sector"] == f"{HEALTH} 6; {OTHER} 5"
        by_sector = [r for r in tables["consensus"] if r["sector"] != "All sectors"]
        assert [(r["sector"], r["rated"], r["support"]) for r in by_sector] == [
            (HEALTH, _n(kind, 6), _n(kind, 6)),
            (OTHER, _n(kind, 5), _n(kind, 5)),
        ] * 2
        voice = [r for r in tables["voice_by_sector"] if r["breakout"] == room.breakout.name]
        assert [(r["sector"], r["members"]) for r in voice] == [
            (HEALTH, _n(kind, 6)),
            (OTHER, _n(kind, 5)),
        ]
        assert not any(
            re.search("Faith|Business", str(row)) for t in tables.values() for row in t
        ), kind


def test_tables_give_no_count_where_everyone_is_fewer_than_five_together(few):
    for kind, tables in _tables(few.organiser).items():
        attendance = {
            r["field"]: r["value"] for r in tables["summit"] if r["field"].startswith("Attendance")
        }
        assert attendance == {f"Attendance: {OTHER}": WITHHELD}
        (idea,) = tables["ideas"]
        assert idea["supporters_by_sector"] == f"{OTHER} {WITHHELD}"
        by_sector = [r for r in tables["consensus"] if r["sector"] != "All sectors"]
        assert [(r["sector"], r["rated"], r["support"]) for r in by_sector] == [
            (OTHER, WITHHELD, WITHHELD),
        ] * 2
        voice = [r for r in tables["voice_by_sector"] if r["breakout"] == few.breakout.name]
        assert [(r["sector"], r["members"]) for r in voice] == [(OTHER, WITHHELD)]
        assert not any("Faith" in str(row) for t in tables.values() for row in t), kind


def _n(kind: str, count: int) -> str | int:
    """A count as the CSV file (text) or the workbook (a number) gives it."""
    return str(count) if kind == "csv" else count


def test_documents_give_a_sector_of_four_only_among_others(room):
    for kind, words in _documents(room.organiser).items():
        # Six of health beside four of faith: all ten together, health not on its own.
        assert f"{OTHER} 10 0 1 11" in words, kind  # attendance
        assert f"{OTHER} 10 100.0% 10 100.0%" in words, kind  # voice balance
        assert words.count(f"{OTHER} 10 0 0 0") >= 2, kind  # ratings
        assert not re.search(rf"(Faith|{re.escape(HEALTH)}) \d", words), kind

    room.add("Bilal 0", "business")

    for kind, words in _documents(room.organiser).items():
        # Attendance by sector and role: attendees, facilitators, organisers, all.
        assert f"{HEALTH} 6 0 1 7 {OTHER} 5 0 0 5" in words, kind
        # Voice balance: members and their share, contributions and theirs.
        assert f"{HEALTH} 6 54.5% 6 54.5% {OTHER} 5 45.5% 5 45.5%" in words, kind
        # Ratings, in the group and in the plenary: support, stand aside, disagree, block.
        assert words.count(f"{HEALTH} 6 0 0 0 {OTHER} 5 0 0 0") >= 2, kind
        assert f"{HEALTH} 6, {OTHER} 5" in words, kind  # the idea's supporters
        assert not re.search(r"(Faith|Business) \d", words), kind


def test_documents_give_no_count_where_everyone_is_fewer_than_five_together(few):
    for kind, words in _documents(few.organiser).items():
        # Attendance by sector and role: attendees, facilitators, organisers, all.
        assert f"{OTHER} {' '.join([WITHHELD] * 4)}" in words, kind
        # Voice balance: members and their share withheld; the contributions stay.
        assert f"{OTHER} {WITHHELD} 3 100.0%" in words, kind
        # Ratings, in the group and in the plenary: support, stand aside, disagree, block.
        assert words.count(f"{OTHER} {' '.join([WITHHELD] * 4)}") >= 3, kind
        assert f"{OTHER} {WITHHELD}" in words, kind  # the idea's supporters
        assert not re.search(rf"(Faith|{re.escape(HEALTH)}) \d", words), kind


def test_documents_give_a_sector_of_five_on_its_own(room):
    room.add("Fatima 5", "faith")

    for kind, words in _documents(room.organiser).items():
        assert f"{HEALTH} 6 0 1 7 Faith 5 0 0 5" in words, kind
        assert words.count(f"{HEALTH} 6 0 0 0 Faith 5 0 0 0") >= 2, kind
        assert f"{HEALTH} 6, Faith 5" in words, kind
        assert OTHER not in words, kind

"""Every part of the app reads the summit's own sectors: joining, attribution, boards, voice
balance, cross-sector support, breakout mixing, the plenary's results, the people page, a
person's own data and the record in every format. A renamed sector shows its new name
everywhere, an added one can be chosen, and a retired one can no longer be chosen but keeps
its people, its name and its history. A summit with no sector rows reads the nine defaults."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.forms import JoinForm, sectors_offered
from accounts.models import Participant
from breakouts.balance import voice_balance
from breakouts.board import FACILITATORS, MEMBERS, load_board
from breakouts.forms import OnBehalfForm
from breakouts.models import Breakout, Comment, Idea, Vote
from breakouts.services import mix_everyone
from plenary.models import Poll
from plenary.results import tally
from summit.event.measures import OTHER_SECTORS
from summit.event.models import Sector, Summit
from summit.event.sectors import ensure_sectors, sector_choices, sector_names
from summit.record.build import build_record
from tests.conftest import SECTOR_KEYS, SECTOR_NAMES, client_for, make_participant
from tests.test_record import (  # noqa: F401  (day: the fixture summit's day)
    Day,
    bundle_of,
    day,
    docx_of,
    docx_text,
    json_of,
    markdown_of,
    page_of,
    workbook_of,
)

HEALTH = "NHS and social care"  # "health", renamed
FAITH = "Faith and belief"  # "faith", renamed
YOUTH = "Young people"  # added
BUSINESS = "Business"  # retired, with people in it: keeps its name
OTHER = str(OTHER_SECTORS)


def _edit_sectors(summit: Summit) -> None:
    """The organisers' changes: two sectors renamed, one added, two retired (business, with
    people in it; national government, with nobody)."""
    ensure_sectors(summit)
    rows = Sector.objects.filter(summit=summit)
    rows.filter(key="health").update(name=HEALTH)
    rows.filter(key="faith").update(name=FAITH)
    rows.filter(key__in=["business", "national_government"]).update(retired_at=timezone.now())
    Sector.objects.create(summit=summit, key="youth", name=YOUTH, order=10)


@pytest.fixture
def edited(summit) -> Summit:
    _edit_sectors(summit)
    return summit


@pytest.fixture
def edited_day(day) -> Day:  # noqa: F811
    _edit_sectors(day.summit)
    return day


def _radios(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"', html)


def _join(summit: Summit, sector: str):
    details = {
        "display_name": "Priya Shah",
        "organisation": "Testshire Council",
        "sector": sector,
        "attribution": "anonymous",
        "join_token": str(uuid.uuid4()),
    }
    return Client().post(reverse("join_summit", args=[summit.join_code]), details)


# Joining


def test_join_form_offers_the_summits_sectors_renamed_and_added_not_retired(edited):
    html = Client().get(reverse("join_summit", args=[edited.join_code])).content.decode()

    offered = [k for k in SECTOR_KEYS if k not in {"business", "national_government"}]
    assert _radios(html, "sector") == [*offered, "youth"]
    assert HEALTH in html
    assert YOUTH in html
    assert SECTOR_NAMES["health"] not in html


def test_join_in_an_added_sector_is_accepted(edited):
    response = _join(edited, "youth")

    assert response.status_code == 302
    person = Participant.objects.get(summit=edited, display_name="Priya Shah")
    assert person.sector == "youth"
    assert person.attribution == f"Anonymous ({YOUTH})"


def test_join_in_a_retired_sector_is_refused_and_nobody_joins(edited):
    response = _join(edited, "business")

    assert response.status_code == 422
    assert "Select one of the sectors listed" in response.content.decode()
    assert not Participant.objects.filter(summit=edited, display_name="Priya Shah").exists()


def test_a_person_in_a_retired_sector_keeps_it_on_their_own_form(edited):
    offered = sectors_offered(edited, current="business")
    details = {
        "display_name": "Tomasz Open",
        "sector": "business",
        "attribution": "named",
        "join_token": str(uuid.uuid4()),
    }

    assert ("business", BUSINESS) in offered
    assert ("national_government", SECTOR_NAMES["national_government"]) not in offered
    assert JoinForm(details, sectors=offered).is_valid()
    assert not JoinForm(details, sectors=sectors_offered(edited)).is_valid()


def test_a_summit_without_sector_rows_reads_the_nine_defaults(db):
    bare = Summit.objects.create(slug="bare", title="Bare", central_question="Why?")
    person = make_participant(bare, sector="health", anonymous=True)

    html = Client().get(reverse("join_summit", args=[bare.join_code])).content.decode()

    assert not Sector.objects.filter(summit=bare).exists()
    assert sector_names(bare) == sector_names(bare.pk) == SECTOR_NAMES
    assert sector_choices(bare) == list(SECTOR_NAMES.items())
    assert _radios(html, "sector") == SECTOR_KEYS
    assert person.attribution == "Anonymous (Health and care (NHS))"


# Breakouts: attribution, cross-sector support, voice balance, the console, mixing


def test_board_names_authors_and_supporters_by_the_summits_sectors(edited_day):
    today = edited_day
    # Four more from health beside Zara: five supporters, enough to name their sector. Four
    # of the added sector beside Aisha (local government): five together, named by neither.
    for n, sector in enumerate(["health"] * 4 + ["youth"] * 4):
        voter = make_participant(today.summit, name=f"Voter {n}", sector=sector)
        today.breakout.members.add(voter)
        Vote.objects.create(idea=today.pooled, voter=voter, dots=1)

    board = load_board(today.breakout, FACILITATORS)

    by_text = {i.text: i for i in board.ideas}
    assert by_text[today.panel.text].attribution == f"Anonymous ({HEALTH})"
    assert by_text[today.framework.text].attribution == f"Anonymous ({BUSINESS})"
    assert by_text[today.spoken.text].attribution == f"Said in the room ({FAITH})"
    assert dict(by_text[today.pooled.text].support_sectors) == {HEALTH: 5, OTHER: 5}
    comments = [c.attribution for c in by_text[today.pooled.text].card_comments]
    assert comments == [f"Anonymous ({HEALTH})"]


def test_voice_balance_uses_the_summits_names_and_order_with_retired_sectors_counted(
    edited, breakouts
):
    breakout = breakouts[0]
    breakout.members.clear()
    # Five of each, so that every sector may be shown on its own.
    people = {
        key: [make_participant(edited, name=f"From {key} {n}", sector=key) for n in range(5)]
        for key in ["youth", "business", "faith", "health"]
    }
    breakout.members.add(*(p for group in people.values() for p in group))
    Idea.objects.create(
        breakout=breakout, author=people["business"][0], text="Keep it", client_token=uuid.uuid4()
    )

    balance = voice_balance(breakout)

    assert [(s.label, s.members, s.contributions) for s in balance.sectors_shown] == [
        (HEALTH, 5, 0),
        (FAITH, 5, 0),
        (BUSINESS, 5, 1),
        (YOUTH, 5, 0),
    ]
    assert balance.unheard == [HEALTH, FAITH, YOUTH]


def test_console_offers_the_summits_sectors_for_a_voice_in_the_room(edited, breakout, facilitator):
    html = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk]))
    html = html.content.decode()
    choices = sector_choices(edited)

    assert 'value="sector:youth"' in html
    assert 'value="sector:business"' not in html
    assert OnBehalfForm(
        {"text": "Open the halls", "speaker": "sector:youth", "client_token": uuid.uuid4()},
        sectors=choices,
    ).is_valid()
    refused = OnBehalfForm(
        {"text": "Open the halls", "speaker": "sector:business", "client_token": uuid.uuid4()},
        sectors=choices,
    )
    assert not refused.is_valid()


def test_mixing_spreads_an_added_sector_across_the_groups(edited, breakouts):
    groups = list(Breakout.objects.filter(summit=edited))
    young = [make_participant(edited, sector="youth") for _ in range(len(groups))]

    mixed = mix_everyone(edited)

    assert sorted(sum(p in young for p in people) for people in mixed.values()) == [1] * len(groups)


# The plenary's results by sector


def test_plenary_results_name_the_summits_sectors(edited_day):
    today = edited_day
    consensus = Poll.objects.get(plenary__summit=today.summit, kind=Poll.Kind.CONSENSUS)
    text = Poll.objects.get(plenary__summit=today.summit, kind=Poll.Kind.TEXT)

    splits = {s.sector for st in tally(consensus).statements for s in st.sectors}
    texts = {t: s for s, t in tally(text).texts}

    assert HEALTH in splits
    assert SECTOR_NAMES["health"] not in splits
    assert texts == {"Trust local leaders with the money": HEALTH, "Fund the long term": BUSINESS}


# The organisers' people page and a person's own data


def test_people_page_counts_by_the_summits_sectors(edited, organiser):
    for _ in range(5):
        make_participant(edited, sector="business")
        make_participant(edited, sector="youth")
        make_participant(edited, sector="health")
        make_participant(edited, sector="local_government")

    html = client_for(organiser).get(reverse("people", args=[edited.slug])).content.decode()
    counts = {
        label: int(n)
        for n, label in re.findall(r'<span class="sector-counts__n">(\d+)</span> ([^<]+)<', html)
    }

    assert counts[HEALTH] == 5
    assert counts[YOUTH] == 5
    assert counts[BUSINESS] == 5  # retired, but people are still in it
    assert SECTOR_NAMES["national_government"] not in counts  # retired, and nobody in it
    assert (
        counts["Local government"]
        == Participant.objects.filter(summit=edited, sector="local_government").count()
    )


def test_my_data_shows_a_retired_sector_by_its_name(edited):
    person = make_participant(edited, sector="business", anonymous=True)

    html = client_for(person).get(reverse("my_data", args=[edited.slug])).content.decode()

    assert f"<dd>{BUSINESS}</dd>" in html
    assert f"Anonymous ({BUSINESS})" in html


# The record, in every format


def _crowd(summit: Summit, sector: str, n: int) -> None:
    for i in range(n):
        make_participant(summit, name=f"{sector} {i}", sector=sector)


def test_record_in_every_format_uses_the_summits_names(edited_day):
    today = edited_day
    # Enough people for health and business to be counted on their own, and for the small
    # sectors to count five together (the organiser and Aisha of local government, Farah of
    # the voluntary sector, Obi of academia and one of the added sector).
    _crowd(today.summit, "health", 3)
    _crowd(today.summit, "business", 4)
    _crowd(today.summit, "youth", 1)
    document = json_of(today.organiser)
    texts = {
        "json": str(document),
        "csv": str(bundle_of(today.organiser)),
        "xlsx": str(workbook_of(today.organiser)),
        "markdown": markdown_of(today.organiser).replace("\\", ""),
        "page": page_of(today.organiser)[0],
        "docx": docx_text(docx_of(today.organiser)),
    }

    for kind, text in texts.items():
        assert f"Anonymous ({HEALTH})" in text, kind
        assert f"Anonymous ({BUSINESS})" in text, kind
        assert f"Said in the room ({FAITH})" in text, kind
        assert SECTOR_NAMES["health"] not in text, kind
    attendance = {row["sector"]: row for row in document["attendance"]}
    # The anonymous person, Ben Carter and three more.
    assert attendance[HEALTH]["attendees"] == 5
    assert attendance[BUSINESS]["attendees"] == 5


def test_record_counts_by_sector_in_the_summits_order(edited_day):
    # The small sectors five together: two of local government, one each of the voluntary
    # sector, academia and other.
    for sector, n in (("health", 3), ("business", 4), ("faith", 5), ("youth", 5), ("other", 1)):
        _crowd(edited_day.summit, sector, n)

    record = build_record(edited_day.summit)

    *order, other = [s.sector for s in record.attendance]
    assert order == [HEALTH, FAITH, BUSINESS, YOUTH]
    assert other == str(OTHER_SECTORS)  # the small sectors, last
    assert [p.sector for p in record.people if p.name == f"Anonymous ({HEALTH})"] == [HEALTH]
    assert [s.sector for s in record.by_sector] == [*order, other]


# However many anonymous people, their sectors are named without asking the database again


def _anonymous_crowd(breakout: Breakout, n: int) -> None:
    for i in range(n):
        person = make_participant(breakout.summit, sector=SECTOR_KEYS[i % 9], anonymous=True)
        breakout.members.add(person)
        idea = Idea.objects.create(
            breakout=breakout, author=person, text=f"Idea {i}", client_token=uuid.uuid4()
        )
        Comment.objects.create(idea=idea, author=person, text="Yes", client_token=uuid.uuid4())
        Vote.objects.create(idea=idea, voter=person, dots=1)


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def _board_words(breakout: Breakout) -> None:
    board = load_board(breakout, MEMBERS)
    for idea in board.ideas:
        assert idea.attribution.startswith("Anonymous (")
        assert all(c.attribution for c in idea.card_comments)


def test_naming_anonymous_sectors_asks_nothing_more_however_many(edited, breakout):
    _anonymous_crowd(breakout, 1)
    board_few = _queries(lambda: _board_words(breakout))
    record_few = _queries(lambda: build_record(edited))
    voice_few = _queries(lambda: [p.attribution for p in voice_balance(breakout).quiet])

    _anonymous_crowd(breakout, 12)

    assert _queries(lambda: _board_words(breakout)) == board_few
    assert _queries(lambda: build_record(edited)) == record_few
    assert _queries(lambda: [p.attribution for p in voice_balance(breakout).quiet]) == voice_few

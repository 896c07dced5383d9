"""Themes across rooms in the record: per subtheme, each theme with the clusters and outcomes
mapped to it and their rooms, its ideas by number (the same numbers as everywhere else in the
record), its dots, cross-sector support and supporters by sector (small sectors only
together), then what no theme took; in every format and in the JSON schema, a facilitator's
record counting only their own breakouts, and queries that do not grow with the themes."""

from __future__ import annotations

import re
import uuid

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from breakouts import services as breakout_services
from breakouts.models import Breakout, Idea
from summit.event.measures import OTHER_SECTORS
from summit.record.blocks import headings
from summit.record.build import build_record
from summit.record.walk import walk
from summit.synthesis import services
from summit.synthesis.models import Theme
from tests.conftest import client_for, make_participant
from tests.synthesis_day import Rooms, more_rooms
from tests.test_record import (
    MAX_QUERIES,
    _body,
    bundle_of,
    docx_of,
    docx_text,
    json_of,
    markdown_of,
    page_of,
    schema,
    workbook_of,
)

pytestmark = pytest.mark.django_db
OTHER = str(OTHER_SECTORS)
MONEY = "Money follows the place"
SECRET_NAME = "Hattie Hidden"


@pytest.fixture
def mapped(rooms: Rooms) -> Rooms:
    """Money follows the place: the first breakout's cluster and outcome and the second's
    joint budgets; Trust, with nothing mapped; the residents' cluster left out. An idea of
    the budgets' cluster was posted anonymously."""
    hidden = make_participant(rooms.summit, name=SECRET_NAME, sector="faith", anonymous=True)
    rooms.first.members.add(hidden)
    idea, _ = breakout_services.post_idea(
        breakout=rooms.first, author=hidden, text="Budgets by need", client_token=uuid.uuid4()
    )
    Idea.objects.filter(pk=idea.pk).update(cluster=rooms.budgets)
    money = services.add_theme(
        rooms.first.subtheme, MONEY, "Pooled budgets for a place", by=rooms.organiser
    )
    services.add_theme(rooms.first.subtheme, "Trust", by=rooms.organiser)
    for item in (rooms.budgets, rooms.outcome, rooms.joint):
        services.map_item(item, money.pk, by=rooms.organiser)
    rooms.money = money
    rooms.hidden_idea = idea
    return rooms


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _documents(rooms: Rooms) -> dict[str, str]:
    html, _ = page_of(rooms.organiser)
    return {
        "page": html,
        "markdown": _unescaped(markdown_of(rooms.organiser)),
        "docx": docx_text(docx_of(rooms.organiser)),
    }


def _outcome_number(document: dict, outcome_id: int) -> int:
    return next(
        o["number"] for b in document["breakouts"] for o in b["outcomes"] if o["id"] == outcome_id
    )


def test_the_section_comes_after_the_breakouts_and_before_the_dissent_register(mapped):
    found = list(headings(walk(build_record(mapped.summit))))

    titles = [text for level, text in found if level == 2]
    at = titles.index("Themes across rooms")
    assert titles[at - 1].startswith("Breakout: ")
    assert titles[at + 1] == "Dissent register"
    assert (3, f"Subtheme 1: {mapped.first.subtheme.title}") in found
    assert (4, MONEY) in found
    assert (4, "Trust") in found


def test_every_document_gives_each_theme_with_what_is_mapped_and_its_support(mapped):
    ideas = ", ".join(
        f"#{pk}" for pk in sorted([*(i.pk for i in mapped.ideas[:3]), mapped.hidden_idea.pk])
    )
    for name, text in _documents(mapped).items():
        assert "Themes across rooms" in text, name
        assert MONEY in text, name
        assert "Pooled budgets for a place" in text, name
        assert f"{mapped.first.name}, Second room" in text, name
        assert f"Cluster “Pooled budgets” ({mapped.first.name})" in text, name
        assert (
            f"Outcome 1: Pool the budgets of councils and the NHS ({mapped.first.name})" in text
        ), name
        assert "Cluster “Joint budgets” (Second room)" in text, name
        assert ideas in text, name
        assert "18 from 13 people" in text, name
        assert "6.98 from 3 sectors" in text, name
        assert f"Local government 6, {OTHER} 7" in text, name
        assert "Not mapped to any theme:" in text, name
        assert "Cluster “Residents heard” (Second room)" in text, name
        assert SECRET_NAME not in text, name


def test_the_spreadsheet_and_csv_give_a_row_for_each_theme(mapped):
    document = json_of(mapped.organiser)
    number = _outcome_number(document, mapped.outcome.pk)
    for rows in (
        workbook_of(mapped.organiser)["Themes across rooms"],
        bundle_of(mapped.organiser)["themes"],
    ):
        money, trust = rows
        assert (money["name"], trust["name"]) == (MONEY, "Trust")
        assert money["rooms"] == f"{mapped.first.name}; Second room"
        assert money["clusters"] == f"{mapped.budgets.pk} {mapped.joint.pk}"
        assert str(money["outcomes"]) == str(number)
        assert str(money["dots"]) == "18"
        assert str(money["supporters"]) == "13"
        assert str(money["support_score"]) == "6.98"
        assert money["supporters_by_sector"] == f"Local government 6; {OTHER} 7"
        assert str(trust["dots"]) == "0"
        assert not trust["ideas"]


def test_the_json_document_validates_and_its_ids_lead_to_the_rest_of_the_record(mapped):
    document = json_of(mapped.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    [subtheme] = document["themes"]
    assert subtheme["subtheme"] == mapped.first.subtheme.order
    money, trust = subtheme["themes"]
    assert money["name"] == MONEY
    assert [room["name"] for room in money["rooms"]] == [mapped.first.name, "Second room"]
    ideas = {idea["id"] for idea in document["ideas"]}
    assert set(money["ideas"]) <= ideas
    assert len(money["ideas"]) == 4
    clusters = {c["id"] for b in document["breakouts"] for c in b["clusters"]}
    assert set(money["clusters"]) <= clusters
    assert money["outcomes"] == [_outcome_number(document, mapped.outcome.pk)]
    assert money["supporters_by_sector"] == [
        {"sector": "Local government", "supporters": 6},
        {"sector": OTHER, "supporters": 7},
    ]
    assert trust["ideas"] == []
    assert trust["supporters_by_sector"] == []
    assert subtheme["unmapped"] == {"clusters": [mapped.voice.pk], "outcomes": []}


def test_a_small_sector_alone_is_withheld_in_every_format(mapped):
    trust = Theme.objects.get(name="Trust")
    services.map_item(mapped.voice, trust.pk, by=mapped.organiser)  # one of business dotted it

    document = json_of(mapped.organiser)
    row = next(r for r in bundle_of(mapped.organiser)["themes"] if r["name"] == "Trust")

    [_, trust_json] = document["themes"][0]["themes"]
    assert trust_json["supporters_by_sector"] == [{"sector": OTHER, "supporters": None}]
    assert row["supporters_by_sector"] == f"{OTHER} fewer than 5"
    for name, text in _documents(mapped).items():
        assert f"{OTHER} fewer than 5" in text, name


def test_a_facilitators_record_counts_only_their_own_breakouts(mapped):
    record = build_record(mapped.summit, Breakout.objects.filter(facilitators=mapped.facilitator))

    [subtheme] = record.themes
    [money] = subtheme.themes  # Trust has nothing of theirs
    assert money.rooms == [(mapped.first.pk, mapped.first.name)]
    assert [c.number for c in money.clusters] == [mapped.budgets.pk]
    assert sorted(money.ideas) == sorted(
        [mapped.ideas[0].pk, mapped.ideas[1].pk, mapped.hidden_idea.pk]
    )
    assert subtheme.unmapped == []
    document = json_of(mapped.facilitator)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert [t["name"] for t in document["themes"][0]["themes"]] == [MONEY]


def test_a_record_without_themes_says_so(rooms):
    record = build_record(rooms.summit)

    assert record.themes == []
    text = " ".join(getattr(block, "text", "") for block in walk(record))
    assert "No themes were kept across the rooms." in text
    assert json_of(rooms.organiser)["themes"] == []


def test_the_record_takes_the_same_queries_however_many_themes(mapped):
    counts = []
    for n in (1, 10):
        more_rooms(mapped, n)
        with CaptureQueriesContext(connection) as queries:
            record = build_record(mapped.summit)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(record.themes[0].themes) == 2 + 11

    client = client_for(mapped.organiser)
    for name in ("record", "record_json", "record_csv"):
        with CaptureQueriesContext(connection) as queries:
            _body(client.get(reverse(name, args=[mapped.summit.slug])))
        assert len(queries) <= MAX_QUERIES[name], name

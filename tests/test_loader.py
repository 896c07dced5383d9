from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from plenary.models import Plenary, Poll, PollOption
from summit.event.design import PLACE_SUMMIT_DATA
from summit.event.models import AgendaItem, Assumption, Material, Obstacle, Prompt, Subtheme, Summit
from summit.organise.design_file import load_place_summit

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_467fcae4b20b970f.txt"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


@pytest.fixture(scope="module")
def document() -> str:
    """The stimulus document, or the data file's own sections when the seed is not beside us."""
    if SEED.exists():
        return _normalise(SEED.read_text(encoding="utf-8"))
    data = json.loads(PLACE_SUMMIT_DATA.read_text(encoding="utf-8"))
    return _normalise(" ".join(m["body"] for m in data["pre_reading"]))


def test_loader_creates_the_place_summit_with_the_documents_counts(db):
    summit, writes = load_place_summit()

    assert summit.title == "Place Summit"
    assert summit.central_question == (
        "What practical guidance will help create the right conditions for place-based "
        "governance both now and in future?"
    )
    assert summit.subthemes.count() == 3
    assert summit.assumptions.count() == 4
    assert summit.obstacles.count() == 6
    assert summit.prompts.count() == 12
    assert list(summit.agenda.values_list("kind", flat=True)).count("plenary") == 2
    assert summit.agenda.filter(kind=AgendaItem.Kind.BREAKOUT).count() == 1
    assert summit.agenda.first().order < summit.agenda.last().order
    assert writes > 30


def test_loader_texts_match_the_stimulus_document(db, document):
    summit, _ = load_place_summit()

    for text in [
        *Subtheme.objects.filter(summit=summit).values_list("question", flat=True),
        *Assumption.objects.filter(summit=summit).values_list("text", flat=True),
        *Obstacle.objects.filter(summit=summit).values_list("text", flat=True),
        *Prompt.objects.filter(summit=summit).values_list("text", flat=True),
        summit.central_question,
    ]:
        assert _normalise(text) in document, text
    assert Prompt.objects.get(summit=summit, order=7).text == (
        "Does decision making at place require consensus?"
    )
    assert Obstacle.objects.get(summit=summit, order=2).text == (
        "the Treasury's control over finances (at least in terms of driving public policy)"
    )
    assert Subtheme.objects.get(summit=summit, order=2).question == (
        "What will help promote and enhance the role and agency of citizens in "
        "place-based governance?"
    )


def test_loader_pre_reading_holds_the_document_sections_in_order(db, document):
    summit, _ = load_place_summit()

    sections = list(
        Material.objects.filter(summit=summit, kind=Material.Kind.SECTION).values_list(
            "title", flat=True
        )
    )
    assert sections == [
        "Purpose",
        "Summit",
        "Context",
        "Obstacles to place",
        "Why place matters now",
        "New social contract",
        "Some areas to be addressed",
    ]
    assert summit.materials.filter(kind=Material.Kind.LINK).count() == 6
    for material in summit.materials.filter(kind=Material.Kind.SECTION):
        for chunk in material.body.split("\n\n"):
            lines = [line.strip() for line in chunk.splitlines() if line.strip()]
            if all(line.startswith("- ") for line in lines):
                pieces = [line[2:] for line in lines]
            else:
                pieces = [" ".join(lines)]
            for piece in pieces:
                assert _normalise(piece) in document, piece


LOADED = (
    Summit,
    Subtheme,
    Prompt,
    Assumption,
    Obstacle,
    AgendaItem,
    Material,
    Plenary,
    Poll,
    PollOption,
)


def test_loader_twice_changes_nothing(db):
    summit, _ = load_place_summit()
    before = {model.__name__: sorted(model.objects.values_list(flat=False)) for model in LOADED}

    again, writes = load_place_summit()

    after = {model.__name__: sorted(model.objects.values_list(flat=False)) for model in LOADED}
    assert writes == 0
    assert again.pk == summit.pk
    assert again.join_code == summit.join_code
    assert after == before


def test_loader_again_keeps_what_an_organiser_edited(db):
    summit, _ = load_place_summit()
    Obstacle.objects.filter(summit=summit, order=1).update(text="changed by hand")

    _, writes = load_place_summit()

    assert writes == 0
    assert Obstacle.objects.get(summit=summit, order=1).text == "changed by hand"
    assert Summit.objects.count() == 1


def test_setup_demo_command_is_idempotent(db, capsys):
    call_command("setup_demo")
    call_command("setup_demo")

    summit = Summit.objects.get(slug="place-summit")
    assert summit.breakouts.count() == 3
    assert summit.participants.filter(role="organiser").count() == 1
    assert summit.participants.filter(role="facilitator").count() == 3
    assert summit.participants.filter(role="attendee").count() == 9
    for breakout in summit.breakouts.all():
        assert breakout.facilitators.count() == 1
        assert breakout.members.count() == 3
        assert len(set(breakout.members.values_list("sector", flat=True))) == 3
    assert "0 rows of the summit created or changed" in capsys.readouterr().out

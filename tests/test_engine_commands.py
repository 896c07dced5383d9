"""``manage.py group_ideas`` and ``manage.py similar_ideas``: a file of ideas in, JSON out, with the
engine the app uses, and a clear error for a file that is not a list of ideas."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from summit.engine import reset_engine

IDEAS = [
    {"id": 1, "text": "More buses in the evening"},
    {"id": "two", "text": "Cheaper bus fares for young people"},
    {"id": 3, "text": "Bus stops with real-time arrival screens"},
    {"id": 4, "text": "Build more council houses"},
    {"id": 5, "text": "Fix damp and mould in rented homes"},
    {"id": 6, "text": "Bring empty homes back into use"},
    {"id": 7, "text": "Bus tickets should cost less for young people"},
]


@pytest.fixture(autouse=True)
def default_engine(settings):
    settings.SYNTHESIS_MODEL_DIR = None
    reset_engine()
    yield
    reset_engine()


def run(command, tmp_path, content):
    path = tmp_path / "ideas.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    return json.loads(out.getvalue())


def test_group_ideas_gives_every_idea_a_numbered_labelled_group(tmp_path):
    rows = run("group_ideas", tmp_path, IDEAS)
    assert [row["id"] for row in rows] == [idea["id"] for idea in IDEAS]
    assert all(set(row) == {"id", "group", "label"} for row in rows)
    numbers = sorted({row["group"] for row in rows})
    assert numbers == list(range(1, len(numbers) + 1))
    label_of = {}
    for row in rows:
        assert isinstance(row["label"], str)
        assert row["label"]
        assert label_of.setdefault(row["group"], row["label"]) == row["label"]


def test_similar_ideas_gives_up_to_three_others_for_each_idea(tmp_path):
    rows = run("similar_ideas", tmp_path, IDEAS)
    assert [row["id"] for row in rows] == [idea["id"] for idea in IDEAS]
    ids = {idea["id"] for idea in IDEAS}
    for row in rows:
        assert set(row) == {"id", "similar"}
        assert len(row["similar"]) <= 3
        assert row["id"] not in row["similar"]
        assert set(row["similar"]) <= ids
    assert rows[-1]["similar"][0] == "two"


def test_an_empty_list_gives_an_empty_list(tmp_path):
    assert run("group_ideas", tmp_path, []) == []
    assert run("similar_ideas", tmp_path, []) == []


@pytest.mark.parametrize("command", ["group_ideas", "similar_ideas"])
def test_a_missing_file_is_a_clear_error(command, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command(command, str(tmp_path / "nowhere.json"), stdout=io.StringIO())


@pytest.mark.parametrize("command", ["group_ideas", "similar_ideas"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "is not JSON"),
        ({"ideas": []}, "must hold a list of ideas"),
        (["an idea"], "Idea 1 must have an id and a text"),
        ([{"id": 1}], "Idea 1 must have an id and a text"),
        ([{"text": "Buses"}], "Idea 1 must have an id and a text"),
        ([{"id": 1, "text": "a"}, {"id": 2, "text": 3}], "Idea 2 has a text that is not a string"),
        ([{"id": [1], "text": "a"}], "Idea 1 has an id that is neither"),
        ([{"id": True, "text": "a"}], "Idea 1 has an id that is neither"),
        ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], 'Idea 2 repeats the id "a"'),
    ],
)
def test_a_file_that_is_not_a_list_of_ideas_is_a_clear_error(command, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run(command, tmp_path, content)

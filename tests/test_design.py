"""The design file: a summit's whole design exported, checked, imported as a new summit, and
published as a schema; the Place Summit shipped as one; the commands, the upload on the new
summit page and the download."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import uuid

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Participant, User
from breakouts import services as breakout_services
from breakouts.models import Breakout, Outcome
from plenary.models import OPTION_MAX_LENGTH, Plenary, Poll
from plenary.polls import make_poll
from plenary.run_sheet import ask_again
from plenary.services import ASSUMPTIONS_QUESTION, OBSTACLES_QUESTION, WORDS_QUESTION
from summit.event import design_reading
from summit.event.design import PLACE_SUMMIT_DATA, SCHEMA_PATH, design_json, import_design
from summit.event.design_check import check_design
from summit.event.models import (
    DEFAULT_SECTORS,
    AgendaItem,
    Assumption,
    Material,
    Obstacle,
    Prompt,
    Sector,
    Subtheme,
    Summit,
)
from summit.event.refusals import Refused
from summit.event.sectors import ensure_sectors
from summit.organise import setup
from summit.organise.design_file import import_summit_design, summit_design
from tests.conftest import client_for, make_participant


def place_design() -> dict:
    return json.loads(PLACE_SUMMIT_DATA.read_text(encoding="utf-8"))


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(design: dict) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(design)


def without_slug(design: dict) -> dict:
    return {**design, "summit": {**design["summit"], "slug": None}}


# A summit with every part of a design filled in, and people and contributions besides

# Still to come whenever the tests run: a date passed is not carried into a new summit.
RETAIN_UNTIL = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=300)


def every_part_summit() -> Summit:
    summit = Summit.objects.create(
        slug="every-part",
        title="Every Part Summit – “quoted”",
        convener="Testshire Council",
        central_question="How do we share budgets?",
        summary="Why it matters.\n\nAnd to whom.",
        welcome="# Welcome\n\nRead *this* first.",
        date=dt.date(2027, 3, 5),
        venue="Town Hall, Testshire",
        time_zone="Europe/Dublin",
        status=Summit.Status.LIVE,
        dot_budget=7,
        supermajority=80,
        allow_anonymous=False,
        attendees_choose_breakout=True,
        privacy_contact="dpo@example.org",
        retain_personal_data_until=RETAIN_UNTIL,
    )
    ensure_sectors(summit)
    Sector.objects.filter(summit=summit, key="faith").update(name="Faith and belief")
    Sector.objects.filter(summit=summit, key="other").update(retired_at=timezone.now())
    Sector.objects.create(summit=summit, key="youth", name="Young people", order=10)
    narratives = Subtheme.objects.create(
        summit=summit, order=1, title="Narratives", question="What story do we tell?"
    )
    citizens = Subtheme.objects.create(
        summit=summit,
        order=2,
        title="Citizens",
        question="Who takes part?",
        retired_at=timezone.now(),
    )
    Prompt.objects.create(summit=summit, order=1, subtheme=narratives, text="Shared aims?")
    Prompt.objects.create(
        summit=summit, order=2, subtheme=citizens, text="Old question", retired_at=timezone.now()
    )
    Prompt.objects.create(summit=summit, order=3, text="Anything else?")
    for n, text in enumerate(["Place matters", "Trust is earned"], start=1):
        Assumption.objects.create(summit=summit, order=n, text=text)
    for n, text in enumerate(["Silos", "Short-term money"], start=1):
        Obstacle.objects.create(summit=summit, order=n, text=text)
    times = dt.time(9, 30), dt.time(10, 15), dt.time(12, 0), dt.time(13, 0)
    opening = AgendaItem.objects.create(
        summit=summit,
        order=1,
        kind=AgendaItem.Kind.PLENARY,
        title="Opening",
        starts_at=times[0],
        ends_at=times[1],
        description="Welcome.",
    )
    AgendaItem.objects.create(
        summit=summit,
        order=2,
        kind=AgendaItem.Kind.BREAKOUT,
        title="Breakouts",
        starts_at=times[1],
        ends_at=times[2],
    )
    AgendaItem.objects.create(summit=summit, order=3, kind=AgendaItem.Kind.BREAK, title="Lunch")
    closing = AgendaItem.objects.create(
        summit=summit, order=4, kind=AgendaItem.Kind.PLENARY, title="Closing", starts_at=times[3]
    )
    Material.objects.create(summit=summit, order=1, title="Purpose", body="Why *we* meet.")
    Material.objects.create(
        summit=summit,
        order=2,
        kind=Material.Kind.LINK,
        title="Partnering for success",
        url="https://example.org/partnering",
        body="Read the summary.",
    )
    Material.objects.create(summit=summit, order=3, kind=Material.Kind.LINK, title="No link yet")
    Material.objects.create(summit=summit, order=4, title="Context", body="- one\n- two")
    first = breakout_services.add_breakout(narratives, "Narratives B")
    breakout_services.add_breakout(narratives, "Narratives A")
    breakout_services.new_breakout(citizens, "Citizens").save()  # retired since
    plenary = Plenary.objects.create(summit=summit)
    polls = [
        (Poll.Kind.CHOICE, "Which first?", ["Money", "People"], {"multiple": True}),
        (Poll.Kind.SCALE, ASSUMPTIONS_QUESTION, ["Place matters"], {"source": "assumptions"}),
        (Poll.Kind.SCALE, "How far do you agree?", ["We can"], {"allow_comment": True}),
        (Poll.Kind.RANKING, OBSTACLES_QUESTION, ["Silos"], {"source": "obstacles"}),
        (Poll.Kind.RANKING, "Rank these", ["A", "B", "C"], {}),
        (Poll.Kind.WORDS, WORDS_QUESTION, [], {"agenda_item": None}),
        (Poll.Kind.TEXT, "Anything to add?", [], {"agenda_item": closing}),
        (Poll.Kind.CONSENSUS, "Consensus check", ["Pool budgets"], {"agenda_item": closing}),
    ]
    for position, (kind, question, options, fields) in enumerate(polls, start=1):
        made = make_poll(
            plenary,
            kind,
            question,
            options,
            position=position,
            **{"agenda_item": opening, **fields},
        )
        if question == "How far do you agree?":
            asked_first = made
    # Its closing round, ninth in the run sheet, filed under the closing plenary.
    closing_round = ask_again(asked_first)
    closing_round.agenda_item = closing
    closing_round.save(update_fields=["agenda_item"])
    # People and what they contributed: none of it is part of the design.
    person = make_participant(summit, name="Aisha Rahman")
    first.members.add(person)
    breakout_services.post_idea(
        breakout=first, author=person, text="Pool the budgets", client_token=uuid.uuid4()
    )
    Outcome.objects.create(breakout=first, proposal="Pool budgets", who_should_act="Councils")
    Poll.objects.filter(plenary=plenary, kind=Poll.Kind.TEXT).update(state=Poll.State.CLOSED)
    return summit


def test_export_of_every_part_holds_each_in_the_files_shape(db):
    summit = every_part_summit()

    design = summit_design(summit)

    validate(design)
    assert list(design) == [
        "$schema",
        "format",
        "version",
        "summit",
        "sectors",
        "subthemes",
        "areas",
        "assumptions",
        "obstacles",
        "agenda",
        "pre_reading",
        "materials",
        "run_sheet",
    ]
    assert design["summit"] == {
        "slug": "every-part",
        "title": "Every Part Summit – “quoted”",
        "convener": "Testshire Council",
        "central_question": "How do we share budgets?",
        "summary": "Why it matters.\n\nAnd to whom.",
        "welcome": "# Welcome\n\nRead *this* first.",
        "date": "2027-03-05",
        "venue": "Town Hall, Testshire",
        "time_zone": "Europe/Dublin",
        "dot_budget": 7,
        "supermajority": 80,
        "allow_anonymous": False,
        "attendees_choose_breakout": True,
        "privacy_contact": "dpo@example.org",
        "retain_personal_data_until": RETAIN_UNTIL.isoformat(),
    }
    # Renamed in English, it keeps the default's Welsh until the organiser changes it too.
    assert design["sectors"][3] == {
        "key": "faith",
        "name": "Faith and belief",
        "name_cy": "Ffydd",
        "retired": False,
    }
    assert design["sectors"][-2:] == [
        {"key": "other", "name": "Other", "name_cy": "Arall", "retired": True},
        {"key": "youth", "name": "Young people", "retired": False},
    ]
    assert design["subthemes"] == [
        {
            "title": "Narratives",
            "question": "What story do we tell?",
            "retired": False,
            "breakouts": ["Narratives A", "Narratives B"],
        },
        {
            "title": "Citizens",
            "question": "Who takes part?",
            "retired": True,
            "breakouts": ["Citizens"],
        },
    ]
    assert design["areas"] == [
        {"text": "Shared aims?", "subtheme": 1, "retired": False},
        {"text": "Old question", "subtheme": 2, "retired": True},
        {"text": "Anything else?", "subtheme": None, "retired": False},
    ]
    assert design["agenda"][0] == {
        "kind": "plenary",
        "title": "Opening",
        "starts_at": "09:30",
        "ends_at": "10:15",
        "description": "Welcome.",
    }
    assert design["agenda"][2]["starts_at"] is None
    assert design["pre_reading"] == [
        {"title": "Purpose", "body": "Why *we* meet."},
        {"title": "Context", "body": "- one\n- two"},
    ]
    assert design["materials"] == [
        {
            "title": "Partnering for success",
            "url": "https://example.org/partnering",
            "note": "Read the summary.",
        },
        {"title": "No link yet", "url": "", "note": ""},
    ]
    sheet = design["run_sheet"]
    assert [poll["kind"] for poll in sheet] == [
        "choice",
        "scale",
        "scale",
        "ranking",
        "ranking",
        "words",
        "text",
        "consensus",
        "scale",
    ]
    assert sheet[0] == {
        "kind": "choice",
        "question": "Which first?",
        "options": ["Money", "People"],
        "multiple": True,
        "allow_comment": False,
        "source": "",
        "agenda_item": 1,
    }
    # Options taken from the summit's lists or its outcomes are not the poll's own.
    assert [poll["options"] for poll in sheet[1:4]] == [[], ["We can"], []]
    assert [poll["source"] for poll in sheet] == ["", "assumptions", "", "obstacles", *[""] * 5]
    assert sheet[7]["options"] == []
    assert [poll["agenda_item"] for poll in sheet[5:]] == [None, 4, 4, 4]
    # The closing round names the poll it asks again, whose statements it takes; the poll
    # asked again is marked so by having one.
    assert sheet[8] == {
        "kind": "scale",
        "question": "How far do you agree?",
        "options": [],
        "multiple": False,
        "allow_comment": True,
        "source": "",
        "agenda_item": 4,
        "baseline": 3,
    }
    assert not any("ask_again" in poll or "baseline" in poll for poll in sheet[:8])


def test_export_holds_nobody_and_nothing_they_contributed(db):
    summit = every_part_summit()

    text = design_json(summit_design(summit))

    for private in ("Aisha Rahman", "Pool the budgets", "Pool budgets", summit.join_code):
        assert private not in text
    assert "live" not in json.loads(text)["summit"].values()


def test_round_trip_of_every_part_through_the_commands_changes_nothing_but_the_slug(db, tmp_path):
    summit = every_part_summit()
    first = io.StringIO()
    call_command("export_summit", summit.slug, stdout=first)
    path = tmp_path / "every-part.json"
    path.write_text(first.getvalue(), encoding="utf-8")

    made = io.StringIO()
    call_command("import_summit", str(path), stdout=made)
    copy_of = Summit.objects.get(slug=made.getvalue().strip())
    again = io.StringIO()
    call_command("export_summit", copy_of.slug, stdout=again)

    assert copy_of.pk != summit.pk
    assert copy_of.slug == "every-part-2"
    assert copy_of.status == Summit.Status.DRAFT
    assert copy_of.join_code != summit.join_code
    assert not copy_of.participants.exists()
    assert without_slug(json.loads(again.getvalue())) == without_slug(json.loads(first.getvalue()))
    assert first.getvalue().endswith("}\n")
    assert "“quoted”" in first.getvalue()  # the summit's own characters, not \u escapes
    closing = copy_of.plenary.polls.get(position=9)
    assert closing.baseline == copy_of.plenary.polls.get(position=3, ask_again=True)
    assert list(closing.options.values_list("text", flat=True)) == ["We can"]


def test_import_links_a_closing_round_before_its_baseline_with_the_baselines_statements(db):
    summit = every_part_summit()
    design = summit_design(summit)
    # The closing round of the working assumptions check, moved to the top of the run sheet.
    closing = {
        "kind": "scale",
        "question": "Again?",
        "options": [],
        "multiple": False,
        "allow_comment": True,
        "source": "",
        "agenda_item": None,
        "baseline": 3,
    }
    design["run_sheet"].insert(0, closing)
    design["run_sheet"][9]["baseline"] = 4

    made = import_summit_design(design)

    polls = list(made.plenary.polls.order_by("position"))
    assert polls[0].baseline == polls[2]
    assert polls[2].source == "assumptions"
    assert polls[9].baseline == polls[3]
    assert [p.ask_again for p in polls] == [p in (polls[2], polls[3]) for p in polls]
    for closing_round in (polls[0], polls[9]):
        assert list(closing_round.options.values_list("text", flat=True)) == list(
            closing_round.baseline.options.values_list("text", flat=True)
        )
    assert list(polls[0].options.values_list("text", flat=True)) == [
        "Place matters",
        "Trust is earned",
    ]
    assert summit_design(made)["run_sheet"] == design["run_sheet"]


def test_round_trip_keeps_a_poll_marked_asked_again_without_a_closing_round(db):
    summit = every_part_summit()
    plenary = summit.plenary
    plenary.polls.filter(position=2).update(ask_again=True)
    plenary.polls.filter(position=3).update(ask_again=False)

    design = summit_design(summit)
    again = summit_design(import_summit_design(design))

    validate(design)
    assert design["run_sheet"][1]["ask_again"] is True
    assert design["run_sheet"][2]["ask_again"] is False
    assert without_slug(again) == without_slug(design)


def test_round_trip_of_the_place_summit_changes_nothing_but_the_slug(summit, monkeypatch):
    exported = io.StringIO()
    call_command("export_summit", summit.slug, stdout=exported)
    piped = io.TextIOWrapper(io.BytesIO(exported.getvalue().encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", piped)

    made = io.StringIO()
    call_command("import_summit", "-", stdout=made)
    again = io.StringIO()
    call_command("export_summit", made.getvalue().strip(), stdout=again)

    first = json.loads(exported.getvalue())
    validate(first)
    assert without_slug(json.loads(again.getvalue())) == without_slug(first)
    assert without_slug(first) == without_slug(place_design())


def test_import_from_standard_input_reads_the_file(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PLACE_SUMMIT_DATA.read_bytes())))
    out = io.StringIO()

    call_command("import_summit", "-", "--slug", "rehearsal", stdout=out)

    assert out.getvalue() == "rehearsal\n"
    assert Summit.objects.get(slug="rehearsal").title == "Place Summit"


# The Place Summit as a design file


def test_place_summit_file_is_a_valid_design_with_the_three_standard_polls():
    design = place_design()

    validate(design)
    check_design(design)
    assert [(p["kind"], p["source"], p["agenda_item"]) for p in design["run_sheet"]] == [
        ("scale", "assumptions", 2),
        ("ranking", "obstacles", 2),
        ("words", "", 2),
    ]
    assert design["agenda"][1]["title"] == "Opening plenary"
    assert [(s["key"], s["name"]) for s in design["sectors"]] == [
        (key, str(name)) for key, name in DEFAULT_SECTORS
    ]


def test_place_summit_loads_its_run_sheet_ready_to_open(summit):
    polls = list(summit.plenary.polls.all())

    assert [(p.kind, p.question, p.source, p.position) for p in polls] == [
        (Poll.Kind.SCALE, ASSUMPTIONS_QUESTION, "assumptions", 1),
        (Poll.Kind.RANKING, OBSTACLES_QUESTION, "obstacles", 2),
        (Poll.Kind.WORDS, WORDS_QUESTION, "", 3),
    ]
    assert polls[0].allow_comment
    assert {p.agenda_item.title for p in polls} == {"Opening plenary"}
    assert list(polls[0].options.values_list("text", flat=True)) == list(
        summit.assumptions.values_list("text", flat=True)
    )
    assert polls[1].options.count() == 6
    assert not Sector.objects.filter(summit=summit).exists()  # the nine defaults, as before
    assert summit.status == Summit.Status.OPEN
    assert not Breakout.objects.filter(summit=summit).exists()


def test_load_place_summit_command_reports_nothing_loaded_the_second_time(db):
    first, second = io.StringIO(), io.StringIO()

    call_command("load_place_summit", stdout=first)
    call_command("load_place_summit", stdout=second)

    assert "Place Summit: 56 parts loaded" in first.getvalue()
    assert "Place Summit: 0 parts loaded" in second.getvalue()
    assert Summit.objects.count() == 1


def test_load_place_summit_command_refuses_a_bad_file_clearly(db, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"format": "summit-record"}', encoding="utf-8")

    with pytest.raises(CommandError, match=r"was not loaded\. This is not a design file"):
        call_command("load_place_summit", "--file", str(path))

    assert not Summit.objects.exists()


# Checking a file


def _with(change) -> dict:
    design = place_design()
    change(design)
    return design


def _set(path: str, value):
    """A change to the Place Summit's file: the value at ``path`` (keys and list places,
    dotted) set to ``value``."""

    def change(design: dict) -> None:
        *parents, last = path.split(".")
        target = design
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _append(*polls: dict):
    """A change to the Place Summit's file: ``polls`` added at the end of its run sheet."""

    def change(design: dict) -> None:
        design["run_sheet"].extend(polls)

    return change


AGAIN = {"kind": "scale", "question": "Again?"}


def _delete(path: str):
    def change(design: dict) -> None:
        *parents, last = path.split(".")
        target = design
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        del target[last]

    return change


BAD = [
    # (the change, the message, whether the schema says so too)
    (_delete("format"), 'This is not a design file: it must say "format": "summit-design"', True),
    (_set("version", 2), 'it must say "version": 1', True),
    (_set("colour", "red"), "The design file: “colour” is not part of a design file", True),
    (_delete("summit.title"), "The summit: the title is missing", True),
    (_set("summit.title", "   "), "The summit: the title is empty", True),
    (
        _set("summit.title", "x" * 201),
        "The summit: the title must be 200 characters or fewer",
        True,
    ),
    (_set("summit.title", "a\x00b"), "The summit: the title holds a control character", True),
    (_set("summit.date", "2026-02-30"), "The summit: the date must be a real date", True),
    (_set("summit.dot_budget", 0), "The summit: the dot budget must be from 1 to 20", True),
    (_set("summit.dot_budget", "5"), "The summit: the dot budget must be a whole number", True),
    (_set("summit.allow_anonymous", "yes"), "The summit: the “allow_anonymous” must be true", True),
    (_set("summit.time_zone", "Mars/Olympus"), "The summit: the time zone must be", False),
    (_set("summit.privacy_contact", "nobody"), "The summit: the privacy contact must be", False),
    (
        _set("agenda.2.starts_at", "9.30"),
        "Agenda item 3: the start time must look like 09:30",
        True,
    ),
    (_set("agenda.0.kind", "lunch"), "Agenda item 1: the kind must be one of “plenary”", True),
    (_set("agenda", {}), "The design file: the agenda must be a list", True),
    (_set("subthemes", [{"title": "T", "question": "Q"}] * 201), "may hold at most 200", True),
    (_set("areas.4.subtheme", 4), "Area 5: the subtheme must be the number of one of the 3", False),
    (_set("areas.0", "text"), "Area 1: must be an object of named fields", True),
    (_set("sectors.1.key", "local_government"), "Sector 2: the key “local_government” is", False),
    (_set("sectors", [{"key": "a", "name": "A", "retired": True}]), "at least one sector", True),
    (_set("materials.0.url", "ftp://example.org"), "Material 1: the link must be a web", True),
    (_set("subthemes.0.breakouts", ["Room", "room"]), "Subtheme 1: the breakouts name", False),
    (_set("run_sheet.0.agenda_item", 0), "Run sheet poll 1: the agenda item must be", True),
    (_set("run_sheet.0.agenda_item", 6), "Run sheet poll 1: the agenda item must be", False),
    (_set("run_sheet.0.options", ["A"]), "Run sheet poll 1: the options belong only", True),
    (_set("run_sheet.2.options", ["A"]), "Run sheet poll 3: the options belong only", True),
    (_set("run_sheet.2.source", "obstacles"), "Run sheet poll 3: the source can only be", True),
    (_set("run_sheet.1.multiple", True), "Run sheet poll 2: the “multiple” can only be", True),
    (_set("run_sheet.1.allow_comment", True), "Run sheet poll 2: the “allow_comment”", True),
    (_set("run_sheet.0.kind", "vote"), "Run sheet poll 1: the kind must be one of", True),
    (_set("run_sheet.0.question", "?" * 301), "Run sheet poll 1: the question must be 300", True),
    (_set("run_sheet.1.baseline", 1), "Run sheet poll 2: the baseline belongs only to an", True),
    (
        _append({**AGAIN, "baseline": 2}),
        "Run sheet poll 4: the baseline must be an agreement",
        False,
    ),
    (
        _append({**AGAIN, "baseline": 3}),
        "poll 4: the baseline must be an agreement scale: poll 3",
        False,
    ),
    (
        _append({**AGAIN, "baseline": 4}),
        "Run sheet poll 4: the baseline must be another poll",
        False,
    ),
    (
        _append({**AGAIN, "baseline": 1}, {**AGAIN, "baseline": 1}),
        "Run sheet poll 5: the baseline must be a poll no other closing round asks again: poll 4",
        False,
    ),
    (
        _append({**AGAIN, "baseline": 1}, {**AGAIN, "baseline": 4}),
        "Run sheet poll 5: the baseline must be a poll asked first: poll 4 is itself a closing",
        False,
    ),
    (_append({**AGAIN, "baseline": 0}), "Run sheet poll 4: the baseline must be the number", True),
    (_append({**AGAIN, "baseline": 5}), "the number of one of the 4 run sheet polls", False),
    (_append({**AGAIN, "baseline": "1"}), "Run sheet poll 4: the baseline must be the", True),
    (
        _append({**AGAIN, "baseline": 1, "options": ["A"]}),
        "Run sheet poll 4: the options are its baseline’s",
        True,
    ),
    (
        _append({**AGAIN, "baseline": 1, "source": "assumptions"}),
        "Run sheet poll 4: the source is its baseline’s",
        True,
    ),
    (_set("run_sheet.1.ask_again", True), "Run sheet poll 2: the “ask_again” can only be", True),
    (_set("run_sheet.0.ask_again", "yes"), "Run sheet poll 1: the “ask_again” must be true", True),
]


@pytest.mark.parametrize(("change", "message", "schema_too"), BAD)
def test_check_design_refuses_a_bad_file_naming_the_place(change, message, schema_too):
    design = _with(change)

    with pytest.raises(Refused) as refused:
        check_design(design)

    assert message in str(refused.value)
    if schema_too:  # the published schema refuses it as well
        with pytest.raises(jsonschema.ValidationError):
            validate(design)


@pytest.mark.parametrize("data", [[], "design", 1, None])
def test_check_design_refuses_what_is_not_an_object(data):
    with pytest.raises(Refused, match="A design file must be one object"):
        check_design(data)


def test_check_design_fills_in_what_a_file_leaves_out():
    design = check_design(
        {"format": "summit-design", "version": 1, "summit": {"title": "Just a title"}}
    )

    assert design["summit"]["time_zone"] == "Europe/London"
    assert design["summit"]["supermajority"] == 75
    assert design["summit"]["dot_budget"] == 5
    assert design["sectors"] is None
    assert design["run_sheet"] is None
    assert design["agenda"] == []


def test_the_files_poll_words_are_the_plenarys():
    assert set(design_reading.POLL_KINDS) == set(Poll.Kind.values)
    assert set(design_reading.POLL_SOURCES) == set(Poll.Source.values)
    assert Poll._meta.get_field("question").max_length == design_reading.POLL_QUESTION_LENGTH
    assert design_reading.OPTION_LENGTH == OPTION_MAX_LENGTH
    assert Breakout._meta.get_field("name").max_length == design_reading.BREAKOUT_NAME_LENGTH


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# Importing


def test_import_design_writes_nothing_when_refused(db):
    design = _with(_set("run_sheet.0.agenda_item", 9))

    with pytest.raises(Refused):
        import_summit_design(design)

    assert not Summit.objects.exists()


def test_import_design_makes_a_unique_slug_from_the_title_when_the_file_has_none(db):
    design = _with(_set("summit.slug", ""))
    import_design(design)

    made = import_design(design).summit

    assert made.slug == "place-summit-2"
    assert made.status == Summit.Status.DRAFT


def test_import_leaves_out_a_date_for_erasing_details_that_has_passed(db):
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    stale = import_design(_with(_set("summit.retain_personal_data_until", past))).summit
    kept = import_design(_with(_set("summit.retain_personal_data_until", future))).summit

    assert stale.retain_personal_data_until is None
    assert kept.retain_personal_data_until.isoformat() == future


def test_import_writes_sector_rows_only_when_they_differ_from_the_defaults(db):
    same = import_summit_design(place_design())
    renamed = import_summit_design(_with(_set("sectors.8.name", "Something else")))

    assert not Sector.objects.filter(summit=same).exists()
    assert Sector.objects.filter(summit=renamed).count() == 9
    assert Sector.objects.get(summit=renamed, key="other").name == "Something else"


def test_set_up_summit_from_design_makes_its_organiser_breakouts_and_run_sheet(db):
    user = User.objects.create_user(
        username="planner", email="planner@example.org", first_name="Pat", last_name="Planner"
    )
    design = place_design()
    del design["format"], design["version"]  # a design made in code may leave these out
    design["subthemes"][0]["breakouts"] = ["Narratives north", "Narratives south"]

    made = setup.set_up_summit_from_design(user, design)

    assert made.status == Summit.Status.DRAFT
    assert list(made.participants.values_list("user", "role")) == [
        (user.pk, Participant.Role.ORGANISER)
    ]
    assert list(Breakout.objects.filter(summit=made).values_list("subtheme__order", "name")) == [
        (1, "Narratives north"),
        (1, "Narratives south"),
        (2, "Citizen agency"),
        (3, "Good governance principles"),
    ]
    assert made.plenary.polls.count() == 3


def test_set_up_summit_from_design_without_a_run_sheet_leaves_the_plenary_to_first_use(db):
    user = User.objects.create_user(username="p")
    design = place_design()
    del design["run_sheet"]
    design["subthemes"][1]["retired"] = True

    made = setup.set_up_summit_from_design(user, design)

    assert not Plenary.objects.filter(summit=made).exists()
    # A retired subtheme gets no breakout of its own.
    assert Breakout.objects.filter(summit=made).count() == 2


def test_set_up_summit_from_design_refused_names_the_problem(db):
    user = User.objects.create_user(username="p")

    with pytest.raises(Refused, match="The summit: the title is missing"):
        setup.set_up_summit_from_design(user, {"summit": {}})

    assert not Summit.objects.exists()


# The commands


def test_export_summit_command_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="There is no summit with the slug “nowhere”"):
        call_command("export_summit", "nowhere", stdout=io.StringIO())


def test_export_summit_command_names_the_schema_in_full_when_told_where(summit):
    out = io.StringIO()

    call_command("export_summit", summit.slug, "--url", "https://summit.example.org/", stdout=out)

    assert json.loads(out.getvalue())["$schema"] == (
        "https://summit.example.org/design/schema/design-v1.schema.json"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\xff\xfe{}", "must be text in UTF-8"),
        (b"{not json", "The selected file is not JSON: Expecting property name"),
        (b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
        (b'{"format": "summit-design", "version": 1}', "The design file: the summit is"),
        (b"x" * (1024 * 1024 + 1), "must be smaller than 1 MB"),
    ],
)
def test_import_summit_command_refuses_a_bad_file_clearly(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_summit", str(path), stdout=io.StringIO())

    assert not Summit.objects.exists()


def test_import_summit_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_summit", str(tmp_path / "none.json"))


# The new summit page, from a design file


def _upload(content: bytes, name: str = "design.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def _post_design(client: Client, content: bytes, **data):
    return client.post(
        reverse("new_summit"),
        {"start_from": "design", "design_file": _upload(content), **data},
    )


def test_new_summit_from_a_design_file_makes_it_with_the_files_title(summit, organiser):
    design = summit_design(summit)
    design["summit"]["date"] = "2027-05-01"

    response = _post_design(client_for(organiser), design_json(design).encode())

    made = Summit.objects.exclude(pk=summit.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("summit_settings", args=[made.slug])
    assert made.title == "Place Summit"
    assert made.slug == "place-summit-2"
    assert made.date == dt.date(2027, 5, 1)
    assert made.status == Summit.Status.DRAFT
    assert made.subthemes.count() == 3
    assert Breakout.objects.filter(summit=made).count() == 3
    assert made.plenary.polls.count() == 3
    assert list(made.participants.values_list("user_id", "role")) == [
        (organiser.user_id, Participant.Role.ORGANISER)
    ]


def test_new_summit_from_a_design_file_takes_the_title_date_and_question_typed(summit, organiser):
    response = _post_design(
        client_for(organiser),
        PLACE_SUMMIT_DATA.read_bytes(),
        title="Place Summit North",
        date="2027-06-02",
        central_question="What now?",
    )

    made = Summit.objects.get(title="Place Summit North")
    assert response.status_code == 302
    assert made.slug == "place-summit-north"
    assert made.date == dt.date(2027, 6, 2)
    assert made.central_question == "What now?"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"not json at all", "The selected file is not JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "must be text in UTF-8"),
        (b'{"format": "summit-record"}', "This is not a design file"),
        (
            json.dumps(_with(_set("agenda.2.starts_at", "9.30"))).encode(),
            "Agenda item 3: the start time must look like 09:30",
        ),
        (b" " * (1024 * 1024 + 10), "The selected file must be smaller than 1 MB"),
    ],
)
def test_new_summit_from_a_bad_design_file_says_why_and_keeps_what_was_typed(
    summit, organiser, content, message
):
    response = _post_design(client_for(organiser), content, title="My own title")

    body = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in body
    assert 'class="error-summary"' in body
    assert message in body
    assert 'href="#id_design_file"' in body
    assert 'value="My own title"' in body
    assert Summit.objects.count() == 1


def test_new_summit_from_a_design_file_needs_a_file(summit, organiser):
    response = client_for(organiser).post(reverse("new_summit"), {"start_from": "design"})

    assert response.status_code == 422
    assert "Select a design file" in response.content.decode()


def test_new_summit_blank_still_needs_a_title(summit, organiser):
    response = client_for(organiser).post(
        reverse("new_summit"), {"start_from": "blank", "central_question": "Why?"}
    )

    assert response.status_code == 422
    assert "Enter a title for the summit" in response.content.decode()


def test_new_summit_page_offers_the_upload(summit, organiser):
    body = client_for(organiser).get(reverse("new_summit")).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body
    assert "A design file you upload" in body
    assert "A copy of Place Summit’s design" in body


# The download and the schema


def test_design_download_gives_organisers_the_file_as_an_attachment(summit, organiser):
    response = client_for(organiser).get(reverse("design_download", args=[summit.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="place-summit-design.json"'
    design = json.loads(response.content)
    validate(design)
    assert design["$schema"] == "http://testserver/design/schema/design-v1.schema.json"
    assert without_slug(design) == without_slug({**place_design(), "$schema": design["$schema"]})


def test_design_download_lets_facilitators_read_it_but_not_attendees(summit, facilitator, attendee):
    url = reverse("design_download", args=[summit.slug])

    assert client_for(facilitator).get(url).status_code == 200
    assert client_for(attendee).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_design_schema_is_served_to_anyone_with_its_address_as_its_id(db):
    response = Client().get(reverse("design_schema"))

    served = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert served["$id"] == "http://testserver/design/schema/design-v1.schema.json"
    assert {**served, "$id": None} == {**schema(), "$id": None}
    again = Client().get(reverse("design_schema"), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_a_downloaded_file_starts_a_new_summit_that_downloads_the_same(summit, organiser):
    client = client_for(organiser)
    first = client.get(reverse("design_download", args=[summit.slug])).content

    _post_design(client, first)
    made = Summit.objects.exclude(pk=summit.pk).get()
    again = client.get(reverse("design_download", args=[made.slug])).content

    # The one difference: a new summit gets a breakout for each subtheme in use.
    expected = copy.deepcopy(json.loads(first))
    for subtheme in expected["subthemes"]:
        subtheme["breakouts"] = [subtheme["title"]]
    assert without_slug(json.loads(again)) == without_slug(expected)

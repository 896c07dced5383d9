"""The organiser's texts in Welsh as well as English: written beside the English in the
design editor and the summit's settings, carried in the design file under keys ending
``_cy`` (and read back, checked, from one), and given for the whole of the shipped Place
Summit."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from plenary.models import Poll, PollOption
from plenary.services import plenary_for
from summit.event.design_check import check_design
from summit.event.models import (
    AgendaItem,
    Assumption,
    Material,
    Obstacle,
    Prompt,
    Subtheme,
    Summit,
)
from summit.event.refusals import Refused
from summit.organise import setup, summit_settings
from summit.organise.design_file import import_summit_design, summit_design
from tests.conftest import client_for
from tests.test_design import every_part_summit, place_design, validate

pytestmark = pytest.mark.django_db


def _without_welsh(value):
    """The design as a file made before there was Welsh: no key ending ``_cy`` anywhere."""
    if isinstance(value, dict):
        return {k: _without_welsh(v) for k, v in value.items() if not k.endswith("_cy")}
    if isinstance(value, list):
        return [_without_welsh(v) for v in value]
    return value


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for v in value.values() for key in _keys(v)}
    if isinstance(value, list):
        return {key for v in value for key in _keys(v)}
    return set()


# The design editor


def test_the_editor_saves_the_welsh_beside_the_english_and_lists_it_marked_as_welsh(
    summit, organiser
):
    url = reverse("design_part", args=[summit.slug, "assumptions"])
    client = client_for(organiser)

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {"text": "Trust is built locally", "text_cy": "Caiff ymddiriedaeth ei meithrin yn lleol"},
    )

    assert "Working assumption in Welsh (optional)" in form
    assert re.search(
        r'<textarea[^>]*name="text_cy"[^>]*lang="cy"|lang="cy"[^>]*name="text_cy"', form
    )
    assert response.status_code == 302
    added = Assumption.objects.get(summit=summit, text="Trust is built locally")
    assert added.text_cy == "Caiff ymddiriedaeth ei meithrin yn lleol"
    page = client.get(url).content.decode()
    assert (
        '<p class="design-item__name" lang="cy">Caiff ymddiriedaeth ei meithrin yn lleol</p>'
        in page
    )


def test_changing_an_item_keeps_or_changes_its_welsh_as_typed(summit, organiser):
    area = Prompt.objects.filter(summit=summit).first()
    url = reverse("design_item", args=[summit.slug, "areas", area.pk])
    client = client_for(organiser)

    shown = client.get(url).content.decode()
    client.post(url, {"text": area.text, "text_cy": "Sut mae rhannu nodau?", "subtheme": ""})

    assert escape(area.text_cy) in shown  # the form starts with the Welsh as saved
    area.refresh_from_db()
    assert area.text_cy == "Sut mae rhannu nodau?"


@pytest.mark.parametrize(
    ("slug", "typed", "words"),
    [
        (
            "assumptions",
            {"text": "Trust", "text_cy": "Y" * 1001},
            "The working assumption in Welsh must be 1000 characters or fewer",
        ),
        (
            "subthemes",
            {"title": "Money", "title_cy": "A" * 81, "question": "How?"},
            "The title in Welsh must be 80 characters or fewer",
        ),
        (
            "pre-reading",
            {"title": "Why", "body": "Because.", "body_cy": "O" * 20_001},
            "The text in Welsh must be 20000 characters or fewer",
        ),
    ],
)
def test_the_editor_refuses_a_welsh_text_too_long_keeping_what_was_typed(
    summit, organiser, slug, typed, words
):
    url = reverse("design_part", args=[summit.slug, slug])

    response = client_for(organiser).post(url, typed)

    assert response.status_code == 422
    assert words in response.content.decode()


def test_every_part_with_a_text_has_its_welsh_field_named_as_the_model(summit, organiser):
    client = client_for(organiser)
    wanted = {
        "pre-reading": ("title_cy", "body_cy"),
        "assumptions": ("text_cy",),
        "obstacles": ("text_cy",),
        "subthemes": ("title_cy", "question_cy"),
        "areas": ("text_cy",),
        "agenda": ("title_cy", "description_cy"),
        "materials": ("title_cy", "body_cy"),
    }
    for slug, names in wanted.items():
        page = client.get(reverse("design_part", args=[summit.slug, slug])).content.decode()
        for name in names:
            assert f'name="{name}"' in page, (slug, name)


# The summit's settings


def _posted(summit: Summit, **changes) -> dict:
    names = (
        *("title", "title_cy", "central_question", "central_question_cy"),
        *("summary", "summary_cy", "venue", "time_zone", "welcome", "welcome_cy"),
    )
    data = {name: getattr(summit, name) for name in names}
    data.update(date="", dot_budget=str(summit.dot_budget), supermajority="75")
    data["big_screen_languages"] = summit.big_screen_languages
    data["allow_anonymous"] = "on" if summit.allow_anonymous else ""
    return {**data, **changes}


def test_settings_save_the_welsh_title_and_the_rest_in_welsh(summit, organiser):
    url = reverse("summit_settings", args=[summit.slug])
    welsh = {
        "title_cy": "Uwchgynhadledd Lle Caerdydd",
        "summary_cy": "Diwrnod o waith ar y cyd.",
        "welcome_cy": "Croeso i’r **diwrnod**.",
    }

    response = client_for(organiser).post(url, _posted(summit, **welsh))

    assert response.status_code == 302
    stored = Summit.objects.get(pk=summit.pk)
    assert (stored.title_cy, stored.summary_cy, stored.welcome_cy) == tuple(welsh.values())
    assert stored.title == "Place Summit"


def test_settings_refuse_a_welsh_title_too_long(summit, organiser):
    url = reverse("summit_settings", args=[summit.slug])

    response = client_for(organiser).post(url, _posted(summit, title_cy="T" * 201))

    assert response.status_code == 422
    assert "The title in Welsh must be 200 characters or fewer" in response.content.decode()
    assert Summit.objects.get(pk=summit.pk).title_cy == "Yr Uwchgynhadledd Lle"


def test_a_new_welsh_title_redraws_the_plenary(
    summit, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    plenary = plenary_for(summit)
    redrawn = []
    monkeypatch.setattr("plenary.live.room_changed", lambda p, said: redrawn.append(p.pk))
    chosen = {
        name: getattr(summit, name)
        for name in (
            *("title", "title_cy", "central_question", "central_question_cy", "summary"),
            *("summary_cy", "date", "venue", "time_zone", "welcome", "welcome_cy"),
            *("dot_budget", "allow_anonymous", "supermajority", "big_screen_languages"),
        )
    }

    with django_capture_on_commit_callbacks(execute=True):
        changed = summit_settings.change_settings(
            summit, **{**chosen, "title_cy": "Uwchgynhadledd"}, by=organiser
        )

    assert changed == {"title_cy": "Uwchgynhadledd"}
    assert redrawn == [plenary.pk]


def test_facilitators_read_the_welsh_settings_marked_as_welsh(summit, facilitator):
    page = client_for(facilitator).get(reverse("summit_settings", args=[summit.slug]))

    assert '<dd lang="cy">Yr Uwchgynhadledd Lle</dd>' in page.content.decode()


# The design file


def _every_part_in_welsh() -> Summit:
    summit = every_part_summit()
    Summit.objects.filter(pk=summit.pk).update(
        title_cy="Uwchgynhadledd Pob Rhan",
        central_question_cy="Sut mae rhannu cyllidebau?",
        summary_cy="Pam mae'n bwysig.",
        welcome_cy="# Croeso\n\nDarllenwch *hwn* yn gyntaf.",
    )
    for model, field in (
        (Subtheme, "title"),
        (Subtheme, "question"),
        (Prompt, "text"),
        (Assumption, "text"),
        (Obstacle, "text"),
        (AgendaItem, "title"),
        (AgendaItem, "description"),
        (Material, "title"),
        (Material, "body"),
    ):
        for row in model.objects.filter(summit=summit):
            setattr(row, f"{field}_cy", f"{getattr(row, field) or 'Dim'} (Cymraeg)")
            row.save(update_fields=[f"{field}_cy"])
    for poll in Poll.objects.filter(plenary__summit=summit):
        poll.question_cy = f"{poll.question} (Cymraeg)"
        poll.save(update_fields=["question_cy"])
    choice = Poll.objects.get(plenary__summit=summit, question="Which first?")
    first = choice.options.first()
    first.text_cy = "Arian"  # the second option has no Welsh
    first.save(update_fields=["text_cy"])
    return Summit.objects.get(pk=summit.pk)


WELSH_FIELDS = {
    Subtheme: ("title_cy", "question_cy"),
    Prompt: ("text_cy",),
    Assumption: ("text_cy",),
    Obstacle: ("text_cy",),
    AgendaItem: ("title_cy", "description_cy"),
    Material: ("title_cy", "body_cy"),
}


def test_export_then_import_keeps_every_welsh_text(db):
    summit = _every_part_in_welsh()

    design = summit_design(summit)
    validate(design)
    made = import_summit_design(json.loads(json.dumps(design)))

    for name in ("title_cy", "central_question_cy", "summary_cy", "welcome_cy"):
        assert getattr(made, name) == getattr(summit, name) != ""
    for model, fields in WELSH_FIELDS.items():
        # Sections and links are one model, written to the file (and read) sections first.
        was = list(model.objects.filter(summit=summit).order_by("pk").values_list(*fields))
        now = list(model.objects.filter(summit=made).order_by("pk").values_list(*fields))
        if model is Material:
            was, now = sorted(was), sorted(now)
        assert now == was, model
        assert all(all(row) for row in was), model
    polls = list(Poll.objects.filter(plenary__summit=made))
    assert [p.question_cy for p in polls] == [f"{p.question} (Cymraeg)" for p in polls]
    again = summit_design(made)
    assert again["run_sheet"] == design["run_sheet"]
    assert again["summit"]["title_cy"] == "Uwchgynhadledd Pob Rhan"


def test_a_polls_welsh_options_travel_one_for_each_option(db):
    design = summit_design(_every_part_in_welsh())
    sheet = design["run_sheet"]

    made = import_summit_design(design)

    assert sheet[0]["options"] == ["Money", "People"]
    assert sheet[0]["options_cy"] == ["Arian", ""]
    assert "options_cy" not in sheet[2]  # none of its options has a Welsh version
    choice = Poll.objects.get(plenary__summit=made, question="Which first?")
    assert list(choice.options.values_list("text", "text_cy")) == [
        ("Money", "Arian"),
        ("People", ""),
    ]
    # A poll of the working assumptions takes their Welsh as it takes their English.
    rated = Poll.objects.get(plenary__summit=made, source=Poll.Source.ASSUMPTIONS)
    assert list(rated.options.values_list("text_cy", flat=True)) == list(
        Assumption.objects.filter(summit=made).values_list("text_cy", flat=True)
    )


def test_a_closing_round_takes_its_baselines_welsh_options(db):
    summit = every_part_summit()
    PollOption.objects.filter(poll__question="How far do you agree?", text="We can").update(
        text_cy="Gallwn"
    )

    made = import_summit_design(summit_design(summit))

    rounds = PollOption.objects.filter(
        poll__plenary__summit=made, poll__question="How far do you agree?"
    )
    assert list(rounds.values_list("text_cy", flat=True)) == ["Gallwn", "Gallwn"]


def test_a_design_without_welsh_writes_no_welsh_keys(db):
    design = summit_design(every_part_summit())

    # The default sectors' names come with their Welsh; nothing else the organiser wrote has any.
    assert not [key for key in _keys(design) if key.endswith("_cy") and key != "name_cy"]


def test_a_file_without_welsh_keys_imports_as_before(db):
    design = _without_welsh(place_design())
    validate(design)

    made = import_summit_design(design)

    assert made.title == "Place Summit"
    assert made.title_cy == made.central_question_cy == ""
    assert not Assumption.objects.filter(summit=made).exclude(text_cy="").exists()
    assert not PollOption.objects.filter(poll__plenary__summit=made).exclude(text_cy="").exists()
    assert check_design(design)["assumptions"][0]["text_cy"] == ""


def _set(path: str, value) -> dict:
    design = place_design()
    *parents, last = path.split(".")
    target = design
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return design


def _own_options(welsh) -> dict:
    design = place_design()
    design["run_sheet"].append(
        {"kind": "choice", "question": "Which?", "options": ["A", "B"], "options_cy": welsh}
    )
    return design


@pytest.mark.parametrize(
    ("design", "message", "schema_too"),
    [
        (
            _set("summit.title_cy", "T" * 201),
            "The summit: the title in Welsh must be 200 characters or fewer",
            True,
        ),
        (
            _set("assumptions.0.text_cy", "R" * 1001),
            "Working assumption 1: the text in Welsh must be 1000 characters or fewer",
            True,
        ),
        (
            _set("subthemes.0.title_cy", "line\nbreak"),
            "Subtheme 1: the title in Welsh holds a control character or line break",
            True,
        ),
        (
            _set("run_sheet.0.question_cy", "C" * 301),
            "Run sheet poll 1: the question in Welsh must be 300 characters or fewer",
            True,
        ),
        (
            _set("pre_reading.0.body_cy", 7),
            "Pre-reading section 1: the text in Welsh must be text, in quotes",
            True,
        ),
        (
            _own_options(["Un"]),
            "Run sheet poll 4: the options in Welsh must hold 2 entries, one for each",
            False,
        ),
        (
            _own_options(["Un", "D" * 1001]),
            "Run sheet poll 4: the options in Welsh must each be 1000 characters or fewer",
            True,
        ),
        (
            _set("run_sheet.0.options_cy", ["Un"]),
            "Run sheet poll 1: the options in Welsh must be left out",
            True,
        ),
    ],
)
def test_a_bad_welsh_text_in_a_file_is_refused_clearly(design, message, schema_too):
    with pytest.raises(Refused) as refused:
        check_design(copy.deepcopy(design))

    assert message in str(refused.value)
    if schema_too:
        with pytest.raises(jsonschema.ValidationError):
            validate(design)


def test_a_title_typed_for_a_new_summit_leaves_the_designs_welsh_title_behind(summit):
    user = User.objects.create_user(username="planner")

    made = setup.set_up_summit(
        user, title="Town Summit", central_question="", date=None, copy_from=summit
    )

    assert (made.title, made.title_cy) == ("Town Summit", "")
    assert made.central_question_cy == summit.central_question_cy != ""


# The shipped Place Summit


def test_the_place_summit_loads_with_its_welsh(summit):
    assert summit.title_cy == "Yr Uwchgynhadledd Lle"
    for name in ("central_question", "summary"):
        assert getattr(summit, f"{name}_cy") not in ("", getattr(summit, name))
    for model, fields in WELSH_FIELDS.items():
        rows = model.objects.filter(summit=summit)
        if model is Material:
            rows = rows.filter(kind=Material.Kind.SECTION)
        assert rows.exists()
        for row in rows:
            for field in fields:
                english = getattr(row, field.removesuffix("_cy"))
                welsh = getattr(row, field)
                if english:
                    assert welsh, (model, field, english)
                    assert welsh != english, (model, field, english)
    assert Assumption.objects.filter(summit=summit).count() == 4
    assert Obstacle.objects.filter(summit=summit).count() == 6
    polls = list(summit.plenary.polls.all())
    assert all(poll.question_cy and poll.question_cy != poll.question for poll in polls)
    assert list(polls[0].options.values_list("text_cy", flat=True)) == list(
        summit.assumptions.values_list("text_cy", flat=True)
    )


def test_the_place_summits_welsh_pre_reading_is_whole(summit):
    sections = Material.objects.filter(summit=summit, kind=Material.Kind.SECTION)

    for section in sections:
        # As long as the English, give or take: a whole translation, not a summary of it.
        assert len(section.body_cy) > 0.9 * len(section.body), section.title
        assert section.body.count("\n- ") == section.body_cy.count("\n- "), section.title
    every = "\n".join(sections.values_list("body_cy", flat=True))
    for text in summit.assumptions.values_list("text_cy", flat=True):
        assert f"- {text}" in every
    assert summit.central_question_cy in every

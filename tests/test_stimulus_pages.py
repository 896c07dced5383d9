"""Starting a summit from the organiser's own stimulus document: the upload page, the page
that shows what was found to confirm or change, and the summit made from it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import dumps
from django.test import Client
from django.urls import reverse

from accounts.models import Participant
from breakouts.models import Breakout
from summit.event.models import Material, Summit
from summit.event.stimulus import MAX_UPLOAD
from summit.organise.stimulus_forms import SALT
from tests.conftest import client_for

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPLOAD = reverse("new_summit_from_stimulus")
CONFIRM = reverse("confirm_summit_from_stimulus")


def _upload(client: Client, name: str, data: bytes | None = None):
    content = (FIXTURES / name).read_bytes() if data is None else data
    return client.post(UPLOAD, {"document": SimpleUploadedFile(name, content)})


def _fields(body: str) -> dict:
    """What the confirm form would post as it stands: its textareas, inputs and ticked boxes."""
    data: dict = {}
    for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', body, re.S):
        data[name] = unescape(text)
    for tag in re.findall(r"<input [^>]*>", body):
        name = re.search(r'name="(\w+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(unescape(value.group(1)))
        else:
            data[name.group(1)] = unescape(value.group(1)) if value else ""
    return data


@pytest.fixture
def organising(organiser) -> Client:
    return client_for(organiser)


# The upload


def test_upload_page_asks_for_a_word_or_markdown_file(organising):
    response = organising.get(UPLOAD)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert 'accept=".docx,.md,.markdown,.txt"' in body
    assert "Your stimulus document" in body


def test_new_summit_page_links_to_starting_from_a_document(organising):
    body = organising.get(reverse("new_summit")).content.decode()

    assert f'href="{UPLOAD}"' in body


@pytest.mark.parametrize("name", ["place_summit_stimulus.docx", "place_summit_stimulus.md"])
def test_upload_shows_what_was_found_to_confirm(organising, name):
    response = _upload(organising, name)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Check what was found in your document" in body
    assert Summit.objects.count() == 1  # nothing made yet
    fields = _fields(body)
    assert fields["title"] == "Place Summit"
    assert fields["central_question"].startswith("What practical guidance will help")
    assert len(fields["assumptions"].splitlines()) == 4
    assert len(fields["obstacles"].splitlines()) == 6
    assert fields["subthemes"].splitlines()[0] == (
        "What narratives are necessary to support…: What narratives are necessary to support "
        "place-based governance and who should do this?"
    )
    assert len(fields["areas"].splitlines()) == 12
    assert fields["keep"] == [str(n) for n in range(9)]
    assert "Obstacles to place (" in body


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.pdf", b"%PDF-1.7", "Upload a Word document (.docx)"),
        ("notes.md", b"#" * (MAX_UPLOAD + 1), "The file must be smaller than 2 MB"),
        ("notes.docx", b"not a zip", "cannot be read as a Word document"),
        ("notes.md", "café".encode("latin-1"), "UTF-8"),
    ],
)
def test_upload_refused_with_the_reason_on_the_page(organising, name, data, words):
    response = _upload(organising, name, data)

    body = unescape(response.content.decode())
    assert response.status_code == 422
    assert "<title>Error:" in body
    assert "There is a problem" in body
    assert words in body
    assert Summit.objects.count() == 1


def test_upload_without_a_file_asks_for_one(organising):
    response = organising.post(UPLOAD, {})

    assert response.status_code == 422
    assert "Choose your stimulus document" in response.content.decode()


# Confirming


def test_confirm_sets_up_the_summit_from_what_was_found(organising, organiser):
    fields = _fields(_upload(organising, "coastal_towns_stimulus.docx").content.decode())
    fields["keep"] = [n for n in fields["keep"] if n != "0"]  # not the introduction

    response = organising.post(CONFIRM, fields)

    summit = Summit.objects.get(title="Coastal Towns Roundtable")
    assert response.status_code == 302
    assert response.url == reverse("summit_home", args=[summit.slug])
    assert summit.status == Summit.Status.DRAFT
    assert summit.central_question.startswith("How can coastal towns build a future")
    assert [s.title for s in summit.subthemes.all()] == [
        "Harbours and work",
        "Homes",
        "Getting about",
        "Young people",
    ]
    assert Breakout.objects.filter(summit=summit).count() == 4
    assert summit.prompts.count() == 8
    assert summit.assumptions.count() == 3
    assert summit.obstacles.count() == 5
    sections = list(Material.objects.filter(summit=summit).values_list("title", flat=True))
    assert sections[0] == "About this roundtable"
    assert len(sections) == 7
    assert Participant.objects.get(summit=summit).role == Participant.Role.ORGANISER
    assert Participant.objects.get(summit=summit).user == organiser.user
    page = organising.get(response.url).content.decode()
    assert "Coastal Towns Roundtable is set up from your document" in page


def test_confirm_takes_the_organisers_changes(organising):
    fields = _fields(_upload(organising, "place_summit_stimulus.md").content.decode())
    fields["subthemes"] = "Narratives: Which stories?\nCitizens: What role for citizens?"
    fields["areas"] = "[2] Who decides?\nWhat comes next?"
    fields["obstacles"] = ""
    fields.pop("keep")

    organising.post(CONFIRM, fields)

    summit = Summit.objects.get(title="Place Summit", status=Summit.Status.DRAFT)
    assert [(s.title, s.question) for s in summit.subthemes.all()] == [
        ("Narratives", "Which stories?"),
        ("Citizens", "What role for citizens?"),
    ]
    prompts = [(p.text, p.subtheme and p.subtheme.title) for p in summit.prompts.all()]
    assert prompts == [("Who decides?", "Citizens"), ("What comes next?", None)]
    assert summit.obstacles.count() == 0
    assert not Material.objects.filter(summit=summit).exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"subthemes": "A subtheme without its question"}, "a short title, a colon"),
        ({"subthemes": "Homes: One?\nhomes: Two?"}, "“homes” is there twice"),
        ({"subthemes": f"{'T' * 81}: Why?"}, "to 80 characters or fewer"),
        ({"areas": "[9] Who decides?"}, "names subtheme [9], which is not listed"),
        ({"obstacles": "x" * 1001}, "Line 1 of the obstacles is over 1,000 characters"),
        ({"assumptions": "a\n" * 201}, "Keep to 200 working assumptions or fewer"),
        ({"title": ""}, "Enter a title for the summit"),
        ({"central_question": ""}, "Enter the summit’s central question"),
        ({"sections": "forged"}, "Upload the document again"),
    ],
)
def test_confirm_refused_keeps_what_was_typed(organising, change, words):
    fields = _fields(_upload(organising, "coastal_towns_stimulus.md").content.decode())
    fields["obstacles"] = "An obstacle typed by the organiser\n" + fields["obstacles"]
    fields.update(change)

    response = organising.post(CONFIRM, fields)

    body = unescape(response.content.decode())
    assert response.status_code == 422
    assert "<title>Error:" in body
    assert words in body
    assert "An obstacle typed by the organiser" in body or "obstacles" in change
    assert Summit.objects.count() == 1


def test_confirm_refuses_sections_signed_for_something_else(organising):
    fields = _fields(_upload(organising, "coastal_towns_stimulus.md").content.decode())
    fields["sections"] = dumps([{"title": "Slipped in", "body": "x"}], salt="another")

    response = organising.post(CONFIRM, fields)

    assert response.status_code == 422
    assert "Slipped in" not in response.content.decode()


def test_confirm_page_asked_for_directly_goes_to_the_upload(organising):
    response = organising.get(CONFIRM)

    assert response.status_code == 302
    assert response.url == UPLOAD


def test_confirm_keeps_the_signed_pre_reading_unchanged(organising):
    sections = [{"title": "Why we meet", "body": "We meet **to decide**."}]
    response = organising.post(
        CONFIRM,
        {
            "title": "Small summit",
            "central_question": "What now?",
            "sections": dumps(sections, salt=SALT, compress=True),
            "keep": ["0"],
        },
    )

    assert response.status_code == 302
    material = Material.objects.get(summit__title="Small summit")
    assert (material.title, material.body) == ("Why we meet", "We meet **to decide**.")


# Who may


@pytest.mark.parametrize("who", ["attendee", "facilitator", "outsider"])
def test_only_those_who_may_create_summits_may_upload_or_confirm(request, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(UPLOAD).status_code == 403
    assert _upload(client, "coastal_towns_stimulus.md").status_code == 403
    assert client.post(CONFIRM, {"title": "Mine", "central_question": "Why?"}).status_code == 403
    assert not Summit.objects.filter(title="Mine").exists()


def test_signed_out_person_is_sent_to_sign_in(db):
    response = Client().get(UPLOAD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_pages_render_the_same_number_of_queries_whatever_was_found(
    organising, django_assert_max_num_queries
):
    """Neither page lists anything from the database: what was found is in the request."""
    with django_assert_max_num_queries(6):
        assert _upload(organising, "place_summit_stimulus.docx").status_code == 200
    with django_assert_max_num_queries(6):
        assert _upload(organising, "coastal_towns_stimulus.md").status_code == 200

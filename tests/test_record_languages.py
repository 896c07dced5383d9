"""The record in either language: a record made in Welsh gives the organisers' Welsh version
of each of their texts (the summit's question, the working assumptions, the obstacles, the
agenda, the subthemes and their questions, the polls' questions and options), and the English
where there is none, which the page marks as English; a record in English gives the English.
People's own words are given as written. The JSON document, in either language, keeps both
versions of each organiser text (``central_question`` and ``central_question_cy``), and the
tables carry a ``_cy`` column beside each organiser text; none of it costs a query more."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import docx
import jsonschema
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plenary.models import Poll
from summit.event.models import AgendaItem, Assumption, Summit
from summit.web.language import SESSION_KEY
from tests import test_record
from tests.conftest import client_for
from tests.test_record import Day, docx_text, schema

# The record's day in the Place Summit, which ships with the Welsh of each of its texts.
day = test_record.day

WELSH = "cy"
ENGLISH = "en-gb"
DOWNLOADS = ("record_docx", "record_markdown", "record_xlsx", "record_csv", "record_json")


def _download(day: Day, name: str, language: str) -> bytes:
    response = client_for(day.organiser).get(
        reverse(name, args=[day.summit.slug]), {"language": language}
    )
    assert response.status_code == 200, name
    assert response["Content-Language"] == language
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _markdown(day: Day, language: str) -> str:
    """The Markdown with its escapes taken out, as a reader reads it."""
    return re.sub(r"\\(.)", r"\1", _download(day, "record_markdown", language).decode())


def _docx(day: Day, language: str):
    return docx.Document(io.BytesIO(_download(day, "record_docx", language)))


def _json(day: Day, language: str) -> dict:
    return json.loads(_download(day, "record_json", language))


def _bundle(day: Day, language: str) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(_download(day, "record_csv", language))) as bundle:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(bundle.read(name).decode("utf-8-sig")))
            )
            for name in bundle.namelist()
        }


def _page(day: Day, language: str) -> str:
    """The record page for an organiser reading in ``language``."""
    client = client_for(day.organiser)
    session = client.session
    session[SESSION_KEY] = language
    session.save()
    response = client.get(reverse("record", args=[day.summit.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _texts(day: Day) -> dict[str, tuple[str, str]]:
    """Arrange nothing: the Place Summit's own texts, each (English, Welsh)."""
    summit = Summit.objects.get(pk=day.summit.pk)
    assumption = Assumption.objects.filter(summit=summit).order_by("order").first()
    obstacle = summit.obstacles.order_by("order").first()
    scale = Poll.objects.get(plenary__summit=summit, kind=Poll.Kind.SCALE)
    subtheme = day.breakout.subtheme
    texts = {
        "question": (summit.central_question, summit.central_question_cy),
        "assumption": (assumption.text, assumption.text_cy),
        "obstacle": (obstacle.text, obstacle.text_cy),
        "poll": (scale.question, scale.question_cy),
        "subtheme": (subtheme.question, subtheme.question_cy),
    }
    for key, (english, welsh) in texts.items():  # the summit ships with both
        assert english, key
        assert welsh not in ("", english), key
    return texts


def test_a_welsh_record_gives_the_organisers_welsh_in_markdown(day):
    texts = _texts(day)

    welsh, english = _markdown(day, WELSH), _markdown(day, ENGLISH)

    for key, (in_english, in_welsh) in texts.items():
        assert in_welsh in welsh, key
        assert in_english not in welsh, key
        assert in_english in english, key
        assert in_welsh not in english, key
    assert "> **Cwestiwn y diwrnod:** " + texts["question"][1] in welsh
    assert "### " + texts["poll"][1] in welsh  # the poll's heading
    # What people wrote is given as they wrote it, in either language.
    for text in (day.pooled.text, day.budgets.proposal, "Place is not one size fits all"):
        assert text in welsh
        assert text in english


def test_a_welsh_record_gives_the_organisers_welsh_in_word(day):
    texts = _texts(day)

    welsh, english = _docx(day, WELSH), _docx(day, ENGLISH)

    in_welsh, in_english = docx_text(welsh), docx_text(english)
    for key, (english_text, welsh_text) in texts.items():
        assert welsh_text in in_welsh, key
        assert english_text not in in_welsh, key
        assert english_text in in_english, key
        assert welsh_text not in in_english, key
    headings = [p.text for p in welsh.paragraphs if p.style.name.startswith("Heading")]
    assert texts["poll"][1] in headings
    assert welsh.core_properties.subject == texts["question"][1]
    assert welsh.core_properties.title == f"Cofnod {day.summit.title_cy}"
    assert english.core_properties.title == f"The record of {day.summit.title}"


def test_a_text_without_its_welsh_is_given_in_english_and_marked_so_on_the_page(day):
    item = AgendaItem.objects.filter(summit=day.summit).order_by("order").first()
    AgendaItem.objects.filter(pk=item.pk).update(title_cy="")
    text_poll = Poll.objects.get(plenary__summit=day.summit, kind=Poll.Kind.TEXT)
    assert not text_poll.question_cy

    page = _page(day, WELSH)
    welsh = _markdown(day, WELSH)

    assert '<html lang="cy">' in page
    assert f'<th scope="row"><span lang="en-gb">{item.title}</span>' in page
    assert f'<h3><span lang="en-gb">{text_poll.question}</span></h3>' in page
    assert f"| {item.title} |" in welsh
    # The Welsh it has is not marked: it is in the page's own language.
    scale = Poll.objects.get(plenary__summit=day.summit, kind=Poll.Kind.SCALE)
    assert f"<h3>{scale.question_cy}</h3>" in page.replace("&#x27;", "'")
    assert f"<h1>Cofnod {day.summit.title_cy}</h1>" in page
    assert '<span lang="cy">' not in page


def test_an_english_page_marks_a_text_given_only_in_welsh(day):
    Summit.objects.filter(pk=day.summit.pk).update(summary="", summary_cy="Crynodeb yn unig")

    page = _page(day, ENGLISH)

    assert '<p class="reading"><span lang="cy">Crynodeb yn unig</span></p>' in page
    assert "<h1>The record of Place Summit</h1>" in page


@pytest.mark.parametrize("language", [WELSH, ENGLISH])
def test_the_json_keeps_both_versions_whatever_its_language(day, language):
    texts = _texts(day)
    summit = Summit.objects.get(pk=day.summit.pk)

    document = _json(day, language)

    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["summit"]["central_question"] == summit.central_question
    assert document["summit"]["central_question_cy"] == summit.central_question_cy
    assert document["summit"]["title_cy"] == summit.title_cy
    assert document["summit"]["summary_cy"] == summit.summary_cy
    first = document["assumptions"]["items"][0]
    assert (first["text"], first["text_cy"]) == texts["assumption"]
    assert document["subthemes"][0]["title_cy"]
    assert document["agenda"][0]["title_cy"]
    assert document["questions"][0]["text_cy"]
    assert document["breakouts"][0]["subtheme_cy"] == day.breakout.subtheme.title_cy
    polls = {p["kind"]: p for p in document["polls"]}
    assert (polls["scale"]["question"], polls["scale"]["question_cy"]) == texts["poll"]
    assert polls["scale"]["statements"][0]["text_cy"] == texts["assumption"][1]
    ranking = polls["ranking"]["bars"]
    assert all(bar["label_cy"] for bar in ranking)
    obstacles = {row["text"]: row["text_cy"] for row in document["obstacles"]["ranking"]}
    assert obstacles[texts["obstacle"][0]] == texts["obstacle"][1]
    assert {bar["label"]: bar["label_cy"] for bar in ranking} == obstacles
    # A text with no Welsh, and what people wrote, have an empty Welsh beside them.
    assert polls["text"]["question_cy"] == ""
    assert polls["consensus"]["statements"][0]["text_cy"] == ""
    answered = [r for r in document["responses"] if r["poll"] == polls["scale"]["id"]]
    assert answered[0]["question_cy"] == texts["poll"][1]
    assert answered[0]["item_cy"] == texts["assumption"][1]


def test_the_schema_describes_each_welsh_field(day):
    document = _json(day, WELSH)
    document["summit"]["central_question_cy"] = 3  # not a text

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema()).validate(document)
    assert "welsh" in schema()["$defs"]
    assert "central_question_cy" not in schema()["properties"]["summit"]["required"]


@pytest.mark.parametrize("language", [WELSH, ENGLISH])
def test_the_tables_carry_the_welsh_beside_each_organiser_text(day, language):
    texts = _texts(day)

    bundle = _bundle(day, language)

    summit = {row["value"]: row["value_cy"] for row in bundle["summit"]}
    assert summit[texts["question"][0]] == texts["question"][1]
    assert summit[day.summit.title] == Summit.objects.get(pk=day.summit.pk).title_cy
    polls = [row for row in bundle["polls"] if row["question"] == texts["poll"][0]]
    assert {row["question_cy"] for row in polls} == {texts["poll"][1]}
    assert {row["item"]: row["item_cy"] for row in polls}[texts["assumption"][0]] == (
        texts["assumption"][1]
    )
    responses = [row for row in bundle["responses"] if row["question"] == texts["poll"][0]]
    assert responses
    assert {row["question_cy"] for row in responses} == {texts["poll"][1]}
    assert texts["assumption"][1] in {row["item_cy"] for row in responses}


def test_the_welsh_columns_stand_beside_the_english_in_either_language(day):
    for language in (WELSH, ENGLISH):
        with zipfile.ZipFile(io.BytesIO(_download(day, "record_csv", language))) as zipped:
            heads = {
                name.removesuffix(".csv"): zipped.read(name).decode("utf-8-sig").split("\r\n")[0]
                for name in zipped.namelist()
            }
        # Column names are machine keys: the same in either language.
        assert heads["summit"] == "field,value,value_cy"
        assert heads["polls"] == (
            "poll,question,question_cy,kind,state,responses,item,item_cy,count,detail"
        )
        assert heads["responses"].startswith("poll,question,question_cy,by,sector,item,item_cy,")
        assert heads["shift"].startswith("poll,closing_poll,question,question_cy,statement,")
        assert "text,text_cy," in heads["shift"]
        assert heads["qa_sessions"].startswith("id,title,agenda_item,agenda_item_cy,")


def test_the_workbook_carries_the_welsh_columns_too(day):
    texts = _texts(day)
    book = openpyxl.load_workbook(io.BytesIO(_download(day, "record_xlsx", WELSH)), read_only=True)

    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()

    assert rows[0][:3] == ("field", "value", "value_cy")
    assert (texts["question"][0], texts["question"][1]) in [row[1:3] for row in rows]


def _queries(day: Day, name: str, language: str) -> int:
    client = client_for(day.organiser)
    url = reverse(name, args=[day.summit.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"language": language})
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_the_welsh_costs_no_query_more(day):
    for name in DOWNLOADS:
        _queries(day, name, ENGLISH)  # anything read once a process is read
        english = _queries(day, name, ENGLISH)
        welsh = _queries(day, name, WELSH)
        assert welsh == english, name
        assert welsh <= test_record.MAX_QUERIES[name], name

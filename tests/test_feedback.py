"""Feedback on the day: the closing form, one answer a person, its results by sector with
small sectors combined, what people wrote without names, and the record's appendix."""

from __future__ import annotations

import re

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.feedback import give_feedback, load_feedback
from accounts.models import Feedback, Participant
from summit.event.measures import FEWER_THAN_SMALLEST, OTHER_SECTORS
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise.my_data import personal_data
from summit.organise.people import erase_participant
from summit.record.build import build_record
from tests.conftest import SECTOR_NAMES, client_for, make_participant
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

Status = Summit.Status
APPENDIX = "Appendix: feedback on the day"


def _status(summit: Summit, status: str) -> None:
    Summit.objects.filter(pk=summit.pk).update(status=status)
    summit.refresh_from_db()


@pytest.fixture
def live(summit):
    _status(summit, Status.LIVE)
    return summit


def _url(summit: Summit, name: str = "feedback") -> str:
    return reverse(name, args=[summit.slug])


def _give(person: Participant, useful: int = 4, heard: int = 3, change: str = "") -> None:
    give_feedback(person, useful=useful, heard=heard, change=change)


def _crowd(summit: Summit, sector: str, n: int, useful: int = 5) -> list[Participant]:
    people = [
        make_participant(summit, name=f"{sector} person {i}", sector=sector) for i in range(n)
    ]
    for person in people:
        _give(person, useful=useful)
    return people


def test_feedback_form_saves_the_answers_when_valid(live, attendee):
    client = client_for(attendee)
    response = client.post(
        _url(live), {"useful": "4", "heard": "5", "change": "  More time in breakouts  "}
    )

    assert response.status_code == 302
    kept = Feedback.objects.get(participant=attendee)
    assert (kept.useful, kept.heard, kept.change) == (4, 5, "More time in breakouts")
    home = client.get(response.url).content.decode()
    assert "your feedback is saved" in home


def test_feedback_form_without_answers_gives_govuk_errors_and_keeps_the_text(live, attendee):
    response = client_for(attendee).post(
        _url(live), {"useful": "", "heard": "9", "change": "Shorter plenary"}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in body
    assert "There is a problem" in body
    assert 'href="#id_useful_0"' in body
    assert "Select how useful the day was for you" in body
    assert "Select how far you felt heard" in body
    assert "Shorter plenary</textarea>" in body
    assert not Feedback.objects.exists()


def test_feedback_form_refuses_text_over_2000_characters(live, attendee):
    response = client_for(attendee).post(
        _url(live), {"useful": "3", "heard": "3", "change": "x" * 2001}
    )

    assert response.status_code == 422
    assert "What should change must be 2,000 characters or fewer" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_is_one_per_person_and_can_be_changed(live, attendee):
    client = client_for(attendee)
    client.post(_url(live), {"useful": "2", "heard": "2", "change": "First thoughts"})
    client.post(_url(live), {"useful": "5", "heard": "4", "change": ""})
    _give(attendee, useful=5, heard=4)

    assert Feedback.objects.count() == 1
    kept = Feedback.objects.get()
    assert (kept.useful, kept.heard, kept.change) == (5, 4, "")
    page = client.get(_url(live)).content.decode()
    assert "You gave your feedback already" in page
    assert re.search(r'value="5"[^>]*checked', page)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.OPEN, Status.ARCHIVED])
def test_feedback_is_refused_outside_live_and_closed(summit, attendee, status):
    _status(summit, status)
    client = client_for(attendee)

    page = client.get(_url(summit))
    posted = client.post(_url(summit), {"useful": "4", "heard": "4"})

    assert page.status_code == 200
    assert '<form method="post" novalidate' not in page.content.decode()
    assert posted.status_code == 422
    expected = "archived" if status == Status.ARCHIVED else "once the day has started"
    assert expected in page.content.decode()
    assert expected in posted.content.decode()
    assert "There is a problem" in posted.content.decode()
    with pytest.raises(Refused):
        _give(attendee)
    assert not Feedback.objects.exists()
    assert _url(summit) not in client.get(reverse("summit_home", args=[summit.slug])).text


def test_feedback_is_taken_after_the_summit_closes(summit, attendee):
    _status(summit, Status.CLOSED)

    _give(attendee, useful=1)

    assert Feedback.objects.get().useful == 1
    assert _url(summit) in client_for(attendee).get(reverse("summit_home", args=[summit.slug])).text


def test_results_by_sector_show_a_sector_of_4_only_among_others(live, organiser):
    _crowd(live, "health", 6, useful=5)
    _crowd(live, "faith", 4, useful=1)

    useful = load_feedback(live).questions[0]

    # Faith's four are not shown on their own, nor health's six beside them: subtracting six
    # from the total would give the four away. Together, ten, counted.
    assert [(row.sector, row.counts, row.answered) for row in useful.by_sector] == [
        (str(OTHER_SECTORS), [4, 0, 0, 0, 6], 10)
    ]

    _crowd(live, "business", 1, useful=3)

    results = load_feedback(live)

    useful = results.questions[0]
    assert results.answered == 11
    assert [level.count for level in useful.levels] == [4, 0, 1, 0, 6]
    shown = {row.sector: row for row in useful.by_sector}
    assert set(shown) == {SECTOR_NAMES["health"], str(OTHER_SECTORS)}
    assert shown[SECTOR_NAMES["health"]].counts == [0, 0, 0, 0, 6]
    # Faith's four and business's one: five together, counted, neither on its own.
    assert not shown[str(OTHER_SECTORS)].withheld
    assert shown[str(OTHER_SECTORS)].counts == [4, 0, 1, 0, 0]
    assert shown[str(OTHER_SECTORS)].answered == 5
    page = client_for(organiser).get(_url(live, "feedback_results")).content.decode()
    assert SECTOR_NAMES["faith"] not in page
    assert SECTOR_NAMES["business"] not in page
    assert f'<th scope="row">{OTHER_SECTORS}</th><td>4</td><td>0</td><td>1</td>' in page


def test_results_by_sector_withhold_the_counts_of_fewer_than_5_in_all(live, organiser):
    _crowd(live, "health", 3, useful=5)
    _crowd(live, "faith", 1, useful=1)

    useful = load_feedback(live).questions[0]

    # Everyone who answered, and fewer than five: not even the row's counts are given.
    assert [level.count for level in useful.levels] == [1, 0, 0, 0, 3]
    [others] = useful.by_sector
    assert (others.sector, others.withheld, others.counts) == (str(OTHER_SECTORS), True, [None] * 5)
    page = client_for(organiser).get(_url(live, "feedback_results")).content.decode()
    assert SECTOR_NAMES["health"] not in page
    assert f'<th scope="row">{OTHER_SECTORS}</th><td colspan="6">{FEWER_THAN_SMALLEST}</td>' in page


def test_results_list_what_people_wrote_without_names_or_sectors(live, organiser, facilitator):
    writer = make_participant(live, name="Wendy Writer", sector="faith")
    _give(writer, change="Invite more young people")
    _give(organiser, change="Start later")

    results = load_feedback(live)

    assert results.changes == ["Invite more young people", "Start later"]
    page = client_for(facilitator).get(_url(live, "feedback_results")).content.decode()
    listed = page.split('<ul class="remarks">', 1)[1].split("</ul>", 1)[0]
    assert "Invite more young people" in listed
    assert "Wendy Writer" not in page
    assert SECTOR_NAMES["faith"] not in listed


def test_every_format_of_the_record_has_the_feedback_appendix(live, organiser):
    _crowd(live, "health", 5, useful=4)
    _crowd(live, "faith", 4, useful=2)
    _give(organiser, change="Fewer slides")

    html, parsed = page_of(organiser)
    assert (2, APPENDIX) in parsed.headings
    assert "Fewer slides" in html
    markdown = markdown_of(organiser)
    assert f"## {APPENDIX}" in markdown
    assert "- Fewer slides" in markdown
    text = docx_text(docx_of(organiser))
    assert APPENDIX in text
    assert "Fewer slides" in text
    document = json_of(organiser)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["feedback"]["answered"] == 10
    assert document["feedback"]["changes"] == ["Fewer slides"]
    useful = document["feedback"]["questions"]["useful"]
    assert useful["by_sector"] == [
        {"sector": SECTOR_NAMES["health"], "counts": [0, 0, 0, 5, 0], "answered": 5},
        # The organiser, alone in theirs, and faith's four: five together.
        {"sector": str(OTHER_SECTORS), "counts": [0, 4, 0, 1, 0], "answered": 5},
    ]
    sheets = workbook_of(organiser)
    assert {"text": "Fewer slides"} in sheets["What should change"]
    rows = bundle_of(organiser)["feedback"]
    assert {
        "question": "How useful was the day for you?",
        "level": "4",
        "label": "Very useful",
        "sector": "All sectors",
        "count": "6",
    } in rows


def test_the_record_says_so_when_nobody_gave_feedback(live, organiser):
    assert "Nobody gave feedback." in markdown_of(organiser)
    assert json_of(organiser)["feedback"]["answered"] == 0


def test_my_data_includes_my_own_feedback(live, attendee):
    _give(attendee, useful=2, heard=5, change="Louder microphones")

    data = personal_data(attendee)
    page = client_for(attendee).get(reverse("my_data", args=[live.slug])).content.decode()

    assert data["feedback_on_the_day"] == {
        "how_useful": "Slightly useful",
        "how_far_heard": "Fully heard",
        "what_should_change": "Louder microphones",
        "last_changed": data["feedback_on_the_day"]["last_changed"],
    }
    assert "Louder microphones" in page
    download = client_for(attendee).get(reverse("my_data_download", args=[live.slug])).json()
    assert download["feedback_on_the_day"]["how_far_heard"] == "Fully heard"


def test_my_data_without_feedback_says_none(live, attendee):
    assert personal_data(attendee)["feedback_on_the_day"] is None


def test_erasing_a_person_keeps_their_feedback_counted(live, attendee, organiser):
    _give(attendee, useful=3, change="Keep it")

    erase_participant(attendee)

    results = load_feedback(live)
    assert results.answered == 1
    assert results.changes == ["Keep it"]


def test_outsiders_get_404_and_the_signed_out_sign_in(live, outsider, attendee):
    assert client_for(outsider).get(_url(live)).status_code == 404
    assert client_for(outsider).post(_url(live), {"useful": "4"}).status_code == 404
    assert Client().get(_url(live)).status_code == 302
    assert client_for(attendee).get(_url(live, "feedback_results")).status_code == 403


@pytest.mark.parametrize("answers", [1, 30])
def test_results_page_asks_the_same_queries_however_many_answer(
    live, organiser, answers, django_assert_num_queries
):
    _crowd(live, "health", answers)
    client = client_for(organiser)
    client.get(_url(live, "feedback_results"))  # the session, warmed

    # The session, the user, the participant with its summit, the sector names, the answers.
    with django_assert_num_queries(5):
        response = client.get(_url(live, "feedback_results"))

    assert response.status_code == 200


def _record_queries(summit: Summit) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_record(summit)
    return len(queries)


def test_the_record_asks_the_same_queries_for_1_answer_as_for_30(live):
    _crowd(live, "health", 1)
    one = _record_queries(live)
    _crowd(live, "faith", 29)

    assert _record_queries(live) == one
